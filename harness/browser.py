"""Helpers for driving the real app in Chromium: wait for conditions, never fixed sleeps.

Every script run is counted as the server reports it: `track_runs(page)` (called by `open_page`) reads the
app's WebSocket and counts Streamlit's `script_finished` messages, one per completed run, full or fragment.
A count kept in the page's DOM misses runs: a fragment that redraws in a few milliseconds sends "started"
and "finished" in one batch, React renders once, and `data-test-script-state` never leaves "notRunning".
`rerun(page)` waits for the count to move past its value before the action and for the page to be idle;
no sleep guesses how long the server takes to answer.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from weakref import WeakKeyDictionary

from playwright.sync_api import Page, WebSocket, expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

EXCEPTION = '[data-testid="stException"]'
ERROR_ALERT = '[data-testid="stAlertContentError"]'  # what ui.layout.guard draws when a section fails
RUNNING = '[data-testid="stStatusWidget"]'
SCRIPT_DONE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
COLD_START_MS = int(float(os.environ.get("SHOWCASE_COLD_START_S", "900")) * 1000)
"""How long a wait may poll for a state a cold first visit produces (a demo training its default model on a
fresh clone, on a busy 2-core machine). Waits poll, so a warm run returns as soon as the state appears;
this is only the point at which a wait gives up, and it must exceed any cold start we have seen (minutes)."""
COMPLETED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
"""A run stopped early for a newer one is not counted: the newer one is what an action waits for."""


class _Runs:
    """Completed runs seen on one page's sockets, and the count when the page was last seen idle."""

    def __init__(self) -> None:
        self.done = 0
        self.idle_at = 0
        self.socket: WebSocket | None = None

    def on_socket(self, socket: WebSocket) -> None:
        self.socket = socket  # a reload opens a new one; the newest is the page's
        socket.on("framereceived", self.on_frame)

    def on_frame(self, payload: bytes | str) -> None:
        if _completes_a_run(payload):
            self.done += 1


def _completes_a_run(payload: bytes | str) -> bool:
    if isinstance(payload, str):
        return False
    message = ForwardMsg.FromString(payload)
    return message.WhichOneof("type") == "script_finished" and message.script_finished in COMPLETED


_RUNS: WeakKeyDictionary[Page, _Runs] = WeakKeyDictionary()


def track_runs(page: Page) -> None:
    """Count this page's script runs from now on; call before the page opens its socket (before goto)."""
    if page not in _RUNS:
        _RUNS[page] = _Runs()
        page.on("websocket", _RUNS[page].on_socket)


def _tracked(page: Page) -> _Runs:
    if page not in _RUNS:
        raise AssertionError("no run counter on this page: open it with harness.browser.open_page (or track_runs)")
    return _RUNS[page]


def runs(page: Page) -> int:
    """How many script runs (full or fragment) this page has completed since it was tracked."""
    return _tracked(page).done


def _wait_for_runs(page: Page, more_than: int, timeout_ms: int) -> None:
    """Wait on the page's socket for frames (each one counted as it arrives) until a newer run completed."""
    counter, deadline = _tracked(page), time.monotonic() + timeout_ms / 1000
    while counter.done <= more_than:
        left_ms = (deadline - time.monotonic()) * 1000
        if left_ms <= 0 or counter.socket is None:
            raise TimeoutError(f"no script run after run {more_than} within {timeout_ms / 1000:.0f} s on {page.url}")
        counter.socket.wait_for_event("framereceived", predicate=_completes_a_run, timeout=left_ms)
    page.locator(SCRIPT_DONE).wait_for(state="attached", timeout=timeout_ms)
    counter.idle_at = counter.done


@contextmanager
def rerun(page: Page, timeout_ms: int = COLD_START_MS) -> Iterator[None]:
    """Wrap an action that makes Streamlit rerun; on exit, wait until that run has completed."""
    before = runs(page)
    yield
    _wait_for_runs(page, before, timeout_ms)


def wait_until_idle(page: Page, timeout_ms: int = COLD_START_MS, *, since: int | None = None) -> None:
    """Wait for a run after run number `since` (default: the count when last idle) to complete."""
    _wait_for_runs(page, _tracked(page).idle_at if since is None else since, timeout_ms)


