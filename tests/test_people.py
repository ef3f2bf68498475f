"""Link prediction: scores on hand-checked graphs, the generator, the protocol (no leaks), quality floors, CLI."""

from __future__ import annotations

import importlib
import json
import math
import subprocess
import sys

import networkx as nx
import numpy as np
import pytest

import models.people as lp
from harness.server import ROOT
from models.common import InputError

lp_evaluate = importlib.import_module("models.people.evaluate")  # the module, not the function
lp_supervised = importlib.import_module("models.people.supervised")


@pytest.fixture(scope="module")
def network() -> nx.Graph:
    return lp.generate_network()


@pytest.fixture(scope="module")
def default_evaluation(network):
    return lp.evaluate(network)


# ---------------------------------------------------------------- scores on graphs small enough to check by hand
def test_scores_on_a_star():
    star = nx.star_graph(4)  # centre 0, leaves 1-4
    pair = [(1, 2)]
    assert lp.common_neighbours(star, pair)[0] == 1
    assert lp.jaccard(star, pair)[0] == 1.0  # both leaves know only the centre
    assert lp.adamic_adar(star, pair)[0] == pytest.approx(1 / math.log(4))
    assert lp.resource_allocation(star, pair)[0] == pytest.approx(1 / 4)
    assert lp.preferential_attachment(star, pair)[0] == 1
    assert lp.katz(star, pair)[0] == pytest.approx(0.05**2)  # one path of length 2, none of length 1 or 3


def test_scores_on_a_path_without_common_neighbours():
    path = nx.path_graph(4)  # 0-1-2-3
    pair = [(0, 3)]
    for score in (lp.common_neighbours, lp.jaccard, lp.adamic_adar, lp.resource_allocation):
        assert score(path, pair)[0] == 0
    assert lp.preferential_attachment(path, pair)[0] == 1
    assert lp.katz(path, pair)[0] == pytest.approx(0.05**3)  # only the path of length 3
    assert lp.common_neighbours(path, [(0, 2)])[0] == 1
    assert lp.jaccard(path, [(0, 2)])[0] == pytest.approx(1 / 2)  # N(0)={1}, N(2)={1,3}


def test_scores_on_k5():
    k5 = nx.complete_graph(5)
    pair = [(0, 1)]
    assert lp.common_neighbours(k5, pair)[0] == 3
    assert lp.jaccard(k5, pair)[0] == pytest.approx(3 / 5)  # union {0..4}, intersection {2,3,4}
    assert lp.adamic_adar(k5, pair)[0] == pytest.approx(3 / math.log(4))
    assert lp.resource_allocation(k5, pair)[0] == pytest.approx(3 / 4)
    assert lp.preferential_attachment(k5, pair)[0] == 16
    # walks 0->1: one of length 1, three of length 2, (A^3)_{01} = 13 in K5
    assert lp.katz(k5, pair)[0] == pytest.approx(0.05 + 3 * 0.05**2 + 13 * 0.05**3)


@pytest.mark.parametrize("method", list(lp.HEURISTICS))
def test_a_person_with_themself_is_refused(method):
    with pytest.raises(InputError, match="themself"):
        lp.score_pairs(nx.complete_graph(3), [(1, 1)], method)


def test_katz_local_and_matrix_agree(network):
    one_person = [(0, c) for c in lp.candidates_for(network, 0)]
    many = one_person + [(i, i + 1) for i in range(100, 160)]  # more than 50 sources: the matrix path
    assert np.allclose(lp.katz(network, one_person), lp.katz(network, many)[: len(one_person)])


def test_personalised_pagerank_by_hand_on_a_path():
    path = nx.path_graph(3)  # 0-1-2: walks 0->2 of 2 steps (1/2) and 4 steps (1/2), none of 1 or 3 steps
    a = lp.scores.PPR_ALPHA
    expected = 2 * (1 - a) * (a**2 * 0.5 + a**4 * 0.5)  # pi_0(2) + pi_2(0), equal here by symmetry
    assert lp.personalised_pagerank(path, [(0, 2)])[0] == pytest.approx(expected)
    lonely = nx.Graph([(0, 1)])
    lonely.add_node(2)
    assert lp.personalised_pagerank(lonely, [(0, 2)])[0] == 0  # no walk reaches a person with no links


