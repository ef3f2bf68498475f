"""After launch (issue 19): the fraud model's life once deployed. The visitor picks a change in the world,
plays the days, watches precision fall and the drift alarm fire, retrains, and sees precision come back.

Every number comes from `models.fraud.drift`; the story's days are computed once per drift and bank size
(cached), then played in the browser a day per tick by a small fragment.
"""

from __future__ import annotations

import inspect

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from models.common import DEFAULT_SEED
from models.fraud import drift as fd
from models.fraud.features import FEATURE_LABELS
from models.fraud.simulator import DRIFTS
from ui.layout import Metric, metric_cards
from ui.presenter import is_presenter, technical
from ui.theme import NEGATIVE, NEUTRAL, POSITIVE, style_figure
from ui.tour import counted

__all__ = ["after_launch_section", "DRIFT_LABELS", "DEFAULT_DRIFT"]

DRIFT_LABELS = {
    "night-merchants": "Fraud moves to night hours and new merchants",
    "small-amounts": "Fraudsters switch to small, ordinary amounts",
    "holiday": "Holiday season: everyone spends more",
    "none": "Nothing changes (a calm month)",
}
DEFAULT_DRIFT = "night-merchants"
TICK_SECONDS = 0.6
KEY = "fraud_after"  # widget and state keys start with this
ENGINEER_CAPTION = (
    "An ML engineer would now check which inputs moved, wait for the first labels from after the "
    "change, retrain on the most recent labelled days, and keep doing so until precision is back."
)


# ---------------------------------------------------------------- cached work
@st.cache_resource(show_spinner=False, max_entries=1, ttl=900)
def _world(drift: str, seed: int, n_customers: int) -> pd.DataFrame:
    return fd.build_world(drift, seed, n_customers=n_customers)


@st.cache_data(show_spinner=False, max_entries=4)
def story(drift: str, seed: int, n_customers: int) -> dict:
    """The whole after-launch story of one drift: the dashboard and each policy's days (plain frames)."""
    bar = st.progress(0.0, text="Preparing the story…")
    steps = ["simulating", "training", "monitoring", "never", "weekly", "on-alarm"]

    def show(text: str) -> None:
        done = next((i for i, s in enumerate(steps) if s in text), 0)
        bar.progress(done / len(steps), text=f"First time only: {text}…")

    world = _world(drift, seed, n_customers)
    result = fd.run_scenario(drift, seed, n_customers=n_customers, world=world, on_step=show)
    bar.empty()
    return {
        "dashboard": result.dashboard,
        "alarm_day": result.alarm_day,
        "daily": {p: r.daily for p, r in result.replays.items()},
        "summary": pd.DataFrame(fd.summary(result)),
        "drift_at_alarm": result.drift_at_alarm,
        "k": result.k,
    }


@st.cache_data(show_spinner=False, max_entries=8)
def retrained_from(drift: str, seed: int, n_customers: int, day: int) -> dict:
    """The visitor's 'Retrain now' on `day`: the on-alarm policy started that morning, with progress."""
    bar = st.progress(0.0, text="Retraining…")

    def show(i: int, n: int, start: int) -> None:
        first, last = fd.training_window(start)
        bar.progress(
            i / n,
            text=f"Retraining {i + 1} of {n}: the model of day {start} learns days {first}-{last}, "
            "the latest with labels…",
        )

    world = _world(drift, seed, n_customers)
    k = fd.k_for(n_customers)
    rep = fd.replay(world, "on-alarm", alarm_day=day, seed=seed, k=k, on_retrain=show)
    bar.empty()
    return {"daily": rep.daily, "retrains": rep.retrains, "fit_seconds": rep.fit_seconds}


# ---------------------------------------------------------------- state
def _state() -> dict:
    return st.session_state.setdefault(
        f"{KEY}_state", {"day": None, "playing": False, "retrain_day": None, "story": None}
    )


def _reset() -> None:
    st.session_state[f"{KEY}_state"] = {"day": None, "playing": False, "retrain_day": None, "story": None}


def _play() -> None:
    state = _state()
    timeline = fd.Timeline()
    if state["day"] is None or state["day"] >= timeline.n_days - 1:
        state.update(day=timeline.launch_day, retrain_day=None)
    state["playing"] = True


def _pause() -> None:
    _state()["playing"] = False


