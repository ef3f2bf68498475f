"""The disease-risk page's sections: the patient form and its risk, data, evaluation, uploads, engineer's view."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from sklearn.tree import export_text

import models.risk as dr
from benchmarks import results
from models.exports import csv_text
from models.risk.families import C_GRID
from models.uploads import problems_frame
from ui import charts
from ui.charts import bar_contributions_figure
from ui.engineer_view import EngineerView, render_engineer_view
from ui.layout import Metric, capped_uploader, explanation, metric_cards
from ui.loaders.risk import (
    arena,
    breast_cancer_table,
    cv_figures,
    families_table,
    held_out,
    held_out_curves,
    imputation_table,
    learning,
    model,
    population_risks,
    selection,
    slices,
    test_frame,
    training_frame,
)
from ui.presenter import is_presenter, technical
from ui.settings import bound, reset_button
from ui.theme import NEGATIVE, POSITIVE, style_figure
from ui.wording import push_sentence

UPLOAD_LIMIT = 2 * 1000 * 1000  # 2 MB: about 40,000 patients, far more than a stand needs
measured = partial(results.shown, "risk")  # a figure from benchmarks/results/risk.json, or "not measured yet"
DATASETS = ("Pima diabetes", "Breast cancer")
CV_CHOICE = "CV choice"
SETTINGS = {  # widget key -> default; "Reset to defaults" restores these
    "risk_model": "logistic",
    "risk_training": "Pima.tr",
    "risk_imputer": "median",
    "risk_calibration": "none",
    "risk_C": CV_CHOICE,
    "risk_depth": 3,
    "risk_leaf": 10,
    "risk_trees": 200,
    "risk_forest_depth": 5,
    "risk_rounds": 100,
    "risk_lr": 0.05,
    "risk_boost_depth": 2,
    "risk_hidden": 8,
    "risk_alpha": 1.0,
}


# ---------------------------------------------------------------- small plotly builders
def roc_figure(roc: pd.DataFrame, report: dr.TestReport) -> go.Figure:
    return charts.roc_figure(
        {"model": (roc["false positive rate"], roc["true positive rate"])},
        point=(1 - report.specificity, report.sensitivity),
        x_title="False-alarm rate (1 − specificity)",
        y_title="Sensitivity (share caught)",
        height=340,
        presenter=is_presenter(),
    )


def pr_figure(pr: pd.DataFrame, base_rate: float) -> go.Figure:
    return charts.pr_figure(
        {"model": (pr["recall"], pr["precision"])},
        base_rate=base_rate,
        base_name="share with diabetes",
        x_title="Recall (share of cases flagged)",
        y_title="Precision (flags that are right)",
        height=340,
        presenter=is_presenter(),
    )


def calibration_figure(cal: pd.DataFrame) -> go.Figure:
    return charts.calibration_figure(
        {"model": (cal["predicted risk"], cal["observed rate"])},
        x_title="Predicted risk (%)",
        y_title="Observed share with diabetes (%)",
        height=340,
        presenter=is_presenter(),
    )


def what_if_figure(
    curve: pd.DataFrame, feature: str, now: float, then: float, risk_now: float, risk_then: float
) -> go.Figure:
    info = dr.FEATURE_INFO[feature]
    fig = go.Figure(
        go.Scatter(
            x=curve[feature], y=100 * curve["risk"], mode="lines", name="risk", line=dict(color=POSITIVE, width=3)
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[now],
            y=[100 * risk_now],
            mode="markers",
            name="this patient now",
            marker=dict(symbol="circle", size=14, color=POSITIVE),
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[then],
            y=[100 * risk_then],
            mode="markers",
            name="what if",
            marker=dict(symbol="diamond", size=14, color=NEGATIVE),
        )
    )
    fig.update_layout(
        xaxis_title=f"{info.label} ({info.unit})", yaxis_title="Risk of diabetes (%)", yaxis_range=[0, 100]
    )
    return style_figure(fig, height=320, presenter=is_presenter())


# ---------------------------------------------------------------- sections
def slider_range(name: str, value: float) -> dict:
    """min, max, step and value of one measurement's slider, all of one numeric type as Streamlit wants."""
    info = dr.FEATURE_INFO[name]
    cast = float if info.step < 1 else int
    return {
        "min_value": cast(info.slider_low),
        "max_value": cast(info.slider_high),
        "step": cast(info.step),
        "value": cast(round(value, 2)),
    }


