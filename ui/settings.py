"""A demo's settings as one spec (widget key -> default): widgets drawn from it, bound to the URL, and one reset.

Every demo keeps its defaults in one mapping; `bound` draws a widget whose default comes from that mapping and
whose value lives in the address bar (a bookmark or QR code reproduces the settings), and `reset_button` puts
every key back. One implementation for every page, instead of a `reset_settings` per page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

__all__ = ["bound", "restore", "reset_button"]


def bound(widget: Callable[..., Any], label: str, key: str, defaults: Mapping[str, Any], *args: Any, **kwargs: Any):
    """`widget(label, ...)` keyed `key`, starting at `defaults[key]`, its value kept in the URL."""
    return widget(label, *args, value=defaults[key], key=key, bind="query-params", **kwargs)


def restore(defaults: Mapping[str, Any]) -> None:
    """Put every widget of the spec back to its default (a button callback: runs before the widgets draw)."""
    for key, value in defaults.items():
        st.session_state[key] = value


def reset_button(defaults: Mapping[str, Any], *, key: str, where: Any = None) -> None:
    """The sidebar's "Reset to defaults" for one demo's spec."""
    (where or st.sidebar).button(
        "Reset to defaults", key=key, on_click=restore, args=(dict(defaults),), icon=":material/restart_alt:"
    )
