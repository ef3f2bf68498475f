"""The fraud page's sections: the bank, the live stream, the threshold, crafting a payment, evaluation, uploads."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from benchmarks import results
from models.common import DEFAULT_SEED, ModelCardInfo
from models.exports import csv_text
from models.fraud import engineer as fe
from models.fraud.data import history_for, simulated_period
from models.fraud.evaluate import (
    REVIEW_COST,
    confusion_at,
    cost_minimising_threshold,
    threshold_table,
)
from models.fraud.explain import (
    UPLOAD_COLUMNS,
    crafted_note,
    featurise_new,
    read_upload,
    reasons,
    score_upload,
)
from models.fraud.features import FEATURE_LABELS, FEATURE_SETS
from models.fraud.simulator import SCENARIO_NAMES, SimulationConfig, expected_fraud_rate
from models.fraud.stream import DISPLAY_COLUMNS, Stream, advance, inject_burst, new_stream
from models.fraud.train import MODELS, FraudModel, train
from models.uploads import problems_frame
from ui import charts
from ui.charts import bar_contributions_figure
from ui.engineer_view import EngineerView, render_engineer_view
from ui.layout import Metric, capped_uploader, guard, metric_cards, model_card
from ui.loaders.fraud import (
    BANK,
    CRAFT,
    SETTINGS,
    bank,
    comparison,
    crafted_features,
    crafted_verdict,
    curve,
    curve_ready,
    importances,
    split_of,
    test_metrics,
    test_pr_curve,
    test_scores,
)
from ui.presenter import is_presenter, technical
from ui.settings import reset_button
from ui.theme import NEGATIVE, NEUTRAL, POSITIVE, style_figure
from ui.tour import counted
from ui.wording import arena_sentence


def default_reason() -> str:
    """Why boosting is the default, with the comparison word read off the benchmark's seed spreads."""
    boost, forest = results.get("fraud", "boosting.ap"), results.get("fraud", "forest.ap")
    if boost is None or forest is None:
        return f"Gradient boosting scores a payment fast enough for a live stream (benchmark: {results.NOT_MEASURED})."
    ours, theirs = results.text(boost, spread=False), results.text(forest, spread=False)
    return (
        f"Over the benchmark's simulator seeds, gradient boosting's average precision {results.verdict(boost, forest)} "
        f"the random forest's ({ours} vs {theirs}); it is the default because it scores a payment in "
        f"{results.shown('fraud', 'speed.one_payment_ms', 1)}, which a live stream needs (the arena above times both)."
    )


def book_best(metric: str) -> str:
    """The handbook's best published figure for `metric` (auc, ap, cp100), from benchmarks/results/fraud.json."""
    best = results.best("fraud", (f"handbook.{b}.{metric}" for b in ("logistic", "forest", "xgboost")))
    return results.text(best) if best else results.NOT_MEASURED


UPLOAD_LIMIT = 2 * 1000 * 1000
POPULATIONS = [500, 1_000, 2_000, 5_000, 10_000]  # cards; terminals are twice as many, as in the book
SCENARIO_LABELS = {1: "1 · big amounts", 2: "2 · compromised terminals", 3: "3 · compromised cards"}
SPEEDS = {"2 per second": 2, "5 per second": 5, "20 per second": 20, "100 per second": 100}


