"""The 'People you may know' page in headless Chromium: pick a person, see suggestions; the views; a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import assert_no_exception_box, open_page, screenshot, wait_until_idle
from tests.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser
TITLE = "People you may know"


def ready(page, url: str) -> None:
    open_page(page, url, TITLE)
    page.get_by_text("Why the learned combination wins").first.wait_for(timeout=120_000)
    wait_until_idle(page)


def suggested_names(page) -> str:
    return page.locator('[data-testid="stDataFrame"]').first.inner_text()


def test_pick_a_person_and_see_suggestions(page, server_url):
    page.set_viewport_size({"width": 1366, "height": 3000})
    ready(page, f"{server_url}/people-you-may-know")
    assert_no_exception_box(page)
    expect(page.get_by_text(re.compile(r"Why .+ first")).first).to_be_visible()
    before = page.get_by_text(re.compile(r"Why .+ first")).first.inner_text()
    box = page.get_by_role("combobox", name=re.compile("Person")).first
    box.click()
    box.fill("#17)")
    page.keyboard.press("Enter")
    wait_until_idle(page)
    expect(page.get_by_text(re.compile(r"\(#17\) \(star\) with up to 30")).first).to_be_visible(timeout=60_000)
    assert page.get_by_text(re.compile(r"Why .+ first")).first.inner_text() != before
    assert "people_person=" in page.url  # the scenario is bookmarkable
    assert_no_exception_box(page)
    screenshot(page, SCREENSHOTS, "people-person")


def test_slices_view_and_real_graph_link(page, server_url):
    page.set_viewport_size({"width": 1366, "height": 3000})
    ready(page, f"{server_url}/people-you-may-know?people_graph=Les+Mis%C3%A9rables")
    assert_no_exception_box(page)
    expect(page.get_by_text("Les Misérables co-appearances").first).to_be_visible()
    page.get_by_role("radio", name="Who it serves worse").first.click()
    wait_until_idle(page)
    expect(page.get_by_text("Pairs grouped by the less-connected person").first).to_be_visible(timeout=60_000)
    assert_no_exception_box(page)
    screenshot(page, SCREENSHOTS, "people-lesmis-slices")


def test_phone_width(page, server_url):
    page.set_viewport_size({"width": 390, "height": 3200})
    ready(page, f"{server_url}/people-you-may-know")
    assert_no_exception_box(page)
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    overflow = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert overflow[0] <= overflow[1] + 1, overflow  # nothing forces sideways scrolling on a phone
    page.wait_for_timeout(1500)  # the picture is for people: let charts and tables paint
    screenshot(page, SCREENSHOTS, "people-phone")
