"""Warm every demo before anyone asks.

When the server starts (`ui/serve.py`), one background worker thread at the lowest CPU priority
prepares each demo's default data and model in the tour's order, then the engineer's-view panels at
their default settings. It calls the very cached loaders the pages call (`ui/loaders/`): Streamlit's
caches belong to the process, work outside a script run, and a page asking for a value the worker is
computing waits on the same per-key lock instead of training it a second time.

The home page shows how many demos are ready; a demo opened while the worker is on it shows the
worker's progress (step, elapsed time, an estimate from the last run on this machine) and then the page.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

from models.common import atomic_write, cache_dir

__all__ = [
    "Step",
    "WarmUp",
    "current",
    "install",
    "readiness_line",
    "start",
    "took_seconds",
    "wait_while_warming",
]

log = logging.getLogger("showcase.warmup")
TIMINGS_FILE = "warmup_seconds.json"
STATUS_FILE = "warmup_status.json"
"""This server's progress (its pid, seconds from start until each demo and all panels were ready), for
`benchmarks/bench_app.py` and anyone curious."""
NICE_ENV = "SHOWCASE_WARMUP_NICE"
HOLD_ENV = "SHOWCASE_WARMUP_HOLD"
"""Tests only: while the file this names exists, the worker pauses before each step (to catch it mid-way)."""
MIN_TIMED_S = 1.0
"""Steps faster than this (answered from the disk cache) do not overwrite a measured duration."""


@dataclass(frozen=True)
class Step:
    """One piece of warm-up work: `id` names it in the timings file, `label` is what a visitor reads."""

    id: str
    label: str
    run: Callable[[], object]


@dataclass
class DemoWarmth:
    """Where the worker is with one demo (its default model first, its engineer's panels later)."""

    key: str
    title: str
    steps: tuple[Step, ...]
    panels: tuple[Step, ...] = ()
    status: str = "waiting"  # waiting -> warming -> ready | failed
    step: int = 0
    started: float = 0.0
    step_started: float = 0.0
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # the worker thread's own CPU time: what the warm-up costs, whatever else runs
    panels_ready: bool = False

    def current_step(self) -> Step:
        return self.steps[min(self.step, len(self.steps) - 1)]


@dataclass
class WarmUp:
    """The worker and what it has done; read by every session, written by the worker alone."""

    demos: dict[str, DemoWarmth]
    timings: dict[str, dict[str, float]] = field(default_factory=dict)
    began: float = field(default_factory=time.monotonic)
    finished: float | None = None
    all_ready_after: float | None = None
    thread: threading.Thread | None = None
    panels_cpu_seconds: float | None = None
    under_server: bool = True  # wait for Streamlit's runtime and import the loaders (tests pass their own steps)

    # ------------------------------------------------------------ what sessions read
    def ready(self) -> list[DemoWarmth]:
        return [d for d in self.demos.values() if d.status == "ready"]

    def all_ready(self) -> bool:
        """Nothing left to do: every demo ready, or failed (its page then computes and explains it itself)."""
        return all(d.status in ("ready", "failed") for d in self.demos.values())

    def warming(self) -> DemoWarmth | None:
        return next((d for d in self.demos.values() if d.status == "warming"), None)

    def expected(self, key: str, step_id: str) -> float | None:
        return self.timings.get(key, {}).get(step_id)

    def share(self, key: str) -> float:
        """How far the demo's model steps are, weighted by the last run's durations when known."""
        demo = self.demos[key]
        if demo.status != "warming" or not demo.steps:
            return 0.0 if demo.status in ("waiting", "warming") else 1.0
        weights = [self.expected(key, s.id) or 1.0 for s in demo.steps]
        step = min(demo.step, len(weights) - 1)
        known = self.expected(key, demo.steps[step].id)
        within = min((time.monotonic() - demo.step_started) / known, 0.95) if known else 0.0
        return min((sum(weights[:step]) + within * weights[step]) / sum(weights), 0.99)

    def remaining_seconds(self, key: str) -> float | None:
        """Seconds left by the last run's durations on this machine; None when this is the first run."""
        demo = self.demos[key]
        known = [self.expected(key, s.id) for s in demo.steps[demo.step :]]
        if demo.status != "warming" or any(k is None for k in known):
            return None
        return max(sum(known) - (time.monotonic() - demo.step_started), 1.0)  # type: ignore[arg-type]

    def progress_text(self, key: str) -> str:
        demo = self.demos[key]
        if demo.status != "warming":
            return f"{demo.title} is ready."
        step = demo.current_step()
        elapsed = time.monotonic() - demo.started
        left = self.remaining_seconds(key)
        estimate = f"; about {left:.0f} s left, judging by the last start" if left is not None else ""
        return (
            f"Getting this demo ready for everyone: {step.label} (step {demo.step + 1} of "
            f"{len(demo.steps)}, {elapsed:.0f} s so far{estimate}). It is trained once, then every "
            "visitor shares it."
        )

    # ------------------------------------------------------------ the worker
    def start(self) -> None:
        self.thread = threading.Thread(target=self._work, name="showcase-warm-up", daemon=True)
        self.thread.start()

    def declare_steps(self) -> None:
        """Import the loaders (and with them the models' libraries) and read each demo's steps."""
        from ui.loaders import warm_steps

        for demo in self.demos.values():
            steps, panels = warm_steps(demo.key)
            demo.steps, demo.panels = tuple(steps), tuple(panels)

    def _work(self) -> None:
        _lowest_priority()
        try:
            if self.under_server:
                _wait_for_runtime()  # Streamlit's cache decorators want the runtime's storage when first used
                self.declare_steps()
        except Exception:  # noqa: BLE001 - without a warm-up every page still computes what it needs
            log.exception("warm-up: could not read the demos' steps")
            for demo in self.demos.values():
                demo.status = "failed"
            return
        for demo in self.demos.values():
            self._warm(demo)
        self.all_ready_after = time.monotonic() - self.began
        log.info("warm-up: all %d demos ready %.1f s after start", len(self.demos), self.all_ready_after)
        self._save_timings()
        cpu = time.thread_time()
        for demo in self.demos.values():
            demo.panels_ready = self._run_steps(demo, demo.panels)
        self.panels_cpu_seconds = time.thread_time() - cpu
        self.finished = time.monotonic() - self.began
        release_freed_memory()
        log.info("warm-up: engineer's panels ready too, %.1f s after start", self.finished)
        self._save_timings()

    def _warm(self, demo: DemoWarmth) -> None:
        demo.started, cpu = time.monotonic(), time.thread_time()
        demo.status = "warming"
        ok = self._run_steps(demo, demo.steps, track=True)
        demo.seconds, demo.cpu_seconds = time.monotonic() - demo.started, time.thread_time() - cpu
        demo.status = "ready" if ok else "failed"
        release_freed_memory()
        log.info("warm-up: %s %s in %.1f s (%.1f s of CPU)", demo.title, demo.status, demo.seconds, demo.cpu_seconds)
        self._save_timings()

    def _run_steps(self, demo: DemoWarmth, steps: Sequence[Step], *, track: bool = False) -> bool:
        for index, step in enumerate(steps):
            if track:
                demo.step, demo.step_started = index, time.monotonic()
            _hold()
            began = time.monotonic()
            try:
                step.run()
            except Exception:  # noqa: BLE001 - a failed warm-up step leaves the page to compute (and explain) it
                log.exception("warm-up: %s, %s failed", demo.title, step.label)
                return False
            took = time.monotonic() - began
            if took >= MIN_TIMED_S or step.id not in self.timings.get(demo.key, {}):
                self.timings.setdefault(demo.key, {})[step.id] = round(took, 1)
        return True

    def status(self) -> dict:
        return {
            "pid": os.getpid(),
            "demos": {
                k: (round(d.started - self.began + d.seconds, 1) if d.status != "waiting" and d.seconds else None)
                for k, d in self.demos.items()
            },
            "cpu_s": {k: round(d.cpu_seconds, 1) for k, d in self.demos.items()},
            "panels_cpu_s": None if self.panels_cpu_seconds is None else round(self.panels_cpu_seconds, 1),
            "failed": [k for k, d in self.demos.items() if d.status == "failed"],
            "all_ready_s": None if self.all_ready_after is None else round(self.all_ready_after, 1),
            "panels_ready_s": None if self.finished is None else round(self.finished, 1),
        }

    def _save_timings(self) -> None:
        for name, data in ((TIMINGS_FILE, self.timings), (STATUS_FILE, self.status())):
            path = cache_dir() / name
            try:
                atomic_write(path, lambda tmp, data=data: tmp.write_text(json.dumps(data, indent=1, sort_keys=True)))
            except OSError as err:
                log.warning("could not write %s: %s", path, err)


def release_freed_memory() -> None:
    """Training leaves large freed blocks inside malloc's heap; hand them back to the system (glibc only),
    so the server's resident size after warm-up is what it keeps, not what training needed for a moment."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _timings_path() -> Path:
    return cache_dir() / TIMINGS_FILE


def _load_timings() -> dict[str, dict[str, float]]:
    try:
        data = json.loads(_timings_path().read_text())
    except (OSError, ValueError):
        return {}
    return {k: {s: float(v) for s, v in d.items()} for k, d in data.items() if isinstance(d, dict)}


def _lowest_priority() -> None:
    """Linux schedules threads on their own: nice 19 for this one, so visitors' script runs come first
    (SHOWCASE_WARMUP_NICE changes it, e.g. to measure the warm-up on a machine busy with other work)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), int(os.environ.get(NICE_ENV, "19")))
    except (AttributeError, OSError, ValueError) as err:  # not Linux, or not allowed: the warm-up still runs
        log.info("warm-up runs at normal priority: %s", err)


