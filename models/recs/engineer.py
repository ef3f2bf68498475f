"""The engineer's view hooks (issue 8): learning curve, model arena, formulas, script, slices."""

from __future__ import annotations

import os
import sys
import time
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import root_mean_squared_error

from models.common import DEFAULT_SEED, Formula, InputError
from models.disk_cache import disk_cache
from models.recs.evaluate import kfold_splits, predict_pairs, ranking_scores
from models.recs.explain import recommend
from models.recs.train import ALGORITHMS, DEFAULT_ALGO, known_user_state, train

__all__ = [
    "FORMULAS",
    "RATER_BANDS",
    "cached_frame",
    "shipped_frame",
    "frame_ready",
    "learning_curve",
    "model_arena",
    "reproduction_script",
    "slice_report",
    "warm_default_frames",
]

RATER_BANDS = (
    (0, 30, "light: under 30 ratings"),
    (30, 100, "30-99 ratings"),
    (100, 300, "100-299 ratings"),
    (300, 10**9, "heavy: 300+ ratings"),
)
RANKING_USERS = 300
"""Ranking metrics in these views use a fixed sample of people so each view answers in seconds."""

FORMULAS: tuple[Formula, ...] = (
    Formula(
        "SVD prediction with biases",
        r"\hat r_{ui} = \mu + b_u + b_i + q_i^\top p_u",
        "A predicted rating is the overall average, plus how generous this person is, plus how well liked "
        "the film is, plus how well the film's hidden traits match the person's tastes.",
        "Koren, Bell and Volinsky, 'Matrix factorization techniques for recommender systems', IEEE Computer 2009",
    ),
    Formula(
        "What SVD minimises",
        r"\min_{b,p,q} \sum_{(u,i)} (r_{ui} - \hat r_{ui})^2 + \lambda (b_u^2 + b_i^2 + \|p_u\|^2 + \|q_i\|^2)",
        "Training nudges every number to shrink the squared errors on known ratings, while the penalty "
        "lambda keeps numbers small so the model does not memorise.",
        "Funk, 'Netflix update: try this at home', 2006; Surprise documentation, SVD",
    ),
    Formula(
        "Item-neighbour prediction (KNNBaseline)",
        r"\hat r_{ui} = b_{ui} + \frac{\sum_{j \in N^k_i(u)} s_{ij} (r_{uj} - b_{uj})}"
        r"{\sum_{j \in N^k_i(u)} s_{ij}}",
        "Start from the baseline guess, then correct it by how much more or less than expected the person "
        "liked the k films most similar to this one.",
        "Koren, 'Factor in the neighbors', ACM TKDD 2010",
    ),
    Formula(
        "Shrunk pearson_baseline similarity",
        r"s_{ij} = \frac{n_{ij} - 1}{n_{ij} - 1 + \beta}\,"
        r"\frac{\sum_u e_{ui} e_{uj}}{\sqrt{\sum_u e_{ui}^2 \sum_u e_{uj}^2}},\quad e_{ui} = r_{ui} - b_{ui}",
        "Two films are similar when the same people liked them more (or less) than expected; a similarity "
        "based on few common raters is shrunk towards zero.",
        "Koren, 2010; Surprise documentation, similarities",
    ),
    Formula(
        "The blend",
        r"\hat r_{ui} = w\,\hat r^{\mathrm{SVD}}_{ui} + (1 - w)\,\hat r^{\mathrm{kNN}}_{ui}",
        "Two models that err differently average to smaller errors; w was chosen on training folds only.",
        "Bell and Koren, 'Lessons from the Netflix prize challenge', SIGKDD Explorations 2007",
    ),
    Formula(
        "Folding in a new visitor",
        r"(b_u, p_u) = \arg\min \sum_{j \in R(u)} (r_{uj} - \mu - b_j - b_u - q_j^\top p_u)^2"
        r" + \lambda (b_u^2 + \|p_u\|^2)",
        "With every film's numbers frozen, your own numbers come from one small least-squares solve, "
        "so your recommendations follow a rating in milliseconds, without retraining.",
        "Sarwar et al., 'Incremental SVD-based algorithms for recommender systems', 2002",
    ),
    Formula(
        "NDCG@10",
        r"\mathrm{NDCG@10} = \frac{\sum_{k=1}^{10} \mathrm{rel}_k / \log_2(k+1)}"
        r"{\sum_{k=1}^{\min(10, |R|)} 1 / \log_2(k+1)}",
        "Did the hidden films the person loved come back in the top 10, and near the top? 1 is perfect.",
        "Jarvelin and Kekalainen, 'Cumulated gain-based evaluation of IR techniques', ACM TOIS 2002",
    ),
)


