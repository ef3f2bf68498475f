"""The fraud page in a real browser: play the stream, inject a burst, see alerts and counters move."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from harness.browser import (
    COLD_START_MS,
    assert_page_healthy,
    open_page,
    open_tab,
    rerun,
    screenshot,
    track_runs,
    wait_script_done,
)
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
        assert_page_healthy(page)
        inject = page.get_by_role("button", name=re.compile("Inject a fraud burst"))
        expect(inject).to_be_visible(timeout=COLD_START_MS)
        with rerun(page):
            inject.click()
        page.get_by_text("Play", exact=True).click()
        # The counter is inside a fragment that reruns every second while playing.
        scored = page.locator('[data-testid="stMetric"]', has_text="Payments scored")
        expect(scored).not_to_contain_text(re.compile(r"Payments scored\s*0\s*$"), timeout=30_000)
        expect(page.get_by_text(re.compile(r"card \d+ · really fraud")).first).to_be_visible(timeout=30_000)
        with rerun(page):
            page.get_by_text("Play", exact=True).click()
        wait_script_done(page)
        assert_page_healthy(page)
        screenshot(page, SCREENSHOTS, "fraud-stream")
    finally:
        context.close()


def test_bookmarked_scenario_restores_threshold(page, server_url):
    open_page(page, f"{server_url}/{DEMO.slug}?{SMALL}&fraud_threshold=0.8", DEMO.title)
    open_tab(page, "Where to draw the line")
    expect(page.get_by_text("yours is 0.80")).to_be_visible(timeout=COLD_START_MS)
    assert_page_healthy(page)


PROGRESS_LOG = """
(() => {
  window.__progress = [];  // [trees, percent] each time the bar changes
  new MutationObserver(() => {
    const bar = document.querySelector('[data-testid="stProgress"]');
    const found = bar && /\\((\\d+) trees\\)\\D*(\\d+)%/.exec(bar.innerText);
    const last = window.__progress[window.__progress.length - 1];
    const now = found && [Number(found[1]), Number(found[2])];
    if (now && !(last && last[0] === now[0] && last[1] === now[1])) window.__progress.push(now);
  }).observe(document, {subtree: true, childList: true, characterData: true});
})();
"""


def test_training_shows_progress_and_a_change_mid_fit_starts_over(page, server_url):
    """A long fit shows how far it is; a visitor who moves a slider meanwhile sees a fresh fit for the new
    setting at once. Nothing here waits for the fit to reach a given share, so a fast or a slow machine
    passes alike: the change comes at the first progress shown, and a fit that has finished by then is
    followed by the fresh one all the same. (That the abandoned fit stops rather than finishing unseen is
    tested on the model: tests/test_fraud_model.py::test_a_fit_stops_when_progress_says_so.)"""
    track_runs(page)
    page.add_init_script(PROGRESS_LOG)
    # 130 trees: a forest no other test trains, so it is never in the server's cache.
    page.goto(f"{server_url}/{DEMO.slug}?fraud_model=random+forest&fraud_trees=130", wait_until="domcontentloaded")
    expect(page.get_by_role("heading", name=DEMO.title, level=1)).to_be_visible(timeout=COLD_START_MS)
    page.wait_for_function("() => window.__progress.length > 0", timeout=COLD_START_MS, polling=20)
    trees = page.locator('.st-key-fraud_trees input[type="range"]').first
    trees.focus()
    with rerun(page, 300_000):
        seen_before = page.evaluate("() => window.__progress.length")
        trees.press("ArrowLeft")  # 130 -> 120 trees, while (or just after) the 130-tree forest grows
    wait_script_done(page, 300_000)
    shown = page.evaluate("() => window.__progress")
    before, after = shown[:seen_before], shown[seen_before:]
    assert before and all(trees == 130 for trees, _ in before), before
    fresh = [share for trees, share in after if trees == 120]
    assert fresh, f"no fresh fit for the new setting: {before} before, then {after}"
    assert fresh == sorted(fresh), after
    old_after_fresh = [share for trees, share in after[after.index([120, fresh[0]]) :] if trees == 130]
    assert not old_after_fresh, f"the abandoned fit still reports progress: {after}"
    assert_page_healthy(page)
    assert trees.input_value() == "120"
