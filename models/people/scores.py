"""Link-prediction scores for pairs of people, and the feature table the supervised model learns from.

The neighbourhood scores are networkx's own functions; each public function cites where the
score comes from. A pair of one person with themself has no meaning here and is refused.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence

import networkx as nx
import numpy as np
import pandas as pd

from models.common import InputError

__all__ = [
    "Pair",
    "HEURISTICS",
    "HEURISTIC_LABELS",
    "GRAPH_FEATURES",
    "PROFILE_FEATURES",
    "common_neighbours",
    "jaccard",
    "adamic_adar",
    "resource_allocation",
    "preferential_attachment",
    "katz",
    "personalised_pagerank",
    "score_pairs",
    "pair_features",
]

Pair = tuple[int, int]
KATZ_BETA = 0.05
KATZ_CHUNK = 2_000_000
"""At most about this many two-step paths are held at once (some 50 MB), whatever the graph."""
PPR_ALPHA = 0.85  # probability of walking on rather than jumping home: PageRank's usual damping


def _checked(pairs: Iterable[Pair]) -> list[Pair]:
    pairs = [(int(u), int(v)) for u, v in pairs]
    for u, v in pairs:
        if u == v:
            raise InputError(f"person {u} was paired with themself; a link needs two different people")
    return pairs


def _values(triples: Iterable[tuple[int, int, float]]) -> np.ndarray:
    return np.fromiter((p for _, _, p in triples), dtype=float)


def common_neighbours(graph: nx.Graph, pairs: Sequence[Pair]) -> np.ndarray:
    """|N(u) ∩ N(v)|: how many friends two people share (Newman, PRE 64, 2001)."""
    pairs = _checked(pairs)
    return np.array([float(len(list(nx.common_neighbors(graph, u, v)))) for u, v in pairs])


def jaccard(graph: nx.Graph, pairs: Sequence[Pair]) -> np.ndarray:
    """|N(u) ∩ N(v)| / |N(u) ∪ N(v)|: shared friends as a share of all their friends (Jaccard 1901)."""
    return _values(nx.jaccard_coefficient(graph, _checked(pairs)))


def adamic_adar(graph: nx.Graph, pairs: Sequence[Pair]) -> np.ndarray:
    """Σ 1/log deg(w) over shared friends w: a shared friend with few friends counts more.

    Adamic and Adar, "Friends and neighbors on the Web", Social Networks 25 (2003).
    """
    return _values(nx.adamic_adar_index(graph, _checked(pairs)))


def resource_allocation(graph: nx.Graph, pairs: Sequence[Pair]) -> np.ndarray:
    """Σ 1/deg(w) over shared friends w: like Adamic-Adar, with a stronger penalty on hubs.

    Zhou, Lü and Zhang, "Predicting missing links via local information", Eur. Phys. J. B 71 (2009).
    """
    return _values(nx.resource_allocation_index(graph, _checked(pairs)))


def preferential_attachment(graph: nx.Graph, pairs: Sequence[Pair]) -> np.ndarray:
    """deg(u) · deg(v): well-connected people gain links (Barabási and Albert, Science 286, 1999)."""
    return _values(nx.preferential_attachment(graph, _checked(pairs)))


def katz(graph: nx.Graph, pairs: Sequence[Pair], *, beta: float = KATZ_BETA) -> np.ndarray:
    """β·A + β²·A² + β³·A³ at (u, v): paths of length 1 to 3, shorter ones weigh more.

    Katz, "A new status index derived from sociometric analysis", Psychometrika 18 (1953),
    truncated at length 3 as in Lü and Zhou's survey (Physica A 390, 2011) so that it stays local and fast.
    """
    pairs = _checked(pairs)
    if len({u for u, _ in pairs}) <= 50:  # one person's candidates: count paths locally, no matrix
        memo: dict[int, Counter] = {}
        return np.array([_katz_local(graph, u, v, beta, memo) for u, v in pairs])
    nodes = list(graph.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    adjacency = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight=None, format="csr", dtype=float)
    us = np.array([index[u] for u, _ in pairs])
    vs = np.array([index[v] for _, v in pairs])
    # A²[u, ·] has up to sum over u's friends of their degrees entries: with a hub in an uploaded
    # graph that is the whole network per row, so the rows are taken in chunks of bounded size.
    degree = np.asarray(adjacency.sum(axis=1)).ravel()
    reach = np.asarray(adjacency @ degree).ravel()[us] + 1
    bounds = np.searchsorted(np.cumsum(reach), np.arange(1, int(reach.sum() // KATZ_CHUNK) + 1) * KATZ_CHUNK)
    out = np.zeros(len(pairs))
    for part in np.split(np.arange(len(pairs)), np.unique(bounds)):
        if not len(part):
            continue
        rows_u = adjacency[us[part]]  # neighbours of each u
        two = rows_u @ adjacency  # paths of length 2 from u
        one_v = _pick(rows_u, vs[part])
        two_v = _pick(two, vs[part])
        three_v = np.asarray(two.multiply(adjacency[vs[part]]).sum(axis=1)).ravel()
        out[part] = beta * one_v + beta**2 * two_v + beta**3 * three_v
    return out


def _two_step_counts(graph: nx.Graph, u: int) -> Counter:
    return Counter(x for w in graph[u] for x in graph[w])


def _katz_local(graph: nx.Graph, u: int, v: int, beta: float, _memo: dict | None = None) -> float:
    """The same truncated Katz score by counting walks from u: A²[u, ·] once, then A³[u, v] = Σ_{x ∈ N(v)} A²[u, x]."""
    memo = {} if _memo is None else _memo
    if u not in memo:
        memo[u] = _two_step_counts(graph, u)
    two = memo[u]
    return beta * graph.has_edge(u, v) + beta**2 * two.get(v, 0) + beta**3 * sum(two.get(x, 0) for x in graph[v])


def _pick(matrix, columns: np.ndarray) -> np.ndarray:
    """matrix[i, columns[i]] for each row i of a sparse matrix, without densifying it."""
    matrix = matrix.tocsr()
    matrix.sort_indices()
    out = np.zeros(matrix.shape[0])
    for i, col in enumerate(columns):
        start, end = matrix.indptr[i], matrix.indptr[i + 1]
        hit = np.searchsorted(matrix.indices[start:end], col)
        if hit < end - start and matrix.indices[start + hit] == col:
            out[i] = matrix.data[start + hit]
    return out


def personalised_pagerank(graph: nx.Graph, pairs: Sequence[Pair], *, alpha: float = PPR_ALPHA) -> np.ndarray:
    """π_u(v) + π_v(u): how often a random walk that keeps jumping home to u stands on v, and back.

    Rooted (personalised) PageRank, Jeh and Widom, "Scaling personalized web search", WWW 2003; used for
    link prediction by Liben-Nowell and Kleinberg (JASIST 58, 2007). π_u = (1 - α) Σ_k α^k e_u T^k with
    T = D⁻¹A, truncated at walks of 4 steps (like our Katz) so it stays local. On an undirected graph
    π_v(u) = π_u(v)·deg(u)/deg(v), so one direction gives both.
    """
    pairs = _checked(pairs)
    if not pairs:
        return np.zeros(0)
    if len({u for u, _ in pairs}) <= 50:  # one person's candidates: walk locally, no matrix
        memo: dict[int, dict[int, float]] = {}
        return np.array([_ppr_local(graph, u, v, alpha, memo) for u, v in pairs])
    nodes = list(graph.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    adjacency = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight=None, format="csr", dtype=float)
    degree = np.asarray(adjacency.sum(axis=1)).ravel()
    inverse = np.divide(1.0, degree, out=np.zeros_like(degree), where=degree > 0)
    walk = (adjacency.multiply(inverse[:, None])).tocsr()  # T = D⁻¹A, rows sum to 1
    back = walk.T.tocsr()
    us = np.array([index[u] for u, _ in pairs])
    vs = np.array([index[v] for _, v in pairs])
    one_u = walk[us]  # T[u, ·]
    two_u = one_u @ walk  # T²[u, ·]
    one_v = back[vs]  # T[·, v] as rows
    two_v = one_v @ back  # T²[·, v] as rows
    steps = [
        _pick(one_u, vs),
        _pick(two_u, vs),
        np.asarray(two_u.multiply(one_v).sum(axis=1)).ravel(),
        np.asarray(two_u.multiply(two_v).sum(axis=1)).ravel(),
    ]
    forward = sum((1 - alpha) * alpha ** (k + 1) * step for k, step in enumerate(steps))
    ratio = np.divide(degree[us], degree[vs], out=np.zeros(len(vs)), where=degree[vs] > 0)
    return forward * (1 + ratio)


def _walk(graph: nx.Graph, start: dict[int, float]) -> dict[int, float]:
    """One step of a random walk: spread each node's weight evenly over its neighbours."""
    out: dict[int, float] = {}
    for node, weight in start.items():
        neighbours = graph[node]
        if neighbours:
            share = weight / len(neighbours)
            for x in neighbours:
                out[x] = out.get(x, 0.0) + share
    return out


