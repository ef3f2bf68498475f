"""Held-out evaluation with bootstrap intervals, cross-validated figures, and the engineer's-view frames.

`Pima.te` enters only through the `test` arguments here, after a configuration is fixed.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd
from scipy.stats import rankdata
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss, precision_recall_curve, roc_auc_score, roc_curve
from sklearn.model_selection import StratifiedKFold, cross_validate
from sklearn.pipeline import Pipeline

from models.common import DEFAULT_SEED
from models.risk.data import FEATURES, split_xy
from models.risk.families import (
    FAMILIES,
    FAMILY_LABELS,
    IMPUTERS,
    Config,
    build_pipeline,
    cv_splitter,
    default_config,
    select_config,
    train,
)

__all__ = [
    "TestReport",
    "predict_proba",
    "evaluate",
    "bootstrap_ci",
    "curves",
    "cv_metrics",
    "compare_families",
    "imputation_effect",
    "learning_curve",
    "model_arena",
    "slice_report",
    "breast_cancer_report",
    "selection_over_seeds",
    "AGE_BANDS",
]

AGE_BANDS = ((21, 29, "21-29"), (30, 39, "30-39"), (40, 49, "40-49"), (50, 120, "50+"))
MIN_CASES = 10  # below this many diabetic women in a group, its sensitivity means little


@dataclass(frozen=True)
class TestReport:
    """Figures on the held-out set at one threshold, with 95% bootstrap intervals."""

    n: int
    errors: int
    errors_lo: float
    errors_hi: float
    accuracy: float
    auc: float
    auc_lo: float
    auc_hi: float
    brier: float
    sensitivity: float
    specificity: float
    threshold: float
    tp: int
    fp: int
    tn: int
    fn: int

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def predict_proba(model: Pipeline, frame: pd.DataFrame) -> np.ndarray:
    """Probability of diabetes for each row, using the columns the model was trained on."""
    return model.predict_proba(frame[list(model.feature_names_in_)])[:, 1]


def _fast_auc(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Row-wise AUC (Mann-Whitney) of 2-D arrays, for thousands of bootstrap draws at once."""
    ranks = rankdata(p, axis=-1)
    pos = y.sum(axis=-1)
    neg = y.shape[-1] - pos
    with np.errstate(invalid="ignore", divide="ignore"):
        return ((ranks * y).sum(axis=-1) - pos * (pos + 1) / 2) / (pos * neg)


def bootstrap_ci(
    y: np.ndarray, p: np.ndarray, threshold: float, seed: int = DEFAULT_SEED, n_boot: int = 1000
) -> dict[str, float]:
    """95% percentile intervals for the error count and AUC, resampling test patients."""
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(y), size=(n_boot, len(y)))
    yb, pb = y[idx], p[idx]
    errors = ((pb >= threshold) != yb).sum(axis=1)
    auc = _fast_auc(yb, pb)
    return {
        "errors_lo": float(np.percentile(errors, 2.5)),
        "errors_hi": float(np.percentile(errors, 97.5)),
        "auc_lo": float(np.nanpercentile(auc, 2.5)),
        "auc_hi": float(np.nanpercentile(auc, 97.5)),
    }


def _report(y: np.ndarray, p: np.ndarray, threshold: float, seed: int, n_boot: int) -> TestReport:
    pred = p >= threshold
    tp, fp = int((pred & (y == 1)).sum()), int((pred & (y == 0)).sum())
    tn, fn = int((~pred & (y == 0)).sum()), int((~pred & (y == 1)).sum())
    ci = bootstrap_ci(y, p, threshold, seed, n_boot)
    return TestReport(
        n=len(y),
        errors=fp + fn,
        errors_lo=ci["errors_lo"],
        errors_hi=ci["errors_hi"],
        accuracy=(tp + tn) / len(y),
        auc=float(roc_auc_score(y, p)),
        auc_lo=ci["auc_lo"],
        auc_hi=ci["auc_hi"],
        brier=float(brier_score_loss(y, p)),
        sensitivity=tp / max(tp + fn, 1),
        specificity=tn / max(tn + fp, 1),
        threshold=threshold,
        tp=tp,
        fp=fp,
        tn=tn,
        fn=fn,
    )


