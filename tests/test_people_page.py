"""AppTest of the 'People you may know' page: a person's suggestions, joining, evaluation, real graphs, views."""

from __future__ import annotations

import pytest

from harness.server import open_app
from tests.conftest import assert_no_exception, fresh_app, metric
from ui.engineer_view import VIEWS

PAGE = "pages/people.py"


def suggestion_table(at):
    return next(df.value for df in at.dataframe if "suggested person" in df.value.columns)


@pytest.fixture
def at():
    return fresh_app(PAGE)


def test_page_renders_suggestions_and_evaluation(at):
    assert at.title[0].value == "People you may know"
    assert metric(at, "People") == "2,000"
    table = suggestion_table(at)
    assert len(table) == 8 and table["reasons"].str.contains("mutual connection").any()
    assert float(metric(at, "AUC, supervised")) > 0.90
    assert any("Why the learned combination wins" in m.value for m in at.markdown)


def test_picking_a_person_changes_the_suggestions(at):
    before = suggestion_table(at)
    at.selectbox(key="people_person").set_value(5).run()
    assert_no_exception(at)
    after = suggestion_table(at)
    assert list(after["suggested person"]) != list(before["suggested person"])
    assert not after["suggested person"].str.endswith("(#5)").any()


def test_a_visitor_joins_the_network(at):
    at.selectbox(key="people_me_school").set_value("MIT")
    at.multiselect(key="people_me_known").set_value([1, 2, 3])
    at.button(key="FormSubmitter:people_join_form-Join and see who I may know").click().run()
    assert_no_exception(at)
    assert any("You joined with 3 connections" in s.value for s in at.success)
    assert at.session_state["people_me"]["known"] == [1, 2, 3]
    joined = [df.value for df in at.dataframe if "suggested person" in df.value.columns]
    assert len(joined) == 2 and len(joined[1]) == 8
    assert not set(joined[1]["suggested person"]) & {"Priya Berg (#1)", "Farah Petrov (#2)", "Tariq García (#3)"}


@pytest.mark.parametrize("view", VIEWS)
def test_each_engineer_view_renders(at, view):
    at.segmented_control(key="people_view").set_value(view).run()
    assert_no_exception(at)
    if view == "The code":
        assert any("def fit" in c.value for c in at.code)
    if view == "Who it serves worse":
        slices = next(df.value for df in at.dataframe if "0-2 connections" in str(df.value.to_dict()))
        assert "note" not in slices.columns  # every note is empty on this network: no blank column


def test_real_graph_from_the_url_and_a_bad_value_falls_back():
    app = open_app(PAGE, query={"people_graph": "Les Misérables", "people_holdout": "20"})
    assert_no_exception(app)
    assert metric(app, "People") == "77"
    assert app.slider(key="people_holdout").value == 20
    assert any("20% hidden" in c.value for c in app.caption)
    app = open_app(PAGE, query={"people_graph": "nonsense"})
    assert_no_exception(app)
    assert metric(app, "People") == "2,000"
    assert any("can't use" in w.value for w in app.warning)


def test_presenter_mode_renders():
    app = open_app(PAGE, query={"presenter": "1", "people_graph": "Karate club"})
    assert_no_exception(app)
    assert any("Talking points" in i.value for i in app.info)


def test_every_graph_side_by_side(at):
    at.toggle(key="people_all_graphs").set_value(True).run()
    assert_no_exception(at)
    table = next(df.value for df in at.dataframe if any("Les Misérables" in str(c) for c in df.value.columns))
    assert len(table) == 8 and any("Karate club" in str(c) for c in table.columns)


def test_out_of_range_url_values_fall_back_to_defaults():
    app = open_app(PAGE, query={"people_n": "12345", "people_holdout": "95"})
    assert_no_exception(app)
    assert metric(app, "People") == "2,000"
    assert app.slider(key="people_holdout").value == 10