def sidebar_settings() -> tuple[dr.Config, str]:
    """Model hyperparameters in the sidebar, bound to the URL; returns the configuration to train."""
    sb = st.sidebar
    sb.subheader("Model settings")
    family = sb.selectbox(
        "Model family", dr.FAMILIES, format_func=dr.FAMILY_LABELS.get, key="risk_model", bind="query-params"
    )
    training = sb.selectbox(
        "Training data",
        dr.TRAINING_SETS,
        key="risk_training",
        bind="query-params",
        help="Pima.tr: 200 complete records. Pima.tr2: 300 records, 100 with gaps to fill.",
    )
    imputer = sb.selectbox(
        "Fill missing values with",
        dr.IMPUTERS,
        key="risk_imputer",
        bind="query-params",
        help="median: the typical value; knn: the 5 most similar women; iterative: "
        "predicted from the other measurements.",
    )
    calibration = sb.selectbox(
        "Probability calibration",
        dr.CALIBRATIONS,
        key="risk_calibration",
        bind="query-params",
        help="Re-maps scores so that '30 %' means 30 in 100.",
    )
    with st.spinner("Choosing the model by cross-validation on the training patients only…"):
        chosen = selection(training).config
    params: dict[str, float] = {}
    if family == "logistic":
        c = bound(
            sb.select_slider, "Regularisation C (smaller = simpler)", "risk_C", SETTINGS, options=[CV_CHOICE, *C_GRID]
        )
        config = chosen if c == CV_CHOICE else replace(chosen, params=(("C", float(c)),))
    else:
        if family == "tree":
            params = {
                "max_depth": bound(sb.slider, "Depth (questions per path)", "risk_depth", SETTINGS, 1, 5),
                "min_samples_leaf": bound(sb.slider, "Fewest women per leaf", "risk_leaf", SETTINGS, 1, 50),
            }
        elif family == "forest":
            params = {
                "n_estimators": bound(sb.slider, "Trees", "risk_trees", SETTINGS, 10, 400, step=10),
                "max_depth": bound(sb.slider, "Tree depth", "risk_forest_depth", SETTINGS, 1, 8),
            }
        elif family == "boosting":
            params = {
                "n_estimators": bound(sb.slider, "Boosting rounds", "risk_rounds", SETTINGS, 10, 400, step=10),
                "learning_rate": bound(
                    sb.select_slider,
                    "Learning rate",
                    "risk_lr",
                    SETTINGS,
                    options=[0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0],
                ),
                "max_depth": bound(sb.slider, "Tree depth", "risk_boost_depth", SETTINGS, 1, 5),
            }
        else:
            params = {
                "hidden": bound(sb.slider, "Hidden neurons", "risk_hidden", SETTINGS, 2, 64),
                "alpha": bound(
                    sb.select_slider,
                    "Weight penalty alpha",
                    "risk_alpha",
                    SETTINGS,
                    options=[0.0001, 0.001, 0.01, 0.1, 1.0, 10.0, 100.0],
                ),
            }
        config = replace(dr.default_config(family, **params), imputer=imputer, threshold=0.5)
    config = replace(config, calibration=calibration, imputer=imputer)
    reset_button(SETTINGS, key="risk_reset")
    sb.caption(
        "Defaults: logistic regression with features, C, calibration and alert threshold chosen by "
        "cross-validation on the training patients only."
    )
    return config, training


def threshold_slider(config: dr.Config) -> float:
    """The alert threshold (0-1): starts at the cross-validated choice; the visitor may move it."""
    percent = st.slider(
        "Alert threshold: flag a risk of at least (%)",
        5,
        95,
        value=int(round(100 * config.threshold)),
        step=5,
        key="risk_threshold",
        bind="query-params",
        help="Starts at the threshold chosen by cross-validation on the training women.",
    )
    return percent / 100


