"""Command line: `python -m models.recs evaluate|recommend|similar [...]` (see --help)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

import pandas as pd

from models.cli import SEED, add_json_flag, emit, make_parser, parse_key_value, run_cli, whole
from models.common import DEFAULT_SEED, InputError
from models.recs.data import MAX_RATINGS_ROWS, load_movielens, load_movies_file, load_ratings_file
from models.recs.evaluate import evaluate
from models.recs.explain import recommend_for_ratings, recommend_for_user, similar_movies
from models.recs.train import ALGORITHMS, DEFAULT_ALGO, default_params, train
from models.uploads import MAX_ID

SHOWN = ["rank", "movieId", "title", "year", "predicted", "why"]


def _data(args: argparse.Namespace) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    if args.movies and not args.ratings:
        raise InputError("--movies needs --ratings (the shipped data already has its films)")
    if args.ratings:
        ratings = load_ratings_file(args.ratings)
        return ratings, load_movies_file(args.movies) if args.movies else None
    return load_movielens()


def _params(args: argparse.Namespace) -> dict[str, Any]:
    params: dict[str, Any] = {}
    defaults = default_params(args.algo)
    for text in args.param or []:
        key, value = parse_key_value(text, value_type=str)
        if key not in defaults:
            raise InputError(f"{args.algo} has no parameter {key!r}; it takes {', '.join(defaults) or 'none'}")
        if isinstance(defaults[key], str):
            params[key] = value
        else:
            try:
                params[key] = type(defaults[key])(float(value)) if isinstance(defaults[key], int) else float(value)
            except ValueError:
                raise InputError(f"{key} must be a number, got {value!r}") from None
    return params


def _evaluate(args: argparse.Namespace) -> int:
    ratings, movies = _data(args)
    table = evaluate(
        ratings, movies, algo=args.algo, folds=args.folds, seed=args.seed, min_ratings=args.min_ratings, **_params(args)
    )
    emit(table, args.json, title=f"{args.folds}-fold evaluation on {len(ratings):,} ratings")
    return 0


def _recommend(args: argparse.Namespace) -> int:
    if (args.user is None) == (not args.rate):
        raise InputError("give either --user ID or one or more --rate MOVIEID=RATING")
    if not 1 <= args.n <= 100:
        raise InputError("-n must be between 1 and 100")
    ratings, movies = _data(args)
    model = train(ratings, movies, algo=args.algo, seed=args.seed, **_params(args))
    if args.user is not None:
        picks = recommend_for_user(model, args.user, args.n, min_ratings=args.min_ratings)
    else:
        visitor: dict[int, float] = {}
        for text in args.rate:
            key, value = parse_key_value(text)
            try:
                visitor[int(key)] = value
            except ValueError:
                raise InputError(f"movie id {key!r} in {text!r} is not a whole number") from None
        picks = recommend_for_ratings(model, visitor, args.n, min_ratings=args.min_ratings)
    emit(picks[SHOWN], args.json)
    return 0


def _similar(args: argparse.Namespace) -> int:
    ratings, movies = _data(args)
    model = train(ratings, movies, algo=args.algo, seed=args.seed, **_params(args))
    emit(similar_movies(model, args.movie, args.n, min_ratings=args.min_ratings), args.json)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = make_parser(
        "python -m models.recs", "Film recommendations from MovieLens ratings (or your own ratings.csv)."
    )
    sub = parser.add_subparsers(title="commands")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--algo", choices=list(ALGORITHMS), default=DEFAULT_ALGO, help="model (default: %(default)s)")
        p.add_argument(
            "--param",
            action="append",
            metavar="NAME=VALUE",
            help="a hyperparameter, e.g. --param n_factors=50 (repeatable)",
        )
        p.add_argument("--ratings", metavar="FILE", help="your ratings.csv: userId, movieId, rating[, timestamp]")
        p.add_argument("--movies", metavar="FILE", help="optional movies.csv: movieId, title[, genres]")
        p.add_argument("--seed", type=SEED, default=DEFAULT_SEED)
        add_json_flag(p)

    ev = sub.add_parser("evaluate", help="k-fold RMSE/MAE and top-10 ranking beside BaselineOnly and popularity")
    common(ev)
    ev.add_argument("--folds", type=whole(2, 10), default=5)
    ev.add_argument(
        "--min-ratings",
        type=whole(0, MAX_RATINGS_ROWS),
        default=20,
        help="only rank films with this many training ratings",
    )
    ev.set_defaults(handler=_evaluate)

    rec = sub.add_parser("recommend", help="top-N films for a known user or for new ratings")
    common(rec)
    rec.add_argument("--user", type=whole(-MAX_ID, MAX_ID), help="an existing userId")
    rec.add_argument("--rate", action="append", metavar="MOVIEID=RATING", help="a new visitor's rating (repeatable)")
    rec.add_argument("-n", type=whole(1, 100), default=10, help="how many films (default %(default)s)")
    rec.add_argument(
        "--min-ratings", type=whole(0, MAX_RATINGS_ROWS), default=20, help="only recommend films with this many ratings"
    )
    rec.set_defaults(handler=_recommend)

    sim = sub.add_parser("similar", help="films most like a given movieId")
    common(sim)
    sim.add_argument("--movie", type=whole(-MAX_ID, MAX_ID), required=True)
    sim.add_argument("-n", type=whole(1, 100), default=10, help="how many films (1-100)")
    sim.add_argument("--min-ratings", type=whole(0, MAX_RATINGS_ROWS), default=20)
    sim.set_defaults(handler=_similar)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    return run_cli(build_parser(), argv)


if __name__ == "__main__":
    raise SystemExit(main())
