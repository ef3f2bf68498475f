"""Entry point: navigation and the controls every page shares. Run with `make run`."""

import streamlit as st

from ui.demos import DEMOS, HOME_PATH
from ui.presenter import is_presenter, sidebar_controls
from ui.scenario import report_ignored_links, watch_links
from ui.share import phone_qr
from ui.style import apply_base_style
from ui.tour import take_baseline, tour_controls

st.set_page_config(
    page_title="What an ML engineer builds",
    page_icon="🧠",  # an emoji: a Material favicon is fetched from fonts.gstatic.com, which breaks offline
    layout="wide",
    initial_sidebar_state="auto",
)

# An explicit url_path keeps the home page's id distinct from pages/home.py's file-based id
# (AppTest otherwise reruns the page file without this entry script).
home = st.Page(HOME_PATH, title="Home", icon=":material/home:", default=True, url_path="welcome")
demo_pages = [st.Page(d.path, title=d.title, icon=d.icon, url_path=d.slug) for d in DEMOS]
navigation = st.navigation({"Start": [home], "Live demos": demo_pages})

apply_base_style()
asked_by_link = watch_links()
link_notice = st.empty()
sidebar_controls()
tour_controls()
if is_presenter() and navigation.url_path != "":
    with st.sidebar:
        phone_qr(width=150)
navigation.run()
report_ignored_links(asked_by_link, link_notice, final=True)  # what the page did not name
take_baseline()  # last, once every value of this run is set: a touch from the first moment on pauses the tour
