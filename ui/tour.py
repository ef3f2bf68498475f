"""Guided tour (kiosk mode): an auto-advancing walk through the four demos for a stand.

Each step opens a page with a scenario (URL parameters the page's widgets are bound to) and a
caption a presenter can read aloud. The tour pauses when someone touches a control (any full
rerun the tour did not cause itself) and resumes after an idle time. "Reset for the next
visitor" clears everything that visitor did.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import streamlit as st

from ui.demos import DEMOS, HOME_PATH, demo_by_key

__all__ = ["TourStep", "TOUR", "tour_controls", "start_tour", "begin_tour", "reset_for_next_visitor"]

ACTIVE, STEP, STARTED, PAUSED_UNTIL, EXPECT_RUN = "tour_active", "tour_step_index", "tour_step_started", \
    "tour_paused_until", "tour_expect_run"
IDLE_KEY, PACE_KEY = "tour_idle_seconds", "tour_pace"
_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class TourStep:
    page: str
    caption: str
    seconds: int = 15
    query: dict[str, str] = field(default_factory=dict)


TOUR: tuple[TourStep, ...] = (
    TourStep(HOME_PATH, "Machine learning engineers build systems that learn from data instead of following "
             "fixed rules. Here are four of them, live on this laptop.", 10),
    TourStep(demo_by_key("recs").path, "Streaming: a model trained on 100,004 real film ratings. A sci-fi "
             "fan rated seven films; the picks appear at once, each with its reason.", 20,
             {"recs_preset": "sci-fi fan"}),
    TourStep(demo_by_key("people").path, "Professional networks: the model reads who knows whom and "
             "suggests missing connections for David, with mutual friends as the reason.", 20,
             {"people_person": "David Costa (#17)"}),
    TourStep(demo_by_key("risk").path, "Hospitals: a 50-year-old with high glucose and BMI. Seven clinical "
             "measurements give a calibrated risk of diabetes, and the model shows what pushes it up.", 20,
             {"risk_glu": "180", "risk_bmi": "38", "risk_age": "50", "risk_ped": "0.8"}),
    TourStep(demo_by_key("fraud").path, "Banks: card payments stream in and each is scored as it arrives; "
             "press Play and suspicious ones raise an alert with their reasons.", 20,
             {"fraud_threshold": "0.6"}),
)
assert {s.page for s in TOUR} >= {d.path for d in DEMOS}


def _now() -> float:
    return time.time()


def start_tour() -> None:
    st.session_state[ACTIVE] = True
    st.session_state[STEP] = 0
    st.session_state[STARTED] = _now()
    st.session_state[PAUSED_UNTIL] = None
    st.session_state[EXPECT_RUN] = True


def begin_tour() -> None:
    """Start the tour from its first step (for a button in a page's script, not a callback)."""
    start_tour()
    st.switch_page(TOUR[0].page, query_params=TOUR[0].query)


def _stop() -> None:
    st.session_state[ACTIVE] = False
    st.session_state[EXPECT_RUN] = True


def _pause_now() -> None:
    st.session_state[PAUSED_UNTIL] = _now() + float(st.session_state.get(IDLE_KEY, 30))


def _toggle_pause() -> None:
    if st.session_state.get(PAUSED_UNTIL):
        st.session_state[PAUSED_UNTIL] = None
        st.session_state[STARTED] = _now()
    else:
        _pause_now()
    st.session_state[EXPECT_RUN] = True


def _go_to(index: int) -> None:
    step = TOUR[index % len(TOUR)]
    st.session_state[STEP] = index % len(TOUR)
    st.session_state[STARTED] = _now()
    st.session_state[PAUSED_UNTIL] = None
    st.session_state[EXPECT_RUN] = True
    st.switch_page(step.page, query_params=step.query)


def reset_for_next_visitor() -> None:
    """Forget everything this visitor did; keep only the presenter's own settings."""
    keep = {k: st.session_state[k] for k in ("presenter", "audience", IDLE_KEY, PACE_KEY, ACTIVE)
            if k in st.session_state}
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state.update(keep)
    if keep.get(ACTIVE):
        start_tour()
    st.session_state["tour_go_home"] = True
    st.query_params.clear()


def _pace() -> float:
    return {"Slow": 1.5, "Normal": 1.0, "Fast": 0.6}.get(st.session_state.get(PACE_KEY, "Normal"), 1.0)


@st.fragment(run_every=1.0)
def _clock() -> None:
    if not st.session_state.get(ACTIVE):
        return
    index = st.session_state.get(STEP, 0)
    step = TOUR[index]
    now = _now()
    paused_until = st.session_state.get(PAUSED_UNTIL)
    if paused_until and now < paused_until:
        st.caption(f"Paused while you explore: the tour goes on after {paused_until - now:.0f} s without a touch.")
        return
    if paused_until:
        st.session_state[PAUSED_UNTIL] = None
        st.session_state[STARTED] = now
    duration = step.seconds * _pace()
    elapsed = now - st.session_state.get(STARTED, now)
    st.progress(min(elapsed / duration, 1.0), text=f"Next step in {max(duration - elapsed, 0):.0f} s")
    if elapsed >= duration:
        _go_to(index + 1)


def _banner() -> None:
    index = st.session_state.get(STEP, 0)
    with st.container(border=True):
        st.markdown(f"**Guided tour · step {index + 1} of {len(TOUR)}**  \n{TOUR[index].caption}")
        _clock()
        pause, nxt, stop = st.columns(3)
        paused = bool(st.session_state.get(PAUSED_UNTIL))
        pause.button("Resume" if paused else "Pause", key="tour_pause_button", on_click=_toggle_pause,
                     icon=":material/play_arrow:" if paused else ":material/pause:", width="stretch")
        if nxt.button("Next step", key="tour_next_button", icon=":material/skip_next:", width="stretch"):
            _go_to(index + 1)
        stop.button("End tour", key="tour_stop_button", on_click=_stop, icon=":material/stop:", width="stretch")


def tour_controls() -> None:
    """Sidebar controls and, while touring, the caption banner; call once per full run from app.py."""
    if st.session_state.pop("tour_go_home", False):
        st.switch_page(HOME_PATH)
    st.session_state.setdefault(IDLE_KEY, 30)
    st.session_state.setdefault(PACE_KEY, "Normal")
    if "tour_seen_url" not in st.session_state:
        st.session_state["tour_seen_url"] = True
        if st.query_params.get("tour", "0").lower() in _TRUE:
            try:
                st.session_state[IDLE_KEY] = min(max(int(st.query_params.get("tour_idle", 30)), 5), 600)
            except ValueError:
                st.session_state[IDLE_KEY] = 30
            if st.query_params.get("tour_pace") in {"Slow", "Normal", "Fast"}:
                st.session_state[PACE_KEY] = st.query_params.get("tour_pace")
            start_tour()
    if st.session_state.get(ACTIVE) and not st.session_state.pop(EXPECT_RUN, False):
        _pause_now()  # a visitor touched a control: let them explore
    with st.sidebar:
        touring = st.session_state.get(ACTIVE)
        if not touring and st.button("Start guided tour", key="tour_start_button", icon=":material/tour:",
                                     width="stretch"):
            begin_tour()
        with st.expander("Tour settings"):
            st.number_input("Resume after (s idle)", min_value=5, max_value=600, step=5, key=IDLE_KEY)
            st.segmented_control("Pace", ["Slow", "Normal", "Fast"], key=PACE_KEY)
        st.button("Reset for the next visitor", key="tour_reset_button", on_click=reset_for_next_visitor,
                  icon=":material/restart_alt:", width="stretch")
    if st.session_state.get(ACTIVE):
        _banner()
