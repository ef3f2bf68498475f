"""The engineer's view hooks (issue 8): learning curve, model arena, formulas, reproduction
script and the slice report, all from the same functions the page and the benchmark use."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from models.common import DEFAULT_SEED, Formula
from models.fraud.evaluate import evaluate_scores
from models.fraud.train import DEFAULT_MODEL, MODELS, Split, score, time_split, train

__all__ = ["FORMULAS", "learning_curve", "model_arena", "reproduction_script", "slice_report", "AMOUNT_BANDS"]

AMOUNT_BANDS = (0, 20, 50, 100, 220, np.inf)
TOO_FEW_FRAUDS = 20


def learning_curve(
    data: pd.DataFrame,
    model: str = DEFAULT_MODEL,
    seed: int = DEFAULT_SEED,
    days: tuple[int, ...] = (1, 2, 3, 5, 7, 14, 21),
) -> pd.DataFrame:
    """Retrain on a window of the last n days before the label delay, test on the same week.

    The handbook's prequential idea: as days pass the bank has more labelled history to learn
    from. Returns `x` (days of training data), `metric`, `value`."""
    base = time_split(data)
    rows = []
    for n in days:
        start = base.train_days[1] + 1 - n
        if start < int(data["TX_TIME_DAYS"].min()):
            continue
        split = time_split(data, start, train_days=n)
        if split.train["TX_FRAUD"].nunique() < 2:
            continue
        fitted = train(split.train, model, seed=seed)
        metrics = evaluate_scores(split.test, score(fitted, split.test))
        rows.append({"x": n, "metric": "average precision", "value": metrics.average_precision})
        rows.append({"x": n, "metric": "card precision@100", "value": metrics.card_precision_at_100})
    return pd.DataFrame(rows, columns=["x", "metric", "value"])


def _latency_ms(fitted, row: pd.DataFrame, repeats: int = 15) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        score(fitted, row)
        times.append(time.perf_counter() - start)
    return float(np.median(times) * 1000)


def model_arena(
    split: Split, seed: int = DEFAULT_SEED, default: str = DEFAULT_MODEL, forest_trees: int = 100
) -> pd.DataFrame:
    """Every family on the same split: average precision, fit seconds, one-payment latency (ms),
    plus AUC and card precision@100 for the table."""
    rows = []
    for name in MODELS:
        params = {"n_estimators": forest_trees} if name == "forest" else {}
        fitted = train(split.train, name, seed=seed, **params)
        metrics = evaluate_scores(split.test, score(fitted, split.test))
        rows.append(
            {
                "model": MODELS[name],
                "quality": round(metrics.average_precision, 3),
                "fit_seconds": round(fitted.fit_seconds, 2),
                "predict_ms": round(_latency_ms(fitted, split.test.iloc[:1]), 2),
                "is_default": name == default,
                "auc": round(metrics.auc, 3),
                "card_precision_at_100": round(metrics.card_precision_at_100, 3),
            }
        )
    return pd.DataFrame(rows)


def slice_report(test: pd.DataFrame, scores: np.ndarray, threshold: float) -> pd.DataFrame:
    """Share of frauds caught at `threshold`, by amount band and by fraud scenario; groups with
    fewer than 20 frauds are marked as too few to say anything."""
    alert = scores >= threshold
    fraud = test["TX_FRAUD"].to_numpy() == 1
    amount = test["TX_AMOUNT"].to_numpy()
    scenario = test["TX_FRAUD_SCENARIO"].to_numpy()
    groups: list[tuple[str, np.ndarray]] = []
    for lo, hi in zip(AMOUNT_BANDS[:-1], AMOUNT_BANDS[1:], strict=True):
        label = f"€{lo:.0f}+" if np.isinf(hi) else f"€{lo:.0f}-{hi:.0f}"
        groups.append((f"amount {label}", (amount >= lo) & (amount < hi)))
    names = {1: "scenario 1: big amount", 2: "scenario 2: terminal", 3: "scenario 3: card"}
    for code, name in names.items():
        groups.append((name, scenario == code))
    rows = []
    for name, mask in groups:
        frauds = int((mask & fraud).sum())
        alerts = int((mask & alert).sum())
        caught = int((mask & fraud & alert).sum())
        rows.append(
            {
                "slice": name,
                "n": frauds,
                "payments": int(mask.sum()),
                "share of frauds caught": caught / frauds if frauds else np.nan,
                "precision of alerts": caught / alerts if alerts else np.nan,
                "too_few": frauds < TOO_FEW_FRAUDS,
                "note": "too few frauds to judge" if frauds < TOO_FEW_FRAUDS else "",
            }
        )
    return pd.DataFrame(rows)


FORMULAS: tuple[Formula, ...] = (
    Formula(
        "Logistic regression",
        r"P(\text{fraud}\mid x) = \sigma(w^\top x + b) = \frac{1}{1 + e^{-(w^\top x + b)}}",
        "A weighted sum of the standardised features squashed into a probability; a weight says how "
        "much one standard deviation of that feature moves the log-odds of fraud.",
        "Hastie, Tibshirani, Friedman, The Elements of Statistical Learning, 2009, ch. 4.4",
    ),
    Formula(
        "Gradient boosting (the default)",
        r"F_M(x) = F_0 + \sum_{m=1}^{M} \eta\, h_m(x), \quad h_m \approx -\frac{\partial L(y, F_{m-1}(x))}{\partial F}",
        "Hundreds of small trees added one after another, each fixing the mistakes of the sum so far; "
        "class weights make each rare fraud count as much as all genuine payments together.",
        "Friedman, Greedy function approximation: a gradient boosting machine, Ann. Stat. 2001",
    ),
    Formula(
        "Random forest",
        r"\hat p(x) = \frac{1}{B}\sum_{b=1}^{B} T_b(x)",
        "The average vote of many deep trees, each grown on a bootstrap sample with random feature choices.",
        "Breiman, Random forests, Machine Learning 2001",
    ),
    Formula(
        "Isolation forest anomaly score",
        r"s(x, n) = 2^{-\frac{E[h(x)]}{c(n)}}",
        "Random cuts isolate an unusual payment in few steps: a short average path length h(x) gives a "
        "score near 1, so it needs no fraud labels at all.",
        "Liu, Ting, Zhou, Isolation forest, ICDM 2008",
    ),
    Formula(
        "Terminal risk with a delay",
        r"\text{risk}_w(t) = \frac{\#\{\text{frauds at the terminal in } (t-\delta-w,\ t-\delta]\}}"
        r"{\#\{\text{payments at the terminal in } (t-\delta-w,\ t-\delta]\}},\ \delta = 7\text{ days}",
        "The share of a terminal's payments that turned out to be fraud, counting only labels an "
        "investigator had confirmed by now.",
        "Le Borgne et al., Reproducible ML for Credit Card Fraud Detection, 2022, ch. 3.4",
    ),
    Formula(
        "Card precision@k",
        r"CP@k = \frac{1}{D}\sum_{d=1}^{D} \frac{|\text{top-}k\text{ cards on day } d \cap \text{defrauded cards}|}{k}",
        "Investigators can check k cards a day: the share of those that really were defrauded.",
        "Le Borgne et al., 2022, ch. 4.2",
    ),
    Formula(
        "Average precision",
        r"AP = \sum_n (R_n - R_{n-1})\, P_n",
        "Precision averaged over every recall level: 1 means all frauds ranked above every genuine payment.",
        "scikit-learn, sklearn.metrics.average_precision_score",
    ),
)


def reproduction_script(
    n_customers: int = 5_000,
    n_days: int = 183,
    fraud_multiplier: float = 1.0,
    scenarios: tuple[int, ...] = (1, 2, 3),
    model: str = DEFAULT_MODEL,
    seed: int = DEFAULT_SEED,
    params: dict | None = None,
) -> str:
    """A short runnable script printing the page's test metrics for these parameters."""
    return f'''"""Reproduce the fraud demo's figures (run from the project folder: python this_file.py)."""
from models.fraud import SimulationConfig, add_features, evaluate_scores, score, simulate, time_split, train

config = SimulationConfig(n_customers={n_customers}, n_terminals={2 * n_customers}, n_days={n_days},
                          fraud_multiplier={fraud_multiplier}, scenarios={tuple(scenarios)!r})
data = add_features(simulate(config, seed={seed}))
split = time_split(data)  # train one week, wait 7 days for labels, test the next week
model = train(split.train, {model!r}, seed={seed}, **{dict(params or {})!r})
metrics = evaluate_scores(split.test, score(model, split.test))
print(f"AUC {{metrics.auc:.3f}}  average precision {{metrics.average_precision:.3f}}  "
      f"card precision@100 {{metrics.card_precision_at_100:.3f}}")
'''
