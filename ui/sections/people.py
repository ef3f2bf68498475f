"""The people-you-may-know page's sections: the picker and suggestions, joining, data, evaluation, engineer's view."""

from __future__ import annotations

import math
from functools import partial

import networkx as nx
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import models.people as lp
from benchmarks import results
from models.common import InputError
from models.people.network import MAX_UPLOAD_EDGES, MAX_UPLOAD_NODES
from models.people.supervised import training_pairs
from ui import charts
from ui.engineer_view import EngineerView, render_engineer_view
from ui.layout import Metric, capped_uploader, explanation, metric_cards
from ui.loaders.people import (
    DEFAULT_SUGGESTIONS,
    UPLOAD_LIMIT,
    Source,
    arena,
    default_person,
    evaluation,
    every_graph,
    learning,
    people_table,
    person_labels,
    predictor,
    roc,
    suggestions,
)
from ui.loaders.people import slices as slices_table
from ui.presenter import is_engineer, is_presenter, technical
from ui.settings import reset_button
from ui.theme import NEUTRAL, PALETTE, style_figure
from ui.tour import counted
from ui.wording import link_score_note, order_note

SIZES = [200, 500, 1000, 2000, 5000, 10_000]
SETTINGS = {  # widget key -> default; "Reset to defaults" restores these
    "people_model": "logistic",
    "people_graph_features": True,
    "people_profile_features": True,
    "people_holdout": 10,
    "people_split": "random",
    "people_negatives": 5,
    "people_n": 2000,
    "people_degree": 10,
    "people_triadic": 0.5,
    "people_homophily": 0.7,
    "people_tail": 2.5,
    "people_seed": 42,
}
REASON_STYLE = {  # main reason -> (colour, dash, marker symbol); colour is never the only carrier
    "mutual connections": (PALETTE[0], "dash", "diamond"),
    "same company": (PALETTE[1], "dot", "square"),
    "same school": (PALETTE[2], "dashdot", "triangle-up"),
    "same city": (PALETTE[3], "longdash", "pentagon"),
    "well connected": (NEUTRAL, "longdashdot", "hexagon"),
}
measured = partial(results.shown, "people")  # a figure from benchmarks/results/people.json, or "not measured yet"


# ---------------------------------------------------------------- plotly builders (data in, figure out)
def ego_figure(graph: nx.Graph, person: int, top: pd.DataFrame, title_name: str, *, height: int = 520) -> go.Figure:
    """The person in the middle, their connections on a ring, suggested people outside, dashed by reason."""
    friends = list(graph[person])
    suggested = [int(v) for v in top["id"]]
    mutual_friends = {f for v in suggested for f in graph[v] if f in graph[person]}
    shown = sorted(friends, key=lambda f: (f not in mutual_friends, -graph.degree(f)))[:30]
    angle = {f: 2 * math.pi * i / max(1, len(shown)) for i, f in enumerate(shown)}
    pos = {person: (0.0, 0.0), **{f: (math.cos(a), math.sin(a)) for f, a in angle.items()}}
    preferred = {}
    for i, v in enumerate(suggested):
        links = [angle[f] for f in graph[v] if f in angle]
        preferred[v] = (
            math.atan2(sum(map(math.sin, links)), sum(map(math.cos, links))) % (2 * math.pi)
            if links
            else 2 * math.pi * (i + 0.5) / max(1, len(suggested))
        )
    ordered = sorted(suggested, key=preferred.get)  # evenly spaced on the outer ring, near their mutual friends
    offset = preferred[ordered[0]] if ordered else 0.0
    for i, v in enumerate(ordered):
        a = offset + 2 * math.pi * i / len(ordered)
        pos[v] = (2.1 * math.cos(a), 2.1 * math.sin(a))
    fig = go.Figure()
    xs, ys = [], []
    for f in shown:
        xs += [0, pos[f][0], None]
        ys += [0, pos[f][1], None]
    for v in suggested:
        for f in graph[v]:
            if f in angle:
                xs += [pos[v][0], pos[f][0], None]
                ys += [pos[v][1], pos[f][1], None]
    fig.add_trace(
        go.Scatter(
            x=xs, y=ys, mode="lines", line=dict(color="#C5CBD3", width=1), name="existing connection", hoverinfo="skip"
        )
    )
    for reason, part in top.groupby("main_reason", sort=False):
        colour, dash, _ = REASON_STYLE.get(reason, REASON_STYLE["well connected"])
        xs, ys = [], []
        for v in part["id"]:
            xs += [0, pos[int(v)][0], None]
            ys += [0, pos[int(v)][1], None]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                line=dict(color=colour, width=2.5, dash=dash),
                name=f"suggested: {reason}",
                hoverinfo="skip",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[pos[f][0] for f in shown],
            y=[pos[f][1] for f in shown],
            mode="markers",
            name="their connections",
            marker=dict(size=9, color="#5B6570", symbol="circle"),
            text=[lp.person_label(graph, f) for f in shown],
            hovertemplate="%{text}<extra>connection</extra>",
        )
    )
    for reason, part in top.groupby("main_reason", sort=False):
        colour, _, symbol = REASON_STYLE.get(reason, REASON_STYLE["well connected"])
        fig.add_trace(
            go.Scatter(
                x=[pos[int(v)][0] for v in part["id"]],
                y=[pos[int(v)][1] for v in part["id"]],
                mode="markers+text",
                showlegend=False,
                textfont=dict(size=12),
                textposition=["middle right" if pos[int(v)][0] >= 0 else "middle left" for v in part["id"]],
                text=[str(name).split(" (#")[0] for name in part["name"]],
                customdata=part["reasons"],
                hovertemplate="%{text}: %{customdata}<extra>suggested</extra>",
                marker=dict(size=14, color=colour, symbol=symbol, line=dict(width=1, color="#1B1F24")),
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[0],
            y=[0],
            mode="markers+text",
            text=[title_name],
            textposition="bottom center",
            name="the person",
            marker=dict(size=22, color="#000000", symbol="star"),
        )
    )
    fig.update_layout(
        xaxis=dict(visible=False, range=[-3.6, 3.6]),
        yaxis=dict(visible=False, scaleanchor="x"),
        legend=dict(orientation="h", y=-0.05, yanchor="top"),
        margin=dict(l=0, r=0, t=10, b=10),
    )
    return style_figure(fig, height=height, presenter=is_presenter())


