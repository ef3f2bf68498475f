"""After launch in a real browser: play a drift, see the alarm fire, retrain, see the retrained model's line."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from harness.browser import (
    COLD_START_MS,
    assert_no_exception_box,
    open_page,
    open_tab,
    screenshot,
    wait_script_done,
)
from tests.conftest import SCREENSHOTS
from ui.demos import demo_by_key

pytestmark = pytest.mark.browser

DEMO = demo_by_key("fraud")
SMALL = "fraud_customers=500&fraud_days=60"


def choose_drift(page, name: str) -> None:
    """Pick a drift from the list. On a cold server a run still drawing the page can close an open list: then
    wait for the page to be idle and open it again (the CI failure: the option never appeared in 30 s)."""
    for _ in range(5):
        wait_script_done(page)
        page.locator(".st-key-fraud_after_drift").click(timeout=COLD_START_MS)
        try:
            page.get_by_role("option", name=re.compile(name)).click(timeout=30_000)
            return
        except PlaywrightTimeoutError:
            page.keyboard.press("Escape")
    raise AssertionError(f"the drift list never offered {name!r}")


def test_a_drift_plays_the_alarm_fires_and_retraining_recovers(browser, server_url):
    context = browser.new_context(viewport={"width": 1366, "height": 1000})
    page = context.new_page()
    try:
        open_page(page, f"{server_url}/{DEMO.slug}?{SMALL}", DEMO.title, timeout_ms=600_000)
        open_tab(page, "After launch")  # the story sits in its own depth tab under the hero
        section = page.get_by_role("heading", name=re.compile("After launch"))
        section.scroll_into_view_if_needed(timeout=300_000)
        choose_drift(page, "Holiday season")
        page.locator(".st-key-fraud_after_play button").first.click()
        # The story is computed once (a progress bar), then a fragment plays a day per tick.
        alarm = page.get_by_text(re.compile(r"Drift alarm on day \d+"))
        expect(alarm).to_be_visible(timeout=300_000)
        day = page.locator('[data-testid="stMetric"]', has_text="Day")
        expect(day.first).to_be_visible()
        page.locator(".st-key-fraud_after_retrain button").first.click()
        expect(page.get_by_text(re.compile(r"Retrained on day \d+"))).to_be_visible(timeout=300_000)
        # each tick redraws the chart; Streamlit keeps the previous copy (data-stale) until the new one is in
        chart = page.locator('.st-key-fraud_after_precision_chart:not([data-stale="true"])').first
        expect(chart).to_contain_text("after 'Retrain now'", timeout=60_000)
        assert_no_exception_box(page)
        chart.scroll_into_view_if_needed()
        screenshot(page, SCREENSHOTS, "fraud-after-launch")
    finally:
        context.close()
