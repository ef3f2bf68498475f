"""One plotly look for every chart, with a colour-blind-safe palette (Okabe and Ito, 2008)."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio
import streamlit  # noqa: F401  (Streamlit makes its own template the default when imported; ours must come after)

__all__ = ["PALETTE", "POSITIVE", "NEGATIVE", "NEUTRAL", "TEMPLATE_NAME", "style_figure"]

# Okabe-Ito: distinguishable under the common forms of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
POSITIVE = "#0072B2"  # pushes up / good
NEGATIVE = "#D55E00"  # pushes down / alert
NEUTRAL = "#8C96A3"

TEMPLATE_NAME = "showcase"

# Layout only: plotly_white's per-trace defaults make every figure's template validation ~3x slower.
_template = go.layout.Template(layout=pio.templates["plotly_white"].layout)
_template.layout.update(
    colorway=PALETTE,
    font=dict(family="Source Sans Pro, Arial, sans-serif", size=14, color="#1B1F24"),
    title=dict(font=dict(size=17), x=0, xanchor="left"),
    margin=dict(l=10, r=10, t=50, b=10),
    legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
    hoverlabel=dict(font_size=14),
)
pio.templates[TEMPLATE_NAME] = _template
# The default, so every new figure starts from it: assigning a template to a built figure copies and validates
# it again (about 4 ms a figure, a good share of a page's rerun).
pio.templates.default = TEMPLATE_NAME


def style_figure(fig: go.Figure, *, height: int = 380, presenter: bool = False) -> go.Figure:
    """Size a figure built on the shared template; presenter mode enlarges every font for a room."""
    fig.update_layout(height=height + (60 if presenter else 0))
    if presenter:
        fig.update_layout(font=dict(size=18), title=dict(font=dict(size=22)))
    return fig
