"""AppTest of the disease-risk page: the form, what-if, scenarios from the URL, families, uploads, views."""

from __future__ import annotations

import pytest

from harness.server import open_app
from tests.conftest import assert_no_exception, fresh_app, metric
from ui.engineer_view import VIEWS

PAGE = "pages/risk.py"


def risk(at) -> int:
    return int(metric(at, "Risk of diabetes within 5 years").split()[0])


@pytest.fixture
def at():
    return fresh_app(PAGE)


def test_page_renders_with_note_and_held_out_figures(at):
    assert at.title[0].value == "Disease-risk prediction"
    assert any("not medical advice" in w.value.lower() for w in at.warning)
    assert metric(at, "Errors").endswith("of 332")
    # The default is chosen by repeated CV on Pima.tr only: 68 errors for every one of 20 selection seeds
    # (benchmarks/results/risk_seeds.md); Ripley's 66 is not reached, and README says so.
    assert int(metric(at, "Errors").split()[0]) <= 68
    assert float(metric(at, "AUC")) >= 0.865
    assert any("Every family" in m.value for m in at.markdown)


def test_changing_the_form_moves_the_risk_and_what_if(at):
    before = risk(at)
    at.slider(key="risk_glu").set_value(190).run()
    at.slider(key="risk_bmi").set_value(45.0).run()
    assert_no_exception(at)
    assert risk(at) > before + 20
    assert metric(at, "Alert at the chosen threshold") == "flagged"
    at.selectbox(key="risk_whatif_feature").set_value("glu").run()
    next(s for s in at.slider if (s.key or "").startswith("risk_whatif_glu_")).set_value(100).run()  # per patient
    after = int(metric(at, "Risk after the change").split()[0])
    assert after < risk(at)


@pytest.mark.parametrize("view", VIEWS)
def test_each_engineer_view_renders(at, view):
    at.segmented_control(key="risk_view").set_value(view).run()
    assert_no_exception(at)
    if view == "The code":
        assert any("def train" in c.value for c in at.code)
    if view == "Who it serves worse":
        assert any("age 50+" in str(df.value.to_dict()) for df in at.dataframe)


def test_scenario_url_restores_patient_and_model():
    query = {"risk_glu": "180", "risk_model": "Decision tree", "risk_depth": "2", "risk_threshold": "40"}
    app = open_app(PAGE, query=query)
    assert_no_exception(app)
    assert app.slider(key="risk_glu").value == 180
    assert app.selectbox(key="risk_model").value == "tree"
    assert any("|--- glu" in c.value for c in app.code)  # the tree drawn as questions
    assert app.slider(key="risk_threshold").value == 40


def test_invalid_url_value_falls_back_with_notice():
    app = open_app(PAGE, query={"risk_model": "svm", "risk_glu": "9999"})
    assert_no_exception(app)
    assert app.selectbox(key="risk_model").value == "logistic"
    assert any("can't use" in w.value for w in app.warning)


def test_upload_scores_good_rows_and_reports_bad_ones(at):
    csv = b"npreg,glu,bp,skin,bmi,ped,age\n1,100,70,20,25,0.3,30\nx,100,70,20,500,0.3,-4\n2,160,72,30,35,0.5,45\n"
    at.file_uploader(key="risk_upload").upload("patients.csv", csv, "text/csv").run()
    assert_no_exception(at)
    assert any("2 of 3 rows scored" in s.value for s in at.success)
    problems = [df.value for df in at.dataframe if "problem" in df.value.columns]
    assert problems and set(problems[0]["column"]) == {"npreg", "bmi", "age"}


def test_upload_too_large_or_wrong_is_a_clear_message(at):
    at.file_uploader(key="risk_upload").upload("big.csv", b"glu\n" + b"1\n" * 1_500_000, "text/csv").run()
    assert_no_exception(at)
    assert any("limit" in w.value for w in at.warning)
    at.file_uploader(key="risk_upload").upload("cols.csv", b"glu\n120\n", "text/csv").run()
    assert any("missing columns" in w.value for w in at.warning)


def test_every_family_and_reset(at):
    for family in ("forest", "tree"):
        at.selectbox(key="risk_model").set_value(family).run()
        assert_no_exception(at)
    at.selectbox(key="risk_calibration").set_value("isotonic").run()
    assert_no_exception(at)
    assert any("tree is drawn when" in c.value for c in at.caption)
    at.button(key="risk_reset").click().run()
    assert at.selectbox(key="risk_model").value == "logistic"
    assert at.selectbox(key="risk_calibration").value == "none"


def test_pima_tr2_and_imputers():
    app = open_app(PAGE, query={"risk_training": "Pima.tr2", "risk_imputer": "knn"})
    assert_no_exception(app)
    assert any("300 women" in m.value for m in app.markdown)


def test_breast_cancer_data_set():
    app = open_app(PAGE, query={"risk_data": "Breast cancer"})
    assert_no_exception(app)
    assert any("97 %" in c.value for c in app.caption)


def test_beginner_view_renders():
    app = open_app(PAGE, query={"presenter": "1"})
    assert_no_exception(app)
    assert any("Talking points" in i.value for i in app.info)
