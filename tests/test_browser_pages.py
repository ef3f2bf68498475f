"""The real app in headless Chromium: every page opens, shows its title, and raises nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import assert_no_exception_box, open_page, screenshot, wait_until_idle
from tests.conftest import SCREENSHOTS, start_server, stop_server
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


@pytest.mark.parametrize(("slug", "title", "name"), PAGES, ids=[p[2] for p in PAGES])
def test_page_fits_a_phone(browser, server_url, slug, title, name):
    """At 390x844 (a common phone) nothing may force sideways scrolling of the page."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    phone = context.new_page()
    try:
        open_page(phone, f"{server_url}/{slug}", title)
        assert_no_exception_box(phone)
        overflow = phone.evaluate(
            "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
            " return [m.scrollWidth, m.clientWidth, document.documentElement.scrollWidth, window.innerWidth]; }"
        )
        main_scroll, main_client, doc_scroll, inner = overflow
        assert main_scroll <= main_client + 1 and doc_scroll <= inner + 1, overflow
        screenshot(phone, SCREENSHOTS, f"{name}-phone")
    finally:
        context.close()


def test_first_visitor_after_start_up_can_open_a_deep_link(browser):
    """A QR code or bookmark is often the first thing a fresh server sees: it must open that page, with no
    "Page not found" notice (Streamlit's legacy pages/ scan; ui/serve.py turns it off)."""
    demo = DEMOS[1]  # a quick page to open cold
    process, url = start_server()
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        open_page(page, f"{url}/{demo.slug}", demo.title)  # fails on the notice
        assert page.url.rstrip("/").endswith(demo.slug)
    finally:
        context.close()
        stop_server(process)


@pytest.mark.parametrize("demo", DEMOS, ids=[d.key for d in DEMOS])
def test_every_engineer_view_opens_in_the_browser(browser, server_url, demo):
    """Click through all five views of the shared engineer's view: each draws without an error box."""
    from ui.engineer_view import VIEWS

    context = browser.new_context(viewport={"width": 1366, "height": 1300})
    try:
        page = context.new_page()
        open_page(page, f"{server_url}/{demo.slug}", demo.title)
        for view in VIEWS:
            button = page.get_by_role("radio", name=view, exact=True)
            if button.get_attribute("aria-checked") != "true":  # a second click would deselect it
                button.click()
                wait_until_idle(page, 240_000)  # a cold learning curve or arena trains several models
            expect(button).to_be_checked()
            assert_no_exception_box(page)
            errors = page.locator('[data-testid="stAlertContentError"]')
            assert errors.count() == 0, f"{demo.title} / {view}: {errors.first.inner_text()}"
        screenshot(page, SCREENSHOTS, f"{demo.key}-engineer-view")
    finally:
        context.close()