def _ppr_local(graph: nx.Graph, u: int, v: int, alpha: float, memo: dict[int, tuple]) -> float:
    """The same truncated score from walks of two steps out of u and out of v, met in the middle.

    Walks from v are turned around with T^k[x, v] = T^k[v, x]·deg(v)/deg(x) (D·T^k is symmetric).
    """
    for node in (u, v):
        if node not in memo:
            one = _walk(graph, {node: 1.0})
            two = _walk(graph, one)
            memo[node] = (one, two, {x: w / len(graph[x]) for x, w in two.items()})
    one_u, two_u, two_u_per_degree = memo[u]
    one_v, two_v, _ = memo[v]
    deg_u, deg_v = len(graph[u]), len(graph[v])
    if not deg_u or not deg_v:
        return 0.0
    steps = [
        one_u.get(v, 0.0),
        two_u.get(v, 0.0),
        deg_v * sum(w * two_u_per_degree.get(x, 0.0) for x, w in one_v.items()),
        deg_v * sum(w * two_u_per_degree.get(x, 0.0) for x, w in two_v.items()),
    ]
    forward = sum((1 - alpha) * alpha ** (k + 1) * step for k, step in enumerate(steps))
    return forward * (1 + deg_u / deg_v)


HEURISTICS: dict[str, Callable[[nx.Graph, Sequence[Pair]], np.ndarray]] = {
    "common_neighbours": common_neighbours,
    "jaccard": jaccard,
    "adamic_adar": adamic_adar,
    "resource_allocation": resource_allocation,
    "preferential_attachment": preferential_attachment,
    "katz": katz,
    "personalised_pagerank": personalised_pagerank,
}
HEURISTIC_LABELS = {
    "common_neighbours": "Common neighbours",
    "jaccard": "Jaccard",
    "adamic_adar": "Adamic-Adar",
    "resource_allocation": "Resource allocation",
    "preferential_attachment": "Preferential attachment",
    "katz": "Katz (paths ≤ 3)",
    "personalised_pagerank": "Personalised PageRank",
}
GRAPH_FEATURES = tuple(HEURISTICS)
PROFILE_FEATURES = ("same_company", "same_school", "same_city", "same_role")


