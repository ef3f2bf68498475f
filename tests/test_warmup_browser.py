"""The warm-up as a visitor meets it: a demo opened while it is still warming shows progress, then the page.

The server is started with SHOWCASE_WARMUP_HOLD naming a file: while it exists the warm-up pauses before
each step, so the test can open the first demo of the tour while it is certainly still warming."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from harness.browser import assert_no_exception_box, screenshot, wait_script_done
from harness.server import start_server, stop_server
from tests.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser
COLD_MS = 600_000  # the held step is the recommender's data, then training; minutes on a busy 2-core machine


@pytest.fixture
def held_server(tmp_path):
    hold = tmp_path / "hold"
    hold.touch()
    process, url = start_server(extra_env={"SHOWCASE_WARMUP_HOLD": str(hold)})
    try:
        yield url, hold
    finally:
        hold.unlink(missing_ok=True)
        stop_server(process)


def test_a_demo_opened_during_warm_up_shows_progress_then_the_page(page, held_server):
    url, hold = held_server
    page.goto(url, wait_until="domcontentloaded")
    readiness = page.locator(".st-key-home_readiness")
    expect(readiness).to_contain_text("0 of 4 demos ready", timeout=COLD_MS)
    expect(readiness).to_contain_text("now preparing Movie recommendations", timeout=COLD_MS)  # it refreshes itself

    page.goto(f"{url}/recommendations", wait_until="domcontentloaded")
    expect(page.get_by_role("heading", name="Movie recommendations", level=1)).to_be_visible(timeout=COLD_MS)
    progress = page.locator(".st-key-recs_warming")
    expect(progress).to_contain_text("Getting this demo ready for everyone", timeout=COLD_MS)
    expect(progress).to_contain_text("step 1 of")
    expect(progress.locator('[data-testid="stProgress"]')).to_be_visible()
    expect(page.get_by_text("Rate a few films, get picks now")).to_have_count(0)  # not drawn while it warms
    screenshot(page, SCREENSHOTS, "warm-up-progress", idle=False)  # the page waits on the warm-up

    hold.unlink()  # let the warm-up go on
    expect(page.get_by_text("Rate a few films, get picks now")).to_be_visible(timeout=COLD_MS)
    expect(page.locator('[data-testid="stProgress"]')).to_have_count(0)  # the bar is gone once it is ready
    wait_script_done(page, COLD_MS)
    assert_no_exception_box(page)

    page.goto(url, wait_until="domcontentloaded")  # home counts the recommender as ready now
    expect(page.locator(".st-key-home_readiness")).to_contain_text(
        re.compile(r"[1-3] of 4 demos ready"), timeout=COLD_MS
    )
