"""The recommender's warm-up child must not outlive the server that started it (issue 17, item 9)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_warm_up_child_exits_when_its_server_is_killed(tmp_path):
    # A stand-in server: starts the warm-up exactly as the page does (with an empty cache, so it has work),
    # reports the child's pid, then waits to be killed.
    server = textwrap.dedent(
        """
        import sys, threading, time
        from models.common import start_tied_process

        def script_run():  # Streamlit runs a page in a thread that ends after each run
            child = start_tied_process([sys.executable, "-m", "models.recs.engineer", "--warm"])
            print(child.pid, flush=True)

        run = threading.Thread(target=script_run)
        run.start()
        run.join()
        time.sleep(600)
        """
    )
    env = {**os.environ, "SHOWCASE_CACHE": str(tmp_path)}
    parent = subprocess.Popen([sys.executable, "-c", server], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    try:
        assert _alive(child)
        parent.send_signal(signal.SIGKILL)  # a killed server runs no clean-up of its own
        parent.wait(timeout=30)
        deadline = time.monotonic() + 120  # the child notices within its polling interval
        while _alive(child) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _alive(child), "the warm-up kept running after its server was killed"
    finally:
        if _alive(child):
            os.kill(child, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[-1][0] != "Z"  # a zombie has exited
    except FileNotFoundError:
        return False
