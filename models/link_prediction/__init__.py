"""People you may know: link prediction on a professional network, explained and evaluated.

`generate_network` / `load_real_graph` / `read_edge_list` give a graph; `score_pairs` and the
heuristics score pairs of people; `fit` trains the supervised combiner; `suggest` ranks people
for one person with reasons; `evaluate` compares every method on held-out links.
"""

from models.link_prediction.engineer import FORMULAS, reproduction_script
from models.link_prediction.evaluate import (
    Evaluation,
    evaluate,
    learning_curve,
    method_label,
    model_arena,
    precision_at_k,
    roc_frame,
    slice_report,
)
from models.link_prediction.network import (
    CITIES,
    GRAPH_NAMES,
    REAL_GRAPHS,
    ROLES,
    SCHOOLS,
    NetworkParams,
    generate_network,
    load_graph,
    load_real_graph,
    people_frame,
    person_label,
    read_edge_list,
)
from models.link_prediction.scores import (
    GRAPH_FEATURES,
    HEURISTIC_LABELS,
    HEURISTICS,
    PROFILE_FEATURES,
    adamic_adar,
    common_neighbours,
    jaccard,
    katz,
    pair_features,
    preferential_attachment,
    resource_allocation,
    score_pairs,
)
from models.link_prediction.supervised import (
    SPLITS,
    SUPERVISED,
    LinkPredictor,
    TrainConfig,
    build_pipeline,
    candidates_for,
    fit,
    hide_edges,
    join_network,
    sample_non_edges,
    suggest,
)

__all__ = [
    "CITIES", "FORMULAS", "GRAPH_FEATURES", "GRAPH_NAMES", "HEURISTICS", "HEURISTIC_LABELS", "PROFILE_FEATURES",
    "REAL_GRAPHS", "ROLES", "SCHOOLS", "SPLITS", "SUPERVISED",
    "Evaluation", "LinkPredictor", "NetworkParams", "TrainConfig",
    "adamic_adar", "build_pipeline", "candidates_for", "common_neighbours", "evaluate", "fit", "generate_network",
    "hide_edges", "jaccard", "join_network", "katz", "learning_curve", "load_graph", "load_real_graph",
    "method_label", "model_arena", "pair_features", "people_frame", "person_label", "precision_at_k",
    "preferential_attachment", "read_edge_list", "reproduction_script", "resource_allocation", "roc_frame",
    "sample_non_edges", "score_pairs", "slice_report", "suggest",
]
