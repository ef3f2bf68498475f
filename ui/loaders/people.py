"""Cached work behind the people-you-may-know page, keyed by plain parameters (see `ui/loaders/__init__.py`)."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pandas as pd
import streamlit as st

import models.people as lp
from models.common import InputError
from ui.warmup import Step

UPLOAD_LIMIT = 2 * 1000 * 1000  # 2 MB: about 150,000 links, above the 100,000-link cap of the model
GRAPHS = {
    "synthetic": "Professional network (synthetic)",
    "karate": "Karate club",
    "lesmis": "Les Misérables",
    "florentine": "Florentine families",
    "upload": "Your edge list",
}
DEFAULT_SUGGESTIONS = 8


@dataclass(frozen=True)
class Source:
    """Which network the page shows: a named graph (with generator parameters) or an upload's digest."""

    name: str
    params: lp.NetworkParams
    digest: str = ""


@st.cache_resource(show_spinner=False, max_entries=6)
def network(source: Source, _data: bytes | None = None) -> tuple[nx.Graph, tuple[str, ...]]:
    """The graph and cleaning notes; shared by every visitor, so never mutated."""
    if source.name == "upload":
        if _data is None:
            raise InputError("upload an edge list first")
        graph, notes = lp.read_edge_list(_data, max_bytes=UPLOAD_LIMIT)
        return graph, tuple(notes)
    return lp.load_graph(source.name, source.params), ()


@st.cache_resource(show_spinner=False, max_entries=6)
def predictor(source: Source, config: lp.TrainConfig, _data: bytes | None = None) -> lp.LinkPredictor:
    return lp.fit(network(source, _data)[0], config)


@st.cache_resource(show_spinner=False, max_entries=6)
def evaluation(source: Source, config: lp.TrainConfig, _data: bytes | None = None) -> lp.Evaluation:
    return lp.evaluate(network(source, _data)[0], config)


@st.cache_data(show_spinner=False, max_entries=64)
def suggestions(source: Source, config: lp.TrainConfig, person: int, n: int, _data: bytes | None = None):
    return lp.suggest(network(source, _data)[0], person, predictor=predictor(source, config, _data), n=n)


@st.cache_data(show_spinner=False, max_entries=6)
def roc(source: Source, config: lp.TrainConfig, _data: bytes | None = None) -> pd.DataFrame:
    """The ROC curves of every method: a second of work that only changes with the evaluation."""
    return lp.roc_frame(evaluation(source, config, _data))


@st.cache_data(show_spinner=False, max_entries=6)
def slices(source: Source, config: lp.TrainConfig, _data: bytes | None = None) -> pd.DataFrame:
    return lp.slice_report(evaluation(source, config, _data))


@st.cache_data(show_spinner=False, max_entries=6)
def people_table(source: Source, _data: bytes | None = None) -> pd.DataFrame:
    return lp.people_frame(network(source, _data)[0])


@st.cache_resource(show_spinner=False, max_entries=6)
def person_labels(source: Source, _data: bytes | None = None) -> dict[int, str]:
    """Every person's label, so a selectbox of 2,000 people formats them by a lookup (shared, never mutated)."""
    graph = network(source, _data)[0]
    return {v: lp.person_label(graph, v) for v in graph}


def _no_time(config: lp.TrainConfig) -> lp.TrainConfig:
    return lp.TrainConfig(config.model, config.features, config.holdout, "random", config.negatives, config.seed)


@st.cache_data(show_spinner=False, max_entries=4)
def every_graph(config: lp.TrainConfig) -> pd.DataFrame:
    """AUC and average precision of every method on the default synthetic network and the three real graphs."""
    rows = []
    for name in ("synthetic", "karate", "lesmis", "florentine"):
        graph = lp.load_graph(name)
        result = lp.evaluate(graph, config if name == "synthetic" else _no_time(config))
        for row in result.table.itertuples():
            rows.append(
                {
                    "graph": f"{GRAPHS[name]} ({result.n_nodes} people)",
                    "method": row.label,
                    "AUC": round(row.auc, 3),
                    "average precision": round(row.average_precision, 3),
                }
            )
    return pd.DataFrame(rows).pivot_table(index="method", columns="graph", values="AUC", sort=False).reset_index()


@st.cache_data(show_spinner=False, max_entries=4)
def learning(source: Source, config: lp.TrainConfig, _data: bytes | None = None) -> pd.DataFrame:
    return lp.learning_curve(network(source, _data)[0], config)


@st.cache_data(show_spinner=False, max_entries=4)
def arena(source: Source, config: lp.TrainConfig, _data: bytes | None = None) -> pd.DataFrame:
    return lp.model_arena(network(source, _data)[0], config)


def default_person(graph: nx.Graph) -> int:
    """Someone with a moderate number of connections, so the picture and the reasons are readable."""
    return next((v for v in sorted(graph) if 6 <= graph.degree(v) <= 15), min(graph))


def warm_steps() -> tuple[list[Step], list[Step]]:
    source, config = Source("synthetic", lp.NetworkParams()), lp.TrainConfig()  # the page's defaults

    def first_suggestions() -> pd.DataFrame:
        graph = network(source)[0]
        return suggestions(source, config, default_person(graph), DEFAULT_SUGGESTIONS)

    return [
        Step("data", "generating the 2,000-person network", lambda: network(source)),
        Step("model", "training the model on hidden links", lambda: predictor(source, config)),
        Step("person", "suggesting people for the first person", first_suggestions),
        Step(
            "evaluation",
            "hiding links and scoring every method",
            lambda: (
                evaluation(source, config),
                roc(source, config),
                slices(source, config),
                people_table(source),
                person_labels(source),
            ),
        ),
        # the engineer's view opens on its learning curve, so a first visit draws it
        Step("curve", "drawing the learning curve", lambda: learning(source, config)),
    ], [
        Step("arena", "racing the model families", lambda: arena(source, config)),
        Step("compare", "comparing every graph", lambda: every_graph(config)),
    ]
