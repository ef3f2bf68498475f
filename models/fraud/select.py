"""Model selection on the handbook's validation weeks, then a test on its later weeks.

Le Borgne et al., *Reproducible Machine Learning for Credit Card Fraud Detection*, Chapter 5
("Validation strategies", "Model selection"): prequential validation. With T the first training day
of the test period, validation fold i trains on the 7 days from T - 14 - 7i, waits the 7-day label
delay and validates on the next 7 days; test fold i does the same from T - 7i. Validation ends the day
before the test folds' last test week begins, and the test weeks' labels are never read by selection.
`GridSearchCV` runs the search over these fixed folds (family and hyperparameters in one grid).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from threadpoolctl import threadpool_limits

from models.common import DEFAULT_SEED, InputError
from models.fraud.evaluate import evaluate_scores
from models.fraud.features import FEATURE_SETS
from models.fraud.train import DEFAULT_FEATURES, make_pipeline, time_split

__all__ = [
    "CANDIDATES",
    "HANDBOOK_AFTER_SELECTION",
    "FoldDays",
    "Selection",
    "prequential_folds",
    "candidate_grid",
    "select_on_validation",
    "prequential_test_report",
]

HANDBOOK_AFTER_SELECTION = {"auc": 0.870, "average_precision": 0.687, "card_precision_at_100": 0.303}
"""Chapter 5's best row after selection (XGBoost AP and CP@100, random forest AUC), test mean over 4 folds."""
WEEK = 7


@dataclass(frozen=True)
class FoldDays:
    """One prequential fold: the first training day (an index into the simulation's days)."""

    train_start: int


@dataclass(frozen=True)
class Selection:
    """The validated winner, and the whole grid's validation table."""

    model: str
    params: dict
    table: pd.DataFrame


def prequential_folds(train_start: int, n_folds: int = 4, *, validation: bool) -> list[FoldDays]:
    """The handbook's folds: validation ones start 14 days (delay + one assessment week) before the test ones."""
    shift = 2 * WEEK if validation else 0
    return [FoldDays(train_start - shift - WEEK * i) for i in range(n_folds)]


def _model_steps(seed: int) -> list[tuple[str, object]]:
    """(family, estimator) candidates, fixed before any result was seen; each fits in seconds on one week."""
    out: list[tuple[str, object]] = []
    for weight in ("balanced", None):
        for leaves in (15, 31):
            for rate in (0.05, 0.1):
                out.append(
                    (
                        "boosting",
                        HistGradientBoostingClassifier(
                            learning_rate=rate,
                            max_iter=300,
                            max_leaf_nodes=leaves,
                            class_weight=weight,
                            early_stopping=False,
                            random_state=seed,
                        ),
                    )
                )
    for depth in (10, 20):
        out.append(("forest", RandomForestClassifier(n_estimators=100, max_depth=depth, n_jobs=1, random_state=seed)))
    for c in (0.1, 1.0, 10.0):
        out.append(("logistic", LogisticRegression(C=c, max_iter=1000)))
    return out


CANDIDATES = tuple(name for name, _ in _model_steps(DEFAULT_SEED))


def candidate_grid(seed: int = DEFAULT_SEED, families: tuple[str, ...] = ("boosting", "forest", "logistic")) -> dict:
    """The `GridSearchCV` grid: the pipeline's `model` step swapped for each candidate estimator."""
    return {"model": [est for name, est in _model_steps(seed) if name in families]}


def _family(estimator: object) -> str:
    if isinstance(estimator, HistGradientBoostingClassifier):
        return "boosting"
    if isinstance(estimator, RandomForestClassifier):
        return "forest"
    return "logistic"


def _indexed_folds(data: pd.DataFrame, folds: list[FoldDays]) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train positions, assessment positions) into `data` for each fold, via the handbook's `time_split`."""
    position = pd.Series(np.arange(len(data)), index=data.index)
    out = []
    for fold in folds:
        split = time_split(data, fold.train_start)
        if split.train["TX_FRAUD"].nunique() < 2 or split.test["TX_FRAUD"].nunique() < 2:
            raise InputError(f"the fold starting on day {fold.train_start} has no fraud to learn or check")
        out.append((position[split.train.index].to_numpy(), position[split.test.index].to_numpy()))
    return out


def select_on_validation(
    data: pd.DataFrame,
    test_train_start: int,
    seed: int = DEFAULT_SEED,
    features: str = DEFAULT_FEATURES,
    n_folds: int = 4,
    families: tuple[str, ...] = ("boosting", "forest", "logistic"),
) -> Selection:
    """Choose family and hyperparameters by mean average precision over the validation folds only.

    Average precision is the criterion because frauds are under 1 % of payments: AUC barely moves
    between good models, while AP rewards what an investigator sees at the top of the list.
    """
    if data.index.has_duplicates:
        raise InputError("the payments frame needs a unique index")
    folds = prequential_folds(test_train_start, n_folds, validation=True)
    x = data[list(FEATURE_SETS[features])].to_numpy(np.float32)
    y = data["TX_FRAUD"].to_numpy()
    search = GridSearchCV(
        make_pipeline("logistic", seed),
        candidate_grid(seed, families),
        scoring={"average_precision": "average_precision", "auc": "roc_auc"},
        refit=False,
        cv=_indexed_folds(data, folds),
        n_jobs=1,
    )
    with threadpool_limits(1):
        search.fit(x, y)
    res = search.cv_results_
    rows = []
    for i, params in enumerate(res["params"]):
        est = params["model"]
        rows.append(
            {
                "family": _family(est),
                "params": _describe(est),
                "validation AP": res["mean_test_average_precision"][i],
                "AP sd": res["std_test_average_precision"][i],
                "validation AUC": res["mean_test_auc"][i],
            }
        )
    table = pd.DataFrame(rows).sort_values("validation AP", ascending=False).reset_index(drop=True)
    best = res["params"][int(np.argmax(res["mean_test_average_precision"]))]["model"]
    return Selection(_family(best), _kept_params(best), table)


_KEPT = {
    "boosting": ("learning_rate", "max_iter", "max_leaf_nodes", "class_weight"),
    "forest": ("n_estimators", "max_depth"),
    "logistic": ("C",),
}


def _kept_params(estimator: object) -> dict:
    params = estimator.get_params()
    return {k: params[k] for k in _KEPT[_family(estimator)]}


def _describe(estimator: object) -> str:
    return ", ".join(f"{k}={v}" for k, v in _kept_params(estimator).items())


def prequential_test_report(
    data: pd.DataFrame,
    selection: Selection,
    test_train_start: int,
    seed: int = DEFAULT_SEED,
    features: str = DEFAULT_FEATURES,
    n_folds: int = 4,
) -> pd.DataFrame:
    """The selected model's AUC, AP and card precision@100 on each test fold (the handbook's test protocol)."""
    from models.fraud.train import score, train

    rows = []
    for fold in prequential_folds(test_train_start, n_folds, validation=False):
        split = time_split(data, fold.train_start)
        model = train(split.train, selection.model, features, seed, **selection.params)
        metrics = evaluate_scores(split.test, score(model, split.test))
        rows.append({"train_start": fold.train_start, **metrics.as_dict()})
    return pd.DataFrame(rows)
