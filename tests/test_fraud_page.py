"""The fraud page in AppTest (a small bank through its URL parameters), plus scoring new payments,
the command line and the downloadable reproduction script."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from harness.server import ROOT, open_app
from models.common import InputError
from models.fraud import SimulationConfig, add_features, engineer, evaluate_scores, score, simulate, time_split, train
from models.fraud.explain import featurise_new, read_upload, reasons, score_upload
from models.fraud.features import FEATURE_SETS
from tests.conftest import assert_no_exception
from ui.engineer_view import VIEWS

SMALL_URL = {"fraud_customers": "500", "fraud_days": "60"}
MID = SimulationConfig(n_customers=1000, n_terminals=2000, n_days=60)


@pytest.fixture(scope="module")
def mid() -> pd.DataFrame:
    return add_features(simulate(MID, seed=5))


@pytest.fixture
def page():
    """A fresh app per test: a widget one test sets never leaks into the next, whatever the order."""
    at = open_app("pages/fraud.py", query=SMALL_URL)
    assert_no_exception(at)
    return at


def test_page_renders_the_small_bank_from_the_url(page):
    assert page.select_slider(key="fraud_customers").value == 500
    assert page.slider(key="fraud_days").value == 60
    labels = [m.label for m in page.metric]
    for label in ("Fraud rate", "Precision", "Recall", "ROC AUC", "Card precision@100", "Money saved"):
        assert label in labels
    assert any("Fraud detection in real time" in t.value for t in page.title)


def test_threshold_moves_precision_and_recall(page):
    def recall() -> str:
        return next(m.value for m in page.metric if m.label == "Recall")

    page.slider(key="fraud_threshold").set_value(0.05).run()
    low = recall()
    page.slider(key="fraud_threshold").set_value(0.95).run()
    assert_no_exception(page)
    assert int(low.rstrip("%")) > int(recall().rstrip("%"))


def test_crafted_payment_is_flagged_with_reasons(page):
    page.slider(key="fraud_threshold").set_value(0.5).run()
    page.number_input(key="fraud_craft_amount").set_value(2000.0).run()
    assert_no_exception(page)
    flagged = [w.value for w in page.warning if "Flagged" in w.value]
    assert flagged and "this card's 30-day mean" in flagged[0]
    page.number_input(key="fraud_craft_amount").set_value(1.0).run()
    assert any("Not flagged" in s.value for s in page.success)


def test_stream_steps_and_burst_are_counted(page):
    page.button(key="fraud_step").click().run()
    seen = next(m.value for m in page.metric if m.label == "Payments scored")
    assert int(seen.replace(",", "")) >= 5
    page.button(key="fraud_inject").click().run()
    page.button(key="fraud_step").click().run()
    assert_no_exception(page)
    saved = next(m.value for m in page.metric if m.label == "Money saved")
    assert saved != "€0"  # five payments at five times the usual amount: caught


def test_comparison_and_engineer_views(page):
    page.toggle(key="fraud_compare").set_value(True).run()
    assert_no_exception(page)
    for view in VIEWS:
        page.segmented_control(key="fraud_view").set_value(view).run()
        assert_no_exception(page)


def test_crafted_features_equal_the_batch_features(mid):
    """A payment scored live gets exactly the features the batch pipeline gave it."""
    columns = list(FEATURE_SETS["extended"])
    picks = mid[(mid["TX_TIME_DAYS"] == 45)].iloc[[3, 50, 400]]
    for _, row in picks.iterrows():
        history = mid.drop(index=row.name)
        new = pd.DataFrame([row[["TX_DATETIME", "CUSTOMER_ID", "TERMINAL_ID", "TX_AMOUNT"]]])
        live = featurise_new(history, new).iloc[0]
        np.testing.assert_allclose(live[columns].astype(float), row[columns].astype(float), rtol=1e-4, atol=1e-3)


def test_upload_reports_bad_rows_and_scores_good_ones(mid, tmp_path):
    csv = (
        "TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT\n"
        "2018-05-20 10:00:00,5,10,900\n"
        "not a date,3,4,5\n"
        "2018-05-21 09:00,abc,4,-3\n"
        "2018-05-22 09:00,2.5,4,30\n"
        "2018-05-22 09:30,7,99999,30\n"
        "2018-05-22 10:00,8,12,\n"
        "2018-05-23 11:00,9,13,25.5\n"
    )
    good, problems = read_upload(
        csv.encode(), MID.n_customers, MID.n_terminals, pd.Timestamp("2018-04-01"), pd.Timestamp("2018-08-01")
    )
    assert list(good["row"]) == [1, 7]
    assert {(p.row, p.column) for p in problems} >= {
        (2, "TX_DATETIME"),
        (3, "CUSTOMER_ID"),
        (3, "TX_AMOUNT"),
        (4, "CUSTOMER_ID"),
        (5, "TERMINAL_ID"),
        (6, "TX_AMOUNT"),
    }
    fitted = train(time_split(mid).train, "logistic")
    scored = score_upload(fitted, mid, good, threshold=0.5)
    assert len(scored) == 2 and scored["score"].between(0, 1).all()
    assert "30-day mean" in scored.iloc[0]["reasons"]
    with pytest.raises(InputError):
        read_upload(b"a,b\n1,2\n", 10, 10, pd.Timestamp("2018-04-01"), pd.Timestamp("2018-08-01"))
    with pytest.raises(InputError):
        read_upload(b"x" * 3_000_000, 10, 10, pd.Timestamp("2018-04-01"), pd.Timestamp("2018-08-01"))


def test_reasons_name_the_card_habit():
    row = pd.Series(
        {
            "TX_AMOUNT": 300.0,
            "AMOUNT_TO_CARD_MEAN_30": 6.2,
            "CUSTOMER_ID_AVG_AMOUNT_30DAY_WINDOW": 48.0,
            "TERMINAL_ID_NB_FRAUD_7DAY_WINDOW": 3.0,
            "TX_DURING_NIGHT": 0,
        }
    )
    found = reasons(row)
    assert found[0].startswith("amount 6x this card's 30-day mean")
    assert any("terminal had 3 confirmed frauds" in r for r in found)
    quiet = pd.Series({"TX_AMOUNT": 20.0, "AMOUNT_TO_CARD_MEAN_30": 1.0, "CUSTOMER_ID_AVG_AMOUNT_30DAY_WINDOW": 20.0})
    assert reasons(quiet) == []


def test_cli_bad_input_is_one_line_and_exit_2():
    run = subprocess.run(
        [sys.executable, "-m", "models.fraud", "evaluate", "--customers", "5"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and "n_customers" in run.stderr and "Traceback" not in run.stderr


def test_reproduction_script_prints_the_module_figures(tmp_path):
    script = engineer.reproduction_script(n_customers=500, n_days=60, model="logistic")
    path = tmp_path / "reproduce_fraud.py"
    path.write_text(script)
    run = subprocess.run(
        [sys.executable, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert run.returncode == 0, run.stderr
    config = SimulationConfig(n_customers=500, n_terminals=1000, n_days=60)
    split = time_split(add_features(simulate(config)))
    metrics = evaluate_scores(split.test, score(train(split.train, "logistic"), split.test))
    assert f"AUC {metrics.auc:.3f}" in run.stdout
    assert f"average precision {metrics.average_precision:.3f}" in run.stdout
