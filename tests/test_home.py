"""AppTest of the entry script and home page."""

from harness.server import open_app
from tests.conftest import assert_no_exception
from ui.demos import DEMOS


def test_home_renders_story_and_a_card_per_demo():
    at = open_app()
    assert_no_exception(at)
    assert at.title[0].value == "What does a Machine Learning Engineer build?"
    text = " ".join(m.value for m in at.markdown)
    for demo in DEMOS:
        assert demo.title in text
        assert demo.industry in " ".join(c.value for c in at.caption)


def test_presenter_query_parameter_turns_on_talking_points_and_beginner_view():
    at = open_app(query={"presenter": "1"})
    assert_no_exception(at)
    assert at.session_state["presenter"] is True
    assert at.session_state["audience"] == "Beginner"
    assert any("Talking points" in i.value for i in at.info)


def test_presenter_toggle_off_returns_engineer_view():
    at = open_app(query={"presenter": "1"})
    at.toggle(key="presenter").set_value(False).run()
    assert at.session_state["audience"] == "Engineer"
    assert not any("Talking points" in i.value for i in at.info)


def test_every_demo_page_renders_its_header():
    at = open_app()
    for demo in DEMOS:
        at.switch_page(demo.path).run()
        assert_no_exception(at)
        assert at.title[0].value == demo.title