def score_pairs(graph: nx.Graph, pairs: Sequence[Pair], method: str) -> np.ndarray:
    """One heuristic's scores for `pairs` on `graph` (higher means a link is more likely)."""
    if method not in HEURISTICS:
        raise InputError(f"unknown score {method!r}; choose from {', '.join(HEURISTICS)}")
    return HEURISTICS[method](graph, pairs)


def pair_features(
    graph: nx.Graph, pairs: Sequence[Pair], features: Sequence[str] = GRAPH_FEATURES + PROFILE_FEATURES
) -> pd.DataFrame:
    """The feature table for `pairs`, computed on `graph` only (the caller passes the observed graph).

    Profile features (same company, school, city, role) are 0/1 and are 0 on graphs without profiles.
    """
    pairs = _checked(pairs)
    columns: dict[str, np.ndarray] = {}
    for name in features:
        if name in HEURISTICS:
            columns[name] = HEURISTICS[name](graph, pairs)
        elif name in PROFILE_FEATURES:
            field = name.removeprefix("same_")
            attrs = graph.nodes
            columns[name] = np.array(
                [
                    float(attrs[u].get(field) is not None and attrs[u].get(field) == attrs[v].get(field))
                    for u, v in pairs
                ]
            )
        else:
            raise InputError(f"unknown feature {name!r}; choose from {', '.join(GRAPH_FEATURES + PROFILE_FEATURES)}")
    return pd.DataFrame(columns, index=pd.MultiIndex.from_tuples(pairs, names=["u", "v"]) if pairs else None)