# ---------------------------------------------------------------- parameters
def sidebar_settings() -> tuple[str, tuple]:
    sb = st.sidebar
    sb.subheader("Model settings")
    name = sb.selectbox("Model", list(MODELS), format_func=MODELS.get, key="fraud_model", bind="query-params")
    if name == "boosting":
        params = {
            "learning_rate": sb.select_slider(
                "Learning rate", [0.02, 0.05, 0.1, 0.2], key="fraud_lr", value=SETTINGS["fraud_lr"], bind="query-params"
            ),
            "max_iter": sb.slider(
                "Boosting rounds",
                50,
                500,
                key="fraud_rounds",
                value=SETTINGS["fraud_rounds"],
                bind="query-params",
                step=50,
            ),
            "max_leaf_nodes": sb.slider(
                "Leaves per tree", 4, 63, key="fraud_leaves", value=SETTINGS["fraud_leaves"], bind="query-params"
            ),
            "class_weight": "balanced"
            if sb.checkbox(
                "Weight the rare frauds up",
                key="fraud_weighting",
                value=SETTINGS["fraud_weighting"],
                bind="query-params",
            )
            else None,
        }
    elif name == "forest":
        params = {
            "n_estimators": sb.slider(
                "Trees", 10, 150, key="fraud_trees", value=SETTINGS["fraud_trees"], bind="query-params", step=10
            ),
            "max_depth": sb.slider(
                "Tree depth", 2, 30, key="fraud_depth", value=SETTINGS["fraud_depth"], bind="query-params"
            ),
        }
    elif name == "logistic":
        params = {
            "C": sb.select_slider(
                "Regularisation C (smaller = simpler)",
                [0.01, 0.1, 1.0, 10.0],
                key="fraud_C",
                value=SETTINGS["fraud_C"],
                bind="query-params",
            )
        }
    else:
        params = {
            "n_estimators": sb.slider(
                "Trees", 20, 300, key="fraud_iso_trees", value=SETTINGS["fraud_iso_trees"], bind="query-params", step=20
            )
        }
    reset_button(SETTINGS, key="fraud_reset")
    sb.caption(
        "Default: gradient boosting with the rare frauds weighted up. How its quality and speed compare "
        "with the other models, measured on this page: the engineer's view, 'Model arena'."
    )
    return name, tuple(sorted(params.items()))


def bank_settings() -> SimulationConfig:
    left, mid, right = st.columns(3)
    customers = left.select_slider(
        "Cards (terminals: twice as many)",
        POPULATIONS,
        key="fraud_customers",
        value=BANK["fraud_customers"],
        bind="query-params",
        help="The handbook's bank has 5,000 cards and 10,000 terminals.",
    )
    days = mid.slider(
        "Days simulated",
        60,
        183,
        key="fraud_days",
        value=BANK["fraud_days"],
        step=1,
        bind="query-params",
        help="From 2018-04-01; the handbook simulates 183 days.",
    )
    rate = right.select_slider(
        "Fraud intensity (× the book's)",
        [0.5, 1.0, 2.0, 3.0],
        key="fraud_rate",
        value=BANK["fraud_rate"],
        bind="query-params",
        help="Scales how many terminals and cards fraudsters compromise each day.",
    )
    scenarios = st.pills(
        "Fraud scenarios",
        list(SCENARIO_LABELS),
        format_func=SCENARIO_LABELS.get,
        selection_mode="multi",
        key="fraud_scenarios",
        default=BANK["fraud_scenarios"],
        bind="query-params",
    )
    if not scenarios:
        st.warning(
            "No fraud scenario chosen: the bank would have no fraud to learn. Showing scenario 1.",
            icon=":material/warning:",
        )
        scenarios = [1]
    return SimulationConfig(
        n_customers=int(customers),
        n_terminals=2 * int(customers),
        n_days=int(days),
        fraud_multiplier=float(rate),
        scenarios=tuple(sorted(scenarios)),
    )


# ---------------------------------------------------------------- charts (data in, figure out)
def cost_figure(table: pd.DataFrame, threshold: float, best: float) -> go.Figure:
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=table["threshold"],
            y=table["missed_money"],
            name="money lost to missed fraud",
            line=dict(color=NEGATIVE, width=3, dash="dash"),
        )
    )
    fig.add_trace(
        go.Scatter(
            x=table["threshold"],
            y=table["review_cost"],
            name="cost of reviewing alerts",
            line=dict(color=NEUTRAL, width=3, dash="dot"),
        )
    )
    fig.add_trace(
        go.Scatter(x=table["threshold"], y=table["total_cost"], name="total cost", line=dict(color=POSITIVE, width=4))
    )
    fig.add_vline(
        x=threshold,
        line=dict(color="#1B1F24", width=2),
        annotation_text="your threshold",
        annotation_position="top left",
    )
    best_cost = float(table.loc[table["total_cost"].idxmin(), "total_cost"])
    fig.add_trace(
        go.Scatter(
            x=[best],
            y=[best_cost],
            mode="markers",
            name="cheapest threshold",
            marker=dict(symbol="star", size=18, color=POSITIVE, line=dict(width=1, color="#000")),
        )
    )
    # Zoom on the interesting part: up to a few times the cheapest cost, not the no-alert extreme.
    top = max(4 * best_cost, float(table["total_cost"].median()), 1.0)
    fig.update_layout(
        xaxis_title="Alert threshold (score)", yaxis_title="Cost over the test week (€)", yaxis_range=[0, top]
    )
    return style_figure(fig, presenter=is_presenter())


