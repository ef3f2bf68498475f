"""Real-time card-fraud detection on a documented, seeded simulation of a bank (Le Borgne et al.).

Public functions: `simulate`, `add_features`, `time_split`, `train`, `score`, `evaluate_scores`,
`card_precision_at_k`, `threshold_table`; see the submodules for the details.
"""

from models.fraud.evaluate import Metrics, card_precision_at_k, evaluate_scores, threshold_table
from models.fraud.features import BASELINE_FEATURES, EXTRA_FEATURES, FEATURE_SETS, add_features
from models.fraud.simulator import SimulationConfig, expected_fraud_rate, simulate
from models.fraud.train import DEFAULT_FEATURES, DEFAULT_MODEL, MODELS, FraudModel, Split, score, time_split, train

__all__ = [
    "BASELINE_FEATURES",
    "EXTRA_FEATURES",
    "FEATURE_SETS",
    "DEFAULT_FEATURES",
    "DEFAULT_MODEL",
    "MODELS",
    "FraudModel",
    "Metrics",
    "SimulationConfig",
    "Split",
    "add_features",
    "card_precision_at_k",
    "evaluate_scores",
    "expected_fraud_rate",
    "score",
    "simulate",
    "threshold_table",
    "time_split",
    "train",
]
