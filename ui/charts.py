"""Plain plotly builders shared by the demos: data in, figure out, no app state."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ui.theme import NEUTRAL, PALETTE, POSITIVE, style_figure

__all__ = [
    "log_axis",
    "learning_curve_figure",
    "arena_figure",
    "slices_figure",
    "bar_contributions_figure",
    "Curves",
    "roc_figure",
    "pr_figure",
    "calibration_figure",
]

Curves = Mapping[str, tuple[Sequence[float], Sequence[float]]]  # name -> (x values, y values), in drawing order
_DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")


def log_axis(values: Sequence[float] | pd.Series, *, pad: float = 0.0) -> dict:
    """A log axis with 1-2-5 ticks labelled plainly (plotly's own log ticks overlap on small charts);
    `pad` > 0 widens it by that many decades on each side (room for point labels)."""
    numbers = np.asarray(values, dtype=float)  # vectorised: a page passes 9,000 film counts on every rerun
    positive = numbers[numbers > 0]
    if not positive.size:
        return dict(type="log")
    smallest, largest = float(positive.min()), float(positive.max())
    low, high = math.floor(math.log10(smallest)), math.ceil(math.log10(largest))
    ticks = [m * 10.0**e for e in range(low, high + 1) for m in (1, 2, 5)]
    ticks = [t for t in ticks if smallest / 2.5 <= t <= largest * 2.5]
    axis = dict(type="log", tickvals=ticks, ticktext=[f"{t:g}" for t in ticks])
    if pad > 0:
        axis["range"] = [math.log10(smallest) - pad, math.log10(largest) + pad]
    return axis


def learning_curve_figure(curve: pd.DataFrame, *, x_title: str, presenter: bool = False) -> go.Figure:
    """One line per metric (`x`, `metric`, `value`, optional `lo`/`hi` band)."""
    fig = go.Figure()
    for i, (metric, part) in enumerate(curve.groupby("metric", sort=False)):
        colour = PALETTE[i % len(PALETTE)]
        part = part.sort_values("x")
        if {"lo", "hi"} <= set(part.columns) and part["lo"].notna().any():
            fig.add_trace(
                go.Scatter(
                    x=list(part["x"]) + list(part["x"])[::-1],
                    y=list(part["hi"]) + list(part["lo"])[::-1],
                    fill="toself",
                    line=dict(width=0),
                    fillcolor=colour,
                    opacity=0.18,
                    hoverinfo="skip",
                    showlegend=False,
                    yaxis="y2" if i else "y",
                )
            )
        fig.add_trace(
            go.Scatter(
                x=part["x"],
                y=part["value"],
                mode="lines+markers",
                name=str(metric),
                line=dict(color=colour, width=3, dash="solid" if i == 0 else "dash"),
                marker=dict(symbol="circle" if i == 0 else "square", size=8),
                yaxis="y2" if i else "y",
            )
        )
    metrics = list(dict.fromkeys(curve["metric"]))
    fig.update_layout(xaxis_title=x_title, yaxis_title=metrics[0] if metrics else "")
    if len(metrics) > 1:
        fig.update_layout(
            # Its own round ticks: synced to the left axis's grid they read 0.2678, 0.2261, ...
            yaxis2=dict(
                title=metrics[1], overlaying="y", side="right", showgrid=False, tickmode="auto", tickformat=".3~g"
            )
        )
    return style_figure(fig, presenter=presenter)


def arena_figure(
    arena: pd.DataFrame, *, x: str, x_title: str, quality_title: str, presenter: bool = False
) -> go.Figure:
    """Quality against a cost column (`fit_seconds` or `predict_ms`), the default starred."""
    is_default = arena["is_default"].astype(bool)
    fig = go.Figure()
    for flag, name, symbol, colour in ((False, "other models", "circle", NEUTRAL), (True, "default", "star", POSITIVE)):
        part = arena[is_default == flag]
        fig.add_trace(
            go.Scatter(
                x=part[x],
                y=part["quality"],
                mode="markers+text",
                text=[str(m).split(" (")[0] for m in part["model"]],  # short on the chart, whole on hover
                hovertext=part["model"],
                hoverinfo="text+x+y",
                textposition="bottom center" if flag else "top center",  # default below, the rest above
                cliponaxis=False,
                name=name,
                marker=dict(symbol=symbol, size=18 if flag else 12, color=colour, line=dict(width=1, color="#1B1F24")),
            )
        )
    fig.update_layout(xaxis_title=x_title, yaxis_title=quality_title, xaxis=log_axis(arena[x], pad=0.35))
    return style_figure(fig, presenter=presenter)


def slices_figure(slices: pd.DataFrame, *, metric: str, presenter: bool = False) -> go.Figure:
    """One bar per slice for `metric`; slices with too few cases are hatched and grey."""
    thin = slices.get("too_few", pd.Series(False, index=slices.index)).astype(bool)
    fig = go.Figure(
        go.Bar(
            x=slices["slice"].astype(str),
            y=slices[metric],
            marker=dict(
                color=[NEUTRAL if t else POSITIVE for t in thin],
                pattern=dict(shape=["/" if t else "" for t in thin]),
            ),
            text=[f"{v:.2f}" if pd.notna(v) else "n/a" for v in slices[metric]],
            textposition="outside",
            customdata=slices["n"],
            hovertemplate="%{x}: %{y:.3f} (n=%{customdata})<extra></extra>",
        )
    )
    fig.update_layout(xaxis_title="Group", yaxis_title=metric, showlegend=False)
    return style_figure(fig, presenter=presenter)


def bar_contributions_figure(
    contributions: pd.Series, *, x_title: str, presenter: bool = False, height: int | None = None
) -> go.Figure:
    """Horizontal bars: what pushes a prediction up (blue, right) or down (orange, left).

    Each value is written beside its name on the axis, not on the bar: a tiny bar has no room for its label,
    and labels placed outside small bars collide with the axis and each other.
    """
    ordered = contributions.sort_values()
    fig = go.Figure(
        go.Bar(
            x=ordered.values,
            y=[f"{name}  {value:+.2f}" for name, value in ordered.items()],
            orientation="h",
            marker=dict(
                color=[POSITIVE if v > 0 else "#D55E00" for v in ordered.values],
                pattern=dict(shape=["" if v > 0 else "x" for v in ordered.values]),
            ),
            hovertemplate="%{y}<extra></extra>",
        )
    )
    fig.update_layout(xaxis_title=x_title, yaxis_title="", showlegend=False)
    return style_figure(fig, height=height or max(260, 40 * len(ordered) + 80), presenter=presenter)


def _curve_traces(fig: go.Figure, curves: Curves, emphasise: str | None) -> None:
    """One line per curve; colour and dash both differ (colour is never the only carrier); `emphasise` is
    drawn thick and black, the others thinner."""
    for i, (name, (x, y)) in enumerate(curves.items()):
        strong = name == emphasise or (emphasise is None and len(curves) == 1)
        fig.add_trace(
            go.Scatter(
                x=list(x),
                y=list(y),
                mode="lines",
                name=name,
                line=dict(
                    width=4 if strong else 2.5,
                    color=("#000000" if emphasise is not None else POSITIVE) if strong else PALETTE[i % len(PALETTE)],
                    dash="solid" if strong else _DASHES[(i + 1) % len(_DASHES)],
                ),
            )
        )


def roc_figure(
    curves: Curves,
    *,
    emphasise: str | None = None,
    point: tuple[float, float] | None = None,
    point_name: str = "your threshold",
    x_title: str = "False-positive rate",
    y_title: str = "True-positive rate",
    height: int | None = None,
    presenter: bool = False,
) -> go.Figure:
    """ROC curves (false-positive rate, true-positive rate) with the coin-toss diagonal; `point` marks one
    operating point (a threshold) on them."""
    fig = go.Figure()
    _curve_traces(fig, curves, emphasise)
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="coin toss", line=dict(color=NEUTRAL, dash="dot")))
    if point is not None:
        fig.add_trace(
            go.Scatter(
                x=[point[0]],
                y=[point[1]],
                mode="markers",
                name=point_name,
                marker=dict(symbol="diamond", size=14, color="#D55E00"),
            )
        )
    fig.update_layout(xaxis_title=x_title, yaxis_title=y_title, xaxis_range=[0, 1], yaxis_range=[0, 1.02])
    return style_figure(fig, height=height or 380, presenter=presenter)


def pr_figure(
    curves: Curves,
    *,
    base_rate: float | None = None,
    base_name: str = "random guess (the base rate)",
    emphasise: str | None = None,
    x_title: str = "Recall (share of positives found)",
    y_title: str = "Precision (share of flags that are right)",
    height: int | None = None,
    presenter: bool = False,
) -> go.Figure:
    """Precision-recall curves (recall, precision); `base_rate` draws what a random ranking scores."""
    fig = go.Figure()
    _curve_traces(fig, curves, emphasise)
    if base_rate is not None:
        fig.add_trace(
            go.Scatter(
                x=[0, 1], y=[base_rate, base_rate], mode="lines", name=base_name, line=dict(color=NEUTRAL, dash="dot")
            )
        )
    fig.update_layout(xaxis_title=x_title, yaxis_title=y_title, xaxis_range=[0, 1], yaxis_range=[0, 1.02])
    return style_figure(fig, height=height or 380, presenter=presenter)


def calibration_figure(
    curves: Curves,
    *,
    x_title: str = "Predicted probability (%)",
    y_title: str = "Observed share (%)",
    height: int | None = None,
    presenter: bool = False,
) -> go.Figure:
    """Reliability curves: mean predicted probability against the observed rate per bin (both 0-1, drawn in
    percent), beside the diagonal of perfect calibration."""
    fig = go.Figure(
        go.Scatter(
            x=[0, 100], y=[0, 100], mode="lines", name="perfectly calibrated", line=dict(color=NEUTRAL, dash="dot")
        )
    )
    percent = {name: ([100 * v for v in x], [100 * v for v in y]) for name, (x, y) in curves.items()}
    _curve_traces(fig, percent, None)
    for trace in fig.data[1:]:
        trace.update(mode="lines+markers")
    fig.update_layout(xaxis_title=x_title, yaxis_title=y_title, xaxis_range=[0, 100], yaxis_range=[0, 100])
    return style_figure(fig, height=height or 380, presenter=presenter)
