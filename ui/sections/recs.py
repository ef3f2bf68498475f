"""The recommender page's sections: rating, picks, browsing, the film map, data, evaluation, engineer's view."""

from __future__ import annotations

import hashlib
import html
import time
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import models.recs.engineer as eng
from benchmarks import results
from models.common import InputError
from models.recs.data import load_movies_file, load_ratings_file
from models.recs.evaluate import evaluate
from models.recs.explain import (
    FilmMap,
    place_on_map,
    recommend,
    similar_movies,
    visitor_state,
)
from models.recs.train import (
    ALGORITHMS,
    DEFAULT_ALGO,
    RATING_WEIGHT,
    Recommender,
    fit_item_neighbours,
    fold_in_user,
    train,
)
from ui.charts import log_axis
from ui.engineer_view import EngineerView, render_engineer_view
from ui.layout import Metric, capped_uploader, guard, metric_cards
from ui.loaders.recs import GRID_SIZE, MIN_RATINGS, person_picks, popular, shipped_data
from ui.loaders.recs import engineer_frame as cached_engineer_frame
from ui.plain import plain_text
from ui.presenter import is_presenter, technical
from ui.settings import reset_button
from ui.theme import NEUTRAL, PALETTE, style_figure
from ui.tour import counted

UPLOAD_LIMIT = 8 * 1000 * 1000  # 8 MB: about 300,000 ratings, three times the shipped data
HERO_FILMS = 6  # rated on the first screen; the rest one click away
PRESETS: dict[str, dict[int, float]] = {  # example tastes a presenter can start from (and bookmark)
    "none": {},
    "sci-fi fan": {1214: 5, 260: 5, 1196: 5, 2571: 5, 541: 5, 1721: 1, 597: 1},
    "romance fan": {1721: 5, 597: 5, 539: 5, 2424: 4.5, 1088: 4.5, 1214: 1, 2571: 1.5},
    "family films": {1: 5, 588: 5, 364: 5, 2355: 4.5, 595: 4.5, 296: 1, 2959: 1},
}
measured = partial(results.shown, "recs")  # a figure from benchmarks/results/recs.json, or "not measured yet"
SETTINGS: dict[str, Any] = {"recs_algo": DEFAULT_ALGO, "recs_preset": "none", "recs_user": 15, "recs_movie": 1214}
WIDGETS = {  # parameter -> (label, kind, options)
    "n_factors": ("Latent factors (hidden tastes per film)", "slider", (2, 100, 1)),
    "n_epochs": ("Training passes over the data (epochs)", "slider", (5, 80, 5)),
    "lr_all": ("Learning rate", "select", (0.002, 0.005, 0.007, 0.01, 0.015, 0.02)),
    "reg_all": ("Regularisation (keeps numbers small)", "select", (0.0, 0.02, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3)),
    "k": ("Neighbours used per prediction (k)", "slider", (5, 100, 5)),
    "shrinkage": ("Similarity shrinkage (distrust few co-raters)", "slider", (0, 300, 10)),
    "blend": ("Weight of SVD in the blend", "slider", (0.0, 1.0, 0.1)),
    "similarity": ("Similarity between people", "select", ("pearson_baseline", "pearson", "cosine", "msd")),
}
SVDPP_LIMITS = {"n_factors": 40, "n_epochs": 30}  # SVD++ is ~10x slower per pass: cap it to stay under a minute


# ---------------------------------------------------------------- cached work (keyed by plain parameters)
def current_data() -> tuple[str, pd.DataFrame, pd.DataFrame | None]:
    upload = st.session_state.get("recs_upload_data")
    if upload is not None:
        return upload
    ratings, movies = shipped_data()
    return "movielens", ratings, movies


def engineer_frame(name: str, source: str, algo: str, params: tuple) -> pd.DataFrame:
    _, ratings, movies = current_data()
    return cached_engineer_frame(name, source, algo, params, ratings, movies)


@st.cache_data(show_spinner=False, max_entries=8)
def evaluation(source: str, algo: str, params: tuple) -> pd.DataFrame:
    _, ratings, movies = current_data()
    return evaluate(ratings, movies, algo=algo, folds=3, max_users=300, **dict(params))


