"""The networks: a seeded synthetic professional network, three graphs networkx ships, and uploaded edge lists.

The generator follows three regularities that real social networks are known to show
(see data/professional_network.md):

- heavy-tailed degrees: each person's "activity" is Pareto-distributed, and people start
  links in proportion to it (Barabási and Albert, Science 1999; a fitness-model variant,
  Caldarelli et al., PRL 2002);
- triadic closure: a share of new links join a friend of a friend (Rapoport 1953;
  Granovetter 1973; Jin, Girvan and Newman, PRE 2001);
- homophily: most other links stay inside a shared company, school or city
  (McPherson, Smith-Lovin and Cook, Annual Review of Sociology 2001).

Links are created one after another, and each edge keeps its creation step in the `t`
attribute, so evaluation can hide "the newest links" as well as random ones.
"""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from models.common import DEFAULT_SEED, InputError
from models.uploads import DEFAULT_MAX_BYTES, MAX_ID, read_table, whole_number_column

__all__ = [
    "CITIES",
    "SCHOOLS",
    "ROLES",
    "NetworkParams",
    "REAL_GRAPHS",
    "GRAPH_NAMES",
    "MAX_UPLOAD_NODES",
    "MAX_UPLOAD_EDGES",
    "generate_network",
    "load_real_graph",
    "load_graph",
    "read_edge_list",
    "person_label",
    "people_frame",
]

FIRST_NAMES = (
    "Ana",
    "Ben",
    "Chloé",
    "Dmitri",
    "Emma",
    "Farah",
    "Goran",
    "Hana",
    "Ibrahim",
    "Jia",
    "Kofi",
    "Lena",
    "Mateo",
    "Nadia",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sven",
    "Tariq",
    "Uma",
    "Victor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoe",
    "Aiko",
    "Bruno",
    "Carmen",
    "David",
    "Elif",
    "Felix",
    "Grace",
    "Hugo",
    "Ines",
    "Jonas",
)
LAST_NAMES = (
    "Silva",
    "Smith",
    "Müller",
    "Kowalski",
    "Nguyen",
    "Okafor",
    "García",
    "Rossi",
    "Tanaka",
    "Petrov",
    "Haddad",
    "Johansson",
    "Dubois",
    "Kim",
    "Mensah",
    "Novak",
    "Costa",
    "Patel",
    "Wang",
    "Jensen",
    "Murphy",
    "Schmidt",
    "Lopez",
    "Ivanova",
    "Cohen",
    "Sato",
    "Moreau",
    "Berg",
)
CITIES = (
    "London",
    "Berlin",
    "Lisbon",
    "Toronto",
    "Bangalore",
    "Nairobi",
    "São Paulo",
    "Singapore",
    "Boston",
    "Warsaw",
    "Sydney",
    "Seoul",
)
SCHOOLS = (
    "MIT",
    "Stanford",
    "ETH Zürich",
    "Oxford",
    "IIT Bombay",
    "Tsinghua",
    "TU Munich",
    "U. of Toronto",
    "Sorbonne",
    "U. of Lisbon",
    "U. of Nairobi",
    "NUS",
    "KAIST",
    "U. of Warsaw",
    "UNSW",
    "U. of São Paulo",
    "EPFL",
    "Imperial",
    "Caltech",
    "KTH",
)
COMPANY_FIRST = ("North", "Blue", "Bright", "Iron", "Silver", "Green", "Clear", "Swift", "Open", "Deep", "Red", "Sun")
COMPANY_LAST = ("wind", "stone", "leaf", "bridge", "path", "field", "wave", "works", "labs", "data", "forge", "gate")
ROLES = (
    "ML engineer",
    "Data scientist",
    "Software engineer",
    "Product manager",
    "Designer",
    "Data engineer",
    "Recruiter",
    "Sales lead",
    "Researcher",
    "Analyst",
)
GROUP_SHARES = {"company": 0.5, "school": 0.25, "city": 0.25}
"""Of the links made by homophily, how many go to a colleague, a classmate or a neighbour."""

REAL_GRAPHS = {
    "karate": "Zachary's karate club (Zachary 1977): 34 members, 78 friendships",
    "lesmis": "Les Misérables co-appearances (Knuth 1993): 77 characters, 254 links",
    "florentine": "Florentine families' marriages (Padgett 1994): 15 families, 20 marriages",
}
GRAPH_NAMES = ("synthetic", *REAL_GRAPHS)
MAX_UPLOAD_NODES = 10_000
MAX_UPLOAD_EDGES = 100_000


@dataclass(frozen=True)
class NetworkParams:
    """The generator's knobs (each is a widget on the page); ranges keep generation under a second or two."""

    n_people: int = 2000
    mean_degree: float = 10.0
    triadic: float = 0.5
    homophily: float = 0.7
    tail: float = 2.5
    seed: int = DEFAULT_SEED

    def check(self) -> None:
        limits = {
            "n_people": (200, 10_000),
            "mean_degree": (2, 30),
            "triadic": (0.0, 0.95),
            "homophily": (0.0, 1.0),
            "tail": (1.5, 4.0),
        }
        for name, (low, high) in limits.items():
            value = getattr(self, name)
            if not low <= value <= high:
                raise InputError(f"{name} must be between {low} and {high}, got {value}")

    def as_dict(self) -> dict:
        return asdict(self)


