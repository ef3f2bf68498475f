"""Load: N concurrent visitors, each a real browser session walking through every page.

Run with `python -m benchmarks load`. One real server (`python -m ui.serve` on loopback) and one headless
Chromium; each visitor is its own browser context (its own Streamlit session). A visitor opens the
home page, then moves through every demo with the sidebar navigation (as a person would, so it stays
one server session), doing that page's typical interaction from INTERACTIONS. We record errors
(timeouts, exception boxes, crashes), page-ready latency (click or navigation until the title is
visible and the page's script has finished) and the server's resident memory with all N
visitors connected. A warm-up visitor goes through every page first, so model training is not
counted as load. Targets from issue 7: 25 sessions with zero errors, p95 page-ready under 3 s,
under 30 MB per added session.

Two kinds of round. *Back-to-back* rounds (a stress test): each visitor clicks the moment the previous
page is ready. *Paced* rounds: visitors arrive spread over ARRIVAL_S and read each page for THINK_S
before their next click, as people at a stand do. Either kind runs with every visitor a real browser,
or with one real browser (the probe, whose page-ready includes rendering) among wire visitors
(`benchmarks.wire`: the same messages over the same WebSocket, no rendering). At a stand each
visitor's browser runs on their own phone; here Chromium would share the server's two cores, so the
wire rounds are the server's capacity and the browser rounds show what rendering on the same cores
costs.

Page-open and interaction latencies are recorded apart. A wire visitor's interactions: rate a film, pick
another person, move the glucose slider, move the fraud threshold and then press Play for PLAY_S seconds
at the stream's default speed (each automatic rerun of the stream, which the browser would send, is an
interaction too), and every TOUR_EVERY-th wire visitor takes the guided tour instead (its clock ticks and
page turns are interactions). Wire visitors fetch the page shell and static files on arrival and the
images a run references, as a browser does.

Environment knobs: BENCH_LOAD_NS (back-to-back browser rounds, default "1,5,10,25"; the largest also
runs with wire visitors), BENCH_LOAD_PACED_NS (paced wire rounds, default "5,10,25,40"; 25, or else the
largest, also runs with browsers only), BENCH_LOAD_REPEATS (runs of that headline paced wire round,
default 3), BENCH_LOAD_ROUND_S (time limit per back-to-back round, default 120; paced rounds get the
time their pacing needs on top).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from benchmarks.common import markdown_table, memory_mb, met
from benchmarks.wire import RunResult, WireVisitor
from harness.browser import SCRIPT_DONE
from ui.demos import DEMOS

HOME_TITLE = "What does a Machine Learning Engineer build?"
# Streamlit's own end-to-end tests wait on this attribute; the status widget shows only after a delay.
EXCEPTION = '[data-testid="stException"]'
PAGE_TIMEOUT_MS = 60_000
WARMUP_TIMEOUT_MS = 600_000

TARGET_P95_S = 2.0  # page open (issue 16; issue 7 had 3 s)
TARGET_INTERACTION_P95_S = 1.0
SHELL = "load page shell and static files"  # reported, but not an interaction on a page
TARGET_MB_PER_SESSION = 30.0
THINK_S = (5.0, 15.0)  # seconds a paced visitor reads a page before the next click (uniform)
ARRIVAL_S = 10.0  # paced visitors arrive uniformly over this many seconds


async def wait_idle(page, timeout_ms: int = PAGE_TIMEOUT_MS) -> None:
    await page.locator(SCRIPT_DONE).wait_for(state="attached", timeout=timeout_ms)


async def open_only(page) -> None:
    """The default interaction: look at the page (it is already open and idle)."""


# Each demo's typical interaction, named once for both kinds of visitor: rate Star Wars five stars on
# the recommender (and expect the instant picks), move one slider a step on the other demos.
RATED_FILM_KEY = "recs_star_260"
PICKS_TEXT = "Your top 10, from 1 rating"
SLIDER_KEYS = {"people": "people_top", "risk": "risk_glu", "fraud": "fraud_threshold"}
PERSON_KEY = "people_person"
PLAY_KEY = "fraud_playing"
PLAY_S = 10.0  # seconds a visitor lets the fraud stream play, at its default speed
TOUR_QUERY = "tour=1&tour_pace=Fast"
TOUR_EVERY = 5  # every fifth wire visitor takes the guided tour instead of walking the pages


async def nudge_slider(page, key: str) -> None:
    """Move a widget-keyed slider one step by keyboard, as a visitor would, and wait for the rerun."""
    slider = page.locator(f'.st-key-{key} input[type="range"]').first
    await slider.wait_for(state="attached", timeout=PAGE_TIMEOUT_MS)
    await slider.focus()
    await slider.press("ArrowRight")
    await page.wait_for_timeout(300)  # let the rerun start before waiting for idle


async def recs_rate(page) -> None:
    """Give Star Wars five stars and wait for the instant picks."""
    from playwright.async_api import expect

    star = page.locator(f".st-key-{RATED_FILM_KEY} [aria-label='5 out of 5 stars']")
    await star.wait_for(timeout=PAGE_TIMEOUT_MS)
    await star.click()
    await expect(page.get_by_text(PICKS_TEXT)).to_be_visible(timeout=PAGE_TIMEOUT_MS)


async def wire_rate(visitor: WireVisitor) -> list[tuple[str, RunResult]]:
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    five_stars = WidgetState(string_value="4")  # st.feedback's wire value is the star's index
    result = await visitor.set_widget(RATED_FILM_KEY, five_stars)
    if not result.errors and not any(PICKS_TEXT in t for t in visitor.texts):
        result.errors.append("no picks after rating a film")
    return [("rate a film", result)]


async def wire_nothing(visitor: WireVisitor) -> list[tuple[str, RunResult]]:
    return []


async def wire_pick_person(visitor: WireVisitor) -> list[tuple[str, RunResult]]:
    """Pick another person in the selectbox (its wire value is the option's label)."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    widget = visitor.widgets.get(PERSON_KEY)
    if widget is None:
        return [("pick a person", RunResult(0.0, [f"no widget with key {PERSON_KEY!r} on the page"]))]
    options = list(widget.proto.options)
    current = widget.proto.raw_value if widget.proto.HasField("raw_value") else ""
    choice = next((o for o in options[len(options) // 3 :] if o != current), options[0])
    return [("pick a person", await visitor.set_widget(PERSON_KEY, WidgetState(string_value=choice)))]


async def wire_threshold_and_play(visitor: WireVisitor) -> list[tuple[str, RunResult]]:
    """Move the threshold a step, then play the stream for PLAY_S seconds and stop it."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    done = [("move a slider", await visitor.nudge_slider(SLIDER_KEYS["fraud"]))]
    done.append(("press Play", await visitor.set_widget(PLAY_KEY, WidgetState(bool_value=True))))
    if not visitor.auto_reruns:
        done[-1][1].errors.append("the stream did not start ticking after Play")
    done += [("stream tick", tick) for tick in await visitor.dwell(PLAY_S)]
    done.append(("press Pause", await visitor.set_widget(PLAY_KEY, WidgetState(bool_value=False))))
    return done


def _on_slider(nudge: Callable[[object, str], Awaitable], key: str) -> Callable[[object], Awaitable]:
    async def interaction(visitor):
        result = await nudge(visitor, key)
        return [("move a slider", result)] if isinstance(result, RunResult) else result

    interaction.__name__ = f"nudge {key}"
    return interaction


# The typical interaction per page (key "home" or a demo key): in a browser, run once the page is ready
# and followed by waiting until the script is idle again; over the wire, the same widget changes.
INTERACTIONS: dict[str, Callable[[object], Awaitable[None]]] = {
    "home": open_only,
    "recs": recs_rate,
    **{demo: _on_slider(nudge_slider, key) for demo, key in SLIDER_KEYS.items()},
}
WIRE_INTERACTIONS: dict[str, Callable[[WireVisitor], Awaitable[list[tuple[str, RunResult]]]]] = {
    "home": wire_nothing,
    "recs": wire_rate,
    "people": wire_pick_person,
    "risk": _on_slider(WireVisitor.nudge_slider, SLIDER_KEYS["risk"]),
    "fraud": wire_threshold_and_play,
}


@dataclass(frozen=True)
class Pace:
    """When a paced visitor arrives and how long it reads each page (seconds)."""

    arrive: float = 0.0
    think: tuple[float, ...] = ()

    @classmethod
    def drawn(cls, rng: random.Random, pages: int) -> Pace:
        return cls(rng.uniform(0, ARRIVAL_S), tuple(rng.uniform(*THINK_S) for _ in range(pages)))

    def after(self, step: int) -> float:
        return self.think[step] if step < len(self.think) else 0.0


def walk() -> list[tuple[str, str, str]]:
    """(key, URL path, page title) of home and then every demo."""
    return [("home", "", HOME_TITLE)] + [(d.key, d.slug, d.title) for d in DEMOS]


@dataclass
class Visit:
    latencies: list[float] = field(default_factory=list)
    by_page: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    steps_done: int = 0
    pace: Pace = field(default_factory=Pace)
    wire: bool = False
    tour: bool = False
    interactions: dict[str, list[float]] = field(default_factory=dict)  # what was done -> latencies

    def record(self, key: str, seconds: float) -> None:
        self.latencies.append(seconds)
        self.by_page.setdefault(key, []).append(seconds)

    def record_done(self, page: str, done: list[tuple[str, RunResult]]) -> None:
        for what, result in done:
            self.errors += [f"{page}, {what}: {e}" for e in result.errors]
            if not result.errors:
                self.interactions.setdefault(what, []).append(result.seconds)


async def _ready(page, title: str, start: float, timeout_ms: int) -> float:
    from playwright.async_api import expect

    await expect(page.get_by_role("heading", name=title, level=1)).to_be_visible(timeout=timeout_ms)
    await wait_idle(page, timeout_ms)
    return time.perf_counter() - start


async def visitor(browser, url: str, visit: Visit, ready: asyncio.Event, timeout_ms: int = PAGE_TIMEOUT_MS) -> None:
    """One visitor: home, then every demo by the sidebar, each with its interaction. Stays connected until `ready`."""
    await asyncio.sleep(visit.pace.arrive)
    context = await browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        page = await context.new_page()
        for index, (key, slug, title) in enumerate(walk()):
            try:
                start = time.perf_counter()
                if index == 0:
                    await page.goto(url, wait_until="commit")
                else:
                    await page.locator(f'[data-testid="stSidebarNavLink"][href$="/{slug}"]').first.click()
                visit.record(key, await _ready(page, title, start, timeout_ms))
                await asyncio.sleep(visit.pace.after(index) / 2)  # reads, tries the page, reads on
                interaction = INTERACTIONS.get(key, open_only)
                began = time.perf_counter()
                await interaction(page)
                await wait_idle(page, timeout_ms)
                if interaction is not open_only:  # in the browser: from the input to the rerun drawn and idle
                    visit.interactions.setdefault(f"browser: {interaction.__name__}", []).append(
                        time.perf_counter() - began
                    )
                if await page.locator(EXCEPTION).count():
                    visit.errors.append(f"{key}: exception box")
                await asyncio.sleep(visit.pace.after(index) / 2)
            except Exception as err:  # noqa: BLE001 - every failure is a counted error, and the walk goes on
                visit.errors.append(f"{key}: {type(err).__name__}: {str(err).splitlines()[0][:120]}")
                if index == 0:
                    return
            finally:
                visit.steps_done += 1
        await ready.wait()  # hold the session open until memory has been read
    finally:
        await context.close()


async def wire_visitor(url: str, visit: Visit, ready: asyncio.Event, timeout_ms: int = PAGE_TIMEOUT_MS) -> None:
    """The same walk and interactions as `visitor`, over the WebSocket without a browser (or the guided tour)."""
    await asyncio.sleep(visit.pace.arrive)
    try:
        async with WireVisitor(url, timeout_s=timeout_ms / 1000) as session:
            shell = await session.fetch_shell()
            visit.errors += shell.errors
            visit.interactions.setdefault("load page shell and static files", []).append(shell.seconds)
            if visit.tour:
                await _wire_tour(session, visit)
            else:
                await _wire_walk(session, visit)
            await ready.wait()
    except OSError as err:
        visit.errors.append(f"connect: {type(err).__name__}: {err}")


async def _wire_walk(session: WireVisitor, visit: Visit) -> None:
    for index, (key, slug, _title) in enumerate(walk()):
        try:
            opened = await session.open(slug)
            visit.errors += [f"{key}: {e}" for e in opened.errors]
            if opened.errors:
                continue
            visit.record(key, opened.seconds)
            visit.record_done(key, [("page tick", r) for r in await session.dwell(visit.pace.after(index) / 2)])
            visit.record_done(key, await WIRE_INTERACTIONS[key](session))
            visit.record_done(key, [("page tick", r) for r in await session.dwell(visit.pace.after(index) / 2)])
        finally:
            visit.steps_done += 1


async def _wire_tour(session: WireVisitor, visit: Visit) -> None:
    """Start the tour from its link and watch it to the end: every clock tick and page turn is a rerun."""
    from ui.tour import TOUR

    try:
        opened = await session.open("", TOUR_QUERY)
        visit.errors += [f"tour: {e}" for e in opened.errors]
        visit.record("home", opened.seconds)
        if not session.auto_reruns:
            visit.errors.append("tour: its clock did not start")
        seconds = sum(step.seconds for step in TOUR) * 0.5 + 5  # Fast pace halves each step
        visit.record_done("tour", [("tour tick", r) for r in await session.dwell(seconds)])
    finally:
        visit.steps_done = len(walk())


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (from /proc/<pid>/stat)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def descendants(pid: int) -> list[int]:
    """Every live process below `pid` (Chromium and its renderers, under Playwright's driver)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def browser_cpu(exclude: int) -> dict[int, float]:
    out = {}
    for pid in descendants(os.getpid()):
        if pid == exclude:
            continue
        with contextlib.suppress(OSError):
            out[pid] = cpu_seconds(pid)
    return out


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


@dataclass(frozen=True)
class Round:
    """One round's design: how many visitors, paced or back-to-back, and whether all but one go over the wire."""

    n: int
    paced: bool = False
    wire: bool = False
    run: int = 0  # repeats of one design differ only in their seed

    @property
    def design(self) -> str:
        visitors = f"1 browser + {self.n - 1} wire" if self.wire else f"{self.n} browser{'s' * (self.n > 1)}"
        return f"{'paced' if self.paced else 'back-to-back'}, {visitors}"

    @property
    def label(self) -> str:
        return self.design + (f" (run {self.run + 1})" if self.run else "")


async def round_of(browser, url: str, pid: int, design: Round, limit_s: float, seed: int = 0) -> dict:
    rng = random.Random(seed)
    pages = len(walk())
    visits = [
        Visit(
            pace=Pace.drawn(rng, pages) if design.paced else Pace(),
            wire=design.wire and i > 0,
            tour=design.wire and design.paced and i > 0 and i % TOUR_EVERY == 0,
        )
        for i in range(design.n)
    ]
    if design.paced:
        limit_s += ARRIVAL_S + pages * THINK_S[1] + PLAY_S
    all_walked = asyncio.Event()
    release = asyncio.Event()
    started = time.perf_counter()
    own_cpu_start = time.process_time()
    server_cpu_start, browser_cpu_start = cpu_seconds(pid), browser_cpu(exclude=pid)
    tasks = [
        asyncio.create_task(wire_visitor(url, v, release) if v.wire else visitor(browser, url, v, release))
        for v in visits
    ]

    async def watch() -> None:
        while not all(v.steps_done >= pages or t.done() for v, t in zip(visits, tasks, strict=True)):
            await asyncio.sleep(0.2)
        all_walked.set()

    watcher = asyncio.create_task(watch())
    try:
        await asyncio.wait_for(all_walked.wait(), timeout=limit_s)
        timed_out = 0
    except TimeoutError:
        timed_out = sum(1 for v, t in zip(visits, tasks, strict=True) if not t.done() and v.steps_done < pages)
    wall = time.perf_counter() - started
    mem = memory_mb(pid)  # with every visitor still connected
    server_cpu = cpu_seconds(pid) - server_cpu_start
    browser_now = browser_cpu(exclude=pid)
    client_cpu = sum(cpu - browser_cpu_start.get(p, 0.0) for p, cpu in browser_now.items())
    own_cpu = time.process_time() - own_cpu_start
    release.set()
    watcher.cancel()
    for task in tasks:
        if not task.done() and timed_out:
            task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    by_page: dict[str, list[float]] = {}
    for v in visits:
        for key, values in v.by_page.items():
            by_page.setdefault(key, []).extend(values)
    errors = [e for v in visits for e in v.errors] + [f"visitor not done within {limit_s:.0f} s"] * timed_out
    interactions: dict[str, list[float]] = {}
    for v in visits:
        for what, values in v.interactions.items():
            interactions.setdefault(what, []).extend(values)
    return {
        "interactions": interactions,
        "design": design,
        "n": design.n,
        "wall": wall,
        "errors": errors,
        "latencies": [x for v in visits for x in v.latencies],
        "browser_latencies": [x for v in visits if not v.wire for x in v.latencies],
        "rss": mem["VmRSS"],
        "peak": mem["VmHWM"],
        "by_page": by_page,
        "server_cpu": server_cpu,
        "browser_cpu": client_cpu,
        "own_cpu": own_cpu,
    }


async def measure(designs: list[Round], limit_s: float) -> tuple[dict, list[dict], float]:
    from playwright.async_api import async_playwright

    from harness.server import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server

    process, url = start_server()
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                warm = Visit()
                done = asyncio.Event()
                done.set()
                await visitor(browser, url, warm, done, timeout_ms=WARMUP_TIMEOUT_MS)
                rss_warm = memory_mb(process.pid)["VmRSS"]
                rounds = []
                for seed, design in enumerate(designs):
                    rounds.append(await round_of(browser, url, process.pid, design, limit_s, seed=seed))
                    await asyncio.sleep(2)  # let the last round's sessions close
            finally:
                await browser.close()
    finally:
        stop_server(process)
    return {"latencies": warm.latencies, "errors": warm.errors, "by_page": warm.by_page}, rounds, rss_warm


def _ns(name: str, default: str) -> list[int]:
    return [int(x) for x in os.environ.get(name, default).split(",") if x.strip()]


def _slope(rounds: list[dict]) -> float:
    """Least-squares slope of server RSS against sessions (MB per added session)."""
    if len({r["n"] for r in rounds}) < 2:
        return float("nan")
    return statistics.linear_regression([r["n"] for r in rounds], [r["rss"] for r in rounds]).slope


def _verdict(runs: list[dict]) -> list[dict]:
    """Target rows for one design: errors summed over its runs, page-ready p95 as the median over runs."""
    design = runs[0]["design"]
    where = design.design + (f" ({len(runs)} runs)" if len(runs) > 1 else "")
    errors = sum(len(r["errors"]) for r in runs)
    p95s = [_pct(r["latencies"], 0.95) for r in runs]
    p95 = statistics.median(p95s)
    spread = f" ({', '.join(f'{x:.2f}' for x in p95s)})" if len(runs) > 1 else ""
    rows = [
        {"round": where, "figure": "errors", "ours": str(errors), "target": "0", "met": met(not errors)},
        {
            "round": where,
            "figure": "p95 page-ready, every visitor",
            "ours": f"{p95:.2f} s{spread}",
            "target": f"< {TARGET_P95_S:.0f} s",
            "met": met(p95 < TARGET_P95_S),
        },
    ]
    reruns = [[x for what, xs in r["interactions"].items() if what != SHELL for x in xs] for r in runs]
    if any(reruns):
        p95s = [_pct(xs, 0.95) for xs in reruns]
        spread = f" ({', '.join(f'{x:.2f}' for x in p95s)})" if len(runs) > 1 else ""
        rows.append(
            {
                "round": where,
                "figure": "p95 interaction (a rerun a visitor or a clock caused)",
                "ours": f"{statistics.median(p95s):.2f} s{spread}",
                "target": f"< {TARGET_INTERACTION_P95_S:.0f} s",
                "met": met(statistics.median(p95s) < TARGET_INTERACTION_P95_S),
            }
        )
    if design.wire:
        slowest = statistics.median(max(r["browser_latencies"], default=float("nan")) for r in runs)
        rows.append(
            {
                "round": where,
                "figure": "slowest page-ready of the real browser among them",
                "ours": f"{slowest:.2f} s",
                "target": f"< {TARGET_P95_S:.0f} s",
                "met": met(slowest < TARGET_P95_S),
            }
        )
    return rows


def _fmt_latency(values: list[float]) -> tuple[str, str]:
    if not values:
        return "-", "-"
    return f"{statistics.median(values):.2f}", f"{_pct(values, 0.95):.2f}"


def run() -> str:
    limit_s = float(os.environ.get("BENCH_LOAD_ROUND_S", "120"))
    repeats = int(os.environ.get("BENCH_LOAD_REPEATS", "3"))
    stress_ns = _ns("BENCH_LOAD_NS", "1,5,10,25")
    paced_ns = _ns("BENCH_LOAD_PACED_NS", "5,10,25,40")
    headline = 25 if 25 in paced_ns else max(paced_ns)
    designs = [Round(n) for n in stress_ns] + [Round(max(stress_ns), wire=True), Round(headline, paced=True)]
    for n in paced_ns:
        designs += [Round(n, paced=True, wire=True, run=k) for k in range(repeats if n == headline else 1)]
    load_before = os.getloadavg()[0]
    warm, rounds, rss_warm = asyncio.run(measure(designs, limit_s))
    load_after = os.getloadavg()[0]

    rows = []
    for r in rounds:
        median, p95 = _fmt_latency(r["latencies"])
        rows.append(
            {
                "round": r["design"].label,
                "page visits": len(r["latencies"]),
                "errors": len(r["errors"]),
                "page-ready median s": median,
                "page-ready p95 s": p95,
                "real browser's page-ready median / max s": (
                    f"{statistics.median(r['browser_latencies']):.2f} / {max(r['browser_latencies']):.2f}"
                    if r["design"].wire and r["browser_latencies"]
                    else "-"
                ),
                "round wall s": f"{r['wall']:.1f}",
                "server CPU s": f"{r['server_cpu']:.1f}",
                "browser CPU s": f"{r['browser_cpu']:.1f}",
                "wire clients CPU s": f"{r['own_cpu']:.1f}" if r["design"].wire else "-",
                "server RSS MB": f"{r['rss']:.0f}",
                "RSS over warm server MB": f"{r['rss'] - rss_warm:.0f}",
            }
        )
    stress_rounds = [r for r in rounds if not r["design"].paced and not r["design"].wire]
    wire_rounds = [r for r in rounds if r["design"].paced and r["design"].wire and not r["design"].run]
    by_design: dict[str, list[dict]] = {}
    for r in rounds:
        by_design.setdefault(r["design"].design, []).append(r)
    headlines = [
        Round(headline, paced=True, wire=True),
        Round(headline, paced=True),
        Round(max(stress_ns), wire=True),
        Round(max(stress_ns)),
    ]
    summary = [row for d in headlines if d.design in by_design for row in _verdict(by_design[d.design])]
    for name, group in (("back-to-back browsers", stress_rounds), ("paced wire rounds", wire_rounds)):
        if len(group) > 1:
            slope = _slope(group)
            summary.append(
                {
                    "round": name,
                    "figure": f"memory per added session (slope of RSS over N = {group[0]['n']}..{group[-1]['n']})",
                    "ours": f"{slope:.1f} MB",
                    "target": f"< {TARGET_MB_PER_SESSION:.0f} MB",
                    "met": met(slope < TARGET_MB_PER_SESSION),
                }
            )
    error_lines = sorted({e for r in rounds for e in r["errors"]} | set(warm["errors"]))
    busy = 0.5 * (os.cpu_count() or 1)
    parts = [
        "## Load: concurrent visitors",
        "",
        "One real server and one headless Chromium on this machine. Each visitor is its own session: it opens "
        f"the home page and then every demo ({len(DEMOS)}) by the sidebar, with that page's typical interaction. "
        "Page-ready = from click (or navigation) until the title is visible and the page's script has finished "
        "(`data-test-script-state`), measured in the browser, so it includes the browser's own rendering on the "
        "same cores. **Back-to-back** rounds are a stress test: every visitor is a real browser that clicks the "
        f"moment a page is ready. **Paced** rounds: visitors arrive over {ARRIVAL_S:.0f} s and read each page "
        f"{THINK_S[0]:.0f}-{THINK_S[1]:.0f} s (uniform, seeded; half before their interaction, half after), as "
        "people at a stand do. A paced round runs once with every visitor a real browser, and once with one "
        "real browser among *wire* visitors (`benchmarks/wire.py`): sessions that send the frontend's own "
        "messages over the same WebSocket (page switches, the same widget changes, fragment reruns) and wait "
        "for the script to finish, without rendering. A wire visitor's page-ready is its message to "
        "`script_finished`. At a real stand each visitor's browser runs on their own phone, so the wire rounds "
        "measure the server's capacity; the browser rounds show what rendering on the server's own two cores "
        "costs (compare server and browser CPU seconds). Memory is the server's VmRSS with all N visitors still "
        "connected; Streamlit keeps a closed session for `server.disconnectedSessionTTL` (120 s, so a phone that "
        "drops off the Wi-Fi gets its session back), so a round's RSS also holds the round or two before it. "
        "Rounds run one after another on one server after a warm-up visitor trained every model "
        f"(server RSS after warm-up: {rss_warm:.0f} MB). Back-to-back round limit {limit_s:.0f} s (paced rounds "
        "get their pacing's time on top). Machine load average "
        f"(1 min) {load_before:.1f} before and {load_after:.1f} after"
        + (" (busy with other work: latencies are pessimistic)." if max(load_before, load_after) > busy else "."),
        "",
        markdown_table(summary),
        "",
        markdown_table(rows),
    ]
    names = {"home": "Home", **{d.key: d.title for d in DEMOS}}
    shown = [by_design[d.design][0] for d in headlines if d.design in by_design]
    per_page = []
    for key, name in names.items():
        row = {"page": name, "warm-up visitor s": ", ".join(f"{x:.2f}" for x in warm["by_page"].get(key, [])) or "-"}
        for r in shown:
            values = r["by_page"].get(key, [])
            median, p95 = _fmt_latency(values)
            row[f"{r['design'].label}: median / p95 s"] = f"{median} / {p95}" if values else "-"
        per_page.append(row)
    interaction_rows = []
    for r in shown:
        for what, values in sorted(r["interactions"].items()):
            interaction_rows.append(
                {
                    "round": r["design"].label,
                    "interaction": what,
                    "count": len(values),
                    "median s": f"{statistics.median(values):.2f}",
                    "p95 s": f"{_pct(values, 0.95):.2f}",
                    "max s": f"{max(values):.2f}",
                }
            )
    if interaction_rows:
        parts += [
            "",
            "Interactions, apart from page opens (wire visitors: message to `script_finished`, "
            "including the images a run references; automatic reruns of the fraud stream and the tour "
            "clock count too):",
            "",
            markdown_table(interaction_rows),
        ]
    parts += [
        "",
        "Page-ready per page in the headline rounds (the warm-up visitor's first visits include training):",
        "",
        markdown_table(per_page),
    ]
    if any(_slope(g) < 0 for g in (stress_rounds, wire_rounds) if len(g) > 1):
        parts += [
            "",
            "A negative memory slope means RSS did not grow with sessions beyond the noise of transient "
            "allocations (models scoring, frames built per rerun); it is not a measured saving.",
        ]
    interactions = ", ".join(f"{k}: {fn.__name__}" for k, fn in INTERACTIONS.items())
    parts += ["", f"Interactions per page: {interactions}."]
    if error_lines:
        parts += ["", "Errors seen:", ""] + [f"- {e}" for e in error_lines[:20]]
    _record(by_design, headline, max(paced_ns), stress_rounds, wire_rounds)
    return "\n".join(parts)


def _record(by_design: dict[str, list[dict]], headline: int, most: int, stress: list[dict], wire: list[dict]) -> None:
    """The headline figures README shows, into results/load.json (p95 spread over the headline's runs)."""
    from benchmarks import results

    figures = []
    headlines = (
        (Round(headline, paced=True, wire=True), f"paced{headline}", f"paced, 1 browser + {headline - 1} wire"),
        (Round(headline, paced=True), f"paced{headline}_browsers", f"{headline} paced browsers"),
        (Round(most, paced=True, wire=True), f"paced{most}", f"paced, 1 browser + {most - 1} wire"),
    )
    for design, key, words in headlines:
        runs = by_design.get(design.design)
        if not runs:
            continue
        p95s = [_pct(r["latencies"], 0.95) for r in runs]
        protocol = f"{words}, one server on this machine; p95 page-ready over every visitor, median of {len(runs)}"
        figures += [
            results.measured(
                f"{key}.p95_s",
                statistics.median(p95s),
                "s",
                protocol,
                demo="load",
                better="lower",
                label=f"p95 page-ready, {words}",
                spread=results.Spread.of(p95s, f"{len(runs)} runs") if len(runs) > 1 else None,
            ),
            results.measured(
                f"{key}.errors",
                sum(len(r["errors"]) for r in runs),
                "errors",
                protocol,
                demo="load",
                label=f"errors, {words}",
                better="lower",
            ),
        ]
        browser = [x for r in runs for x in r.get("browser_latencies", [])]
        if design.wire and browser:
            figures.append(
                results.measured(
                    f"{key}.browser_max_s",
                    max(browser),
                    "s",
                    protocol,
                    demo="load",
                    label="the real browser's slowest page-ready",
                    better="lower",
                )
            )
    for name, group, words in (
        ("memory.per_session_browser_mb", stress, "back-to-back browsers"),
        ("memory.per_session_wire_mb", wire, "paced wire visitors"),
    ):
        if len(group) > 1:
            figures.append(
                results.measured(
                    name,
                    _slope(group),
                    "MB",
                    f"slope of server RSS over N = {group[0]['n']}..{group[-1]['n']} {words}",
                    demo="load",
                    label=f"memory per visitor ({words})",
                    better="lower",
                )
            )
    results.record("load", figures)


if __name__ == "__main__":
    print(run())