@dataclass(frozen=True)
class Patient:
    """What the first screen computed for the patient on the form; the what-if tab starts from it."""

    values: dict[str, float]
    fitted: Any
    risk: float
    threshold: float
    unit: str  # of the first screen's bars: "log-odds" (exact) or risk points (approximate)


def measurement_rows(names: tuple[str, ...], config: dr.Config, values: dict[str, float]) -> Any:
    """Sliders two to a row (a phone stacks them in this order); fills `values`; returns the last row's free
    column, if any, for one more widget."""
    for start in range(0, len(names), 2):
        columns = st.columns(2)
        for column, name in zip(columns, names[start : start + 2], strict=False):
            info = dr.FEATURE_INFO[name]
            with column:
                values[name] = st.slider(
                    f"{info.label} ({info.unit})",
                    key=f"risk_{name}",
                    bind="query-params",
                    **slider_range(name, info.typical),
                )
                if name in config.features:
                    st.caption(f"Usual: {info.normal}")
                else:  # the visitor may move it, and should know why nothing happens
                    st.caption(f"Not used by this model (no effect). Usual: {info.normal}")
    return columns[1] if len(names) % 2 else st.container()


def patient_section(config: dr.Config, training: str) -> Patient:
    """The first screen: the form (left), the risk and why (right; phones show it under the form)."""
    form, result = st.columns([11, 9], gap="medium")
    values = {}
    with form:
        measurement_rows(("glu", "bmi", "age", "ped"), config, values)  # the most telling four, on the first screen
        with st.expander("More: pregnancies, blood pressure, skin fold and the alert threshold"):
            last = measurement_rows(("npreg", "bp", "skin"), config, values)
            with last:
                threshold = threshold_slider(config)
    fitted = model(config, training)
    risk = dr.predict_risk(fitted, values)
    pct = dr.population_percentile(risk, population_risks(config, training))
    flagged = risk >= threshold
    why = dr.explain_patient(fitted, values, training_frame(training))
    with result:
        metric_cards(
            [
                Metric(
                    "Risk of diabetes within 5 years",
                    f"{100 * risk:.0f} %",
                    help="Calibrated probability of diabetes within 5 years: of 100 women like this, about this "
                    "many developed it.",
                ),
                Metric(
                    "Alert at the chosen threshold",
                    "flagged" if flagged else "not flagged",
                    help=f"Flagged when the risk is at least {100 * threshold:.0f} % (the threshold slider).",
                ),
            ],
            one_row_on_phones="risk_patient",
        )
        st.caption(
            f"Higher than the risk of {pct:.0f} % of the training women. Move the sliders: the risk updates at once."
        )
        labels = {n: dr.FEATURE_INFO[n].label for n in why.contributions.index}
        st.plotly_chart(
            bar_contributions_figure(
                why.contributions.rename(labels),
                x_title=f"Push on the risk ({why.unit})",
                presenter=is_presenter(),
                height=250,
            ),
            key="risk_why_chart",
        )
        st.caption(f"{push_sentence(why.contributions, lambda n: dr.FEATURE_INFO[n].label)} Method: {why.method}.")
    form.warning(
        "A teaching demo on a 1990s research data set (Pima women near Phoenix, Arizona, aged 21+). "
        "Not medical advice: ask a doctor about your own risk.",
        icon=":material/medical_information:",
    )
    return Patient(values, fitted, risk, threshold, why.unit)


