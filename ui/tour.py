"""Guided tour (kiosk mode): an auto-advancing walk through the four demos for a stand.

Each step opens a page on a scenario (the values its widgets take), performs the step's action
(the fraud step plays the stream), scrolls its telling example onto the first screen, and shows a
caption a presenter can read aloud. The tour pauses when a visitor touches anything, inside
fragments too, and resumes after an idle time. "Reset for the next visitor" forgets everything
that visitor did and returns home, whatever state the page was in.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ui.demos import DEMOS, HOME_PATH, demo_by_key

__all__ = [
    "TourStep",
    "TOUR",
    "tour_controls",
    "start_tour",
    "begin_tour",
    "reset_for_next_visitor",
    "visitor_fingerprint",
    "fingerprint_of",
    "counted",
    "take_baseline",
]

ACTIVE, STEP, STARTED, PAUSED_UNTIL, PAUSED_AT, EXPECT_RUN = (
    "tour_active",
    "tour_step_index",
    "tour_step_started",
    "tour_paused_until",
    "tour_paused_at",
    "tour_expect_run",
)
IDLE_KEY, PACE_KEY = "tour_idle_seconds", "tour_pace"
FINGERPRINT, FOCUS_SENT, GO_HOME, ENTERED = "tour_fingerprint", "tour_focus_sent", "tour_go_home", "tour_step_entered"
VISIT = "tour_visit"  # counts step entries: each entry scrolls to its example once
_TRUE = {"1", "true", "yes", "on"}
# What a reset keeps: the presenter's own settings, never anything a visitor did.
PRESENTER_KEYS = ("presenter", "audience", IDLE_KEY, PACE_KEY, "phone_url", "tour_seen_url")
# URL parameters that belong to the presenter (no widget is bound to them); a reset or a tour step keeps them.
PRESENTER_PARAMS = ("presenter", "tour", "tour_pace", "tour_idle")
# Session values that change by themselves (a playing stream, the weeks after launch playing), so a change there
# is no visitor's touch; the buttons that steer them count their clicks instead (`counted`).
AUTOMATIC_KEYS = frozenset({"fraud_stream", "fraud_after_state"})
TOUCHES = "visitor_touches"


@dataclass(frozen=True)
class TourStep:
    """One stop: the page, what to read aloud, how long, and the scenario.

    `state` holds the typed values the page's widgets take (set through session state, which wins over
    whatever a visitor left there); `focus` is the text of the heading or metric label of the step's
    telling example, scrolled to the top of the first screen.
    """

    page: str
    caption: str
    seconds: int = 15
    state: Mapping[str, Any] = field(default_factory=dict)
    focus: str = ""


TOUR: tuple[TourStep, ...] = (
    TourStep(
        HOME_PATH,
        "Machine learning engineers build systems that learn from data instead of following "
        "fixed rules. Here are four of them, live on this laptop.",
        10,
    ),
    TourStep(
        demo_by_key("recs").path,
        "Streaming: a model trained on 100,004 real film ratings. A sci-fi "
        "fan rated seven films; the picks appear at once, each with its reason.",
        20,
        {"recs_preset": "sci-fi fan"},
        focus="Your top 10",
    ),
    TourStep(
        demo_by_key("people").path,
        "Professional networks: the model reads who knows whom and "
        "suggests missing connections for David, with mutual friends as the reason.",
        20,
        {"people_graph": "synthetic", "people_person": 17},
        focus="Pick a person",
    ),
    TourStep(
        demo_by_key("risk").path,
        "Hospitals: a 50-year-old with high glucose and BMI. Seven clinical "
        "measurements give a calibrated risk of diabetes, and the model shows what pushes it up.",
        20,
        {
            "risk_data": "Pima diabetes",
            "risk_glu": 180,
            "risk_bmi": 38.0,
            "risk_age": 50,
            "risk_ped": 0.8,
            "risk_learn": True,
        },
        focus="Risk of diabetes",
    ),
    TourStep(
        demo_by_key("fraud").path,
        "Banks: card payments stream in and each is scored as it arrives; "
        "suspicious ones raise an alert with their reasons.",
        20,
        {"fraud_threshold": 0.6, "fraud_playing": True, "fraud_speed": "20 per second"},
        focus="The live stream",
    ),
)
assert {s.page for s in TOUR} >= {d.path for d in DEMOS}


def _now() -> float:
    return time.time()


def _presenter_params() -> dict[str, str]:
    """The presenter's URL parameters, kept across tour steps and resets (a reload resumes the same mode)."""
    kept = {k: st.query_params[k] for k in PRESENTER_PARAMS if k in st.query_params}
    if st.session_state.get("presenter"):
        kept["presenter"] = "1"
    return kept