# ---------------------------------------------------------------- settings
def default_settings() -> dict[str, Any]:
    """Every algorithm's hyperparameter widgets at the module's defaults, and the default algorithm."""
    hyper = {
        f"recs_hp_{algo}_{name}": value for algo, spec in ALGORITHMS.items() for name, value in spec["params"].items()
    }
    return {**hyper, "recs_algo": DEFAULT_ALGO}


def sidebar_settings() -> tuple[str, dict[str, Any]]:
    sb = st.sidebar
    sb.subheader("Model settings")
    algo = sb.selectbox(
        "Algorithm",
        list(ALGORITHMS),
        format_func=lambda a: ALGORITHMS[a]["label"],
        key="recs_algo",
        bind="query-params",
    )
    if algo == "svdpp":
        sb.warning("SVD++ takes 10-40 s to train here: its epochs and factors are capped.", icon=":material/timer:")
    params: dict[str, Any] = {}
    for name, default in ALGORITHMS[algo]["params"].items():
        label, kind, options = WIDGETS[name]
        key = f"recs_hp_{algo}_{name}"
        if kind == "slider":
            low, high, step = options
            high = SVDPP_LIMITS.get(name, high) if algo == "svdpp" else high
            params[name] = sb.slider(label, low, high, default, step, key=key, bind="query-params")
        else:
            params[name] = (
                sb.select_slider(label, options, value=default, key=key, bind="query-params")
                if name != "similarity"
                else sb.selectbox(label, options, key=key, bind="query-params")
            )
    reset_button(default_settings(), key="recs_reset")
    default = ALGORITHMS[DEFAULT_ALGO]["params"]
    sb.caption(
        f"Default: a {default['blend']:.0%} / {1 - default['blend']:.0%} blend of a "
        f"{default['n_factors']}-factor SVD and item neighbours, the best accuracy we measured "
        "for under 3 s of training."
    )
    return algo, params


def data_source() -> None:
    """The visitor may bring their own MovieLens-layout ratings file (kept in their session only)."""
    with st.expander(":material/upload_file: Use your own ratings file (MovieLens layout)"):
        st.caption(
            "ratings.csv with columns userId, movieId, rating (0.5-5)[, timestamp]; optional movies.csv "
            f"with movieId, title[, genres]. Up to {UPLOAD_LIMIT // 1_000_000} MB each."
        )
        left, right = st.columns(2)
        ratings_file = capped_uploader("ratings.csv", UPLOAD_LIMIT, where=left, type=["csv"], key="recs_upload")
        movies_file = capped_uploader(
            "movies.csv (optional)", UPLOAD_LIMIT, where=right, type=["csv"], key="recs_upload_movies"
        )
        if ratings_file is None:
            st.session_state.pop("recs_upload_data", None)
            return
        raw = ratings_file.getvalue()
        digest = hashlib.sha1(raw + (movies_file.getvalue() if movies_file else b"")).hexdigest()[:12]
        held = st.session_state.get("recs_upload_data")
        if held is None or held[0] != f"upload:{digest}":
            try:
                ratings = load_ratings_file(raw, max_bytes=UPLOAD_LIMIT)
                movies = load_movies_file(movies_file.getvalue(), max_bytes=UPLOAD_LIMIT) if movies_file else None
            except InputError as err:
                st.session_state.pop("recs_upload_data", None)
                st.warning(plain_text(f"{ratings_file.name}: {err}", 300), icon=":material/warning:")
                return
            st.session_state["recs_upload_data"] = (f"upload:{digest}", ratings, movies)
        _, ratings, _ = st.session_state["recs_upload_data"]
        st.success(
            f"Using your file: {len(ratings):,} ratings from {ratings['userId'].nunique():,} people on "
            f"{ratings['movieId'].nunique():,} films.",
            icon=":material/check_circle:",
        )


# ---------------------------------------------------------------- the visitor's ratings
MY_RATINGS = "recs_my_ratings"  # plain session state: it survives a visit to another page, widget keys do not


def _star_key(movie_id: int) -> str:
    return f"recs_star_{movie_id}"


