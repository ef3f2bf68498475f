"""Cached work behind the fraud page, keyed by plain parameters (see `ui/loaders/__init__.py`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from models.common import DEFAULT_SEED
from models.disk_cache import disk_cache
from models.fraud import engineer as fe
from models.fraud.data import load_bank
from models.fraud.evaluate import evaluate_scores, pr_curve
from models.fraud.explain import feature_effects, featurise_new
from models.fraud.features import FEATURE_LABELS
from models.fraud.simulator import SimulationConfig
from models.fraud.train import MODELS, STEPPED_MODELS, FraudModel, score, time_split, train
from ui.warmup import Step

BANK = {"fraud_customers": 5_000, "fraud_days": 183, "fraud_rate": 1.0, "fraud_scenarios": [1, 2, 3]}
SETTINGS = {  # sidebar hyperparameters; "Reset to defaults" restores these
    "fraud_model": "boosting",
    "fraud_lr": 0.05,
    "fraud_rounds": 300,
    "fraud_leaves": 15,
    "fraud_weighting": True,
    "fraud_trees": 100,
    "fraud_depth": 20,
    "fraud_C": 1.0,
    "fraud_iso_trees": 100,
}
CRAFT = {"card": 0, "terminal": 0, "amount": 60.0, "hour": 14}  # the made-up payment a visitor starts from


@st.cache_resource(show_spinner=False, max_entries=4)
def bank(config: SimulationConfig, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    return load_bank(config, seed)


@st.cache_resource(show_spinner=False, max_entries=4)
def split_of(config: SimulationConfig):
    return time_split(bank(config))


@st.cache_resource(show_spinner=False, max_entries=8)
def model_for(config: SimulationConfig, name: str, params: tuple) -> FraudModel:
    """Train with a progress bar. Each update is a Streamlit call, where a rerun the visitor asked for (a
    changed setting) stops the script: a long fit is abandoned, nothing half-trained is cached. On a cache
    hit Streamlit replays the bar and its removal, so nothing shows."""
    if get_script_run_ctx(suppress_warning=True) is None:  # the start-up warm-up: nobody to show a bar to
        return train(split_of(config).train, name, seed=DEFAULT_SEED, **dict(params))
    if name not in STEPPED_MODELS:  # fitted in one go: a bar would sit at 0 % until the end
        note = st.empty()
        note.caption(f"Training the {MODELS[name]} in one go (no progress to report)…")
        fitted = train(split_of(config).train, name, seed=DEFAULT_SEED, **dict(params))
        note.empty()
        return fitted
    trees = dict(params).get("n_estimators")  # which fit this is, when a visitor changes it
    what = f"{MODELS[name]} ({trees} trees)" if trees else MODELS[name]
    bar = st.progress(0.0, text=f"Training the {what}…")

    def show(share: float) -> None:
        bar.progress(share, text=f"Training the {what}… {share:.0%} (change a setting to start over)")

    fitted = train(split_of(config).train, name, seed=DEFAULT_SEED, on_progress=show, **dict(params))
    bar.empty()
    return fitted


@st.cache_data(show_spinner=False, max_entries=8)
def test_scores(config: SimulationConfig, name: str, params: tuple) -> np.ndarray:
    return score(model_for(config, name, params), split_of(config).test)


@disk_cache("models.fraud")
def _arena_table(config: SimulationConfig) -> pd.DataFrame:
    return fe.model_arena(split_of(config), forest_trees=50)


@st.cache_data(show_spinner=False, max_entries=4)
def comparison(config: SimulationConfig) -> pd.DataFrame:
    return _arena_table(config)


def _curve_model(name: str) -> str:
    return name if name != "forest" else "boosting"  # a forest per window would take a minute


@disk_cache("models.fraud")
def _curve_table(config: SimulationConfig, name: str) -> pd.DataFrame:
    return fe.learning_curve(bank(config), name)


@st.cache_data(show_spinner=False, max_entries=4)
def curve(config: SimulationConfig, name: str) -> pd.DataFrame:
    return _curve_table(config, _curve_model(name))


def curve_ready(config: SimulationConfig, name: str) -> bool:
    return _curve_table.ready(config, _curve_model(name))


@st.cache_data(show_spinner=False, max_entries=8)
def test_metrics(config: SimulationConfig, name: str, params: tuple):
    """The test week's AUC, AP and card precision@100 only change with the model: reruns reuse them."""
    return evaluate_scores(split_of(config).test, test_scores(config, name, params))