def wait_script_done(page: Page, timeout_ms: int = COLD_START_MS) -> None:
    """Streamlit's own e2e tests wait on this attribute; the status widget shows only after a delay."""
    page.locator(SCRIPT_DONE).wait_for(state="attached", timeout=timeout_ms)
    page.locator(RUNNING).first.wait_for(state="detached", timeout=timeout_ms)
    if page in _RUNS:
        _RUNS[page].idle_at = _RUNS[page].done


def open_page(page: Page, url: str, title: str, timeout_ms: int = COLD_START_MS) -> None:
    """Open `url`, wait for its title, for the script to finish and for the first screen's lazily drawn
    widgets; a "Page not found" notice fails."""
    track_runs(page)
    page.goto(url, wait_until="domcontentloaded")
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible(timeout=timeout_ms)
    wait_script_done(page, 2 * timeout_ms)  # a cold first visit trains below its title; as generous as before
    expect(page.get_by_role("dialog", name="Page not found")).to_have_count(0)
    wait_until_drawn(page, timeout_ms)  # lazily drawn widgets (metrics, switches) exist only once drawn


def assert_page_healthy(page: Page) -> None:
    """Fail on a traceback box (stException) and on any error alert: a section that failed inside
    `ui.layout.guard` draws an error alert, not an exception, and the rest of the page lives on."""
    boxes = page.locator(f"{EXCEPTION}, {ERROR_ALERT}")
    assert boxes.count() == 0, f"{boxes.count()} error box(es) on {page.url}: {boxes.first.inner_text()}"


assert_no_exception_box = assert_page_healthy  # the older name, kept for tests written against it


def screenshot(page: Page, folder: Path, name: str, *, idle: bool = True) -> Path:
    """A full-page picture for people to look at, taken once the fonts have loaded and (unless `idle` is
    False, for a picture of a page mid-run) once the script is idle."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    if idle:
        page.locator(SCRIPT_DONE).wait_for(state="attached", timeout=COLD_START_MS)
    page.evaluate("() => document.fonts.ready")
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    return path


def open_tab(page: Page, label: str, timeout_ms: int = 120_000) -> None:
    """Click the demo page's depth tab `label` (tabs switch in the browser: no script run to wait for)."""
    tab = page.get_by_role("tab", name=label, exact=True).first
    tab.click(timeout=timeout_ms)
    expect(tab).to_have_attribute("aria-selected", "true")


SKELETONS_ON_SCREEN = """() => [...document.querySelectorAll('[data-testid="stSkeleton"]')].every((el) => {
    const r = el.getBoundingClientRect();
    return r.height === 0 || r.bottom < 0 || r.top > window.innerHeight;
})"""
"""True when no grey placeholder is left on screen: Streamlit draws sliders, metrics and charts lazily, with a
placeholder of another height first, so a box measured (or a picture taken) before they load is not the page."""


def wait_until_drawn(page: Page, timeout_ms: int = 60_000) -> None:
    """Wait until every lazily drawn element on screen has replaced its placeholder."""
    page.wait_for_function(SKELETONS_ON_SCREEN, timeout=timeout_ms)


def box_of(page: Page, selector: str, timeout_ms: int = 120_000) -> dict[str, float]:
    """The element's box relative to the top of the page (scrolled to the top first, placeholders drawn)."""
    element = page.locator(selector).first
    element.wait_for(state="visible", timeout=timeout_ms)
    page.evaluate(
        "() => { window.scrollTo(0, 0); document.querySelector('[data-testid=\"stMain\"]')?.scrollTo(0, 0); }"
    )
    wait_until_drawn(page, timeout_ms)
    return page.evaluate(
        "(sel) => { const r = document.querySelector(sel).getBoundingClientRect();"
        " return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; }",
        selector,
    )


def page_height(page: Page) -> int:
    """The height of everything a visitor can scroll through on the page, in CSS pixels."""
    return int(
        page.evaluate(
            "() => Math.max(document.scrollingElement.scrollHeight,"
            " document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight || 0)"
        )
    )


def first_screen(page: Page, folder: Path, name: str) -> Path:
    """A picture of exactly what a visitor sees on arrival (the viewport, not the full page)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.locator(SCRIPT_DONE).wait_for(state="attached")
    wait_until_drawn(page)
    page.evaluate("() => document.fonts.ready")
    page.screenshot(path=str(path), animations="disabled")
    return path