@st.cache_resource(show_spinner=False, max_entries=64)
def ego_chart(
    source: Source,
    config: lp.TrainConfig,
    person: int,
    n: int,
    title_name: str,
    presenter: bool,
    height: int,
    _graph: nx.Graph,
    _top: pd.DataFrame,
) -> go.Figure:
    """A person's picture only changes with who they are and their suggestions: built once (shared)."""
    return ego_figure(_graph, person, _top, title_name, height=height)


@st.cache_resource(show_spinner=False, max_entries=12)
def roc_chart(source: Source, config: lp.TrainConfig, presenter: bool, _data: bytes | None = None) -> go.Figure:
    return roc_figure(roc(source, config, _data))


def roc_figure(roc: pd.DataFrame) -> go.Figure:
    """Every method's ROC curve on the hidden links; the supervised model drawn thick and black."""
    curves = {
        label: (part["false_positive_rate"], part["true_positive_rate"])
        for label, part in roc.groupby("label", sort=False)
    }
    fig = charts.roc_figure(
        curves,
        emphasise=next((c for c in curves if c.startswith("Supervised")), None),
        x_title="Share of non-links wrongly suggested (false-positive rate)",
        y_title="Share of hidden links found (true-positive rate)",
        height=520,
        presenter=is_presenter(),
    )
    return fig.update_layout(legend=dict(orientation="h", y=-0.22, yanchor="top"))