def what_if_section(patient: Patient) -> None:
    """Change one measurement of the first screen's patient and see the risk move; why the risk is what it is."""
    values, fitted, risk = patient.values, patient.fitted, patient.risk
    left, right = st.columns(2)
    with left:
        feature = st.selectbox(
            "What if I change…",
            dr.FEATURES,
            index=dr.FEATURES.index("bmi"),
            format_func=lambda n: dr.FEATURE_INFO[n].label,
            key="risk_whatif_feature",
        )
        info = dr.FEATURE_INFO[feature]
        change = {"bmi": 5, "age": 5, "glu": 20, "npreg": 1, "ped": 0.2}.get(feature, 10)
        key = "_".join(f"{values[n]:g}" for n in dr.FEATURES)  # a new patient starts a new what-if
        new = st.slider(
            f"New {info.label.lower()} ({info.unit})",
            key=f"risk_whatif_{feature}_{key}",
            **slider_range(feature, max(info.slider_low, values[feature] - change)),
        )
        new_risk = dr.predict_risk(fitted, {**values, feature: new})
        st.metric(
            "Risk after the change",
            f"{100 * new_risk:.0f} %",
            delta=f"{100 * (new_risk - risk):+.1f} points",
            delta_color="inverse",
        )
        explanation(
            "Why this risk?",
            (
                "The model learned from women whose diabetes status five years later is known. "
                + (
                    "For logistic regression each measurement adds an exact amount to the log-odds; the bars on "
                    "the first screen add up to this patient's risk."
                    if patient.unit == "log-odds"
                    else "For this model each bar shows how much the risk would change if that measurement were "
                    "typical (the training median); the bars are approximate and need not add up."
                )
                + " Glucose after a sugar drink matters most, then BMI, age and family history."
            ),
        )
    with right:
        curve = dr.risk_curve(fitted, values, feature)
        st.plotly_chart(what_if_figure(curve, feature, values[feature], new, risk, new_risk), key="risk_whatif_chart")
        st.caption(
            f"This patient's risk as {info.label.lower()} changes and everything else stays the same: "
            f"from {100 * curve['risk'].min():.0f} % to {100 * curve['risk'].max():.0f} % across the range."
        )


def data_section(training: str, config: dr.Config) -> None:
    st.subheader(":material/cleaning_services: The data and its cleaning")
    frame = training_frame(training)
    st.markdown(
        f"Training on **{training}**: {len(frame)} women, {int(frame['diabetes'].sum())} of whom developed "
        "diabetes within five years. Held out for the final report: **Pima.te**, 332 women."
    )
    report = dr.cleaning_report(training_frame("Pima.tr2"))
    st.markdown("**Pima.tr2 has gaps.** No row is dropped: the model's first step fills each gap.")
    st.dataframe(report, hide_index=True, width="stretch")
    st.caption(
        f"{int(report['missing'].sum())} missing values in Pima.tr2, mostly skin fold "
        f"({int(report.loc[report['feature'] == 'skin', 'missing'].iloc[0])} of 300); "
        "MASS already removed the zeros that stood for 'not measured' in the original records."
    )
    with technical("Effect of the imputer on the results"), st.spinner("Training once per imputer…"):
        effect = imputation_table(dr.Config(threshold=config.threshold if config.family == "logistic" else 0.5))
        st.markdown("**Effect of the imputer on the results**")
        st.dataframe(effect.round(3), hide_index=True, width="stretch")
        st.caption(
            "Logistic regression trained on Pima.tr2 with all seven measurements, once per imputer. "
            f"Test AUC ranges {effect['test AUC'].min():.3f} to {effect['test AUC'].max():.3f}: "
            "here the choice of imputer changes little."
        )


