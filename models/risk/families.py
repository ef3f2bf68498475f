"""Model families as scikit-learn Pipelines (imputer -> scaler -> model), and model selection.

Selection (`select_config`) receives only a training frame: features, the regularisation strength,
calibration and the decision threshold are all chosen by repeated cross-validation on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.experimental import enable_iterative_imputer  # noqa: F401 - makes IterativeImputer importable
from sklearn.impute import IterativeImputer, KNNImputer, SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import (
    GridSearchCV,
    RepeatedStratifiedKFold,
    TunedThresholdClassifierCV,
    cross_validate,
)
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from models.common import DEFAULT_SEED, InputError
from models.disk_cache import disk_cache
from models.risk.data import FEATURES, split_xy

__all__ = [
    "FAMILIES",
    "FAMILY_LABELS",
    "DEFAULT_PARAMS",
    "PARAM_LIMITS",
    "IMPUTERS",
    "CALIBRATIONS",
    "Config",
    "Selection",
    "selected",
    "build_pipeline",
    "train",
    "select_config",
    "default_config",
    "cv_splitter",
]

FAMILIES = ("logistic", "tree", "forest", "boosting", "mlp")
FAMILY_LABELS = {
    "logistic": "Logistic regression",
    "tree": "Decision tree",
    "forest": "Random forest",
    "boosting": "Gradient boosting",
    "mlp": "Neural network (MLP)",
}
DEFAULT_PARAMS: dict[str, dict[str, Any]] = {
    "logistic": {"C": 1.0},
    "tree": {"max_depth": 3, "min_samples_leaf": 10},
    "forest": {"n_estimators": 200, "max_depth": 5},
    "boosting": {"n_estimators": 100, "learning_rate": 0.05, "max_depth": 2},
    "mlp": {"hidden": 8, "alpha": 1.0},
}
# Ranges a widget, URL or CLI may ask for: each keeps one fit well under two seconds on a laptop.
PARAM_LIMITS: dict[str, tuple[float, float]] = {
    "C": (0.001, 1000.0),
    "max_depth": (1, 8),
    "min_samples_leaf": (1, 50),
    "n_estimators": (10, 400),
    "learning_rate": (0.01, 1.0),
    "hidden": (2, 64),
    "alpha": (0.0001, 100.0),
}
IMPUTERS = ("median", "knn", "iterative")
CALIBRATIONS = ("none", "sigmoid", "isotonic")
C_GRID = tuple(float(c) for c in np.round(np.logspace(-2, 2, 9), 4))  # 0.01-100 in third-decade steps
FEATURE_SETS = (FEATURES, tuple(f for f in FEATURES if f not in ("bp", "skin")))
THRESHOLD_GRID = tuple(np.round(np.arange(0.30, 0.71, 0.05), 2))
GRID_REPEATS = 4  # 20 folds for the grid: log loss is a smooth criterion, so this settles the choice
THRESHOLD_REPEATS = 10  # 50 folds for the threshold: error counts are jumpy, so it gets more
SELECTED_CALIBRATIONS = ("sigmoid",)
"""Isotonic calibration is left to the visitor: on 160 training rows per fold it overfits (scikit-learn's
calibration guide advises it only for well over 1,000 samples)."""


@dataclass(frozen=True)
class Config:
    """Everything that defines one trained model: hashable, so pages can cache by it."""

    family: str = "logistic"
    params: tuple[tuple[str, Any], ...] = ()
    features: tuple[str, ...] = FEATURES
    imputer: str = "median"
    calibration: str = "none"
    threshold: float = 0.5

    @property
    def param_dict(self) -> dict[str, Any]:
        return {**DEFAULT_PARAMS[self.family], **dict(self.params)}

    def describe(self) -> str:
        params = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in self.param_dict.items())
        return (
            f"{FAMILY_LABELS[self.family]} ({params}); features {', '.join(self.features)}; "
            f"{self.imputer} imputation; calibration {self.calibration}; threshold {self.threshold:.2f}"
        )


@dataclass(frozen=True)
class Selection:
    """The chosen configuration and the cross-validated table that chose it."""

    config: Config
    table: pd.DataFrame = field(compare=False)
    threshold_table: pd.DataFrame = field(compare=False)


def _check(config: Config) -> None:
    if config.family not in FAMILIES:
        raise InputError(f"unknown model {config.family!r}; choose one of {', '.join(FAMILIES)}")
    if config.imputer not in IMPUTERS:
        raise InputError(f"unknown imputer {config.imputer!r}; choose one of {', '.join(IMPUTERS)}")
    if config.calibration not in CALIBRATIONS:
        raise InputError(f"unknown calibration {config.calibration!r}; choose one of {', '.join(CALIBRATIONS)}")
    for key, value in config.params:
        if key not in DEFAULT_PARAMS[config.family]:
            raise InputError(
                f"{config.family} has no setting {key!r}; it has {', '.join(DEFAULT_PARAMS[config.family])}"
            )
        low, high = PARAM_LIMITS[key]
        if not low <= float(value) <= high:
            raise InputError(f"{key}={value} is outside the allowed {low:g} to {high:g}")
    if not 0.0 < config.threshold < 1.0:
        raise InputError(f"threshold {config.threshold} must be between 0 and 1")


def _imputer(kind: str, seed: int) -> Any:
    if kind == "median":
        return SimpleImputer(strategy="median")
    if kind == "knn":
        return KNNImputer(n_neighbors=5)
    return IterativeImputer(max_iter=10, random_state=seed)


def _estimator(family: str, p: dict[str, Any], seed: int) -> Any:
    if family == "logistic":
        return LogisticRegression(C=float(p["C"]), max_iter=1000)
    if family == "tree":
        return DecisionTreeClassifier(
            max_depth=int(p["max_depth"]), min_samples_leaf=int(p["min_samples_leaf"]), random_state=seed
        )
    if family == "forest":
        return RandomForestClassifier(
            n_estimators=int(p["n_estimators"]),
            max_depth=int(p["max_depth"]),
            min_samples_leaf=3,
            random_state=seed,
            n_jobs=1,
        )
    if family == "boosting":
        return GradientBoostingClassifier(
            n_estimators=int(p["n_estimators"]),
            learning_rate=float(p["learning_rate"]),
            max_depth=int(p["max_depth"]),
            random_state=seed,
        )
    return MLPClassifier(
        hidden_layer_sizes=(int(p["hidden"]),), alpha=float(p["alpha"]), max_iter=2000, random_state=seed
    )


def build_pipeline(config: Config, seed: int = DEFAULT_SEED) -> Pipeline:
    """An unfitted Pipeline. Trees skip the scaler so their split points read in clinical units."""
    _check(config)
    model = _estimator(config.family, config.param_dict, seed)
    if config.calibration != "none":
        model = CalibratedClassifierCV(model, method=config.calibration, cv=5)
    scaler = StandardScaler() if config.family in ("logistic", "mlp") else "passthrough"
    return Pipeline([("impute", _imputer(config.imputer, seed)), ("scale", scaler), ("model", model)])


def train(frame: pd.DataFrame, config: Config | None = None, seed: int = DEFAULT_SEED) -> Pipeline:
    """Fit the pipeline of `config` on a training frame (features + `diabetes`)."""
    config = config or Config()
    X, y = split_xy(frame, config.features)
    return build_pipeline(config, seed).fit(X, y)


def cv_splitter(seed: int = DEFAULT_SEED, repeats: int = 4) -> RepeatedStratifiedKFold:
    """Repeated stratified 5-fold: on 200 patients one 5-fold split is too noisy to choose by."""
    return RepeatedStratifiedKFold(n_splits=5, n_repeats=repeats, random_state=seed)


def _selectable_pipeline(imputer: str, seed: int) -> Pipeline:
    """The logistic pipeline behind a column picker, so `GridSearchCV` can search feature sets too."""
    base = build_pipeline(Config("logistic", imputer=imputer), seed)
    pick = ColumnTransformer([("keep", "passthrough", list(range(len(FEATURES))))])
    return Pipeline([("pick", pick), *base.steps])


def select_config(
    train_frame: pd.DataFrame,
    seed: int = DEFAULT_SEED,
    imputer: str = "median",
    grid_repeats: int = GRID_REPEATS,
    threshold_repeats: int = THRESHOLD_REPEATS,
) -> Selection:
    """Choose features, C, calibration and threshold for logistic regression by CV on `train_frame` only.

    Three steps, each with scikit-learn's own tools on repeated stratified folds of the training frame:
    `GridSearchCV` picks the feature set and C by cross-validated log loss (it rewards honest
    probabilities, which a risk % needs); a calibration step is added only if it beats that by more
    than one standard error (the one-standard-error rule: a step that adds parts must earn them);
    `TunedThresholdClassifierCV` picks the threshold with the highest mean accuracy, i.e. the fewest
    errors, over `threshold_repeats` x 5 folds, since one split's error count is too jumpy to choose by.
    The test set is not an argument. Folds run on plain arrays: pandas checks would double the time.
    """
    frame_X, y = split_xy(train_frame, FEATURES)
    X = frame_X.to_numpy(dtype=float)
    columns = {name: i for i, name in enumerate(FEATURES)}
    cv = cv_splitter(seed, grid_repeats)
    grid = {
        "pick__transformers": [[("keep", "passthrough", [columns[n] for n in f])] for f in FEATURE_SETS],
        "model__C": list(C_GRID),
    }
    search = GridSearchCV(
        _selectable_pipeline(imputer, seed),
        grid,
        scoring={"log loss": "neg_log_loss", "auc": "roc_auc"},
        refit="log loss",
        cv=cv,
        n_jobs=1,
    ).fit(X, y)
    res = search.cv_results_
    n_splits = cv.get_n_splits()
    rows = [
        {
            "features": ", ".join(FEATURES[i] for i in params["pick__transformers"][0][2]),
            "C": params["model__C"],
            "calibration": "none",
            "cv log loss": -res["mean_test_log loss"][i],
            "sd": res["std_test_log loss"][i],
            "cv AUC": res["mean_test_auc"][i],
        }
        for i, params in enumerate(res["params"])
    ]
    best_i = int(search.best_index_)
    best = Config(
        "logistic",
        (("C", search.best_params_["model__C"]),),
        tuple(FEATURES[i] for i in search.best_params_["pick__transformers"][0][2]),
        imputer,
    )
    X_best = X[:, [columns[n] for n in best.features]]
    one_se = float(res["std_test_log loss"][best_i] / np.sqrt(n_splits))
    chosen, chosen_loss = best, -float(res["mean_test_log loss"][best_i])
    for method in SELECTED_CALIBRATIONS:
        config = replace(best, calibration=method)
        scores = cross_validate(
            build_pipeline(config, seed), X_best, y, cv=cv, scoring={"log loss": "neg_log_loss", "auc": "roc_auc"}
        )
        loss = -float(scores["test_log loss"].mean())
        rows.append(
            {
                "features": ", ".join(best.features),
                "C": dict(best.params)["C"],
                "calibration": method,
                "cv log loss": loss,
                "sd": float(scores["test_log loss"].std()),
                "cv AUC": float(scores["test_auc"].mean()),
            }
        )
        if loss < chosen_loss and loss < -float(res["mean_test_log loss"][best_i]) - one_se:
            chosen, chosen_loss = config, loss
    tuned = TunedThresholdClassifierCV(
        build_pipeline(chosen, seed),
        scoring="accuracy",
        thresholds=list(THRESHOLD_GRID),
        cv=cv_splitter(seed, threshold_repeats),
        store_cv_results=True,
    ).fit(X[:, [columns[n] for n in chosen.features]], y)
    curve = dict(zip(np.round(tuned.cv_results_["thresholds"], 2), tuned.cv_results_["scores"], strict=True))
    thresholds = pd.DataFrame(
        {
            "threshold": THRESHOLD_GRID,
            "cv errors": [round(len(y) * (1 - curve[t]), 1) for t in THRESHOLD_GRID],
        }
    )
    table = pd.DataFrame(rows)
    table["chosen"] = (
        (table["features"] == ", ".join(chosen.features))
        & (table["C"] == dict(chosen.params)["C"])
        & (table["calibration"] == chosen.calibration)
    )
    table = table.sort_values("cv log loss").reset_index(drop=True)
    return Selection(replace(chosen, threshold=float(round(tuned.best_threshold_, 2))), table, thresholds)


def default_config(family: str = "logistic", **overrides: Any) -> Config:
    """A family's configuration with its default hyperparameters, overridden by keyword."""
    params = tuple(sorted({**DEFAULT_PARAMS[family], **overrides}.items())) if family in DEFAULT_PARAMS else ()
    return Config(family=family, params=params)


@disk_cache("models.risk")
def selected(training: str = "Pima.tr", seed: int = DEFAULT_SEED) -> Selection:
    """`select_config` on a shipped training set, kept on disk: the slowest step of a fresh server and CLI."""
    from models.risk.data import load_training

    return select_config(load_training(training), seed)


def chosen_config(training: str = "Pima.tr", seed: int = DEFAULT_SEED) -> Config:
    """The cross-validated default for a shipped training set."""
    return selected(training, seed).config
