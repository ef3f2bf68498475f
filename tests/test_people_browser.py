"""The 'People you may know' page in headless Chromium: pick a person, see suggestions; the views; a phone."""

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
    wait_script_done,
)
from tests.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser
TITLE = "People you may know"


def ready(page, url: str) -> None:
    open_page(page, url, TITLE)
    page.get_by_text("Why the learned combination wins").first.wait_for(state="attached", timeout=COLD_START_MS)
    wait_script_done(page)


def suggested_names(page) -> str:
    return page.locator('[data-testid="stDataFrame"]').first.inner_text()


def test_pick_a_person_and_see_suggestions(page, server_url):
    page.set_viewport_size({"width": 1366, "height": 3000})
    ready(page, f"{server_url}/people-you-may-know")
    assert_page_healthy(page)
    expect(page.get_by_text(re.compile(r"Why .+ first")).first).to_be_visible()
    before = page.get_by_text(re.compile(r"Why .+ first")).first.inner_text()
    box = page.get_by_role("combobox", name=re.compile("Person")).first
    box.click()
    box.fill("#17)")
    with rerun(page):
        page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile(r"\(#17\) \(star\) with up to 30")).first).to_be_visible(timeout=60_000)
    assert page.get_by_text(re.compile(r"Why .+ first")).first.inner_text() != before
    assert "people_person=" in page.url  # the scenario is bookmarkable
    assert_page_healthy(page)
    screenshot(page, SCREENSHOTS, "people-person")


def test_slices_view_and_real_graph_link(page, server_url):
    page.set_viewport_size({"width": 1366, "height": 3000})
    ready(page, f"{server_url}/people-you-may-know?people_graph=Les+Mis%C3%A9rables")
    assert_page_healthy(page)
    open_tab(page, "The network")
    expect(page.get_by_text("Les Misérables co-appearances").first).to_be_visible()
    open_tab(page, "The engineer's view")
    with rerun(page):
        page.get_by_role("radio", name="Who it serves worse").first.click()
    expect(page.get_by_text("Pairs grouped by the less-connected person").first).to_be_visible(timeout=60_000)
    assert_page_healthy(page)
    screenshot(page, SCREENSHOTS, "people-lesmis-slices")


def test_phone_width(page, server_url):
    page.set_viewport_size({"width": 390, "height": 3200})
    ready(page, f"{server_url}/people-you-may-know")
    assert_page_healthy(page)
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    overflow = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert overflow[0] <= overflow[1] + 1, overflow  # nothing forces sideways scrolling on a phone
    screenshot(page, SCREENSHOTS, "people-phone")
