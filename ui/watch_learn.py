"""Watch it learn: a neural network and a decision tree learning the same patients, side by side.

The whole trajectory is computed once per setting on the server (cached, bounded) and sent as plotly
animation frames; play, pause and the step slider then run in the visitor's browser, with no round trip
per frame, so a crowd animating at once does not load the server.
"""

from __future__ import annotations

import inspect
import json
import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

import models.risk as dr
from models.risk import learn
from models.risk.data import TARGET
from models.risk.learn import LearnSettings, Patients, Trajectory
from ui.layout import explanation
from ui.presenter import is_engineer, is_presenter, talking_points
from ui.theme import style_figure

__all__ = [
    "STORY_SECONDS",
    "UPDATE_RULES",
    "frame_payload_bytes",
    "learning_figure",
    "watch_learn_section",
]

STORY_SECONDS = 20.0  # one play-through of either model, whatever its number of frames
KEY = "risk_learn"  # widget keys below all start with it; `?risk_learn=true` opens the section
LOW, MID, HIGH = "#0072B2", "#F7F7F7", "#D55E00"  # Okabe-Ito blue and vermillion around a near-white 50 %
RISK_SCALE = [[0.0, LOW], [0.5, MID], [1.0, HIGH]]
TRAIN_LINE, HELD_OUT_LINE = "#000000", "#CC79A7"  # black and Okabe-Ito reddish purple: apart from the map
DOT_EDGE = "#1B1F24"
CURVES = {"Error": ("error", "Error (%)", 100.0), "Log loss": ("loss", "Log loss", 1.0)}
UPDATE_RULES = (
    (
        "Neural network: one step of gradient descent on the log loss",
        r"L(w) = -\frac{1}{|B|}\sum_{i \in B}\big[y_i \ln \hat p_i + (1 - y_i)\ln(1 - \hat p_i)\big]"
        r" + \frac{\alpha}{2|B|}\lVert w\rVert^2, \qquad w \leftarrow w - \eta\,\nabla_w L(w)",
        "For each batch B of 20 training women the network measures how wrong its risks were (the log loss, "
        "plus the weight penalty alpha) and moves every weight a small step eta (the learning rate) downhill; "
        "backpropagation computes the slope. One epoch is 7 such steps, one pass over the 140 women.",
    ),
    (
        "Decision tree: choose the question that leaves the purest groups",
        r"G(S) = 1 - \sum_{k} p_k^2 \;\;\text{or}\;\; H(S) = -\sum_k p_k \log_2 p_k, \qquad"
        r"(j^*, t^*) = \arg\min_{j,\,t}\; \frac{|S_L|}{|S|} G(S_L) + \frac{|S_R|}{|S|} G(S_R)",
        "For each leaf the tree tries every measurement j and every cut t between two women's values, and keeps "
        "the cut whose two sides are purest (Gini impurity G, or entropy H). The leaf whose best question gains "
        "most is split next, until no leaf may split within the depth and leaf-size limits.",
    ),
)


# ---------------------------------------------------------------- pure builders (data in, figure out)
def _wrap(text: str, width: int = 44) -> str:  # 44 characters fit a 390 px phone
    return "<br>".join(textwrap.wrap(text, width))


def _cursor(step: int) -> dict:
    """A vertical line on the curves at the step the map shows."""
    return dict(
        type="line",
        xref="x2",
        yref="y2 domain",
        x0=step,
        x1=step,
        y0=0,
        y1=1,
        line=dict(color="#1B1F24", width=1.5, dash="dot"),
    )


def _caption(text: str, presenter: bool) -> dict:
    return dict(
        text=_wrap(text),
        x=0,
        xref="paper",
        xanchor="left",
        y=0,
        yref="paper",
        yanchor="top",
        yshift=-172,
        showarrow=False,
        align="left",
        font=dict(size=17 if presenter else 14, color="#1B1F24"),
    )


def _axis_title(feature: str) -> str:
    info = dr.FEATURE_INFO[feature]
    short = learn.SHORT_NAMES[feature]
    return f"{short[0].upper()}{short[1:]} ({info.unit})"


def _dots(patients: pd.DataFrame, features: tuple[str, str], *, held_out: bool) -> list[go.Scatter]:
    a, b = features
    traces = []
    for outcome, name, symbol, colour in ((0, "no diabetes", "circle", LOW), (1, "diabetes", "triangle-up", HIGH)):
        part = patients[patients[TARGET] == outcome]
        traces.append(
            go.Scatter(
                x=part[a].to_numpy(),
                y=part[b].to_numpy(),
                mode="markers",
                name=f"held-out, {'yes' if outcome else 'no'}" if held_out else name,  # short: the legend wraps
                visible="legendonly" if held_out else True,
                marker=dict(
                    symbol=f"{symbol}-open" if held_out else symbol,
                    size=8 if held_out else 7,
                    color=colour,
                    line=dict(color=colour if held_out else DOT_EDGE, width=2 if held_out else 0.8),
                ),
                hovertemplate=f"{learn.SHORT_NAMES[a]} %{{x}}<br>{learn.SHORT_NAMES[b]} %{{y}}<br>{name}"
                "<extra></extra>",
            )
        )
    return traces


