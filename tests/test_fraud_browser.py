"""The fraud page in a real browser: play the stream, inject a burst, see alerts and counters move."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import assert_no_exception_box, open_page, screenshot, wait_until_idle
from tests.conftest import SCREENSHOTS
from ui.demos import demo_by_key

pytestmark = pytest.mark.browser

DEMO = demo_by_key("fraud")
SMALL = "fraud_customers=500&fraud_days=60"


def test_stream_plays_and_catches_a_burst(browser, server_url):
    context = browser.new_context(viewport={"width": 1366, "height": 3400})
    page = context.new_page()
    try:
        open_page(page, f"{server_url}/{DEMO.slug}?{SMALL}", DEMO.title)
        assert_no_exception_box(page)
        inject = page.get_by_role("button", name=re.compile("Inject a fraud burst"))
        expect(inject).to_be_visible(timeout=120_000)
        inject.click()
        wait_until_idle(page)
        page.get_by_text("Play", exact=True).click()
        # The counter is inside a fragment that reruns every second while playing.
        scored = page.locator('[data-testid="stMetric"]', has_text="Payments scored")
        expect(scored).not_to_contain_text(re.compile(r"Payments scored\s*0\s*$"), timeout=30_000)
        expect(page.get_by_text(re.compile(r"card \d+ · really fraud")).first).to_be_visible(timeout=30_000)
        page.get_by_text("Play", exact=True).click()
        wait_until_idle(page)
        assert_no_exception_box(page)
        screenshot(page, SCREENSHOTS, "fraud-stream")
    finally:
        context.close()


def test_bookmarked_scenario_restores_threshold(page, server_url):
    open_page(page, f"{server_url}/{DEMO.slug}?{SMALL}&fraud_threshold=0.8", DEMO.title)
    expect(page.get_by_text("yours is 0.80")).to_be_visible(timeout=120_000)
    assert_no_exception_box(page)