def my_ratings(model: Recommender, preset: str) -> dict[int, float]:
    """The preset's ratings, then the visitor's own stars (later wins)."""
    ratings = {m: r for m, r in PRESETS.get(preset, {}).items() if m in model.item_index}
    ratings.update(st.session_state.get(MY_RATINGS, {}))
    return ratings


def remember_star(movie_id: int) -> None:
    stars = st.session_state.get(_star_key(movie_id))
    mine = st.session_state.setdefault(MY_RATINGS, {})
    if stars is None:
        mine.pop(movie_id, None)
    else:
        mine[movie_id] = float(stars) + 1


def clear_ratings() -> None:
    for key in [k for k in st.session_state if k.startswith("recs_star_")]:
        st.session_state[key] = None
    st.session_state[MY_RATINGS] = {}
    st.session_state["recs_preset"] = "none"


def add_searched() -> None:
    movie, stars = st.session_state.get("recs_search"), st.session_state.get("recs_search_stars")
    if movie is None or stars is None:
        st.toast("Pick a film and give it stars first, then add it.", icon=":material/touch_app:")
        return
    st.session_state.setdefault(MY_RATINGS, {})[int(movie)] = float(stars) + 1
    st.session_state[_star_key(int(movie))] = stars  # the grid shows it too, if the film is there
    st.session_state["recs_search_stars"] = None


def star_index(rating: float) -> int:
    """The star widget's index (0-4) for a rating of 0.5-5 stars: half stars round up, as people read them."""
    return int(min(max(np.ceil(rating), 1), 5)) - 1


def film_cards(grid: pd.DataFrame, shown: dict[int, float]) -> None:
    """One compact row per film (title and genres, then its stars); the stars show `shown` (the example taste
    plus the visitor's own ratings). Rows, not cards: six fit a laptop's first screen beside the picks."""
    for row in grid.itertuples():
        key = _star_key(row.movieId)
        wanted = star_index(shown[row.movieId]) if row.movieId in shown else None
        if st.session_state.get(key) != wanted:  # the stars always show the ratings the picks are made from
            st.session_state[key] = wanted
        with st.container(key=f"recs_film_{row.movieId}"):
            title, stars = st.columns([3, 2], vertical_alignment="center")
            title.markdown(f"**{plain_text(row.label)}**  \n:gray[{plain_text(row.genres.replace('|', ', '), 120)}]")
            with stars:
                st.feedback("stars", key=key, on_change=remember_star, args=(int(row.movieId),))


def rate_section(model: Recommender, key: tuple[str, str, tuple]) -> dict[int, float]:
    st.markdown("#### :material/star: Rate a few films, get picks now")
    films = model.films
    preset = (
        st.segmented_control(
            "Start from an example taste (optional)",
            list(PRESETS),
            key="recs_preset",
            default="none",
            bind="query-params",
        )
        or "none"
    )
    hint, clear = st.columns([3, 1], vertical_alignment="center")
    hint.caption("Or click the stars for films you have seen (5 = loved it, 1 = hated it).")
    clear.button(
        "Clear", key="recs_clear", on_click=counted(clear_ratings), icon=":material/delete:", help="Clear my ratings"
    )
    grid = popular(*key, GRID_SIZE, model)
    shown = my_ratings(model, preset)
    film_cards(grid.iloc[:HERO_FILMS], shown)
    with st.expander(f"More films to rate: {GRID_SIZE - HERO_FILMS} popular ones, or find any film"):
        film_cards(grid.iloc[HERO_FILMS:], shown)
        labels = dict(zip(films["movieId"], films["label"], strict=True))  # a dict: format_func runs per film
        searchable = films.loc[films["n_ratings"] >= 5, "movieId"].tolist()
        left, mid, right = st.columns([3, 1, 1], vertical_alignment="bottom")
        left.selectbox(
            "Or find any film",
            searchable,
            index=None,
            format_func=lambda m: labels.get(m, str(m)),
            placeholder="Type a title, e.g. Alien",
            key="recs_search",
        )
        with mid:
            st.feedback("stars", key="recs_search_stars")
        right.button("Add my rating", key="recs_add", on_click=counted(add_searched), icon=":material/add:")
    ratings = my_ratings(model, preset)
    labels = dict(zip(films["movieId"], films["label"], strict=True))
    if ratings:
        st.caption(
            "Your ratings: "
            + "; ".join(f"{plain_text(labels.get(m, m))} {r:g}★" for m, r in list(ratings.items())[:15])
            + (" …" if len(ratings) > 15 else "")
        )
    return ratings


