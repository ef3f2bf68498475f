"""Page furniture every demo uses: header, pipeline strip, metric cards, model card,
explanation panel and the friendly error box."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import streamlit as st

from models.common import InputError, ModelCardInfo
from ui.demos import Demo
from ui.presenter import is_presenter, talking_points

__all__ = [
    "Metric",
    "page_header",
    "pipeline_strip",
    "metric_cards",
    "model_card",
    "explanation",
    "friendly_error",
    "guard",
    "capped_uploader",
]

log = logging.getLogger("showcase")


@dataclass(frozen=True)
class Metric:
    label: str
    value: str
    help: str | None = None
    delta: str | None = None
    delta_color: str = "normal"


def page_header(demo: Demo, *, points: Sequence[str] = ()) -> None:
    """Title, one-line hook, the industry it comes from, and presenter talking points."""
    st.title(f"{demo.title}")
    st.markdown(f"**{demo.hook}**")
    st.caption(f"Where this is used: {demo.industry}. What you can do here: {demo.you_can}")
    talking_points(points)


def pipeline_strip(demo: Demo) -> None:
    """data -> cleaning -> model -> evaluation -> prediction, for this demo."""
    with st.container(border=True, key="pipeline_strip"):  # phones show the stages only (ui/style.py)
        st.markdown("**How it works**")
        columns = st.columns(len(demo.pipeline))
        for i, (column, (stage, text)) in enumerate(zip(columns, demo.pipeline, strict=True)):
            arrow = " →" if i < len(demo.pipeline) - 1 else ""
            column.markdown(f"**{i + 1}. {stage}**{arrow}")
            column.caption(text)


def metric_cards(metrics: Sequence[Metric]) -> None:
    """A row of bordered metric cards (wraps to two rows beyond four)."""
    per_row = 4 if len(metrics) > 4 else max(len(metrics), 1)
    for start in range(0, len(metrics), per_row):
        row = metrics[start : start + per_row]
        for column, metric in zip(st.columns(per_row), row, strict=False):
            column.metric(
                metric.label,
                metric.value,
                delta=metric.delta,
                delta_color=metric.delta_color,
                help=metric.help,
                border=True,
            )


def model_card(card: ModelCardInfo, *, expanded: bool = False) -> None:
    """Model card: data provenance, intended use, metrics, limitations."""
    with st.expander(":material/description: Model card", expanded=expanded):
        st.markdown(f"**Model.** {card.model}")
        st.markdown(f"**Data.** {card.data}")
        if card.provenance:
            st.markdown(f"**Provenance.** {card.provenance}")
        st.markdown(f"**Intended use.** {card.intended_use}")
        if card.metrics:
            st.markdown("**Measured quality.**\n" + "\n".join(f"- {k}: {v}" for k, v in card.metrics.items()))
        if card.limitations:
            st.markdown("**Limitations.**\n" + "\n".join(f"- {item}" for item in card.limitations))


def explanation(title: str, body: str, *, icon: str = ":material/lightbulb:") -> None:
    """A bordered 'why' panel next to a result, in plain words."""
    with st.container(border=True):
        st.markdown(f"{icon} **{title}**")
        st.markdown(body)


def friendly_error(message: str, error: BaseException | None = None) -> None:
    """A clear sentence for the visitor; the technical detail folded away, never a traceback."""
    st.error(message, icon=":material/error:")
    if error is not None and not is_presenter():
        with st.expander("Technical details"):
            st.text(f"{type(error).__name__}: {error}")


@contextmanager
def guard(doing: str) -> Iterator[None]:
    """Run one section of a page; a failure shows a friendly box and the rest of the page lives.

    `InputError` messages are the visitor's to read as they are; anything else is logged
    with its traceback on the server and summarised on the page.
    """
    try:
        yield
    except InputError as err:
        st.warning(f"{err}", icon=":material/warning:")
    except Exception as err:  # noqa: BLE001 - the boundary where nothing may escape to a visitor
        log.error("failed while %s\n%s", doing, traceback.format_exc())
        friendly_error(f"Sorry, something went wrong while {doing}. The rest of the page still works.", err)


def capped_uploader(label: str, limit_bytes: int, *, where=None, **kwargs):
    """A file uploader whose own cap is the demo's limit, so the widget refuses a bigger file with its message
    before a byte reaches the server (the demo's reader checks the size again)."""
    return (where or st).file_uploader(label, max_upload_size=max(1, limit_bytes // 2**20), **kwargs)
