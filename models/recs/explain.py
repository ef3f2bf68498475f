"""Recommendations with reasons, similar films, and the 2-D map of the films' latent factors."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from models.common import InputError
from models.recs.train import (
    RATING_WEIGHT,
    Recommender,
    UserState,
    fold_in_user,
    known_user_state,
    rank_scores,
)

__all__ = [
    "LIKED",
    "FilmMap",
    "film_index",
    "user_index",
    "visitor_state",
    "recommend",
    "recommend_for_user",
    "recommend_for_ratings",
    "similar_movies",
    "item_similarity",
    "genre_profile",
    "film_map",
    "place_on_map",
]

LIKED = 4.0
"""A rating at or above this counts as "liked" when looking for a reason."""
REASON_MIN_SIMILARITY = 0.05


def film_index(model: Recommender, movie_id: int) -> int:
    try:
        return model.item_index[int(movie_id)]
    except (KeyError, ValueError):
        raise InputError(f"film {movie_id} is not in the ratings the model was trained on") from None


def user_index(model: Recommender, user_id: int) -> int:
    hits = np.flatnonzero(model.user_ids == int(user_id))
    if not len(hits):
        raise InputError(
            f"user {user_id} is not in the ratings; users run from {model.user_ids.min()} to {model.user_ids.max()}"
        )
    return int(hits[0])


def visitor_state(model: Recommender, ratings: dict[int, float]) -> UserState:
    """Fold a visitor's {movieId: rating} into the trained model (no retrain)."""
    if not ratings:
        raise InputError("rate at least one film first")
    items = np.array([film_index(model, m) for m in ratings])
    values = np.array([float(v) for v in ratings.values()])
    if (~np.isfinite(values) | (values < 0.5) | (values > 5)).any():
        raise InputError("ratings run from 0.5 to 5 stars")
    return fold_in_user(model, items, values)


def item_similarity(model: Recommender, item: int, others: np.ndarray) -> np.ndarray:
    """Similarity of film `item` to `others`: the neighbour model's if it has one, else factor cosine."""
    others = np.asarray(others, dtype=int)
    if model.neighbours is not None and model.neighbours.index[item] >= 0:
        nb = model.neighbours
        cols = nb.index[others]
        return np.where(cols >= 0, nb.sim.take([nb.index[item]], np.clip(cols, 0, None))[0], 0.0)
    if model.qi is not None:
        q = model.qi
        norms = np.linalg.norm(q[others], axis=1) * np.linalg.norm(q[item]) + 1e-12
        return (q[others] @ q[item]) / norms
    return np.zeros(len(others))


def genre_profile(model: Recommender, state: UserState) -> pd.DataFrame:
    """The person's average rating per genre, relative to their own average."""
    films = model.films.iloc[state.rated]
    rows = pd.DataFrame({"genre": films["genres"].str.split("|").to_numpy(), "rating": state.ratings}).explode("genre")
    profile = rows.groupby("genre")["rating"].agg(mean="mean", n="size").reset_index()
    profile["lift"] = profile["mean"] - float(np.mean(state.ratings))
    return profile.sort_values(["lift", "n"], ascending=False).reset_index(drop=True)


def _reasons(model: Recommender, state: UserState, items: np.ndarray) -> tuple[list[str], list[float]]:
    liked = state.ratings >= min(LIKED, float(state.ratings.max()))
    anchors, anchor_ratings = state.rated[liked], state.ratings[liked]
    profile = genre_profile(model, state)
    loved = profile[(profile["lift"] > 0) | (profile["mean"] >= LIKED)]
    reasons, strengths = [], []
    for item in items:
        sims = item_similarity(model, int(item), anchors) if len(anchors) else np.zeros(0)
        if len(sims) and sims.max() > REASON_MIN_SIMILARITY:
            best = int(np.argmax(sims))
            title = model.films.at[int(anchors[best]), "title"]
            reasons.append(f"because you rated {title} {anchor_ratings[best]:g}★")
            strengths.append(float(sims[best]))
            continue
        genres = set(model.films.at[int(item), "genres"].split("|"))
        match = loved[loved["genre"].isin(genres)]
        if len(match):
            reasons.append(f"matches your taste for {match['genre'].iloc[0]}")
        else:
            reasons.append("rated highly by people overall")
        strengths.append(0.0)
    return reasons, strengths