def recommendations_section(model: Recommender, ratings: dict[int, float]) -> None:
    if not ratings:
        st.info(
            "Rate two or three films (or pick an example taste) and your top 10 appears here at once.",
            icon=":material/touch_app:",
        )
        return
    start = time.perf_counter()
    state = visitor_state(model, ratings)
    picks = recommend(model, state, 10, min_ratings=MIN_RATINGS)
    elapsed_ms = 1000 * (time.perf_counter() - start)
    st.markdown(f"#### Your top 10, from {len(ratings)} rating{'s' if len(ratings) > 1 else ''}")
    if state.note:
        st.caption(state.note)
    # A list, not a table, on the first screen: in this half-width column a table cut every title and reason
    # short (no cell wraps). The table, with genres, stays one click away.
    st.markdown(
        "\n".join(
            f"{row.rank}. **{plain_text(row.label)}** · {row.predicted:.1f}★ · :gray[{plain_text(row.why)}]"
            for row in picks.itertuples()
        )
    )
    table = picks.assign(film=picks["label"], genres=picks["genres"].str.replace("|", ", "))
    with st.expander("As a table, with genres", icon=":material/table:"):
        st.dataframe(
            table[["rank", "film", "predicted", "why", "genres"]],
            hide_index=True,
            width="stretch",
            column_config={
                "rank": st.column_config.NumberColumn("#", width=30),
                "film": st.column_config.TextColumn("Film", width="medium"),
                "predicted": st.column_config.NumberColumn(
                    "★", format="%.1f", width=40, help="Predicted stars for you"
                ),
                "why": st.column_config.TextColumn("Why", width="medium"),
                "genres": st.column_config.TextColumn("Genres", width="small"),
            },
        )
    st.session_state["recs_visitor_state"] = state
    with st.expander("How this was instant", icon=":material/lightbulb:"):
        st.markdown(
            f"The model was trained once on {len(model.r):,} ratings. Your ratings did **not** retrain it: "
            "with every film's learned numbers frozen, your own taste numbers come from one small "
            f'least-squares solve ("folding you in"), then every film is scored. That took **{elapsed_ms:.0f} ms**. '
            + order_sentence(picks)
            + " Each reason names your rated film most similar to the pick.",
        )


def order_sentence(picks: pd.DataFrame) -> str:
    """How the list is ordered, said with the picks' own numbers: a place blends how likely people with this
    taste are to watch a film with the stars predicted for it, so the stars alone need not fall down the list."""
    rule = (
        "Each film's place blends two scores: how often people who liked your films watched it, and the stars "
        f"you are predicted to give it (at weight {RATING_WEIGHT:g})."
    )
    stars = picks["predicted"].to_numpy()
    below = [i for i in range(1, len(stars)) if stars[i] > stars[:i].min()]
    if not below:
        return rule + " Here the predicted stars happen to fall down the list too."
    lower = int(below[0])
    upper = int(np.argmin(stars[:lower]))
    return (
        f"{rule} So {plain_text(picks['label'].iloc[lower])} ({stars[lower]:.1f}★) sits below "
        f"{plain_text(picks['label'].iloc[upper])} ({stars[upper]:.1f}★): fewer people with your taste watched it."
    )


