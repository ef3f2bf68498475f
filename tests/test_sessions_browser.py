"""A crowd shares one laptop server: each visitor's choices stay theirs, and the presenter can wipe them."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from harness.browser import COLD_START_MS, assert_page_healthy, open_page, rerun
from ui.demos import demo_by_key

pytestmark = pytest.mark.browser

RECS = demo_by_key("recs")
HOME_TITLE = "What does a Machine Learning Engineer build?"
PICKS = "Your top 10, from 3 ratings"
EMPTY = "Rate two or three films"


def _rate(page: Page, movie_id: int, stars: int) -> None:
    button = page.locator(f".st-key-recs_star_{movie_id} [aria-label='{stars} out of 5 stars']")
    button.wait_for(state="attached", timeout=COLD_START_MS)
    if not button.is_visible():  # beyond the hero's first films: one click away, as a visitor finds it
        page.get_by_text("More films to rate").first.click()
    expect(button).to_be_visible()
    with rerun(page):
        button.click()


def _go(page: Page, link: str, title: str) -> None:
    """Move inside the app (same session), as a visitor does with the sidebar."""
    with rerun(page):
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=link).click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible(timeout=COLD_START_MS)


def test_two_visitors_keep_their_own_ratings_and_reset_clears_one(browser, server_url):
    first = browser.new_context(viewport={"width": 1366, "height": 1800})
    second = browser.new_context(viewport={"width": 1366, "height": 1800})
    try:
        a, b = first.new_page(), second.new_page()
        open_page(a, f"{server_url}/{RECS.slug}", RECS.title)
        for movie in (260, 1196, 2571):  # Star Wars IV, V, The Matrix
            _rate(a, movie, 5)
        expect(a.get_by_text(PICKS)).to_be_visible(timeout=60_000)

        open_page(b, f"{server_url}/{RECS.slug}", RECS.title)
        expect(b.get_by_text(EMPTY)).to_be_visible(timeout=COLD_START_MS)
        expect(b.get_by_text(PICKS)).to_have_count(0)

        _go(a, "Home", HOME_TITLE)  # A's ratings follow A around the app...
        _go(a, RECS.title, RECS.title)
        expect(a.get_by_text(PICKS)).to_be_visible(timeout=60_000)

        a.get_by_role("button", name="Reset for the next visitor").click()  # ...until the presenter wipes them
        expect(a.get_by_role("heading", name=HOME_TITLE, level=1)).to_be_visible(timeout=60_000)
        _go(a, RECS.title, RECS.title)
        expect(a.get_by_text(EMPTY)).to_be_visible(timeout=COLD_START_MS)
        assert_page_healthy(a)
        assert_page_healthy(b)
    finally:
        first.close()
        second.close()
