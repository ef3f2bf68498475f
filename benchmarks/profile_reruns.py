"""Where a warm rerun's CPU goes, per page: `python -m benchmarks.profile_reruns [page ...] [--reruns N]`.

Each page is opened once with AppTest (training whatever it needs), then rerun N times as a widget change
would rerun it; we report the script thread's CPU seconds per rerun (`time.thread_time`, so other work
on a shared machine inflates it less than wall time; timed without the profiler) and then, over as many
profiled reruns, the functions with the most cumulative time under cProfile. Used to find and remove the
biggest per-rerun costs (issue 16).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.local_script_runner import LocalScriptRunner

from ui.demos import DEMOS, HOME_PATH

ROOT = Path(__file__).resolve().parent.parent
PAGES = {"home": HOME_PATH, **{d.key: d.path for d in DEMOS}}


def open_page(path: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=1800)
    at.run()
    if path != HOME_PATH:
        at.switch_page(path).run()
    return at


class _Profiled:
    """AppTest runs the script in its own thread, and cProfile sees one thread: profile inside that thread."""

    def __init__(self) -> None:
        self.profiler: cProfile.Profile | None = None
        self.seconds: list[float] = []
        self._original = LocalScriptRunner._run_script_thread

    def __enter__(self) -> _Profiled:
        outer = self

        def run(runner: LocalScriptRunner) -> None:
            started = time.thread_time()
            if outer.profiler is not None:
                outer.profiler.enable()
            try:
                return outer._original(runner)
            finally:
                if outer.profiler is not None:
                    outer.profiler.disable()
                outer.seconds.append(time.thread_time() - started)

        LocalScriptRunner._run_script_thread = run
        return self

    def __exit__(self, *exc) -> None:
        LocalScriptRunner._run_script_thread = self._original


def profile(key: str, reruns: int, top: int) -> tuple[list[float], str]:
    with _Profiled() as profiled:
        at = open_page(PAGES[key])
        if at.exception:
            raise RuntimeError(f"{key}: {[e.value for e in at.exception]}")
        at.run()  # one rerun to settle anything a first run leaves for later
        for _ in range(reruns):  # timed without the profiler, which slows Python code several times
            at.run()
        seconds, profiled.seconds = profiled.seconds[-reruns:], []
        profiled.profiler = cProfile.Profile()
        for _ in range(reruns):
            at.run()
        profiler = profiled.profiler
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(r"(pages|ui|models)/", top)
    return seconds, out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", default=list(PAGES), choices=list(PAGES))
    parser.add_argument("--reruns", type=int, default=5)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    rows = []
    for key in args.pages:
        seconds, text = profile(key, args.reruns, args.top)
        rows.append((key, statistics.median(seconds), max(seconds)))
        print(f"=== {key}: warm rerun CPU median {1000 * rows[-1][1]:.0f} ms, max {1000 * rows[-1][2]:.0f} ms")
        print(text)
    print("page | warm rerun CPU median ms | max ms")
    for key, median, worst in rows:
        print(f"{key} | {1000 * median:.0f} | {1000 * worst:.0f}")


if __name__ == "__main__":
    main()