def pr_figure(curves: dict[str, pd.DataFrame], base_rate: float, current: str) -> go.Figure:
    return charts.pr_figure(
        {name: (frame["recall"], frame["precision"]) for name, frame in curves.items()},
        base_rate=base_rate,
        base_name="random guess (share of frauds)",
        emphasise=current,
        x_title="Recall (share of frauds caught)",
        y_title="Precision (share of alerts right)",
        presenter=is_presenter(),
    )


# ---------------------------------------------------------------- the live stream (state per session)
def _stream(config: SimulationConfig) -> Stream:
    """This visitor's stream (models/fraud/stream.py); a new bank starts a new one."""
    state = st.session_state.get("fraud_stream")
    if not isinstance(state, Stream) or state.key != config:
        state = new_stream(config, split_of(config).test)
        st.session_state["fraud_stream"] = state
    return state


def _inject_burst(config: SimulationConfig) -> None:
    inject_burst(_stream(config), split_of(config).test, bank(config))


def stream_section(config: SimulationConfig, fitted: FraudModel) -> float:
    """The first screen: play the test week's payments, inject a burst, move the threshold; returns the
    threshold, which every section below uses."""
    st.markdown("#### :material/stream: The live stream")  # the tour scrolls to this heading
    controls = st.columns([1, 7], vertical_alignment="bottom")  # two rows: no label is cut on a laptop
    playing = controls[0].toggle("Play", key="fraud_playing")
    speed = controls[1].segmented_control("Speed", list(SPEEDS), key="fraud_speed", default="5 per second")
    actions = st.columns([2.2, 1.6, 4.2], vertical_alignment="bottom")
    with actions[2]:
        threshold = threshold_slider()
    actions[0].button(
        "Inject a fraud burst",
        key="fraud_inject",
        icon=":material/bolt:",
        on_click=counted(_inject_burst),
        args=(config,),
        help="Five payments at 5x a card's usual amount.",
    )
    actions[1].button("Step once", key="fraud_step", icon=":material/skip_next:", disabled=playing, on_click=counted())
    per_tick = SPEEDS.get(speed or "5 per second", 5)
    _stream(config)

    @st.fragment(run_every=1.0 if playing else None)
    def live() -> None:
        with guard("scoring the stream"):
            state = _stream(config)
            if st.session_state.get("fraud_playing") or st.session_state.get("fraud_step"):
                advance(state, split_of(config).test, fitted, threshold, per_tick)
            metric_cards(
                [
                    Metric("Payments scored", f"{state['seen']:,}"),
                    Metric("Money saved", f"€{state['saved']:,.0f}", help=f"{state['caught']} frauds stopped"),
                    Metric("Frauds missed", f"{state['missed']:,}", help=f"€{state['missed_money']:,.0f} lost"),
                    Metric("False alarms", f"{state['false_alarms']:,}", help="genuine payments sent for review"),
                ],
                one_row_on_phones="fraud_stream",
            )
            left, right = st.columns([3, 2])
            with left:
                st.markdown("**Latest payments**")
                if state["rows"]:
                    st.dataframe(
                        pd.DataFrame(state["rows"][::-1], columns=DISPLAY_COLUMNS),
                        hide_index=True,
                        width="stretch",
                        height=320,
                    )
                else:
                    first = split_of(config).test["TX_DATETIME"].iloc[state.start]
                    st.caption(
                        f"Press Play (or Step once) to start the stream; it opens at "
                        f"{pd.Timestamp(first):%H:%M on %a %d %b}, the test week's first morning."
                    )
            with right:
                st.markdown("**Alerts, with reasons**")
                for alert in state["alerts"]:
                    icon = ":material/check_circle:" if alert["truth"] == "fraud" else ":material/error:"
                    verdict = "really fraud" if alert["truth"] == "fraud" else "false alarm"
                    st.markdown(
                        f"{icon} **€{alert['amount €']:,.2f}** card {alert['card']} · {verdict}  \n{alert['why']}"
                    )
                if not state["alerts"]:
                    st.caption("No alert yet.")
            if state["latency_ms"]:
                st.caption(
                    "Payments from the test week arrive one by one and are scored the moment they arrive; "
                    "an alert sends the card to an investigator. Scoring takes "
                    f"{np.median(state['latency_ms']):.1f} ms per payment here "
                    f"(median of the last {len(state['latency_ms'])} ticks)."
                )

    live()
    return threshold


