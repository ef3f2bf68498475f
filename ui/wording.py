"""Words from numbers: every sentence that states a direction, a comparison or a shape is built here from
the figures it describes, so a caption can never contradict the chart or the table beside it.

Plain functions over plain data (pandas in, a string out), shared by every demo and unit-tested.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

__all__ = [
    "LOWER_IS_BETTER",
    "push_sentence",
    "curve_sentence",
    "arena_sentence",
    "compare_word",
    "link_score_note",
    "order_note",
]

# Metric names (as learning curves label them) where a smaller value is the better one.
LOWER_IS_BETTER = ("rmse", "mae", "error", "brier", "log loss", "loss")


def _lower_is_better(metric: str) -> bool:
    return any(word in metric.lower() for word in LOWER_IS_BETTER)


def push_sentence(contributions: pd.Series, label: Callable[[str], str] = str) -> str:
    """Which measurements push a risk up and which pull it down, from the signs of the bars.

    `contributions` holds one signed push per feature (positive raises the risk). A feature is only
    said to push up when its bar is positive, and only said to pull down when it is negative.
    """
    pushes = contributions.dropna()
    if pushes.empty:
        return "No measurement moves this risk."
    ups, downs = pushes[pushes > 0], pushes[pushes < 0]
    parts = []
    if len(ups):
        parts.append(f"{label(str(ups.idxmax()))} pushes this patient's risk up most")
    else:
        parts.append("no measurement pushes this patient's risk above the reference")
    if len(downs):
        parts.append(f"{label(str(downs.idxmin()))} pulls it down most")
    else:
        parts.append("none pulls it down")
    sentence = "; ".join(parts)
    return sentence[:1].upper() + sentence[1:] + "."


def compare_word(
    mine: float, other: float, *, more: str, less: str, same: str = "about as", tolerance: float = 0.1
) -> str:
    """'faster'/'slower'-style word for `mine` against `other`; within `tolerance` (relative) it is `same`."""
    if other == 0 and mine == 0:
        return same
    if abs(mine - other) <= tolerance * max(abs(mine), abs(other)):
        return same
    return more if mine > other else less


def curve_sentence(curve: pd.DataFrame) -> str:
    """The shape of each learning curve in words: where it starts and ends, and whether it has flattened.

    `curve` has columns `x`, `metric`, `value` (one row per amount of data and metric). "Flattened" means
    the last step's slope is under 30 % of the whole curve's average slope.
    """
    sentences = []
    for metric, part in curve.groupby("metric", sort=False):
        part = part.sort_values("x")
        if len(part) < 2:
            continue
        lower = _lower_is_better(str(metric))
        xs, values = part["x"].astype(float).to_numpy(), part["value"].astype(float).to_numpy()
        first, last = values[0], values[-1]
        scale = max(abs(first), abs(last), 1e-9)
        whole, step = last - first, values[-1] - values[-2]
        if abs(whole) < 0.02 * scale:
            sentences.append(f"{metric} hardly moves: {first:.3g} with the least data, {last:.3g} with the most.")
            continue
        improves = (whole < 0) if lower else (whole > 0)
        text = f"{metric} {'improves' if improves else 'gets worse'} from {first:.3g} to {last:.3g} as the data grows"
        slope_all = whole / max(xs[-1] - xs[0], 1e-9)
        slope_last = step / max(xs[-1] - xs[-2], 1e-9)
        if slope_last * slope_all <= 0 and abs(step) >= 0.005 * scale:
            text += "; it turned back at the last step"
        elif abs(slope_last) < 0.3 * abs(slope_all):
            text += "; the last step changed it little, so it has about flattened"
        elif improves:
            text += "; it was still improving at the last step, so more data would likely help"
        best = values.min() if lower else values.max()
        if abs(best - last) >= 0.02 * scale:
            text += f" (its best, {best:.3g}, came with less data)"
        sentences.append(text + ".")
    return " ".join(sentences)


def arena_sentence(arena: pd.DataFrame, *, quality: str, rival: str | None = None, item: str = "prediction") -> str:
    """The default model against one rival (the best other one by default): quality, training time and
    latency, each compared in the direction the numbers go.

    `arena` has columns `model`, `quality` (higher is better), `fit_seconds`, `predict_ms`, `is_default`.
    """
    defaults = arena[arena["is_default"].astype(bool)]
    others = arena[~arena["is_default"].astype(bool)]
    if defaults.empty or others.empty:
        return ""
    mine = defaults.iloc[0]
    other = (
        others.loc[others["model"] == rival].iloc[0]
        if rival in set(others["model"])
        else others.loc[others["quality"].idxmax()]
    )
    quality_word = compare_word(
        float(mine["quality"]), float(other["quality"]), more="above", less="below", same="level with", tolerance=0.01
    )
    fit_word = compare_word(
        float(mine["fit_seconds"]), float(other["fit_seconds"]), more="slower", less="faster", same="about as fast"
    )
    latency_word = compare_word(
        float(mine["predict_ms"]), float(other["predict_ms"]), more="slower", less="faster", same="about as fast"
    )
    return (
        f"Measured here: {mine['model']} scores {float(mine['quality']):.3f} ({quality}), {quality_word} "
        f"{other['model']} at {float(other['quality']):.3f}; it trained {fit_word} "
        f"({float(mine['fit_seconds']):.1f} s against {float(other['fit_seconds']):.1f} s) and answers "
        f"{latency_word} ({float(mine['predict_ms']):.2f} ms against {float(other['predict_ms']):.2f} ms "
        f"per {item})."
    )


def link_score_note(negatives: int, density: float) -> str:
    """Why a link predictor's score is not a chance of a link, from the network's own numbers.

    The model learned from 1 real link per `negatives` sampled non-links (a link rate of 1 / (1 + negatives)),
    while only `density` of all pairs are linked, so its probabilities run far above the real odds.
    """
    return (
        f"Link score: how strongly the model ranks a pair, 0 to 1. It is not a chance of a link: the model "
        f"learned from 1 real link per {negatives} non-links ({1 / (1 + negatives):.0%} links), while only "
        f"{density:.2%} of all pairs of people here are linked, so its scores run far above the real odds. "
        "Use it to compare suggestions."
    )


def order_note(top: pd.DataFrame) -> str:
    """Why a suggestion list's order differs from what its reasons suggest, when it does.

    `top` is ordered by the model's score, with `name` and `mutual` (mutual connections) columns. When a
    person with fewer mutual connections ranks above one with more, say so with the first such pair.
    """
    mutual = top["mutual"].astype(int).tolist()
    for above in range(len(mutual)):
        below = next((j for j in range(above + 1, len(mutual)) if mutual[j] > mutual[above]), None)
        if below is not None:
            first, second = top.iloc[above], top.iloc[below]
            return (
                f"Ordered by link score, not by mutual connections: {first['name']} ({mutual[above]} mutual) "
                f"ranks above {second['name']} ({mutual[below]} mutual) because the model weighs every "
                "signal together: shared company, school or city, and how connected each person is."
            )
    return "Ordered by link score; here that is also the order of mutual connections."
