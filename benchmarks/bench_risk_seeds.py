"""Disease risk: the whole training-only selection rerun with seeds 0-19, each choice scored on Pima.te.

A separate section from `bench_risk` so it can be rerun alone (it runs 20 full selections).
Writes `results/risk_seeds.md` through `python -m benchmarks risk_seeds`, and the raw rows as JSON.
"""

from __future__ import annotations

import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd
from threadpoolctl import threadpool_limits

import models.risk as dr
from benchmarks.common import markdown_table
from models.risk.evaluate import seed_summary

SEEDS = tuple(range(20))
TARGET_ERRORS, TARGET_AUC = 66, 0.865  # Ripley (1996) logistic regression: 66 errors; AUC floor from issue 14
RESULTS = Path(__file__).resolve().parent / "results"


def summary(rows: pd.DataFrame) -> dict[str, float]:
    """Median and range of errors and AUC over selection seeds, with the targets' verdicts."""
    out = seed_summary(rows)
    out["auc_below_target"] = int((rows["AUC"] < TARGET_AUC).sum())
    out["errors_target_met"] = out["errors_median"] <= TARGET_ERRORS
    out["auc_target_met"] = out["auc_median"] >= TARGET_AUC
    return out


def _seeds(seeds: tuple[int, ...]) -> pd.DataFrame:
    """Selections for some seeds, each row also appended to a partial file as soon as it is known."""
    parts = []
    with threadpool_limits(1):
        train, test = dr.load_training("Pima.tr"), dr.load_test()
        for seed in seeds:
            row = dr.selection_over_seeds(train, test, (seed,))
            with (RESULTS / "risk_seeds.partial.jsonl").open("a") as out:
                out.write(json.dumps(row.iloc[0].to_dict(), default=float) + "\n")
            parts.append(row)
    return pd.concat(parts)


def run() -> str:
    """The 20 selections; `RISK_SEEDS_WORKERS=3` spreads the seeds over processes (each single-threaded)."""
    start = time.perf_counter()
    workers = max(1, int(os.environ.get("RISK_SEEDS_WORKERS", "1")))
    chunks = [SEEDS[i::workers] for i in range(workers)]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "risk_seeds.partial.jsonl").unlink(missing_ok=True)
    with ProcessPoolExecutor(workers) as pool:
        rows = pd.concat(pool.map(_seeds, chunks)).sort_values("seed").reset_index(drop=True)
    (RESULTS / "risk_seeds.partial.jsonl").unlink(missing_ok=True)
    return render(rows, time.perf_counter() - start, workers)


def render(rows: pd.DataFrame, took: float, workers: int = 1) -> str:
    """The markdown section (and the JSON beside it) for whatever seeds `rows` holds."""
    s = summary(rows)
    (RESULTS / "risk_seeds.json").write_text(
        json.dumps({"summary": s, "rows": rows.to_dict(orient="records")}, indent=1) + "\n"
    )
    verdict = (
        f"errors target (median <= {TARGET_ERRORS}): {'met' if s['errors_target_met'] else 'missed'}; "
        f"AUC target (median >= {TARGET_AUC}): {'met' if s['auc_target_met'] else 'missed'}"
    )
    counts = rows.groupby(["features", "C", "calibration", "threshold"]).size().reset_index(name="seeds")
    return "\n".join(
        [
            f"### Selection over {len(rows)} seeds (Pima.tr only; each choice then scored once on Pima.te)",
            "",
            f"`select_config(Pima.tr, seed)` for seeds {', '.join(map(str, rows['seed']))}: "
            "`GridSearchCV` over two feature sets x nine C values "
            "(0.01-100) by log loss on 4 x 5 repeated stratified folds; sigmoid calibration only if it "
            "beats that by more than one standard error; the threshold by `TunedThresholdClassifierCV` "
            "(accuracy, 10 x 5 repeated folds). The seed changes only how the folds are drawn. Pima.te is read "
            "after each selection is fixed, never during it (tested).",
            "",
            "| figure | median | min-max | target |",
            "|---|---|---|---|",
            f"| errors on Pima.te (of 332) | {s['errors_median']:g} | {s['errors_min']}-{s['errors_max']} "
            f"| <= {TARGET_ERRORS} (Ripley 1996) |",
            f"| AUC on Pima.te | {s['auc_median']:.4f} | {s['auc_min']:.4f}-{s['auc_max']:.4f} | >= {TARGET_AUC} |",
            "",
            f"{verdict}. AUC below {TARGET_AUC} in {s['auc_below_target']} of {s['seeds']} seeds.",
            "",
            f"What the {len(rows)} selections chose:",
            "",
            markdown_table(counts),
            "",
            "Per seed:",
            "",
            markdown_table(rows),
            "",
            f"{len(rows)} selections took {took:.0f} s in {workers} single-threaded process(es) on a shared machine "
            "(load average " + ", ".join(f"{v:.1f}" for v in os.getloadavg()) + " on 2 cores).",
        ]
    )
