"""Watch it learn: a neural network and a decision tree learning the same patients, frame by frame.

On two measurements of `Pima.tr` (the training women only), a seeded inner split keeps a third of the
women aside as a held-out check, so `Pima.te` stays untouched for the final report. A scikit-learn
`MLPClassifier` is trained one epoch at a time (`partial_fit`, plain mini-batch gradient descent) and a
`DecisionTreeClassifier` is grown one split at a time (`max_leaf_nodes`, best split first). After every
step we record the model's risk on a grid over the two measurements, its training and held-out log loss
and error, and one sentence about what it just did. The whole trajectory is computed once and then
played back, as TensorFlow Playground (Smilkov, Carter et al., 2016) and R2D3's "A visual introduction to
machine learning" (Yee and Chu, 2015) do for toy data.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, fields, replace

import numpy as np
import pandas as pd
import sklearn
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from models.common import DEFAULT_SEED, InputError
from models.risk.data import FEATURE_INFO, FEATURES, TARGET

__all__ = [
    "ACTIVATIONS",
    "CRITERIA",
    "LEARN_FAMILIES",
    "LEARN_LIMITS",
    "LEARNING_RATES",
    "ALPHAS",
    "MAX_FRAMES",
    "SHORT_NAMES",
    "LearnSettings",
    "LearnFrame",
    "Patients",
    "Trajectory",
    "inner_split",
    "network_trajectory",
    "tree_trajectory",
    "trajectory",
]

LEARN_FAMILIES = ("mlp", "tree")
ACTIVATIONS = ("relu", "tanh", "logistic")
CRITERIA = ("gini", "entropy")
LEARNING_RATES = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
ALPHAS = (0.0, 0.0001, 0.001, 0.01, 0.1, 1.0)
MAX_FRAMES = 60  # frames per model; more epochs are sampled evenly so the page data stay bounded
BATCH_SIZE = 20  # women per gradient step: 7 steps an epoch on 140 training women
CLIP = 0.001  # risks are clipped to [0.1 %, 99.9 %] for the log loss: a wrong "0 %" would count as infinite
SHORT_NAMES = {
    "npreg": "pregnancies",
    "glu": "glucose",
    "bp": "blood pressure",
    "skin": "skin fold",
    "bmi": "BMI",
    "ped": "pedigree",
    "age": "age",
}
LEARN_LIMITS: dict[str, tuple[float, float]] = {
    "hidden_units": (1, 32),
    "hidden_layers": (1, 3),
    "epochs": (5, 200),
    "max_depth": (1, 12),
    "min_samples_leaf": (1, 50),
    "grid": (20, 120),
    "validation_share": (0.2, 0.5),
}


@dataclass(frozen=True)
class LearnSettings:
    """Everything that defines one pair of trajectories: hashable, so a page can cache by it.

    Defaults tell the story in one run: the network's boundary settles within a few dozen epochs, while the
    deep tree keeps splitting until its training error is tiny and its held-out error has started to rise.
    """

    features: tuple[str, str] = ("glu", "bmi")
    hidden_units: int = 8
    hidden_layers: int = 1
    activation: str = "relu"
    learning_rate: float = 0.1
    alpha: float = 0.001
    epochs: int = 60
    max_depth: int = 8
    min_samples_leaf: int = 2
    criterion: str = "gini"
    grid: int = 100
    validation_share: float = 0.3
    seed: int = DEFAULT_SEED

    def check(self) -> None:
        """Raise `InputError` naming the first setting a person could not have meant."""
        if len(self.features) != 2 or len(set(self.features)) != 2:
            raise InputError(f"choose two different measurements, got {', '.join(self.features) or 'none'}")
        for name in self.features:
            if name not in FEATURES:
                raise InputError(f"unknown measurement {name!r}; choose from {', '.join(FEATURES)}")
        if self.activation not in ACTIVATIONS:
            raise InputError(f"unknown activation {self.activation!r}; choose one of {', '.join(ACTIVATIONS)}")
        if self.criterion not in CRITERIA:
            raise InputError(f"unknown split criterion {self.criterion!r}; choose {' or '.join(CRITERIA)}")
        if not 0.0001 <= float(self.learning_rate) <= 1.0:
            raise InputError(f"learning rate {self.learning_rate} is outside the allowed 0.0001 to 1")
        if not 0.0 <= float(self.alpha) <= 10.0:
            raise InputError(f"weight penalty alpha {self.alpha} is outside the allowed 0 to 10")
        for name, (low, high) in LEARN_LIMITS.items():
            value = getattr(self, name)
            if not low <= float(value) <= high:
                raise InputError(f"{name.replace('_', ' ')} {value} is outside the allowed {low:g} to {high:g}")

    def describe(self, family: str) -> str:
        if family == "mlp":
            layers = "layer" if self.hidden_layers == 1 else "layers"
            return (
                f"{self.hidden_layers} hidden {layers} of {self.hidden_units} neurons, {self.activation}, learning "
                f"rate {self.learning_rate:g}, weight penalty {self.alpha:g}, {self.epochs} epochs"
            )
        return f"up to {self.max_depth} questions deep, at least {self.min_samples_leaf} women a leaf, {self.criterion}"


@dataclass(frozen=True)
class Patients:
    """The training women split in two: the models learn from `train`; `validation` only checks them."""

    train: pd.DataFrame = field(repr=False)
    validation: pd.DataFrame = field(repr=False)
    features: tuple[str, str]


@dataclass(frozen=True)
class LearnFrame:
    """One step: the risk map (percent, uint8, rows follow the second measurement) and how well it does."""

    step: int
    risk: np.ndarray = field(repr=False)
    train_loss: float
    validation_loss: float
    train_error: float
    validation_error: float
    caption: str


@dataclass(frozen=True)
class Trajectory:
    """A model's whole learning run on a grid `x` (first measurement) by `y` (second measurement)."""

    family: str
    settings: LearnSettings
    x: np.ndarray = field(repr=False)
    y: np.ndarray = field(repr=False)
    frames: tuple[LearnFrame, ...] = field(repr=False)
    seconds: float
    step_name: str  # "epoch" or "split"

    def table(self) -> pd.DataFrame:
        """One row per frame: the step and its four figures (what the CLI prints)."""
        return pd.DataFrame(
            [
                {f.name: getattr(frame, f.name) for f in fields(frame) if f.name not in ("risk", "caption")}
                for frame in self.frames
            ]
        ).rename(columns={"step": self.step_name})

    @property
    def bytes_per_frame(self) -> int:
        return max(frame.risk.nbytes for frame in self.frames)


