"""Words from numbers (issue 12, items 5-10): each sentence follows the figures it describes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from models.fraud.explain import crafted_note, first_morning
from ui.wording import arena_sentence, curve_sentence, link_score_note, order_note, push_sentence


# ---------------------------------------------------------------- disease risk (item 7)
def test_all_negative_pushes_never_say_up():
    """The page said "Age pushes this patient's risk up most" under all-negative bars (idxmax without a sign)."""
    text = push_sentence(pd.Series({"age": -0.1, "glu": -0.9, "bmi": -0.4}))
    assert "up most" not in text
    assert "no measurement pushes" in text.lower() and "glu pulls it down most" in text


def test_mixed_pushes_name_the_biggest_each_way():
    text = push_sentence(pd.Series({"age": 0.3, "glu": 1.2, "bmi": -0.4}), lambda n: n.upper())
    assert text.startswith("GLU pushes this patient's risk up most") and "BMI pulls it down most" in text


def test_all_positive_pushes_never_say_down():
    assert "none pulls it down" in push_sentence(pd.Series({"age": 0.3, "glu": 1.2}))


# ---------------------------------------------------------------- learning curves (item 10)
def _curve(metric: str, values: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"x": [10, 20, 40, 80, 100][: len(values)], "metric": metric, "value": values})


def test_a_flat_ending_curve_is_called_flattened():
    text = curve_sentence(_curve("RMSE (stars)", [0.95, 0.91, 0.89, 0.875, 0.874]))
    assert "improves from 0.95 to 0.874" in text and "flattened" in text and "more data would" not in text


def test_a_curve_still_climbing_is_not_called_flat():
    text = curve_sentence(_curve("NDCG@10", [0.10, 0.15, 0.20, 0.22, 0.26]))
    assert "still improving" in text and "flattened" not in text


def test_a_falling_quality_curve_is_called_worse():
    """The fraud caption said 'gains little' whatever the curve did; a falling curve must say so."""
    text = curve_sentence(_curve("card precision@100", [0.30, 0.28, 0.25, 0.22, 0.20]))
    assert "gets worse" in text and "(its best, 0.3, came with less data)" in text


def test_lower_is_better_for_errors():
    assert "gets worse" in curve_sentence(_curve("error rate (%)", [20, 22, 25, 27, 30]))


# ---------------------------------------------------------------- model arena (item 5)
ARENA = pd.DataFrame(
    {
        "model": ["Gradient boosting", "Random forest", "Logistic regression"],
        "quality": [0.697, 0.713, 0.60],
        "fit_seconds": [12.0, 8.5, 0.8],
        "predict_ms": [3.8, 20.0, 0.5],
        "is_default": [True, False, False],
    }
)


def test_arena_sentence_says_slower_when_the_default_is_slower_to_fit():
    """The page said boosting was faster than the forest while its own arena measured it slower to fit."""
    text = arena_sentence(ARENA, quality="average precision", item="payment")
    assert "below Random forest" in text
    assert "trained slower (12.0 s against 8.5 s)" in text
    assert "answers faster (3.80 ms against 20.00 ms per payment)" in text


def test_arena_sentence_follows_the_numbers_when_they_flip():
    flipped = ARENA.assign(fit_seconds=[2.0, 8.5, 0.8], predict_ms=[30.0, 20.0, 0.5])
    text = arena_sentence(flipped, quality="average precision")
    assert "trained faster" in text and "answers slower" in text


# ---------------------------------------------------------------- people (item 8)
def test_link_score_note_names_the_base_rate_and_the_training_mix():
    text = link_score_note(5, 0.005)
    assert "not a chance" in text and "1 real link per 5 non-links" in text and "0.50%" in text


def test_order_note_explains_a_rank_the_reasons_do_not():
    top = pd.DataFrame({"name": ["Ana", "Ben", "Cy"], "mutual": [2, 5, 1]})
    assert "Ana (2 mutual) ranks above Ben (5 mutual)" in order_note(top)
    assert "also the order" in order_note(top.assign(mutual=[5, 2, 1]))


# ---------------------------------------------------------------- fraud (item 9)
def test_beat_the_detector_names_the_amount_rule():
    """Above the simulator's €220 line every payment is fraud: the page must say so instead of a puzzle."""
    note = crafted_note(500.0, 1.0, pd.Series({"amount": 0.07}), amount_rule=220.0)
    assert "every payment above €220 is fraud" in note
    assert "No single feature explains this score of 1.00" in note
    assert crafted_note(500.0, 0.2, pd.Series({"amount": 0.07}), amount_rule=None) == ""
    assert "€220" not in crafted_note(60.0, 0.9, pd.Series({"amount": 0.8}), amount_rule=220.0)


def test_the_stream_opens_on_the_first_morning():
    times = pd.date_range("2018-08-08 00:00", periods=48, freq="30min")
    test = pd.DataFrame({"TX_DATETIME": times})
    assert times[first_morning(test)] == pd.Timestamp("2018-08-08 08:00")
    assert first_morning(test.iloc[:3]) == 0  # no morning in the data: start at the beginning


# ---------------------------------------------------------------- recommender evaluation (item 6)
@pytest.fixture(scope="module")
def tiny_ratings() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    rows = [(u, m, float(rng.integers(1, 6))) for u in range(60) for m in range(40) if rng.random() < 0.5]
    return pd.DataFrame(rows, columns=["userId", "movieId", "rating"])


def test_neighbours_k_reaches_the_model_and_the_cutoff_stays_10(tiny_ratings, monkeypatch):
    """`k=40` (neighbours) used to become the ranking cutoff: precision@40 under a 'top 10' caption."""
    import models.recs.evaluate as ev

    seen = []
    original = ev.train

    def spy(*args, **kwargs):
        seen.append(kwargs.get("k"))
        return original(*args, **kwargs)

    monkeypatch.setattr(ev, "train", spy)
    table = ev.evaluate(tiny_ratings, None, algo="item_knn", folds=2, min_ratings=1, k=7, shrinkage=100)
    assert "precision@10" in table.columns and "precision@7" not in table.columns
    assert 7 in seen
