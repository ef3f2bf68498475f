"""Page furniture every demo uses: header, pipeline strip, metric cards, model card,
explanation panel and the friendly error box."""

from __future__ import annotations

import logging
import os
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import streamlit as st

from models.common import InputError, ModelCardInfo
from models.uploads import MB
from ui.demos import Demo
from ui.plain import plain_text
from ui.presenter import is_presenter, talking_points

__all__ = [
    "Metric",
    "hero",
    "hero_key",
    "depth_tabs",
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
INPUT_MESSAGE_LIMIT = 300
"""Characters of an input problem shown on a page: one sentence, however long the value it quotes."""


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
    talking_points(points)


def hero_key(demo: Demo) -> str:
    """`<demo>_hero` (recs_hero, people_hero, risk_hero, fraud_hero): tests find it by key."""
    return f"{demo.key}_hero"


def hero(demo: Demo) -> Any:
    """The first screen's block: the visitor's main interaction and its result, nothing else."""
    return st.container(key=hero_key(demo))


def depth_tabs(sections: Sequence[tuple[str, str]], *, key: str, default: str | None = None) -> list[Any]:
    """The depth under the hero, one click away: one tab per (label, opening sentence); each tab opens with its
    sentence so a visitor knows what is inside before reading on. `default` opens another tab than the first
    (a link or tour step that points into the depth)."""
    tabs = st.tabs([label for label, _ in sections], key=key, default=default)
    for tab, (_, sentence) in zip(tabs, sections, strict=True):
        tab.markdown(sentence)
    return list(tabs)


def pipeline_strip(demo: Demo, *, data: str | None = None) -> None:
    """data -> cleaning -> model -> evaluation -> prediction, for this demo.

    `data` replaces the first stage's words with the page's own figures (a count the page computed), so the
    strip can never disagree with the metrics below it.
    """
    stages = demo.pipeline if data is None else ((demo.pipeline[0][0], data), *demo.pipeline[1:])
    with st.container(border=True, key="pipeline_strip"):  # phones show the stages only (ui/style.py)
        st.markdown("**How it works**")
        st.caption(f"Where this is used: {demo.industry}. What you can do here: {demo.you_can}")
        columns = st.columns(len(stages))
        for i, (column, (stage, text)) in enumerate(zip(columns, stages, strict=True)):
            arrow = " →" if i < len(stages) - 1 else ""
            column.markdown(f"**{i + 1}. {stage}**{arrow}")
            column.caption(text)


def metric_cards(metrics: Sequence[Metric], *, one_row_on_phones: str | None = None) -> None:
    """A row of bordered metric cards (wraps to two rows beyond four). `one_row_on_phones` (a name unique on the
    page) keeps the row whole on a phone, as a first screen needs; elsewhere phones stack the cards."""
    if one_row_on_phones:
        with st.container(key=f"one_row_cards_{one_row_on_phones}"):
            metric_cards(metrics)
        return
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


FAULT_ENV = "SHOWCASE_INJECT_FAULT"


@contextmanager
def guard(doing: str) -> Iterator[None]:
    """Run one section of a page; a failure shows a friendly box and the rest of the page lives.

    `InputError` messages are the visitor's to read as they are; anything else is logged
    with its traceback on the server and summarised on the page. Tests set `FAULT_ENV` to a part of
    `doing` (or "*") to make such sections fail after they drew, proving the smoke checks see a failure.
    """
    try:
        yield
        fault = os.environ.get(FAULT_ENV, "")
        if fault and (fault == "*" or fault in doing):
            raise RuntimeError(f"fault injected by {FAULT_ENV}={fault!r}")
    except InputError as err:  # may quote a file's cell or a link's value: shown as text, never Markdown
        st.warning(plain_text(err, INPUT_MESSAGE_LIMIT), icon=":material/warning:")
    except Exception as err:  # noqa: BLE001 - the boundary where nothing may escape to a visitor
        log.error("failed while %s\n%s", doing, traceback.format_exc())
        friendly_error(f"Sorry, something went wrong while {doing}. The rest of the page still works.", err)


def capped_uploader(label: str, limit_bytes: int, *, where=None, **kwargs):
    """A file uploader whose own cap is the demo's limit, so the widget refuses a bigger file with its message
    before a byte reaches the server (the demo's reader checks the size again)."""
    return (where or st).file_uploader(label, max_upload_size=max(1, limit_bytes // MB), **kwargs)
