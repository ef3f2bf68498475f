"""A crowd shares one laptop server: each visitor's choices stay theirs, and the presenter can wipe them."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser import assert_no_exception_box, open_page, wait_until_idle
from ui.demos import demo_by_key

pytestmark = pytest.mark.browser

RECS = demo_by_key("recs")
HOME_TITLE = "What does a Machine Learning Engineer build?"
PICKS = "Your top 10, from 3 ratings"
EMPTY = "Rate two or three films above"


def _rate(page: Page, movie_id: int, stars: int) -> None:
    button = page.locator(f".st-key-recs_star_{movie_id} [aria-label='{stars} out of 5 stars']")
    button.wait_for(timeout=120_000)
    button.click()
    wait_until_idle(page)


def _go(page: Page, link: str, title: str) -> None:
    """Move inside the app (same session), as a visitor does with the sidebar."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=link).click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible(timeout=120_000)
    wait_until_idle(page)


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
        expect(b.get_by_text(EMPTY)).to_be_visible(timeout=120_000)
        expect(b.get_by_text(PICKS)).to_have_count(0)

        _go(a, "Home", HOME_TITLE)  # A's ratings follow A around the app...
        _go(a, RECS.title, RECS.title)
        expect(a.get_by_text(PICKS)).to_be_visible(timeout=60_000)

        a.get_by_role("button", name="Reset for the next visitor").click()  # ...until the presenter wipes them
        expect(a.get_by_role("heading", name=HOME_TITLE, level=1)).to_be_visible(timeout=60_000)
        _go(a, RECS.title, RECS.title)
        expect(a.get_by_text(EMPTY)).to_be_visible(timeout=120_000)
        assert_no_exception_box(a)
        assert_no_exception_box(b)
    finally:
        first.close()
        second.close()
