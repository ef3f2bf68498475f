"""The fraud page in a real browser: play the stream, inject a burst, see alerts and counters move."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import SCRIPT_DONE, assert_no_exception_box, open_page, screenshot, wait_until_idle
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


def test_training_shows_progress_and_a_change_mid_fit_starts_over(page, server_url):
    """A long fit shows how far it is; a visitor who moves a slider meanwhile sees a fresh fit for the new
    setting at once. (That the abandoned fit stops rather than finishing unseen is tested on the model:
    tests/test_fraud_model.py::test_a_fit_stops_when_progress_says_so.)"""
    page.goto(f"{server_url}/{DEMO.slug}?fraud_model=random+forest", wait_until="domcontentloaded")
    expect(page.get_by_role("heading", name=DEMO.title, level=1)).to_be_visible(timeout=120_000)
    progress = page.locator('[data-testid="stProgress"]')

    def percent() -> int | None:
        texts = progress.all_inner_texts()
        found = re.search(r"(\d+)%", texts[0]) if texts else None
        return int(found.group(1)) if found else None

    before = None
    for _ in range(2400):
        before = percent()
        if before is not None and before >= 25:
            break
        page.wait_for_timeout(50)
    assert before is not None and before < 75, f"no progress shown while the forest trained ({before}%)"
    trees = page.locator('.st-key-fraud_trees input[type="range"]').first
    trees.focus()
    trees.press("ArrowLeft")  # 100 -> 90 trees while the 100-tree forest is part-grown
    after: list[int] = []
    for _ in range(2400):
        now = percent()
        if now is not None and (not after or after[-1] != now):
            after.append(now)
        if now is None and after and page.locator(SCRIPT_DONE).count():
            break
        page.wait_for_timeout(50)
    while after and after[0] == before:  # the old bar, until the new run replaces it
        after.pop(0)
    assert after and after[0] < before, f"no fresh fit after the change: {before}% before, then {after}"
    assert after == sorted(after), after
    wait_until_idle(page)
    assert_no_exception_box(page)
    assert trees.input_value() == "90"
