"""The engineer's view for this demo: formulas with references, and a script that reproduces the page."""

from __future__ import annotations

from models.common import Formula
from models.risk.families import Config

__all__ = ["FORMULAS", "reproduction_script"]

FORMULAS: tuple[Formula, ...] = (
    Formula(
        "Logistic regression",
        r"P(\text{diabetes}\mid x) = \sigma\!\Big(\beta_0 + \sum_j \beta_j \tfrac{x_j - \mu_j}{s_j}\Big),"
        r"\quad \sigma(t) = \frac{1}{1 + e^{-t}}",
        "Each measurement, scaled to 'standard deviations from the average patient', adds beta_j to the "
        "log-odds; a coefficient of 0.7 multiplies the odds by e^0.7 ≈ 2 per standard deviation.",
        "Hastie, Tibshirani and Friedman, The Elements of Statistical Learning (2009), section 4.4",
    ),
    Formula(
        "Exact contribution of one measurement (logistic regression)",
        r"c_j = \beta_j \,\frac{x_j - \mu_j}{s_j}, \qquad \text{log-odds} = \beta_0 + \sum_j c_j",
        "For the linear model the pushes add up exactly to the patient's log-odds; for other models we "
        "replace one measurement by the training median and report how much the risk changes.",
        "Lundberg and Lee, 'A unified approach to interpreting model predictions' (NeurIPS 2017), linear case",
    ),
    Formula(
        "Area under the ROC curve",
        r"\mathrm{AUC} = P\big(\hat p(\text{a patient with diabetes}) > \hat p(\text{a patient without})\big)",
        "The chance that the model ranks a random woman who developed diabetes above a random woman who did "
        "not: 0.5 is a coin toss, 1 is perfect ranking.",
        "Hanley and McNeil, Radiology 143 (1982)",
    ),
    Formula(
        "Brier score",
        r"\mathrm{BS} = \frac{1}{n}\sum_{i=1}^{n} (\hat p_i - y_i)^2",
        "The average squared gap between the predicted risk and what happened (0 or 1); lower is better, "
        "and it punishes over-confident risks.",
        "Brier, Monthly Weather Review 78 (1950)",
    ),
    Formula(
        "Sensitivity and specificity at threshold t",
        r"\mathrm{sens} = \frac{TP}{TP + FN}, \quad \mathrm{spec} = \frac{TN}{TN + FP},"
        r" \quad \text{flag if } \hat p \ge t",
        "Sensitivity: the share of women who developed diabetes that the model flags; specificity: the share "
        "of the others it leaves alone. Moving t trades one against the other.",
        "Altman and Bland, BMJ 308 (1994)",
    ),
    Formula(
        "Gini impurity (decision tree splits)",
        r"G = 1 - \sum_k p_k^2",
        "A tree asks the yes/no question that makes each side as pure as possible; forests average many "
        "such trees, boosting adds small trees that fix the previous ones' mistakes.",
        "Breiman et al., Classification and Regression Trees (1984)",
    ),
)

_TEMPLATE = '''"""Reproduce the disease-risk page: train {describe} and report on Pima.te."""

from models.risk import Config, evaluate, load_test, load_training, train

config = Config(
    family={family!r},
    params={params!r},
    features={features!r},
    imputer={imputer!r},
    calibration={calibration!r},
    threshold={threshold!r},
)
model = train(load_training({training!r}), config, seed={seed})
report = evaluate(model, load_test(), threshold={view_threshold!r}, seed={seed})
print(f"errors: {{report.errors}} of {{report.n}}")
print(f"AUC: {{report.auc:.3f}}")
print(f"Brier: {{report.brier:.3f}}")
print(f"sensitivity: {{report.sensitivity:.3f}}")
print(f"specificity: {{report.specificity:.3f}}")
'''


def reproduction_script(
    config: Config, training: str = "Pima.tr", threshold: float | None = None, seed: int = 42
) -> str:
    """A short runnable script that prints the page's held-out figures through this package's public API."""
    return _TEMPLATE.format(
        describe=config.describe().replace('"', "'"),
        family=config.family,
        params=tuple(config.params),
        features=tuple(config.features),
        imputer=config.imputer,
        calibration=config.calibration,
        threshold=config.threshold,
        training=training,
        seed=seed,
        view_threshold=float(config.threshold if threshold is None else threshold),
    )
