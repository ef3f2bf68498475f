"""Presenter mode and the beginner / engineer switch, shared by every page.

Both controls live in the sidebar, rendered by `app.py` on every run so their state
survives page switches. `?presenter=1` in the URL turns presenter mode on.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager

import streamlit as st

__all__ = [
    "sidebar_controls",
    "is_presenter",
    "is_engineer",
    "talking_points",
    "technical",
]

PRESENTER_KEY = "presenter"
AUDIENCE_KEY = "audience"
BEGINNER, ENGINEER = "Beginner", "Engineer"
_TRUE = {"1", "true", "yes", "on"}

# Static CSS (no user or data text ever goes in here): bigger type for a room.
_PRESENTER_CSS = """
<style>
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li { font-size: 1.25rem; }
[data-testid="stMain"] [data-testid="stMetricValue"] { font-size: clamp(1.3rem, 17cqi, 2.6rem); }
[data-testid="stMain"] h1 { font-size: 2.9rem !important; }
</style>
"""


def _on_presenter_change() -> None:
    presenter = st.session_state[PRESENTER_KEY]
    # Presenter mode implies the beginner view, until someone switches it back.
    st.session_state[AUDIENCE_KEY] = BEGINNER if presenter else ENGINEER
    if presenter:
        st.query_params["presenter"] = "1"
    else:
        st.query_params.pop("presenter", None)


def sidebar_controls() -> None:
    """Render the presenter toggle and the audience switch (call once per run, from app.py)."""
    if PRESENTER_KEY not in st.session_state:
        st.session_state[PRESENTER_KEY] = st.query_params.get("presenter", "0").lower() in _TRUE
    if AUDIENCE_KEY not in st.session_state:
        st.session_state[AUDIENCE_KEY] = BEGINNER if st.session_state[PRESENTER_KEY] else ENGINEER
    with st.sidebar:
        st.toggle(
            "Presenter mode",
            key=PRESENTER_KEY,
            on_change=_on_presenter_change,
            help="Large type and talking points for a laptop facing a crowd.",
        )
        st.segmented_control(
            "Explain it for",
            options=[BEGINNER, ENGINEER],
            key=AUDIENCE_KEY,
            help="Beginners see the story and the result; engineers also see parameters, metrics, formulas and code.",
        )
    if is_presenter():
        st.html(_PRESENTER_CSS)


def is_presenter() -> bool:
    return bool(st.session_state.get(PRESENTER_KEY, False))


def is_engineer() -> bool:
    """True when the visitor asked for the engineer's level of detail (the default)."""
    return st.session_state.get(AUDIENCE_KEY, ENGINEER) != BEGINNER


def talking_points(points: Sequence[str]) -> None:
    """Short lines a presenter can read aloud; in presenter mode only, and in the sidebar, where the
    crowd does not look first (the page's first screen stays the demo)."""
    if is_presenter() and points:
        st.sidebar.info("**Talking points**\n\n" + "\n".join(f"- {p}" for p in points), icon=":material/campaign:")


def technical(label: str) -> AbstractContextManager:
    """A container for technical detail, folded into an expander in presenter mode."""
    if is_presenter():
        return st.expander(label, expanded=False)
    return st.container()
