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

Environment knobs: BENCH_LOAD_NS (default "1,5,10,25"), BENCH_LOAD_ROUND_S (time limit per round,
default 120).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from benchmarks.common import markdown_table, memory_mb, met
from tests.browser import SCRIPT_DONE
from ui.demos import DEMOS

HOME_TITLE = "What does a Machine Learning Engineer build?"
# Streamlit's own end-to-end tests wait on this attribute; the status widget shows only after a delay.
EXCEPTION = '[data-testid="stException"]'
PAGE_TIMEOUT_MS = 60_000
WARMUP_TIMEOUT_MS = 600_000

TARGET_P95_S = 3.0
TARGET_MB_PER_SESSION = 30.0


async def wait_idle(page, timeout_ms: int = PAGE_TIMEOUT_MS) -> None:
    await page.locator(SCRIPT_DONE).wait_for(state="attached", timeout=timeout_ms)


async def open_only(page) -> None:
    """The default interaction: look at the page (it is already open and idle)."""


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

    star = page.locator(".st-key-recs_star_260 [aria-label='5 out of 5 stars']")
    await star.wait_for(timeout=PAGE_TIMEOUT_MS)
    await star.click()
    await expect(page.get_by_text("Your top 10, from 1 rating")).to_be_visible(timeout=PAGE_TIMEOUT_MS)


async def people_more(page) -> None:
    await nudge_slider(page, "people_top")


async def risk_glucose(page) -> None:
    await nudge_slider(page, "risk_glu")


async def fraud_threshold(page) -> None:
    await nudge_slider(page, "fraud_threshold")


# The typical interaction per page (key "home" or a demo key), run once the page is ready and
# followed by waiting until the script is idle again.
INTERACTIONS: dict[str, Callable[[object], Awaitable[None]]] = {
    "home": open_only,
    "recs": recs_rate,
    "people": people_more,
    "risk": risk_glucose,
    "fraud": fraud_threshold,
}


@dataclass
class Visit:
    latencies: list[float] = field(default_factory=list)
    by_page: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    steps_done: int = 0


async def _ready(page, title: str, start: float, timeout_ms: int) -> float:
    from playwright.async_api import expect

    await expect(page.get_by_role("heading", name=title, level=1)).to_be_visible(timeout=timeout_ms)
    await wait_idle(page, timeout_ms)
    return time.perf_counter() - start


async def visitor(browser, url: str, visit: Visit, ready: asyncio.Event, timeout_ms: int = PAGE_TIMEOUT_MS) -> None:
    """One visitor: home, then every demo by the sidebar, each with its interaction. Stays connected until `ready`."""
    context = await browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        page = await context.new_page()
        steps = [("home", "", HOME_TITLE)] + [(d.key, d.slug, d.title) for d in DEMOS]
        for index, (key, slug, title) in enumerate(steps):
            try:
                start = time.perf_counter()
                if index == 0:
                    await page.goto(url, wait_until="commit")
                else:
                    await page.locator(f'[data-testid="stSidebarNavLink"][href$="/{slug}"]').first.click()
                seconds = await _ready(page, title, start, timeout_ms)
                visit.latencies.append(seconds)
                visit.by_page.setdefault(key, []).append(seconds)
                await INTERACTIONS.get(key, open_only)(page)
                await wait_idle(page, timeout_ms)
                if await page.locator(EXCEPTION).count():
                    visit.errors.append(f"{key}: exception box")
            except Exception as err:  # noqa: BLE001 - every failure is a counted error, and the walk goes on
                visit.errors.append(f"{key}: {type(err).__name__}: {str(err).splitlines()[0][:120]}")
                if index == 0:
                    return
            finally:
                visit.steps_done += 1
        await ready.wait()  # hold the session open until memory has been read
    finally:
        await context.close()


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


async def round_of(browser, url: str, pid: int, n: int, limit_s: float) -> dict:
    visits = [Visit() for _ in range(n)]
    all_walked = asyncio.Event()
    release = asyncio.Event()
    started = time.perf_counter()
    server_cpu_start, browser_cpu_start = cpu_seconds(pid), browser_cpu(exclude=pid)
    tasks = [asyncio.create_task(visitor(browser, url, v, release)) for v in visits]

    async def watch() -> None:
        while not all(v.steps_done >= 1 + len(DEMOS) or t.done() for v, t in zip(visits, tasks, strict=True)):
            await asyncio.sleep(0.2)
        all_walked.set()

    watcher = asyncio.create_task(watch())
    try:
        await asyncio.wait_for(all_walked.wait(), timeout=limit_s)
        timed_out = 0
    except TimeoutError:
        timed_out = sum(1 for v, t in zip(visits, tasks, strict=True) if not t.done() and v.steps_done < 1 + len(DEMOS))
    wall = time.perf_counter() - started
    mem = memory_mb(pid)  # with every visitor still connected
    server_cpu = cpu_seconds(pid) - server_cpu_start
    browser_now = browser_cpu(exclude=pid)
    client_cpu = sum(cpu - browser_cpu_start.get(p, 0.0) for p, cpu in browser_now.items())
    release.set()
    watcher.cancel()
    for task in tasks:
        if not task.done() and timed_out:
            task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    latencies = [x for v in visits for x in v.latencies]
    by_page: dict[str, list[float]] = {}
    for v in visits:
        for key, values in v.by_page.items():
            by_page.setdefault(key, []).extend(values)
    errors = [e for v in visits for e in v.errors] + [f"visitor not done within {limit_s:.0f} s"] * timed_out
    return {
        "n": n, "wall": wall, "latencies": latencies, "errors": errors, "rss": mem["VmRSS"], "peak": mem["VmHWM"],
        "by_page": by_page, "server_cpu": server_cpu, "browser_cpu": client_cpu,
    }


