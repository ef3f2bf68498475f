"""Model families as scikit-learn Pipelines (imputer -> scaler -> model), and model selection.

Selection (`select_config`) receives only a training frame: features, the regularisation strength,
calibration and the decision threshold are all chosen by repeated cross-validation on it.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.experimental import enable_iterative_imputer  # noqa: F401 - makes IterativeImputer importable
from sklearn.impute import IterativeImputer, KNNImputer, SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import RepeatedStratifiedKFold, cross_val_predict, cross_val_score
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from models.common import DEFAULT_SEED, InputError
from models.disease_risk.data import FEATURES, split_xy

__all__ = [
    "FAMILIES",
    "FAMILY_LABELS",
    "DEFAULT_PARAMS",
    "PARAM_LIMITS",
    "IMPUTERS",
    "CALIBRATIONS",
    "Config",
    "Selection",
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
C_GRID = (0.01, 0.1, 1.0, 10.0, 100.0)  # a decade grid, fixed before looking at any result
FEATURE_SETS = (FEATURES, tuple(f for f in FEATURES if f not in ("bp", "skin")))
THRESHOLD_GRID = tuple(np.round(np.arange(0.30, 0.71, 0.05), 2))


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


def select_config(train_frame: pd.DataFrame, seed: int = DEFAULT_SEED, imputer: str = "median") -> Selection:
    """Choose features, C, calibration and threshold for logistic regression by CV on `train_frame` only.

    Criterion: cross-validated log loss (it rewards honest probabilities, which a risk % needs);
    the threshold is the one with the fewest out-of-fold errors. The test set is not an argument.
    """
    cv = cv_splitter(seed)
    rows = []
    for features in FEATURE_SETS:
        X, y = split_xy(train_frame, features)
        for c in C_GRID:
            config = Config("logistic", (("C", c),), features, imputer)
            scores = cross_val_score(build_pipeline(config, seed), X, y, cv=cv, scoring="neg_log_loss")
            rows.append(
                {
                    "features": ", ".join(features),
                    "C": c,
                    "calibration": "none",
                    "cv log loss": -scores.mean(),
                    "sd": scores.std(),
                    "config": config,
                }
            )
    best = min(rows, key=lambda r: r["cv log loss"])["config"]
    X, y = split_xy(train_frame, best.features)
    for method in CALIBRATIONS[1:]:
        config = replace(best, calibration=method)
        scores = cross_val_score(build_pipeline(config, seed), X, y, cv=cv, scoring="neg_log_loss")
        rows.append(
            {
                "features": ", ".join(best.features),
                "C": dict(best.params)["C"],
                "calibration": method,
                "cv log loss": -scores.mean(),
                "sd": scores.std(),
                "config": config,
            }
        )
    best = min(rows, key=lambda r: r["cv log loss"])["config"]
    oof = cross_val_predict(build_pipeline(best, seed), X, y, cv=cv_splitter(seed, repeats=1), method="predict_proba")[
        :, 1
    ]
    thresholds = pd.DataFrame(
        {"threshold": THRESHOLD_GRID, "cv errors": [int(((oof >= t) != y).sum()) for t in THRESHOLD_GRID]}
    )
    # Ties go to the threshold nearest 0.5, the Bayes threshold for calibrated probabilities.
    thresholds["distance"] = (thresholds["threshold"] - 0.5).abs()
    chosen = thresholds.sort_values(["cv errors", "distance"]).iloc[0]["threshold"]
    table = pd.DataFrame(rows).drop(columns="config").sort_values("cv log loss").reset_index(drop=True)
    return Selection(replace(best, threshold=float(chosen)), table, thresholds.drop(columns="distance"))


def default_config(family: str = "logistic", **overrides: Any) -> Config:
    """A family's configuration with its default hyperparameters, overridden by keyword."""
    params = tuple(sorted({**DEFAULT_PARAMS[family], **overrides}.items())) if family in DEFAULT_PARAMS else ()
    return Config(family=family, params=params)


def chosen_config(training: str = "Pima.tr", seed: int = DEFAULT_SEED) -> Config:
    """The cross-validated default for a training set, kept as JSON under the cache folder.

    Rebuilt by `select_config` whenever the file is missing or unreadable, so the CLI answers fast.
    """
    import json

    from models.common import cache_dir
    from models.disease_risk.data import load_training

    path = cache_dir() / f"disease_risk_default_{training}_{seed}.json"
    try:
        raw = json.loads(path.read_text())
        config = Config(
            raw["family"],
            tuple((k, v) for k, v in raw["params"]),
            tuple(raw["features"]),
            raw["imputer"],
            raw["calibration"],
            float(raw["threshold"]),
        )
        _check(config)
        return config
    except (OSError, ValueError, KeyError, TypeError):
        pass
    config = select_config(load_training(training), seed).config
    payload = {
        "family": config.family,
        "params": list(config.params),
        "features": list(config.features),
        "imputer": config.imputer,
        "calibration": config.calibration,
        "threshold": config.threshold,
    }
    with contextlib.suppress(OSError):
        path.write_text(json.dumps(payload))
    return config
