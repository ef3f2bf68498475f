"""The supervised link predictor: hide links, learn which features mark them, suggest people with reasons.

Protocol (Lichtenwalter, Lussier and Chawla, KDD 2010): the model is given one graph and
never looks beyond it. Inside that graph it hides a share of links (at random, or the newest),
computes features on what remains, and learns to tell the hidden links from sampled non-links.
Evaluation calls `fit` on the observed graph only, so the links it is scored on are never seen.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import networkx as nx
import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from threadpoolctl import threadpool_limits

from models.common import DEFAULT_SEED, InputError
from models.people.network import person_label
from models.people.scores import (
    GRAPH_FEATURES,
    HEURISTICS,
    PROFILE_FEATURES,
    Pair,
    pair_features,
)

__all__ = [
    "TrainConfig",
    "LinkPredictor",
    "SUPERVISED",
    "SPLITS",
    "hide_edges",
    "sample_non_edges",
    "training_pairs",
    "build_pipeline",
    "fit",
    "candidates_for",
    "suggest",
    "join_network",
]

SUPERVISED = {
    "logistic": "Supervised: logistic regression",
    "boosting": "Supervised: gradient boosting",
    "auto": "Supervised: stacked scores, model chosen by inner CV",
}
INNER_C_GRID = (0.01, 0.1, 1.0, 10.0)
"""Regularisation strengths the inner search tries for the stacked logistic regression."""
SPLITS = ("random", "time")
MIN_TRAINING_LINKS = 1000
"""On small graphs the hiding is repeated until about this many links have been hidden, to learn from."""
AUTO_TRAINING_LINKS = 4000
"""The stacked model's inner search splits its pairs three ways and may pick boosting, which needs more
pairs than a linear model: it hides links over more rounds (at most 8) to learn from."""
MAX_LABELLED_LINKS = 2000
"""At most this many hidden links are scored (with their sampled non-links) per split: enough for AUC to
two decimals, and it keeps the largest network the sliders allow at seconds, not minutes."""


def at_most(pairs: list[Pair], k: int, seed: int) -> list[Pair]:
    """A seeded sample of `k` pairs (all of them when there are fewer), in their original order."""
    if len(pairs) <= k:
        return pairs
    keep = np.random.default_rng(seed).choice(len(pairs), size=k, replace=False)
    return [pairs[i] for i in sorted(keep)]


@dataclass(frozen=True)
class TrainConfig:
    """How the supervised model is trained (each field is a widget or a CLI flag)."""

    model: str = "logistic"
    features: tuple[str, ...] = GRAPH_FEATURES + PROFILE_FEATURES
    holdout: float = 0.1
    split: str = "random"
    negatives: int = 5
    seed: int = DEFAULT_SEED

    def check(self) -> None:
        if self.model not in SUPERVISED:
            raise InputError(f"unknown model {self.model!r}; choose from {', '.join(SUPERVISED)}")
        if self.split not in SPLITS:
            raise InputError(f"unknown split {self.split!r}; choose random or time")
        if not 0.05 <= self.holdout <= 0.5:
            raise InputError(f"the hold-out fraction must be between 0.05 and 0.5, got {self.holdout}")
        if not 1 <= self.negatives <= 20:
            raise InputError(f"the negatives ratio must be between 1 and 20, got {self.negatives}")
        if not self.features:
            raise InputError("choose at least one feature for the supervised model")
        unknown = set(self.features) - set(GRAPH_FEATURES + PROFILE_FEATURES)
        if unknown:
            raise InputError(f"unknown feature(s) {', '.join(sorted(unknown))}")


@dataclass
class LinkPredictor:
    """A fitted pipeline over pair features; `predict_proba` computes features on the graph it is given."""

    config: TrainConfig
    pipeline: Pipeline | GridSearchCV
    n_training_pairs: int
    rounds: int
    fitted_on_edges: int = 0
    importance: dict[str, float] = field(default_factory=dict)

    def predict_proba(self, graph: nx.Graph, pairs: Sequence[Pair]) -> np.ndarray:
        if not len(pairs):
            return np.zeros(0)
        return self.predict_features(pair_features(graph, pairs, self.config.features))

    def predict_features(self, features: pd.DataFrame) -> np.ndarray:
        with threadpool_limits(limits=1, user_api="openmp"):
            return self.pipeline.predict_proba(features[list(self.config.features)])[:, 1]


def hide_edges(
    graph: nx.Graph, fraction: float, split: str = "random", seed: int = DEFAULT_SEED
) -> tuple[nx.Graph, list[Pair]]:
    """A copy of `graph` without a `fraction` of its links, and the hidden links.

    `random` hides a uniform sample; `time` hides the newest links (edge attribute `t`), the
    honest question "who will connect next?".
    """
    edges = list(graph.edges(data="t"))
    k = max(1, int(round(fraction * len(edges))))
    if k >= len(edges):
        raise InputError("the graph has too few links to hide some and keep the rest")
    if split == "time":
        if not graph.graph.get("has_time"):
            raise InputError("this graph has no link times; use the random split")
        chosen = np.argsort([t for _, _, t in edges], kind="stable")[-k:]
    else:
        chosen = np.random.default_rng(seed).choice(len(edges), size=k, replace=False)
    hidden = [(int(edges[i][0]), int(edges[i][1])) for i in sorted(chosen)]
    observed = graph.copy()
    observed.remove_edges_from(hidden)
    return observed, hidden


def sample_non_edges(graph: nx.Graph, k: int, seed: int = DEFAULT_SEED, exclude: set[Pair] | None = None) -> list[Pair]:
    """Up to `k` distinct pairs of different people who are not linked in `graph` (nor in `exclude`)."""
    exclude = exclude or set()
    rng = np.random.default_rng(seed)
    nodes = np.array(list(graph.nodes))
    n = len(nodes)
    possible = n * (n - 1) // 2 - graph.number_of_edges()
    if possible <= 4 * k:  # small graph: list every non-link and draw from them
        everything = [(int(u), int(v)) for u, v in nx.non_edges(graph)]
        everything = [(min(p), max(p)) for p in everything if (min(p), max(p)) not in exclude]
        order = rng.permutation(len(everything))[:k]
        return [everything[i] for i in sorted(order)]
    chosen: set[Pair] = set()
    while len(chosen) < k:
        us = nodes[rng.integers(n, size=2 * k)]
        vs = nodes[rng.integers(n, size=2 * k)]
        for u, v in zip(us.tolist(), vs.tolist(), strict=True):
            pair = (min(u, v), max(u, v))
            if u != v and pair not in chosen and pair not in exclude and not graph.has_edge(u, v):
                chosen.add(pair)
                if len(chosen) == k:
                    break
    return sorted(chosen)


def training_pairs(graph: nx.Graph, config: TrainConfig, round_: int = 0) -> tuple[nx.Graph, list[Pair], np.ndarray]:
    """One round of labelled pairs from `graph` alone: (graph the features come from, pairs, labels)."""
    seed = config.seed + 1000 * (round_ + 1)
    inner, hidden = hide_edges(graph, config.holdout, config.split if round_ == 0 else "random", seed)
    hidden = at_most(hidden, MAX_LABELLED_LINKS, seed)
    negatives = sample_non_edges(graph, config.negatives * len(hidden), seed)
    labels = np.r_[np.ones(len(hidden)), np.zeros(len(negatives))]
    return inner, hidden + negatives, labels


def _boosting(seed: int) -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(
        max_iter=150, learning_rate=0.1, max_leaf_nodes=15, l2_regularization=1.0, random_state=seed
    )


def _logistic_steps(c: float = 1.0) -> list[tuple[str, object]]:
    return [
        ("log", FunctionTransformer(np.log1p, feature_names_out="one-to-one")),
        ("scale", StandardScaler()),
        ("model", LogisticRegression(C=c, max_iter=2000)),
    ]


def build_pipeline(model: str = "logistic", seed: int = DEFAULT_SEED) -> Pipeline | GridSearchCV:
    """log(1 + x) -> standardise -> logistic regression, or gradient-boosted trees on raw features.

    `auto` stacks the single scores as features and lets `GridSearchCV` choose, by AUC over 3 inner
    folds of the training pairs (never the evaluation's test pairs), between logistic regression at
    each C of `INNER_C_GRID` and gradient boosting.
    """
    if model == "boosting":
        return Pipeline([("model", _boosting(seed))])
    if model == "auto":
        grid = [
            {"model__C": list(INNER_C_GRID)},
            {"log": ["passthrough"], "scale": ["passthrough"], "model": [_boosting(seed)]},
        ]
        return GridSearchCV(
            Pipeline(_logistic_steps()),
            grid,
            scoring="roc_auc",
            cv=StratifiedKFold(3, shuffle=True, random_state=seed),
            n_jobs=1,
        )
    return Pipeline(_logistic_steps())


def fit(graph: nx.Graph, config: TrainConfig | None = None) -> LinkPredictor:
    """Train the supervised model on `graph` only (hide links inside it, features on the rest).

    Small graphs repeat the hiding a few times (the first round honours the time split) so the
    model has enough hidden links to learn from.
    """
    config = config or TrainConfig()
    config.check()
    wanted = AUTO_TRAINING_LINKS if config.model == "auto" else MIN_TRAINING_LINKS
    rounds = max(1, min(8, math.ceil(wanted / max(1, config.holdout * graph.number_of_edges()))))
    frames, labels = [], []
    for round_ in range(rounds):
        inner, pairs, y = training_pairs(graph, config, round_)
        frames.append(pair_features(inner, pairs, config.features))
        labels.append(y)
    X, y = pd.concat(frames), np.concatenate(labels)
    # One OpenMP thread: on a shared 2-core machine gradient boosting's threads spin against each
    # other and a half-second fit took three minutes (measured); single-threaded it is fast everywhere.
    with threadpool_limits(limits=1, user_api="openmp"):
        pipeline = build_pipeline(config.model, config.seed).fit(X, y)
    importance = {}
    fitted = pipeline.best_estimator_ if isinstance(pipeline, GridSearchCV) else pipeline
    if isinstance(fitted.named_steps["model"], LogisticRegression):
        importance = dict(zip(config.features, fitted.named_steps["model"].coef_[0].round(3), strict=True))
    return LinkPredictor(config, pipeline, len(y), rounds, graph.number_of_edges(), importance)


def candidates_for(graph: nx.Graph, person: int, minimum: int = 10) -> list[int]:
    """People worth scoring for `person`: friends of friends, colleagues and classmates (then neighbours in town).

    Scoring only these keeps one person's suggestions fast on a large network; on a small graph
    with too few of them everyone not yet linked is a candidate.
    """
    friends = set(graph[person])
    found = {w for f in friends for w in graph[f]}
    attrs = graph.nodes[person]
    for field_ in ("company", "school", "city"):
        if len(found) >= 40 * minimum and field_ == "city":
            break
        value = attrs.get(field_)
        if value is not None:
            found |= {w for w, a in graph.nodes(data=field_) if a == value}
    if len(found - friends - {person}) < minimum and graph.number_of_nodes() <= 3000:
        found |= set(graph.nodes)
    return sorted(found - friends - {person})


def _reasons(graph: nx.Graph, person: int, other: int, mutual: int) -> tuple[str, str]:
    """'12 mutual connections, same school (MIT), same city (Lisbon)', and the main reason."""
    parts, main = [], None
    if mutual:
        parts.append(f"{mutual} mutual connection{'s' if mutual != 1 else ''}")
        main = "mutual connections" if mutual >= 2 else None
    mine, theirs = graph.nodes[person], graph.nodes[other]
    for field_ in ("company", "school", "city"):
        if mine.get(field_) is not None and mine.get(field_) == theirs.get(field_):
            parts.append(f"same {field_} ({mine[field_]})")
            main = main or f"same {field_}"
    if not parts:
        parts.append(f"well connected ({graph.degree(other)} connections)")
    return ", ".join(parts), main or ("mutual connections" if mutual else "well connected")


def suggest(
    graph: nx.Graph, person: int, *, predictor: LinkPredictor | None = None, method: str = "supervised", n: int = 10
) -> pd.DataFrame:
    """Top `n` people for `person`, each with a score in 0..1 (or the heuristic's value) and the reasons."""
    if person not in graph:
        raise InputError(f"there is no person {person} in this network (ids run from {min(graph)} to {max(graph)})")
    if not 1 <= n <= 100:
        raise InputError(f"ask for 1 to 100 suggestions, not {n}")
    candidates = candidates_for(graph, person, n)
    pairs = [(person, c) for c in candidates]
    columns = ["id", "name", "score", "mutual", "reasons", "main_reason", "connections"]
    if not pairs:
        return pd.DataFrame(columns=columns)
    if method == "supervised":
        if predictor is None:
            raise InputError("the supervised method needs a trained model")
        scores = predictor.predict_proba(graph, pairs)
    elif method in HEURISTICS:
        scores = HEURISTICS[method](graph, pairs)
    else:
        raise InputError(f"unknown method {method!r}; choose supervised or one of {', '.join(HEURISTICS)}")
    top = np.argsort(-scores, kind="stable")[:n]
    rows = []
    for i in top:
        other = candidates[i]
        mutual = len(set(graph[person]) & set(graph[other]))
        text, main = _reasons(graph, person, other, mutual)
        rows.append([other, person_label(graph, other), float(scores[i]), mutual, text, main, graph.degree(other)])
    return pd.DataFrame(rows, columns=columns)


def join_network(graph: nx.Graph, profile: dict[str, str], known: Sequence[int]) -> tuple[nx.Graph, int]:
    """A copy of `graph` with a visitor added, linked to the 2-5 people they know (the original is untouched)."""
    known = [int(k) for k in dict.fromkeys(known)]
    if not 2 <= len(known) <= 5:
        raise InputError(f"pick 2 to 5 different people you know (you picked {len(known)})")
    missing = [k for k in known if k not in graph]
    if missing:
        raise InputError(f"there is no person {missing[0]} in this network")
    visitor = max(graph.nodes) + 1
    joined = graph.copy()
    joined.add_node(
        visitor,
        name=profile.get("name") or "You",
        role=profile.get("role"),
        **{f: profile.get(f) for f in ("company", "school", "city")},
    )
    joined.add_edges_from((visitor, k, {"t": joined.number_of_edges()}) for k in known)
    return joined, visitor


def with_config(config: TrainConfig, **changes) -> TrainConfig:
    """A changed copy of a configuration (used by the curves)."""
    return replace(config, **changes)
