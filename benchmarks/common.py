"""Helpers every benchmark shares: the machine, medians of repeats, markdown tables."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from benchmarks.results import machine

__all__ = ["machine", "memory_mb", "median_seconds", "markdown_table", "fmt", "met"]


def memory_mb(pid: int) -> dict[str, float]:
    """Current (VmRSS) and peak (VmHWM) resident memory of a process, in MB, from /proc.

    VmHWM starts afresh with each process's address space; getrusage's ru_maxrss would carry a parent's
    peak into a child across fork and exec.
    """
    out = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in {"VmRSS", "VmHWM"}:
                out[key] = int(value.split()[0]) / 1024
    return out


def median_seconds(fn: Callable[[], Any], repeats: int = 5, warmup: int = 0) -> tuple[float, Any]:
    """Median wall time of `repeats` calls (after `warmup` calls), and the last result."""
    result = None
    for _ in range(warmup):
        result = fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def fmt(value: Any, digits: int = 3) -> str:
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def markdown_table(frame: pd.DataFrame | Sequence[dict[str, Any]], digits: int = 3) -> str:
    frame = pd.DataFrame(frame)
    header = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    rows = ["| " + " | ".join(fmt(v, digits) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *rows])


def met(passed: bool) -> str:
    """A target table's 'met' cell: misses stand out."""
    return "yes" if passed else "**no**"
