"""One patient's risk, why, and what-if; and batch scoring of a file of patients.

Explanations: for plain logistic regression the exact contribution of each measurement to the
log-odds (coefficient x distance from the training mean); for every other model, the change in
risk when that measurement is replaced by the training median ("replace-by-median"), which is
approximate and need not sum to the total.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from models.common import InputError
from models.risk.data import FEATURE_INFO, FEATURES, plausible_ranges
from models.uploads import DEFAULT_MAX_BYTES, RowProblem, numeric_column_problems, read_table, require_columns

__all__ = [
    "Explanation",
    "patient_frame",
    "predict_risk",
    "explain_patient",
    "risk_curve",
    "population_percentile",
    "score_batch",
    "EXACT_METHOD",
    "MEDIAN_METHOD",
]

EXACT_METHOD = "exact logistic-regression contributions (coefficient × distance from the average patient, in log-odds)"
MEDIAN_METHOD = "replace-by-median: how much the risk changes if this measurement were the training median"


@dataclass(frozen=True)
class Explanation:
    """Per-measurement pushes for one patient; `unit` says whether they are log-odds or risk points."""

    risk: float
    contributions: pd.Series
    method: str
    unit: str
    baseline: float  # risk (or log-odds) of the reference patient the pushes start from


def patient_frame(values: dict[str, float]) -> pd.DataFrame:
    """A one-row frame from measurements; missing ones become NaN (the model's imputer fills them)."""
    unknown = [k for k in values if k not in FEATURES]
    if unknown:
        raise InputError(f"unknown measurement {unknown[0]!r}; known: {', '.join(FEATURES)}")
    row = {}
    for name in FEATURES:
        value = values.get(name)
        if value is None or (isinstance(value, float) and np.isnan(value)):
            row[name] = np.nan
            continue
        info = FEATURE_INFO[name]
        if not info.low <= float(value) <= info.high:
            raise InputError(f"{name}={value:g} is outside the plausible {info.low:g} to {info.high:g} {info.unit}")
        row[name] = float(value)
    return pd.DataFrame([row])


def predict_risk(model: Pipeline, values: dict[str, float] | pd.DataFrame) -> float:
    """Calibrated probability (0-1) of diabetes within five years for one patient."""
    frame = values if isinstance(values, pd.DataFrame) else patient_frame(values)
    return float(model.predict_proba(frame[list(model.feature_names_in_)])[:, 1][0])


def _is_plain_logistic(model: Pipeline) -> bool:
    return isinstance(model.named_steps["model"], LogisticRegression)


def explain_patient(model: Pipeline, values: dict[str, float], train_frame: pd.DataFrame) -> Explanation:
    """Which measurements push this patient's risk up or down, and by how much."""
    frame = patient_frame(values)
    features = list(model.feature_names_in_)
    risk = predict_risk(model, frame)
    if _is_plain_logistic(model):
        z = model[:-1].transform(frame[features])[0]
        coef = model.named_steps["model"].coef_[0]
        scaler = model.named_steps["scale"]
        centre = np.zeros_like(coef) if scaler != "passthrough" else model.named_steps["impute"].statistics_
        contrib = pd.Series(coef * (z - centre), index=features)
        baseline = float(model.named_steps["model"].intercept_[0])
        return Explanation(risk, contrib, EXACT_METHOD, "log-odds", baseline)
    medians = train_frame[features].median()
    swapped = pd.concat([frame[features]] * len(features), ignore_index=True)
    for i, name in enumerate(features):
        swapped.loc[i, name] = medians[name]
    pushes = dict(zip(features, risk - model.predict_proba(swapped)[:, 1], strict=True))  # one call: fast for forests
    return Explanation(risk, pd.Series(pushes) * 100, MEDIAN_METHOD, "risk points (%)", float("nan"))


def risk_curve(model: Pipeline, values: dict[str, float], feature: str, points: int = 60) -> pd.DataFrame:
    """Risk for this patient as one measurement sweeps its range, everything else held fixed."""
    if feature not in FEATURES:
        raise InputError(f"unknown measurement {feature!r}; known: {', '.join(FEATURES)}")
    info = FEATURE_INFO[feature]
    grid = np.linspace(info.slider_low, info.slider_high, points)
    frame = pd.concat([patient_frame(values)] * points, ignore_index=True)
    frame[feature] = grid
    risk = model.predict_proba(frame[list(model.feature_names_in_)])[:, 1]
    return pd.DataFrame({feature: grid, "risk": risk})


def population_percentile(risk: float, population_risks: np.ndarray) -> float:
    """Share (%) of the reference population whose predicted risk is below this one."""
    population_risks = np.asarray(population_risks)
    return float(100 * (population_risks < risk).mean()) if len(population_risks) else float("nan")


def score_batch(
    model: Pipeline, source: str | Path | bytes | io.IOBase, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[pd.DataFrame, list[RowProblem]]:
    """Risk for every good row of a CSV; each bad cell reported by row and column, never silently dropped.

    A row with any missing, non-numeric or impossible value is not scored (its problems say why).
    A missing column is a whole-file problem (`InputError`), because then no row can be scored.
    """
    table = read_table(source, max_bytes=max_bytes)
    features = list(model.feature_names_in_)
    require_columns(table, features, what="file")
    numbers, problems = numeric_column_problems(table, {k: v for k, v in plausible_ranges().items() if k in features})
    for column in features:
        blank = table[column].isna() | (table[column].astype(str).str.strip() == "")
        problems += [RowProblem(int(i) + 1, column, "value is missing") for i in np.flatnonzero(blank.to_numpy())]
    bad_rows = {p.row for p in problems}
    good = np.array([i + 1 not in bad_rows for i in range(len(table))], dtype=bool)
    out = numbers.copy()
    out.insert(0, "row", np.arange(1, len(table) + 1))
    out["risk %"] = np.nan
    if good.any():
        out.loc[good, "risk %"] = 100 * model.predict_proba(numbers.loc[good, features].astype(float))[:, 1]
    out["status"] = np.where(good, "scored", "not scored: see problems")
    problems.sort(key=lambda p: (p.row, p.column))
    return out, problems