# ---------------------------------------------------------------- settings
def sidebar_settings(graph_name: str) -> tuple[lp.NetworkParams, lp.TrainConfig]:
    """Hyperparameters and generator knobs in the sidebar, bound to the URL."""
    sb = st.sidebar
    sb.subheader("Model settings")
    model = sb.selectbox(
        "Supervised model",
        list(lp.SUPERVISED),
        format_func=lambda m: lp.SUPERVISED[m].split(": ")[1],
        key="people_model",
        bind="query-params",
    )
    use_graph = sb.toggle(
        "Use neighbourhood scores",
        value=True,
        key="people_graph_features",
        bind="query-params",
        help="Common neighbours, Jaccard, Adamic-Adar, resource allocation, preferential "
        "attachment, Katz and personalised PageRank, computed on the observed network.",
    )
    use_profile = sb.toggle(
        "Use profile similarity",
        value=True,
        key="people_profile_features",
        bind="query-params",
        help="Same company, school, city or role (synthetic network only).",
    )
    holdout = sb.slider("Links hidden for testing (%)", 5, 50, 10, 5, key="people_holdout", bind="query-params")
    split = sb.radio(
        "Which links to hide",
        lp.SPLITS,
        key="people_split",
        bind="query-params",
        horizontal=True,
        format_func={"random": "random", "time": "the newest"}.get,
        help="'The newest' asks the honest question: who connects next? (synthetic network only)",
    )
    negatives = sb.slider("Non-links sampled per hidden link", 1, 10, 5, key="people_negatives", bind="query-params")
    with sb.expander("Network generator", expanded=graph_name == "synthetic"):
        n_people = st.select_slider("People", SIZES, value=2000, key="people_n", bind="query-params")
        degree = st.slider("Average connections", 4, 20, 10, key="people_degree", bind="query-params")
        triadic = st.slider(
            "Triadic closure (friend of a friend)",
            0.0,
            0.9,
            0.5,
            0.1,
            key="people_triadic",
            bind="query-params",
            help="Share of new links that close a triangle.",
        )
        homophily = st.slider(
            "Homophily (same company, school, city)",
            0.0,
            1.0,
            0.7,
            0.1,
            key="people_homophily",
            bind="query-params",
            help="Of the other links, the share made inside a shared group.",
        )
        tail = st.slider(
            "Degree tail exponent (smaller = bigger hubs)", 1.5, 4.0, 2.5, 0.25, key="people_tail", bind="query-params"
        )
        seed = st.number_input("Seed", 0, 9999, 42, key="people_seed", bind="query-params")
    reset_button(SETTINGS, key="people_reset")
    sb.caption(
        "Defaults: logistic regression on every score and profile match; 10 % of links hidden at random, "
        "5 non-links per hidden link. Measured best on the 2,000-person network (see the model arena)."
    )
    features = (lp.GRAPH_FEATURES if use_graph else ()) + (lp.PROFILE_FEATURES if use_profile else ())
    if not features:
        st.sidebar.warning("Both feature groups were off; the neighbourhood scores are used.")
        features = lp.GRAPH_FEATURES
    if graph_name != "synthetic" and split == "time":
        st.sidebar.info("This graph has no link times: links are hidden at random.", icon=":material/info:")
        split = "random"
    params = lp.NetworkParams(int(n_people), float(degree), float(triadic), float(homophily), float(tail), int(seed))
    config = lp.TrainConfig(
        model=model,
        features=tuple(features),
        holdout=holdout / 100,
        split=split,
        negatives=int(negatives),
        seed=int(seed),
    )
    return params, config


def upload_section() -> bytes | None:
    """The visitor's own edge list, kept in their session only."""
    st.caption(
        f"Two columns of whole numbers, one link per line (CSV or spaces), an optional header; up to "
        f"{UPLOAD_LIMIT // 1_000_000} MB, {MAX_UPLOAD_EDGES:,} links and "
        f"{MAX_UPLOAD_NODES:,} people."
    )
    upload = capped_uploader("Edge list", UPLOAD_LIMIT, type=["csv", "txt", "tsv", "edges"], key="people_upload")
    if upload is None:
        return None
    if upload.size > UPLOAD_LIMIT:
        raise InputError(f"{upload.name} is {upload.size / 1e6:.1f} MB; the limit is {UPLOAD_LIMIT // 1_000_000} MB")
    return upload.getvalue()


# ---------------------------------------------------------------- sections
def data_section(graph: nx.Graph, notes: tuple[str, ...], source: Source, data: bytes | None) -> None:
    degrees = pd.Series(dict(graph.degree()))
    metric_cards(
        [
            Metric("People", f"{graph.number_of_nodes():,}"),
            Metric("Connections", f"{graph.number_of_edges():,}"),
            Metric("Typical person knows", f"{degrees.median():.0f}", help="Median number of connections."),
            Metric("Best-connected person", f"{degrees.max():,}", help="Heavy tail: a few hubs know hundreds."),
        ]
    )
    if source.name == "synthetic":
        st.caption(
            "Generated on this laptop from the seed: people start links in proportion to a heavy-tailed "
            "'activity'; half of new links join a friend of a friend (triadic closure) and most others stay "
            "inside a shared company, school or city (homophily). See data/professional_network.md."
        )
    else:
        st.caption(lp.REAL_GRAPHS.get(source.name, "Your edge list, as uploaded (kept in your session only)."))
    for note in notes:
        st.info(f"Cleaning: {note}.", icon=":material/cleaning_services:")
    if is_engineer():
        with technical("A few people from the data"):
            st.dataframe(people_table(source, data).head(8), hide_index=True, width="stretch")


