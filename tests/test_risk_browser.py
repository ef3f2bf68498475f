"""The disease-risk page in headless Chromium: move the glucose slider by keyboard and see the risk rise."""

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
TITLE = "Disease-risk prediction"


def ready(page, url: str) -> None:
    """Open the page and wait until the patient's risk is on screen (the first visit trains the model)."""
    open_page(page, url, TITLE)
    page.locator('[data-testid="stMetric"]', has_text="Risk of diabetes").first.wait_for(timeout=COLD_START_MS)
    wait_script_done(page)  # the whole run, tabs included (their content is drawn only when opened)


def shown_risk(page) -> int:
    card = page.locator('[data-testid="stMetric"]', has_text="Risk of diabetes within 5 years").first
    value = card.locator('[data-testid="stMetricValue"]').inner_text()
    return int(re.match(r"\d+", value.strip()).group())


def test_glucose_slider_raises_the_risk(page, server_url):
    page.set_viewport_size({"width": 1366, "height": 2600})
    ready(page, f"{server_url}/disease-risk")
    assert_page_healthy(page)
    before = shown_risk(page)
    thumb = page.get_by_role("slider", name=re.compile("Plasma glucose")).first
    thumb.focus()
    with rerun(page):
        thumb.press("End")  # keyboard only: the highest glucose on the slider
    expect(page.get_by_role("slider", name=re.compile("Plasma glucose")).first).to_have_value("200")
    assert shown_risk(page) > before + 20
    assert "risk_glu=200" in page.url  # the scenario is bookmarkable
    assert page.get_by_text("Not medical advice").first.is_visible()
    assert_page_healthy(page)
    screenshot(page, SCREENSHOTS, "risk-high-glucose")


def test_scenario_link_and_tree_view(page, server_url):
    page.set_viewport_size({"width": 1366, "height": 2600})
    ready(page, f"{server_url}/disease-risk?risk_model=Decision+tree&risk_glu=160")
    assert_page_healthy(page)
    open_tab(page, "Is it any good?")
    expect(page.get_by_text("The decision tree, as questions")).to_be_visible()
    open_tab(page, "The engineer's view")
    with rerun(page):
        page.get_by_role("radio", name="Who it serves worse").first.click()
    expect(page.get_by_text("by age band").first).to_be_visible()
    assert_page_healthy(page)
    screenshot(page, SCREENSHOTS, "risk-tree-slices")


def test_phone_width(page, server_url):
    page.set_viewport_size({"width": 390, "height": 2400})
    ready(page, f"{server_url}/disease-risk")
    assert_page_healthy(page)
    screenshot(page, SCREENSHOTS, "risk-phone")
