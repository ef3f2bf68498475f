"""Watch it learn: time to compute each trajectory, and the page data each animation frame costs."""

from __future__ import annotations

import json
import os
import statistics
import time

import pandas as pd

import models.risk as dr
from benchmarks import results
from benchmarks.common import markdown_table, median_seconds, met
from models.risk import learn

TIME_TARGET_S = 1.0  # a 60-frame trajectory on a 100x100 grid (the budget)
FRAME_TARGET_BYTES = 200_000  # page data per frame


def _cpu_seconds(fn, repeats: int = 3) -> float:
    """Median CPU time of this process: what the work costs when it has a core to itself (wall time under load
    also counts the time other jobs held both cores)."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times)


def run() -> str:
    import ui.theme  # noqa: F401  (the shared plotly template the page uses)
    from ui.watch_learn import frame_payload_bytes, learning_figure

    patients = dr.load_training("Pima.tr")
    settings = learn.LearnSettings()
    split = learn.inner_split(patients, settings)
    rows, figures = [], []
    for family in learn.LEARN_FAMILIES:
        seconds, traj = median_seconds(lambda f=family: learn.trajectory(f, patients, settings), repeats=3, warmup=1)
        cpu_s = _cpu_seconds(lambda f=family: learn.trajectory(f, patients, settings))
        build_s, fig = median_seconds(lambda t=traj: learning_figure(t, split), repeats=3)
        sizes = frame_payload_bytes(fig)
        whole = len(json.dumps(fig.to_plotly_json(), default=str))
        rows.append(
            {
                "model": traj.family,
                "frames": len(traj.frames),
                "compute, wall (s)": seconds,
                f"wall < {TIME_TARGET_S:g} s": met(seconds < TIME_TARGET_S),
                "compute, CPU (s)": cpu_s,
                "risk map per frame (KB)": traj.bytes_per_frame / 1000,
                "page data per frame, largest (KB)": max(sizes) / 1000,
                "< 200 KB": met(max(sizes) < FRAME_TARGET_BYTES),
                "whole figure (KB)": whole / 1000,
                "figure build (s)": build_s,
            }
        )
        figures += [
            results.measured(
                f"{traj.family}.compute_s",
                seconds,
                "s",
                f"{len(traj.frames)}-frame trajectory on a {settings.grid}x{settings.grid} grid, wall, median of 3",
                demo="risk_learn",
                label=f"{traj.family}: trajectory",
                better="lower",
            ),
            results.measured(
                f"{traj.family}.frame_kb",
                max(sizes) / 1000,
                "KB",
                "largest animation frame's JSON",
                demo="risk_learn",
                label=f"{traj.family}: page data per frame",
                better="lower",
            ),
        ]
    results.record("risk_learn", figures)
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    return "\n".join(
        [
            "## Watch it learn (disease-risk page)",
            "",
            f"Default settings ({settings.describe('mlp')}; tree {settings.describe('tree')}), features "
            f"{' and '.join(settings.features)}, {settings.grid}x{settings.grid} grid, inner split of Pima.tr "
            f"({len(split.train)} train / {len(split.validation)} held out). Compute: median of 3 runs after one "
            "warm-up, from the data to every frame's risk map, losses, errors and caption. Page data: each plotly "
            "animation frame's JSON (the map as whole percents, the step line, the caption) as sent to the browser.",
            "",
            markdown_table(pd.DataFrame(rows)),
            "",
            f"Load average while measuring: {load} (2 cores shared with other jobs: wall times are inflated by that "
            "load; the CPU column is the processor time the work itself used, single-threaded).",
        ]
    )
