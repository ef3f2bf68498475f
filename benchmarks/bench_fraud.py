"""Fraud demo: the handbook's baseline protocol over several seeds, speed, learning curve, arena, slices."""

from __future__ import annotations

import statistics
import time

import numpy as np
import pandas as pd

from benchmarks import results
from benchmarks.common import markdown_table, median_seconds
from models.fraud import add_features, evaluate_scores, score, simulate, time_split, train
from models.fraud import engineer as fe
from models.fraud.evaluate import cost_minimising_threshold, threshold_table

SEEDS = (0, 1, 2, 3, 4)
BOOK = {  # Le Borgne et al., baseline protocol (AUC, AP, CP@100)
    "logistic regression": (0.871, 0.606, 0.291),
    "random forest": (0.867, 0.658, 0.287),
    "XGBoost": (0.862, 0.639, 0.273),
}
# Picked for AUC on validation weeks of other seeds (100-102; train days 101-107, validate 115-121, all
# before any test week): frauds not weighted up, leaves of at least 100 payments, L2 penalty 1.
UNWEIGHTED = {"class_weight": None, "min_samples_leaf": 100, "l2_regularization": 1.0}
UNWEIGHTED_LABEL = "gradient boosting, frauds not weighted up (leaves >= 100, L2 1), 20 features"
KEYS = ("logistic_15", "forest_15", "boosting_15", "logistic", "forest", "boosting", "boosting_unweighted", "isolation")
RUNS = (  # label, model, features, params
    ("logistic regression, book's 15 features", "logistic", "baseline", {}),
    ("random forest (100 trees, depth 20), book's 15 features", "forest", "baseline", {}),
    ("gradient boosting, book's 15 features", "boosting", "baseline", {}),
    ("logistic regression, 20 features", "logistic", "extended", {}),
    ("random forest (100 trees, depth 20), 20 features", "forest", "extended", {}),
    ("gradient boosting, 20 features (default)", "boosting", "extended", {}),
    (UNWEIGHTED_LABEL, "boosting", "extended", UNWEIGHTED),
    ("isolation forest (no labels), 20 features", "isolation", "extended", {}),
)


def _spread(values: list[float]) -> str:
    return f"{statistics.mean(values):.3f} ± {statistics.stdev(values):.3f} ({min(values):.3f}-{max(values):.3f})"