COLUMNS = {  # the reasons get the room: a laptop shows them whole without scrolling sideways
    "suggested person": st.column_config.TextColumn(width=150),
    "link score": st.column_config.NumberColumn(
        "score", width=50, format="%.2f", help="The model's link score (a ranking score, not a chance)"
    ),
    "reasons": st.column_config.TextColumn(width="large"),
}


def suggestion_rows(top: pd.DataFrame) -> pd.DataFrame:
    """Name, the model's score (a ranking score, not a chance: see `link_score_note`), and the reasons."""
    return pd.DataFrame(
        {"suggested person": top["name"], "link score": top["score"].round(2), "reasons": top["reasons"]}
    )


def forget_person() -> None:
    """A new network has other people: the old person's name must not stay over another person's suggestions."""
    st.session_state.pop("people_person", None)
    st.session_state.pop("people_me", None)


def person_section(graph: nx.Graph, source: Source, config: lp.TrainConfig, data: bytes | None) -> None:
    """The first screen: pick a person (left), their suggestions with reasons under it, the picture beside."""
    people = sorted(graph)
    start = default_person(graph)
    left, right = st.columns([3, 2], gap="medium")  # phones stack them: the pick and the list first
    left.markdown("#### :material/person_search: Pick a person")  # the tour scrolls to this heading
    picker, count = left.columns([3, 1])
    labels = person_labels(source, data)
    person = picker.selectbox(
        "Person",
        people,
        index=people.index(start),
        key="people_person",
        bind="query-params",
        format_func=labels.get,
        help="Type to search by name.",
    )
    n = count.slider("Suggestions", 3, 15, DEFAULT_SUGGESTIONS, key="people_top", bind="query-params")
    if person is None:
        return
    attrs = graph.nodes[person]
    if graph.graph.get("has_profiles"):
        left.caption(
            f"{attrs['role']} at {attrs['company']}, studied at {attrs['school']}, lives in "
            f"{attrs['city']}; {graph.degree(person)} connections."
        )
    with left, st.spinner("Scoring friends of friends, colleagues and classmates…"):
        top = suggestions(source, config, int(person), n, data)
    if top.empty:
        left.info("Nobody to suggest: this person is not linked to anyone a suggestion could come from.")
        return
    left.dataframe(
        suggestion_rows(top),
        hide_index=True,
        width="stretch",
        column_config=COLUMNS,
        height=min(36 + 35 * len(top), 36 + 35 * 8),
    )
    best = top.iloc[0]
    pairs = graph.number_of_nodes() * (graph.number_of_nodes() - 1) / 2
    with left.expander(f"Why {best['name']} first", icon=":material/lightbulb:"):
        st.markdown(
            f"{best['reasons'][:1].upper() + best['reasons'][1:]}. The model learned from links it hid inside "
            "this network how much each of these signals is worth, and gives this pair a link score of "
            f"{best['score']:.2f}" + (", the highest here." if best["score"] >= top["score"].max() else ".")
        )
        st.caption(
            link_score_note(config.negatives, graph.number_of_edges() / pairs if pairs else 0.0) + " " + order_note(top)
        )
    with right:
        st.plotly_chart(
            ego_chart(
                source,
                config,
                int(person),
                n,
                str(attrs.get("name", person)).split(" (#")[0],
                is_presenter(),
                430,
                graph,
                top,
            ),
            key="people_ego_chart",
        )
        st.caption(
            f"{lp.person_label(graph, int(person))} (star) with up to 30 of their connections (grey ring) and "
            f"{len(top)} suggested people (outer ring); dashed lines and marker shapes show each suggestion's "
            f"main reason, thin grey lines the mutual connections behind it."
        )


