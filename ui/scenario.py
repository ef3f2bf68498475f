"""Shareable scenarios: bookmarkable URLs, and a short notice when a link carries a bad value.

Demo pages bind their main widgets to the URL (`bind="query-params"`); Streamlit drops a value
it cannot use. `watch_links` remembers what the URL asked for at the start of a run and
`report_ignored_links` names anything that was dropped, so a visitor knows the default was used.
"""

from __future__ import annotations

import streamlit as st

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


def report_ignored_links(asked: dict[str, str], where: st.delta_generator.DeltaGenerator) -> None:
    """Name URL values the page could not use (they fell back to defaults)."""
    ignored = []
    for key, text in asked.items():
        if key in st.query_params and st.query_params.get(key) == text:
            continue  # still in the URL: accepted
        value = st.session_state.get(key, None)
        if key in st.session_state and _matches(value, text):
            continue  # accepted and equal to the default, so Streamlit tidied it away
        ignored.append(f"{key}={text}"[:60].replace("`", ""))
    if ignored:
        where.warning(
            "This link asked for " + ", ".join(f"`{item}`" for item in ignored[:5])
            + ", which this page can't use; the default is shown instead.",
            icon=":material/link_off:",
        )