def _switch(page: str) -> None:
    """Open `page` with only the presenter's URL parameters.

    `st.switch_page(page)` without parameters calls `st.query_params.clear()`, which raises while any
    parameter is bound to a widget; replacing them with an explicit mapping never does.
    """
    st.switch_page(page, query_params=_presenter_params())


def start_tour() -> None:
    st.session_state[ACTIVE] = True
    st.session_state[STEP] = 0
    st.session_state[STARTED] = _now()
    st.session_state[PAUSED_UNTIL] = None
    st.session_state[EXPECT_RUN] = True
    st.session_state[ENTERED] = True
    st.session_state[VISIT] = st.session_state.get(VISIT, 0) + 1


def begin_tour() -> None:
    """Start the tour from its first step (for a button in a page's script, not a callback)."""
    start_tour()
    _switch(TOUR[0].page)


def _stop() -> None:
    st.session_state[ACTIVE] = False
    st.session_state[EXPECT_RUN] = True


HELD = float("inf")
"""`PAUSED_UNTIL` when the presenter pressed Pause: held until Resume, however long the room takes."""


def _pause_now() -> None:
    """A visitor's touch: pause for the idle time (never shortening a presenter's hold)."""
    until = _now() + float(st.session_state.get(IDLE_KEY, 30))
    st.session_state[PAUSED_UNTIL] = max(until, st.session_state.get(PAUSED_UNTIL) or 0.0)


def _hold() -> None:
    """The presenter's Pause: hold the step until Resume (whatever pause the clock has set meanwhile)."""
    st.session_state[PAUSED_UNTIL] = HELD
    st.session_state[EXPECT_RUN] = True


def _resume() -> None:
    st.session_state[PAUSED_UNTIL] = None
    st.session_state[STARTED] = _now()
    st.session_state[EXPECT_RUN] = True


def _go_to(index: int) -> None:
    """Open step `index`: its scenario's values go straight into session state (they win over a visitor's)."""
    step = TOUR[index % len(TOUR)]
    st.session_state[STEP] = index % len(TOUR)
    st.session_state[STARTED] = _now()
    st.session_state[PAUSED_UNTIL] = None
    st.session_state[EXPECT_RUN] = True
    st.session_state[ENTERED] = True
    st.session_state[VISIT] = st.session_state.get(VISIT, 0) + 1
    for key, value in step.state.items():
        st.session_state[key] = value
    _switch(step.page)


def reset_for_next_visitor() -> None:
    """Forget everything this visitor did (values, uploads, a joined network, a playing stream) and go home.

    A callback: it runs before any widget of the page exists, so every key may be deleted. The
    presenter's own settings stay; a running tour starts again from its first step.
    """
    touring = bool(st.session_state.get(ACTIVE))
    keep = {k: st.session_state[k] for k in PRESENTER_KEYS if k in st.session_state}
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state.update(keep)
    if touring:
        start_tour()
    st.session_state[GO_HOME] = True


def _pace() -> float:
    return {"Slow": 1.5, "Normal": 1.0, "Fast": 0.6}.get(st.session_state.get(PACE_KEY, "Normal"), 1.0)


def _digest(value: object) -> object:
    """A comparable summary of one session value. Its repr, not its identity: Streamlit may hand out a
    new object for the same widget value (an uploaded file) on every read."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    try:
        return repr(value)[:4000]
    except Exception:  # noqa: BLE001 - an odd repr must never break the clock
        return type(value).__name__


def counted(callback: Callable[..., object] | None = None) -> Callable[..., object]:
    """A button's `on_click` that also counts the click, so the tour pauses even when the click changes no
    other value (adding a rating with no film picked, pausing what is already paused) or changes only values
    that also change by themselves (stepping the stream)."""

    def on_click(*args: object, **kwargs: object) -> object:
        st.session_state[TOUCHES] = st.session_state.get(TOUCHES, 0) + 1
        return callback(*args, **kwargs) if callback is not None else None

    if callback is not None:
        on_click = functools.wraps(callback)(on_click)

    return on_click


def fingerprint_of(values: Mapping[str, object]) -> int:
    """Everything a visitor can change in `values` (session state), summarised.

    Left out: the tour's own keys, values that change by themselves, and the app's private bookkeeping
    (keys starting with "_", such as which link values a page has reported), which no visitor sets.
    """
    parts = []
    for key in sorted(map(str, values.keys())):
        if key.startswith(("tour_", "_")) or key in AUTOMATIC_KEYS:
            continue
        parts.append((key, _digest(values[key])))
    return hash(tuple(parts))


def visitor_fingerprint() -> int:
    """The current session's fingerprint: a change between two clock ticks is a touch."""
    return fingerprint_of(st.session_state.to_dict())