def _retrain_now() -> None:
    state = _state()
    state["retrain_day"] = state["day"]


# ---------------------------------------------------------------- figures (data in, figure out)
def _markers(
    fig: go.Figure, timeline: fd.Timeline, today: int, alarm_day: int | None, retrain_day: int | None, drift: str
) -> None:
    if drift != "none" and today >= timeline.change_day:
        fig.add_vline(
            x=timeline.change_day - 0.5,
            line_dash="dash",
            line_color=NEGATIVE,
            annotation_text="the world changes",
            annotation_position="top left",
        )
    if alarm_day is not None and today >= alarm_day:
        fig.add_vline(x=alarm_day, line_color=NEGATIVE, annotation_text="alarm", annotation_position="top right")
    if retrain_day is not None:
        fig.add_vline(x=retrain_day, line_color=POSITIVE, annotation_text="retrain", annotation_position="bottom right")


def precision_figure(
    daily: dict[str, pd.DataFrame],
    today: int,
    k: int,
    timeline: fd.Timeline,
    alarm_day: int | None,
    retrain_day: int | None,
    drift: str,
) -> go.Figure:
    """Card precision@k of each day, drawn only once that day's labels have arrived."""
    fig = go.Figure()
    colours = {"launch model, never retrained": NEUTRAL, "after 'Retrain now'": POSITIVE}
    for name, frame in daily.items():
        known = frame[frame["labels_known_on"] <= today]
        fig.add_scatter(
            x=known["day"],
            y=known["precision"],
            mode="lines+markers",
            name=name,
            line=dict(color=colours.get(name, POSITIVE), width=3 if "Retrain" in name else 2),
        )
    fig.add_vrect(
        x0=fd.last_labelled_day(today) + 0.5,
        x1=today + 0.5,
        fillcolor=NEUTRAL,
        opacity=0.15,
        line_width=0,
        annotation_text="labels not in yet",
        annotation_position="top left",
    )
    _markers(fig, timeline, today, alarm_day, retrain_day, drift)
    fig.update_layout(
        title=f"Card precision@{k}: share of the {k} cards investigated each day that were fraud",
        xaxis_title="day of the simulation",
        yaxis_title=f"card precision@{k}",
        xaxis_range=[timeline.launch_day - 0.5, timeline.n_days - 0.5],
        yaxis_rangemode="tozero",
    )
    return style_figure(fig, height=340, presenter=is_presenter())


def drift_figure(
    dashboard: pd.DataFrame,
    today: int,
    timeline: fd.Timeline,
    alarm_day: int | None,
    retrain_day: int | None,
    drift: str,
    rule: fd.AlarmRule,
) -> go.Figure:
    """The label-free signals behind the alarm: input and score drift (PSI) against the alarm's line."""
    shown = dashboard[dashboard["day"] <= today]
    fig = go.Figure()
    fig.add_scatter(
        x=shown["day"],
        y=shown["max_feature_psi"],
        mode="lines",
        name="largest input drift (PSI)",
        line=dict(color=POSITIVE),
        customdata=shown["most_drifted"].map(FEATURE_LABELS),
        hovertemplate="day %{x}: PSI %{y:.3f} (%{customdata})<extra></extra>",
    )
    fig.add_scatter(
        x=shown["day"],
        y=shown["score_psi"],
        mode="lines",
        name="score drift (PSI)",
        line=dict(color=NEUTRAL, dash="dot"),
    )
    fig.add_hline(
        y=rule.psi, line_color=NEGATIVE, line_dash="dot", annotation_text="alarm line", annotation_position="top left"
    )
    _markers(fig, timeline, today, alarm_day, retrain_day, drift)
    fig.update_layout(
        title=f"Drift of the inputs over the last {fd.ALARM.window} days (no labels needed)",
        xaxis_title="day of the simulation",
        yaxis_title="population stability index",
        xaxis_range=[timeline.launch_day - 0.5, timeline.n_days - 0.5],
        yaxis_rangemode="tozero",
    )
    return style_figure(fig, height=300, presenter=is_presenter())


