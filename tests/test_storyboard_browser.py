"""Each demo's first screen is its point: the `<page>_hero` block (interaction and result) fits a laptop screen
without scrolling and starts on a phone's first screen; the depth below keeps each page short."""

from __future__ import annotations

import pytest

from harness.browser import assert_page_healthy, box_of, first_screen, open_page, page_height
from tests.conftest import SCREENSHOTS
from ui.demos import DEMOS
from ui.layout import hero_key

pytestmark = pytest.mark.browser

LAPTOP, PHONE = (1280, 800), (390, 844)
MAX_SCREENS = {LAPTOP: 2.5, PHONE: 6.0}  # page height at default state, in screens
COLD_MS = 600_000  # a first visit may train the demo's default model on a loaded machine


def visit(browser, server_url: str, demo, size: tuple[int, int]):
    phone = size == PHONE
    context = browser.new_context(
        viewport={"width": size[0], "height": size[1]}, device_scale_factor=2 if phone else 1, is_mobile=phone
    )
    page = context.new_page()
    open_page(page, f"{server_url}/{demo.slug}", demo.title, timeout_ms=COLD_MS)
    assert_page_healthy(page)
    return context, page


def _what_is_on_screen(page, demo) -> str:
    """The main column's text down to the hero's end, so a failure in CI says what made the hero move or grow."""
    return page.get_by_test_id("stMain").inner_text()[:1500]


@pytest.mark.parametrize("demo", DEMOS, ids=[d.key for d in DEMOS])
def test_the_hero_fits_a_laptop_s_first_screen(browser, server_url, demo):
    context, page = visit(browser, server_url, demo, LAPTOP)
    try:
        box = box_of(page, f".st-key-{hero_key(demo)}", COLD_MS)
        first_screen(page, SCREENSHOTS, f"{demo.key}-first-screen-laptop")
        assert box["top"] >= 0 and box["bottom"] <= LAPTOP[1], (box, _what_is_on_screen(page, demo))
        height = page_height(page)
        assert height <= MAX_SCREENS[LAPTOP] * LAPTOP[1], f"{height} px tall"
    finally:
        context.close()


@pytest.mark.parametrize("demo", DEMOS, ids=[d.key for d in DEMOS])
def test_the_hero_starts_on_a_phone_s_first_screen(browser, server_url, demo):
    context, page = visit(browser, server_url, demo, PHONE)
    try:
        box = box_of(page, f".st-key-{hero_key(demo)}", COLD_MS)
        first_screen(page, SCREENSHOTS, f"{demo.key}-first-screen-phone")
        assert box["top"] >= 0 and box["top"] < PHONE[1], box
        height = page_height(page)
        assert height <= MAX_SCREENS[PHONE] * PHONE[1], f"{height} px tall"
    finally:
        context.close()