def _in_fragment_run() -> bool:
    ctx = get_script_run_ctx()
    return bool(ctx is not None and ctx.fragment_ids_this_run)


@st.fragment(run_every=1.0)
def _clock() -> None:
    if not st.session_state.get(ACTIVE):
        return
    now = _now()
    if _in_fragment_run():  # a visitor's click inside a fragment reruns only that fragment: compare values
        seen, before = visitor_fingerprint(), st.session_state.get(FINGERPRINT)
        st.session_state[FINGERPRINT] = seen
        if before is not None and seen != before:
            _pause_now()
        if st.session_state.pop(ENTERED, False):  # the step's page has just finished drawing: its time starts now
            st.session_state[STARTED] = now
    index = st.session_state.get(STEP, 0)
    step = TOUR[index]
    duration = step.seconds * _pace()
    paused_until = st.session_state.get(PAUSED_UNTIL)
    if paused_until and paused_until != HELD and now >= paused_until:  # the idle time is over: go on
        st.session_state[PAUSED_UNTIL] = None
        st.session_state[STARTED] = now  # the step's full time again, as after Resume
        paused_until = None
    # Always one bar, paused or not: the banner keeps its height, so the example scrolled just below it stays
    # in view (a shorter caption in its place moved the page up under the sticky banner).
    if paused_until:
        st.session_state.setdefault(PAUSED_AT, now)
        elapsed = st.session_state[PAUSED_AT] - st.session_state.get(STARTED, now)
        text = (
            "Paused: the tour waits here until you press Resume."
            if paused_until == HELD
            else f"Paused while you explore: the tour goes on after {paused_until - now:.0f} s without a touch."
        )
        st.progress(min(max(elapsed / duration, 0.0), 1.0), text=text)
        return
    st.session_state.pop(PAUSED_AT, None)
    elapsed = now - st.session_state.get(STARTED, now)
    st.progress(min(elapsed / duration, 1.0), text=f"Next step in {max(duration - elapsed, 0):.0f} s")
    if elapsed >= duration:
        _go_to(index + 1)


# Static CSS and script (the only data in the script is a step's `focus`, a constant of this module,
# JSON-encoded): the banner stays in view, and each step scrolls its telling example under it.
_BANNER_CSS = """
<style>
[data-testid="stLayoutWrapper"]:has(> .st-key-tour_banner) { position: sticky; top: 3rem; z-index: 990; }
.st-key-tour_banner { background-color: #ffffff; box-shadow: 0 4px 10px rgba(0, 0, 0, 0.08); border-radius: 0.5rem; }
.st-key-tour_banner [data-testid="stMarkdownContainer"] p { font-size: 1.05rem; margin-bottom: 0.2rem; }
</style>
"""
_FOCUS_SCRIPT = """
(() => {
  const target = %s, token = %s;
  window.__tourFocus = token;
  // The visitor's own scrolling or clicking in the page ends it; the presenter's clicks on the banner do not.
  const events = ["wheel", "touchstart", "keydown", "mousedown"];
  const stop = (event) => {
    if (event.target && event.target.closest && event.target.closest(".st-key-tour_banner")) return;
    window.__tourFocus = null;
    events.forEach(e => window.removeEventListener(e, stop, true));
  };
  events.forEach(e => window.addEventListener(e, stop, true));
  const started = Date.now();
  const find = () => {
    if (!target) return document.querySelector('[data-testid="stMain"] h1');
    const nodes = document.querySelectorAll('[data-testid="stMain"] h1, [data-testid="stMain"] h2, '
      + '[data-testid="stMain"] h3, [data-testid="stMain"] h4, [data-testid="stMetricLabel"]');
    for (const node of nodes) { if (node.textContent.includes(target)) return node; }
    return null;
  };
  // Streamlit draws sliders, metrics and charts lazily, and a rerun (the presenter's Pause) redraws the page:
  // both move the example after the first scroll. Keep it just below the banner for as long as the step lasts
  // (until the visitor takes over); mark the step once it has stayed put for a second.
  let settledSince = 0;
  const scrollerOf = (node) => {
    for (let el = node.parentElement; el; el = el.parentElement) {
      const overflow = getComputedStyle(el).overflowY;
      if ((overflow === "auto" || overflow === "scroll") && el.scrollHeight > el.clientHeight) return el;
    }
    return document.scrollingElement || document.documentElement;
  };
  const tick = () => {
    if (window.__tourFocus !== token || Date.now() - started > 180000) return;
    const app = document.querySelector('[data-testid="stApp"]');
    const node = find();
    if (node && app && app.getAttribute("data-test-script-state") === "notRunning") {
      const banner = document.querySelector(".st-key-tour_banner");
      const below = (banner ? banner.getBoundingClientRect().bottom : 0) + 16;
      const top = node.getBoundingClientRect().top;
      const scroller = scrollerOf(node);
      const before = scroller.scrollTop;
      if (Math.abs(top - below) > 8) scroller.scrollBy(0, top - below);
      if (Math.abs(top - below) > 8 && scroller.scrollTop !== before) {
        settledSince = 0;  // moved: look again next tick (the page may still be drawing)
      } else if (!settledSince) {
        settledSince = Date.now();
      } else if (Date.now() - settledSince > 1000) {
        document.body.setAttribute("data-tour-focused", token);
      }
    }
    setTimeout(tick, 250);
  };
  setTimeout(tick, 250);
})();
"""


