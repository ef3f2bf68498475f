"""Where a warm rerun's CPU goes, per page: `python -m benchmarks.bench_reruns [page ...] [--reruns N] [--root DIR]`.

Each page is opened once with AppTest (training whatever it needs), then rerun N times as a widget change
would rerun it; we report the script thread's CPU seconds per rerun (`time.thread_time`, so other work
on a shared machine inflates it less than wall time; timed without the profiler) and then, over as many
profiled reruns, the functions with the most cumulative time under cProfile. Used to find and remove the
biggest per-rerun costs (issue 16).

`python -m benchmarks reruns` measures this checkout and, for comparison, `BEFORE` (main before this
round's rerun work) in a temporary git worktree, each page in its own process, and records both.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.local_script_runner import LocalScriptRunner

ROOT = Path(__file__).resolve().parent.parent
PAGE_KEYS = ("home", "recs", "people", "risk", "fraud")
BEFORE = "395e5c6"  # main at stop 10: before the rerun work of issue 16 (stops 11-24)
RERUNS = 12


def _pages(root: Path) -> dict[str, str]:
    """Page paths by key, read from the checkout under test (its own `ui.demos`)."""
    sys.path.insert(0, str(root))
    from ui.demos import DEMOS, HOME_PATH

    return {"home": HOME_PATH, **{d.key: d.path for d in DEMOS}}


def open_page(path: str, root: Path = ROOT) -> AppTest:
    at = AppTest.from_file(str(root / "app.py"), default_timeout=1800)
    at.run()
    if path != _pages(root)["home"]:
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


def profile(key: str, reruns: int, top: int, root: Path = ROOT) -> tuple[list[float], str]:
    os.chdir(root)
    with _Profiled() as profiled:
        at = open_page(_pages(root)[key], root)
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


def _measure_in_process(root: Path, key: str, reruns: int) -> list[float]:
    """One page's warm-rerun CPU seconds, measured in a fresh process on the checkout at `root`."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_reruns", key, "--reruns", str(reruns), "--root", str(root), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])[key]


def run() -> str:
    from benchmarks import results
    from benchmarks.common import markdown_table

    with tempfile.TemporaryDirectory() as tmp:
        before_root = Path(tmp) / "before"
        subprocess.run(["git", "worktree", "add", "--detach", str(before_root), BEFORE], cwd=ROOT, check=True)
        try:
            rows = []
            for key in PAGE_KEYS:
                before = _measure_in_process(before_root, key, RERUNS)
                after = _measure_in_process(ROOT, key, RERUNS)
                rows.append((key, before, after))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(before_root)], cwd=ROOT, check=False)
    protocol = (
        f"AppTest: the page opened (defaults trained), one settling rerun, then {RERUNS} full reruns; CPU seconds "
        "of the script thread (time.thread_time) per rerun, median"
    )
    figures = []
    table = []
    for key, before, after in rows:
        b, a = statistics.median(before), statistics.median(after)
        for when, values in (("before", before), ("after", after)):
            figures.append(
                results.measured(
                    f"{key}.rerun_cpu_ms_{when}",
                    round(1000 * statistics.median(values), 1),
                    "ms",
                    protocol + (f", on commit {BEFORE} (before issue 16's work)" if when == "before" else ""),
                    demo="app",
                    label=f"{key}: warm rerun CPU, {when}",
                    spread=results.Spread.of([1000 * v for v in values], "reruns"),
                    better="lower",
                )
            )
        table.append(
            {
                "page": key,
                f"before ({BEFORE}) ms": f"{1000 * b:.0f} (max {1000 * max(before):.0f})",
                "now ms": f"{1000 * a:.0f} (max {1000 * max(after):.0f})",
                "change": f"{100 * (a - b) / b:+.0f} %",
            }
        )
    results.record("reruns", figures)
    return "\n".join(
        [
            "## Warm reruns: server CPU per rerun, before and after",
            "",
            f"`python -m benchmarks reruns`. {protocol}. 'Before' is commit {BEFORE} (main before issue 16's "
            "rerun work), checked out in a temporary git worktree; each page of each checkout runs in its own "
            "process. `python -m benchmarks.bench_reruns PAGE` prints where the time goes (cProfile).",
            "",
            markdown_table(table),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", default=list(PAGE_KEYS), choices=list(PAGE_KEYS))
    parser.add_argument("--reruns", type=int, default=5)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to measure (default: this one)")
    parser.add_argument("--json", action="store_true", help="print only the CPU seconds per rerun, as JSON")
    args = parser.parse_args()
    if args.json:
        measured = {}
        for key in args.pages:
            with _Profiled() as profiled:
                os.chdir(args.root)
                at = open_page(_pages(args.root.resolve())[key], args.root.resolve())
                if at.exception:
                    raise RuntimeError(f"{key}: {[e.value for e in at.exception]}")
                at.run()
                for _ in range(args.reruns):
                    at.run()
                measured[key] = profiled.seconds[-args.reruns :]
        print(json.dumps(measured))
        return
    rows = []
    for key in args.pages:
        seconds, text = profile(key, args.reruns, args.top, args.root.resolve())
        rows.append((key, statistics.median(seconds), max(seconds)))
        print(f"=== {key}: warm rerun CPU median {1000 * rows[-1][1]:.0f} ms, max {1000 * rows[-1][2]:.0f} ms")
        print(text)
    print("page | warm rerun CPU median ms | max ms")
    for key, median, worst in rows:
        print(f"{key} | {1000 * median:.0f} | {1000 * worst:.0f}")


if __name__ == "__main__":
    main()