def alerts_figure(dashboard: pd.DataFrame, today: int, timeline: fd.Timeline) -> go.Figure:
    shown = dashboard[dashboard["day"] <= today]
    fig = go.Figure(go.Bar(x=shown["day"], y=shown["alerts"], marker_color=POSITIVE, name="alerts"))
    fig.update_layout(
        title="Alerts raised per day (launch model)",
        xaxis_title="day of the simulation",
        yaxis_title="payments over the alert line",
        xaxis_range=[timeline.launch_day - 0.5, timeline.n_days - 0.5],
    )
    return style_figure(fig, height=300, presenter=is_presenter())


def policies_figure(summary: pd.DataFrame, k: int) -> go.Figure:
    weeks = ["precision_before", *(f"precision_week_{w}" for w in range(4))]
    names = ["week before", *(f"week {w + 1} after" for w in range(4))]
    fig = go.Figure()
    for _, row in summary.iterrows():
        fig.add_scatter(x=names, y=[row[w] for w in weeks], mode="lines+markers", name=fd.POLICIES[row["policy"]])
    fig.update_layout(
        title=f"Card precision@{k} per week, by retraining policy",
        yaxis_title=f"card precision@{k}",
        xaxis_title="week relative to the change",
        yaxis_rangemode="tozero",
    )
    return style_figure(fig, height=340, presenter=is_presenter())


# ---------------------------------------------------------------- the section
def _engineer_view(data: dict) -> None:
    with technical("The engineer's view: drift tests, the alarm rule, the policies"):
        st.markdown(
            "**Population stability index** of an input, with bins at the reference week's deciles "
            "(plus one below and one above its range):"
        )
        st.latex(r"\mathrm{PSI} = \sum_{b} (c_b - r_b)\,\ln\frac{c_b}{r_b}")
        st.caption(
            "r_b, c_b: share of the reference week's and of the last days' payments in bin b. Rules of "
            "thumb (Siddiqi 2006) call 0.1 a moderate shift, but a bank's whole traffic hides a fraud "
            "ring: our line was chosen on validation seeds to catch changes in a small share of payments."
        )
        st.markdown("**Two-sample Kolmogorov-Smirnov** (`scipy.stats.ks_2samp`), shown beside the PSI:")
        st.latex(r"D = \sup_x \left|F_{\mathrm{reference}}(x) - F_{\mathrm{recent}}(x)\right|")
        st.markdown(f"**The alarm.** {fd.ALARM.describe()}.")
        st.markdown(
            "**Labels arrive late.** On the morning of day *t* the labels of days up to *t* - "
            f"{fd.DELAY_DAYS + 1} are known; every model trains on the {fd.WINDOW_DAYS} latest of them "
            "only. **Policies:** " + "; ".join(f"*{p}*: {t}" for p, t in fd.POLICIES.items()) + "."
        )
        table = data["drift_at_alarm"].head(8).assign(feature=lambda f: f["feature"].map(FEATURE_LABELS))
        st.markdown("**Inputs that moved most**, on the alarm's days against the week before launch:")
        st.dataframe(
            table.round({"psi": 4, "ks": 4}).assign(p_value=table["p_value"].map(lambda p: f"{p:.1e}")),
            hide_index=True,
            width="stretch",
        )
        for function in (fd.monitor, fd.train_at, fd.retrain_days):
            with st.expander(f"Code: `{function.__name__}`"):
                st.code(inspect.getsource(function), language="python")


