"""Career-fair features shared by every page: guided tour, scenario links, phone QR code."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from harness.server import open_app
from tests.conftest import assert_no_exception
from ui.tour import TOUR


def test_tour_from_url_shows_first_step_caption():
    at = open_app(query={"tour": "1"})
    assert_no_exception(at)
    assert at.session_state["tour_active"] is True
    text = " ".join(m.value for m in at.markdown)
    assert f"step 1 of {len(TOUR)}" in text
    assert TOUR[0].caption in text


def test_touching_a_control_pauses_the_tour_for_the_idle_time():
    at = open_app(query={"tour": "1", "tour_idle": "45"})
    assert at.session_state["tour_paused_until"] is None
    at.toggle(key="presenter").set_value(True).run()
    paused_until = at.session_state["tour_paused_until"]
    assert paused_until is not None
    assert at.session_state["tour_idle_seconds"] == 45
    assert any("Paused while you explore" in bar.text for bar in at.progress)


def test_tour_buttons_do_not_count_as_a_touch():
    at = open_app(query={"tour": "1"})
    at.button(key="tour_pause_button").click().run()
    assert at.session_state["tour_paused_until"] is not None
    at.button(key="tour_pause_button").click().run()  # resume
    assert at.session_state["tour_paused_until"] is None
    at.button(key="tour_stop_button").click().run()
    assert at.session_state["tour_active"] is False


def test_the_presenter_s_pause_holds_until_resume(monkeypatch):
    """A visitor's touch pauses for the idle time; the Pause button holds the step (a slow room, a question)."""
    import ui.tour as tour

    at = open_app(query={"tour": "1", "tour_idle": "30"})
    at.button(key="tour_pause_button").click().run()
    later = tour.time.time() + 3600
    monkeypatch.setattr(tour, "_now", lambda: later)  # an hour without a touch
    at.run()
    assert at.session_state["tour_step_index"] == 0
    assert any("until you press Resume" in bar.text for bar in at.progress)
    at.toggle(key="presenter").set_value(True).run()  # a visitor's touch does not shorten the hold
    assert at.session_state["tour_paused_until"] == tour.HELD
    at.button(key="tour_pause_button").click().run()
    assert at.session_state["tour_paused_until"] is None


def test_next_step_opens_the_next_demo():
    at = open_app(query={"tour": "1"})
    at.button(key="tour_next_button").click().run()
    assert_no_exception(at)
    assert at.session_state["tour_step_index"] == 1
    assert f"step 2 of {len(TOUR)}" in " ".join(m.value for m in at.markdown)


def test_every_tour_step_opens_its_scenario():
    """Walk the whole tour: each step's scenario values reach the page's widgets, none is refused."""
    expected = {
        1: {"recs_preset": "sci-fi fan"},
        2: {"people_person": 17},
        3: {"risk_glu": 180, "risk_bmi": 38.0, "risk_age": 50},
        4: {"fraud_threshold": 0.6},
    }
    at = open_app(query={"tour": "1"})
    for index in range(1, len(TOUR)):
        at.button(key="tour_next_button").click().run()
        assert_no_exception(at)
        assert at.session_state["tour_step_index"] == index
        for key, value in expected[index].items():
            assert at.session_state[key] == value, (index, key)
        assert not any("can't use" in w.value for w in at.warning), [w.value for w in at.warning]


def test_reset_for_next_visitor_forgets_their_state_but_keeps_presenter():
    at = open_app(query={"presenter": "1"})
    at.session_state["recs_my_ratings"] = {1: 5.0}
    at.button(key="tour_reset_button").click().run()
    assert_no_exception(at)
    assert "recs_my_ratings" not in at.session_state
    assert at.session_state["presenter"] is True


def _bound_widgets():
    import streamlit as st

    from ui.scenario import report_ignored_links, watch_links

    asked = watch_links()
    slot = st.empty()
    st.slider("Factors", 0, 10, 5, key="demo_factors", bind="query-params")
    st.selectbox("Algorithm", ["svd", "knn"], key="demo_algo", bind="query-params")
    report_ignored_links(asked, slot)


def _run_with(query: dict[str, str]) -> AppTest:
    at = AppTest.from_function(_bound_widgets)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def test_scenario_link_restores_bound_values():
    at = _run_with({"demo_factors": "7", "demo_algo": "knn"})
    assert not at.exception and not at.warning
    assert at.slider(key="demo_factors").value == 7
    assert at.selectbox(key="demo_algo").value == "knn"


def test_invalid_link_values_fall_back_with_a_notice():
    at = _run_with({"demo_factors": "99", "demo_algo": "nope"})
    assert not at.exception
    assert at.slider(key="demo_factors").value == 5
    assert at.selectbox(key="demo_algo").value == "svd"
    notice = at.warning[0].value.replace("\\", "")  # values are Markdown-escaped: read them unescaped
    assert "demo_factors=99" in notice and "demo_algo=nope" in notice


def test_a_default_value_in_the_link_is_not_reported():
    assert not _run_with({"demo_factors": "5"}).warning


def test_phone_qr_encodes_an_override_address():
    from ui.share import qr_png

    png = qr_png("http://192.168.1.20:8501/")
    assert png.startswith(b"\x89PNG")
    at = open_app(session={"phone_url": "http://192.168.1.20:8501/"})
    assert any("192.168.1.20" in m.value for m in at.markdown)
    assert at.image  # the QR code


def test_phone_qr_refuses_an_address_phones_cannot_open():
    at = open_app()
    at.text_input(key="phone_url").set_value("javascript:alert(1)").run()
    assert any("not a web address" in e.value for e in at.error)
    assert not any("javascript:" in m.value for m in at.markdown)
