"""Features computed only from the past, as a fraud team would have them at payment time.

The handbook's 15 features (chapter 3.4): the amount, weekend and night flags; per card, the
count and mean amount of its payments over the last 1, 7 and 30 days; per terminal, the count of
payments and the share that were fraud over 1, 7 and 30 days, *shifted back by a 7-day delay*
because fraud labels arrive only after investigation. We add a few honest extras (amount against
the card's own habits, time since its last payment, known-fraud counts at the terminal).

Every window is a half-open time interval ending at the payment, found with `searchsorted` on a
(card or terminal, time) key: vectorised, and by construction blind to anything later.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "WINDOWS",
    "DELAY_DAYS",
    "BASELINE_FEATURES",
    "EXTRA_FEATURES",
    "FEATURE_SETS",
    "FEATURE_LABELS",
    "add_features",
]

WINDOWS = (1, 7, 30)
DELAY_DAYS = 7
DAY = 86_400
_BIG = np.int64(10**12)  # > any time in seconds, so (id, time) fits one sortable int64 key

BASELINE_FEATURES = (
    "TX_AMOUNT",
    "TX_DURING_WEEKEND",
    "TX_DURING_NIGHT",
    *(f"CUSTOMER_ID_{what}_{w}DAY_WINDOW" for w in WINDOWS for what in ("NB_TX", "AVG_AMOUNT")),
    *(f"TERMINAL_ID_{what}_{w}DAY_WINDOW" for w in WINDOWS for what in ("NB_TX", "RISK")),
)
EXTRA_FEATURES = (
    "AMOUNT_TO_CARD_MEAN_30",
    "AMOUNT_ZSCORE_30",
    "HOURS_SINCE_CARD_LAST_TX",
    "TERMINAL_ID_NB_FRAUD_7DAY_WINDOW",
    "TERMINAL_ID_NB_FRAUD_30DAY_WINDOW",
)
FEATURE_SETS = {"baseline": BASELINE_FEATURES, "extended": BASELINE_FEATURES + EXTRA_FEATURES}

FEATURE_LABELS = {
    "TX_AMOUNT": "amount (€)",
    "TX_DURING_WEEKEND": "on a weekend",
    "TX_DURING_NIGHT": "at night (0-6 h)",
    **{f"CUSTOMER_ID_NB_TX_{w}DAY_WINDOW": f"card: payments in last {w} d" for w in WINDOWS},
    **{f"CUSTOMER_ID_AVG_AMOUNT_{w}DAY_WINDOW": f"card: mean amount in last {w} d (€)" for w in WINDOWS},
    **{f"TERMINAL_ID_NB_TX_{w}DAY_WINDOW": f"terminal: payments, {w} d before the delay" for w in WINDOWS},
    **{f"TERMINAL_ID_RISK_{w}DAY_WINDOW": f"terminal: fraud share, {w} d before the delay" for w in WINDOWS},
    "AMOUNT_TO_CARD_MEAN_30": "amount / card's previous 30-d mean",
    "AMOUNT_ZSCORE_30": "amount in card's 30-d standard deviations",
    "HOURS_SINCE_CARD_LAST_TX": "hours since card's last payment",
    "TERMINAL_ID_NB_FRAUD_7DAY_WINDOW": "terminal: known frauds, 7 d before the delay",
    "TERMINAL_ID_NB_FRAUD_30DAY_WINDOW": "terminal: known frauds, 30 d before the delay",
}


def _sorted_key(ids: np.ndarray, seconds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.lexsort((seconds, ids))
    return order, ids[order].astype(np.int64) * _BIG + seconds[order].astype(np.int64)


def _window(key: np.ndarray, cumulative: np.ndarray, back_from: int, back_to: int) -> np.ndarray:
    """Sum over entries with the same id and time in (t - back_from, t - back_to]; `cumulative`
    is a running sum with a leading 0. Entries are in key order."""
    hi = np.searchsorted(key, key - back_to, side="right")
    lo = np.searchsorted(key, key - back_from, side="right")
    return cumulative[hi] - cumulative[lo]


def _running(values: np.ndarray) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum(values, dtype=np.float64)])


def card_features(customer: np.ndarray, seconds: np.ndarray, amount: np.ndarray) -> dict[str, np.ndarray]:
    """Per-card windows including the current payment (the book's definition), plus extras
    that compare the amount with the card's *previous* 30 days."""
    order, key = _sorted_key(customer, seconds)
    amt = amount[order].astype(np.float64)
    ones, sums, squares = _running(np.ones_like(amt)), _running(amt), _running(amt**2)
    out: dict[str, np.ndarray] = {}
    for w in WINDOWS:
        # (t - w days, t] including this payment: shift the upper bound by -1 s past "now" is not
        # needed since side="right" already includes equal keys.
        n = _window(key, ones, w * DAY, 0)
        out[f"CUSTOMER_ID_NB_TX_{w}DAY_WINDOW"] = n
        out[f"CUSTOMER_ID_AVG_AMOUNT_{w}DAY_WINDOW"] = _window(key, sums, w * DAY, 0) / n
    # Previous 30 days, excluding this payment: position-based so simultaneous payments stay apart.
    position = np.arange(key.size)
    lo = np.searchsorted(key, key - 30 * DAY, side="right")
    n_prev = position - lo
    s_prev = sums[position] - sums[lo]
    q_prev = squares[position] - squares[lo]
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_prev = np.where(n_prev > 0, s_prev / n_prev, np.nan)
        var_prev = np.where(n_prev > 1, (q_prev - n_prev * mean_prev**2) / np.maximum(n_prev - 1, 1), np.nan)
        std_prev = np.sqrt(np.clip(var_prev, 0, None))
        ratio = np.where(n_prev > 0, amt / np.maximum(mean_prev, 0.01), 1.0)
        zscore = np.where(n_prev > 1, (amt - mean_prev) / np.maximum(std_prev, 1.0), 0.0)
    same_card = np.concatenate([[False], key[1:] // _BIG == key[:-1] // _BIG])
    gap = np.where(same_card, np.diff(key, prepend=key[0]) / 3600.0, 24.0 * 30)
    out["AMOUNT_TO_CARD_MEAN_30"] = ratio
    out["AMOUNT_ZSCORE_30"] = zscore
    out["HOURS_SINCE_CARD_LAST_TX"] = np.minimum(gap, 24.0 * 30)
    inverse = np.empty_like(order)
    inverse[order] = np.arange(order.size)
    return {name: values[inverse] for name, values in out.items()}


def terminal_features(
    terminal: np.ndarray, seconds: np.ndarray, fraud: np.ndarray, delay_days: int = DELAY_DAYS
) -> dict[str, np.ndarray]:
    """Per-terminal payments and fraud share in (t - delay - w, t - delay]: labels a bank knows."""
    order, key = _sorted_key(terminal, seconds)
    ones, frauds = _running(np.ones(key.size)), _running(fraud[order].astype(np.float64))
    out: dict[str, np.ndarray] = {}
    for w in WINDOWS:
        n = _window(key, ones, (delay_days + w) * DAY, delay_days * DAY)
        f = _window(key, frauds, (delay_days + w) * DAY, delay_days * DAY)
        out[f"TERMINAL_ID_NB_TX_{w}DAY_WINDOW"] = n
        out[f"TERMINAL_ID_RISK_{w}DAY_WINDOW"] = np.divide(f, n, out=np.zeros_like(f), where=n > 0)
        if w in (7, 30):
            out[f"TERMINAL_ID_NB_FRAUD_{w}DAY_WINDOW"] = f
    inverse = np.empty_like(order)
    inverse[order] = np.arange(order.size)
    return {name: values[inverse] for name, values in out.items()}


def add_features(tx: pd.DataFrame, delay_days: int = DELAY_DAYS) -> pd.DataFrame:
    """A copy of `tx` with every feature column; needs TX_DATETIME, CUSTOMER_ID, TERMINAL_ID,
    TX_AMOUNT, TX_FRAUD (TX_TIME_SECONDS is derived from TX_DATETIME when missing)."""
    out = tx.copy()
    when = pd.to_datetime(out["TX_DATETIME"])
    if "TX_TIME_SECONDS" in out:
        seconds = out["TX_TIME_SECONDS"].to_numpy(np.int64)
    else:
        seconds = ((when - when.min().normalize()) // pd.Timedelta(seconds=1)).to_numpy(np.int64)
    out["TX_DURING_WEEKEND"] = (when.dt.day_of_week >= 5).astype(np.int8).to_numpy()
    out["TX_DURING_NIGHT"] = (when.dt.hour <= 6).astype(np.int8).to_numpy()
    cards = card_features(out["CUSTOMER_ID"].to_numpy(), seconds, out["TX_AMOUNT"].to_numpy())
    terminals = terminal_features(out["TERMINAL_ID"].to_numpy(), seconds, out["TX_FRAUD"].to_numpy(), delay_days)
    for name, values in {**cards, **terminals}.items():
        out[name] = values.astype(np.float32)
    return out