def run() -> str:
    out = ["## Fraud detection: the handbook's protocol on our vectorised simulator", ""]
    sim_s, tx = median_seconds(lambda: simulate(seed=42), repeats=3)
    feat_s, data = median_seconds(lambda: add_features(tx), repeats=3)
    out += [
        "Simulator (the book's configuration, seed 42) beside the book's own run:",
        "",
        markdown_table(
            [
                {"": "transactions", "ours": f"{len(tx):,}", "book": "1,754,155"},
                {"": "frauds", "ours": f"{int(tx['TX_FRAUD'].sum()):,}", "book": "14,681"},
                {"": "fraud rate", "ours": f"{tx['TX_FRAUD'].mean():.2%}", "book": "0.84%"},
                {"": "simulate (s, median of 3)", "ours": f"{sim_s:.1f}", "book": "minutes (loop code)"},
                {"": "all 20 features (s, median of 3)", "ours": f"{feat_s:.1f}", "book": "minutes"},
            ]
        ),
        "",
    ]
    rows: dict[str, list] = {label: [] for label, *_ in RUNS}
    for seed in SEEDS:
        split = time_split(add_features(simulate(seed=seed)))
        for label, model, features, params in RUNS:
            fitted = train(split.train, model, features=features, seed=seed, **params)
            m = evaluate_scores(split.test, score(fitted, split.test))
            rows[label].append((m.auc, m.average_precision, m.card_precision_at_100, fitted.fit_seconds))
    table = []
    for label, values in rows.items():
        auc, ap, cp, fit = (list(v) for v in zip(*values, strict=True))
        table.append(
            {
                "model": label,
                "AUC ROC": _spread(auc),
                "average precision": _spread(ap),
                "card precision@100": _spread(cp),
                "fit s (median)": f"{statistics.median(fit):.1f}",
            }
        )
    for label, (auc, ap, cp) in BOOK.items():
        table.append(
            {
                "model": f"handbook: {label}",
                "AUC ROC": f"{auc:.3f}",
                "average precision": f"{ap:.3f}",
                "card precision@100": f"{cp:.3f}",
                "fit s (median)": "",
            }
        )
    out += [
        f"Baseline protocol (train 2018-07-25..31, 7-day delay, test 2018-08-08..14, cards known to be defrauded "
        f"removed from test days), mean ± standard deviation (min-max) over seeds {', '.join(map(str, SEEDS))}:",
        "",
        markdown_table(table),
        "",
        _claims(rows) + " "
        "What got us there: with our simulator the book's 15 features already put logistic regression at or "
        "above the book's figures; the 5 extra features (the amount against the card's "
        "previous 30-day mean and spread, hours since the card's last payment, the terminal's count of known "
        "frauds over 7 and 30 days before the delay) add most to average precision, because scenario 3 (a "
        "compromised card spending 5x its usual amount) becomes visible relative to the card's own habits. "
        "Our simulator is an independent re-implementation, so its test weeks are not the "
        "book's: compare the pattern, not the third decimal.",
        "",
    ]
    split = time_split(data)
    fitted = train(split.train, seed=42)
    batch_s, _ = median_seconds(lambda: score(fitted, split.test), repeats=5, warmup=1)
    one = split.test.iloc[:1]
    single_s, _ = median_seconds(lambda: score(fitted, one), repeats=50, warmup=3)
    start = time.perf_counter()
    small = add_features(simulate(seed=42))
    train(time_split(small).train, seed=42)
    end_to_end = time.perf_counter() - start
    out += [
        "Speed (default model, seed 42):",
        "",
        markdown_table(
            [
                {
                    "measure": "batch scoring (payments per second)",
                    "ours": f"{len(split.test) / batch_s:,.0f}",
                    "target": ">= 20,000",
                },
                {
                    "measure": "one payment in the stream (ms, median of 50)",
                    "ours": f"{single_s * 1000:.1f}",
                    "target": "< 10",
                },
                {
                    "measure": "simulate + features + train the default (s)",
                    "ours": f"{end_to_end:.1f}",
                    "target": "< 10",
                },
            ]
        ),
        "",
    ]
    curve = fe.learning_curve(data, seed=42)
    wide = (
        curve.pivot(index="x", columns="metric", values="value")
        .reset_index()
        .rename(columns={"x": "days of training history"})
    )
    out += [
        "Learning curve (default model retrained on a growing window of past days, same test week, seed 42):",
        "",
        markdown_table(wide),
        "",
    ]
    arena = fe.model_arena(split, seed=42)
    out += [
        "Model arena (same split, seed 42; quality = average precision):",
        "",
        markdown_table(arena.drop(columns="is_default")),
        "",
    ]
    scores = score(fitted, split.test)
    y, amounts = split.test["TX_FRAUD"].to_numpy(), split.test["TX_AMOUNT"].to_numpy()
    best = cost_minimising_threshold(threshold_table(y, scores, amounts))
    slices = fe.slice_report(split.test, scores, best)
    costs = []
    for label, params in (("default (frauds weighted up)", {}), ("frauds not weighted up", UNWEIGHTED)):
        table = threshold_table(y, score(train(split.train, seed=42, **params), split.test), amounts)
        row = table.loc[table["total_cost"].idxmin()]
        costs.append(
            {
                "gradient boosting": label,
                "cost-minimising threshold": f"{row['threshold']:.2f}",
                "alerts": int(row["alerts"]),
                "recall": f"{row['recall']:.2f}",
                "lowest total cost (€)": f"{row['total_cost']:,.0f}",
            }
        )
    out += [
        "Why the default weights frauds up (seed 42, €5 per review): the unweighted variant ranks slightly "
        "better on AUC, but its scores crowd near 0, so a threshold slider shows little, and its lowest "
        "total cost (missed fraud money + reviews) is not lower:",
        "",
        markdown_table(costs),
        "",
    ]
    out += [
        f"Who it serves worse (seed 42, cost-minimising threshold {best:.2f} at €5 per review):",
        "",
        markdown_table(
            slices.drop(columns=["too_few"])
            .replace({np.nan: None})
            .astype(object)
            .where(pd.notna(slices.drop(columns=["too_few"])), "n/a")
        ),
        "",
    ]
    _record(
        rows,
        {"one_payment_ms": single_s * 1000, "batch_per_s": len(split.test) / batch_s, "end_to_end_s": end_to_end},
        tx,
    )
    return "\n".join(out)


