"""The engineer's view for this demo: formulas with references, and a script that reproduces the page."""

from __future__ import annotations

from models.common import Formula
from models.people.network import NetworkParams
from models.people.supervised import TrainConfig

__all__ = ["FORMULAS", "reproduction_script"]

FORMULAS: tuple[Formula, ...] = (
    Formula(
        "Common neighbours",
        r"\mathrm{CN}(u, v) = |\Gamma(u) \cap \Gamma(v)|",
        "Count the friends two people share; Γ(u) is the set of u's connections.",
        "Newman, 'Clustering and preferential attachment in growing networks', Phys. Rev. E 64 (2001)",
    ),
    Formula(
        "Jaccard coefficient",
        r"J(u, v) = \frac{|\Gamma(u) \cap \Gamma(v)|}{|\Gamma(u) \cup \Gamma(v)|}",
        "Shared friends as a share of all the friends either has, so busy people do not win by volume.",
        "Jaccard (1901); Liben-Nowell and Kleinberg, JASIST 58 (2007)",
    ),
    Formula(
        "Adamic-Adar",
        r"\mathrm{AA}(u, v) = \sum_{w \in \Gamma(u) \cap \Gamma(v)} \frac{1}{\log |\Gamma(w)|}",
        "Each shared friend counts, but a shared friend who knows few people counts more than a hub who knows "
        "everyone.",
        "Adamic and Adar, 'Friends and neighbors on the Web', Social Networks 25 (2003)",
    ),
    Formula(
        "Resource allocation",
        r"\mathrm{RA}(u, v) = \sum_{w \in \Gamma(u) \cap \Gamma(v)} \frac{1}{|\Gamma(w)|}",
        "Like Adamic-Adar with a stronger discount for hubs: each shared friend passes on one unit of "
        "'attention', split among all their friends.",
        "Zhou, Lü and Zhang, Eur. Phys. J. B 71 (2009)",
    ),
    Formula(
        "Preferential attachment",
        r"\mathrm{PA}(u, v) = |\Gamma(u)| \cdot |\Gamma(v)|",
        "Well-connected people gain new connections fastest, whoever they are.",
        "Barabási and Albert, Science 286 (1999)",
    ),
    Formula(
        "Katz index, truncated at paths of length 3",
        r"\mathrm{Katz}(u, v) = \beta A_{uv} + \beta^2 (A^2)_{uv} + \beta^3 (A^3)_{uv}, \quad \beta = 0.05",
        "Counts the chains of acquaintance from u to v, each extra step worth twenty times less.",
        "Katz, Psychometrika 18 (1953); Lü and Zhou, Physica A 390 (2011)",
    ),
    Formula(
        "Personalised (rooted) PageRank, truncated at walks of 4 steps",
        r"\pi_u = (1 - \alpha) \sum_{k=1}^{4} \alpha^k e_u (D^{-1} A)^k, \quad "
        r"s(u, v) = \pi_u(v) + \pi_v(u), \quad \alpha = 0.85",
        "How often a random walk that keeps jumping back home to u stands on v (and the other way round): "
        "many short, unhurried routes between two people make a high score.",
        "Jeh and Widom, WWW 2003; Liben-Nowell and Kleinberg, JASIST 58 (2007)",
    ),
    Formula(
        "The supervised combiner (logistic regression)",
        r"P(\text{link} \mid u, v) = \sigma\Big(b + \sum_j w_j \, z_j(u, v)\Big), \quad "
        r"z_j = \frac{\log(1 + x_j) - \mu_j}{s_j}",
        "It learns from links hidden inside the observed network how much each score and each shared "
        "company, school or city is worth; a weight w_j = 0.7 doubles the odds of a link per standard "
        "deviation of that feature.",
        "Lichtenwalter, Lussier and Chawla, 'New perspectives and methods in link prediction', KDD 2010",
    ),
    Formula(
        "Area under the ROC curve",
        r"\mathrm{AUC} = P\big(s(\text{a hidden link}) > s(\text{a random non-link})\big)",
        "The chance that a method ranks a real but hidden connection above a random pair that never "
        "connected: 0.5 is a coin toss, 1 is perfect.",
        "Hanley and McNeil, Radiology 143 (1982); Lü and Zhou, Physica A 390 (2011)",
    ),
)

_TEMPLATE = '''"""Reproduce the 'People you may know' page: {graph} network, held-out evaluation of every method."""

from models.people import NetworkParams, TrainConfig, evaluate, generate_network, load_real_graph

graph = {graph_call}
config = TrainConfig(
    model={model!r},
    features={features!r},
    holdout={holdout!r},
    split={split!r},
    negatives={negatives!r},
    seed={seed!r},
)
result = evaluate(graph, config)
print(f"{{result.n_nodes}} people, {{result.n_edges}} links, {{result.repeats}} split(s)")
for row in result.table.itertuples():
    print(f"{{row.label}}: AUC {{row.auc:.3f}}, average precision {{row.average_precision:.3f}}")
'''


def reproduction_script(graph: str, params: NetworkParams, config: TrainConfig) -> str:
    """A short runnable script that prints the page's evaluation table through this package's public API."""
    if graph == "synthetic":
        p = params
        call = (
            f"generate_network(NetworkParams(n_people={p.n_people}, mean_degree={p.mean_degree!r}, "
            f"triadic={p.triadic!r}, homophily={p.homophily!r}, tail={p.tail!r}, seed={p.seed}))"
        )
    else:
        call = f"load_real_graph({graph!r})"
    return _TEMPLATE.format(
        graph=graph,
        graph_call=call,
        model=config.model,
        features=tuple(config.features),
        holdout=config.holdout,
        split=config.split,
        negatives=config.negatives,
        seed=config.seed,
    )
