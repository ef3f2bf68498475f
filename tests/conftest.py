"""Shared fixtures: an AppTest factory, and a real server plus headless Chromium for browser tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from harness.server import CHROMIUM, CHROMIUM_ARGS, ROOT, server_log_tail, start_server, stop_server

SCREENSHOTS = ROOT / "screenshots"


def assert_no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def fresh_app(page: str) -> AppTest:
    """A page in a new session that drew without an error: each test gets its own, so a widget one test
    sets never leaks into the next, whatever the order."""
    from harness.server import open_app

    app = open_app(page)
    assert_no_exception(app)
    return app


def metric(at: AppTest, label: str) -> str:
    """The value of the page's metric card labelled `label`."""
    return next(m.value for m in at.metric if m.label == label)


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    if os.environ.get("SHOWCASE_TEST_SERVER"):  # an already warm server (e.g. while debugging browser tests)
        yield os.environ["SHOWCASE_TEST_SERVER"].rstrip("/")
        return
    process, url = start_server()
    _SERVERS.append(process)
    try:
        yield url
    finally:
        _SERVERS.remove(process)
        stop_server(process)


_SERVERS: list = []
"""The shared server while it runs: a failing browser test's report says whether it was alive, and how its log
ends (CI keeps only the test output, and the server's own log is removed with it)."""


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed and "server_url" in getattr(item, "fixturenames", ()) and _SERVERS:
        process = _SERVERS[-1]
        alive = "alive" if process.poll() is None else f"exited with {process.returncode}"
        report.sections.append(("shared server", f"{alive}; its log ends:\n{server_log_tail(process)}"))
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install -y chromium` (make test does this)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()
