"""Held-out evaluation: rating error (RMSE, MAE) by k-fold, and top-10 ranking quality.

Ranking follows the usual offline protocol: hide some ratings, recommend 10 unrated films with
enough ratings to each person, and count how many of their hidden high ratings (>= 4) come back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import mean_absolute_error, root_mean_squared_error
from sklearn.model_selection import KFold

from models.common import DEFAULT_SEED, InputError
from models.recs.train import (
    ALGORITHMS,
    DEFAULT_ALGO,
    RATING_WEIGHT,
    Recommender,
    known_user_state,
    rank_scores,
    score_items,
    train,
)

__all__ = [
    "RELEVANT",
    "RankingScores",
    "kfold_splits",
    "predict_pairs",
    "kfold_scores",
    "ranking_scores",
    "popularity_ranking_scores",
    "evaluate",
]

RELEVANT = 4.0
"""A hidden rating of 4 stars or more is a film the person would have been glad to be shown."""


def kfold_splits(
    ratings: pd.DataFrame, folds: int = 5, seed: int = DEFAULT_SEED
) -> list[tuple[np.ndarray, np.ndarray]]:
    if not 2 <= folds <= 10:
        raise InputError("folds must be between 2 and 10")
    return list(KFold(n_splits=folds, shuffle=True, random_state=seed).split(np.arange(len(ratings))))


def predict_pairs(model: Recommender, users: np.ndarray, movies: np.ndarray) -> np.ndarray:
    """Predicted ratings for (userId, movieId) pairs; unseen people or films fall back to the biases."""
    user_pos = {int(x): k for k, x in enumerate(model.user_ids)}
    u = np.array([user_pos.get(int(x), -1) for x in users])
    i = np.array([model.item_index.get(int(x), -1) for x in movies])
    out = np.full(len(u), model.mu)
    known_i = i >= 0
    for user in np.unique(u):
        rows = np.flatnonzero(u == user)
        if user < 0:
            out[rows[known_i[rows]]] += model.bi[i[rows[known_i[rows]]]]
            continue
        state = known_user_state(model, int(user))
        ok = rows[known_i[rows]]
        out[ok] = score_items(model, state, i[ok])
        new = rows[~known_i[rows]]
        out[new] += model.bu[user]
    return np.clip(out, 0.5, 5.0)


def kfold_scores(
    ratings: pd.DataFrame,
    movies: pd.DataFrame | None = None,
    *,
    algo: str = DEFAULT_ALGO,
    folds: int = 5,
    seed: int = DEFAULT_SEED,
    **params: Any,
) -> pd.DataFrame:
    """RMSE, MAE and fit time on each of `folds` held-out folds."""
    rows = []
    for fold, (train_rows, test_rows) in enumerate(kfold_splits(ratings, folds, seed), start=1):
        model = train(ratings.iloc[train_rows], movies, algo=algo, seed=seed, **params)
        test = ratings.iloc[test_rows]
        predicted = predict_pairs(model, test["userId"].to_numpy(), test["movieId"].to_numpy())
        rows.append(
            {
                "fold": fold,
                "rmse": root_mean_squared_error(test["rating"], predicted),
                "mae": mean_absolute_error(test["rating"], predicted),
                "fit_seconds": model.fit_seconds,
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class RankingScores:
    precision: float
    recall: float
    ndcg: float
    coverage: float  # share of eligible films that appear in anyone's top-k
    popularity: float  # mean popularity percentile of recommended films (100 = the most rated film)
    users: int


def _ranking(
    lists: dict[int, np.ndarray], relevant: dict[int, set[int]], n_ratings: np.ndarray, eligible: np.ndarray, k: int
) -> RankingScores:
    discounts = 1 / np.log2(np.arange(2, k + 2))
    precision, recall, ndcg = [], [], []
    for user, top in lists.items():
        hits = np.array([j in relevant[user] for j in top], dtype=float)
        precision.append(hits.sum() / k)
        recall.append(hits.sum() / len(relevant[user]))
        ideal = discounts[: min(len(relevant[user]), k)].sum()
        ndcg.append(float((hits * discounts[: len(hits)]).sum() / ideal))
    if not lists:
        return RankingScores(*(float("nan"),) * 5, 0)
    shown = np.unique(np.concatenate(list(lists.values()))) if lists else np.array([], dtype=int)
    percentile = pd.Series(n_ratings[eligible]).rank(pct=True).to_numpy() * 100
    lookup = dict(zip(eligible, percentile, strict=True))
    pop = np.mean([lookup[j] for top in lists.values() for j in top]) if lists else float("nan")
    return RankingScores(
        float(np.mean(precision)),
        float(np.mean(recall)),
        float(np.mean(ndcg)),
        len(shown) / max(len(eligible), 1),
        float(pop),
        len(lists),
    )


def _held_out(model: Recommender, test: pd.DataFrame, min_ratings: int, max_users: int | None, seed: int):
    liked = test[test["rating"] >= RELEVANT]
    user_pos = {int(x): k for k, x in enumerate(model.user_ids)}
    relevant: dict[int, set[int]] = {}
    for user_id, part in liked.groupby("userId"):
        if int(user_id) in user_pos:
            items = {model.item_index[m] for m in part["movieId"] if m in model.item_index}
            if items:
                relevant[user_pos[int(user_id)]] = items
    users = sorted(relevant)
    if max_users is not None and len(users) > max_users:
        users = sorted(np.random.default_rng(seed).choice(users, max_users, replace=False).tolist())
    eligible = np.flatnonzero(model.films["n_ratings"].to_numpy() >= min_ratings)
    if not len(eligible):
        raise InputError(f"no film has {min_ratings} or more training ratings to recommend; lower the minimum")
    return relevant, users, eligible


def ranking_scores(
    model: Recommender,
    test: pd.DataFrame,
    *,
    k: int = 10,
    min_ratings: int = 20,
    max_users: int | None = None,
    seed: int = DEFAULT_SEED,
    rating_weight: float | None = RATING_WEIGHT,
) -> RankingScores:
    """precision@k, recall@k, NDCG@k on hidden ratings >= 4, plus catalogue coverage and popularity bias.

    `rating_weight=None` ranks by predicted rating alone (what a pure rating predictor would show).
    """
    relevant, users, eligible = _held_out(model, test, min_ratings, max_users, seed)
    lists = {}
    for user in users:
        state = known_user_state(model, user)
        candidates = np.setdiff1d(eligible, state.rated)
        if rating_weight is None:
            scores = score_items(model, state, candidates)
        else:
            scores = rank_scores(model, state, candidates, rating_weight=rating_weight)[0]
        lists[user] = candidates[np.argsort(-scores, kind="stable")[:k]]
    return _ranking(lists, {u: relevant[u] for u in users}, model.films["n_ratings"].to_numpy(), eligible, k)


def popularity_ranking_scores(
    model: Recommender,
    test: pd.DataFrame,
    *,
    k: int = 10,
    min_ratings: int = 20,
    max_users: int | None = None,
    seed: int = DEFAULT_SEED,
) -> RankingScores:
    """The same protocol for "show everyone the most-rated films they have not rated yet"."""
    relevant, users, eligible = _held_out(model, test, min_ratings, max_users, seed)
    n_ratings = model.films["n_ratings"].to_numpy()
    by_popularity = eligible[np.argsort(-n_ratings[eligible], kind="stable")]
    lists = {}
    for user in users:
        rated = set(model.i[model.u == user].tolist())
        lists[user] = np.array([j for j in by_popularity[: k + len(rated)] if j not in rated][:k])
    return _ranking(lists, {u: relevant[u] for u in users}, n_ratings, eligible, k)


def evaluate(
    ratings: pd.DataFrame,
    movies: pd.DataFrame | None = None,
    *,
    algo: str = DEFAULT_ALGO,
    folds: int = 5,
    seed: int = DEFAULT_SEED,
    top_k: int = 10,
    min_ratings: int = 20,
    max_users: int | None = None,
    **params: Any,
) -> pd.DataFrame:
    """The chosen model beside BaselineOnly and a popularity recommender, on the same folds.

    RMSE/MAE are k-fold means; the ranking columns come from fold 1 (one model per algorithm). The ranking
    cutoff is `top_k`, never `k`: `k` is a hyperparameter (neighbours) and goes to the model with `params`.
    """
    k = top_k
    splits = kfold_splits(ratings, folds, seed)
    rows = []
    algos = [algo] if algo == "baseline" else [algo, "baseline"]
    for name in algos:
        scores = kfold_scores(ratings, movies, algo=name, folds=folds, seed=seed, **(params if name == algo else {}))
        train_rows, test_rows = splits[0]
        model = train(ratings.iloc[train_rows], movies, algo=name, seed=seed, **(params if name == algo else {}))
        rank = ranking_scores(
            model, ratings.iloc[test_rows], k=k, min_ratings=min_ratings, max_users=max_users, seed=seed
        )
        rows.append(_row(ALGORITHMS[name]["label"] + ", watch + rating ranking", scores, rank, k))
        alone = ranking_scores(
            model,
            ratings.iloc[test_rows],
            k=k,
            min_ratings=min_ratings,
            max_users=max_users,
            seed=seed,
            rating_weight=None,
        )
        rows.append(_row(ALGORITHMS[name]["label"] + ", ranked by predicted rating", scores, alone, k))
        if name == algo:
            pop = popularity_ranking_scores(
                model, ratings.iloc[test_rows], k=k, min_ratings=min_ratings, max_users=max_users, seed=seed
            )
    rows.append(_row("Popularity (most-rated films)", None, pop, k))
    return pd.DataFrame(rows)


def _row(label: str, scores: pd.DataFrame | None, rank: RankingScores, k: int) -> dict[str, Any]:
    return {
        "model": label,
        "rmse": float(scores["rmse"].mean()) if scores is not None else float("nan"),
        "mae": float(scores["mae"].mean()) if scores is not None else float("nan"),
        "fit_seconds": float(scores["fit_seconds"].median()) if scores is not None else 0.0,
        f"precision@{k}": rank.precision,
        f"recall@{k}": rank.recall,
        f"ndcg@{k}": rank.ndcg,
        "coverage": rank.coverage,
        "popularity_pct": rank.popularity,
        "users": rank.users,
    }
