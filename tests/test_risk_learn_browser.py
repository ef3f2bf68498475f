"""Watch it learn in headless Chromium: press Play and see the picture change, at desktop and phone width."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from harness.browser import assert_no_exception_box, screenshot, track_runs, wait_until_idle
from tests.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser
SECTION = ".st-key-risk_learn"


def open_section(page, url: str):
    """Open the page with the section unfolded (the tour's link); wait for both animated charts."""
    track_runs(page)
    page.goto(f"{url}/disease-risk?risk_learn=true", wait_until="domcontentloaded")
    charts = page.locator(f"{SECTION} .js-plotly-plot")
    expect(charts).to_have_count(2, timeout=900_000)
    wait_until_idle(page, 900_000)
    return charts


@pytest.mark.parametrize(("width", "name"), [(1280, "desktop"), (390, "phone")])
def test_play_changes_the_picture(page, server_url, width, name):
    page.set_viewport_size({"width": width, "height": 2400})
    charts = open_section(page, server_url)
    assert_no_exception_box(page)
    for chart in (charts.first, charts.last):
        chart.scroll_into_view_if_needed()
        caption = chart.locator(".annotation-text").first
        before_caption, before_picture = caption.text_content(), chart.screenshot()
        chart.get_by_text("▶ Play").click()
        expect(caption).not_to_have_text(before_caption, timeout=60_000)  # the caption moves on with the frames
        assert chart.screenshot() != before_picture  # and the map and curves are redrawn in the browser
        assert chart.locator(".heatmaplayer image").count() == 1  # the map is still drawn mid-animation...
        assert chart.locator(".scatterlayer .points path").count() >= 140  # ...under the 140 training women
        chart.get_by_text("❚❚ Pause").click()
        box = chart.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1  # fits the screen, no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    assert_no_exception_box(page)
    screenshot(page, SCREENSHOTS, f"risk-watch-learn-{name}")
