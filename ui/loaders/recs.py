"""Cached work behind the recommender page, keyed by plain parameters (see `ui/loaders/__init__.py`)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import models.recs.engineer as eng
from models.recs.data import load_movielens, popular_movies
from models.recs.explain import FilmMap, film_map, recommend_for_user
from models.recs.train import ALGORITHMS, DEFAULT_ALGO, Recommender, train
from ui.warmup import Step

MIN_RATINGS = 20
DEFAULT_USER = 15
GRID_SIZE = 24  # films in the rating grid


@st.cache_resource(show_spinner=False)
def shipped_data() -> tuple[pd.DataFrame, pd.DataFrame]:
    """One shared copy of the ratings and films (a resource: never copied per rerun, never mutated)."""
    return load_movielens()


@st.cache_resource(show_spinner=False, max_entries=12)
def trained(source: str, algo: str, params: tuple, _ratings: pd.DataFrame, _movies: pd.DataFrame | None) -> Recommender:
    return train(_ratings, _movies, algo=algo, **dict(params))


@st.cache_resource(show_spinner=False, max_entries=12)
def cached_film_map(source: str, algo: str, params: tuple, _model: Recommender) -> FilmMap:
    return film_map(_model, min_ratings=MIN_RATINGS)


@st.cache_data(show_spinner=False, max_entries=64)
def person_picks(source: str, algo: str, params: tuple, user: int, _model: Recommender) -> pd.DataFrame:
    """A known person's top 10 only changes with the model, so reruns reuse it."""
    return recommend_for_user(_model, user, 10, min_ratings=MIN_RATINGS)


@st.cache_data(show_spinner=False, max_entries=8)
def engineer_frame(
    name: str, source: str, algo: str, params: tuple, _ratings: pd.DataFrame, _movies: pd.DataFrame | None
) -> pd.DataFrame:
    return eng.cached_frame(name, _ratings, _movies, algo, params, on_disk=source == "movielens")


@st.cache_data(show_spinner=False, max_entries=12)
def popular(source: str, algo: str, params: tuple, n: int, _model: Recommender) -> pd.DataFrame:
    """The most-rated films for the rating grid: the same on every rerun of a model."""
    return popular_movies(_model.films, n)


def default_key() -> tuple[str, str, tuple]:
    return "movielens", DEFAULT_ALGO, tuple(sorted(ALGORITHMS[DEFAULT_ALGO]["params"].items()))


def _default_model() -> Recommender:
    return trained(*default_key(), *shipped_data())


def warm_steps() -> tuple[list[Step], list[Step]]:
    key = default_key()

    def frame(name: str, label: str) -> Step:
        return Step(name, label, lambda: engineer_frame(name, *key, *shipped_data()))

    return [
        Step("data", "reading 100,004 ratings", shipped_data),
        Step("model", "training the default blend", _default_model),
        Step("map", "placing films on the map", lambda: cached_film_map(*key, _default_model())),
        Step(
            "person",
            "a known person's top 10",
            lambda: (person_picks(*key, DEFAULT_USER, _default_model()), popular(*key, GRID_SIZE, _default_model())),
        ),
    ], [
        frame("curve", "drawing the learning curve"),
        frame("arena", "racing the model families"),
        frame("slices", "measuring who it serves worse"),
    ]