def _wait_for_runtime(timeout_s: float = 60.0) -> None:
    """Start once Streamlit's runtime exists, so `st.cache_data` files values under the runtime's own
    cache storage (before it, Streamlit falls back to a separate in-memory store and warns)."""
    from streamlit.runtime import Runtime

    deadline = time.monotonic() + timeout_s
    while not Runtime.exists() and time.monotonic() < deadline:
        time.sleep(0.1)


def _hold() -> None:
    hold = os.environ.get(HOLD_ENV)
    while hold and Path(hold).exists():
        time.sleep(0.2)


_LOCK = threading.Lock()
_CURRENT: WarmUp | None = None


def install(warm: WarmUp | None) -> WarmUp | None:
    """Make `warm` the process's warm-up (tests install fakes); returns the previous one."""
    global _CURRENT
    with _LOCK:
        previous, _CURRENT = _CURRENT, warm
    return previous


def current() -> WarmUp | None:
    """The process's warm-up, or None when the app was started without one (plain `streamlit run`, AppTest)."""
    return _CURRENT


def plan() -> WarmUp:
    """Every demo in the tour's order; each demo's steps are read from its loader module by `declare_steps`."""
    from ui.demos import DEMOS

    return WarmUp({d.key: DemoWarmth(d.key, d.title, ()) for d in DEMOS}, timings=_load_timings())


