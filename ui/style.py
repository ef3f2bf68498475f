"""Static page CSS shared by every page (no user or data text ever goes in here)."""

from __future__ import annotations

import streamlit as st

__all__ = ["apply_base_style", "PHONE_HIDDEN_KEY"]

PHONE_HIDDEN_KEY = "hide_on_phone"  # st.container(key=...) prefix for things phones don't need

_BASE_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
.st-key-home_lead p { font-size: 1.3rem; line-height: 1.5; }
/* KaTeX measures formulas a pixel or two wider than their box, which makes each one a keyboard-unreachable
   scroll region (axe: scrollable-region-focusable). Wide screens fit every formula; phones may scroll. */
@media (min-width: 641px) { [data-testid="stMarkdownContainer"] .katex-display { overflow: visible !important; } }
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-top: 3.5rem; padding-left: 1rem; padding-right: 1rem; }
  [data-testid="stMain"] h1 { font-size: 2rem !important; }
  [data-testid="stMain"] h4 { font-size: 1.1rem !important; }
  .st-key-home_lead p { font-size: 1.1rem; }
  .st-key-pipeline_strip [data-testid="stCaptionContainer"] { display: none; }
  .st-key-pipeline_strip [data-testid="stHorizontalBlock"] { gap: 0.1rem; }
  [class*="st-key-hide_on_phone"] { display: none !important; }
}
</style>
"""


def apply_base_style() -> None:
    st.html(_BASE_CSS)
