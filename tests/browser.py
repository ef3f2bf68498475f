"""Helpers for driving the real app in Chromium: wait for conditions, never fixed sleeps."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

EXCEPTION = '[data-testid="stException"]'
RUNNING = '[data-testid="stStatusWidget"]'
SCRIPT_DONE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def wait_until_idle(page: Page, timeout_ms: int = 120_000) -> None:
    """Wait for the script run a click just started to finish (status widget gone, script state idle)."""
    page.wait_for_timeout(300)  # let a rerun that was just triggered announce itself
    page.locator(RUNNING).first.wait_for(state="detached", timeout=timeout_ms)
    wait_script_done(page, timeout_ms)


def wait_script_done(page: Page, timeout_ms: int = 120_000) -> None:
    """Streamlit's own e2e tests wait on this attribute; the status widget shows only after a delay."""
    page.locator(SCRIPT_DONE).wait_for(state="attached", timeout=timeout_ms)


def open_page(page: Page, url: str, title: str, timeout_ms: int = 120_000) -> None:
    """Open `url`, wait for its title and for the script to finish; a "Page not found" notice fails."""
    page.goto(url, wait_until="domcontentloaded")
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible(timeout=timeout_ms)
    wait_until_idle(page, timeout_ms)
    expect(page.get_by_role("dialog", name="Page not found")).to_have_count(0)


def assert_no_exception_box(page: Page) -> None:
    assert page.locator(EXCEPTION).count() == 0, page.locator(EXCEPTION).first.inner_text()


def screenshot(page: Page, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.wait_for_timeout(500)  # let the last elements paint; the picture is for people, not assertions
    page.screenshot(path=str(path), full_page=True)
    return path