def _curves(run: Trajectory, upto: int, curve: str) -> list[dict]:
    """The training and held-out curves up to frame `upto`, as plain trace dicts (60 frames, no validation)."""
    field, _, scale = CURVES[curve]
    shown = run.frames[: upto + 1]
    steps = [f.step for f in shown]
    return [
        {
            "type": "scatter",
            "x": steps,
            "y": [round(scale * getattr(f, f"{part}_{field}"), 3) for f in shown],
            "mode": "lines+markers",
            "name": label,
            "line": {"color": colour, "width": 2, "dash": dash},
            "marker": {"size": 4, "symbol": symbol},
            "xaxis": "x2",
            "yaxis": "y2",
        }
        for part, label, colour, dash, symbol in (
            ("train", f"training {field}", TRAIN_LINE, "solid", "circle"),
            ("validation", f"held-out {field}", HELD_OUT_LINE, "dash", "diamond"),
        )
    ]


def learning_figure(
    run: Trajectory,
    patients: Patients,
    *,
    curve: str = "Error",
    presenter: bool = False,
    story_seconds: float = STORY_SECONDS,
) -> go.Figure:
    """The risk map with the women on it above the training and held-out curves, one animation frame per step.

    Frames change only the map, the step line on the curves and the caption; play, pause and the slider are
    plotly's own controls, so playing needs nothing from the server.
    """
    a, b = run.settings.features
    name = "Epoch" if run.step_name == "epoch" else "Split"
    fig = make_subplots(rows=2, cols=1, row_heights=[0.7, 0.3], vertical_spacing=0.14)
    first = run.frames[0]
    fig.add_trace(
        go.Heatmap(
            x=run.x,
            y=run.y,
            z=first.risk,
            zmin=0,
            zmax=100,
            colorscale=RISK_SCALE,
            opacity=0.8,
            colorbar=dict(
                title=dict(text="risk %", side="top"),
                thickness=10,
                len=0.5,
                y=0.72,
                yanchor="middle",
                tickvals=[0, 50, 100],
                x=1.0,
                xpad=4,
            ),
            hovertemplate=f"{learn.SHORT_NAMES[a]} %{{x:.0f}}<br>{learn.SHORT_NAMES[b]} %{{y:.1f}}"
            "<br>model's risk %{z} %<extra></extra>",
            name="model's risk",
        ),
        row=1,
        col=1,
    )
    for trace in _dots(patients.train, run.settings.features, held_out=False) + _dots(
        patients.validation, run.settings.features, held_out=True
    ):
        fig.add_trace(trace, row=1, col=1)
    for trace in _curves(run, len(run.frames) - 1, curve):
        fig.add_trace(go.Scatter(trace), row=2, col=1)
    field, y_title, scale = CURVES[curve]
    values = [scale * getattr(f, f"{part}_{field}") for f in run.frames for part in ("train", "validation")]
    top = max((v for v in values if np.isfinite(v)), default=1.0)
    steps = [f.step for f in run.frames]
    frames = [
        {
            "name": str(frame.step),
            # Only the map is animated: animating the curves too made plotly.js drop the map and dots mid-play.
            # The curves stay whole, and a line marks the step on show.
            "data": [{"type": "heatmap", "z": frame.risk.tolist()}],
            "traces": [0],
            "layout": {"annotations": [_caption(frame.caption, presenter)], "shapes": [_cursor(frame.step)]},
        }
        for frame in run.frames
    ]
    duration = int(min(max(1000 * story_seconds / len(run.frames), 120), 1000))
    play = dict(
        frame=dict(duration=duration, redraw=True), transition=dict(duration=0), fromcurrent=True, mode="immediate"
    )
    jump = dict(frame=dict(duration=0, redraw=True), transition=dict(duration=0), mode="immediate")
    fig.update_layout(
        # The caption sits under the controls like a film's subtitle; offsets are in pixels, so they hold at any width.
        annotations=[_caption(first.caption, presenter)],
        shapes=[_cursor(first.step)],
        margin=dict(l=10, r=10, t=10, b=250),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, xanchor="left", font=dict(size=12)),
        updatemenus=[
            dict(
                type="buttons",
                direction="left",
                showactive=False,
                x=0,
                xanchor="left",
                y=0,
                yanchor="top",
                pad=dict(t=58, r=6),
                buttons=[
                    dict(label="▶ Play", method="animate", args=[None, play]),
                    dict(label="❚❚ Pause", method="animate", args=[[None], jump]),
                    dict(label="↺ Restart", method="animate", args=[[str(s) for s in steps], play]),
                ],
            )
        ],
        sliders=[
            dict(
                active=0,
                x=0,
                len=1.0,
                y=0,
                yanchor="top",
                pad=dict(t=100, b=0),
                currentvalue=dict(prefix=f"{name} ", font=dict(size=13, color="#1B1F24")),
                font=dict(color="rgba(0,0,0,0)", size=8),  # sixty tick labels would overlap; the value shows above
                ticklen=0,
                steps=[dict(method="animate", label=str(s), args=[[str(s)], jump]) for s in steps],
            )
        ],
    )
    fig.update_xaxes(title_text=_axis_title(a), range=[float(run.x[0]), float(run.x[-1])], row=1, col=1)
    fig.update_yaxes(title_text=_axis_title(b), range=[float(run.y[0]), float(run.y[-1])], row=1, col=1)
    fig.update_xaxes(title_text=name, range=[steps[0] - 0.5, steps[-1] + 0.5], row=2, col=1)
    fig.update_yaxes(title_text=y_title, range=[0, 1.1 * top], row=2, col=1)
    fig = style_figure(fig, height=820, presenter=presenter).to_dict()
    # The frames were built as plain JSON-ready dicts; validating 60 of them again would take seconds.
    return go.Figure({**fig, "frames": frames}, _validate=False)


