"""The real app in headless Chromium: every page opens, shows its title, and raises nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import assert_no_exception_box, open_page, screenshot
from tests.conftest import SCREENSHOTS
from ui.demos import DEMOS

pytestmark = pytest.mark.browser

PAGES = [("", "What does a Machine Learning Engineer build?", "home")] + [
    (d.slug, d.title, d.key) for d in DEMOS
]


@pytest.mark.parametrize(("slug", "title", "name"), PAGES, ids=[p[2] for p in PAGES])
def test_page_renders_in_browser(page, server_url, slug, title, name):
    open_page(page, f"{server_url}/{slug}", title)
    assert_no_exception_box(page)
    screenshot(page, SCREENSHOTS, name)


def test_presenter_mode_from_url(page, server_url):
    open_page(page, f"{server_url}/?presenter=1", PAGES[0][1])
    assert page.get_by_text("Talking points").first.is_visible()
    assert_no_exception_box(page)
    screenshot(page, SCREENSHOTS, "home-presenter")


def test_navigation_card_opens_demo(page, server_url):
    open_page(page, server_url, PAGES[0][1])
    demo = DEMOS[0]
    page.get_by_role("link", name=f"Open {demo.title}").click()
    page.wait_for_url(f"**/{demo.slug}")
    expect(page.get_by_role("heading", name=demo.title, level=1)).to_be_visible()
