"""The fraud model module: simulator, causal features, time-ordered validation, quality floors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from models.fraud import (
    SimulationConfig,
    add_features,
    evaluate_scores,
    expected_fraud_rate,
    score,
    simulate,
    time_split,
    train,
)
from models.fraud.features import BASELINE_FEATURES, FEATURE_SETS
from models.fraud.train import STEPPED_MODELS

SMALL = SimulationConfig(n_customers=300, n_terminals=600, n_days=60)


@pytest.fixture(scope="module")
def small() -> pd.DataFrame:
    return simulate(SMALL, seed=7)


@pytest.fixture(scope="module")
def featured(small) -> pd.DataFrame:
    return add_features(small)


def test_simulator_is_reproducible_and_seed_matters(small):
    again = simulate(SMALL, seed=7)
    pd.testing.assert_frame_equal(small, again)
    other = simulate(SMALL, seed=8)
    assert len(other) != len(small) or not other["TX_AMOUNT"].equals(small["TX_AMOUNT"])


def test_simulator_shape_and_order(small):
    assert small["TX_DATETIME"].is_monotonic_increasing
    assert small["TRANSACTION_ID"].is_unique
    assert small["TX_TIME_DAYS"].between(0, SMALL.n_days - 1).all()
    assert (small["TX_AMOUNT"] >= 0).all()
    assert set(small["TX_FRAUD_SCENARIO"].unique()) <= {0, 1, 2, 3}
    assert ((small["TX_FRAUD_SCENARIO"] > 0) == (small["TX_FRAUD"] == 1)).all()
    # scenario 1: every amount above the threshold that no later scenario relabelled is fraud
    big = small["TX_AMOUNT"] > SMALL.amount_threshold
    assert small.loc[big, "TX_FRAUD"].eq(1).all()


def test_fraud_rate_matches_the_promise():
    rates = [simulate(SMALL, seed=s)["TX_FRAUD"].mean() for s in range(6)]
    promised = expected_fraud_rate(SMALL)
    assert 0.004 < promised < 0.012  # the book's 0.84 %, kept at a small population by scaling
    assert abs(np.mean(rates) - promised) < 0.35 * promised
    none = simulate(SimulationConfig(n_customers=300, n_terminals=600, n_days=60, scenarios=()), seed=1)
    assert none["TX_FRAUD"].sum() == 0
    more = simulate(SimulationConfig(n_customers=300, n_terminals=600, n_days=60, fraud_multiplier=3), seed=1)
    assert more["TX_FRAUD"].mean() > 2 * np.mean(rates)


def test_features_have_no_look_ahead(small, featured):
    """Changing the future (amounts, labels, new payments) leaves every past feature as it was;
    flipping labels inside the 7-day delay leaves terminal features as they were."""
    cut = small["TX_TIME_SECONDS"].quantile(0.6)
    future = small["TX_TIME_SECONDS"] > cut
    changed = small.copy()
    changed.loc[future, "TX_AMOUNT"] = changed.loc[future, "TX_AMOUNT"] * 7 + 100
    changed.loc[future, "TX_FRAUD"] = 1 - changed.loc[future, "TX_FRAUD"]
    again = add_features(changed)
    columns = list(FEATURE_SETS["extended"])
    pd.testing.assert_frame_equal(featured.loc[~future, columns], again.loc[~future, columns])
    assert not featured.loc[future, columns].equals(again.loc[future, columns])  # the test can fail

    # Labels of the last 7 days before a payment are not known yet: flipping them changes nothing.
    day = 40
    recent = small["TX_TIME_DAYS"].between(day - 6, day - 1)
    flipped = small.copy()
    flipped.loc[recent, "TX_FRAUD"] = 1 - flipped.loc[recent, "TX_FRAUD"]
    terminal_cols = [c for c in columns if c.startswith("TERMINAL_ID")]
    on_day = small["TX_TIME_DAYS"] == day
    first_hour = on_day & (small["TX_DATETIME"].dt.hour < 1)
    redo = add_features(flipped)
    pd.testing.assert_frame_equal(featured.loc[first_hour, terminal_cols], redo.loc[first_hour, terminal_cols])


def test_features_match_a_direct_count(small, featured):
    row = featured.iloc[len(featured) // 2]
    same = small[(small["CUSTOMER_ID"] == row["CUSTOMER_ID"])]
    t = row["TX_TIME_SECONDS"]
    window = same[(same["TX_TIME_SECONDS"] > t - 7 * 86400) & (same["TX_TIME_SECONDS"] <= t)]
    assert row["CUSTOMER_ID_NB_TX_7DAY_WINDOW"] == len(window)
    assert row["CUSTOMER_ID_AVG_AMOUNT_7DAY_WINDOW"] == pytest.approx(window["TX_AMOUNT"].mean(), rel=1e-4)
    term = small[small["TERMINAL_ID"] == row["TERMINAL_ID"]]
    lag = term[(term["TX_TIME_SECONDS"] > t - 37 * 86400) & (term["TX_TIME_SECONDS"] <= t - 7 * 86400)]
    assert row["TERMINAL_ID_NB_TX_30DAY_WINDOW"] == len(lag)
    assert row["TERMINAL_ID_RISK_30DAY_WINDOW"] == pytest.approx(lag["TX_FRAUD"].mean() if len(lag) else 0.0)
    assert len(BASELINE_FEATURES) == 15


def test_time_split_is_ordered_with_a_delay(featured):
    split = time_split(featured)
    assert split.train["TX_DATETIME"].max() < split.test["TX_DATETIME"].min()
    gap = split.test["TX_TIME_DAYS"].min() - split.train["TX_TIME_DAYS"].max() - 1
    assert gap == split.delay_days == 7
    known = set(split.train.loc[split.train["TX_FRAUD"] == 1, "CUSTOMER_ID"])
    assert not known & set(split.test["CUSTOMER_ID"])  # blocked cards leave the test days


def test_models_beat_chance_on_a_mid_size_bank():
    data = add_features(simulate(SimulationConfig(n_customers=1500, n_terminals=3000, n_days=60), seed=3))
    split = time_split(data)
    for model, floor in (("boosting", 0.8), ("logistic", 0.8), ("isolation", 0.55)):
        fitted = train(split.train, model, seed=7)
        result = evaluate_scores(split.test, score(fitted, split.test))
        assert result.auc > floor, (model, result)
        assert result.average_precision > split.test["TX_FRAUD"].mean()


@pytest.mark.parametrize(
    ("model", "params"),
    [
        ("boosting", {"max_iter": 60}),
        ("forest", {"n_estimators": 20}),
        ("isolation", {"n_estimators": 20}),
        ("logistic", {}),
    ],
)
def test_fitting_in_steps_reports_progress_and_gives_the_same_model(featured, model, params):
    split = time_split(featured)
    shares: list[float] = []
    stepped = train(split.train, model, seed=7, on_progress=shares.append, **params)
    whole = train(split.train, model, seed=7, **params)
    np.testing.assert_allclose(score(stepped, split.test), score(whole, split.test), rtol=1e-6, atol=1e-9)
    assert shares == sorted(shares) and shares[-1] == 1.0
    assert len(shares) == (8 if model in STEPPED_MODELS else 1)


def test_a_fit_stops_when_progress_says_so(featured):
    """A page abandons a long training by raising from the progress callback (Streamlit's rerun does)."""

    class Abandoned(Exception):
        pass

    shares: list[float] = []

    def stop_after_two(share: float) -> None:
        shares.append(share)
        if len(shares) == 2:
            raise Abandoned

    with pytest.raises(Abandoned):
        train(time_split(featured).train, "forest", seed=7, on_progress=stop_after_two, n_estimators=40)
    assert shares == [5 / 40, 10 / 40]


def test_selection_reads_only_validation_weeks(featured, monkeypatch):
    """The handbook's prequential protocol: with the test weeks' labels scrambled, selection is unchanged."""
    from models.fraud import select

    start = 35  # test folds train from days 35 and 28; validation folds from 21 and 14
    kw = dict(n_folds=2, families=("logistic",))
    chosen = select.select_on_validation(featured, start, **kw)
    assert len(chosen.table) == 3 and chosen.model == "logistic"
    assert chosen.table["validation AP"].is_monotonic_decreasing
    test_days = featured["TX_TIME_DAYS"] >= start - 7 + 14  # the earliest test fold's test week onwards
    scrambled = featured.copy()
    labels = scrambled.loc[test_days, "TX_FRAUD"].to_numpy()
    scrambled.loc[test_days, "TX_FRAUD"] = np.random.default_rng(0).permutation(labels)
    again = select.select_on_validation(scrambled, start, **kw)
    assert again.params == chosen.params
    pd.testing.assert_frame_equal(again.table, chosen.table)
    report = select.prequential_test_report(featured, chosen, start, n_folds=2)
    assert list(report["train_start"]) == [35, 28] and report["auc"].between(0.5, 1).all()