# ---------------------------------------------------------------- page sections
def data_section(config: SimulationConfig, data: pd.DataFrame) -> None:
    split = split_of(config)
    metric_cards(
        [
            Metric("Payments on this page", f"{len(data):,}", help="The days the split and its history need."),
            Metric(
                "Fraud rate",
                f"{data['TX_FRAUD'].mean():.2%}",
                help=f"The design promises {expected_fraud_rate(config):.2%}.",
            ),
            Metric(
                "Training-week payments", f"{len(split.train):,}", help=f"{int(split.train['TX_FRAUD'].sum())} frauds"
            ),
            Metric("Test-week payments", f"{len(split.test):,}", help=f"{int(split.test['TX_FRAUD'].sum())} frauds"),
        ]
    )
    st.markdown(
        "**Feature engineering, made visible.** A model cannot read a payment as it is: it needs "
        "numbers that describe the card's habits and the terminal's record. Here is one fraudulent "
        "payment from the test week beside the features computed for it, from the past only."
    )
    frauds = split.test[split.test["TX_FRAUD"] == 1]
    example = (frauds if len(frauds) else split.test).iloc[0]
    left, right = st.columns([1, 2])
    raw = {
        "when": f"{pd.Timestamp(example['TX_DATETIME']):%Y-%m-%d %H:%M:%S}",
        "card": int(example["CUSTOMER_ID"]),
        "terminal": int(example["TERMINAL_ID"]),
        "amount": f"€{example['TX_AMOUNT']:,.2f}",
        "fraud scenario": SCENARIO_NAMES.get(int(example["TX_FRAUD_SCENARIO"]), "?"),
    }
    left.markdown("**The raw payment**")
    left.dataframe(
        pd.DataFrame({"field": list(raw), "value": [str(v) for v in raw.values()]}), hide_index=True, width="stretch"
    )
    names = list(FEATURE_SETS["extended"])
    right.markdown("**Its features**")
    right.dataframe(
        pd.DataFrame(
            {"feature": [FEATURE_LABELS[n] for n in names], "value": [f"{float(example[n]):,.2f}" for n in names]}
        ),
        hide_index=True,
        width="stretch",
        height=300,
    )
    st.caption("Terminal features only count frauds confirmed at least 7 days ago: investigations take time.")


def threshold_slider() -> float:
    """The alert threshold, on the first screen: payments scoring above it raise an alert."""
    return st.slider(
        "Alert threshold",
        0.0,
        1.0,
        step=0.01,
        key="fraud_threshold",
        value=0.5,
        bind="query-params",
        help="Payments scoring above it raise an alert.",
    )