def _fold_one(ratings: pd.DataFrame, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    train_rows, test_rows = kfold_splits(ratings, 5, seed)[0]
    return ratings.iloc[train_rows], ratings.iloc[test_rows]


def learning_curve(
    ratings: pd.DataFrame,
    movies: pd.DataFrame | None = None,
    *,
    algo: str = DEFAULT_ALGO,
    shares: tuple[float, ...] = (0.1, 0.25, 0.5, 1.0),
    seed: int = DEFAULT_SEED,
    **params: Any,
) -> pd.DataFrame:
    """RMSE and NDCG@10 on the same held-out 20 % as the model sees a growing share of the rest."""
    training, test = _fold_one(ratings, seed)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(training))
    rows = []
    for share in shares:
        part = training.iloc[np.sort(order[: max(int(share * len(training)), 100)])]
        model = train(part, movies, algo=algo, seed=seed, **params)
        predicted = predict_pairs(model, test["userId"].to_numpy(), test["movieId"].to_numpy())
        rank = ranking_scores(model, test, max_users=RANKING_USERS, seed=seed)
        x = round(100 * share)
        rows += [
            {"x": x, "metric": "RMSE (stars)", "value": root_mean_squared_error(test["rating"], predicted)},
            {"x": x, "metric": "NDCG@10", "value": rank.ndcg},
        ]
    return pd.DataFrame(rows)


