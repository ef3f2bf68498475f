"""Time-ordered splits and the model families: supervised (logistic regression, random forest,
gradient boosting) and unsupervised (isolation forest).

Validation follows the handbook (chapter 3.5): train on one week, wait a week (labels arrive
late), test on the next week, and drop from each test day the cards already known to be
defrauded, since a bank would have blocked them. No random split: it would leak the future.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier, IsolationForest, RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from models.common import DEFAULT_SEED, InputError
from models.fraud.features import FEATURE_SETS

__all__ = [
    "MODELS",
    "DEFAULT_MODEL",
    "DEFAULT_FEATURES",
    "Split",
    "FraudModel",
    "time_split",
    "day_zero",
    "make_pipeline",
    "train",
    "score",
    "FIT_STEPS",
    "STEPPED_MODELS",
]

MODELS = {
    "boosting": "gradient boosting (HistGradientBoosting)",
    "forest": "random forest",
    "logistic": "logistic regression",
    "isolation": "isolation forest (no labels)",
}
DEFAULT_MODEL = "boosting"
DEFAULT_FEATURES = "extended"
BOOK_TRAIN_START = "2018-07-25"

# Hyperparameters: the measured-best defaults, and the ranges a page may offer (fast to fit).
DEFAULT_PARAMS: dict[str, dict] = {
    "boosting": {"learning_rate": 0.05, "max_iter": 300, "max_leaf_nodes": 15, "class_weight": "balanced"},
    "forest": {"n_estimators": 100, "max_depth": 20, "class_weight": None},
    "logistic": {"C": 1.0, "class_weight": None},
    "isolation": {"n_estimators": 100, "contamination": "auto"},
}


@dataclass(frozen=True)
class Split:
    """Train and test frames of one time-ordered split, and the days that bound them."""

    train: pd.DataFrame
    test: pd.DataFrame
    train_days: tuple[int, int]
    test_days: tuple[int, int]
    delay_days: int


@dataclass
class FraudModel:
    """A fitted pipeline and what it needs to score a frame of featured payments."""

    name: str
    features: tuple[str, ...]
    pipeline: Pipeline
    params: dict = field(default_factory=dict)
    fit_seconds: float = 0.0


def day_zero(data: pd.DataFrame) -> pd.Timestamp:
    """Midnight of the simulation's day 0, also when `data` starts later (a trimmed frame)."""
    first = data.iloc[0]
    return pd.Timestamp(first["TX_DATETIME"]).normalize() - pd.Timedelta(days=int(first["TX_TIME_DAYS"]))


def time_split(
    data: pd.DataFrame,
    train_start: str | pd.Timestamp | int | None = None,
    train_days: int = 7,
    delay_days: int = 7,
    test_days: int = 7,
) -> Split:
    """Train on `train_days`, skip `delay_days`, test on `test_days`, as the handbook does.

    `train_start` is a date, a day index, or None: the book's 2018-07-25 when the data reach
    that far, else the latest start that leaves room for the delay and the test week.
    """
    n_days = int(data["TX_TIME_DAYS"].max()) + 1
    first = day_zero(data)
    if train_start is None:
        book = (pd.Timestamp(BOOK_TRAIN_START) - first).days
        start = book if 37 <= book <= n_days - train_days - delay_days - test_days else None
        start = start if start is not None else n_days - train_days - delay_days - test_days
    elif isinstance(train_start, (int, np.integer)):
        start = int(train_start)
    else:
        start = (pd.Timestamp(train_start) - first).days
    end_test = start + train_days + delay_days + test_days
    first_day = int(data["TX_TIME_DAYS"].min())
    if start < first_day or end_test > n_days:
        raise InputError(
            f"the split needs days {start} to {end_test - 1} but the data have days {first_day} to {n_days - 1}"
        )
    days = data["TX_TIME_DAYS"].to_numpy()
    train = data[(days >= start) & (days < start + train_days)]
    known = set(train.loc[train["TX_FRAUD"] == 1, "CUSTOMER_ID"])
    parts = []
    for i in range(test_days):
        day = start + train_days + delay_days + i
        # Cards with a fraud label known by then (frauds up to `delay` days before) are blocked.
        seen = data[(days == start + train_days + i - 1) & (data["TX_FRAUD"].to_numpy() == 1)]
        known |= set(seen["CUSTOMER_ID"])
        today = data[days == day]
        parts.append(today[~today["CUSTOMER_ID"].isin(known)])
    test = pd.concat(parts)
    return Split(
        train, test, (start, start + train_days - 1), (start + train_days + delay_days, end_test - 1), delay_days
    )