def join_section(graph: nx.Graph, source: Source, config: lp.TrainConfig) -> None:
    """A visitor joins with a profile and 2-5 people they know; the shared network is copied, never changed."""
    st.subheader(":material/person_add: Join the network yourself")
    if not graph.graph.get("has_profiles"):
        st.info("Joining needs profiles (company, school, city): switch to the professional network.")
        return
    frame = people_table(source)
    with st.form("people_join_form", border=True):
        st.caption(
            "Your answers stay in your browser session; nobody else sees them, and the shared network is never changed."
        )
        c1, c2, c3 = st.columns(3)
        company = c1.selectbox("Company", sorted(frame["company"].unique()), key="people_me_company")
        school = c2.selectbox("School", sorted(frame["school"].unique()), index=0, key="people_me_school")
        city = c3.selectbox("City", sorted(frame["city"].unique()), key="people_me_city")
        known = st.multiselect(
            "People you know (2 to 5)",
            sorted(graph),
            max_selections=5,
            key="people_me_known",
            format_func=person_labels(source).get,
            placeholder="Type a name, e.g. Ana",
        )
        joined = st.form_submit_button("Join and see who I may know", icon=":material/group_add:")
    if joined:
        st.session_state["people_me"] = {
            "profile": {"company": company, "school": school, "city": city, "name": "You"},
            "known": list(known),
            "source": source,
        }
    me = st.session_state.get("people_me")
    if not me or me["source"] != source:
        return
    copy, visitor = lp.join_network(graph, me["profile"], me["known"])
    top = lp.suggest(copy, visitor, predictor=predictor(source, config), n=8)
    st.success(f"You joined with {len(me['known'])} connections. People you may know:", icon=":material/handshake:")
    st.dataframe(suggestion_rows(top), hide_index=True, width="stretch", column_config=COLUMNS)
    picture, _ = st.columns([3, 2])
    with picture:
        st.plotly_chart(ego_figure(copy, visitor, top, "You"), key="people_me_chart")
        st.caption("You (star), the people you know (grey ring) and the suggestions, dashed by their main reason.")
    st.button(
        "Leave the network", key="people_leave", on_click=counted(lambda: st.session_state.pop("people_me", None))
    )


def evaluation_section(source: Source, config: lp.TrainConfig, data: bytes | None, profiles: bool) -> lp.Evaluation:
    st.subheader(":material/fact_check: How good is it? Hidden links, every method side by side")
    with st.spinner("Hiding links, computing every score on what is left, training and testing…"):
        result = evaluation(source, config, data)
    table = result.table.set_index("method")
    best = result.best_heuristic()
    sup = table.loc[config.model]
    metric_cards(
        [
            Metric("AUC, supervised", f"{sup['auc']:.3f}", help="Chance a hidden link outranks a random non-link."),
            Metric(
                "AUC, best single score",
                f"{table.loc[best, 'auc']:.3f}",
                help=f"{lp.method_label(best)}, the best of the {len(lp.HEURISTICS)} scores on this graph.",
            ),
            Metric(
                "Avg. precision, supervised",
                f"{sup['average_precision']:.3f}",
                help=f"With {config.negatives} non-links per hidden link, a coin toss scores "
                f"{1 / (1 + config.negatives):.2f}.",
            ),
            Metric(
                f"Precision@{result.k}, supervised",
                f"{sup['precision_at_k']:.0%}",
                help=f"Share of real links among the {result.k} pairs the model is surest about.",
            ),
        ]
    )
    left, right = st.columns([1, 1])
    with left:
        st.plotly_chart(roc_chart(source, config, is_presenter(), data), key="people_roc_chart")
        st.caption(
            f"ROC curves on {int(result.labels.sum())} hidden links and {int((1 - result.labels).sum())} "
            f"non-links{' (pooled over ' + str(result.repeats) + ' splits)' if result.repeats > 1 else ''}: "
            "higher and further left is better; the black line is the supervised model."
        )
    shown = result.table.sort_values("auc", ascending=False)[["label", "auc", "average_precision", "precision_at_k"]]
    right.dataframe(
        shown.rename(
            columns={
                "label": "method",
                "auc": "AUC",
                "average_precision": "avg. precision",
                "precision_at_k": f"precision@{result.k}",
            }
        ).round(3),
        hide_index=True,
        width="stretch",
    )
    right.caption(
        f"{result.n_nodes:,} people, {result.n_edges:,} links; {config.holdout:.0%} hidden "
        f"({'the newest' if config.split == 'time' else 'at random'}), averaged over {result.repeats} "
        f"split(s); took {result.seconds:.1f} s."
    )
    gain = sup["auc"] - table.loc[best, "auc"]
    if gain > 0.005:
        body = (
            f"It ranks hidden links better than the best single score by {gain:.3f} AUC. Each score sees one "
            "signal: shared friends (Adamic-Adar), popularity (preferential attachment), longer chains (Katz). "
            "The model weighs them together and learns the weights from links hidden inside the network. "
            + (
                "It also sees what no score sees: a shared company, school or city. "
                if profiles and set(lp.PROFILE_FEATURES) & set(config.features)
                else ""
            )
            + "Pairs with no mutual friend all tie at zero for the neighbourhood scores; the model can still "
            "tell them apart by popularity and longer chains."
        )
    else:
        body = (
            f"Here the best single score ({lp.method_label(best)}) does as well as the model "
            f"(difference {gain:+.3f} AUC). With few links to learn from, or when one signal carries "
            "everything, a combiner has nothing to add: a simple score is the honest choice."
        )
    explanation("Why the learned combination wins (when it does)", body)
    if result.n_nodes < 50:
        st.caption(
            f"Only {result.n_nodes} people: a handful of hidden links per split, so these figures move a lot "
            "from one split to the next. Judge methods on the larger graphs."
        )
    if st.toggle("Compare on every graph (synthetic and the three real ones)", key="people_all_graphs"):
        with st.spinner("Evaluating every method on four graphs (about ten seconds the first time)…"):
            st.dataframe(every_graph(config).round(3), hide_index=True, width="stretch")
        st.caption(
            "AUC per method and graph, same settings (real graphs: random split, 10 splits averaged). "
            "Adamic-Adar and resource allocation beat common neighbours and preferential attachment on the "
            "real social graphs, as Liben-Nowell and Kleinberg (2007) found."
        )
    return result