def recommend(
    model: Recommender, state: UserState, n: int = 10, *, min_ratings: int = 20, rating_weight: float = RATING_WEIGHT
) -> pd.DataFrame:
    """Top-n unrated films with at least `min_ratings` ratings, each with its predicted rating and why."""
    films = model.films
    candidates = np.flatnonzero(films["n_ratings"].to_numpy() >= min_ratings)
    candidates = np.setdiff1d(candidates, state.rated)
    if not len(candidates):
        raise InputError(f"no unrated film has {min_ratings} or more ratings; lower the minimum")
    ranking, scores = rank_scores(model, state, candidates, rating_weight=rating_weight)
    order = np.lexsort((-films["n_ratings"].to_numpy()[candidates], -ranking))[: int(n)]
    top = candidates[order]
    reasons, strengths = _reasons(model, state, top)
    out = films.iloc[top][["movieId", "title", "year", "label", "genres", "n_ratings"]].reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(top) + 1))
    out["predicted"] = np.round(scores[order], 2)
    out["why"] = reasons
    out["similarity"] = np.round(strengths, 2)
    return out


def recommend_for_user(model: Recommender, user_id: int, n: int = 10, *, min_ratings: int = 20) -> pd.DataFrame:
    return recommend(model, known_user_state(model, user_index(model, user_id)), n, min_ratings=min_ratings)


def recommend_for_ratings(
    model: Recommender, ratings: dict[int, float], n: int = 10, *, min_ratings: int = 20
) -> pd.DataFrame:
    return recommend(model, visitor_state(model, ratings), n, min_ratings=min_ratings)


def similar_movies(model: Recommender, movie_id: int, n: int = 10, *, min_ratings: int = 20) -> pd.DataFrame:
    """ "More like this": the films most similar to `movie_id` (neighbour similarity or factor cosine)."""
    item = film_index(model, movie_id)
    if model.neighbours is None and model.qi is None:
        raise InputError("this model has no notion of film similarity; choose SVD, NMF, the blend or KNN")
    candidates = np.flatnonzero(model.films["n_ratings"].to_numpy() >= min_ratings)
    candidates = candidates[candidates != item]
    sims = item_similarity(model, item, candidates)
    order = np.argsort(-sims, kind="stable")[: int(n)]
    out = model.films.iloc[candidates[order]][["movieId", "title", "year", "label", "genres", "n_ratings"]]
    out = out.reset_index(drop=True)
    out["similarity"] = np.round(sims[order], 3)
    return out


@dataclass(frozen=True)
class FilmMap:
    """Films' latent factors projected to 2-D with PCA (points), and the projection itself."""

    points: pd.DataFrame  # movieId, label, main_genre, n_ratings, x, y
    mean: np.ndarray
    components: np.ndarray
    explained: tuple[float, float]


def film_map(model: Recommender, *, min_ratings: int = 20) -> FilmMap:
    """PCA of the item factors of films with enough ratings (rare films' factors are mostly noise)."""
    if model.qi is None:
        raise InputError("this model has no latent factors to draw; the map uses SVD, NMF or the blend")
    keep = np.flatnonzero(model.films["n_ratings"].to_numpy() >= min_ratings)
    q = model.qi[keep]
    mean = q.mean(axis=0)
    _, singular, vt = np.linalg.svd(q - mean, full_matrices=False)
    components = vt[:2]
    xy = (q - mean) @ components.T
    share = singular**2 / np.sum(singular**2)
    columns = ["movieId", "label", "main_genre", "n_ratings", "mean_rating"]
    points = model.films.iloc[keep][columns].reset_index(drop=True)
    points["x"], points["y"] = xy[:, 0], xy[:, 1]
    return FilmMap(points, mean, components, (float(share[0]), float(share[1])))


def place_on_map(fmap: FilmMap, state: UserState) -> tuple[float, float]:
    """Where a person's taste vector points on the film map (same projection, scaled to the cloud)."""
    if state.pu is None:
        raise InputError("this model has no taste vector to place on the map")
    direction = state.pu @ fmap.components.T
    spread = float(np.abs(fmap.points[["x", "y"]].to_numpy()).max())
    scale = spread / (np.abs(direction).max() + 1e-12) * 0.8
    return float(direction[0] * scale), float(direction[1] * scale)