def test_personalised_pagerank_local_matrix_and_dense_agree():
    graph = nx.powerlaw_cluster_graph(120, 3, 0.5, seed=1)
    pairs = [(u, v) for u, v in nx.non_edges(graph)][::40] + list(graph.edges)[:30]
    matrix = lp.personalised_pagerank(graph, pairs)  # many sources: the sparse-matrix path
    local = np.array([lp.personalised_pagerank(graph, [p])[0] for p in pairs])  # one source: local walks
    adjacency = nx.to_numpy_array(graph, nodelist=sorted(graph))
    walk = adjacency / adjacency.sum(axis=1, keepdims=True)
    a = lp.scores.PPR_ALPHA
    dense = sum((1 - a) * a**k * np.linalg.matrix_power(walk, k) for k in range(1, 5))
    assert np.allclose(matrix, [dense[u, v] + dense[v, u] for u, v in pairs])
    assert np.allclose(local, matrix)


def test_auto_model_is_chosen_by_inner_cv_on_training_pairs_only(monkeypatch):
    graph = lp.load_real_graph("lesmis")
    observed, hidden = lp.hide_edges(graph, 0.1, seed=3)
    seen = []
    real = lp_supervised.pair_features
    monkeypatch.setattr(lp_supervised, "pair_features", lambda g, *a, **k: seen.append(g) or real(g, *a, **k))
    model = lp.fit(observed, lp.TrainConfig(model="auto", features=lp.GRAPH_FEATURES, seed=3))
    search = model.pipeline
    assert len(search.cv_results_["params"]) == len(lp_supervised.INNER_C_GRID) + 1  # every C, and boosting
    assert search.n_splits_ == 3 and 0.5 < search.best_score_ <= 1
    assert seen and all(not g.has_edge(u, v) for g in seen for u, v in hidden)
    assert all(set(g.edges) <= set(observed.edges) for g in seen)


# ---------------------------------------------------------------- the generator
def test_same_seed_same_network_and_another_seed_differs():
    params = lp.NetworkParams(n_people=300, seed=7)
    a, b = lp.generate_network(params), lp.generate_network(params)
    assert list(a.edges(data="t")) == list(b.edges(data="t"))
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    c = lp.generate_network(lp.NetworkParams(n_people=300, seed=8))
    assert set(c.edges) != set(a.edges)


def test_generator_shows_heavy_tails_closure_and_homophily(network):
    degrees = np.array([d for _, d in network.degree()])
    assert network.number_of_nodes() == 2000 and network.number_of_edges() == 10_000
    assert degrees.max() > 10 * np.median(degrees)  # heavy tail: hubs far above the typical person
    density = 2 * network.number_of_edges() / (2000 * 1999)
    assert nx.transitivity(network) > 10 * density  # triadic closure: far more triangles than chance
    same = np.mean([network.nodes[u]["company"] == network.nodes[v]["company"] for u, v in network.edges])
    rng = np.random.default_rng(0)
    pairs = rng.integers(2000, size=(5000, 2))
    chance = np.mean([network.nodes[u]["company"] == network.nodes[v]["company"] for u, v in pairs])
    assert same > 3 * chance  # homophily


def test_generator_rejects_out_of_range_parameters():
    with pytest.raises(InputError, match="n_people"):
        lp.generate_network(lp.NetworkParams(n_people=20_000))


# ---------------------------------------------------------------- the protocol
def test_hide_edges_random_and_by_time(network):
    observed, hidden = lp.hide_edges(network, 0.1, "random")
    assert len(hidden) == 1000 and not any(observed.has_edge(u, v) for u, v in hidden)
    assert observed.number_of_edges() == 9000 and network.number_of_edges() == 10_000  # original untouched
    _, newest = lp.hide_edges(network, 0.1, "time")
    times = nx.get_edge_attributes(network, "t")
    assert min(times[e] for e in newest) == 9000  # exactly the newest tenth
    with pytest.raises(InputError, match="no link times"):
        lp.hide_edges(lp.load_real_graph("karate"), 0.1, "time")