def slices_caption(slices: pd.DataFrame) -> str:
    """What the slice chart says, computed from its numbers."""
    ok = slices[~slices["too_few"].astype(bool)]
    if len(ok) < 2:
        return "Too few hidden links per group to compare groups on this graph."
    worst = ok.sort_values("AUC (supervised)").iloc[0]
    text = (
        f"Pairs grouped by the less-connected person's number of connections. The model serves "
        f"'{worst['slice']}' worst (AUC {worst['AUC (supervised)']:.2f}). "
    )
    if worst["slice"] == ok["slice"].iloc[0]:
        text += "People with few connections have few mutual friends to go on: the cold-start problem. "
    elif worst["slice"] == ok["slice"].iloc[-1]:
        text += "Among the best-connected people almost every pair shares friends, so the hidden links stand out less. "
    if "AUC (Adamic-Adar)" in ok:
        first = ok.iloc[0]
        gap = first["AUC (supervised)"] - first["AUC (Adamic-Adar)"]
        text += (
            f"For '{first['slice']}' the model beats Adamic-Adar by {gap:+.2f} AUC: profile similarity and "
            "popularity still tell it something when mutual friends are scarce."
        )
    return text


def engineer_view(
    source: Source, config: lp.TrainConfig, params: lp.NetworkParams, result: lp.Evaluation, data: bytes | None
) -> None:
    slices = slices_table(source, config, data)
    render_engineer_view(
        EngineerView(
            key="people",
            learning_curve=lambda: learning(source, config, data),
            learning_curve_x="Share of the observed network the model sees (%)",
            learning_curve_caption="The test links stay fixed while the model sees a growing share of the other "
            "links. More of the network means more mutual friends to count and more examples to learn from, so "
            "quality rises; where the curve flattens, seeing more of the network adds little.",
            arena=lambda: arena(source, config, data),
            arena_quality="AUC on hidden links",
            default_reason="The arena above puts gradient boosting's AUC beside it on one split of the network; "
            "logistic regression trains as fast, its weights can be read (see the maths), and it generalises on the "
            "small real graphs. We keep the one we can explain; switch in the sidebar to compare.",
            formulas=lp.FORMULAS,
            train_function=lp.fit,
            extra_code=(training_pairs, lp.pair_features),
            script=lambda: lp.reproduction_script(source.name if source.name != "upload" else "karate", params, config),
            script_name="reproduce_people_you_may_know.py",
            slices=lambda: slices,
            slices_metric="AUC (supervised)",
            slices_caption=slices_caption(slices),
        )
    )