def evaluate(
    model: Pipeline, test: pd.DataFrame, threshold: float = 0.5, seed: int = DEFAULT_SEED, n_boot: int = 1000
) -> TestReport:
    """The final report on held-out data at `threshold` (a visitor may move it; selection never sees it)."""
    _, y = split_xy(test)
    return _report(y, predict_proba(model, test), threshold, seed, n_boot)


def curves(model: Pipeline, test: pd.DataFrame, bins: int = 8) -> dict[str, pd.DataFrame]:
    """ROC, precision-recall and calibration (reliability) curves on held-out data."""
    _, y = split_xy(test)
    p = predict_proba(model, test)
    fpr, tpr, roc_t = roc_curve(y, p)
    precision, recall, _ = precision_recall_curve(y, p)
    observed, predicted = calibration_curve(y, p, n_bins=bins, strategy="quantile")
    return {
        "roc": pd.DataFrame({"false positive rate": fpr, "true positive rate": tpr, "threshold": roc_t}),
        "pr": pd.DataFrame({"recall": recall, "precision": precision}),
        "calibration": pd.DataFrame({"predicted risk": predicted, "observed rate": observed}),
    }


def cv_metrics(
    train_frame: pd.DataFrame, config: Config, seed: int = DEFAULT_SEED, repeats: int = 2
) -> dict[str, float]:
    """Cross-validated AUC, accuracy and Brier on the training frame: mean and spread over folds."""
    X, y = split_xy(train_frame, config.features)
    scores = cross_validate(
        build_pipeline(config, seed),
        X,
        y,
        cv=cv_splitter(seed, repeats),
        scoring={"auc": "roc_auc", "accuracy": "accuracy", "brier": "neg_brier_score"},
    )
    out = {}
    for name in ("auc", "accuracy", "brier"):
        values = scores[f"test_{name}"] * (-1 if name == "brier" else 1)
        out[f"cv {name}"], out[f"cv {name} sd"] = float(values.mean()), float(values.std())
    return out


def _timed_fit(frame: pd.DataFrame, config: Config, seed: int) -> tuple[Pipeline, float]:
    start = time.perf_counter()
    model = train(frame, config, seed)
    return model, time.perf_counter() - start


def compare_families(
    train_frame: pd.DataFrame,
    test: pd.DataFrame,
    configs: dict[str, Config] | None = None,
    default: str = "logistic",
    seed: int = DEFAULT_SEED,
    with_cv: bool = True,
) -> pd.DataFrame:
    """Every family side by side in one run: CV figures on training data, test figures with intervals.

    `AUC vs default` is a paired bootstrap interval of the AUC difference: if it spans 0, the test
    set cannot tell the two apart.
    """
    configs = configs or {f: default_config(f) for f in FAMILIES}
    _, y = split_xy(test)
    probs, rows = {}, []
    for family, config in configs.items():
        model, fit_s = _timed_fit(train_frame, config, seed)
        probs[family] = predict_proba(model, test)
        rep = _report(y, probs[family], config.threshold, seed, 1000)
        row = {
            "model": FAMILY_LABELS[config.family],
            "family": family,
            "errors": rep.errors,
            "errors 95% CI": f"{rep.errors_lo:.0f}-{rep.errors_hi:.0f}",
            "AUC": rep.auc,
            "AUC 95% CI": f"{rep.auc_lo:.3f}-{rep.auc_hi:.3f}",
            "Brier": rep.brier,
            "fit s": fit_s,
        }
        if with_cv:
            cv = cv_metrics(train_frame, config, seed)
            row.update({"CV AUC": cv["cv auc"], "CV AUC sd": cv["cv auc sd"]})
        rows.append(row)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(y), size=(1000, len(y)))
    base = _fast_auc(y[idx], probs[default][idx]) if default in probs else None
    for row in rows:
        if base is None or row["family"] == default:
            row["AUC vs default"] = "-"
            continue
        diff = _fast_auc(y[idx], probs[row["family"]][idx]) - base
        lo, hi = np.nanpercentile(diff, [2.5, 97.5])
        row["AUC vs default"] = f"{lo:+.3f} to {hi:+.3f}"
    return pd.DataFrame(rows)