@st.cache_data(show_spinner=False, max_entries=32)
def crafted_features(
    config: SimulationConfig, card: int, terminal: int, amount: float, when: pd.Timestamp
) -> pd.DataFrame:
    """A made-up payment's features (its card's and terminal's windows): reruns reuse them."""
    new = pd.DataFrame({"TX_DATETIME": [when], "CUSTOMER_ID": [card], "TERMINAL_ID": [terminal], "TX_AMOUNT": [amount]})
    return featurise_new(bank(config), new)


@st.cache_data(show_spinner=False, max_entries=32)
def crafted_verdict(
    config: SimulationConfig,
    name: str,
    params: tuple,
    card: int,
    terminal: int,
    amount: float,
    when: pd.Timestamp,
    _fitted: FraudModel,
) -> tuple[float, pd.Series]:
    """A made-up payment's score and what moved it (`_fitted` is `model_for(config, name, params)`):
    reruns that leave the payment alone, such as a moved threshold, reuse them."""
    row = crafted_features(config, card, terminal, amount, when)
    reference = split_of(config).train[list(_fitted.features)].median()
    return float(score(_fitted, row)[0]), feature_effects(_fitted, row, reference)


@st.cache_data(show_spinner=False, max_entries=8)
def test_pr_curve(config: SimulationConfig, name: str, params: tuple):
    return pr_curve(split_of(config).test["TX_FRAUD"].to_numpy(), test_scores(config, name, params))


@st.cache_data(show_spinner=False, max_entries=8)
def importances(config: SimulationConfig, name: str, params: tuple) -> pd.Series:
    """Permutation importance (scikit-learn's) on a fixed sample of test payments: the mean drop in average
    precision when each feature is shuffled."""
    from sklearn.inspection import permutation_importance
    from sklearn.metrics import average_precision_score

    fitted = model_for(config, name, params)
    test = split_of(config).test
    sample = test.sample(min(len(test), 8_000), random_state=0)
    features = sample[list(fitted.features)]
    result = permutation_importance(
        fitted.pipeline,  # scikit-learn checks it is an estimator; the scorer scores through `score` (isolation
        features,  # forest: anomaly score), as the page does
        sample["TX_FRAUD"].to_numpy(),
        scoring=lambda _pipeline, x, y: average_precision_score(y, score(fitted, x)),
        n_repeats=1,  # one shuffle per feature: the page waits for it; the ranking is stable at this size
        random_state=0,
    )
    names = [FEATURE_LABELS.get(f, f) for f in fitted.features]
    return pd.Series(result.importances_mean, index=names).sort_values(ascending=False)


def default_config() -> SimulationConfig:
    return SimulationConfig(
        n_customers=BANK["fraud_customers"],
        n_terminals=2 * BANK["fraud_customers"],
        n_days=BANK["fraud_days"],
        fraud_multiplier=BANK["fraud_rate"],
        scenarios=tuple(sorted(BANK["fraud_scenarios"])),
    ).validate()


def default_model() -> tuple[str, tuple]:
    """The sidebar's defaults, as `sidebar_settings` on the page returns them."""
    params = {
        "learning_rate": SETTINGS["fraud_lr"],
        "max_iter": SETTINGS["fraud_rounds"],
        "max_leaf_nodes": SETTINGS["fraud_leaves"],
        "class_weight": "balanced" if SETTINGS["fraud_weighting"] else None,
    }
    return SETTINGS["fraud_model"], tuple(sorted(params.items()))


def warm_steps() -> tuple[list[Step], list[Step]]:
    config = default_config()
    name, params = default_model()

    def first_view() -> None:
        fitted = model_for(config, name, params)
        test_metrics(config, name, params)
        test_pr_curve(config, name, params)
        test = split_of(config).test
        when = pd.Timestamp(pd.Timestamp(test["TX_DATETIME"].min()).date()) + pd.Timedelta(hours=CRAFT["hour"])
        crafted_verdict(config, name, params, CRAFT["card"], CRAFT["terminal"], CRAFT["amount"], when, fitted)

    def other_models() -> None:
        for other in MODELS:
            if other != name:
                test_pr_curve(config, other, ())

    return [
        Step("data", "simulating the bank and computing its features", lambda: split_of(config)),
        Step("model", f"training the {MODELS[name]}", lambda: model_for(config, name, params)),
        Step("scores", "scoring the test week", first_view),
        Step("importance", "measuring what the model relies on", lambda: importances(config, name, params)),
    ], [
        Step("curve", "drawing the learning curve", lambda: curve(config, name)),
        Step("arena", "racing the four models", lambda: comparison(config)),
        Step("compare", "training the other three models to compare them", other_models),
    ]