# ---------------------------------------------------------------- browsing, similar films, inside, evaluation
def user_section(model: Recommender, source: str, algo: str, params: tuple) -> None:
    st.subheader(":material/person_search: Browse an existing person")
    users = model.user_ids.tolist()
    default = SETTINGS["recs_user"] if SETTINGS["recs_user"] in users else users[0]
    user = st.selectbox("Person (userId)", users, index=users.index(default), key="recs_user", bind="query-params")
    mine = model.u == users.index(user)
    rated = model.films.iloc[model.i[mine]].assign(rating=model.r[mine])
    left, right = st.columns(2)
    left.markdown(f"**What person {user} rated highest** ({mine.sum()} ratings)")
    left.dataframe(
        rated.nlargest(10, ["rating", "n_ratings"])[["label", "rating"]].rename(
            columns={"label": "film", "rating": "their ★"}
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "film": st.column_config.TextColumn(width="medium"),
            "their ★": st.column_config.NumberColumn(format="%.1f", width=60),
        },
    )
    picks = person_picks(source, algo, params, user, model)
    right.markdown("**What the model recommends to them**")
    right.dataframe(
        picks.assign(film=picks["title"])[["film", "predicted", "why"]],
        hide_index=True,
        width="stretch",
        column_config={
            "film": st.column_config.TextColumn(width="medium"),
            "predicted": st.column_config.NumberColumn("predicted ★", format="%.1f", width=80),
            "why": st.column_config.TextColumn(width="medium"),
        },
    )


def similar_section(model: Recommender) -> None:
    st.subheader(":material/movie_filter: More like this")
    films = model.films[model.films["n_ratings"] >= MIN_RATINGS].sort_values("n_ratings", ascending=False)
    options = films["movieId"].tolist()
    labels = dict(zip(films["movieId"], films["label"], strict=True))  # a dict: format_func runs per film
    movie = st.selectbox(
        "Film",
        options,
        index=options.index(1214) if 1214 in options else 0,
        format_func=lambda m: labels.get(m, str(m)),
        key="recs_movie",
        bind="query-params",
    )
    similar = similar_movies(model, movie, 8, min_ratings=MIN_RATINGS)
    st.dataframe(
        similar.assign(film=similar["title"], genres=similar["genres"].str.replace("|", ", "))[
            ["film", "similarity", "genres"]
        ],
        hide_index=True,
        width="stretch",
    )
    st.caption(
        "Similarity: how alike two films' fans are, after removing each person's and film's average "
        "(1 = the same people liked both more than expected; 0 = unrelated)."
    )


def map_figure(fmap, visitor: tuple[float, float] | None) -> go.Figure:
    points = fmap.points
    groups = points["main_genre"].value_counts().index[:7].tolist()
    points = points.assign(group=np.where(points["main_genre"].isin(groups), points["main_genre"], "Other"))
    symbols = ["circle", "square", "diamond", "triangle-up", "cross", "x", "triangle-down", "circle-open"]
    fig = go.Figure()
    for k, group in enumerate([*groups, "Other"]):
        part = points[points["group"] == group]
        fig.add_trace(
            go.Scatter(
                x=part["x"],
                y=part["y"],
                mode="markers",
                name=html.escape(group),
                text=part["label"].map(html.escape),
                customdata=np.stack([part["main_genre"].map(html.escape), part["n_ratings"]], axis=1),
                hovertemplate="%{text}<br>%{customdata[0]}, %{customdata[1]} ratings<extra></extra>",
                marker=dict(
                    size=7, symbol=symbols[k], color=NEUTRAL if group == "Other" else PALETTE[k % 7], opacity=0.75
                ),
            )
        )
    if visitor is not None:
        fig.add_trace(
            go.Scatter(
                x=[visitor[0]],
                y=[visitor[1]],
                mode="markers+text",
                name="you",
                text=["you"],
                textposition="top center",
                marker=dict(size=22, symbol="star", color="#000000"),
            )
        )
    fig.update_layout(
        xaxis_title=f"taste axis 1 ({100 * fmap.explained[0]:.0f} % of variation)",
        yaxis_title=f"taste axis 2 ({100 * fmap.explained[1]:.0f} % of variation)",
    )
    return style_figure(fig, height=520, presenter=is_presenter())


@st.cache_resource(show_spinner=False, max_entries=12)
def blank_map_figure(fingerprint: tuple, presenter: bool, _fmap: FilmMap) -> go.Figure:
    """The map before a visitor rates anything (most reruns, every first visit): built once per map (shared,
    never mutated), since ~1,500 points take a good part of a rerun to build."""
    return map_figure(_fmap, None)


