"""The shared settings spec (ui/settings.py): widgets start at the spec's defaults, live in the URL, and one
reset puts every key back."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _page() -> None:
    import streamlit as st

    from ui.settings import bound, reset_button

    spec = {"demo_depth": 3, "demo_rate": 0.05}
    bound(st.slider, "Depth", "demo_depth", spec, 1, 8)
    bound(st.select_slider, "Rate", "demo_rate", spec, options=[0.01, 0.05, 0.1])
    reset_button(spec, key="demo_reset", where=st)


def test_widgets_start_at_the_spec_and_reset_restores_it():
    at = AppTest.from_function(_page).run()
    assert not at.exception
    assert at.slider(key="demo_depth").value == 3 and at.select_slider(key="demo_rate").value == 0.05
    at.slider(key="demo_depth").set_value(7).run()
    at.select_slider(key="demo_rate").set_value(0.1).run()
    at.button(key="demo_reset").click().run()
    assert not at.exception
    assert at.slider(key="demo_depth").value == 3 and at.select_slider(key="demo_rate").value == 0.05


def test_a_bookmarked_value_wins_over_the_default():
    at = AppTest.from_function(_page)
    at.query_params["demo_depth"] = "5"
    at.run()
    assert at.slider(key="demo_depth").value == 5