def threshold_section(config: SimulationConfig, name: str, params: tuple, threshold: float) -> float:
    st.subheader(":material/tune: Where to draw the line")
    split = split_of(config)
    scores = test_scores(config, name, params)
    y, amounts = split.test["TX_FRAUD"].to_numpy(), split.test["TX_AMOUNT"].to_numpy()
    left, right = st.columns([2, 1])
    left.markdown(
        f"Your alert threshold is **{threshold:.2f}** (set it above the live stream); the cost of "
        "reviewing one alert decides where the cheapest line lies."
    )
    cost = right.number_input(
        "Cost of reviewing one alert (€)",
        0.0,
        100.0,
        step=1.0,
        key="fraud_review_cost",
        value=REVIEW_COST,
        bind="query-params",
    )
    table = threshold_table(y, scores, amounts, review_cost=cost)
    best = cost_minimising_threshold(table)
    counts = confusion_at(y, scores, threshold)
    alerts = counts["tp"] + counts["fp"]
    precision = counts["tp"] / alerts if alerts else float("nan")
    recall = counts["tp"] / max(counts["tp"] + counts["fn"], 1)
    caught_money = float(amounts[(scores >= threshold) & (y == 1)].sum())
    missed_money = float(amounts[(scores < threshold) & (y == 1)].sum())
    metric_cards(
        [
            Metric(
                "Precision", "n/a" if np.isnan(precision) else f"{precision:.0%}", help="Share of alerts that are fraud"
            ),
            Metric("Recall", f"{recall:.0%}", help="Share of frauds that raise an alert"),
            Metric("Alerts in the test week", f"{alerts:,}"),
            Metric(
                "Total cost",
                f"€{missed_money + alerts * cost:,.0f}",
                help=f"€{missed_money:,.0f} missed fraud + {alerts:,} reviews × €{cost:g}",
            ),
        ]
    )
    matrix, chart = st.columns([1, 2])
    with matrix:
        st.markdown("**Confusion matrix (test week)**")
        st.dataframe(
            pd.DataFrame(
                {
                    "": ["really fraud", "really genuine"],
                    "alert": [f"{counts['tp']:,} caught", f"{counts['fp']:,} false alarms"],
                    "no alert": [f"{counts['fn']:,} missed", f"{counts['tn']:,} fine"],
                }
            ),
            hide_index=True,
            width="stretch",
        )
        st.caption(f"Money saved: €{caught_money:,.0f}; lost: €{missed_money:,.0f}.")
    with chart:
        st.plotly_chart(cost_figure(table, threshold, best), key="fraud_cost_chart")
    st.caption(
        f"The cheapest threshold at €{cost:g} per review is {best:.2f} (the star); yours is "
        f"{threshold:.2f}. Lower thresholds catch more fraud but flood the investigators."
    )
    return threshold


def craft_section(config: SimulationConfig, name: str, params: tuple, fitted: FraudModel, threshold: float) -> None:
    st.subheader(":material/psychology_alt: Try to beat the detector")
    st.markdown("Make up a payment: pick a card, a terminal, an amount and a time in the test week.")
    split = split_of(config)
    first_day = pd.Timestamp(split.test["TX_DATETIME"].min()).date()
    last_day = pd.Timestamp(split.test["TX_DATETIME"].max()).date()
    cols = st.columns(5)
    card = cols[0].number_input("Card", 0, config.n_customers - 1, key="fraud_craft_card", value=CRAFT["card"])
    terminal = cols[1].number_input(
        "Terminal", 0, config.n_terminals - 1, key="fraud_craft_terminal", value=CRAFT["terminal"]
    )
    amount = cols[2].number_input(
        "Amount (€)", 0.0, 10_000.0, key="fraud_craft_amount", value=CRAFT["amount"], step=10.0
    )
    day = cols[3].date_input("Day", value=first_day, min_value=first_day, max_value=last_day, key="fraud_craft_day")
    hour = cols[4].slider("Hour", 0, 23, key="fraud_craft_hour", value=CRAFT["hour"])
    when = pd.Timestamp(day) + pd.Timedelta(hours=int(hour))
    row = crafted_features(config, int(card), int(terminal), float(amount), when)
    value, effects = crafted_verdict(config, name, params, int(card), int(terminal), float(amount), when, fitted)
    flagged = value >= threshold
    why = reasons(row.iloc[0])
    usual = float(row["CUSTOMER_ID_AVG_AMOUNT_30DAY_WINDOW"].iloc[0])
    if flagged:
        st.warning(
            f"**Flagged** (score {value:.2f} ≥ threshold {threshold:.2f}). "
            + ("Why: " + "; ".join(why) + "." if why else ""),
            icon=":material/gpp_bad:",
        )
    else:
        st.success(
            f"**Not flagged** (score {value:.2f} < threshold {threshold:.2f}). "
            + ("It still shows: " + "; ".join(why) + "." if why else "Nothing unusual for this card."),
            icon=":material/verified_user:",
        )
    st.caption(f"Card {card} spent €{usual:,.2f} on average over its last 30 days, including this payment.")
    note = crafted_note(
        float(amount), value, effects, amount_rule=config.amount_threshold if 1 in config.scenarios else None
    )
    if note:
        st.info(note, icon=":material/rule:")
    with technical("What moved this score"):
        effects = effects[effects.abs() > 0.005].sort_values(key=np.abs, ascending=False).head(8)
        if len(effects):
            st.plotly_chart(
                bar_contributions_figure(
                    effects, x_title="Change in score vs a typical value", presenter=is_presenter()
                ),
                key="fraud_craft_effects",
            )
            st.caption("Each bar: how much the score falls if that one feature is set back to a typical value.")
        else:
            st.caption("No single feature moves this score much: it looks like an ordinary payment.")