def map_section(model: Recommender, fmap: FilmMap, mapped: Recommender) -> None:
    state = st.session_state.get("recs_visitor_state")
    visitor = None
    if state is not None and mapped is model and state.pu is not None:
        visitor = place_on_map(fmap, state)
    fingerprint = (id(fmap), len(fmap.points), *map(float, fmap.explained))
    figure = map_figure(fmap, visitor) if visitor else blank_map_figure(fingerprint, is_presenter(), fmap)
    st.plotly_chart(figure, key="recs_map")
    note = "" if mapped is model else " (this algorithm has no latent factors, so the map shows the default blend)"
    st.caption(
        f"Each of the {len(fmap.points):,} films with {MIN_RATINGS}+ ratings, placed by its learned "
        f"hidden tastes{note}; films close together appeal to the same people. Shape and colour show the "
        "most specific genre."
        + (
            " The star points the way your taste leans."
            if visitor
            else " Rate films and a star shows where your taste leans."
        )
    )


@st.fragment
def visitor_panel(
    model: Recommender, fmap: FilmMap | None, mapped: Recommender | None, key: tuple[str, str, tuple]
) -> None:
    """Rating, picks and the map rerun on their own, so a click answers without redrawing the page."""
    mine: dict[int, float] = {}
    rate, result = st.columns([11, 9], gap="medium")  # phones stack them: the rating first, the picks under it
    with rate, guard("reading your ratings"):
        mine = rate_section(model, key)
        if not mine:
            st.session_state.pop("recs_visitor_state", None)
    st.session_state["recs_mine"] = mine
    with result:
        with guard("recommending films for you"):
            recommendations_section(model, mine)
        if fmap is not None and mapped is not None:
            with (
                guard("drawing the film map"),
                st.expander("Where you sit on the film map", icon=":material/scatter_plot:"),
            ):
                map_section(model, fmap, mapped)