def make_pipeline(model: str = DEFAULT_MODEL, seed: int = DEFAULT_SEED, **params) -> Pipeline:
    """imputer -> scaler -> model, so each widget maps to one `model__<name>` parameter."""
    if model not in MODELS:
        raise InputError(f"unknown model {model!r}; choose from {', '.join(MODELS)}")
    chosen = {**DEFAULT_PARAMS[model], **params}
    if model == "boosting":
        estimator = HistGradientBoostingClassifier(early_stopping=False, random_state=seed, **chosen)
    elif model == "forest":
        estimator = RandomForestClassifier(n_jobs=2, random_state=seed, min_samples_leaf=1, **chosen)
    elif model == "logistic":
        estimator = LogisticRegression(max_iter=1000, **chosen)
    else:
        estimator = IsolationForest(random_state=seed, n_jobs=1, **chosen)
    return Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler()), ("model", estimator)])


FIT_STEPS = 8
"""A forest reports progress this many times while it grows (see `_fit_in_steps`)."""
STEPPED_MODELS = ("forest", "isolation")
"""Forests warm-start cheaply (new trees only). Boosting does not: each warm start re-bins the data and
re-predicts every earlier tree, so eight steps took 14 s against 3 s in one go; it fits in one go."""


def _fit_in_steps(
    pipeline: Pipeline, x: np.ndarray, y: np.ndarray | None, on_progress: Callable[[float], None]
) -> None:
    """Grow a forest a slice of its trees at a time, calling `on_progress(share done)` in between.

    scikit-learn's warm start continues the same fit (forests skip the seeds already drawn), so the model
    equals a one-shot fit. Between slices the caller may stop the fit by raising: a page uses this to
    abandon a long training when the visitor changes a parameter again.
    """
    prepare, estimator = pipeline[:-1], pipeline[-1]
    xt = prepare.fit_transform(x)
    total = int(estimator.get_params()["n_estimators"])
    sizes = sorted({max(1, round(total * k / FIT_STEPS)) for k in range(1, FIT_STEPS + 1)})
    estimator.set_params(warm_start=True)
    for grown in sizes:
        estimator.set_params(n_estimators=grown)
        estimator.fit(xt) if y is None else estimator.fit(xt, y)
        on_progress(grown / total)
    estimator.set_params(warm_start=False)


def train(
    train_frame: pd.DataFrame,
    model: str = DEFAULT_MODEL,
    features: str = DEFAULT_FEATURES,
    seed: int = DEFAULT_SEED,
    on_progress: Callable[[float], None] | None = None,
    **params,
) -> FraudModel:
    """Fit one model family on featured payments (the isolation forest ignores the labels).

    `on_progress(share)` is called as a forest grows (and once at the end for the other families);
    an exception raised there stops the fit.
    """
    import time

    if features not in FEATURE_SETS:
        raise InputError(f"unknown feature set {features!r}; choose from {', '.join(FEATURE_SETS)}")
    columns = FEATURE_SETS[features]
    pipeline = make_pipeline(model, seed, **params)
    x = train_frame[list(columns)].to_numpy(np.float32)
    if model != "isolation" and train_frame["TX_FRAUD"].nunique() < 2:
        raise InputError("the training days contain no fraud at all; pick more days or a higher fraud rate")
    start = time.perf_counter()
    # Small fits run single-threaded: on a shared 2-core laptop OpenMP threads fighting over cores
    # make a seconds-long fit take minutes.
    y = None if model == "isolation" else train_frame["TX_FRAUD"].to_numpy()
    with threadpool_limits(limits=1 if len(x) < 50_000 else None):
        if on_progress is not None and model in STEPPED_MODELS:
            _fit_in_steps(pipeline, x, y, on_progress)
        else:
            pipeline.fit(x) if y is None else pipeline.fit(x, y)
            if on_progress is not None:
                on_progress(1.0)
    return FraudModel(model, columns, pipeline, {**DEFAULT_PARAMS[model], **params}, time.perf_counter() - start)


def score(model: FraudModel, frame: pd.DataFrame) -> np.ndarray:
    """Fraud scores in [0, 1], higher is more suspicious; for the isolation forest, the anomaly
    score 2^(-E[h(x)]/c(n)) of Liu et al. (2008)."""
    x = frame[list(model.features)].to_numpy(np.float32)
    if model.name == "isolation":
        return -model.pipeline.score_samples(x)
    return model.pipeline.predict_proba(x)[:, 1]