def evaluation_section(config: SimulationConfig, name: str, params: tuple) -> None:
    st.subheader(":material/analytics: How good is it?")
    split = split_of(config)
    metrics = test_metrics(config, name, params)
    metric_cards(
        [
            Metric(
                "ROC AUC",
                f"{metrics.auc:.3f}",
                help=f"Chance a fraud scores above a genuine payment. Book's best: {book_best('auc')}",
            ),
            Metric(
                "Average precision",
                f"{metrics.average_precision:.3f}",
                help=f"Book's best: {book_best('ap')}; "
                f"a random ranking: {metrics.n_frauds / metrics.n_test:.3f} (the share of frauds)",
            ),
            Metric(
                "Card precision@100",
                f"{metrics.card_precision_at_100:.3f}",
                help="Of the 100 cards investigators check each day, the share really defrauded. Book's best: "
                f"{book_best('cp100')}",
            ),
            Metric("Frauds in the test week", f"{metrics.n_frauds:,}", help=f"of {metrics.n_test:,} payments"),
        ]
    )
    compare = st.toggle("Compare all four models side by side (trains each once)", key="fraud_compare")
    curves = {MODELS[name]: test_pr_curve(config, name, params)}
    if compare:
        with st.spinner("Training logistic regression, a random forest, boosting and an isolation forest…"):
            arena = comparison(config)
        st.dataframe(
            arena.rename(columns={"quality": "average precision", "predict_ms": "ms per payment"}),
            hide_index=True,
            width="stretch",
        )
        st.caption(
            f"Training the four took {arena['fit_seconds'].sum():.0f} s when this table was computed "
            "(it is kept for the next visitor). " + arena_sentence(arena, quality="average precision", item="payment")
        )
        for other in MODELS:
            if other != name:
                curves[MODELS[other]] = test_pr_curve(config, other, ())
    left, right = st.columns(2)
    left.plotly_chart(pr_figure(curves, float(split.test["TX_FRAUD"].mean()), MODELS[name]), key="fraud_pr_chart")
    left.caption(
        f"Precision against recall on the test week; the fraud base rate is "
        f"{split.test['TX_FRAUD'].mean():.2%}, so a random guess lies flat near zero."
    )
    with st.spinner("Shuffling each feature to see how much the model relies on it…"):
        imp = importances(config, name, params).head(10)
    fig = go.Figure(
        go.Bar(
            x=imp.values[::-1],
            y=list(imp.index[::-1]),
            orientation="h",
            marker_color=POSITIVE,
            text=[f"{v:.3f}" for v in imp.values[::-1]],
            textposition="auto",
        )
    )
    fig.update_layout(xaxis_title="Drop in average precision", yaxis_title="")
    right.plotly_chart(style_figure(fig, height=380, presenter=is_presenter()), key="fraud_importance_chart")
    right.caption(
        f"The model leans most on “{imp.index[0]}”: shuffle it and average precision falls by {imp.iloc[0]:.3f}."
    )


