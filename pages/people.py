"""People you may know: suggest missing connections in a professional network, explain them, and evaluate honestly."""

from __future__ import annotations

import hashlib

import streamlit as st

import models.people as lp
from models.common import ModelCardInfo
from ui.demos import demo_by_key
from ui.layout import depth_tabs, guard, hero, model_card, page_header, pipeline_strip
from ui.loaders.people import GRAPHS, Source, network, predictor
from ui.sections.people import (
    data_section,
    engineer_view,
    evaluation_section,
    forget_person,
    join_section,
    measured,
    person_section,
    sidebar_settings,
    upload_section,
)
from ui.warmup import wait_while_warming

demo = demo_by_key("people")
page_header(
    demo,
    points=[
        "A network of 2,000 made-up professionals: who knows whom, where they work, studied and live.",
        "Pick a person: the model suggests people they probably know, with reasons like '5 mutual connections'.",
        "We hid 10 % of the links and asked every method to find them: the learned model finds the most.",
    ],
)
wait_while_warming("people")
first_screen = hero(demo)
how, join, data_tab, quality, engineer = depth_tabs(
    [
        (
            "How it works",
            "Friends of friends, colleagues and classmates are scored; a model learned what each is worth.",
        ),
        ("Join the network", "Add yourself with a profile and a few people you know, and see who you may know."),
        (
            "The network",
            "Which network the suggestions come from: a generated professional one, three real ones, "
            "or your own edge list.",
        ),
        ("Is it any good?", "Links hidden from the model, and how well every method finds them again."),
        ("The engineer's view", "Learning curves, other models, the maths, the code and who it serves worse."),
    ],
    key="people_tabs",
)
with how:
    pipeline_strip(demo)
with data_tab:
    graph_name = (
        st.segmented_control(
            "Network",
            list(GRAPHS),
            format_func=GRAPHS.get,
            default="synthetic",
            key="people_graph",
            bind="query-params",
            on_change=forget_person,
        )
        or "synthetic"
    )
upload_data = None
if graph_name == "upload":
    with data_tab, guard("reading your edge list"):
        upload_data = upload_section()
with guard("setting up the model"):
    params, config = sidebar_settings(graph_name)
    if graph_name == "upload" and upload_data is None:
        data_tab.info("Upload an edge list to use it; meanwhile the page shows the professional network.")
        graph_name = "synthetic"
    digest = hashlib.sha1(upload_data).hexdigest()[:12] if upload_data else ""
    source = Source(graph_name, params if graph_name == "synthetic" else lp.NetworkParams(), digest)
    with first_screen, st.spinner("Building the network…"):
        graph, notes = network(source, upload_data)

    with data_tab, guard("showing the network"):
        data_section(graph, notes, source, upload_data)
    with first_screen, guard("suggesting people"), st.spinner("Training the model on links hidden inside the network…"):
        predictor(source, config, upload_data)
        person_section(graph, source, config, upload_data)
    with join, guard("adding you to the network"):
        join_section(graph, source, config)
    with quality, guard("evaluating every method"):
        result = evaluation_section(source, config, upload_data, bool(graph.graph.get("has_profiles")))
        with engineer, guard("building the engineer's view"):
            engineer_view(source, config, params, result, upload_data)

model_card(
    ModelCardInfo(
        model="Logistic regression on seven link-prediction scores (common neighbours, Jaccard, Adamic-Adar, "
        "resource allocation, preferential attachment, Katz, personalised PageRank) and four profile matches; "
        "gradient boosting, and a stacked model whose form inner cross-validation picks, to compare.",
        data="A seeded synthetic professional network (default 2,000 people, 10,000 links) generated with homophily, "
        "triadic closure and heavy-tailed activity; Zachary's karate club, Les Misérables and the Florentine "
        "families from networkx; or a visitor's edge list.",
        provenance="The generator's design and references, and the real graphs' sources: data/professional_network.md.",
        intended_use="Teaching how 'people you may know' works and how it is evaluated. Not for real people's data.",
        metrics={
            "AUC on hidden links, 2,000-person network": f"supervised {measured('synthetic.supervised.auc', 2)}; "
            f"Katz {measured('synthetic.katz.auc', 2, spread=False)}, Adamic-Adar "
            f"{measured('synthetic.adamic_adar.auc', 2, spread=False)}",
            "Les Misérables AUC": f"supervised {measured('lesmis.supervised.auc', 2)}; resource allocation "
            f"{measured('lesmis.resource_allocation.auc', 2, spread=False)}",
            "Suggestions for one person": f"{measured('speed.suggest_ms_median', 0)} median (slowest of 30 people: "
            f"{measured('speed.suggest_ms_slowest', 0)}) on a shared 2-core machine",
        },
        limitations=(
            "Privacy: suggestions reveal who knows whom (a mutual connection shown to a stranger); real systems "
            "must let people hide connections and opt out.",
            "Filter bubbles: rewarding same company, school and city links the like-minded ever more tightly.",
            "Cold start: people with few connections get weaker suggestions (see 'Who it serves worse').",
            "The synthetic network follows three known regularities, not any real company's data.",
        ),
    )
)
