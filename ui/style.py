"""Static page CSS shared by every page (no user or data text ever goes in here)."""

from __future__ import annotations

import streamlit as st

__all__ = ["apply_base_style", "PHONE_HIDDEN_KEY"]

PHONE_HIDDEN_KEY = "hide_on_phone"  # st.container(key=...) prefix for things phones don't need

_BASE_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
.st-key-home_lead p { font-size: 1.3rem; line-height: 1.5; }
/* Metric values shrink with their card (container query units) and wrap rather than end in "…". */
[data-testid="stMetric"] { container-type: inline-size; }
[data-testid="stMetricValue"] { font-size: clamp(1.2rem, 15cqi, 2.25rem); }
[data-testid="stMetricValue"] * { white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; line-height: 1.15; }
[data-testid="stMetricLabel"] * { white-space: normal !important; text-overflow: clip !important;
  word-break: normal !important; overflow-wrap: normal !important; }
/* The first screen of a demo: tighter type so the interaction and its result fit a laptop screen. */
[class*="_hero"] h4 { padding-top: 0.25rem; }
[class*="st-key-recs_film_"] [data-testid="stMarkdownContainer"] p { margin-bottom: 0; line-height: 1.3; }
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
  /* A first screen's row of cards stays one row on a phone (values shrink with their card): the result
     sits right under the controls instead of four screen-high cards. */
  [class*="st-key-one_row_cards"] [data-testid="stHorizontalBlock"] { flex-wrap: nowrap !important; gap: 0.4rem; }
  [class*="st-key-one_row_cards"] [data-testid="stColumn"] {
    min-width: 0 !important; width: auto !important; flex: 1 1 0 !important; }
  /* A film to rate stays one row (title, then its stars) so the picks follow the ratings closely. */
  [class*="st-key-recs_film_"] [data-testid="stHorizontalBlock"] { flex-wrap: nowrap !important; gap: 0.5rem; }
  [class*="st-key-recs_film_"] [data-testid="stColumn"] { min-width: 0 !important; width: auto !important; }
  [class*="st-key-recs_film_"] [data-testid="stMarkdownContainer"] p { font-size: 0.9rem; }
}
</style>
"""


def apply_base_style() -> None:
    st.html(_BASE_CSS)