def after_launch_section(n_customers: int = 5_000, seed: int = DEFAULT_SEED) -> None:
    """The 'After launch' section of the fraud page."""
    st.subheader(":material/monitoring: After launch: the world changes, the model decays")
    st.markdown(
        "A model's work starts when it goes live. Here the bank launches its model on day "
        f"{fd.Timeline().launch_day}; two weeks later the world changes. Labels arrive "
        f"{fd.DELAY_DAYS + 1} days late, so precision is only known a week on, but the inputs can be "
        "watched every day."
    )
    left, middle, right = st.columns([3, 1, 1], vertical_alignment="bottom")
    drift = left.selectbox(
        "What changes",
        list(DRIFT_LABELS),
        format_func=DRIFT_LABELS.get,
        key=f"{KEY}_drift",
        on_change=_reset,
        help="; ".join(f"{DRIFT_LABELS[d]}: {DRIFTS[d]}" for d in DRIFT_LABELS),
    )
    state = _state()
    middle.button(
        "Play the weeks after launch",
        key=f"{KEY}_play",
        icon=":material/play_arrow:",
        on_click=counted(_play),
        type="primary",
    )
    right.button("Pause the weeks", key=f"{KEY}_pause", icon=":material/pause:", on_click=counted(_pause))
    if state["day"] is None and not state["playing"]:
        st.caption(
            f"{DRIFTS[drift].capitalize()}. Press 'Play the weeks after launch' to watch "
            f"{len(fd.Timeline().monitored_days)} days unfold."
        )
        return
    data = story(drift, seed, n_customers)
    timeline = fd.Timeline()

    @st.fragment(run_every=TICK_SECONDS if state["playing"] else None)
    def days() -> None:
        state = _state()
        if state["playing"]:
            state["day"] = min(state["day"] + 1, timeline.n_days - 1)
            if state["day"] >= timeline.n_days - 1:
                state["playing"] = False
                st.rerun(scope="app")  # the whole section once more, without the timer
        today = state["day"]
        alarm_day = data["alarm_day"]
        alarm_on = alarm_day is not None and today >= alarm_day
        daily = {"launch model, never retrained": data["daily"]["never"]}
        retrain_day = state["retrain_day"]
        if retrain_day is not None:
            mine = retrained_from(drift, seed, n_customers, retrain_day)
            daily["after 'Retrain now'"] = mine["daily"][mine["daily"]["day"] >= retrain_day]
        current = daily["launch model, never retrained"]
        if retrain_day is not None:  # the deployed model's days: the launch model's, then the retrained ones
            current = pd.concat([current[current["day"] < retrain_day], daily["after 'Retrain now'"]])
        labelled = current[current["labels_known_on"] <= today].tail(7)
        lost = current.loc[current["day"] <= today, "missed_money"].sum()
        metric_cards(
            [
                Metric("Day", f"{today}", help=f"launch on day {timeline.launch_day}"),
                Metric(
                    f"Card precision@{data['k']}",
                    f"{labelled['precision'].mean():.2f}" if len(labelled) else "—",
                    help="mean over the last 7 days whose labels are in",
                ),
                Metric("Drift alarm", f"fired on day {alarm_day}" if alarm_on else "quiet"),
                Metric("Money lost to missed fraud", f"€{lost:,.0f}", help="since launch"),
            ]
        )
        if alarm_on and retrain_day is None:
            st.warning(f"**Drift alarm on day {alarm_day}.** {ENGINEER_CAPTION}", icon=":material/notifications:")
        st.button(
            "Retrain now",
            key=f"{KEY}_retrain",
            icon=":material/model_training:",
            on_click=counted(_retrain_now),
            disabled=retrain_day is not None,
            help="Retrain on the latest labelled week now, then every other day for two weeks as new labels arrive.",
        )
        if retrain_day is not None:
            mine = retrained_from(drift, seed, n_customers, retrain_day)
            fits = mine["fit_seconds"]
            st.caption(
                f"Retrained on day {retrain_day} and every other day after; each retraining took "
                f"{max(fits):.1f} s at most here."
                if fits
                else f"Retrained on day {retrain_day}."
            )
        st.plotly_chart(
            precision_figure(daily, today, data["k"], timeline, alarm_day, retrain_day, drift),
            key=f"{KEY}_precision_chart",
        )
        a, b = st.columns(2)
        rule = fd.ALARM.for_bank(n_customers)
        a.plotly_chart(
            drift_figure(data["dashboard"], today, timeline, alarm_day, retrain_day, drift, rule),
            key=f"{KEY}_drift_chart",
        )
        b.plotly_chart(alerts_figure(data["dashboard"], today, timeline), key=f"{KEY}_alerts_chart")
        if today >= timeline.n_days - 1:
            st.markdown("**The three policies over the same weeks** (retraining never, weekly, or on the alarm):")
            st.plotly_chart(policies_figure(data["summary"], data["k"]), key=f"{KEY}_policies_chart")
            table = data["summary"][
                ["policy", "precision_before", "precision_week_2", "money_lost_after_change", "retrains"]
            ]
            st.dataframe(
                table.rename(
                    columns={
                        "precision_before": "precision, week before",
                        "precision_week_2": "precision, 3rd week after",
                        "money_lost_after_change": "money lost after the change (€)",
                    }
                ).round(3),
                hide_index=True,
                width="stretch",
            )

    days()
    _engineer_view(data)