def evaluation_section(config: dr.Config, training: str, threshold: float) -> None:
    st.subheader(":material/fact_check: How good is it? Held-out test on 332 women")
    report = held_out(config, training, threshold)
    metric_cards(
        [
            Metric(
                "Errors",
                f"{report.errors} of {report.n}",
                help=f"95% bootstrap interval {report.errors_lo:.0f} to {report.errors_hi:.0f}. "
                "Ripley (1996), logistic regression: 66.",
            ),
            Metric("AUC", f"{report.auc:.3f}", help=f"95% interval {report.auc_lo:.3f} to {report.auc_hi:.3f}"),
            Metric("Sensitivity", f"{100 * report.sensitivity:.0f} %", help="Share of women with diabetes flagged"),
            Metric("Specificity", f"{100 * report.specificity:.0f} %", help="Share of the others left alone"),
            Metric(
                "Brier score", f"{report.brier:.3f}", help="Mean squared gap between risk and outcome; lower is better"
            ),
            Metric("Accuracy", f"{100 * report.accuracy:.1f} %"),
        ]
    )
    st.caption(
        f"Errors 95% interval {report.errors_lo:.0f}–{report.errors_hi:.0f}, AUC {report.auc_lo:.3f}–"
        f"{report.auc_hi:.3f}: with 332 women a handful of patients moves the count."
    )
    parts = held_out_curves(config, training)
    a, b, c = st.columns(3)
    a.plotly_chart(roc_figure(parts["roc"], report), key="risk_roc")
    a.caption(f"ROC curve, AUC {report.auc:.3f}; the diamond is your threshold.")
    base_rate = float(test_frame()["diabetes"].mean())
    b.plotly_chart(pr_figure(parts["pr"], base_rate), key="risk_pr")
    b.caption(f"Precision-recall: {100 * base_rate:.0f} % of test women had diabetes (dashed line = guessing).")
    c.plotly_chart(calibration_figure(parts["calibration"]), key="risk_calibration_chart")
    c.caption(f"Calibration: points on the dashed line mean the risk % is honest. Brier {report.brier:.3f}.")
    with technical("Confusion matrix and cross-validated figures"):
        left, right = st.columns(2)
        left.markdown("**Confusion matrix at your threshold**")
        left.dataframe(
            pd.DataFrame(
                {
                    "": ["developed diabetes", "did not"],
                    "flagged": [report.tp, report.fp],
                    "not flagged": [report.fn, report.tn],
                }
            ),
            hide_index=True,
        )
        cv = cv_figures(config, training)
        right.markdown("**Cross-validated on the training data (mean ± spread over 10 folds)**")
        right.dataframe(
            pd.DataFrame(
                {
                    "metric": ["AUC", "accuracy", "Brier"],
                    "mean": [cv["cv auc"], cv["cv accuracy"], cv["cv brier"]],
                    "± sd": [cv["cv auc sd"], cv["cv accuracy sd"], cv["cv brier sd"]],
                }
            ).round(3),
            hide_index=True,
        )
    with technical("How the default model was chosen (training data only)"):
        chosen = selection(training)
        st.markdown("**How the default model was chosen** (training women only)")
        left, right = st.columns([3, 2])
        left.dataframe(chosen.table.round(4), hide_index=True, width="stretch", height=250)
        left.caption(
            "Each row: log loss over 4 x 5 repeated folds of the training women (lower is better), searched by "
            "GridSearchCV. The best row without calibration became the default unless calibration beat it by more "
            "than one standard error ('chosen'); Pima.te was never consulted."
        )
        right.dataframe(chosen.threshold_table, hide_index=True, width="stretch", height=250)
        right.caption(
            "Mean out-of-fold errors per alert threshold over 10 x 5 repeated folds, scaled to the training "
            f"women: {100 * chosen.config.threshold:.0f} % had the fewest."
        )
    with st.spinner("Training every model family on the same patients…"):
        table = families_table(config, training)
    st.markdown("**Every family, side by side** (same training data, same test women)")
    st.dataframe(table.drop(columns=["family"]).round(3), hide_index=True, width="stretch")
    st.caption(
        "'AUC vs default' is a paired bootstrap interval: if it spans 0, the test set cannot tell that "
        "model from the one on this page."
    )
    if config.family == "tree" and config.calibration != "none":
        st.caption("The tree is drawn when calibration is 'none' (calibration trains several trees).")
    elif config.family == "tree":
        st.markdown("**The decision tree, as questions**")
        st.code(
            export_text(
                model(config, training).named_steps["model"],
                feature_names=list(config.features),
                decimals=1,
                show_weights=True,
            ),
            language="text",
        )
        st.caption(
            "Read top to bottom: each line is a yes/no question on a measurement in clinical units; "
            "'weights' count women without / with diabetes in that leaf."
        )


def batch_section(config: dr.Config, training: str) -> None:
    st.subheader(":material/upload_file: Score a file of patients")
    example = csv_text(test_frame().drop(columns="diabetes").head(5))
    st.download_button(
        "Download an example CSV", example, "patients.csv", "text/csv", key="risk_example", icon=":material/download:"
    )
    upload = capped_uploader(
        "CSV with columns " + ", ".join(config.features) + " (2 MB at most)",
        UPLOAD_LIMIT,
        type=["csv"],
        key="risk_upload",
    )
    if upload is None:
        return
    scored, problems = dr.score_batch(model(config, training), upload, max_bytes=UPLOAD_LIMIT)
    good = int((scored["status"] == "scored").sum())
    (st.success if good else st.warning)(f"{good} of {len(scored)} rows scored.")
    st.dataframe(scored.head(200).round(2), hide_index=True, width="stretch")
    if len(scored) > 200:
        st.caption(f"First 200 of {len(scored)} rows shown; the download has them all.")
    if problems:
        st.markdown(f"**{len(problems)} problems** (rows counted from 1, as in a spreadsheet):")
        st.dataframe(problems_frame(problems).head(200), hide_index=True, width="stretch")
    st.download_button("Download risks", csv_text(scored), "risks.csv", "text/csv", key="risk_scored")