def start() -> WarmUp:
    """Start the process's warm-up once (idempotent): called by `ui.serve` before the server starts."""
    with _LOCK:
        global _CURRENT
        if _CURRENT is None:
            _CURRENT = plan()
            _CURRENT.start()
        return _CURRENT


def took_seconds(key: str, step_id: str) -> float | None:
    """How long a warm-up step took at the default settings on this machine (last measured), if known."""
    warm = current()
    timings = warm.timings if warm is not None else _load_timings()
    return timings.get(key, {}).get(step_id)


# ---------------------------------------------------------------- what the pages show
def readiness_text(warm: WarmUp | None) -> str | None:
    """'3 of 4 demos ready …' while the worker is busy; None once all are (or without a warm-up)."""
    if warm is None or warm.all_ready():
        return None
    ready, total = len(warm.ready()), len(warm.demos)
    busy = warm.warming()
    doing = f"; now preparing {busy.title} ({busy.current_step().label})" if busy else ""
    if busy is None and not ready and not any(d.status == "failed" for d in warm.demos.values()):
        doing = "; the warm-up is starting"
    failed = [d.title for d in warm.demos.values() if d.status == "failed"]
    if failed:
        doing += f" ({', '.join(failed)} could not be prepared ahead and will train on first visit)"
    return f"{ready} of {total} demos ready{doing}. Any demo opens now; one still warming shows its progress."


def readiness_line() -> None:
    """The home page's honest readiness line; it refreshes itself and disappears when every demo is ready."""
    if readiness_text(current()) is None:
        return

    @st.fragment(run_every=2)
    def line() -> None:
        text = readiness_text(current())
        if text is None:  # all ready: the line goes; the tick stops at the page's next full run (a full rerun
            return  # from here would look like a visitor's touch to the guided tour, which then pauses)
        st.caption(
            f":material/hourglass_top: {text}",
            help="Models are trained once when the server "
            "starts, in the order of the guided tour, and shared by every visitor.",
        )

    with st.container(key="home_readiness"):
        line()


def wait_while_warming(key: str) -> None:
    """If the worker is preparing this demo right now, show its progress until it is done.

    The page header is already drawn above, so the visitor reads what the demo is while it warms; the
    page then continues and finds everything in the caches. A demo the worker has not reached yet is
    prepared by the page itself (with its own spinners); the worker later finds it cached."""
    warm = current()
    if warm is None or key not in warm.demos or warm.demos[key].status != "warming":
        return
    with st.container(key=f"{key}_warming"):
        bar = st.progress(warm.share(key), text=warm.progress_text(key))
        while warm.demos[key].status == "warming":
            time.sleep(0.3)
            bar.progress(warm.share(key), text=warm.progress_text(key))
        bar.empty()