def imputation_effect(
    train_frame: pd.DataFrame, test: pd.DataFrame, config: Config, seed: int = DEFAULT_SEED
) -> pd.DataFrame:
    """The same model with each imputer, on all seven measurements (so skin fold's gaps count)."""
    rows = []
    for imputer in IMPUTERS:
        variant = replace(config, imputer=imputer, features=FEATURES)
        rep = evaluate(train(train_frame, variant, seed), test, variant.threshold, seed, n_boot=200)
        cv = cv_metrics(train_frame, variant, seed, repeats=1)
        rows.append(
            {
                "imputer": imputer,
                "CV AUC": cv["cv auc"],
                "CV AUC sd": cv["cv auc sd"],
                "test errors": rep.errors,
                "test AUC": rep.auc,
                "test Brier": rep.brier,
            }
        )
    return pd.DataFrame(rows)


def learning_curve(
    train_frame: pd.DataFrame,
    config: Config,
    seed: int = DEFAULT_SEED,
    sizes: tuple[int, ...] = (20, 40, 60, 80, 120, 160),
    repeats: int = 2,
) -> pd.DataFrame:
    """AUC and error rate against the number of training patients, by cross-validation on training data.

    Each fold holds out a fifth; the model trains on a random subset of the rest. The band is the
    10th-90th percentile over folds.
    """
    X, y = split_xy(train_frame, config.features)
    rng = np.random.default_rng(seed)
    pool = int(len(y) * 0.8)
    records = []
    for size in [s for s in sizes if s <= pool] or [pool]:
        aucs, errs = [], []
        for r in range(repeats):
            for fit_idx, val_idx in StratifiedKFold(5, shuffle=True, random_state=seed + r).split(X, y):
                sub = rng.choice(fit_idx, size=min(size, len(fit_idx)), replace=False)
                if len(set(y[sub])) < 2:
                    continue
                model = build_pipeline(config, seed).fit(X.iloc[sub], y[sub])
                p = model.predict_proba(X.iloc[val_idx])[:, 1]
                aucs.append(roc_auc_score(y[val_idx], p))
                errs.append(100 * float(((p >= config.threshold) != y[val_idx]).mean()))
        for metric, values in (("AUC", aucs), ("error rate (%)", errs)):
            records.append(
                {
                    "x": size,
                    "metric": metric,
                    "value": float(np.mean(values)),
                    "lo": float(np.percentile(values, 10)),
                    "hi": float(np.percentile(values, 90)),
                }
            )
    return pd.DataFrame(records)


def model_arena(
    train_frame: pd.DataFrame,
    test: pd.DataFrame,
    configs: dict[str, Config] | None = None,
    default: str = "logistic",
    seed: int = DEFAULT_SEED,
) -> pd.DataFrame:
    """Every family on the same split: held-out AUC against fit time and one-patient latency."""
    configs = configs or {f: default_config(f) for f in FAMILIES}
    rows = []
    for family, config in configs.items():
        model, fit_s = _timed_fit(train_frame, config, seed)
        one = test.iloc[[0]]
        predict_proba(model, one)
        start = time.perf_counter()
        for _ in range(5):
            predict_proba(model, one)
        latency = (time.perf_counter() - start) / 5 * 1000
        _, y = split_xy(test)
        rows.append(
            {
                "model": FAMILY_LABELS[config.family],
                "quality": float(roc_auc_score(y, predict_proba(model, test))),
                "fit_seconds": fit_s,
                "predict_ms": latency,
                "is_default": family == default,
            }
        )
    return pd.DataFrame(rows)


