"""The real app for tests and benchmarks alike: a server process on a free port, and an AppTest factory.

Tests (`tests/`) and benchmarks (`benchmarks/`) both drive the app through this module, so neither imports
the other and both start the server the same way.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from streamlit.testing.v1 import AppTest

__all__ = [
    "APPTEST_TIMEOUT",
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "ROOT",
    "free_port",
    "open_app",
    "server_log_tail",
    "spawn_logged",
    "start_server",
    "stop_server",
    "wait_for_health",
]

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
APPTEST_TIMEOUT = float(os.environ.get("SHOWCASE_COLD_START_S", "900"))
"""Seconds an AppTest run may take: the first run of a page may train its default model, which on a fresh
clone of a busy 2-core machine has taken over 180 s. A run that finishes sooner returns at once."""


def open_app(page: str | None = None, *, query: dict[str, str] | None = None, session: dict | None = None) -> AppTest:
    """Run the entry script (as Streamlit's own multipage tests do), then switch to `page`."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APPTEST_TIMEOUT)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    for key, value in (session or {}).items():
        at.session_state[key] = value
    at.run()
    if page is not None:
        at.switch_page(page).run()
    return at


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_health(url: str, process: subprocess.Popen, timeout: float = APPTEST_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    raise TimeoutError(f"no health answer from {url} within {timeout} s")


def spawn_logged(command: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start `command` with its output in a log file, never a pipe.

    A pipe that nobody reads holds 64 KB; a server that has logged more than that over a long test session
    then blocks in its next write, mid-rerun, and every page it serves hangs (this is how the end-to-end tour
    stalled late in fresh-clone CI runs, with the machine idle). The file keeps the log for diagnosis:
    `process.log_path`, whose tail `server_log_tail` returns.
    """
    log = tempfile.NamedTemporaryFile(prefix="showcase-server-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    log.close()  # the child has its own descriptor
    process.log_path = Path(log.name)  # type: ignore[attr-defined]
    return process


def server_log_tail(process: subprocess.Popen, n_chars: int = 4000) -> str:
    """The last lines a server started by `spawn_logged` wrote: for a failing test's message."""
    path = getattr(process, "log_path", None)
    if path is None or not Path(path).exists():
        return ""
    return Path(path).read_text(errors="replace")[-n_chars:]


def start_server(port: int | None = None, extra_env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    port = port or free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **(extra_env or {})}
    process = spawn_logged(
        [
            sys.executable,
            "-m",
            "ui.serve",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(url, process)
    except (RuntimeError, TimeoutError) as err:
        tail = server_log_tail(process)
        stop_server(process)
        raise RuntimeError(f"{err}; the server's log ends:\n{tail}") from err
    return process, url


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)
    path = getattr(process, "log_path", None)
    if path is not None and not os.environ.get("SHOWCASE_KEEP_SERVER_LOG"):
        Path(path).unlink(missing_ok=True)