PROTOCOL = (
    "the handbook's baseline protocol (train 2018-07-25..31, 7-day delay, test 2018-08-08..14) on our "
    f"simulator; mean over seeds {', '.join(map(str, SEEDS))}"
)
METRICS = (("auc", "AUC ROC"), ("ap", "average precision"), ("cp100", "card precision@100"))


def _quality_figures(rows: dict[str, list]) -> list[results.Figure]:
    figures = []
    for key, (label, values) in zip(KEYS, rows.items(), strict=True):
        for i, (metric, words) in enumerate(METRICS):
            per_seed = [v[i] for v in values]
            spread = results.Spread.of(per_seed, f"seeds {SEEDS[0]}-{SEEDS[-1]}")
            figures.append(
                results.measured(
                    f"{key}.{metric}",
                    spread.mean,
                    "",
                    PROTOCOL,
                    demo="fraud",
                    label=f"{label}: {words}",
                    spread=spread,
                    better="higher",
                )
            )
    for key, (auc, ap, cp) in zip(("logistic", "forest", "xgboost"), BOOK.values(), strict=True):
        for (metric, words), value in zip(METRICS, (auc, ap, cp), strict=True):
            figures.append(
                results.published(
                    f"handbook.{key}.{metric}",
                    value,
                    "",
                    "Le Borgne et al., Practical Handbook, baseline protocol (test week)",
                    label=f"handbook {key}: {words}",
                    better="higher",
                )
            )
    return figures


def _claims(rows: dict[str, list]) -> str:
    """Which models beat the handbook's best on each metric, read off the seed spreads (min-max), not the means."""
    figures = {f.name: f for f in _quality_figures(rows)}
    parts = []
    for key, who in (
        ("forest", "the random forest on 20 features"),
        ("boosting_unweighted", "gradient boosting without weighting frauds up"),
        ("boosting", "the default (boosting, frauds weighted up)"),
    ):
        said = []
        for metric, words in METRICS:
            best = max(
                (figures[f"handbook.{b}.{metric}"] for b in ("logistic", "forest", "xgboost")), key=lambda f: f.value
            )
            said.append(
                f"{results.verdict(figures[f'{key}.{metric}'], best)} the book's best {words} "
                f"({results.text(figures[f'{key}.{metric}'])} vs {best.value:.3f})"
            )
        parts.append(f"{who}: " + "; ".join(said))
    return (
        "Against the handbook's best on each metric, a model 'beats' it only when its lowest seed is above "
        "the book's figure and 'trails' only when its highest is below; otherwise they tie. "
        + ". ".join(p[0].upper() + p[1:] for p in parts)
        + ". The default is the default because it scores a "
        "payment in a few ms where the forest needs far more (see the arena) and because its scores spread "
        "over the threshold slider at no higher cost (table below)."
    )


def _record(rows: dict[str, list], speed: dict[str, float], tx: pd.DataFrame) -> None:
    """Every figure pages and README show, into results/fraud.json."""
    seed42 = "default model, seed 42, one process on 2 shared cores"
    book = "the book's simulator configuration (5,000 cards, 10,000 terminals, 183 days), seed 42"
    results.record(
        "fraud",
        [
            results.measured("data.transactions", len(tx), "payments", book, demo="fraud", label="simulated payments"),
            results.measured(
                "data.frauds", int(tx["TX_FRAUD"].sum()), "frauds", book, demo="fraud", label="simulated frauds"
            ),
            *_quality_figures(rows),
            results.measured(
                "speed.one_payment_ms",
                speed["one_payment_ms"],
                "ms",
                seed42 + "; one payment scored alone, median of 50",
                demo="fraud",
                label="one payment in the stream",
                better="lower",
            ),
            results.measured(
                "speed.batch_per_s",
                speed["batch_per_s"],
                "payments/s",
                seed42 + "; the test week at once, median of 5",
                demo="fraud",
                label="batch scoring",
                better="higher",
            ),
            results.measured(
                "speed.end_to_end_s",
                speed["end_to_end_s"],
                "s",
                seed42 + "; simulate the book's bank, build features, train the default",
                demo="fraud",
                label="simulate + features + train",
                better="lower",
            ),
        ],
    )
