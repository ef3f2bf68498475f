"""The engineer's view: the same five views under every demo, from one component.

A demo describes itself with an `EngineerView` (callables that the page caches by
parameters, so only the view a visitor opens is computed) and calls `render_engineer_view`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from models.common import Formula
from ui.charts import arena_figure, learning_curve_figure, slices_figure
from ui.layout import guard
from ui.presenter import is_engineer, is_presenter
from ui.warmup import took_seconds
from ui.wording import curve_sentence

__all__ = ["EngineerView", "VIEWS", "render_engineer_view"]

VIEWS = ("Learns from data", "Model arena", "The maths", "The code", "Who it serves worse")


@dataclass(frozen=True)
class EngineerView:
    """What a demo offers the engineer's view. Frames follow fixed column names:

    - learning curve: `x`, `metric`, `value`, optional `lo`, `hi`
    - arena: `model`, `quality` (higher is better), `fit_seconds`, `predict_ms`, `is_default`
    - slices: `slice`, `n`, one column per metric, optional `too_few`, optional `note`

    The learning curve's caption starts with a description of the curve's shape computed from its
    numbers (`ui.wording.curve_sentence`); `learning_curve_caption` adds what the numbers cannot say
    (what was measured, how). `opens_on` is the view shown first: a demo whose learning curve takes
    long to draw cold opens on "The maths" so a visitor never waits for a view they did not ask for.
    """

    key: str
    learning_curve: Callable[[], pd.DataFrame]
    learning_curve_x: str
    learning_curve_caption: str
    arena: Callable[[], pd.DataFrame]
    arena_quality: str
    default_reason: str | Callable[[pd.DataFrame], str]  # a callable builds it from the arena's own numbers
    formulas: Sequence[Formula]
    train_function: Callable
    script: Callable[[], str]
    script_name: str
    slices: Callable[[], pd.DataFrame]
    slices_metric: str
    slices_caption: str
    extra_code: Sequence[Callable] = field(default_factory=tuple)
    opens_on: str = VIEWS[0]


@st.cache_resource(show_spinner=False, max_entries=32)
def _chart(kind: str, frame: pd.DataFrame, options: tuple) -> go.Figure:
    """These charts are drawn on every rerun of a page and only change with their frame: build each once
    (shared, never mutated; Streamlit serialises a copy)."""
    builders = {"curve": learning_curve_figure, "arena": arena_figure, "slices": slices_figure}
    return builders[kind](frame, **dict(options))


def _estimate(view: EngineerView, step_id: str) -> str:
    """An honest estimate for settings the warm-up did not prepare: what the defaults took on this machine."""
    seconds = took_seconds(view.key, step_id)
    if seconds is None or seconds < 1:
        return ""
    return f" At the default settings this took about {seconds:.0f} s on this machine; expect about as long."


def _learning(view: EngineerView) -> None:
    with st.spinner("Retraining on growing shares of the data to draw the learning curve…" + _estimate(view, "curve")):
        curve = view.learning_curve()
    st.plotly_chart(
        _chart("curve", curve, (("x_title", view.learning_curve_x), ("presenter", is_presenter()))),
        key=f"{view.key}_learning_chart",
    )
    st.caption(f"{curve_sentence(curve)} {view.learning_curve_caption}".strip())
    if is_engineer():  # one row per amount of data, one column per metric
        wide = curve.pivot_table(index="x", columns="metric", values="value", sort=False).reset_index()
        st.dataframe(wide.rename(columns={"x": view.learning_curve_x}), hide_index=True, width="stretch")


def _arena(view: EngineerView) -> None:
    with st.spinner("Training every model family on the same split…" + _estimate(view, "arena")):
        arena = view.arena()
    default = arena.loc[arena["is_default"].astype(bool), "model"]
    reason = view.default_reason(arena) if callable(view.default_reason) else view.default_reason
    st.markdown(f"**Default: {default.iloc[0] if len(default) else 'n/a'}.** {reason}")
    left, right = st.columns(2)
    left.plotly_chart(
        _chart(
            "arena",
            arena,
            (
                ("x", "fit_seconds"),
                ("x_title", "Training time (s, log scale)"),
                ("quality_title", view.arena_quality),
                ("presenter", is_presenter()),
            ),
        ),
        key=f"{view.key}_arena_fit",
    )
    right.plotly_chart(
        _chart(
            "arena",
            arena,
            (
                ("x", "predict_ms"),
                ("x_title", "Prediction latency (ms, log scale)"),
                ("quality_title", view.arena_quality),
                ("presenter", is_presenter()),
            ),
        ),
        key=f"{view.key}_arena_latency",
    )
    st.caption(
        f"Each dot is one model family trained on the same data. Up-and-left is better: "
        f"{view.arena_quality} against the time it costs."
    )
    st.dataframe(arena, hide_index=True, width="stretch")


def _maths(view: EngineerView) -> None:
    for formula in view.formulas:
        with st.container(border=True):
            st.markdown(f"**{formula.name}**")
            st.latex(formula.latex)
            st.markdown(formula.plain_words)
            st.caption(f"Reference: {formula.reference}")


def _code(view: EngineerView) -> None:
    st.markdown(
        "This is the real function that trained the model on this page, read from the "
        "module as it runs, so it cannot drift from what you see."
    )
    for fn in (view.train_function, *view.extra_code):
        st.code(inspect.getsource(fn), language="python")
    st.download_button(
        "Download a script that reproduces this page",
        data=view.script,  # built only when someone clicks
        file_name=view.script_name,
        mime="text/x-python",
        icon=":material/download:",
        key=f"{view.key}_script_download",
    )


def _slices(view: EngineerView) -> None:
    with st.spinner("Measuring quality for each group…"):
        slices = view.slices()
    st.plotly_chart(
        _chart("slices", slices, (("metric", view.slices_metric), ("presenter", is_presenter()))),
        key=f"{view.key}_slices_chart",
    )
    st.caption(view.slices_caption)
    if "too_few" in slices and slices["too_few"].astype(bool).any():
        st.caption("Hatched grey bars: too few cases in that group to say anything reliable.")
    filled = [c for c in slices if slices[c].replace("", None).notna().any()]  # no empty 'note' column
    st.dataframe(slices[filled], hide_index=True, width="stretch")


_RENDERERS = dict(zip(VIEWS, (_learning, _arena, _maths, _code, _slices), strict=True))


@st.fragment
def _views(view: EngineerView) -> None:
    chosen = st.segmented_control(
        "Behind the scenes",
        options=VIEWS,
        default=view.opens_on,
        key=f"{view.key}_view",
        label_visibility="collapsed",
    )
    chosen = chosen or view.opens_on
    with guard(f"showing '{chosen}'"):
        _RENDERERS[chosen](view)


def render_engineer_view(view: EngineerView) -> None:
    """The five views; folded away for beginners, open for engineers."""
    st.subheader(":material/engineering: The engineer's view")
    if is_engineer():
        _views(view)
    else:
        with st.expander("See how an engineer built and checked this model"):
            _views(view)