def inside_section(model: Recommender) -> None:
    st.subheader(":material/bar_chart: Look inside the data")
    counts = model.films["n_ratings"].sort_values(ascending=False).to_numpy()
    left, right = st.columns(2)
    dist = pd.Series(model.r).value_counts().sort_index()
    fig = go.Figure(go.Bar(x=dist.index, y=dist.values, marker_color=PALETTE[0]))
    fig.update_layout(xaxis_title="rating (stars)", yaxis_title="number of ratings")
    left.plotly_chart(style_figure(fig, height=320, presenter=is_presenter()), key="recs_dist")
    whole = float(dist[dist.index % 1 == 0].sum() / dist.sum())
    left.caption(
        f"{whole:.0%} of ratings are whole stars; {dist.idxmax():g} is the most common rating "
        f"(mean {model.r.mean():.2f})."
    )
    top_share = counts[: max(len(counts) // 10, 1)].sum() / counts.sum()
    fig = go.Figure(go.Scatter(x=np.arange(1, len(counts) + 1), y=counts, mode="lines", line=dict(width=3)))
    fig.update_layout(
        xaxis_title="films, most rated first (rank)", yaxis_title="ratings per film (log scale)", yaxis=log_axis(counts)
    )
    right.plotly_chart(style_figure(fig, height=320, presenter=is_presenter()), key="recs_tail")
    right.caption(
        f"The long tail: the top 10 % of films hold {100 * top_share:.0f} % of all ratings; "
        f"{(counts == 1).sum():,} films have a single rating, too few to learn from."
    )


def evaluation_section(source: str, algo: str, params: dict[str, Any]) -> None:
    st.subheader(":material/fact_check: Is it any good? Held-out evaluation")
    metric_cards(
        [
            Metric(
                "Rating error (RMSE)",
                measured("hybrid.rmse", unit="★", spread=False),
                help=f"5-fold cross-validation, default model: {measured('hybrid.rmse', unit='★')}; BaselineOnly "
                f"{measured('baseline.rmse', unit='★', spread=False)} on the same folds. Lower is better.",
            ),
            Metric(
                "Average miss (MAE)",
                measured("hybrid.mae", unit="★", spread=False),
                help=f"Typical distance between predicted and true: {measured('hybrid.mae', unit='★')}",
            ),
            Metric(
                "Top-10 quality (NDCG@10)",
                measured("ranking.hybrid.ndcg10", 2),
                delta=f"popularity only: {measured('ranking.popularity.ndcg10', 2)}",
                delta_color="off",
                help="Hidden films rated 4+ that come back in the top 10, weighted by "
                "position; 1 is perfect. Fold 1 of 5.",
            ),
            Metric(
                "Training time",
                measured("hybrid.fit_s", 1),
                help="Default model, median over the 5 folds' "
                f"training parts; a full retrain on all 100,004 ratings took {measured('speed.retrain_s', 1)}. "
                "Measured on a shared 2-core machine: longer when it is busy.",
            ),
        ]
    )
    st.caption(
        "Figures above: the default model, measured by `benchmarks/bench_recs.py` (5 folds, held-out "
        "ratings never seen in training)."
    )
    with technical("Re-run the evaluation for the current settings"):
        if st.button("Evaluate these settings (3-fold, about 20 s)", key="recs_eval", icon=":material/play_arrow:"):
            st.session_state["recs_eval_for"] = (source, algo, tuple(sorted(params.items())))
        wanted = st.session_state.get("recs_eval_for")
        if wanted == (source, algo, tuple(sorted(params.items()))):
            with st.spinner("Training on 2 of 3 folds and scoring the third, three times over…"):
                table = evaluation(*wanted)
            shown = table.copy()
            for column in ("rmse", "mae"):  # popularity ranks films without predicting a rating
                shown[column] = [f"{v:.3f}" if pd.notna(v) else "no ratings predicted" for v in table[column]]
            st.dataframe(
                shown,
                hide_index=True,
                width="stretch",
                column_config={
                    c: st.column_config.NumberColumn(format="%.3f")
                    for c in table.columns
                    if c not in ("model", "users", "rmse", "mae")
                },
            )
            cutoff = next(c for c in table.columns if c.startswith("precision@")).split("@")[1]
            settings = ", ".join(
                f"{name} {value:g}" if isinstance(value, (int, float)) else f"{name} {value}"
                for name, value in sorted(params.items())
            )
            st.caption(
                f"Evaluated with these settings: {settings}. RMSE/MAE: 3-fold means. Ranking columns (fold 1, "
                f"up to {int(table['users'].max())} people): precision, recall and NDCG of the top {cutoff} "
                "against films the person rated 4+ but the model never saw; coverage = share of films "
                "anyone is shown; popularity_pct = how mainstream the picks are (100 = the most-rated film)."
            )


def engineer_view(source: str, algo: str, params: dict[str, Any]) -> None:
    key = tuple(sorted(params.items()))
    ready = source == "movielens" and eng.frame_ready("curve", algo, key)
    render_engineer_view(
        EngineerView(
            key="recs",
            opens_on="Learns from data" if ready else "The maths",  # the curve retrains four times
            learning_curve=lambda: engineer_frame("curve", source, algo, key),
            learning_curve_x="share of the training ratings used (%)",
            learning_curve_caption="Rating error: solid line, left axis; top-10 quality: dashed line, right axis.",
            arena=lambda: engineer_frame("arena", source, algo, key),
            arena_quality="rating error removed vs guessing the average (%)",
            default_reason=(
                f"On the 5-fold benchmark the blend ({measured('hybrid.rmse', 4, spread=False)}) "
                f"{results.verdict(results.get('recs', 'hybrid.rmse'), results.get('recs', 'item_knn.rmse'))} item "
                f"neighbours alone ({measured('item_knn.rmse', 4, spread=False)}) and "
                f"{results.verdict(results.get('recs', 'hybrid.rmse'), results.get('recs', 'svd.rmse'))} plain SVD "
                f"({measured('svd.rmse', 4, spread=False)}) over the folds, and trains in "
                f"{measured('hybrid.fit_s', 1)}; SVD++'s cost is in the arena above."
            ),
            formulas=eng.FORMULAS,
            train_function=train,
            extra_code=(fit_item_neighbours, fold_in_user),
            script=lambda: eng.reproduction_script(algo=algo, visitor=st.session_state.get("recs_mine", {}), **params),
            script_name="reproduce_recommendations.py",
            slices=lambda: engineer_frame("slices", source, algo, key),
            slices_metric="RMSE (stars)",
            slices_caption="Rating error for people with few ratings (cold start) against heavy raters: the model "
            "knows light raters least, so it misses them by more. Lower bars are better.",
        )
    )
