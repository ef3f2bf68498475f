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
from models.uploads import RowProblem, numeric_column_problems, read_table, require_columns

__all__ = ["featurise_new", "reasons", "feature_effects", "read_upload", "score_upload", "UPLOAD_COLUMNS"]

UPLOAD_COLUMNS = ("TX_DATETIME", "CUSTOMER_ID", "TERMINAL_ID", "TX_AMOUNT")
_HISTORY_DAYS = 30 + DELAY_DAYS + 1


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
        found.append((2 + frauds30 / 3, f"terminal had {frauds30:.0f} confirmed fraud{'s' * (frauds30 > 1)} "
                                        "in the past month"))
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


def read_upload(source, n_customers: int, n_terminals: int, start: pd.Timestamp, end: pd.Timestamp,
                max_bytes: int = 2 * 1024 * 1024) -> tuple[pd.DataFrame, list[RowProblem]]:
    """Parse a CSV of raw payments; return the good rows and one problem per bad cell."""
    raw = read_table(source, max_bytes=max_bytes)
    require_columns(raw, UPLOAD_COLUMNS)
    if len(raw) > 20_000:
        raise InputError(f"the file has {len(raw):,} rows; the limit is 20,000")
    frame, problems = numeric_column_problems(
        raw, {"CUSTOMER_ID": (0, n_customers - 1), "TERMINAL_ID": (0, n_terminals - 1), "TX_AMOUNT": (0, 100_000)}
    )
    when = pd.to_datetime(raw["TX_DATETIME"], errors="coerce", format="mixed")
    for idx in np.flatnonzero(when.isna().to_numpy()):
        problems.append(RowProblem(int(idx) + 1, "TX_DATETIME", f"{raw['TX_DATETIME'].iloc[idx]!r} is not a date"))
    outside = when.notna() & ((when < start) | (when > end))
    for idx in np.flatnonzero(outside.to_numpy()):
        problems.append(RowProblem(int(idx) + 1, "TX_DATETIME",
                                   f"{when.iloc[idx]} is outside the simulated period "
                                   f"{start:%Y-%m-%d} to {end:%Y-%m-%d}"))
    frame["TX_DATETIME"] = when.where(~outside)
    for column in ("CUSTOMER_ID", "TERMINAL_ID"):
        whole = frame[column].notna() & (frame[column] % 1 != 0)
        for idx in np.flatnonzero(whole.to_numpy()):
            problems.append(RowProblem(int(idx) + 1, column, f"{frame[column].iloc[idx]:g} is not a whole number"))
        frame.loc[whole, column] = np.nan
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