def frame_payload_bytes(fig: go.Figure) -> list[int]:
    """Bytes of page data each animation frame adds (its JSON as sent to the browser)."""
    return [len(json.dumps(frame, default=str)) for frame in fig.to_plotly_json()["frames"]]


# ---------------------------------------------------------------- cached work (bounded, keyed by settings)
@st.cache_data(show_spinner=False, max_entries=16)
def trajectories(settings: LearnSettings) -> tuple[Trajectory, Trajectory, Patients]:
    """Both families' whole runs for one setting; computed once, then every visitor plays them back."""
    patients = dr.load_training("Pima.tr")
    return (
        learn.network_trajectory(patients, settings),
        learn.tree_trajectory(patients, settings),
        learn.inner_split(patients, settings),
    )


@st.cache_resource(show_spinner=False, max_entries=32)
def figure(settings: LearnSettings, family: str, curve: str, presenter: bool) -> go.Figure:
    """Built once per setting and shared: plotly_chart only reads it, so nobody mutates the cached figure."""
    network, tree, patients = trajectories(settings)
    return learning_figure(network if family == "mlp" else tree, patients, curve=curve, presenter=presenter)


# ---------------------------------------------------------------- the section
def _network_controls() -> dict:
    d = LearnSettings()
    return dict(
        hidden_units=st.slider("Neurons per hidden layer", 1, 32, d.hidden_units, key=f"{KEY}_units"),
        hidden_layers=st.slider("Hidden layers", 1, 3, d.hidden_layers, key=f"{KEY}_layers"),
        learning_rate=st.select_slider(
            "Learning rate (step size)",
            learn.LEARNING_RATES,
            d.learning_rate,
            key=f"{KEY}_rate",
            help="How far each weight moves per step. Too small: it learns slowly. Too large: it jumps about.",
        ),
        activation=st.selectbox(
            "Activation",
            learn.ACTIVATIONS,
            learn.ACTIVATIONS.index(d.activation),
            key=f"{KEY}_activation",
            help="The bend each neuron applies: relu (a hinge), tanh or logistic (S-curves).",
        ),
        alpha=st.select_slider(
            "Weight penalty alpha (regularisation)",
            learn.ALPHAS,
            d.alpha,
            key=f"{KEY}_alpha",
            help="Larger values keep the weights small, so the boundary stays smooth.",
        ),
        epochs=st.slider("Epochs (passes over the women)", 10, 200, d.epochs, step=10, key=f"{KEY}_epochs"),
    )


def _tree_controls() -> dict:
    d = LearnSettings()
    return dict(
        max_depth=st.slider("Most questions per path (depth)", 1, 12, d.max_depth, key=f"{KEY}_depth"),
        min_samples_leaf=st.slider("Fewest women per leaf", 1, 50, d.min_samples_leaf, key=f"{KEY}_leaf"),
        criterion=st.segmented_control(
            "Split criterion",
            learn.CRITERIA,
            default=d.criterion,
            key=f"{KEY}_criterion",
            help="Two measures of how mixed a group is; they usually pick the same questions.",
        )
        or d.criterion,
    )


