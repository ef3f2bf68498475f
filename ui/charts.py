"""Plain plotly builders shared by the demos: data in, figure out, no app state."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from ui.theme import NEUTRAL, PALETTE, POSITIVE, style_figure

__all__ = ["log_axis", "learning_curve_figure", "arena_figure", "slices_figure", "bar_contributions_figure"]


def log_axis(values: Sequence[float] | pd.Series, *, pad: float = 0.0) -> dict:
    """A log axis with 1-2-5 ticks labelled plainly (plotly's own log ticks overlap on small charts);
    `pad` > 0 widens it by that many decades on each side (room for point labels)."""
    positive = [float(v) for v in values if v and float(v) > 0]
    if not positive:
        return dict(type="log")
    low, high = math.floor(math.log10(min(positive))), math.ceil(math.log10(max(positive)))
    ticks = [m * 10.0**e for e in range(low, high + 1) for m in (1, 2, 5)]
    ticks = [t for t in ticks if min(positive) / 2.5 <= t <= max(positive) * 2.5]
    axis = dict(type="log", tickvals=ticks, ticktext=[f"{t:g}" for t in ticks])
    if pad > 0:
        axis["range"] = [math.log10(min(positive)) - pad, math.log10(max(positive)) + pad]
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
            yaxis2=dict(title=metrics[1], overlaying="y", side="right", showgrid=False, tickmode="auto",
                        tickformat=".3~g")
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
    contributions: pd.Series, *, x_title: str, presenter: bool = False
) -> go.Figure:
    """Horizontal bars: what pushes a prediction up (blue, right) or down (orange, left)."""
    ordered = contributions.sort_values()
    fig = go.Figure(
        go.Bar(
            x=ordered.values,
            y=[str(i) for i in ordered.index],
            orientation="h",
            marker=dict(
                color=[POSITIVE if v > 0 else "#D55E00" for v in ordered.values],
                pattern=dict(shape=["" if v > 0 else "x" for v in ordered.values]),
            ),
            text=[f"{v:+.2f}" for v in ordered.values],
            textposition="auto",
        )
    )
    fig.update_layout(xaxis_title=x_title, yaxis_title="", showlegend=False)
    return style_figure(fig, height=max(260, 40 * len(ordered) + 80), presenter=presenter)
