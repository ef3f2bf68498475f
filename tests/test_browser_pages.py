"""The real app in headless Chromium: every page opens, shows its title, and raises nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from harness.browser import (
    COLD_START_MS,
    EXCEPTION,
    assert_page_healthy,
    open_page,
    open_tab,
    rerun,
    screenshot,
    wait_script_done,
)
from harness.server import start_server, stop_server
from tests.conftest import SCREENSHOTS
from ui.demos import DEMOS
from ui.layout import FAULT_ENV

pytestmark = pytest.mark.browser

PAGES = [("", "What does a Machine Learning Engineer build?", "home")] + [(d.slug, d.title, d.key) for d in DEMOS]


@pytest.mark.parametrize(("slug", "title", "name"), PAGES, ids=[p[2] for p in PAGES])
def test_page_renders_in_browser(page, server_url, slug, title, name):
    open_page(page, f"{server_url}/{slug}", title)
    assert_page_healthy(page)
    screenshot(page, SCREENSHOTS, name)


def test_presenter_mode_from_url(page, server_url):
    open_page(page, f"{server_url}/?presenter=1", PAGES[0][1])
    assert page.get_by_text("Talking points").first.is_visible()
    assert_page_healthy(page)
    screenshot(page, SCREENSHOTS, "home-presenter")


def test_navigation_card_opens_demo(page, server_url):
    open_page(page, server_url, PAGES[0][1])
    demo = DEMOS[0]
    page.get_by_role("link", name=f"Open {demo.title}").click()
    page.wait_for_url(f"**/{demo.slug}")
    expect(page.get_by_role("heading", name=demo.title, level=1)).to_be_visible()
    wait_script_done(page)
    assert_page_healthy(page)


@pytest.mark.parametrize(("slug", "title", "name"), PAGES, ids=[p[2] for p in PAGES])
def test_page_fits_a_phone(browser, server_url, slug, title, name):
    """At 390x844 (a common phone) nothing may force sideways scrolling of the page."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    phone = context.new_page()
    try:
        open_page(phone, f"{server_url}/{slug}", title)
        assert_page_healthy(phone)
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
        assert_page_healthy(page)
    finally:
        context.close()
        stop_server(process)


def test_the_smoke_check_sees_a_section_that_fails(browser):
    """A fault injected into every guarded section (ui.layout.guard draws an error alert, not a traceback)
    must fail the helper every page-level test uses; without the fault the same page passes it."""
    demo = DEMOS[1]  # a quick page to open cold
    process, url = start_server(extra_env={FAULT_ENV: "*"})
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        open_page(page, f"{url}/{demo.slug}", demo.title, timeout_ms=COLD_START_MS)  # a cold server trains first
        expect(page.get_by_text("Sorry, something went wrong").first).to_be_visible()
        assert page.locator(EXCEPTION).count() == 0  # no traceback: the old smoke check would have passed
        with pytest.raises(AssertionError, match="error box"):
            assert_page_healthy(page)
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
        open_tab(page, "The engineer's view")  # the depth under the first screen, one click away
        for view in VIEWS:
            button = page.get_by_role("radio", name=view, exact=True)
            if button.get_attribute("aria-checked") != "true":  # a second click would deselect it
                with rerun(page, COLD_START_MS):  # a cold learning curve or arena trains several models
                    button.click()
            expect(button).to_be_checked()
            assert_page_healthy(page)
        screenshot(page, SCREENSHOTS, f"{demo.key}-engineer-view")
    finally:
        context.close()
