"""The live stream: payments of the test week scored one tick at a time, with a running tally.

Pure state machine (no UI): `Stream` holds where the stream is and what it has seen; `advance` scores the next
payments (an injected burst first), `inject_burst` queues a card-testing attack. The page keeps one `Stream` per
visitor session and draws it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from models.fraud.explain import featurise_new, first_morning, reasons
from models.fraud.train import FraudModel, score

__all__ = ["Stream", "new_stream", "inject_burst", "advance", "DISPLAY_COLUMNS"]

DISPLAY_COLUMNS = ["when", "card", "terminal", "amount €", "score", "verdict", "truth"]
SHOWN_ROWS, SHOWN_ALERTS, LATENCY_TICKS = 8, 6, 50


@dataclass
class Stream:
    """Where the stream is in the test week and what it has counted so far (for one visitor)."""

    key: object  # what the stream belongs to (the bank's settings); a new key starts a new stream
    position: int
    start: int
    rows: list[dict] = field(default_factory=list)
    alerts: list[dict] = field(default_factory=list)
    injected: pd.DataFrame | None = None
    saved: float = 0.0
    missed: int = 0
    missed_money: float = 0.0
    false_alarms: int = 0
    caught: int = 0
    seen: int = 0
    latency_ms: list[float] = field(default_factory=list)

    def __getitem__(self, name: str):  # older callers read the tally as a dict
        return getattr(self, name)


def new_stream(key: object, test: pd.DataFrame) -> Stream:
    """A stream that opens on the test week's first morning (not on a handful of night-time payments)."""
    start = first_morning(test)
    return Stream(key=key, position=start, start=start)


def inject_burst(stream: Stream, test: pd.DataFrame, history: pd.DataFrame) -> None:
    """Queue five fraudulent payments on one card, 4-7x its usual amount, at its usual terminal, within ten
    minutes of the stream's clock; seeded by the stream's own progress so a replay is the same."""
    now = test.iloc[min(stream.position, len(test) - 1)]
    rng = np.random.default_rng(len(stream.alerts) + stream.position)
    victim = test.iloc[int(rng.integers(len(test)))]
    base = max(float(victim["CUSTOMER_ID_AVG_AMOUNT_30DAY_WINDOW"]), 20.0)
    when = pd.Timestamp(now["TX_DATETIME"]) + pd.to_timedelta(np.sort(rng.uniform(1, 600, 5)), unit="s")
    new = pd.DataFrame(
        {
            "TX_DATETIME": when,
            "CUSTOMER_ID": int(victim["CUSTOMER_ID"]),
            "TERMINAL_ID": int(victim["TERMINAL_ID"]),
            "TX_AMOUNT": np.round(base * rng.uniform(4, 7, 5), 2),
        }
    )
    featured = featurise_new(history, new)
    featured["TX_FRAUD"], featured["TX_FRAUD_SCENARIO"] = 1, 3
    stream.injected = featured


def _next_batch(stream: Stream, test: pd.DataFrame, n: int) -> pd.DataFrame:
    batch = []
    if stream.injected is not None and len(stream.injected):
        batch.append(stream.injected.iloc[:n])
        stream.injected = stream.injected.iloc[n:]
    room = n - sum(len(b) for b in batch)
    if room > 0:
        start = stream.position % len(test)
        batch.append(test.iloc[start : start + room])
        stream.position = start + room
    return pd.concat(batch)


def advance(stream: Stream, test: pd.DataFrame, model: FraudModel, threshold: float, n: int) -> None:
    """Score the next `n` payments at `threshold` and add them to the tally (alerts carry their reasons)."""
    rows = _next_batch(stream, test, n)
    started = time.perf_counter()
    scores = score(model, rows)
    stream.latency_ms = [*stream.latency_ms, (time.perf_counter() - started) * 1000 / max(len(rows), 1)]
    for (_, row), s in zip(rows.iterrows(), scores, strict=True):  # a handful per tick
        alert, fraud = s >= threshold, row["TX_FRAUD"] == 1
        stream.seen += 1
        if alert and fraud:
            stream.caught += 1
            stream.saved += float(row["TX_AMOUNT"])
        elif alert:
            stream.false_alarms += 1
        elif fraud:
            stream.missed += 1
            stream.missed_money += float(row["TX_AMOUNT"])
        record = {
            "when": f"{pd.Timestamp(row['TX_DATETIME']):%a %d %b %H:%M:%S}",
            "card": int(row["CUSTOMER_ID"]),
            "terminal": int(row["TERMINAL_ID"]),
            "amount €": round(float(row["TX_AMOUNT"]), 2),
            "score": round(float(s), 3),
            "verdict": "ALERT" if alert else "ok",
            "truth": "fraud" if fraud else "genuine",
        }
        stream.rows = [*stream.rows, record][-SHOWN_ROWS:]
        if alert:
            why = "; ".join(reasons(row)) or "the model's combination of features"
            stream.alerts = [{**record, "why": why}, *stream.alerts][:SHOWN_ALERTS]
    stream.latency_ms = stream.latency_ms[-LATENCY_TICKS:]
