"""Home: the article's story in one screen, and a card per live demo."""

import streamlit as st

from ui.demos import DEMOS
from ui.presenter import talking_points
from ui.share import phone_qr
from ui.style import PHONE_HIDDEN_KEY
from ui.tour import begin_tour
from ui.warmup import readiness_line

story, phone = st.columns([4, 1], vertical_alignment="center")
with story:
    st.title("What does a Machine Learning Engineer build?")
    st.container(key="home_lead").markdown(
        "Instead of writing fixed rules, ML engineers build systems that **learn from data** "
        "and get better as more data arrives. Here are four of them, live, trained on real or "
        "documented data, running on this laptop."
    )
    readiness_line()
    if not st.session_state.get("tour_active") and st.button(
        "Start the guided tour", key="home_tour_button", type="primary", icon=":material/play_circle:"
    ):
        begin_tour()
with phone, st.container(key=f"{PHONE_HIDDEN_KEY}_qr"):
    phone_qr(width=150)
talking_points(
    [
        "ML is the engine behind what people call AI.",
        "The job mixes data science and software engineering: data in, patterns found, "
        "a model chosen and trained, then shipped so people can use it.",
        "Each demo is one industry: streaming, professional networks, hospitals, banks.",
        "Demand for ML engineers is high across industries in 2026, and the role is among the best paid in tech.",
    ]
)

for row_start in (0, 2):
    for column, demo in zip(st.columns(2, gap="medium"), DEMOS[row_start : row_start + 2], strict=True):
        with column.container(border=True):
            st.markdown(f"### {demo.icon} {demo.title}")
            st.caption(demo.industry)
            st.markdown(demo.hook)
            st.markdown(f"**Try it:** {demo.you_can}")
            st.markdown("**Skills it shows:** " + " · ".join(demo.skills))
            st.page_link(demo.path, label=f"Open {demo.title}", icon=":material/arrow_forward:")

with st.container(border=True):
    st.markdown("**The skills behind every demo**")
    skills = st.columns(4)
    skills[0].markdown("**Mathematics & statistics**  \nthe foundation of every algorithm")
    skills[1].markdown("**Programming**  \nPython here; R or C++ elsewhere")
    skills[2].markdown("**Data modeling**  \ncleaning and preparing data for training")
    skills[3].markdown("**ML frameworks**  \nscikit-learn and Surprise here; TensorFlow, PyTorch")

st.caption(
    "Works fully offline. Every number on these pages is computed here, from data that ships "
    "with open-source packages or from simulators whose design is documented."
)
