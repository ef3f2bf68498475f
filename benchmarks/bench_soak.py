"""Soak: does the server's memory level off over a day of visitors, or keep growing?

Run with `python -m benchmarks soak`. One real server; a warm-up visitor trains every model, then
ROUNDS rounds of VISITORS wire visitors (`benchmarks.wire`) each walk every page with its typical
interaction (as in the load benchmark) and leave. Between rounds the server idles for longer than
`server.disconnectedSessionTTL` (120 s), after which Streamlit may drop the closed sessions. We read
the server's RSS right after each round and after the pause. A leak shows as RSS climbing round after
round; freed memory that Python keeps for reuse shows as a plateau.

Environment knobs: BENCH_SOAK_ROUNDS (default 8), BENCH_SOAK_VISITORS (default 25), BENCH_SOAK_PAUSE_S
(default 130).
"""

from __future__ import annotations

import asyncio
import os

from benchmarks import results
from benchmarks.bench_load import WARMUP_TIMEOUT_MS, Visit, wire_visitor
from benchmarks.common import markdown_table, memory_mb, met

TTL_S = 120.0  # Streamlit's default server.disconnectedSessionTTL, which our config keeps
FLAT_SHARE = 0.05  # issue 16: RSS flat within 5 % over the second half of the run


async def measure(rounds: int, visitors: int, pause_s: float) -> tuple[dict, list[dict]]:
    from harness.server import start_server, stop_server

    process, url = start_server()
    try:
        done = asyncio.Event()
        done.set()
        warm = Visit()
        await wire_visitor(url, warm, done, timeout_ms=WARMUP_TIMEOUT_MS)
        start = {"errors": len(warm.errors), "rss": memory_mb(process.pid)["VmRSS"]}
        rows = []
        for k in range(rounds):
            visits = [Visit() for _ in range(visitors)]
            await asyncio.gather(*(wire_visitor(url, v, done) for v in visits))
            after_round = memory_mb(process.pid)["VmRSS"]
            await asyncio.sleep(pause_s)
            rows.append(
                {
                    "round": k + 1,
                    "sessions so far": visitors * (k + 1),
                    "errors": sum(len(v.errors) for v in visits),
                    "rss_round": after_round,
                    "rss_pause": memory_mb(process.pid)["VmRSS"],
                }
            )
    finally:
        stop_server(process)
    return start, rows


def run() -> str:
    rounds = int(os.environ.get("BENCH_SOAK_ROUNDS", "8"))
    visitors = int(os.environ.get("BENCH_SOAK_VISITORS", "25"))
    pause_s = float(os.environ.get("BENCH_SOAK_PAUSE_S", "130"))
    start, rows = asyncio.run(measure(rounds, visitors, pause_s))
    later = rows[len(rows) // 2 :]  # the second half: after the allocator has settled
    growth = max(r["rss_pause"] for r in later) - min(r["rss_pause"] for r in later)
    level = min(r["rss_pause"] for r in later)
    errors = start["errors"] + sum(r["errors"] for r in rows)
    summary = [
        {
            "figure": f"errors over {visitors * rounds} visits of every page",
            "ours": str(errors),
            "target": "0",
            "met": met(not errors),
        },
        {
            "figure": f"RSS growth over rounds {later[0]['round']}..{later[-1]['round']} (after each pause)",
            "ours": f"{growth:.0f} MB ({100 * growth / level:.1f} % of {level:.0f} MB)",
            "target": f"within {100 * FLAT_SHARE:.0f} % (flat: no leak)",
            "met": met(growth <= FLAT_SHARE * level),
        },
    ]
    table = [
        {
            "round": r["round"],
            "sessions so far": r["sessions so far"],
            "errors": r["errors"],
            "RSS right after the round MB": f"{r['rss_round']:.0f}",
            f"RSS after {pause_s:.0f} s idle MB": f"{r['rss_pause']:.0f}",
        }
        for r in rows
    ]
    protocol = f"{rounds} rounds of {visitors} wire visitors walking every page, {pause_s:.0f} s idle between rounds"
    results.record(
        "soak",
        [
            results.measured(
                "errors", errors, "errors", protocol, demo="soak", label="errors over every visit", better="lower"
            ),
            results.measured(
                "rss_growth_mb",
                growth,
                "MB",
                protocol + "; RSS growth over the second half of the rounds",
                demo="soak",
                label="RSS growth, second half",
                better="lower",
            ),
        ],
    )
    return "\n".join(
        [
            "## Soak: memory over many visitors",
            "",
            f"One real server; after a warm-up visitor trained every model (RSS {start['rss']:.0f} MB), "
            f"{rounds} rounds "
            f"of {visitors} wire visitors (`benchmarks/wire.py`) each walk home and every demo with the load "
            f"benchmark's interactions, then leave; the server idles {pause_s:.0f} s between rounds ("
            + ("longer than" if pause_s > TTL_S else "not longer than, so closed sessions may still be held:")
            + f" Streamlit's {TTL_S:.0f} s `server.disconnectedSessionTTL`). A leak would climb round after round; "
            "a plateau is memory Python freed and keeps for reuse.",
            "",
            markdown_table(summary),
            "",
            markdown_table(table),
        ]
    )


if __name__ == "__main__":
    print(run())
