"""Speed-ups that re-implement a library give the library's answer.

- `baseline_biases` and the vectorised item neighbours (KNNBaseline's pearson_baseline rule) against
  Surprise's own BaselineOnly and KNNBaseline predictions on a small trainset;
- the `_RatingList` patch (all_ratings() built once) against unpatched Surprise: the same factors;
- `_fast_auc` (row-wise Mann-Whitney for the bootstrap) against scikit-learn's `roc_auc_score`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score
from surprise import NMF, SVD, BaselineOnly, Dataset, KNNBaseline, Reader

from models.recs.evaluate import predict_pairs
from models.recs.train import MIN_NEIGHBOUR_RATINGS, RATING_SCALE, _surprise_trainset, train
from models.risk.evaluate import _fast_auc


@pytest.fixture(scope="module")
def ratings() -> pd.DataFrame:
    """60 people x 25 films, about half rated, with user and film effects and taste factors (read-only)."""
    rng = np.random.default_rng(7)
    users, films = np.meshgrid(np.arange(60), np.arange(100, 125), indexing="ij")
    keep = rng.random(users.shape) < 0.5
    taste = rng.normal(size=(60, 2)) @ rng.normal(size=(2, 25))
    raw = 3.4 + rng.normal(0, 0.5, (60, 1)) + rng.normal(0, 0.6, (1, 25)) + 0.5 * taste + rng.normal(0, 0.7, (60, 25))
    stars = np.clip(np.round(raw * 2) / 2, *RATING_SCALE)
    frame = pd.DataFrame({"userId": users[keep], "movieId": films[keep], "rating": stars[keep]})
    assert frame.groupby("movieId").size().min() >= MIN_NEIGHBOUR_RATINGS  # every film gets neighbours
    return frame


def _unrated_pairs(ratings: pd.DataFrame) -> pd.DataFrame:
    """Every (person, film) pair not in the training ratings: what a recommender predicts."""
    users, films = ratings["userId"].unique(), ratings["movieId"].unique()
    grid = pd.MultiIndex.from_product([users, films], names=["userId", "movieId"]).to_frame(index=False)
    rated = grid.merge(ratings, how="left", on=["userId", "movieId"])["rating"].notna()
    return grid[~rated.to_numpy()]


def _surprise_predictions(algo, ratings: pd.DataFrame, pairs: pd.DataFrame) -> np.ndarray:
    data = Dataset.load_from_df(ratings[["userId", "movieId", "rating"]], Reader(rating_scale=RATING_SCALE))
    algo.fit(data.build_full_trainset())
    return np.array([algo.predict(u, i).est for u, i in pairs[["userId", "movieId"]].itertuples(index=False)])


def test_baseline_biases_give_surprise_baselineonly_predictions(ratings):
    pairs = _unrated_pairs(ratings)
    ours = predict_pairs(train(ratings, algo="baseline"), pairs["userId"].to_numpy(), pairs["movieId"].to_numpy())
    theirs = _surprise_predictions(BaselineOnly(verbose=False), ratings, pairs)
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-9)


def test_vectorised_item_neighbours_give_surprise_knnbaseline_predictions(ratings):
    """To 1e-6 stars: our similarity matrix is float32 (half the memory on MovieLens), which moves a
    prediction by about 1e-7 here; the neighbour part itself moves predictions by up to stars."""
    pairs = _unrated_pairs(ratings)
    model = train(ratings, algo="item_knn", k=10, shrinkage=100)
    ours = predict_pairs(model, pairs["userId"].to_numpy(), pairs["movieId"].to_numpy())
    sim_options = {"name": "pearson_baseline", "user_based": False, "shrinkage": 100}
    theirs = _surprise_predictions(KNNBaseline(k=10, sim_options=sim_options, verbose=False), ratings, pairs)
    baseline_only = predict_pairs(
        train(ratings, algo="baseline"), pairs["userId"].to_numpy(), pairs["movieId"].to_numpy()
    )
    assert np.abs(ours - baseline_only).max() > 0.5  # the neighbours do move the predictions
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-6)


@pytest.mark.parametrize("algo", [SVD, NMF], ids=["SVD", "NMF"])
def test_rating_list_patch_gives_unpatched_surprise_factors(ratings, algo):
    u = ratings["userId"].to_numpy()
    i = ratings["movieId"].to_numpy() - 100
    r = ratings["rating"].to_numpy(dtype=float)
    patched = _surprise_trainset(u, i, r)
    data = Dataset.load_from_df(pd.DataFrame({"u": u, "i": i, "r": r}), Reader(rating_scale=RATING_SCALE))
    plain = data.build_full_trainset()
    assert not isinstance(plain.all_ratings, list)  # the library's generator, untouched
    a = algo(n_factors=4, n_epochs=6, random_state=3).fit(patched)
    b = algo(n_factors=4, n_epochs=6, random_state=3).fit(plain)
    for name in ("pu", "qi", "bu", "bi"):
        np.testing.assert_array_equal(np.asarray(getattr(a, name)), np.asarray(getattr(b, name)), err_msg=name)


@pytest.mark.parametrize("ties", [False, True], ids=["random", "tied"])
def test_fast_auc_equals_sklearn(ties):
    rng = np.random.default_rng(11)
    y = (rng.random((200, 60)) < 0.35).astype(int)
    scores = rng.random((200, 60))
    if ties:
        scores = np.round(scores, 1)  # many equal scores: each tie counts half, as in roc_auc_score
    usable = (y.sum(axis=1) > 0) & (y.sum(axis=1) < y.shape[1])
    ours = _fast_auc(y[usable], scores[usable])
    theirs = np.array([roc_auc_score(yy, ss) for yy, ss in zip(y[usable], scores[usable], strict=True)])
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12)
    assert np.isnan(_fast_auc(np.zeros((1, 5), dtype=int), rng.random((1, 5)))).all()  # one class: undefined