def _summary(run: Trajectory, name: str, held_out: int) -> str:
    """One sentence per model from its own numbers; a rise of a woman or two out of 60 is not called over-fitting."""
    best = min(run.frames, key=lambda f: (f.validation_error, f.step))
    last = run.frames[-1]
    step = run.step_name
    text = (
        f"{name}: training error {100 * run.frames[0].train_error:.0f} % → {100 * last.train_error:.0f} %; "
        f"held-out error lowest ({100 * best.validation_error:.0f} %) at {step} {best.step}, "
        f"{100 * last.validation_error:.0f} % at the end"
    )
    more = round((last.validation_error - best.validation_error) * held_out)
    if more >= 3:
        return text + (
            f": {more} more held-out women misjudged than at its best. It went on learning the training women, "
            "not the pattern."
        )
    if more > 0:
        return text + f" ({more} of {held_out} held-out women: too few to call it over-fitting)."
    return text + "."


def _engineer(settings: LearnSettings) -> None:
    st.markdown("**The update rules**")
    for title, latex, words in UPDATE_RULES:
        st.markdown(f"*{title}*")
        st.latex(latex)
        st.caption(words)
    st.markdown("**The real code** (read from the module as it runs)")
    for fn in (learn.network_trajectory, learn.tree_trajectory):
        st.code(inspect.getsource(fn), language="python")
    st.caption(
        f"Same runs from the command line: `python -m models.risk learn --features "
        f"{','.join(settings.features)} --family mlp --json` (or `--family tree`)."
    )


@st.fragment
def _panel() -> None:
    """Controls and the two animations; a fragment, so turning a knob reruns only this part of the page."""
    measures = list(dr.FEATURES)
    left, right = st.columns(2)
    x = left.selectbox(
        "Across (x)", measures, measures.index("glu"), key=f"{KEY}_x", format_func=lambda n: dr.FEATURE_INFO[n].label
    )
    y = right.selectbox(
        "Up (y)", measures, measures.index("bmi"), key=f"{KEY}_y", format_func=lambda n: dr.FEATURE_INFO[n].label
    )
    if x == y:
        st.warning("Choose two different measurements: the map needs one across and one up.", icon=":material/warning:")
        return
    curve = st.segmented_control("Curves below show", list(CURVES), default="Error", key=f"{KEY}_curve") or "Error"
    net_col, tree_col = st.columns(2)
    with net_col:
        st.markdown("**Neural network** (trained epoch by epoch)")
        with st.popover("Network settings", icon=":material/tune:"):
            net = _network_controls()
    with tree_col:
        st.markdown("**Decision tree** (grown split by split)")
        with st.popover("Tree settings", icon=":material/tune:"):
            tree = _tree_controls()
    settings = LearnSettings(features=(x, y), **net, **tree)
    with st.spinner(
        "Training the network epoch by epoch and growing the tree split by split, once for these settings…"
    ):
        network_run, tree_run, patients = trajectories(settings)
    presenter = is_presenter()
    for column, run, label in ((net_col, network_run, "Neural network"), (tree_col, tree_run, "Decision tree")):
        with column:
            st.caption(settings.describe(run.family).capitalize() + ".")
            st.plotly_chart(
                figure(settings, run.family, curve, presenter),
                key=f"{KEY}_{run.family}_chart",
                config={"displayModeBar": False},
            )
            st.caption(_summary(run, label, len(patients.validation)))
    st.caption(
        f"Map: each square's colour is the risk the model gives a woman with those two values (blue low, "
        f"vermillion high, pale near 50 %). Dots: the {len(patients.train)} training women (triangles had "
        f"diabetes); click 'held out' in the legend to see the {len(patients.validation)} women kept aside from "
        "Pima.tr to check each step. Pima.te, the test set, is not used here."
    )
    explanation(
        "What to look for",
        "The network bends one smooth boundary a little every epoch; the tree cuts the map into rectangles, one "
        "question at a time. Both training curves fall. Watch the dashed held-out curve: when it stops falling "
        "while the training curve keeps going down, the model has started to memorise the training women. Make "
        "the tree deeper or the leaves smaller, or the network larger with no penalty, and it happens sooner.",
    )
    if is_engineer():
        _engineer(settings)


def learn_asked() -> bool:
    """A link or the tour asked for this section open (`?risk_learn=true`): the page opens the tab it is in."""
    return bool(st.session_state.get(KEY)) or str(st.query_params.get(KEY, "")).lower() in {"true", "1"}


def watch_learn_section() -> None:
    """'Watch it learn', folded until opened (only then is anything computed); `?risk_learn=true` opens it."""
    box = st.expander(
        "Watch it learn: a neural network and a decision tree, frame by frame",
        icon=":material/play_circle:",
        key=KEY,
        bind="query-params",
    )
    if not box.open:
        return
    with box:
        talking_points(
            [
                "Same 140 women, two kinds of model. Press Play under each picture.",
                "The network bends a smooth line; the tree draws boxes, one question at a time.",
                "Dashed line: women the models never trained on. When it rises, the model is memorising.",
            ]
        )
        _panel()
