"""Placeholder until the demo lands: header, pipeline and a note."""

import streamlit as st

from ui.demos import demo_by_key
from ui.layout import page_header, pipeline_strip

demo = demo_by_key("people")
page_header(demo)
pipeline_strip(demo)
st.info("Coming soon: this live demo is being built.", icon=":material/construction:")