def inner_split(patients: pd.DataFrame, settings: LearnSettings) -> Patients:
    """A stratified, seeded split of the training women; the held-out part never trains anything."""
    settings.check()
    cols = [*settings.features, TARGET]
    missing = [c for c in cols if c not in patients.columns]
    if missing:
        raise InputError(f"the patients have no column {', '.join(missing)}")
    frame = patients[cols].dropna()
    train, validation = train_test_split(
        frame, test_size=settings.validation_share, stratify=frame[TARGET], random_state=settings.seed
    )
    return Patients(train.reset_index(drop=True), validation.reset_index(drop=True), settings.features)


def _grid(patients: pd.DataFrame, settings: LearnSettings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Axes padded 5 % beyond every training woman, and the grid's points as rows (x varies fastest)."""
    axes = []
    for name in settings.features:
        low, high = float(patients[name].min()), float(patients[name].max())
        pad = 0.05 * (high - low or 1.0)
        axes.append(np.linspace(low - pad, high + pad, settings.grid))
    xx, yy = np.meshgrid(axes[0], axes[1])
    return axes[0], axes[1], np.column_stack([xx.ravel(), yy.ravel()])


def _log_loss(y: np.ndarray, p: np.ndarray) -> float:
    p = np.clip(p, CLIP, 1 - CLIP)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def _error(y: np.ndarray, p: np.ndarray) -> float:
    return float(np.mean((p >= 0.5) != y))


def _percent(p: np.ndarray, n: int) -> np.ndarray:
    """Risks as whole percents in one byte each: 10,000 grid points cost 10 KB a frame."""
    return np.rint(100 * np.nan_to_num(p, nan=0.5)).astype(np.uint8).reshape(n, n)


def _name(feature: str) -> str:
    return SHORT_NAMES.get(feature, feature)


def _value(feature: str, value: float) -> str:
    return f"{value:.0f}" if FEATURE_INFO[feature].step >= 1 else f"{value:.1f}"


def _network_caption(
    epoch: int,
    risk: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    losses: list[float],
    settings: LearnSettings,
    typical: float,
) -> str:
    """Where the network now draws its line, read off the grid at a typical value of the second measurement."""
    a, b = settings.features
    row = risk[int(np.abs(y - typical).argmin())].astype(int)
    flagged = row >= 50
    at = f"at {_name(b)} {_value(b, typical)}"
    crossings = np.flatnonzero(np.diff(flagged.astype(int)))
    if not flagged.any():
        where = f"it flags nobody yet {at} (its highest risk there: {row.max()} %)"
    elif flagged.all():
        where = f"it flags every woman {at}"
    elif len(crossings) == 1:
        side = "above" if flagged[-1] else "below"
        where = f"{at} it now flags women with {_name(a)} {side} {_value(a, x[crossings[0] + 1])}"
    else:
        where = f"{at} its line now bends, crossing {_name(a)} {len(crossings)} times"
    best = int(np.argmin(losses))
    if epoch > 1 and losses[-1] > losses[best] + 0.01 and best < len(losses) - 3:
        trend = (
            f"held-out loss has crept up from its best ({losses[best]:.2f} to {losses[-1]:.2f}) while it fits the "
            "training women ever closer: the first sign of over-fitting"
        )
    elif len(losses) > 1 and losses[-1] < losses[-2]:
        trend = f"held-out loss still falling ({losses[-1]:.2f})"
    else:
        trend = f"held-out loss {losses[-1]:.2f}"
    return f"Epoch {epoch}: {where}; {trend}."


def network_trajectory(patients: pd.DataFrame, settings: LearnSettings | None = None) -> Trajectory:
    """Train an `MLPClassifier` one epoch at a time (mini-batch gradient descent on log loss).

    Inputs are standardised on the inner training part only; the held-out part is scored after every
    epoch and never trains. At most `MAX_FRAMES` epochs are recorded, evenly spaced, always the last.
    """
    settings = settings or LearnSettings()
    split = inner_split(patients, settings)
    start = time.perf_counter()
    a, b = settings.features
    x, y, points = _grid(split.train, settings)
    X_train = split.train[list(settings.features)].to_numpy(float)
    X_val = split.validation[list(settings.features)].to_numpy(float)
    y_train, y_val = split.train[TARGET].to_numpy(int), split.validation[TARGET].to_numpy(int)
    scaler = StandardScaler().fit(X_train)
    stacked = scaler.transform(np.vstack([X_train, X_val, points]))
    S_train, n_train, n_val = stacked[: len(X_train)], len(X_train), len(X_val)
    net = MLPClassifier(
        hidden_layer_sizes=(settings.hidden_units,) * settings.hidden_layers,
        activation=settings.activation,
        solver="sgd",
        learning_rate_init=settings.learning_rate,
        momentum=0.0,  # plain gradient descent, the rule on the page
        alpha=settings.alpha,
        batch_size=BATCH_SIZE,
        shuffle=True,
        random_state=settings.seed,
    )
    recorded = set(np.linspace(1, settings.epochs, min(settings.epochs, MAX_FRAMES)).round().astype(int).tolist())
    typical = float(np.median(X_train[:, 1]))
    frames: list[LearnFrame] = []
    val_losses: list[float] = []
    with sklearn.config_context(assume_finite=True, skip_parameter_validation=True), np.errstate(all="ignore"):
        for epoch in range(1, settings.epochs + 1):
            net.partial_fit(S_train, y_train, classes=[0, 1])
            if epoch not in recorded:
                continue
            p = net.predict_proba(stacked)[:, 1]
            if not np.isfinite(p).all():
                frames.append(
                    LearnFrame(
                        epoch,
                        _percent(p[n_train + n_val :], settings.grid),
                        math.nan,
                        math.nan,
                        math.nan,
                        math.nan,
                        f"Epoch {epoch}: the learning rate is too large and the weights blew up; choose a smaller one.",
                    )
                )
                break
            p_train, p_val, p_grid = p[:n_train], p[n_train : n_train + n_val], p[n_train + n_val :]
            risk = _percent(p_grid, settings.grid)
            val_losses.append(_log_loss(y_val, p_val))
            frames.append(
                LearnFrame(
                    epoch,
                    risk,
                    _log_loss(y_train, p_train),
                    val_losses[-1],
                    _error(y_train, p_train),
                    _error(y_val, p_val),
                    _network_caption(epoch, risk, x, y, val_losses, settings, typical),
                )
            )
    return Trajectory("mlp", settings, x, y, tuple(frames), time.perf_counter() - start, "epoch")


def _split_paths(tree: DecisionTreeClassifier) -> dict[tuple, tuple[int, float]]:
    """Every internal node by its path from the root: ((feature, threshold, went right), ...) -> its question."""
    inner = tree.tree_
    out: dict[tuple, tuple[int, float]] = {}
    stack: list[tuple[int, tuple]] = [(0, ())]
    while stack:
        node, path = stack.pop()
        left, right = inner.children_left[node], inner.children_right[node]
        if left == right:  # a leaf
            continue
        feature, threshold = int(inner.feature[node]), float(inner.threshold[node])
        out[path] = (feature, threshold)
        stack.append((left, (*path, (feature, round(threshold, 6), False))))
        stack.append((right, (*path, (feature, round(threshold, 6), True))))
    return out


def _question(feature: str, threshold: float) -> str:
    """A split in words: integer measurements read 'glucose 124 or more', the others 'BMI above 27.3'."""
    if FEATURE_INFO[feature].step >= 1:
        return f"{_name(feature)} {math.floor(threshold) + 1} or more"
    return f"{_name(feature)} above {threshold:.1f}"


def _where(path: tuple, features: tuple[str, str]) -> str:
    """The women a node holds, as one range per measurement ('glucose 124 to 162 and BMI above 27.3')."""
    parts = []
    for index, feature in enumerate(features):
        lows = [t for f, t, right in path if f == index and right]
        highs = [t for f, t, right in path if f == index and not right]
        if not lows and not highs:
            continue
        whole = FEATURE_INFO[feature].step >= 1
        low = (f"{math.floor(max(lows)) + 1}" if whole else f"{max(lows):.1f}") if lows else None
        high = (f"{math.floor(min(highs))}" if whole else f"{min(highs):.1f}") if highs else None
        if low and high:
            parts.append(f"{_name(feature)} {low} to {high}")
        elif low:
            parts.append(f"{_name(feature)} {low} or more" if whole else f"{_name(feature)} above {low}")
        else:
            parts.append(f"{_name(feature)} up to {high}")
    return " and ".join(parts)


def _tree_caption(splits: int, new: tuple | None, questions: dict, settings: LearnSettings, base_rate: float) -> str:
    if splits == 0:
        return (
            f"Before any question, the tree gives every woman the same risk: {100 * base_rate:.0f} %, "
            "the share with diabetes."
        )
    feature, threshold = questions[new]
    question = f"'{_question(settings.features[feature], threshold)}?'"
    if not new:
        return f"Split 1: the tree asks {question}, the question that best separates the two groups."
    return f"Split {splits}: for women with {_where(new, settings.features)}, it now asks {question}."


def _stopped(splits: int, settings: LearnSettings) -> str:
    return (
        f"The tree has stopped growing after {splits} splits: each leaf is pure, {settings.max_depth} questions "
        f"deep, or too small to split with at least {settings.min_samples_leaf} women a side."
    )


def tree_trajectory(patients: pd.DataFrame, settings: LearnSettings | None = None) -> Trajectory:
    """Grow a `DecisionTreeClassifier` one split at a time, best split first, until it cannot grow.

    Each frame refits with one more leaf allowed (`max_leaf_nodes`), so every frame is a real tree that
    scikit-learn built; the new question is found by comparing it with the previous tree.
    """
    settings = settings or LearnSettings()
    split = inner_split(patients, settings)
    start = time.perf_counter()
    x, y, points = _grid(split.train, settings)
    X_train = split.train[list(settings.features)].to_numpy(float)
    X_val = split.validation[list(settings.features)].to_numpy(float)
    y_train, y_val = split.train[TARGET].to_numpy(int), split.validation[TARGET].to_numpy(int)
    stacked = np.vstack([X_train, X_val, points])
    n_train, n_val = len(X_train), len(X_val)
    base_rate = float(y_train.mean())
    frames: list[LearnFrame] = []
    previous: dict = {}
    with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
        for splits in range(0, 10 * MAX_FRAMES):
            if splits == 0:
                p, questions, new = np.full(len(stacked), base_rate), {}, None
            else:
                tree = DecisionTreeClassifier(
                    criterion=settings.criterion,
                    max_depth=settings.max_depth,
                    min_samples_leaf=settings.min_samples_leaf,
                    max_leaf_nodes=splits + 1,
                    random_state=settings.seed,
                ).fit(X_train, y_train)
                if tree.get_n_leaves() < splits + 1:  # no split left that the limits allow
                    frames[-1] = replace(frames[-1], caption=frames[-1].caption + " " + _stopped(splits - 1, settings))
                    break
                p = tree.predict_proba(stacked)[:, 1]
                questions = _split_paths(tree)
                # The one new question; should a tie be broken differently, name the deepest instead.
                fresh = set(questions) - set(previous)
                new = next(iter(fresh)) if fresh else max(questions, key=len)
            p_train, p_val = p[:n_train], p[n_train : n_train + n_val]
            frames.append(
                LearnFrame(
                    splits,
                    _percent(p[n_train + n_val :], settings.grid),
                    _log_loss(y_train, p_train),
                    _log_loss(y_val, p_val),
                    _error(y_train, p_train),
                    _error(y_val, p_val),
                    _tree_caption(splits, new, questions, settings, base_rate),
                )
            )
            previous = questions
    return Trajectory("tree", settings, x, y, _thin(tuple(frames)), time.perf_counter() - start, "split")


def _thin(frames: tuple[LearnFrame, ...]) -> tuple[LearnFrame, ...]:
    """At most `MAX_FRAMES` frames, evenly spaced, keeping the first and the last."""
    if len(frames) <= MAX_FRAMES:
        return frames
    keep = sorted(set(np.linspace(0, len(frames) - 1, MAX_FRAMES).round().astype(int)))
    return tuple(frames[i] for i in keep)


def trajectory(family: str, patients: pd.DataFrame, settings: LearnSettings | None = None) -> Trajectory:
    """One family's trajectory: `mlp` (epoch by epoch) or `tree` (split by split)."""
    if family not in LEARN_FAMILIES:
        raise InputError(f"unknown family {family!r}; choose {' or '.join(LEARN_FAMILIES)}")
    return (network_trajectory if family == "mlp" else tree_trajectory)(patients, settings)
