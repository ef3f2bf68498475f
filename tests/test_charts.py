"""The shared ROC / PR / calibration builders (ui/charts.py): the traces each draws and its axis titles."""

from __future__ import annotations

import pandas as pd
import pytest

from ui.charts import bar_contributions_figure, calibration_figure, pr_figure, roc_figure

CURVE = ([0.0, 0.2, 1.0], [0.0, 0.7, 1.0])


def names(fig) -> list[str]:
    return [trace.name for trace in fig.data]


def test_roc_figure_draws_each_curve_the_diagonal_and_the_point():
    fig = roc_figure({"model": CURVE, "baseline": CURVE}, emphasise="model", point=(0.2, 0.7))
    assert names(fig) == ["model", "baseline", "coin toss", "your threshold"]
    assert list(fig.data[2].x) == [0, 1] and list(fig.data[2].y) == [0, 1]
    assert fig.data[0].line.width > fig.data[1].line.width  # the emphasised curve stands out
    assert fig.data[0].line.dash != fig.data[1].line.dash  # colour is never the only difference
    assert fig.layout.xaxis.title.text == "False-positive rate"
    assert fig.layout.yaxis.title.text == "True-positive rate"


def test_roc_figure_takes_the_page_s_own_axis_titles_and_no_point():
    fig = roc_figure({"model": CURVE}, x_title="False alarms", y_title="Caught")
    assert names(fig) == ["model", "coin toss"]
    assert (fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) == ("False alarms", "Caught")


def test_pr_figure_draws_the_base_rate_as_a_named_flat_line():
    fig = pr_figure({"boosting": ([0, 0.5, 1], [1, 0.6, 0.1])}, base_rate=0.08, base_name="share of frauds")
    assert names(fig) == ["boosting", "share of frauds"]
    assert list(fig.data[1].y) == [0.08, 0.08]
    assert fig.layout.xaxis.title.text.startswith("Recall")
    assert fig.layout.yaxis.title.text.startswith("Precision")
    assert names(pr_figure({"boosting": CURVE})) == ["boosting"]  # no base rate, no line


def test_calibration_figure_draws_percent_against_the_diagonal():
    fig = calibration_figure({"model": ([0.1, 0.5], [0.2, 0.4])}, x_title="Predicted risk (%)")
    assert names(fig) == ["perfectly calibrated", "model"]
    assert list(fig.data[1].x) == pytest.approx([10, 50]) and list(fig.data[1].y) == pytest.approx([20, 40])
    assert fig.data[1].mode == "lines+markers"
    assert fig.layout.xaxis.title.text == "Predicted risk (%)"
    assert fig.layout.yaxis.title.text == "Observed share (%)"


def test_contribution_bars_carry_their_values_on_the_axis_so_tiny_bars_never_collide():
    fig = bar_contributions_figure(pd.Series({"Glucose": 1.2, "BMI": 0.004, "Age": -0.003}), x_title="push")
    labels = list(fig.data[0].y)
    assert labels == ["Age  -0.00", "BMI  +0.00", "Glucose  +1.20"]  # sorted, each value beside its name
    assert fig.data[0].text is None  # no label drawn on (or outside) a bar
    assert fig.layout.xaxis.title.text == "push"
