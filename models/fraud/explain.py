"""Why a payment is flagged, and scoring payments that are not in the simulation yet.

New payments (a visitor's crafted one, an injected burst, an uploaded CSV) get their features
from the same `add_features` code, run on the new rows plus the bank's history of the cards and
terminals involved: the windows look backwards only, so history after a new payment never counts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from models.common import InputError
from models.fraud.features import DAY, DELAY_DAYS, FEATURE_LABELS, add_features
from models.fraud.train import FraudModel, day_zero, score
from models.uploads import (
    MB,
    RowProblem,
    date_column_problems,
    numeric_column_problems,
    read_table,
    require_columns,
    whole_number_column,
)

__all__ = [
    "featurise_new",
    "reasons",
    "feature_effects",
    "crafted_note",
    "first_morning",
    "read_upload",
    "score_upload",
    "UPLOAD_COLUMNS",
    "HISTORY_DAYS",
    "MAX_UPLOAD_ROWS",
]

UPLOAD_COLUMNS = ("TX_DATETIME", "CUSTOMER_ID", "TERMINAL_ID", "TX_AMOUNT")
_HISTORY_DAYS = 30 + DELAY_DAYS + 1
HISTORY_DAYS = _HISTORY_DAYS
"""Days of the bank's past a new payment's features look back on (30-day windows behind a 7-day delay)."""
MAX_UPLOAD_ROWS = 20_000


def featurise_new(history: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Features of `new` raw payments given the bank's `history` (raw columns plus TX_FRAUD).

    Only the history of the same cards and terminals within the longest window is used.
    """
    start = day_zero(history)
    new = new.copy()
    new["TX_DATETIME"] = pd.to_datetime(new["TX_DATETIME"])
    new["TX_TIME_SECONDS"] = ((new["TX_DATETIME"] - start) // pd.Timedelta(seconds=1)).astype(np.int64)
    new["TX_TIME_DAYS"] = new["TX_TIME_SECONDS"] // DAY
    new["TX_FRAUD"] = 0  # unknown at payment time; only ever read through the 7-day delay
    new["_NEW"] = True
    new["_ORDER"] = np.arange(len(new))
    lo = new["TX_TIME_SECONDS"].min() - _HISTORY_DAYS * DAY
    hi = new["TX_TIME_SECONDS"].max()
    seconds = history["TX_TIME_SECONDS"].to_numpy()
    near = (seconds >= lo) & (seconds <= hi)
    related = near & (
        history["CUSTOMER_ID"].isin(new["CUSTOMER_ID"]).to_numpy()
        | history["TERMINAL_ID"].isin(new["TERMINAL_ID"]).to_numpy()
    )
    columns = ["TX_DATETIME", "TX_TIME_SECONDS", "TX_TIME_DAYS", "CUSTOMER_ID", "TERMINAL_ID", "TX_AMOUNT", "TX_FRAUD"]
    past = history.loc[related, columns].assign(_NEW=False, _ORDER=-1)
    both = pd.concat([past, new[[*columns, "_NEW", "_ORDER"]]], ignore_index=True)
    # History first at equal times, so a new payment sees everything up to its own second.
    both = both.sort_values(["TX_TIME_SECONDS", "_NEW"], kind="stable").reset_index(drop=True)
    featured = add_features(both)
    out = featured[featured["_NEW"]].sort_values("_ORDER")
    return out.drop(columns=["_NEW", "_ORDER"]).reset_index(drop=True)


def reasons(row: pd.Series, *, limit: int = 3) -> list[str]:
    """Plain-words reasons a payment looks suspicious, strongest first (empty when nothing stands out)."""
    found: list[tuple[float, str]] = []
    ratio = float(row.get("AMOUNT_TO_CARD_MEAN_30", 1.0))
    mean30 = float(row.get("CUSTOMER_ID_AVG_AMOUNT_30DAY_WINDOW", 0.0))
    if ratio >= 2.5:
        found.append((ratio, f"amount {ratio:.0f}x this card's 30-day mean (€{mean30:.0f})"))
    if row["TX_AMOUNT"] > 220:
        found.append((row["TX_AMOUNT"] / 100, f"a very large amount (€{row['TX_AMOUNT']:,.0f})"))
    frauds30 = float(row.get("TERMINAL_ID_NB_FRAUD_30DAY_WINDOW", 0.0))
    frauds7 = float(row.get("TERMINAL_ID_NB_FRAUD_7DAY_WINDOW", 0.0))
    if frauds7 >= 1:
        found.append((3 + frauds7, f"terminal had {frauds7:.0f} confirmed fraud{'s' * (frauds7 > 1)} in a recent week"))
    elif frauds30 >= 1:
        found.append(
            (2 + frauds30 / 3, f"terminal had {frauds30:.0f} confirmed fraud{'s' * (frauds30 > 1)} in the past month")
        )
    today = float(row.get("CUSTOMER_ID_NB_TX_1DAY_WINDOW", 0.0))
    usual = float(row.get("CUSTOMER_ID_NB_TX_30DAY_WINDOW", 0.0)) / 30
    if today >= 4 and today >= 3 * max(usual, 0.5):
        found.append((today / max(usual, 0.5), f"card used {today:.0f} times today (usually {usual:.1f} a day)"))
    if row.get("TX_DURING_NIGHT", 0) == 1:
        found.append((0.5, "paid at night"))
    found.sort(key=lambda item: -item[0])
    return [text for _, text in found[:limit]]


def feature_effects(model: FraudModel, row: pd.DataFrame, reference: pd.Series) -> pd.Series:
    """How much the score drops when each feature is set back to a typical value (occlusion):
    positive means that feature pushed this payment towards an alert."""
    base = float(score(model, row)[0])
    variants = pd.concat([row] * len(model.features), ignore_index=True)
    for i, name in enumerate(model.features):
        variants.loc[i, name] = reference[name]
    changed = score(model, variants)
    labels = [FEATURE_LABELS.get(f, f) for f in model.features]
    return pd.Series(base - changed, index=labels)


def read_upload(
    source, n_customers: int, n_terminals: int, start: pd.Timestamp, end: pd.Timestamp, max_bytes: int = 2 * MB
) -> tuple[pd.DataFrame, list[RowProblem]]:
    """Parse a CSV of raw payments; return the good rows and one problem per bad cell.

    Payments must fall in the simulated period, from `start` up to (not including) `end`: the bank's
    cards and terminals have no history outside it.
    """
    raw = read_table(source, max_bytes=max_bytes)
    require_columns(raw, UPLOAD_COLUMNS)
    if len(raw) > MAX_UPLOAD_ROWS:
        raise InputError(f"the file has {len(raw):,} rows; the limit is {MAX_UPLOAD_ROWS:,}")
    frame, problems = numeric_column_problems(raw, {"TX_AMOUNT": (0, 100_000)})
    for column, count in (("CUSTOMER_ID", n_customers), ("TERMINAL_ID", n_terminals)):
        ids, bad = whole_number_column(raw[column], column)
        problems += [p for p in bad if p.message != "the value is missing"]
        outside = ids.notna() & ((ids < 0) | (ids > count - 1))
        for idx in np.flatnonzero(outside.to_numpy()):
            problems.append(RowProblem(int(idx) + 1, column, f"{ids.iloc[idx]:.0f} is outside 0 to {count - 1}"))
        frame[column] = ids.where(~outside)
    when, bad = date_column_problems(raw["TX_DATETIME"], "TX_DATETIME")
    problems += [p for p in bad if p.message != "the value is missing"]
    last = end - pd.Timedelta(days=1)
    outside = when.notna() & ((when < start) | (when >= end))
    for idx in np.flatnonzero(outside.to_numpy()):
        problems.append(
            RowProblem(
                int(idx) + 1,
                "TX_DATETIME",
                f"{when.iloc[idx]} is outside the simulated period {start:%Y-%m-%d} to {last:%Y-%m-%d}",
            )
        )
    frame["TX_DATETIME"] = when.where(~outside)
    blank = frame[list(UPLOAD_COLUMNS)].isna()
    reported = {(p.row, p.column) for p in problems}
    for idx, column in zip(*np.nonzero(blank.to_numpy()), strict=True):
        name = UPLOAD_COLUMNS[column]
        if (int(idx) + 1, name) not in reported:
            problems.append(RowProblem(int(idx) + 1, name, "the value is missing"))
    good = frame[~blank.any(axis=1)].copy()
    good["row"] = good.index + 1
    good["CUSTOMER_ID"] = good["CUSTOMER_ID"].astype(np.int64)
    good["TERMINAL_ID"] = good["TERMINAL_ID"].astype(np.int64)
    good["TX_DATETIME"] = good["TX_DATETIME"].astype("datetime64[ns]")
    return good.reset_index(drop=True), sorted(problems, key=lambda p: (p.row, p.column))


def score_upload(model: FraudModel, history: pd.DataFrame, good: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Score the good rows of an upload: the score, the decision, and the reasons."""
    if good.empty:
        return pd.DataFrame(columns=["row", *UPLOAD_COLUMNS, "score", "alert", "reasons"])
    featured = featurise_new(history, good[list(UPLOAD_COLUMNS)])
    scores = score(model, featured)
    out = good[["row", *UPLOAD_COLUMNS]].copy()
    out["score"] = np.round(scores, 4)
    out["alert"] = scores >= threshold
    out["reasons"] = ["; ".join(reasons(r)) or "nothing unusual" for _, r in featured.iterrows()]
    return out


def crafted_note(amount: float, score_value: float, effects: pd.Series, *, amount_rule: float | None) -> str:
    """What a made-up payment's verdict really rests on, in words computed from its numbers.

    `amount_rule` is the simulator's scenario-1 line (every payment above it is fraud), or None when that
    scenario is off. `effects` are `feature_effects` (score drop when one feature is set back to typical).
    """
    notes = []
    if amount_rule is not None and amount > amount_rule:
        notes.append(
            f"In this simulated bank every payment above €{amount_rule:,.0f} is fraud (the handbook's "
            "scenario 1), and the model learned that rule, so no trick hides such an amount. To beat the "
            f"detector, stay under €{amount_rule:,.0f} and spend like the card usually does."
        )
    largest = float(effects.abs().max()) if len(effects) else 0.0
    if score_value >= 0.5 and largest < 0.5 * score_value:
        notes.append(
            f"No single feature explains this score of {score_value:.2f}: setting any one back to a typical "
            f"value lowers it by at most {largest:.2f}, because other features carry the same signal "
            "(the amount also shows in the features that compare it with the card's habits)."
        )
    return " ".join(notes)


def first_morning(test: pd.DataFrame, hour: int = 8) -> int:
    """Position of the first payment at or after `hour` o'clock on the test week's first day, so a live
    stream starts with the bank's working day, not with a handful of night-time payments."""
    times = pd.to_datetime(test["TX_DATETIME"]).reset_index(drop=True)
    if times.empty:
        return 0
    later = np.flatnonzero((times >= times.iloc[0].normalize() + pd.Timedelta(hours=hour)).to_numpy())
    return int(later[0]) if len(later) else 0