def test_negatives_are_never_links(network):
    negatives = lp.sample_non_edges(network, 500, seed=3)
    assert len(set(negatives)) == 500 and not any(network.has_edge(u, v) or u == v for u, v in negatives)


def test_no_held_out_link_leaks_into_features(monkeypatch):
    """Every graph a feature is computed on after a split (test and training features) lacks that split's test links."""
    graph = lp.generate_network(lp.NetworkParams(n_people=300, seed=1))
    events: list[tuple[str, object]] = []
    real_split, real_features = lp_evaluate.make_split, lp_evaluate.pair_features

    def recording_split(*args, **kwargs):
        split = real_split(*args, **kwargs)
        events.append(("split", split))
        return split

    def recording_features(g, pairs, *args, **kwargs):
        events.append(("features", g))
        return real_features(g, pairs, *args, **kwargs)

    monkeypatch.setattr(lp_evaluate, "make_split", recording_split)
    monkeypatch.setattr(lp_evaluate, "pair_features", recording_features)
    monkeypatch.setattr(lp_supervised, "pair_features", recording_features)
    lp.evaluate(graph, lp.TrainConfig(holdout=0.2), repeats=2)
    assert [kind for kind, _ in events].count("split") == 2
    checked, hidden = 0, set()
    for kind, item in events:
        if kind == "split":
            hidden = {p for p, y in zip(item.pairs, item.labels, strict=True) if y == 1}
            assert hidden and all(graph.has_edge(*p) for p in hidden)  # real links, so a leak would show
        else:
            assert not [p for p in hidden if item.has_edge(*p)], "a held-out link was visible to the features"
            checked += 1
    assert checked >= 4  # test features and training features of both repeats were inspected


def test_fit_only_learns_from_the_graph_it_is_given(monkeypatch):
    graph = lp.load_real_graph("lesmis")
    observed, hidden = lp.hide_edges(graph, 0.2, seed=5)
    seen = []
    real = lp_supervised.pair_features
    monkeypatch.setattr(lp_supervised, "pair_features", lambda g, *a, **k: seen.append(g) or real(g, *a, **k))
    lp.fit(observed)
    assert seen and all(not g.has_edge(u, v) for g in seen for u, v in hidden)
    assert all(set(g.edges) <= set(observed.edges) for g in seen)


# ---------------------------------------------------------------- quality floors (fixed seeds)
def test_supervised_beats_every_heuristic_on_the_default_network(default_evaluation):
    table = default_evaluation.table.set_index("method")
    heuristics = table[table["kind"] == "heuristic"]
    assert table.loc["logistic", "auc"] > 0.90
    assert table.loc["logistic", "auc"] >= heuristics["auc"].max()
    # Liben-Nowell and Kleinberg: Adamic-Adar beats preferential attachment on social graphs
    assert table.loc["adamic_adar", "auc"] > table.loc["preferential_attachment", "auc"]


def test_supervised_at_least_best_heuristic_on_les_miserables():
    table = lp.evaluate(lp.load_real_graph("lesmis")).table.set_index("method")
    assert table.loc["logistic", "auc"] >= table[table["kind"] == "heuristic"]["auc"].max()


def test_slices_learning_curve_and_arena_follow_the_shared_columns(default_evaluation):
    slices = lp.slice_report(default_evaluation)
    assert {"slice", "n", "too_few", "note", "AUC (supervised)"} <= set(slices.columns)
    assert slices["n"].sum() == len(default_evaluation.labels)
    small = lp.generate_network(lp.NetworkParams(n_people=300))
    curve = lp.learning_curve(small, shares=(0.5, 1.0))
    assert set(curve.columns) == {"x", "metric", "value"} and set(curve["x"]) == {50, 100}
    arena = lp.model_arena(small, people=2)
    assert {"model", "quality", "fit_seconds", "predict_ms", "is_default"} <= set(arena.columns)
    assert arena["is_default"].sum() == 1 and len(arena) == len(lp.SUPERVISED) + len(lp.HEURISTICS)