def breast_cancer_section() -> None:
    st.subheader(":material/biotech: Wisconsin breast-cancer diagnosis")
    st.markdown(
        "569 tumour biopsies, 30 measurements of cell nuclei each; the task is malignant or benign. "
        "Published results are usually about **97 % accuracy**."
    )
    with st.spinner("Cross-validating every family on 569 biopsies (5 folds)…"):
        table = breast_cancer_table()
    st.dataframe(table.round(3), hide_index=True, width="stretch")
    best = table.loc[table["CV accuracy"].idxmax()]
    st.caption(
        f"Best here: {best['model']} at {100 * best['CV accuracy']:.1f} % 5-fold accuracy "
        f"(AUC {best['CV AUC']:.3f}), beside the published ~97 %."
    )


def slices_caption(table: pd.DataFrame) -> str:
    """One honest sentence about the age bands, from the numbers themselves."""
    judged = table[~table["too_few"].astype(bool)]
    text = "Share of women with diabetes that the model flags, by age band, on Pima.te. "
    if len(judged) >= 2:
        worst, best = judged.loc[judged["sensitivity"].idxmin()], judged.loc[judged["sensitivity"].idxmax()]
        text += (
            f"It catches {100 * best['sensitivity']:.0f} % of cases in {best['slice']} but only "
            f"{100 * worst['sensitivity']:.0f} % in {worst['slice']}. "
        )
    thin = table.loc[table["too_few"].astype(bool), "slice"].tolist()
    if thin:
        text += f"Too few cases to judge: {', '.join(thin)}. "
    return text + "Bands have 25 to 200 women, so differences of 10 points may be chance."


def engineer_view(config: dr.Config, training: str, threshold: float) -> None:
    render_engineer_view(
        EngineerView(
            key="risk",
            learning_curve=lambda: learning(config, training),
            learning_curve_x="Training patients",
            learning_curve_caption="AUC (left axis) and error rate (right axis) by 5-fold cross-validation on the "
            "training data as the model sees more women; the band spans the 10th-90th percentile of folds.",
            arena=lambda: arena(config, training),
            arena_quality="AUC on Pima.te",
            default_reason="Logistic regression ranks as well as any family here, trains in milliseconds, gives "
            "honest probabilities, and its explanations are exact.",
            formulas=dr.FORMULAS,
            train_function=dr.train,
            extra_code=(dr.build_pipeline, dr.select_config),
            script=lambda: dr.reproduction_script(config, training, threshold),
            script_name="reproduce_disease_risk.py",
            slices=lambda: slices(config, training, threshold),
            slices_metric="sensitivity",
            slices_caption=slices_caption(slices(config, training, threshold)),
        )
    )


def selection_seed_figures() -> dict[str, str]:
    """The 20-seed selection figures from `benchmarks/bench_risk_seeds.py`'s results file (none if absent)."""
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "results" / "risk_seeds.json"
    try:
        s = json.loads(path.read_text())["summary"]
        errors = f"median {s['errors_median']:g}, range {s['errors_min']}-{s['errors_max']} of 332"
        auc = f"median {s['auc_median']:.3f}, range {s['auc_min']:.3f}-{s['auc_max']:.3f}"
        verdicts = ("met" if s["errors_target_met"] else "missed", "met" if s["auc_target_met"] else "missed")
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return {
        f"Pima.te errors, selection rerun with {s['seeds']} seeds": f"{errors} (target <= 66: {verdicts[0]})",
        f"Pima.te AUC, selection rerun with {s['seeds']} seeds": f"{auc} (target >= 0.865: {verdicts[1]})",
    }