def upload_section(config: SimulationConfig, fitted: FraudModel, threshold: float) -> None:
    st.subheader(":material/upload_file: Score your own payments")
    split = split_of(config)
    sample = split.test[list(UPLOAD_COLUMNS)].head(20).copy()
    st.markdown(
        "A CSV with columns " + ", ".join(f"`{c}`" for c in UPLOAD_COLUMNS) + " (cards and terminals of "
        "this bank, times in the simulated period). Bad rows are listed; good rows are scored."
    )
    st.download_button(
        "Download an example CSV",
        csv_text(sample),
        "payments_example.csv",
        "text/csv",
        key="fraud_example_csv",
        icon=":material/download:",
    )
    upload = capped_uploader("Your CSV (up to 2 MB)", UPLOAD_LIMIT, type=["csv", "txt"], key="fraud_upload")
    if upload is None:
        return
    good, problems = read_upload(
        upload, config.n_customers, config.n_terminals, *simulated_period(config), max_bytes=UPLOAD_LIMIT
    )
    scored = score_upload(fitted, history_for(config, DEFAULT_SEED, good, bank(config)), good, threshold)
    st.markdown(
        f"**{len(scored):,} payments scored, {int(scored['alert'].sum()):,} alerts; "
        f"{len({p.row for p in problems}):,} rows skipped.**"
    )
    if len(scored):
        st.dataframe(scored.head(200), hide_index=True, width="stretch")
        if len(scored) > 200:
            st.caption("Showing the first 200 rows.")
    if problems:
        st.dataframe(problems_frame(problems).head(200), hide_index=True, width="stretch")


def engineer_section(config: SimulationConfig, name: str, params: tuple, threshold: float) -> None:
    split = split_of(config)
    render_engineer_view(
        EngineerView(
            key="fraud",
            opens_on="Learns from data" if curve_ready(config, name) else "The maths",  # a cold curve takes ~30 s
            learning_curve=lambda: curve(config, name),
            learning_curve_x="Days of labelled history the model was trained on",
            learning_curve_caption="Retrained on a growing window of past days and tested on the same later week; "
            "older weeks describe frauds that have since ended.",
            arena=lambda: comparison(config),
            arena_quality="Average precision (test week)",
            default_reason=lambda arena: " ".join(
                [default_reason(), arena_sentence(arena, quality="average precision", item="payment")]
            ),
            formulas=fe.FORMULAS,
            train_function=train,
            extra_code=(featurise_new,),
            script=lambda: fe.reproduction_script(
                config.n_customers,
                config.n_days,
                config.fraud_multiplier,
                config.scenarios,
                name,
                DEFAULT_SEED,
                dict(params),
            ),
            script_name="reproduce_fraud.py",
            slices=lambda: fe.slice_report(split.test, test_scores(config, name, params), threshold),
            slices_metric="share of frauds caught",
            slices_caption="Frauds on compromised terminals are the hardest: their amounts look normal and the "
            "terminal's record only shows them after the 7-day label delay.",
        )
    )


def card_section(config: SimulationConfig, name: str, params: tuple) -> None:
    metrics = test_metrics(config, name, params)
    model_card(
        ModelCardInfo(
            model=f"{MODELS[name]} on {len(FEATURE_SETS['extended'])} features of the card's and the terminal's past.",
            data=f"Simulated: {config.n_customers:,} cards, {config.n_terminals:,} terminals, {config.n_days} days, "
            "fraud scenarios " + ", ".join(map(str, config.scenarios)) + ". Real card data are private, so the "
            "handbook's documented simulator stands in for a bank (data/card_transactions.md).",
            provenance="Le Borgne et al., Reproducible Machine Learning for Credit Card Fraud Detection - Practical "
            "Handbook (2022), chapter 3; re-implemented with vectorised numpy.",
            intended_use="Teaching how fraud detection works: time windows, delayed labels, imbalanced data, "
            "threshold costs. Not for real payments.",
            metrics={
                "ROC AUC": f"{metrics.auc:.3f}",
                "average precision": f"{metrics.average_precision:.3f}",
                "card precision@100": f"{metrics.card_precision_at_100:.3f}",
            },
            limitations=(
                "Fraud follows three simple scripted scenarios; real fraudsters adapt to the detector.",
                "Labels arrive after exactly 7 days and are always right; real investigations are slower and noisier.",
                "Seed-to-seed spread is large: over the benchmark's simulator seeds the default's AUC was "
                f"{results.shown('fraud', 'boosting.auc')}, "
                f"its average precision {results.shown('fraud', 'boosting.ap')}.",
            ),
        )
    )
