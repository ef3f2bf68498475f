"""Run benchmarks and rebuild BENCHMARKS.md: `python -m benchmarks [app recs people risk fraud ...]`.

Each `benchmarks/bench_<name>.py` has `run() -> str` (a markdown section) and records its figures in
`benchmarks/results/<name>.json` (`benchmarks.results.record`). The section is kept in
`benchmarks/results/<name>.md`, so running one benchmark refreshes only its own section.

`python -m benchmarks readme` regenerates README's "Figures at a glance" and BENCHMARKS.md from the JSON
without measuring anything (`render` rebuilds BENCHMARKS.md alone).
"""

from __future__ import annotations

import importlib
import sys
import time
from datetime import date
from pathlib import Path

from benchmarks import readme
from benchmarks.results import machine

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
ORDER = [
    "app",
    "reruns",
    "recs",
    "people",
    "people_splits",
    "risk",
    "risk_seeds",
    "risk_learn",
    "fraud",
    "fraud_select",
    "fraud_drift",
    "load",
    "soak",
]


def available() -> list[str]:
    found = sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))
    return [n for n in ORDER if n in found] + [n for n in found if n not in ORDER]


def assemble() -> str:
    parts = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m benchmarks`); each section notes when and where it was measured.",
        "Figures are medians of repeated runs unless a section says otherwise; published anchors stand beside ours.",
        "Each section opens with its figures as data (`benchmarks/results/<name>.json`: value, spread over seeds or",
        "folds, protocol, and the commit measured); a figure whose code changed after that commit is marked stale.",
        "",
    ]
    for name in available():
        section = RESULTS / f"{name}.md"
        if section.exists():
            head, _, body = section.read_text().rstrip().partition("\n")
            parts += [head, "", readme.figures_table(name), "", body.strip(), ""]
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    if argv in (["readme"], ["render"]):
        if argv == ["readme"]:
            readme.rewrite_readme()
            print("wrote README.md")
        (HERE.parent / "BENCHMARKS.md").write_text(assemble())
        print("wrote BENCHMARKS.md")
        return 0
    names = argv or available()
    unknown = [n for n in names if n not in available()]
    if unknown:
        sys.stderr.write(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(available())}\n")
        return 2
    RESULTS.mkdir(exist_ok=True)
    for name in names:
        print(f"== {name}", flush=True)
        start = time.perf_counter()
        body = importlib.import_module(f"benchmarks.bench_{name}").run()
        stamp = f"_Measured {date.today().isoformat()} on {machine()}; took {time.perf_counter() - start:.0f} s._"
        (RESULTS / f"{name}.md").write_text(body.rstrip() + "\n\n" + stamp + "\n")
    (HERE.parent / "BENCHMARKS.md").write_text(assemble())
    readme.rewrite_readme()
    print("wrote BENCHMARKS.md and README.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
