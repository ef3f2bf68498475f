"""The Movie recommendations page in headless Chromium: rate three films, see the picks and why."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import assert_no_exception_box, open_page, screenshot, wait_until_idle
from tests.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

TITLE = "Movie recommendations"


def _rate(page, movie_id: int, stars: int) -> None:
    button = page.locator(f".st-key-recs_star_{movie_id} [aria-label='{stars} out of 5 stars']")
    button.wait_for(timeout=120_000)
    button.click()
    wait_until_idle(page)


def test_rating_three_films_shows_picks_with_reasons(page, server_url):
    open_page(page, f"{server_url}/recommendations", TITLE)
    expect(page.get_by_text("Rate two or three films above")).to_be_visible(timeout=120_000)
    for movie in (260, 1196, 2571):  # Star Wars IV, V, The Matrix
        _rate(page, movie, 5)
    expect(page.get_by_text("Your top 10, from 3 ratings")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("How this was instant")).to_be_visible()
    assert_no_exception_box(page)
    page.set_viewport_size({"width": 1366, "height": 5200})
    wait_until_idle(page)
    screenshot(page, SCREENSHOTS, "recs-rated")


def test_bookmarked_taste_and_engineer_views(page, server_url):
    open_page(page, f"{server_url}/recommendations?recs_preset=sci-fi+fan", TITLE)
    expect(page.get_by_text("Your top 10, from 7 ratings")).to_be_visible(timeout=60_000)
    for view in ("The maths", "Who it serves worse"):
        page.get_by_role("radio", name=view).click()
        wait_until_idle(page)
    expect(page.get_by_text("light: under 30 ratings").first).to_be_visible(timeout=60_000)
    assert_no_exception_box(page)
    page.set_viewport_size({"width": 390, "height": 844})
    wait_until_idle(page)
    screenshot(page, SCREENSHOTS, "recs-phone")