def slice_report(model: Pipeline, test: pd.DataFrame, threshold: float = 0.5) -> pd.DataFrame:
    """By age band: sensitivity, mean predicted risk against the observed rate, and AUC where possible."""
    _, y = split_xy(test)
    p = predict_proba(model, test)
    rows = []
    for low, high, name in AGE_BANDS:
        mask = ((test["age"] >= low) & (test["age"] <= high)).to_numpy()
        yy, pp = y[mask], p[mask]
        cases = int(yy.sum())
        too_few = cases < MIN_CASES
        sens = float(((pp >= threshold) & (yy == 1)).sum() / cases) if cases else float("nan")
        auc = float(roc_auc_score(yy, pp)) if 0 < cases < len(yy) else float("nan")
        note = (
            f"only {cases} women with diabetes: too few to judge"
            if too_few
            else "risk overestimated"
            if pp.mean() - yy.mean() > 0.05
            else "risk underestimated"
            if yy.mean() - pp.mean() > 0.05
            else "calibrated within 5 points"
        )
        rows.append(
            {
                "slice": f"age {name}",
                "n": int(mask.sum()),
                "cases": cases,
                "sensitivity": sens,
                "mean predicted risk": float(pp.mean()) if len(pp) else float("nan"),
                "observed rate": float(yy.mean()) if len(yy) else float("nan"),
                "AUC": auc,
                "too_few": too_few,
                "note": note,
            }
        )
    return pd.DataFrame(rows)


def breast_cancer_report(
    frame: pd.DataFrame, seed: int = DEFAULT_SEED, families: tuple[str, ...] = FAMILIES, folds: int = 10
) -> pd.DataFrame:
    """Cross-validated accuracy and AUC per family on the Wisconsin data (published: about 97%)."""
    features = tuple(c for c in frame.columns if c != "diabetes")
    X, y = split_xy(frame, features)
    rows = []
    for family in families:
        config = replace(default_config(family), features=features)
        start = time.perf_counter()
        scores = cross_validate(
            build_pipeline(config, seed),
            X,
            y,
            scoring=("accuracy", "roc_auc"),
            cv=StratifiedKFold(folds, shuffle=True, random_state=seed),
        )
        rows.append(
            {
                "model": FAMILY_LABELS[family],
                "CV accuracy": float(scores["test_accuracy"].mean()),
                "accuracy sd": float(scores["test_accuracy"].std()),
                "CV AUC": float(scores["test_roc_auc"].mean()),
                "AUC sd": float(scores["test_roc_auc"].std()),
                "seconds": time.perf_counter() - start,
            }
        )
    return pd.DataFrame(rows)


def selection_over_seeds(
    train_frame: pd.DataFrame, test: pd.DataFrame, seeds: tuple[int, ...] = tuple(range(20))
) -> pd.DataFrame:
    """Run the whole selection once per seed (it sees `train_frame` only), then score each choice on `test`.

    One seed's figure can be luck; the spread over seeds says how much of a result the folds decided.
    """
    _, y = split_xy(test)
    rows = []
    for seed in seeds:
        config = select_config(train_frame, seed).config
        p = predict_proba(train(train_frame, config, seed), test)
        rows.append(
            {
                "seed": seed,
                "features": ", ".join(config.features),
                "C": dict(config.params)["C"],
                "calibration": config.calibration,
                "threshold": config.threshold,
                "errors": int(((p >= config.threshold) != y).sum()),
                "AUC": float(roc_auc_score(y, p)),
                "Brier": float(brier_score_loss(y, p)),
            }
        )
    return pd.DataFrame(rows)


def seed_summary(rows: pd.DataFrame) -> dict[str, float]:
    """Median and range of Pima.te errors and AUC over selection seeds (`selection_over_seeds` rows)."""
    return {
        "seeds": len(rows),
        "errors_median": float(rows["errors"].median()),
        "errors_min": int(rows["errors"].min()),
        "errors_max": int(rows["errors"].max()),
        "auc_median": float(rows["AUC"].median()),
        "auc_min": float(rows["AUC"].min()),
        "auc_max": float(rows["AUC"].max()),
    }
