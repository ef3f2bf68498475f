"""Shareable scenarios: bookmarkable URLs, and a short notice when a link carries a bad value.

Demo pages bind their main widgets to the URL (`bind="query-params"`); Streamlit drops a value
it cannot use. `watch_links` remembers what the URL asked for at the start of a run and
`report_ignored_links` names anything that was dropped, so a visitor knows the default was used.
"""

from __future__ import annotations

import streamlit as st

from ui.plain import plain_text

__all__ = ["watch_links", "report_ignored_links"]

_UNBOUND = {"presenter", "tour", "tour_idle", "tour_pace", "embed", "embed_options", "phone_url"}


def watch_links() -> dict[str, str]:
    """What the URL asks for, before any widget has read it."""
    return {k: st.query_params.get(k, "") for k in st.query_params if k not in _UNBOUND}


def _matches(value: object, text: str) -> bool:
    if isinstance(value, bool):
        return text.lower() in {"true", "1"} if value else text.lower() in {"false", "0"}
    if isinstance(value, (int, float)):
        try:
            return float(text) == float(value)
        except ValueError:
            return False
    if isinstance(value, (list, tuple)):
        return ",".join(map(str, value)) == text
    return str(value) == text


_HANDLED = "_scenario_links_handled"
"""Session key: the link keys a page has already reported in this run, so the app's own (final) report,
which runs after the page for the controls every page shares, does not name them a second time."""


def report_ignored_links(
    asked: dict[str, str], where: st.delta_generator.DeltaGenerator, *, final: bool = False
) -> None:
    """Name URL values the page could not use (they fell back to defaults).

    Pages call it for their own widgets; app.py calls it once more with `final=True` after the page has
    run, for whatever no page reported.
    """
    handled = set(st.session_state.pop(_HANDLED, ())) if final else set()
    if not final:
        st.session_state[_HANDLED] = set(st.session_state.get(_HANDLED, ())) | set(asked)
    ignored = []
    for key, text in asked.items():
        if key in handled:
            continue  # the page has named it already
        if key in st.query_params and st.query_params.get(key) == text:
            continue  # still in the URL: accepted
        value = st.session_state.get(key, None)
        if key in st.session_state and _matches(value, text):
            continue  # accepted and equal to the default, so Streamlit tidied it away
        ignored.append(plain_text(f"{key}={text}", 60))  # the link's text, never Markdown of its own
    if ignored:
        more = f" and {len(ignored) - 5} more" if len(ignored) > 5 else ""
        where.warning(
            "This link asked for "
            + ", ".join(f"“{item}”" for item in ignored[:5])
            + more
            + ", which this page can't use; the default is shown instead.",
            icon=":material/link_off:",
        )