def model_arena(
    ratings: pd.DataFrame,
    movies: pd.DataFrame | None = None,
    *,
    seed: int = DEFAULT_SEED,
    algos: tuple[str, ...] = tuple(ALGORITHMS),
    default: str = DEFAULT_ALGO,
    default_params: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """Every algorithm on fold 1: error removed against guessing the average, fit time, latency."""
    training, test = _fold_one(ratings, seed)
    mean_rmse = root_mean_squared_error(test["rating"], np.full(len(test), training["rating"].mean()))
    rows = []
    for name in algos:
        params = (default_params or {}) if name == default else {}
        try:
            model = train(training, movies, algo=name, seed=seed, **params)
        except InputError:
            continue  # over its resource budget on these ratings (an uploaded file): left out of the arena
        predicted = predict_pairs(model, test["userId"].to_numpy(), test["movieId"].to_numpy())
        rmse = root_mean_squared_error(test["rating"], predicted)
        state = known_user_state(model, 0)
        start = time.perf_counter()
        recommend(model, state, 10)
        rows.append(
            {
                "model": name,
                "quality": 100 * (1 - rmse / mean_rmse),
                "rmse": rmse,
                "fit_seconds": model.fit_seconds,
                "predict_ms": 1000 * (time.perf_counter() - start),
                "is_default": name == default,
            }
        )
    return pd.DataFrame(rows)


def slice_report(
    ratings: pd.DataFrame,
    movies: pd.DataFrame | None = None,
    *,
    algo: str = DEFAULT_ALGO,
    seed: int = DEFAULT_SEED,
    **params: Any,
) -> pd.DataFrame:
    """Light versus heavy raters (cold start): rating error and NDCG@10 for each band of people."""
    training, test = _fold_one(ratings, seed)
    model = train(training, movies, algo=algo, seed=seed, **params)
    counts = training.groupby("userId").size()
    rows = []
    for low, high, label in RATER_BANDS:
        people = counts[(counts >= low) & (counts < high)].index
        part = test[test["userId"].isin(people)]
        n_people = int(part["userId"].nunique())
        if len(part):
            predicted = predict_pairs(model, part["userId"].to_numpy(), part["movieId"].to_numpy())
            rmse = root_mean_squared_error(part["rating"], predicted)
            ndcg = ranking_scores(model, part, max_users=RANKING_USERS, seed=seed).ndcg
        else:
            rmse = ndcg = float("nan")
        too_few = n_people < 20
        rows.append(
            {
                "slice": label,
                "n": n_people,
                "RMSE (stars)": rmse,
                "NDCG@10": ndcg,
                "held-out ratings": len(part),
                "too_few": too_few,
                "note": "too few people to judge" if too_few else "",
            }
        )
    return pd.DataFrame(rows)


def reproduction_script(
    *,
    algo: str = DEFAULT_ALGO,
    visitor: dict[int, float] | None = None,
    n: int = 10,
    min_ratings: int = 20,
    seed: int = DEFAULT_SEED,
    **params: Any,
) -> str:
    """A runnable script that trains the page's model and prints the page's recommendations."""
    visitor = {int(k): float(v) for k, v in (visitor or {}).items()}
    return f'''"""Reproduce the Movie recommendations page: same data, model, parameters and ratings."""

from models.recs.data import load_movielens
from models.recs.explain import recommend, visitor_state
from models.recs.train import train

ratings, movies = load_movielens()
model = train(ratings, movies, algo={algo!r}, seed={seed}, **{params!r})
print(f"trained {{model.algo}} on {{len(ratings):,}} ratings")
visitor = {visitor!r}
if visitor:
    picks = recommend(model, visitor_state(model, visitor), {n}, min_ratings={min_ratings})
    for row in picks.itertuples():
        print(f"{{row.rank:2d}}. {{row.title}}  predicted {{row.predicted:.2f}}  ({{row.why}})")
else:
    print("no ratings given: rate films on the page to get recommendations")
'''


def _compute(name: str, ratings: pd.DataFrame, movies: pd.DataFrame | None, algo: str, params: tuple) -> pd.DataFrame:
    kwargs = dict(params)
    if name == "curve":
        return learning_curve(ratings, movies, algo=algo, **kwargs)
    if name == "arena":
        return model_arena(ratings, movies, default=algo, default_params=kwargs)
    return slice_report(ratings, movies, algo=algo, **kwargs)


@disk_cache("models.recs")
def shipped_frame(name: str, algo: str, params: tuple) -> pd.DataFrame:
    """An engineer's-view frame ("curve", "arena", "slices") on the shipped ratings, kept on disk."""
    from models.recs.data import load_movielens

    ratings, movies = load_movielens()
    return _compute(name, ratings, movies, algo, params)


def frame_ready(name: str, algo: str, params: tuple) -> bool:
    """Whether `cached_frame` on the shipped ratings would answer from disk, without computing."""
    return shipped_frame.ready(name, algo, params)


def cached_frame(
    name: str, ratings: pd.DataFrame, movies: pd.DataFrame | None, algo: str, params: tuple, *, on_disk: bool = True
) -> pd.DataFrame:
    """An engineer's-view frame; `on_disk` when `ratings` are the shipped ones (a person's file stays in memory)."""
    if on_disk:
        return shipped_frame(name, algo, params)
    return _compute(name, ratings, movies, algo, params)


def warm_default_frames() -> None:
    """Fill the cache with the default model's learning curve and slices (run in a niced child process)."""
    params = tuple(sorted(ALGORITHMS[DEFAULT_ALGO]["params"].items()))
    for name in ("curve", "slices"):
        shipped_frame(name, DEFAULT_ALGO, params)


def exit_with_parent(poll_seconds: float = 2.0) -> None:
    """Stop this process when the one that started it is gone (a killed server must not leave a warm-up
    computing behind it). A polling thread, since PR_SET_PDEATHSIG would fire when the server's *thread*
    that started us ends, which a Streamlit script thread does after every run."""
    import threading

    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(poll_seconds)
            if os.getppid() != parent:  # re-parented: the server has exited
                os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


if __name__ == "__main__" and "--warm" in sys.argv:
    exit_with_parent()
    if hasattr(os, "nice"):
        os.nice(10)  # the visitors' clicks come first
    warm_default_frames()