async def measure(ns: list[int], limit_s: float) -> tuple[dict, list[dict], float]:
    from playwright.async_api import async_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server

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
                rounds = [await round_of(browser, url, process.pid, n, limit_s) for n in ns]
            finally:
                await browser.close()
    finally:
        stop_server(process)
    return {"latencies": warm.latencies, "errors": warm.errors, "by_page": warm.by_page}, rounds, rss_warm


def run() -> str:
    ns = [int(x) for x in os.environ.get("BENCH_LOAD_NS", "1,5,10,25").split(",") if x.strip()]
    limit_s = float(os.environ.get("BENCH_LOAD_ROUND_S", "120"))
    load_before = os.getloadavg()[0]
    warm, rounds, rss_warm = asyncio.run(measure(ns, limit_s))
    load_after = os.getloadavg()[0]

    rows = []
    for r in rounds:
        rows.append({
            "sessions": r["n"],
            "page visits": len(r["latencies"]),
            "errors": len(r["errors"]),
            "page-ready median s": f"{statistics.median(r['latencies']):.2f}" if r["latencies"] else "-",
            "page-ready p95 s": f"{_pct(r['latencies'], 0.95):.2f}" if r["latencies"] else "-",
            "round wall s": f"{r['wall']:.1f}",
            "server CPU s": f"{r['server_cpu']:.1f}",
            "browser CPU s": f"{r['browser_cpu']:.1f}",
            "server RSS MB": f"{r['rss']:.0f}",
            "RSS over warm server MB": f"{r['rss'] - rss_warm:.0f}",
        })
    smallest, largest = rounds[0], rounds[-1]
    if len(rounds) > 1:  # least-squares slope of RSS against N over every round
        per_session = statistics.linear_regression([r["n"] for r in rounds], [r["rss"] for r in rounds]).slope
    else:
        per_session = float("nan")
    p95 = _pct(largest["latencies"], 0.95)
    summary = [
        {"figure": f"errors at {largest['n']} sessions", "ours": str(len(largest["errors"])), "target": "0",
         "met": met(not largest["errors"])},
        {"figure": f"p95 page-ready at {largest['n']} sessions", "ours": f"{p95:.2f} s",
         "target": f"< {TARGET_P95_S:.0f} s", "met": met(p95 < TARGET_P95_S)},
        {"figure": f"memory per added session (slope of RSS over N = {smallest['n']}..{largest['n']})",
         "ours": f"{per_session:.1f} MB",
         "target": f"< {TARGET_MB_PER_SESSION:.0f} MB", "met": met(per_session < TARGET_MB_PER_SESSION)},
    ]
    error_lines = sorted({e for r in rounds for e in r["errors"]} | set(warm["errors"]))
    busy = 0.5 * (os.cpu_count() or 1)
    parts = [
        "## Load: concurrent visitors",
        "",
        "One real server and one headless Chromium on this machine; N visitors at once, each its own browser "
        f"context, opening the home page and then every demo ({len(DEMOS)}) by the sidebar with that page's "
        "typical interaction. Page-ready = from click (or navigation) until the title is visible and "
        "the page's script has finished (`data-test-script-state`), measured in the browser, so it includes "
        "the browser's own "
        "rendering on the same cores. Memory is the server's VmRSS with all N visitors still connected; rounds "
        "run one after another on the same server after a warm-up visitor trained every model "
        f"(server RSS after warm-up: {rss_warm:.0f} MB). Round time limit {limit_s:.0f} s. CPU seconds used during "
        "each round by the server process and by Chromium (all its processes) show where the time went: at a "
        "real stand each visitor's browser runs on their own phone, not on the server's cores. Machine load average "
        f"(1 min) {load_before:.1f} before and {load_after:.1f} after"
        + (" (busy with other work: latencies are pessimistic)." if max(load_before, load_after) > busy else "."),
        "",
        "",
        "",
        markdown_table(summary),
        "",
        markdown_table(rows),
    ]
    names = {"home": "Home", **{d.key: d.title for d in DEMOS}}
    per_page = []
    for key, name in names.items():
        row = {"page": name, "warm-up visitor s": ", ".join(f"{x:.2f}" for x in warm["by_page"].get(key, [])) or "-"}
        for r in rounds:
            values = r["by_page"].get(key, [])
            row[f"N={r['n']} median / p95 s"] = (
                f"{statistics.median(values):.2f} / {_pct(values, 0.95):.2f}" if values else "-"
            )
        per_page.append(row)
    parts += ["", "Page-ready per page (the warm-up visitor's first visits include training):", "",
              markdown_table(per_page)]
    if per_session < 0:
        parts += ["", "A negative memory slope means RSS did not grow with sessions beyond the noise of transient "
                  "allocations (models scoring, frames built per rerun); it is not a measured saving."]
    interactions = ", ".join(f"{k}: {fn.__name__}" for k, fn in INTERACTIONS.items())
    parts += ["", f"Interactions per page: {interactions}."]
    if error_lines:
        parts += ["", "Errors seen:", ""] + [f"- {e}" for e in error_lines[:20]]
    return "\n".join(parts)


if __name__ == "__main__":
    print(run())