def _focus_script(step: TourStep, token: str) -> str:
    return "<script>" + _FOCUS_SCRIPT % (json.dumps(step.focus), json.dumps(token)) + "</script>"


def _banner() -> None:
    index = st.session_state.get(STEP, 0)
    st.html(_BANNER_CSS)
    with st.container(border=True, key="tour_banner"):
        st.markdown(f"**Guided tour · step {index + 1} of {len(TOUR)}**  \n{TOUR[index].caption}")
        _clock()
        pause, nxt, stop = st.columns(3)
        # The button does what its label says. A toggle read the state at click time, and the clock (a fragment)
        # may have paused the tour for a touch since the label was drawn: "Pause" then resumed it.
        paused = st.session_state.get(PAUSED_UNTIL) == HELD
        pause.button(
            "Resume" if paused else "Pause",
            key="tour_pause_button",
            on_click=_resume if paused else _hold,
            icon=":material/play_arrow:" if paused else ":material/pause:",
            width="stretch",
        )
        if nxt.button("Next step", key="tour_next_button", icon=":material/skip_next:", width="stretch"):
            _go_to(index + 1)
        stop.button("End tour", key="tour_stop_button", on_click=_stop, icon=":material/stop:", width="stretch")
    token = f"{index}-{st.session_state.get(VISIT, 0)}"
    if st.session_state.get(FOCUS_SENT) != token and not paused:
        st.session_state[FOCUS_SENT] = token  # once per step: a visitor's own scrolling is never undone
        st.html(_focus_script(TOUR[index], token), unsafe_allow_javascript=True)


def _read_tour_link() -> None:
    """`?tour=1` (with `tour_pace`, `tour_idle`) starts the tour once per session."""
    if "tour_seen_url" in st.session_state:
        return
    st.session_state["tour_seen_url"] = True
    if st.query_params.get("tour", "0").lower() not in _TRUE:
        return
    try:
        st.session_state[IDLE_KEY] = min(max(int(st.query_params.get("tour_idle", 30)), 5), 600)
    except ValueError:
        st.session_state[IDLE_KEY] = 30
    if st.query_params.get("tour_pace") in {"Slow", "Normal", "Fast"}:
        st.session_state[PACE_KEY] = st.query_params.get("tour_pace")
    start_tour()


def take_baseline() -> None:
    """After a full run has drawn the page (and set the step's values): what the visitor starts from. Without
    it the first clock tick took the baseline, and a touch in the step's first second went unnoticed."""
    if st.session_state.get(ACTIVE):
        st.session_state[FINGERPRINT] = visitor_fingerprint()


def tour_controls() -> None:
    """Sidebar controls and, while touring, the caption banner; call once per full run from app.py."""
    if st.session_state.pop(GO_HOME, False):
        _switch(HOME_PATH)
    st.session_state.setdefault(IDLE_KEY, 30)
    st.session_state.setdefault(PACE_KEY, "Normal")
    _read_tour_link()
    if st.session_state.get(ACTIVE) and not st.session_state.pop(EXPECT_RUN, False):
        _pause_now()  # a visitor touched a control: let them explore
    st.session_state[FINGERPRINT] = None  # this run may change values itself; the next tick takes a new baseline
    with st.sidebar:
        touring = st.session_state.get(ACTIVE)
        if not touring and st.button(
            "Start guided tour", key="tour_start_button", icon=":material/tour:", width="stretch"
        ):
            begin_tour()
        with st.expander("Tour settings"):
            st.number_input("Resume after (s idle)", min_value=5, max_value=600, step=5, key=IDLE_KEY)
            st.segmented_control("Pace", ["Slow", "Normal", "Fast"], key=PACE_KEY)
        st.button(
            "Reset for the next visitor",
            key="tour_reset_button",
            on_click=reset_for_next_visitor,
            icon=":material/restart_alt:",
            width="stretch",
        )
    if st.session_state.get(ACTIVE):
        _banner()
