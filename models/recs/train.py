"""Training recommenders on a ratings frame, and scoring films for a known person or a new visitor.

The default is a blend of a small latent-factor model (Surprise's SVD with biases) and an
item-neighbour model on baseline residuals (the KNNBaseline rule, vectorised here so that fitting
takes under a second and the similarity matrix stays small). Every model is turned into the same
`Recommender` record of arrays, so scoring, fold-in and explanations are one code path.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from models.common import DEFAULT_SEED, InputError
from models.recs.data import RATING_SCALE, catalogue

__all__ = [
    "ALGORITHMS",
    "DEFAULT_ALGO",
    "PARAM_RANGES",
    "Recommender",
    "UserState",
    "default_params",
    "train",
    "fit_item_neighbours",
    "check_training_budget",
    "neighbour_films",
    "fold_in_user",
    "known_user_state",
    "score_items",
    "watch_scores",
    "rank_scores",
    "RATING_WEIGHT",
]

DEFAULT_ALGO = "hybrid"
ALGORITHMS: dict[str, dict[str, Any]] = {
    "hybrid": {
        "label": "Blend: SVD + item neighbours (default)",
        # Chosen on a 90/10 inner split of fold 1's training ratings (benchmarks/bench_recs.py, "Hyperparameters").
        "params": dict(n_factors=60, n_epochs=70, lr_all=0.007, reg_all=0.08, k=40, shrinkage=100, blend=0.4),
    },
    "svd": {
        "label": "SVD (latent factors with biases)",
        "params": dict(n_factors=50, n_epochs=80, lr_all=0.005, reg_all=0.1),
    },
    "svdpp": {
        "label": "SVD++ (slow: also learns from what you chose to rate)",
        "params": dict(n_factors=20, n_epochs=15, lr_all=0.007, reg_all=0.02),
    },
    "nmf": {"label": "NMF (non-negative factors)", "params": dict(n_factors=15, n_epochs=50)},
    "item_knn": {"label": "KNNBaseline, item-based (pearson_baseline)", "params": dict(k=40, shrinkage=100)},
    "user_knn": {"label": "KNNBaseline, user-based", "params": dict(k=40, similarity="pearson_baseline")},
    "baseline": {"label": "BaselineOnly (average + user and film biases)", "params": {}},
}
PARAM_RANGES: dict[str, tuple[float, float]] = {
    # Bounds that keep the slowest choice (SVD++) within tens of seconds on a 2-core laptop.
    "n_factors": (2, 100),
    "n_epochs": (5, 80),
    "lr_all": (0.001, 0.02),
    "reg_all": (0.0, 0.5),
    "k": (5, 100),
    "shrinkage": (0, 300),
    "blend": (0.0, 1.0),
}
SIMILARITIES = ("pearson_baseline", "pearson", "cosine", "msd")
MIN_NEIGHBOUR_RATINGS = 5
"""Films with fewer ratings get no neighbours: shrinkage would zero their similarities anyway,
and leaving them out keeps the similarity matrix near 24 MB instead of 165 MB (upper triangles)."""
MAX_NEIGHBOUR_FILMS = 4_000
"""The item-neighbour similarity is a dense films x films float32 matrix, kept as its upper triangle: at
most this many films (the most-rated) get neighbours, so it never exceeds 32 MB whatever a ratings file
holds (the shipped data has 3,496 such films, 24 MB; an uploaded 50,000-film file would otherwise need 5 GB)."""
MAX_USER_KNN_PEOPLE = 2_000
"""Surprise's user-based KNN keeps about five dense people x people float64 matrices while it fits:
160 MB at this many people (the shipped data has 671)."""
MAX_SVDPP_PAIRS = 150_000_000
"""SVD++ revisits every pair of films one person rated, each epoch: its time grows with the sum over
people of (their number of ratings) squared. The shipped data has 51 million such pairs (10-40 s)."""
RATING_WEIGHT = 0.5
"""How much the predicted rating counts against "people who rated your films also rated this" when
ranking (chosen on fold 1's ranking protocol; see benchmarks/results/recs.md)."""
FOLD_IN_PRIOR = 1.0
"""Extra ridge strength when folding in a visitor with only a handful of ratings."""


def default_params(algo: str) -> dict[str, Any]:
    if algo not in ALGORITHMS:
        raise InputError(f"unknown algorithm {algo!r}; choose from {', '.join(ALGORITHMS)}")
    return dict(ALGORITHMS[algo]["params"])


def _check_params(algo: str, params: dict[str, Any]) -> dict[str, Any]:
    merged = default_params(algo)
    for key, value in params.items():
        if key not in merged:
            raise InputError(f"{algo} has no parameter {key!r}; it takes {', '.join(merged) or 'none'}")
        if key == "similarity":
            if value not in SIMILARITIES:
                raise InputError(f"similarity must be one of {', '.join(SIMILARITIES)}")
        else:
            low, high = PARAM_RANGES[key]
            if not low <= float(value) <= high:
                raise InputError(f"{key} must be between {low:g} and {high:g}, got {value}")
            value = int(value) if isinstance(merged[key], int) else float(value)
        merged[key] = value
    return merged


@dataclass(frozen=True)
class PackedSymmetric:
    """A symmetric n x n matrix kept as its upper triangle, row by row: half the memory of the square one
    (the item-neighbour similarity is the largest thing the server holds for this demo)."""

    n: int
    values: np.ndarray  # n (n + 1) / 2 entries; row i holds columns i .. n - 1

    def take(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """The len(rows) x len(cols) block M[rows][:, cols]."""
        rows, cols = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
        lo, hi = np.minimum.outer(rows, cols), np.maximum.outer(rows, cols)
        return self.values[_row_start(lo, self.n) + hi - lo]

    @property
    def nbytes(self) -> int:
        return int(self.values.nbytes)


def _row_start(i: np.ndarray | int, n: int) -> np.ndarray | int:
    """Offset of row i in a packed upper triangle: the lengths n, n - 1, ... of the rows before it."""
    return i * n - i * (i - 1) // 2


@dataclass(frozen=True)
class ItemNeighbours:
    """Baseline biases plus a shrunk pearson_baseline similarity between films with enough ratings."""

    mu: float
    bu: np.ndarray
    bi: np.ndarray
    index: np.ndarray  # film index -> row of `sim`, -1 when the film has too few ratings
    sim: PackedSymmetric  # float32, films x films, zero diagonal
    k: int


@dataclass(frozen=True)
class Recommender:
    """A trained model as plain arrays, indexed by position in `user_ids` / `films`."""

    algo: str
    params: dict[str, Any]
    user_ids: np.ndarray
    films: pd.DataFrame  # catalogue(), row i = film index i
    u: np.ndarray  # training ratings as (user index, film index, rating)
    i: np.ndarray
    r: np.ndarray
    mu: float
    bu: np.ndarray
    bi: np.ndarray
    pu: np.ndarray | None = None
    qi: np.ndarray | None = None
    yj: np.ndarray | None = None
    biased: bool = True
    neighbours: ItemNeighbours | None = None
    blend: float = 1.0  # weight of the factor (or bias) part; the rest goes to the neighbours
    surprise_algo: Any = None
    inner_item: np.ndarray | None = None  # film index -> Surprise inner id (user-based KNN only)
    fit_seconds: float = 0.0
    item_index: dict[int, int] = field(default_factory=dict)
    seen: sp.csr_matrix | None = None  # films x users, 1 where rated: the implicit "who watched what"

    @property
    def has_factors(self) -> bool:
        return self.qi is not None


@dataclass(frozen=True)
class UserState:
    """What scoring needs about one person: biases, factors and their rated films."""

    rated: np.ndarray  # film indices
    ratings: np.ndarray
    bu: float = 0.0
    pu: np.ndarray | None = None
    nb_bu: float = 0.0
    user: int | None = None  # index of a known user (for user-based KNN)
    note: str = ""


def baseline_biases(
    u: np.ndarray,
    i: np.ndarray,
    r: np.ndarray,
    n_users: int,
    n_items: int,
    reg_u: float = 15.0,
    reg_i: float = 10.0,
    epochs: int = 10,
) -> tuple[float, np.ndarray, np.ndarray]:
    """Alternating least squares for mu + b_u + b_i (Surprise's BaselineOnly defaults)."""
    mu = float(r.mean())
    bu, bi = np.zeros(n_users), np.zeros(n_items)
    count_i, count_u = np.bincount(i, minlength=n_items), np.bincount(u, minlength=n_users)
    for _ in range(epochs):
        bi = np.bincount(i, r - mu - bu[u], n_items) / (reg_i + count_i)
        bu = np.bincount(u, r - mu - bi[i], n_users) / (reg_u + count_u)
    return mu, bu, bi


def neighbour_films(i: np.ndarray, n_items: int) -> np.ndarray:
    """Which films get item neighbours: those with enough ratings, the most-rated first, at most
    `MAX_NEIGHBOUR_FILMS` of them (the bound that keeps an uploaded file from exhausting memory)."""
    counts = np.bincount(i, minlength=n_items)
    keep = counts >= MIN_NEIGHBOUR_RATINGS
    if keep.sum() > MAX_NEIGHBOUR_FILMS:
        order = np.lexsort((np.arange(n_items), -counts))  # most-rated first, ties by film index
        keep = np.zeros(n_items, dtype=bool)
        keep[order[:MAX_NEIGHBOUR_FILMS]] = True
    return keep


def fit_item_neighbours(
    u: np.ndarray,
    i: np.ndarray,
    r: np.ndarray,
    n_users: int,
    n_items: int,
    *,
    k: int = 40,
    shrinkage: float = 100,
    block: int = 256,
) -> ItemNeighbours:
    """KNNBaseline's pearson_baseline similarity, computed with sparse products instead of loops.

        sim(i, j) = sum_u e_ui e_uj / sqrt(sum_u e_ui^2 sum_u e_uj^2) over common raters u, where e is
        the residual after the baseline, shrunk by (n_ij - 1) / (n_ij - 1 + shrinkage) (Koren, 2010).
        Rows are computed `block` films at a time, right of the diagonal only (the matrix is symmetric), so
    only the float32 upper triangle is ever kept.
    """
    mu, bu, bi = baseline_biases(u, i, r, n_users, n_items)
    residual = r - mu - bu[u] - bi[i]
    keep = neighbour_films(i, n_items)
    index = np.full(n_items, -1)
    index[keep] = np.arange(int(keep.sum()))
    mask = keep[i]
    n_kept = int(keep.sum())
    shape = (n_kept, n_users)
    rows, cols = index[i[mask]], u[mask]
    e = sp.csr_matrix((residual[mask], (rows, cols)), shape=shape)
    seen = sp.csr_matrix((np.ones(int(mask.sum())), (rows, cols)), shape=shape)
    e2 = e.multiply(e).tocsr()
    e_t, seen_t, e2_t = e.T.tocsc(), seen.T.tocsc(), e2.T.tocsc()
    packed = np.zeros(n_kept * (n_kept + 1) // 2, dtype=np.float32)
    for lo in range(0, n_kept, block):
        part, right = slice(lo, min(lo + block, n_kept)), slice(lo, n_kept)  # upper triangle: columns >= lo
        numerator = (e[part] @ e_t[:, right]).toarray().astype(np.float32)
        common = (seen[part] @ seen_t[:, right]).toarray().astype(np.float32)
        squares = (e2[part] @ seen_t[:, right]).toarray().astype(np.float32)
        denominator = np.sqrt(squares * (seen[part] @ e2_t[:, right]).toarray().astype(np.float32))
        with np.errstate(divide="ignore", invalid="ignore"):
            values = np.where(denominator > 0, numerator / denominator, 0).astype(np.float32)
        shrunk = np.clip(common - 1, 0, None)
        values *= shrunk / (shrunk + shrinkage) if shrinkage > 0 else (shrunk > 0)
        for row in range(part.start, part.stop):
            start = _row_start(row, n_kept)
            packed[start : start + n_kept - row] = values[row - lo, row - lo :]
            packed[start] = 0  # a film is not its own neighbour
    return ItemNeighbours(mu, bu, bi, index, PackedSymmetric(n_kept, packed), int(k))


def _neighbour_adjustment(
    nb: ItemNeighbours, items: np.ndarray, rated: np.ndarray, residuals: np.ndarray
) -> np.ndarray:
    """sum_j sim(i,j) e_uj / sum_j sim(i,j) over the k most similar rated films with sim > 0."""
    out = np.zeros(len(items))
    rows, cols = nb.index[items], nb.index[rated]
    usable_cols = cols >= 0
    ok = rows >= 0
    if not usable_cols.any() or not ok.any():
        return out
    sims = nb.sim.take(rows[ok], cols[usable_cols])
    sims = np.where(sims > 0, sims, 0)
    res = residuals[usable_cols]
    if sims.shape[1] > nb.k:
        top = np.argpartition(-sims, nb.k - 1, axis=1)[:, : nb.k]
        sims, res = np.take_along_axis(sims, top, 1), res[top]
    total = sims.sum(axis=1)
    weighted = (sims * res).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        out[ok] = np.where(total > 0, weighted / np.where(total > 0, total, 1), 0)
    return out


class _RatingList(list):
    """Surprise's `all_ratings()` as a list built once: called, it returns itself.

    Surprise's SGD walks `trainset.all_ratings()` once per epoch; its generator costs as much as the
    SGD itself (70 epochs x 100,000 ratings). A list in the same order gives the same result in less time.
    """

    def __call__(self) -> list:
        return self


def _surprise_trainset(u: np.ndarray, i: np.ndarray, r: np.ndarray):
    from surprise import Dataset, Reader

    frame = pd.DataFrame({"u": u, "i": i, "r": r})
    trainset = Dataset.load_from_df(frame, Reader(rating_scale=RATING_SCALE)).build_full_trainset()
    trainset.all_ratings = _RatingList(trainset.all_ratings())
    return trainset


def _aligned(trainset, values: np.ndarray, n: int, *, users: bool) -> np.ndarray:
    """Reorder Surprise's inner-id arrays to our indices (raw ids are our indices)."""
    to_raw = trainset.to_raw_uid if users else trainset.to_raw_iid
    order = np.array([to_raw(inner) for inner in range(len(values))], dtype=int)
    out = np.zeros((n, *values.shape[1:]))
    out[order] = values
    return out


def _fit_surprise(algo: str, params: dict[str, Any], u, i, r, n_users, n_items, seed: int) -> dict[str, Any]:
    from surprise import NMF, SVD, KNNBaseline, SVDpp

    trainset = _surprise_trainset(u, i, r)
    if algo in ("svd", "hybrid"):
        keys = ("n_factors", "n_epochs", "lr_all", "reg_all")
        model = SVD(random_state=seed, **{k: params[k] for k in keys}).fit(trainset)
    elif algo == "svdpp":
        model = SVDpp(random_state=seed, cache_ratings=True, **params).fit(trainset)
    elif algo == "nmf":
        model = NMF(random_state=seed, **params).fit(trainset)
    else:  # user_knn
        sim_options = {"name": params["similarity"], "user_based": True}
        model = KNNBaseline(k=params["k"], sim_options=sim_options, verbose=False).fit(trainset)
        inner_item = np.full(n_items, -1)
        for inner in range(trainset.n_items):
            inner_item[trainset.to_raw_iid(inner)] = inner
        bu, bi = model.compute_baselines()  # already computed during fit; returns the cached pair
        return dict(
            mu=trainset.global_mean,
            bu=_aligned(trainset, bu, n_users, users=True),
            bi=_aligned(trainset, bi, n_items, users=False),
            surprise_algo=model,
            inner_item=inner_item,
        )
    out = dict(
        mu=trainset.global_mean,
        pu=_aligned(trainset, model.pu, n_users, users=True),
        qi=_aligned(trainset, model.qi, n_items, users=False),
        bu=_aligned(trainset, np.asarray(model.bu), n_users, users=True),
        bi=_aligned(trainset, np.asarray(model.bi), n_items, users=False),
    )
    if algo == "svdpp":
        out["yj"] = _aligned(trainset, model.yj, n_items, users=False)
    if algo == "nmf":
        out["biased"] = False
    return out


def check_training_budget(ratings: pd.DataFrame, algo: str) -> None:
    """Refuse, before any work, a model whose cost on these ratings exceeds a fixed budget.

    The blend's and item-KNN's neighbour matrix is bounded by `MAX_NEIGHBOUR_FILMS` instead; the
    factor models grow linearly with the ratings, which the readers already cap.
    """
    if algo == "user_knn":
        people = int(ratings["userId"].nunique())
        if people > MAX_USER_KNN_PEOPLE:
            raise InputError(
                f"user-based neighbours compare every pair of people, and these ratings have "
                f"{people:,} people; the limit is {MAX_USER_KNN_PEOPLE:,} (choose another algorithm)"
            )
    if algo == "svdpp":
        per_person = ratings.groupby("userId").size().to_numpy(dtype=np.float64)
        pairs = float(np.sum(per_person**2))
        if pairs > MAX_SVDPP_PAIRS:
            raise InputError(
                f"SVD++ revisits every pair of films one person rated, and these ratings have "
                f"{pairs / 1e6:,.0f} million such pairs; the limit is {MAX_SVDPP_PAIRS / 1e6:,.0f} "
                "million (choose another algorithm)"
            )


def train(
    ratings: pd.DataFrame,
    movies: pd.DataFrame | None = None,
    *,
    algo: str = DEFAULT_ALGO,
    seed: int = DEFAULT_SEED,
    **params: Any,
) -> Recommender:
    """Fit `algo` on (userId, movieId, rating) and return it as arrays ready for scoring."""
    params = _check_params(algo, params)
    check_training_budget(ratings, algo)
    start = time.perf_counter()
    user_ids, u = np.unique(ratings["userId"].to_numpy(), return_inverse=True)
    item_ids, i = np.unique(ratings["movieId"].to_numpy(), return_inverse=True)
    r = ratings["rating"].to_numpy(dtype=float)
    films = catalogue(ratings, movies).set_index("movieId").loc[item_ids].reset_index()
    n_users, n_items = len(user_ids), len(item_ids)
    parts: dict[str, Any] = {}
    if algo == "baseline":
        parts["mu"], parts["bu"], parts["bi"] = baseline_biases(u, i, r, n_users, n_items)
    elif algo == "item_knn":
        nb = fit_item_neighbours(u, i, r, n_users, n_items, k=params["k"], shrinkage=params["shrinkage"])
        parts = dict(mu=nb.mu, bu=nb.bu, bi=nb.bi, neighbours=nb, blend=0.0)
    else:
        parts = _fit_surprise(algo, params, u, i, r, n_users, n_items, seed)
        if algo == "hybrid":
            parts["neighbours"] = fit_item_neighbours(
                u, i, r, n_users, n_items, k=params["k"], shrinkage=params["shrinkage"]
            )
            parts["blend"] = params["blend"]
    seen = sp.csr_matrix((np.ones(len(r)), (i, u)), shape=(n_items, n_users))
    return Recommender(
        seen=seen,
        algo=algo,
        params=params,
        user_ids=user_ids,
        films=films,
        u=u,
        i=i,
        r=r,
        fit_seconds=time.perf_counter() - start,
        item_index={int(m): k for k, m in enumerate(item_ids)},
        **parts,
    )


def known_user_state(model: Recommender, user: int) -> UserState:
    """The trained state of user index `user`."""
    mine = model.u == user
    rated, ratings = model.i[mine], model.r[mine]
    pu = None
    if model.pu is not None:
        pu = model.pu[user] + (_implicit(model, rated) if model.yj is not None else 0)
    nb_bu = float(model.neighbours.bu[user]) if model.neighbours is not None else 0.0
    return UserState(rated, ratings, float(model.bu[user]), pu, nb_bu, user)


def _implicit(model: Recommender, rated: np.ndarray) -> np.ndarray:
    return model.yj[rated].sum(axis=0) / np.sqrt(max(len(rated), 1))


def fold_in_user(model: Recommender, rated: np.ndarray, ratings: np.ndarray) -> UserState:
    """A new person's bias and factors from their ratings, with every film's parameters held fixed.

    Ridge regression: minimise sum_j (r_j - mu - b_i - b_u - q_j . p)^2 + lambda (b_u^2 + |p|^2), a
    (factors + 1)-sized linear solve, so recommendations follow a rating in milliseconds instead
    of a full retrain.
    """
    rated, ratings = np.asarray(rated, dtype=int), np.asarray(ratings, dtype=float)
    if len(rated) == 0:
        raise InputError("rate at least one film first")
    bu, pu, note = 0.0, None, ""
    strength = float(model.params.get("reg_all", 0.1)) * len(rated) + FOLD_IN_PRIOR
    if model.qi is not None:
        implicit = _implicit(model, rated) if model.yj is not None else 0
        target = ratings - model.mu * model.biased - model.bi[rated] * model.biased
        target = target - (model.qi[rated] @ implicit if model.yj is not None else 0)
        design = model.qi[rated]
        if model.biased:
            design = np.hstack([np.ones((len(rated), 1)), design])
        solution = np.linalg.solve(design.T @ design + strength * np.eye(design.shape[1]), design.T @ target)
        if model.biased:
            bu, pu = float(solution[0]), solution[1:] + implicit
        else:
            pu = np.clip(solution, 0, None)
    else:
        bu = float(np.sum(ratings - model.mu - model.bi[rated]) / (15.0 + len(rated)))
        if model.algo == "user_knn":
            note = "User-based neighbours need a retrain to include you; these picks use the biases only."
    nb_bu = 0.0
    if model.neighbours is not None:
        nb = model.neighbours
        nb_bu = float(np.sum(ratings - nb.mu - nb.bi[rated]) / (15.0 + len(rated)))
    return UserState(rated, ratings, bu, pu, nb_bu, None, note)


def score_items(model: Recommender, state: UserState, items: np.ndarray) -> np.ndarray:
    """Predicted ratings of `items` (film indices) for one person, clipped to the rating scale."""
    items = np.asarray(items, dtype=int)
    if model.algo == "user_knn" and state.user is not None:
        algo = model.surprise_algo
        inner_u = algo.trainset.to_inner_uid(int(state.user))
        est = [
            algo.estimate(inner_u, int(model.inner_item[j]))
            if model.inner_item[j] >= 0
            else model.mu + model.bu[state.user] + model.bi[j]
            for j in items
        ]
        est = [e[0] if isinstance(e, tuple) else e for e in est]
        return np.clip(np.asarray(est, dtype=float), *RATING_SCALE)
    if model.qi is not None:
        base = (model.mu + state.bu + model.bi[items]) if model.biased else 0.0
        first = base + model.qi[items] @ state.pu
    else:
        first = model.mu + state.bu + model.bi[items]
    if model.neighbours is not None:
        nb = model.neighbours
        residuals = state.ratings - nb.mu - state.nb_bu - nb.bi[state.rated]
        second = nb.mu + state.nb_bu + nb.bi[items] + _neighbour_adjustment(nb, items, state.rated, residuals)
        first = model.blend * first + (1 - model.blend) * second if model.blend > 0 else second
    return np.clip(first, *RATING_SCALE)


def watch_scores(model: Recommender, state: UserState, items: np.ndarray) -> np.ndarray:
    """How strongly the people who rated this person's films also rated each of `items`.

    Sum over rated films j of the cosine between the rater sets of i and j (item-item
    co-occurrence, Deshpande and Karypis, 2004), as one sparse product: no matrix stored.
    """
    degree = np.asarray(model.seen.sum(axis=1)).ravel()
    rated = state.rated[degree[state.rated] > 0]
    weights = np.asarray(model.seen[rated].T @ (1 / np.sqrt(degree[rated]))).ravel()
    raw = model.seen[np.asarray(items, dtype=int)] @ weights
    return np.asarray(raw).ravel() / np.sqrt(np.maximum(degree[items], 1))


def rank_scores(
    model: Recommender, state: UserState, items: np.ndarray, *, rating_weight: float = RATING_WEIGHT
) -> tuple[np.ndarray, np.ndarray]:
    """Ranking score and predicted rating of `items`: likely to watch, then likely to enjoy.

    A rating predictor alone ranks obscure films it guesses you would rate highly but would never
    pick; the watch score brings back what people like you actually watch. Returns (score, rating).
    """
    predicted = score_items(model, state, items)
    watch = watch_scores(model, state, items)
    watch = watch / watch.max() if len(watch) and watch.max() > 0 else watch
    return watch + rating_weight * (predicted - 3.0) / 2.0, predicted
