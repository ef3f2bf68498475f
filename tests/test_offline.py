"""Offline proof: every page works with everything outside loopback blocked, and nothing tries to get out.

Two guards, both counting:
- the server runs with `tests/offline_guard/sitecustomize.py` on PYTHONPATH, which refuses and logs
  every name lookup, connect or datagram to a non-loopback destination (telemetry, IP checks, CDNs);
- the browser context routes every request: loopback goes through, anything else is aborted and
  recorded (CDN scripts, web fonts, favicons, map tiles).
Each guard is itself tested, so a zero below means "nothing tried", not "nothing was watched".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from harness.browser import assert_page_healthy, open_page, wait_script_done
from harness.server import ROOT, free_port, start_server, stop_server, wait_for_health
from tests.test_browser_pages import PAGES

pytestmark = pytest.mark.browser

GUARD_DIR = Path(__file__).resolve().parent / "offline_guard"


LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
PROBE_SCRIPT = """
import socket, urllib.request
results = {}
def attempt(name, fn):
    try:
        fn()
        results[name] = "went through"
    except OSError as err:
        results[name] = type(err).__name__
attempt("tcp", lambda: socket.create_connection(("203.0.113.7", 80), timeout=2))
attempt("dns", lambda: socket.getaddrinfo("telemetry.example.org", 443))
attempt("http", lambda: urllib.request.urlopen("http://checkip.example.org", timeout=2))
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
attempt("udp", lambda: udp.connect(("8.8.8.8", 1)))
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen()
attempt("loopback", lambda: socket.create_connection(server.getsockname(), timeout=2).close())
attempt("localhost", lambda: socket.getaddrinfo("localhost", 80))
print(results)
"""


def guard_env(log: Path) -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(GUARD_DIR), os.environ.get("PYTHONPATH", "")) if p)
    return {"PYTHONPATH": path, "OFFLINE_GUARD_LOG": str(log)}


def guard_records(log: Path) -> list[dict]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


def attempts(log: Path) -> list[dict]:
    """Every refused outside destination the guard logged (everything except its 'loaded' lines)."""
    return [r for r in guard_records(log) if r["kind"] != "loaded"]


def describe(records: list[dict]) -> str:
    return "\n".join(f"{r['kind']} {r['target']} (pid {r['pid']}) via {r['stack'][-3:]}" for r in records)


def is_loopback_url(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about"}:
        return True
    return (parts.hostname or "") in LOOPBACK_HOSTS


class Router:
    """Browser-side guard: loopback requests continue, everything else is aborted and remembered."""

    def __init__(self) -> None:
        self.outside: list[str] = []
        self.inside = 0

    def __call__(self, route) -> None:
        url = route.request.url
        if is_loopback_url(url):
            self.inside += 1
            route.continue_()
        else:
            self.outside.append(url)
            route.abort("internetdisconnected")


@pytest.fixture(scope="module")
def guarded_server(tmp_path_factory) -> Iterator[tuple[subprocess.Popen, str, Path]]:
    log = tmp_path_factory.mktemp("offline") / "guard.jsonl"
    process, url = start_server(extra_env=guard_env(log))
    try:
        yield process, url, log
    finally:
        stop_server(process)


@pytest.fixture(scope="module")
def offline_context(browser) -> Iterator[tuple[object, Router]]:
    # A tall viewport so that most of each page (charts further down included) renders and loads.
    context = browser.new_context(viewport={"width": 1366, "height": 2400})
    router = Router()
    context.route("**/*", router)
    yield context, router
    context.close()


def test_server_guard_refuses_and_counts(tmp_path):
    """The socket guard is real: outside destinations are refused and logged, loopback is untouched."""
    log = tmp_path / "guard.jsonl"
    env = {**os.environ, **guard_env(log)}
    done = subprocess.run([sys.executable, "-c", PROBE_SCRIPT], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    results = eval(done.stdout.strip())  # noqa: S307 - our own probe's dict literal
    assert results["tcp"] == results["udp"] == "OSError", results
    assert results["http"] == "URLError", results
    assert results["dns"] == "gaierror", results
    assert results["loopback"] == results["localhost"] == "went through", results
    kinds = sorted(r["kind"] for r in attempts(log))
    assert kinds == ["connect", "connect", "connect", "dns"], describe(attempts(log))
    assert [r["kind"] for r in guard_records(log)].count("loaded") == 1


def test_guard_is_loaded_in_the_server(guarded_server):
    process, _, log = guarded_server
    loaded = [r for r in guard_records(log) if r["kind"] == "loaded"]
    assert process.pid in {r["pid"] for r in loaded}, "the offline guard did not load in the server process"


def test_browser_router_blocks_and_counts(guarded_server, offline_context):
    """The browser guard is real: an image and a fetch to outside hosts are aborted and recorded."""
    _, url, _ = guarded_server
    context, router = offline_context
    tab = context.new_page()
    try:
        open_page(tab, url, PAGES[0][1])
        before = len(router.outside)
        outcome = tab.evaluate(
            """async () => {
                const img = document.createElement('img');
                img.src = 'http://203.0.113.7/probe.png';
                document.body.appendChild(img);
                try { await fetch('https://cdn.example.org/probe.js'); return 'fetched'; }
                catch (e) { return 'blocked'; }
            }"""
        )
        assert outcome == "blocked"
        deadline = time.monotonic() + 10
        while len(router.outside) < before + 2 and time.monotonic() < deadline:
            tab.wait_for_timeout(100)
        probes = router.outside[before:]
        assert "http://203.0.113.7/probe.png" in probes and "https://cdn.example.org/probe.js" in probes, probes
        assert router.inside > 0
    finally:
        tab.close()


@pytest.mark.parametrize(("slug", "title", "name"), PAGES, ids=[p[2] for p in PAGES])
def test_page_works_offline(guarded_server, offline_context, slug, title, name):
    _, url, log = guarded_server
    context, router = offline_context
    before = len(router.outside)
    tab = context.new_page()
    try:
        open_page(tab, f"{url}/{slug}", title)
        # Scroll every scrollable area to its end, so lazily loaded content asks for what it needs too.
        tab.evaluate(
            "document.querySelectorAll('*').forEach(e => { if (e.scrollHeight > e.clientHeight) "
            "e.scrollTop = e.scrollHeight; })"
        )
        wait_script_done(tab)
        tab.wait_for_load_state("networkidle")
        assert_page_healthy(tab)
        expect(tab.get_by_role("heading", name=title, level=1)).to_be_visible()
    finally:
        tab.close()
    problems = []
    if router.outside[before:]:
        problems.append(f"the browser tried to reach outside loopback on {name}: {router.outside[before:]}")
    if attempts(log):
        problems.append(f"the server tried to reach outside loopback:\n{describe(attempts(log))}")
    assert not problems, "\n".join(problems)


def test_make_run_start_up_stays_offline(tmp_path):
    """Start the server the way `make run` does (config file defaults, all interfaces) and watch start-up."""
    log = tmp_path / "guard.jsonl"
    out = tmp_path / "stdout.txt"
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **guard_env(log)}
    with out.open("w") as stdout:
        process = subprocess.Popen(
            [sys.executable, "-m", "ui.serve", "--server.port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=stdout,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_health(f"http://127.0.0.1:{port}", process)
        deadline = time.monotonic() + 30  # the start-up banner is printed once the URLs are known
        while "URL:" not in out.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "URL:" in out.read_text(), out.read_text()
    finally:
        stop_server(process)
    assert any(r["kind"] == "loaded" for r in guard_records(log))
    assert attempts(log) == [], describe(attempts(log))
