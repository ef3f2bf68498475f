"""AppTest of the Movie recommendations page: renders, rating interaction, URL scenarios, every view."""

from __future__ import annotations

import functools

import pytest

import models.recs.engineer as eng
from harness.server import open_app
from models.recs.train import ALGORITHMS
from tests.conftest import assert_no_exception
from ui.demos import HOME_PATH
from ui.engineer_view import VIEWS

PAGE = "pages/recs.py"


@pytest.fixture(autouse=True)
def quick_arena(monkeypatch, tmp_path_factory):
    """The full arena trains SVD++ (about 30 s); the page test only needs two families.

    Derived frames go to a private cache folder so the shortened arena never reaches the real one.
    """
    monkeypatch.setenv("SHOWCASE_CACHE", str(tmp_path_factory.getbasetemp() / "recs-cache"))
    original = eng.model_arena

    def two_families(*args, **kwargs):
        return original(*args, **{**kwargs, "algos": ("baseline", kwargs.get("default", "hybrid"))})

    monkeypatch.setattr(eng, "model_arena", functools.wraps(original)(two_families))


def _table_with(at, column):
    return [d.value for d in at.dataframe if column in d.value.columns]


def test_page_renders_and_asks_for_ratings():
    at = open_app(PAGE)
    assert_no_exception(at)
    assert at.title[0].value == "Movie recommendations"
    assert any("Rate two or three films" in i.value for i in at.info)
    assert len(at.feedback) >= 24
    assert len(at.get("plotly_chart")) >= 3  # map, rating distribution, long tail


def test_rating_films_gives_instant_picks_with_reasons():
    at = open_app(PAGE)
    for movie in (260, 1196, 2571):  # Star Wars IV, V and The Matrix, 5 stars each
        at.feedback(key=f"recs_star_{movie}").set_value(4)
    at.run()
    assert_no_exception(at)
    picks = _table_with(at, "why")[0]
    assert len(picks) == 10
    assert picks["why"].str.contains("because you rated").any()
    # The first screen lists all ten with their whole reasons (a half-width table cut them short).
    listed = next(m.value for m in at.markdown if m.value.startswith("1. **"))
    assert listed.count("\n") == 9 and "10. **" in listed and "because you rated" in listed
    assert any(e.label == "How this was instant" for e in at.expander)  # one click away, beside the picks
    assert any("That took" in m.value for m in at.markdown)


def test_ratings_survive_a_visit_to_another_page():
    at = open_app(PAGE)
    for movie in (260, 1196, 2571):
        at.feedback(key=f"recs_star_{movie}").set_value(4)
    at.run()
    at.switch_page(HOME_PATH).run()
    at.switch_page(PAGE).run()
    assert_no_exception(at)
    assert at.feedback(key="recs_star_260").value == 4  # the stars are shown again
    assert any("from 3 ratings" in m.value for m in at.markdown)


def test_scenario_url_restores_a_taste_and_a_person():
    at = open_app(PAGE, query={"recs_preset": "sci-fi fan", "recs_user": "7", "recs_movie": "Toy Story (1995)"})
    assert_no_exception(at)
    assert at.segmented_control(key="recs_preset").value == "sci-fi fan"
    assert at.selectbox(key="recs_user").value == 7
    assert at.selectbox(key="recs_movie").value == 1
    assert len(_table_with(at, "why")[0]) == 10


def test_bad_url_values_fall_back_with_a_notice():
    at = open_app(PAGE, query={"recs_algo": "skynet", "recs_hp_hybrid_n_factors": "100000"})
    assert_no_exception(at)
    assert at.selectbox(key="recs_algo").value == "hybrid"
    assert at.slider(key="recs_hp_hybrid_n_factors").value == ALGORITHMS["hybrid"]["params"]["n_factors"]
    assert any("can't use" in w.value for w in at.warning)


def test_other_algorithm_reset_and_evaluation():
    at = open_app(PAGE)
    at.selectbox(key="recs_algo").set_value("baseline").run()
    assert_no_exception(at)
    assert any("no latent factors" in c.value for c in at.caption)
    at.button(key="recs_eval").click().run()
    assert_no_exception(at)
    table = _table_with(at, "ndcg@10")[0]
    assert {"rmse", "precision@10", "coverage"} <= set(table.columns)
    at.button(key="recs_reset").click().run()
    assert at.selectbox(key="recs_algo").value == "hybrid"


@pytest.mark.parametrize("view", VIEWS)
def test_engineer_views(view):
    at = open_app(PAGE, session={"recs_view": view})
    assert_no_exception(at)
    assert at.segmented_control(key="recs_view").value == view


def test_presenter_mode_shows_talking_points_and_folds_detail():
    at = open_app(PAGE, query={"presenter": "1", "recs_preset": "family films"})
    assert_no_exception(at)
    assert any("Talking points" in i.value for i in at.info)
    assert len(_table_with(at, "why")[0]) == 10


def test_search_add_and_clear():
    at = open_app(PAGE)
    at.selectbox(key="recs_search").set_value(1214)  # Alien
    at.feedback(key="recs_search_stars").set_value(4)
    at.run()
    at.button(key="recs_add").click().run()
    assert_no_exception(at)
    # Titles are Markdown-escaped (ui.plain.plain_text), so the source reads "Alien \\(1979\\)"; a visitor sees this:
    assert any("Alien (1979) 5★" in c.value.replace("\\", "") for c in at.caption)
    assert len(_table_with(at, "why")[0]) == 10
    at.button(key="recs_clear").click().run()
    assert_no_exception(at)
    assert any("Rate two or three films" in i.value for i in at.info)


def test_the_order_sentence_names_a_pick_with_more_stars_lower_down_when_there_is_one():
    import pandas as pd

    from ui.sections.recs import order_sentence

    picks = pd.DataFrame({"label": ["A (1990)", "B (1991)", "C (1992)"], "predicted": [4.9, 4.6, 4.8]})
    said = order_sentence(picks)
    assert "C \\(1992\\) (4.8★) sits below B \\(1991\\) (4.6★)" in said, said
    falling = picks.assign(predicted=[4.9, 4.8, 4.6])
    assert "sits below" not in order_sentence(falling) and "fall down the list too" in order_sentence(falling)