def _zipf_weights(k: int, exponent: float = 1.0) -> np.ndarray:
    w = 1.0 / np.arange(1, k + 1) ** exponent
    return w / w.sum()


class _Sampler:
    """Draw members of a group in proportion to their activity, in O(log n) per draw."""

    def __init__(self, members: np.ndarray, activity: np.ndarray) -> None:
        self.members = members
        self.cumulative = np.cumsum(activity[members])

    def draw(self, rng: np.random.Generator) -> int:
        i = int(np.searchsorted(self.cumulative, rng.random() * self.cumulative[-1], side="right"))
        return int(self.members[min(i, len(self.members) - 1)])


def _profiles(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """Names, companies (each based in a city), schools, cities and roles; sizes are Zipf-like."""
    n_companies = max(6, n // 40)
    company_names = [f"{COMPANY_FIRST[i % 12]}{COMPANY_LAST[(i // 12 + 5 * i) % 12]}" for i in range(n_companies)]
    company_names = [name if i < 144 else f"{name} {i // 144 + 1}" for i, name in enumerate(company_names)]
    company_city = rng.choice(len(CITIES), size=n_companies, p=_zipf_weights(len(CITIES), 0.8))
    company = rng.choice(n_companies, size=n, p=_zipf_weights(n_companies, 0.9))
    moved = rng.random(n) < 0.2  # one in five lives away from the company's home city (remote work)
    city = np.where(moved, rng.choice(len(CITIES), size=n, p=_zipf_weights(len(CITIES), 0.8)), company_city[company])
    return pd.DataFrame(
        {
            "name": [
                f"{FIRST_NAMES[a]} {LAST_NAMES[b]}"
                for a, b in zip(
                    rng.integers(len(FIRST_NAMES), size=n), rng.integers(len(LAST_NAMES), size=n), strict=True
                )
            ],
            "company": [company_names[c] for c in company],
            "school": [SCHOOLS[s] for s in rng.choice(len(SCHOOLS), size=n, p=_zipf_weights(len(SCHOOLS), 0.7))],
            "city": [CITIES[c] for c in city],
            "role": [ROLES[r] for r in rng.integers(len(ROLES), size=n)],
        }
    )


def generate_network(params: NetworkParams | None = None) -> nx.Graph:
    """A seeded professional network; the same parameters (seed included) always give the same graph.

    Each new link is started by a person drawn in proportion to their Pareto activity. With
    probability `triadic` it closes a triangle (a random friend of a random friend); otherwise,
    with probability `homophily`, it goes to someone in the same company, school or city, and
    else to anyone (both in proportion to activity). Edges record their creation step as `t`.
    """
    params = params or NetworkParams()
    params.check()
    rng = np.random.default_rng(params.seed)
    n = int(params.n_people)
    profiles = _profiles(n, rng)
    activity = np.minimum(rng.pareto(params.tail - 1.0, size=n) + 1.0, n / 10)
    everyone = _Sampler(np.arange(n), activity)
    groups = {
        column: {
            value: _Sampler(np.flatnonzero(profiles[column].to_numpy() == value), activity)
            for value in profiles[column].unique()
        }
        for column in GROUP_SHARES
    }
    columns = {column: profiles[column].to_numpy() for column in GROUP_SHARES}
    group_names, group_p = list(GROUP_SHARES), list(GROUP_SHARES.values())

    target = int(round(n * params.mean_degree / 2))
    neighbours: list[list[int]] = [[] for _ in range(n)]
    edges: set[tuple[int, int]] = set()
    order: list[tuple[int, int]] = []
    attempts = 0
    while len(order) < target and attempts < 20 * target:
        attempts += 1
        u = everyone.draw(rng)
        if neighbours[u] and rng.random() < params.triadic:
            w = neighbours[u][rng.integers(len(neighbours[u]))]
            v = neighbours[w][rng.integers(len(neighbours[w]))]
        elif rng.random() < params.homophily:
            column = group_names[rng.choice(3, p=group_p)]
            v = groups[column][columns[column][u]].draw(rng)
        else:
            v = everyone.draw(rng)
        pair = (min(u, v), max(u, v))
        if u == v or pair in edges:
            continue
        edges.add(pair)
        order.append(pair)
        neighbours[u].append(v)
        neighbours[v].append(u)

    graph = nx.Graph(name="synthetic", has_profiles=True, has_time=True, params=params.as_dict())
    graph.add_nodes_from((i, row) for i, row in enumerate(profiles.to_dict(orient="records")))
    graph.add_edges_from((u, v, {"t": t}) for t, (u, v) in enumerate(order))
    return graph


def _integer_labels(graph: nx.Graph, name: str, names: list[str]) -> nx.Graph:
    out = nx.Graph(name=name, has_profiles=False, has_time=False)
    index = {node: i for i, node in enumerate(graph.nodes)}
    out.add_nodes_from((i, {"name": label}) for i, label in enumerate(names))
    out.add_edges_from((index[u], index[v]) for u, v in graph.edges if u != v)
    return out


def load_real_graph(name: str) -> nx.Graph:
    """Karate club, Les Misérables or the Florentine families, as shipped by networkx, with integer ids."""
    if name == "karate":
        graph = nx.karate_club_graph()
        return _integer_labels(graph, name, [f"Member {i + 1}" for i in graph.nodes])
    if name == "lesmis":
        graph = nx.les_miserables_graph()
        return _integer_labels(graph, name, [str(node) for node in graph.nodes])
    if name == "florentine":
        graph = nx.florentine_families_graph()
        return _integer_labels(graph, name, [str(node) for node in graph.nodes])
    raise InputError(f"unknown graph {name!r}; choose from {', '.join(GRAPH_NAMES)} or give an edge-list file")


def _is_integer(text: str) -> bool:
    return bool(whole_number_column(pd.Series([text]), "id")[0].notna().iloc[0])


def read_edge_list(
    source: str | Path | bytes | io.IOBase, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[nx.Graph, list[str]]:
    """An uploaded edge list (two integer columns, optional header, CSV or whitespace) as a graph.

    Returns the graph and notes on what was cleaned (self-loops and duplicate links dropped).
    Raises `InputError` for an empty, binary, one-column, non-integer or oversized file.
    """
    frame = read_table(source, max_bytes=max_bytes, header=False, whitespace_ok=True)
    frame = frame.dropna(how="all")
    if frame.shape[1] < 2:
        raise InputError("an edge list needs two columns (one link per line: person person)")
    frame = frame.iloc[:, :2].fillna("").astype(str)
    first = frame.iloc[0]
    if not (_is_integer(first.iloc[0]) and _is_integer(first.iloc[1])):
        frame = frame.iloc[1:]  # a header row
    if frame.empty:
        raise InputError("the file has a header but no links")
    ids = [whole_number_column(frame.iloc[:, k].reset_index(drop=True), "id") for k in (0, 1)]
    bad = sorted(p.row for _, problems in ids for p in problems)
    if bad:
        row = bad[0] - 1
        shown = " ".join(frame.iloc[row].tolist())
        raise InputError(
            f"line {row + 1} ({shown[:40]!r}) is not two whole numbers; person ids must be integers "
            f"written with digits 0-9, up to {MAX_ID:,}"
        )
    pairs = np.column_stack([values.astype(np.int64).to_numpy() for values, _ in ids])
    if len(pairs) > MAX_UPLOAD_EDGES:
        raise InputError(f"the file has {len(pairs):,} links; this demo takes at most {MAX_UPLOAD_EDGES:,}")
    notes = []
    loops = pairs[:, 0] == pairs[:, 1]
    if loops.any():
        notes.append(f"dropped {int(loops.sum())} self-loop(s) (a person linked to themself)")
    pairs = pairs[~loops]
    keyed = np.sort(pairs, axis=1)
    unique = np.unique(keyed, axis=0)
    if len(unique) < len(keyed):
        notes.append(f"dropped {len(keyed) - len(unique)} duplicate link(s) (the same pair twice, in any order)")
    nodes = np.unique(unique)
    if len(nodes) > MAX_UPLOAD_NODES:
        raise InputError(f"the file has {len(nodes):,} people; this demo takes at most {MAX_UPLOAD_NODES:,}")
    if len(unique) < 10:
        raise InputError(f"the file has only {len(unique)} distinct link(s); at least 10 are needed to evaluate")
    graph = nx.Graph(name="uploaded", has_profiles=False, has_time=False)
    graph.add_nodes_from((int(v), {"name": f"#{int(v)}"}) for v in nodes)
    graph.add_edges_from((int(u), int(v)) for u, v in unique)
    return graph, notes


def load_graph(name: str, params: NetworkParams | None = None) -> nx.Graph:
    """`synthetic`, a real graph's name, or a path to an edge-list file (for the command line)."""
    if name == "synthetic":
        return generate_network(params)
    if name in REAL_GRAPHS:
        return load_real_graph(name)
    if Path(name).suffix or Path(name).exists():
        return read_edge_list(name)[0]
    raise InputError(f"unknown graph {name!r}; choose from {', '.join(GRAPH_NAMES)} or give an edge-list file")


def person_label(graph: nx.Graph, node: int) -> str:
    """'Ana Silva (#12)' on the synthetic network, the name on real graphs."""
    name = graph.nodes[node].get("name", f"#{node}")
    return f"{name} (#{node})" if graph.graph.get("has_profiles") else str(name)


def people_frame(graph: nx.Graph) -> pd.DataFrame:
    """One row per person: id, profile and number of connections."""
    frame = pd.DataFrame.from_dict(dict(graph.nodes(data=True)), orient="index")
    frame.index.name = "id"
    frame["connections"] = pd.Series(dict(graph.degree()))
    return frame.reset_index()