# ---------------------------------------------------------------- suggestions and joining
def test_suggestions_are_new_people_with_reasons(network):
    predictor = lp.fit(network)
    top = lp.suggest(network, 0, predictor=predictor, n=10)
    assert len(top) == 10 and 0 not in set(top["id"])
    assert not any(network.has_edge(0, int(v)) for v in top["id"])
    assert top["score"].is_monotonic_decreasing and top["score"].between(0, 1).all()
    assert top["reasons"].str.len().gt(0).all()
    assert (top["mutual"] > 0).any() and top["reasons"].str.contains("mutual connection").any()
    with pytest.raises(InputError, match="no person"):
        lp.suggest(network, 99_999, predictor=predictor)


def test_joining_never_changes_the_shared_network(network):
    predictor = lp.fit(network)
    before = network.number_of_edges(), network.number_of_nodes()
    joined, me = lp.join_network(network, {"company": "Northwind", "school": "MIT", "city": "Lisbon"}, [1, 2, 3])
    assert (network.number_of_edges(), network.number_of_nodes()) == before and me not in network
    top = lp.suggest(joined, me, predictor=predictor, n=5)
    assert len(top) == 5 and not set(top["id"]) & {1, 2, 3}
    with pytest.raises(InputError, match="2 to 5"):
        lp.join_network(network, {}, [1])


# ---------------------------------------------------------------- edge lists a person brings
def test_edge_list_with_header_whitespace_loops_and_duplicates():
    text = "source target\n" + "\n".join(f"{i} {i + 1}" for i in range(12)) + "\n3 3\n2 1\n1 2\n"
    graph, notes = lp.read_edge_list(text.encode())
    assert graph.number_of_edges() == 12 and graph.number_of_nodes() == 13
    assert any("self-loop" in n for n in notes) and any("2 duplicate" in n for n in notes)
    csv_graph, _ = lp.read_edge_list("\n".join(f"{i},{i + 2}" for i in range(20)).encode())
    assert csv_graph.number_of_edges() == 20


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"a,b\n1,x\n", "not two whole numbers"),
        (b"1\n2\n3\n", "two columns"),
        (b"1 2\n2 3\n", "at least 10"),
        (b"\x00\x01binary", "binary|UTF-8"),
    ],
)
def test_bad_edge_lists_get_clear_messages(content, message):
    with pytest.raises(InputError, match=message):
        lp.read_edge_list(content)


def test_huge_edge_lists_are_refused():
    with pytest.raises(InputError, match="limit"):
        lp.read_edge_list(b"1 2\n" * 1000, max_bytes=1000)
    many_people = "\n".join(f"{2 * i} {2 * i + 1}" for i in range(6000)).encode()
    with pytest.raises(InputError, match="at most 10,000"):
        lp.read_edge_list(many_people)


# ---------------------------------------------------------------- command line and reproduction script
def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "models.people", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_cli_evaluate_json_and_bad_input():
    done = _cli("evaluate", "--graph", "florentine", "--method", "adamic_adar", "jaccard", "--json")
    assert done.returncode == 0, done.stderr
    assert {m["method"] for m in json.loads(done.stdout)["methods"]} == {"adamic_adar", "jaccard"}
    for bad in (
        ["evaluate", "--graph", "missing.csv"],
        ["suggest", "--person", "-4"],
        ["evaluate", "--people", "5"],
        ["evaluate", "--graph", "karate", "--split", "time"],
    ):
        done = _cli(*bad)
        assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, (bad, done.stderr)
        assert "Traceback" not in done.stderr


def test_reproduction_script_prints_the_pages_figures():
    config = lp.TrainConfig(holdout=0.2)
    script = lp.reproduction_script("karate", lp.NetworkParams(), config)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    table = lp.evaluate(lp.load_real_graph("karate"), config).table
    for row in table.itertuples():
        assert f"{row.label}: AUC {row.auc:.3f}, average precision {row.average_precision:.3f}" in done.stdout
