"""Cached work behind the disease-risk page, keyed by plain parameters (see `ui/loaders/__init__.py`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pandas as pd
import streamlit as st

import models.risk as dr
from models.disk_cache import disk_cache
from ui.warmup import Step

DEFAULT_TRAINING = "Pima.tr"


def _kept(name: str, config: dr.Config, training: str, *, on_disk: bool) -> pd.DataFrame:
    """A table at the default settings survives a restart (the disk cache); other settings stay in memory
    only, so visitors' experiments never grow the disk."""
    return _default_table(name, config, training) if on_disk else TABLES[name](config, training)


@disk_cache("models.risk", "ui.loaders.risk")
def _default_table(name: str, config: dr.Config, training: str) -> pd.DataFrame:
    return TABLES[name](config, training)


def _is_default(config: dr.Config, training: str) -> bool:
    return training == DEFAULT_TRAINING and config == default_config(training)[0]


# Bounded: a day of visitors trying settings must not grow the server without limit.
@st.cache_data(show_spinner=False, max_entries=4)
def training_frame(name: str) -> pd.DataFrame:
    return dr.load_training(name)


@st.cache_data(show_spinner=False)
def test_frame() -> pd.DataFrame:
    return dr.load_test()


@st.cache_resource(show_spinner=False, max_entries=4)
def selection(training: str) -> dr.Selection:
    """Chosen once per training set with median imputation (kept on disk: the slowest step of a restart);
    the visitor's imputer is applied on top."""
    return dr.selected(training)


@st.cache_resource(show_spinner=False, max_entries=16)
def model(config: dr.Config, training: str):
    return dr.train(training_frame(training), config)


@st.cache_data(show_spinner=False, max_entries=16)
def population_risks(config: dr.Config, training: str) -> np.ndarray:
    return dr.predict_proba(model(config, training), training_frame(training))


@st.cache_data(show_spinner=False, max_entries=64)
def held_out(config: dr.Config, training: str, threshold: float) -> dr.TestReport:
    return dr.evaluate(model(config, training), test_frame(), threshold)


@st.cache_data(show_spinner=False, max_entries=16)
def held_out_curves(config: dr.Config, training: str) -> dict[str, pd.DataFrame]:
    return dr.curves(model(config, training), test_frame())


@st.cache_data(show_spinner=False, max_entries=16)
def cv_figures(config: dr.Config, training: str) -> dict[str, float]:
    return dr.cv_metrics(training_frame(training), config)


@st.cache_data(show_spinner=False, max_entries=8)
def families_table(config: dr.Config, training: str) -> pd.DataFrame:
    return _kept("families", config, training, on_disk=_is_default(config, training))


@st.cache_data(show_spinner=False, max_entries=8)
def imputation_table(config: dr.Config) -> pd.DataFrame:
    return _kept("imputers", config, "Pima.tr2", on_disk=config == dr.Config(threshold=default_config()[0].threshold))


@st.cache_data(show_spinner=False, max_entries=8)
def learning(config: dr.Config, training: str) -> pd.DataFrame:
    return _kept("curve", config, training, on_disk=_is_default(config, training))


@st.cache_data(show_spinner=False, max_entries=8)
def arena(config: dr.Config, training: str) -> pd.DataFrame:
    return _kept("arena", config, training, on_disk=_is_default(config, training))


@st.cache_data(show_spinner=False, max_entries=32)
def slices(config: dr.Config, training: str, threshold: float) -> pd.DataFrame:
    return dr.slice_report(model(config, training), test_frame(), threshold)


@st.cache_data(show_spinner=False)
def breast_cancer_table() -> pd.DataFrame:
    return _kept("breast_cancer", dr.Config(), "breast-cancer", on_disk=True)


def _families(config: dr.Config, training: str) -> pd.DataFrame:
    configs = {f: (config if f == config.family else dr.default_config(f)) for f in dr.FAMILIES}
    configs["logistic"] = (
        config if config.family == "logistic" else replace(selection(training).config, imputer=config.imputer)
    )
    frame = training_frame(training)
    return dr.compare_families(frame, test_frame(), configs, default=config.family, with_cv=False)


def _arena(config: dr.Config, training: str) -> pd.DataFrame:
    configs = {f: (config if f == config.family else dr.default_config(f)) for f in dr.FAMILIES}
    return dr.model_arena(training_frame(training), test_frame(), configs, default=config.family)


TABLES: dict[str, Callable[[dr.Config, str], pd.DataFrame]] = {
    "families": _families,
    "imputers": lambda config, training: dr.imputation_effect(training_frame(training), test_frame(), config),
    "curve": lambda config, training: dr.learning_curve(training_frame(training), config),
    "arena": _arena,
    "breast_cancer": lambda config, training: dr.breast_cancer_report(dr.load_breast_cancer_frame(), folds=5),
}
"""How each engineer's-view table is computed from (configuration, training set)."""


def default_config(training: str = DEFAULT_TRAINING) -> tuple[dr.Config, float]:
    """The page's defaults: the cross-validated choice with median imputation, no calibration, and its
    alert threshold rounded to the slider's whole percent."""
    config = replace(selection(training).config, calibration="none", imputer="median")
    return config, int(round(100 * config.threshold)) / 100


def warm_steps() -> tuple[list[Step], list[Step]]:
    training = DEFAULT_TRAINING

    def run(fn, *args, with_threshold: bool = False):
        def step():
            config, threshold = default_config(training)
            return fn(config, *args, threshold) if with_threshold else fn(config, *args)

        return step

    return [
        Step("data", "reading the Pima records", lambda: (training_frame(training), test_frame())),
        Step("selection", "choosing the model by cross-validation", lambda: selection(training)),
        Step("model", "training the default model", run(model, training)),
        Step(
            "evaluation",
            "scoring the held-out women",
            lambda: [
                run(population_risks, training)(),
                run(held_out, training, with_threshold=True)(),
                run(held_out_curves, training)(),
                run(cv_figures, training)(),
                run(slices, training, with_threshold=True)(),
            ],
        ),
        Step("families", "training every model family", run(families_table, training)),
        Step(
            "imputers",
            "training once per imputer",
            lambda: imputation_table(dr.Config(threshold=default_config(training)[0].threshold)),
        ),
        # the engineer's view opens on its learning curve, so a first visit draws it
        Step("curve", "drawing the learning curve", run(learning, training)),
    ], [
        Step("arena", "racing the model families", run(arena, training)),
        Step("compare", "cross-validating on the breast-cancer data", breast_cancer_table),
    ]
