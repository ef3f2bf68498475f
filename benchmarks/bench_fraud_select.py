"""Fraud: model selection on the handbook's validation weeks, then its prequential test, over simulator seeds.

`python -m benchmarks fraud_select` writes `results/fraud_select.md` and the raw rows as JSON;
`FRAUD_SELECT_SEEDS=3` runs fewer seeds (the issue asks for at least 5).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pandas as pd

from benchmarks.common import markdown_table
from models.fraud import SimulationConfig
from models.fraud.data import load_bank
from models.fraud.select import HANDBOOK_AFTER_SELECTION, prequential_test_report, select_on_validation
from models.fraud.train import BOOK_TRAIN_START, day_zero

RESULTS = Path(__file__).resolve().parent / "results"
METRICS = ("auc", "average_precision", "card_precision_at_100")


def one_seed(seed: int) -> tuple[dict, pd.DataFrame]:
    """Select on validation weeks, then the 4 test folds' mean for the chosen model."""
    data = load_bank(SimulationConfig(), seed, disk_cache=False)
    start = (pd.Timestamp(BOOK_TRAIN_START) - day_zero(data)).days
    chosen = select_on_validation(data, start, seed)
    report = prequential_test_report(data, chosen, start, seed)
    row = {"seed": seed, "chosen": f"{chosen.model} ({', '.join(f'{k}={v}' for k, v in chosen.params.items())})"}
    row.update({m: float(report[m].mean()) for m in METRICS})
    return row, chosen.table.assign(seed=seed)


def run() -> str:
    seeds = tuple(range(int(os.environ.get("FRAUD_SELECT_SEEDS", "5"))))
    start = time.perf_counter()
    results = [one_seed(s) for s in seeds]
    rows = pd.DataFrame([r for r, _ in results])
    tables = pd.concat([t for _, t in results], ignore_index=True)
    RESULTS.mkdir(exist_ok=True)
    summary = {m: {"mean": float(rows[m].mean()), "sd": float(rows[m].std())} for m in METRICS}
    (RESULTS / "fraud_select.json").write_text(
        json.dumps(
            {
                "summary": summary,
                "handbook": HANDBOOK_AFTER_SELECTION,
                "rows": rows.to_dict(orient="records"),
                "validation": tables.to_dict(orient="records"),
            },
            indent=1,
        )
        + "\n"
    )
    beside = pd.DataFrame(
        [
            {
                "row": f"ours: selected on validation weeks, mean ± sd over seeds {', '.join(map(str, seeds))}",
                **{m: f"{summary[m]['mean']:.3f} ± {summary[m]['sd']:.3f}" for m in METRICS},
            },
            {
                "row": "handbook, after selection (Chapter 5)",
                **{m: f"{v:.3f}" for m, v in HANDBOOK_AFTER_SELECTION.items()},
            },
        ]
    )
    met = all(summary[m]["mean"] >= HANDBOOK_AFTER_SELECTION[m] for m in METRICS)
    return "\n".join(
        [
            "### Model selection on the handbook's validation weeks (prequential, Chapter 5)",
            "",
            "Validation folds train on the 7 days from T - 14 - 7i (T = 2018-07-25, i = 0..3), wait 7 days and "
            "validate on the next 7; GridSearchCV over 13 candidates (boosting x 8, forest x 2, logistic x 3) "
            "picks the highest mean validation average precision; the winner is then tested on the book's 4 "
            "test folds (train from T - 7i). Test labels are never read by selection (tested).",
            "",
            markdown_table(beside),
            "",
            f"Target (ours at or above the handbook on all three means): {'met' if met else 'missed'}.",
            "",
            "Per seed:",
            "",
            markdown_table(rows),
            "",
            f"Took {time.perf_counter() - start:.0f} s on a shared machine (load average "
            + ", ".join(f"{v:.1f}" for v in os.getloadavg())
            + " on 2 cores).",
        ]
    )
