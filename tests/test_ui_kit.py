"""The shared UI kit, rendered in isolation with AppTest.from_function."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _guarded_failures():
    import streamlit as st

    from models.common import InputError
    from ui.layout import guard

    with guard("reading your file"):
        raise InputError("the file is missing column rating")
    with guard("drawing the chart"):
        raise RuntimeError("boom")
    st.markdown("still alive")


def test_guard_shows_friendly_messages_and_page_survives():
    at = AppTest.from_function(_guarded_failures).run()
    assert not at.exception
    assert at.warning[0].value == "the file is missing column rating"
    assert "something went wrong while drawing the chart" in at.error[0].value
    assert "Traceback" not in at.error[0].value
    assert at.markdown[-1].value == "still alive"


def _cards():
    from models.common import ModelCardInfo
    from ui.demos import demo_by_key
    from ui.layout import Metric, metric_cards, model_card, page_header, pipeline_strip

    demo = demo_by_key("risk")
    page_header(demo, points=["a point"])
    pipeline_strip(demo)
    metric_cards([Metric("AUC", "0.87", help="area under the ROC curve"), Metric("Errors", "66")])
    model_card(ModelCardInfo(model="LR", data="Pima", intended_use="teaching", limitations=("small",)))


def test_header_pipeline_metrics_and_model_card_render():
    at = AppTest.from_function(_cards).run()
    assert not at.exception
    assert at.title[0].value == "Disease-risk prediction"
    assert [m.label for m in at.metric] == ["AUC", "Errors"]
    assert at.expander[0].label.endswith("Model card")
    assert not at.info  # talking points only in presenter mode


def test_theme_palette_is_okabe_ito_and_template_registered():
    import plotly.graph_objects as go
    import plotly.io as pio

    from ui.theme import PALETTE, TEMPLATE_NAME, style_figure

    assert TEMPLATE_NAME in pio.templates
    assert PALETTE[:3] == ["#0072B2", "#E69F00", "#009E73"]
    fig = style_figure(go.Figure(), presenter=True)
    assert fig.layout.font.size == 18
    assert list(go.Figure().layout.template.layout.colorway) == PALETTE  # every new figure starts from ours
