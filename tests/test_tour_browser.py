"""The guided tour end to end in the real app: it advances by itself, then through every demo."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from harness.browser import COLD_START_MS, assert_page_healthy, open_page, screenshot, wait_script_done
from tests.conftest import SCREENSHOTS
from ui.tour import TOUR

pytestmark = pytest.mark.browser

HOME_TITLE = "What does a Machine Learning Engineer build?"


def _step_caption(page, number: int):
    return page.get_by_text(f"Guided tour · step {number} of {len(TOUR)}")


def hold(page) -> None:
    wait_script_done(page)
    page.get_by_role("button", name="Pause", exact=True).click(timeout=COLD_START_MS)
    expect(page.get_by_role("button", name="Resume")).to_be_visible(timeout=COLD_START_MS)


@pytest.mark.timeout(300)
def test_tour_runs_end_to_end(page, server_url):
    from ui.demos import DEMOS

    open_page(page, f"{server_url}/?tour=1&tour_pace=Fast", HOME_TITLE)
    expect(_step_caption(page, 1)).to_be_visible()
    screenshot(page, SCREENSHOTS, "tour-step-1")
    # Step 1 lasts 10 s x 0.6 at the fast pace: the tour moves on by itself.
    expect(_step_caption(page, 2)).to_be_visible(timeout=60_000)
    expect(page).to_have_url(re.compile(rf"/{DEMOS[0].slug}"))
    expect(page.get_by_role("heading", name=DEMOS[0].title, level=1)).to_be_visible(timeout=COLD_START_MS)
    # From here the presenter drives: each step is held (Pause) so the step's own timer (12 s at this pace)
    # cannot race the click on a slow machine; "Next step" moves on and releases the hold.
    for number, demo in enumerate(DEMOS[1:], start=3):
        hold(page)
        page.get_by_role("button", name="Next step").click()
        expect(_step_caption(page, number)).to_be_visible(timeout=COLD_START_MS)
        expect(page.get_by_role("heading", name=demo.title, level=1)).to_be_visible(timeout=COLD_START_MS)
        assert_page_healthy(page)
    hold(page)
    page.get_by_role("button", name="Next step").click()
    expect(_step_caption(page, 1)).to_be_visible(timeout=COLD_START_MS)
    wait_script_done(page)
    page.get_by_role("button", name="End tour").click()
    expect(page.get_by_role("button", name="Start guided tour")).to_be_visible()
