"""How good is the detector, in the handbook's terms and in money.

- ROC AUC and average precision (`sklearn.metrics`): ranking quality over all payments.
- Card precision@k (handbook chapter 4.2): each day, investigators check the k cards with the
  highest score; the share that really were defrauded, averaged over days (cards found on one
  day are blocked and leave the later days).
- A cost view: money lost to missed frauds against the cost of reviewing every alert.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score

__all__ = [
    "Metrics",
    "card_precision_at_k",
    "daily_card_review",
    "evaluate_scores",
    "threshold_table",
    "cost_minimising_threshold",
    "confusion_at",
    "pr_curve",
]

REVIEW_COST = 5.0
"""Euro cost of an analyst reviewing one alert (an assumption the page lets a visitor change)."""


@dataclass(frozen=True)
class Metrics:
    auc: float
    average_precision: float
    card_precision_at_100: float
    n_test: int
    n_frauds: int

    def as_dict(self) -> dict:
        return asdict(self)


def card_precision_at_k(frame: pd.DataFrame, scores: np.ndarray, k: int = 100) -> float:
    """Mean over test days of the share of frauds among the k highest-scored cards that day."""
    days = daily_card_review(frame, scores, k)
    return float(days["precision"].mean()) if len(days) else float("nan")


def daily_card_review(frame: pd.DataFrame, scores: np.ndarray, k: int = 100) -> pd.DataFrame:
    """Each day investigators check the k highest-scored cards; a card found defrauded is blocked and
    leaves the later days. Per day: `precision` (card precision@k), `cards_caught`, and `missed_money`,
    the fraudulent payments of cards nobody had caught by the end of that day (money lost)."""
    cards = pd.DataFrame(
        {
            "day": frame["TX_TIME_DAYS"].to_numpy(),
            "card": frame["CUSTOMER_ID"].to_numpy(),
            "fraud": frame["TX_FRAUD"].to_numpy(),
            "score": scores,
            "lost": np.where(frame["TX_FRAUD"].to_numpy() == 1, frame["TX_AMOUNT"].to_numpy(), 0.0),
        }
    )
    per_card = cards.groupby(["day", "card"], sort=False).agg(
        score=("score", "max"), fraud=("fraud", "max"), lost=("lost", "sum")
    )
    per_card = per_card.reset_index().sort_values(["day", "score"], ascending=[True, False], kind="stable")
    detected: set = set()
    rows = []
    for when, day in per_card.groupby("day", sort=True):  # one step per day (a handful), not per payment
        day = day[~day["card"].isin(detected)]
        top = day.head(k)
        found = top.loc[top["fraud"] == 1, "card"]
        detected |= set(found)
        rows.append(
            {
                "day": int(when),
                "precision": len(found) / k,
                "cards_caught": len(found),
                "missed_money": float(day["lost"].iloc[k:].sum()),
            }
        )
    return pd.DataFrame(rows, columns=["day", "precision", "cards_caught", "missed_money"])


def evaluate_scores(frame: pd.DataFrame, scores: np.ndarray, k: int = 100) -> Metrics:
    """The handbook's three test metrics for one model's scores on a test frame."""
    y = frame["TX_FRAUD"].to_numpy()
    both = len(np.unique(y)) == 2
    return Metrics(
        auc=float(roc_auc_score(y, scores)) if both else float("nan"),
        average_precision=float(average_precision_score(y, scores)) if both else float("nan"),
        card_precision_at_100=card_precision_at_k(frame, scores, k),
        n_test=int(len(y)),
        n_frauds=int(y.sum()),
    )


def confusion_at(y: np.ndarray, scores: np.ndarray, threshold: float) -> dict[str, int]:
    """Counts of caught frauds, false alarms, missed frauds and quiet genuine payments."""
    alert = scores >= threshold
    fraud = y.astype(bool)
    return {
        "tp": int((alert & fraud).sum()),
        "fp": int((alert & ~fraud).sum()),
        "fn": int((~alert & fraud).sum()),
        "tn": int((~alert & ~fraud).sum()),
    }


def threshold_table(
    y: np.ndarray, scores: np.ndarray, amounts: np.ndarray, review_cost: float = REVIEW_COST, n_points: int = 201
) -> pd.DataFrame:
    """Precision, recall and cost at evenly spaced thresholds over the score range (vectorised
    with a sort and cumulative sums, so a slider can redraw it at once)."""
    order = np.argsort(-scores, kind="stable")
    s, f, a = scores[order], y[order].astype(bool), amounts[order]
    lo, hi = float(s.min()), float(s.max())
    thresholds = np.linspace(lo, hi, n_points) if hi > lo else np.array([lo])
    # number of payments with score >= t (scores sorted descending)
    n_alert = np.searchsorted(-s, -thresholds, side="right")
    tp = np.concatenate([[0], np.cumsum(f)])[n_alert]
    caught = np.concatenate([[0.0], np.cumsum(np.where(f, a, 0.0))])[n_alert]
    total_frauds, total_money = int(f.sum()), float(a[f].sum())
    fp = n_alert - tp
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(n_alert > 0, tp / np.maximum(n_alert, 1), np.nan)
    recall = tp / max(total_frauds, 1)
    missed_money = total_money - caught
    review = n_alert * review_cost
    return pd.DataFrame(
        {
            "threshold": thresholds,
            "alerts": n_alert,
            "tp": tp,
            "fp": fp,
            "fn": total_frauds - tp,
            "precision": precision,
            "recall": recall,
            "money_saved": caught,
            "missed_money": missed_money,
            "review_cost": review,
            "total_cost": missed_money + review,
        }
    )


def cost_minimising_threshold(table: pd.DataFrame) -> float:
    """The threshold with the lowest missed-fraud money plus review cost (first one on ties)."""
    return float(table.loc[table["total_cost"].idxmin(), "threshold"])


def pr_curve(y: np.ndarray, scores: np.ndarray, max_points: int = 300) -> pd.DataFrame:
    """Precision against recall, thinned to `max_points` for a chart."""
    precision, recall, _ = precision_recall_curve(y, scores)
    keep = np.unique(np.linspace(0, len(precision) - 1, min(max_points, len(precision))).astype(int))
    return pd.DataFrame({"recall": recall[keep], "precision": precision[keep]})
