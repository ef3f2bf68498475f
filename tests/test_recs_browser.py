"""The Movie recommendations page in headless Chromium: rate three films, see the picks and why."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from harness.browser import (
    COLD_START_MS,
    assert_page_healthy,
    open_page,
    open_tab,
    rerun,
    screenshot,
    wait_script_done,
)
from tests.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

TITLE = "Movie recommendations"


def _rate(page, movie_id: int, stars: int) -> None:
    button = page.locator(f".st-key-recs_star_{movie_id} [aria-label='{stars} out of 5 stars']")
    button.wait_for(state="attached", timeout=COLD_START_MS)
    if not button.is_visible():  # beyond the hero's first films: one click away, as a visitor finds it
        page.get_by_text("More films to rate").first.click()
    expect(button).to_be_visible()
    with rerun(page):
        button.click()


def test_rating_three_films_shows_picks_with_reasons(page, server_url):
    open_page(page, f"{server_url}/recommendations", TITLE)
    expect(page.get_by_text("Rate two or three films")).to_be_visible(timeout=COLD_START_MS)
    for movie in (260, 1196, 2571):  # Star Wars IV, V, The Matrix
        _rate(page, movie, 5)
    expect(page.get_by_text("Your top 10, from 3 ratings")).to_be_visible(timeout=COLD_START_MS)
    expect(page.get_by_text("How this was instant")).to_be_visible()
    assert_page_healthy(page)
    page.set_viewport_size({"width": 1366, "height": 5200})
    wait_script_done(page)
    screenshot(page, SCREENSHOTS, "recs-rated")


def test_bookmarked_taste_and_engineer_views(page, server_url):
    open_page(page, f"{server_url}/recommendations?recs_preset=sci-fi+fan", TITLE)
    expect(page.get_by_text("Your top 10, from 7 ratings")).to_be_visible(timeout=COLD_START_MS)
    open_tab(page, "The engineer's view")
    for view in ("The maths", "Who it serves worse"):
        with rerun(page):
            page.get_by_role("radio", name=view).click()
    expect(page.get_by_text("light: under 30 ratings").first).to_be_visible(timeout=COLD_START_MS)
    assert_page_healthy(page)
    page.set_viewport_size({"width": 390, "height": 844})
    wait_script_done(page)
    screenshot(page, SCREENSHOTS, "recs-phone")
