"""Entry point: navigation and the controls every page shares. Run with `make run`."""

import streamlit as st

from ui.demos import DEMOS, HOME_PATH
from ui.presenter import sidebar_controls

st.set_page_config(
    page_title="What an ML engineer builds",
    page_icon=":material/neurology:",
    layout="wide",
    initial_sidebar_state="auto",
)

home = st.Page(HOME_PATH, title="Home", icon=":material/home:", default=True)
demo_pages = [st.Page(d.path, title=d.title, icon=d.icon, url_path=d.slug) for d in DEMOS]
navigation = st.navigation({"Start": [home], "Live demos": demo_pages})
sidebar_controls()
navigation.run()
