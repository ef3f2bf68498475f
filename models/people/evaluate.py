"""Held-out evaluation of every method side by side, and the engineer's-view frames built on it.

One split per repeat: the test links are removed first, every feature is computed on the
observed graph that remains, and the supervised model is fitted on that observed graph alone.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, roc_auc_score, roc_curve

from models.common import InputError
from models.people.scores import GRAPH_FEATURES, HEURISTIC_LABELS, HEURISTICS, PROFILE_FEATURES, pair_features
from models.people.supervised import (
    MAX_LABELLED_LINKS,
    SUPERVISED,
    LinkPredictor,
    TrainConfig,
    at_most,
    fit,
    hide_edges,
    sample_non_edges,
    suggest,
    with_config,
)

__all__ = [
    "Split",
    "Evaluation",
    "make_split",
    "evaluate",
    "precision_at_k",
    "roc_frame",
    "learning_curve",
    "model_arena",
    "slice_report",
    "method_label",
]

DEGREE_BANDS = ((0, 2, "0-2 connections"), (3, 5, "3-5"), (6, 15, "6-15"), (16, 10**9, "16 or more"))
TOO_FEW = 20


@dataclass
class Split:
    """The observed graph, and the labelled test pairs (hidden links and sampled non-links)."""

    observed: nx.Graph
    pairs: list[tuple[int, int]]
    labels: np.ndarray


@dataclass
class Evaluation:
    graph: str
    n_nodes: int
    n_edges: int
    repeats: int
    k: int
    table: pd.DataFrame  # method, label, auc, average_precision, precision_at_k (means over repeats)
    scores: dict[str, np.ndarray]  # every repeat's test scores per method, pooled, for curves and slices
    labels: np.ndarray
    low_degree: np.ndarray  # the smaller of the two people's connection counts in the observed graph
    seconds: float
    config: TrainConfig

    def best_heuristic(self) -> str:
        part = self.table[self.table["kind"] == "heuristic"]
        return str(part.sort_values("auc", ascending=False)["method"].iloc[0])


def method_label(method: str) -> str:
    return SUPERVISED.get(method) or HEURISTIC_LABELS.get(method, method)


def make_split(graph: nx.Graph, config: TrainConfig, seed: int) -> Split:
    """Hide the test links, then sample test non-links among pairs that are not linked in the full graph."""
    observed, hidden = hide_edges(graph, config.holdout, config.split, seed)
    hidden = at_most(hidden, MAX_LABELLED_LINKS, seed)
    negatives = sample_non_edges(graph, config.negatives * len(hidden), seed + 1)
    return Split(observed, hidden + negatives, np.r_[np.ones(len(hidden)), np.zeros(len(negatives))])


def precision_at_k(labels: np.ndarray, scores: np.ndarray, k: int) -> float:
    """Share of true links among the k highest-scored test pairs (ties broken by order, stably)."""
    top = np.argsort(-np.asarray(scores), kind="stable")[:k]
    return float(np.mean(np.asarray(labels)[top])) if k else float("nan")


def _metrics(labels: np.ndarray, scores: np.ndarray, k: int) -> dict[str, float]:
    return {
        "auc": float(roc_auc_score(labels, scores)),
        "average_precision": float(average_precision_score(labels, scores)),
        "precision_at_k": precision_at_k(labels, scores, k),
    }


def _repeats(graph: nx.Graph, config: TrainConfig) -> int:
    """Small graphs have few test links, so their figures are averaged over several splits."""
    hidden = config.holdout * graph.number_of_edges()
    return 1 if hidden >= 300 else 10


def evaluate(
    graph: nx.Graph,
    config: TrainConfig | None = None,
    *,
    methods: Sequence[str] | None = None,
    repeats: int | None = None,
) -> Evaluation:
    """AUC, average precision and precision@k of every heuristic and the supervised model on held-out links."""
    config = config or TrainConfig()
    config.check()
    methods = list(methods or [*HEURISTICS, config.model])
    unknown = [m for m in methods if m not in HEURISTICS and m not in SUPERVISED]
    if unknown:
        raise InputError(f"unknown method {unknown[0]!r}; choose from {', '.join([*HEURISTICS, *SUPERVISED])}")
    if graph.number_of_edges() < 10:
        raise InputError("the graph needs at least 10 links to hold some out")
    repeats = repeats or _repeats(graph, config)
    start = time.perf_counter()
    rows, pooled = [], []
    for r in range(repeats):
        split = make_split(graph, config, config.seed + r)
        features = pair_features(split.observed, split.pairs, GRAPH_FEATURES + PROFILE_FEATURES)
        k = int(min(100, split.labels.sum()))
        scores = {}
        for method in methods:
            if method in HEURISTICS:
                scores[method] = features[method].to_numpy()
            else:
                model = fit(split.observed, with_config(config, model=method, seed=config.seed + r))
                scores[method] = model.predict_features(features)
            rows.append({"method": method, **_metrics(split.labels, scores[method], k)})
        degree = dict(split.observed.degree())
        pooled.append((scores, split.labels, np.array([min(degree[u], degree[v]) for u, v in split.pairs]), k))
    table = pd.DataFrame(rows).groupby("method", sort=False).mean().reset_index()
    table.insert(1, "label", table["method"].map(method_label))
    table["kind"] = np.where(table["method"].isin(list(SUPERVISED)), "supervised", "heuristic")
    return Evaluation(
        graph=str(graph.graph.get("name", "graph")),
        n_nodes=graph.number_of_nodes(),
        n_edges=graph.number_of_edges(),
        repeats=repeats,
        k=pooled[0][3],
        table=table,
        scores={m: np.concatenate([p[0][m] for p in pooled]) for m in methods},
        labels=np.concatenate([p[1] for p in pooled]),
        low_degree=np.concatenate([p[2] for p in pooled]),
        seconds=time.perf_counter() - start,
        config=config,
    )


def roc_frame(evaluation: Evaluation, max_points: int = 200) -> pd.DataFrame:
    """ROC curve points per method (test pairs of every split pooled), thinned for plotting."""
    parts = []
    for method, scores in evaluation.scores.items():
        fpr, tpr, _ = roc_curve(evaluation.labels, scores)
        keep = np.unique(np.linspace(0, len(fpr) - 1, min(len(fpr), max_points)).astype(int))
        parts.append(
            pd.DataFrame(
                {
                    "method": method,
                    "label": method_label(method),
                    "false_positive_rate": fpr[keep],
                    "true_positive_rate": tpr[keep],
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def learning_curve(
    graph: nx.Graph, config: TrainConfig | None = None, shares: Sequence[float] = (0.2, 0.4, 0.6, 0.8, 1.0)
) -> pd.DataFrame:
    """Supervised AUC and average precision as the model observes a growing share of the network.

    The test links stay fixed; only the observed links it learns from and computes features on
    are subsampled, which is what "seeing more of the network" means for link prediction.
    """
    config = config or TrainConfig()
    split = make_split(graph, config, config.seed)
    edges = list(split.observed.edges)
    order = np.random.default_rng(config.seed).permutation(len(edges))
    rows = []
    for share in shares:
        seen = split.observed.copy()
        seen.remove_edges_from(edges[i] for i in order[int(round(share * len(edges))) :])
        local = with_config(config, split="random") if share < 1 else config
        if seen.number_of_edges() < 20:
            continue
        model = fit(seen, local)
        scores = model.predict_proba(seen, split.pairs)
        rows.append({"x": round(100 * share), "metric": "AUC", "value": roc_auc_score(split.labels, scores)})
        rows.append(
            {
                "x": round(100 * share),
                "metric": "average precision",
                "value": average_precision_score(split.labels, scores),
            }
        )
    return pd.DataFrame(rows)


def model_arena(graph: nx.Graph, config: TrainConfig | None = None, people: int = 5) -> pd.DataFrame:
    """Every method on the same split: held-out AUC, training time, and latency of one person's suggestions."""
    config = config or TrainConfig()
    split = make_split(graph, config, config.seed)
    features = pair_features(split.observed, split.pairs, GRAPH_FEATURES + PROFILE_FEATURES)
    sample = [
        int(p)
        for p in np.random.default_rng(config.seed).choice(
            list(split.observed.nodes), size=min(people, split.observed.number_of_nodes()), replace=False
        )
    ]
    rows = []
    for method in [*SUPERVISED, *HEURISTICS]:
        predictor: LinkPredictor | None = None
        if method in SUPERVISED:
            start = time.perf_counter()
            predictor = fit(split.observed, with_config(config, model=method))
            fit_seconds = time.perf_counter() - start
            scores = predictor.predict_features(features)
        else:
            fit_seconds, scores = 0.001, features[method].to_numpy()  # nothing to train: drawn at 1 ms
        latencies = []
        for person in sample:
            start = time.perf_counter()
            suggest(split.observed, person, predictor=predictor, method="supervised" if predictor else method)
            latencies.append(1000 * (time.perf_counter() - start))
        rows.append(
            {
                "model": method_label(method),
                "quality": round(float(roc_auc_score(split.labels, scores)), 3),
                "fit_seconds": round(fit_seconds, 3),
                "predict_ms": round(statistics.median(latencies), 1),
                "is_default": method == config.model,
            }
        )
    return pd.DataFrame(rows)


def slice_report(evaluation: Evaluation) -> pd.DataFrame:
    """AUC for pairs whose less-connected person has few or many connections (the cold-start question)."""
    supervised = next((m for m in evaluation.scores if m in SUPERVISED), None)
    heuristic = "adamic_adar" if "adamic_adar" in evaluation.scores else None
    rows = []
    for low, high, name in DEGREE_BANDS:
        mask = (evaluation.low_degree >= low) & (evaluation.low_degree <= high)
        labels = evaluation.labels[mask]
        positives, negatives = int(labels.sum()), int(len(labels) - labels.sum())
        too_few = min(positives, negatives) < TOO_FEW
        row = {"slice": name, "n": int(mask.sum()), "hidden links": positives}
        for method, column in ((supervised, "AUC (supervised)"), (heuristic, "AUC (Adamic-Adar)")):
            if method is None:
                continue
            row[column] = (
                round(float(roc_auc_score(labels, evaluation.scores[method][mask])), 3)
                if positives and negatives
                else float("nan")
            )
        row["too_few"] = too_few
        row["note"] = f"only {positives} hidden links and {negatives} non-links: too few to judge" if too_few else ""
        rows.append(row)
    return pd.DataFrame(rows)
