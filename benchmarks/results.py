"""Benchmark figures as data: `benchmarks/results/<demo>.json`, written by the benchmarks, read by everyone else.

Pages, model cards, README and BENCHMARKS.md all show figures through this one module, so a figure is typed
by no one: a benchmark measures it and calls `record`, everything else calls `shown` (or `get`). It uses the
standard library only, so a page can read figures without importing the benchmarks' heavy dependencies.

Each figure carries its protocol, date, machine and the git commit it was measured on; `stale_since` lists
the commits that changed the code it measures since then (`MEASURES`), so a generator never publishes a
figure measured on older code without saying so.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

__all__ = [
    "MEASURES",
    "NOT_MEASURED",
    "RESULTS",
    "Figure",
    "Spread",
    "best",
    "get",
    "machine",
    "measured",
    "published",
    "read",
    "record",
    "shown",
    "stale_since",
    "text",
    "verdict",
]

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = RESULTS.parent.parent
NOT_MEASURED = "not measured yet"
# The code each results file measures (paths from the repository root): a commit touching any of them after
# a figure's commit makes that figure stale. Benchmark scripts are left out on purpose: changing how a table
# is printed does not change what was measured.
_APP = ("app.py", "pages", "ui", "models", ".streamlit")
MEASURES: dict[str, tuple[str, ...]] = {
    "recs": ("models/recs", "models/common.py"),
    "people": ("models/people", "models/common.py"),
    "risk": ("models/risk", "models/common.py"),
    "fraud": ("models/fraud", "models/common.py"),
    "risk_learn": ("models/risk/learn.py", "ui/watch_learn.py"),
    "app": _APP,
    "reruns": _APP,
    "load": (*_APP, "benchmarks/wire.py"),
    "soak": (*_APP, "benchmarks/wire.py"),
}


@dataclass(frozen=True)
class Spread:
    """How much a figure moves with what it depends on (seeds, folds, splits, resamples).

    `min`/`max` are the extremes over `n` runs (`kind="range"`), or the ends of an interval such as a 95 %
    bootstrap percentile interval (`kind="interval"`). `over` names what varied, in words.
    """

    over: str
    n: int
    median: float | None = None
    min: float | None = None
    max: float | None = None
    kind: str = "range"
    mean: float | None = None
    sd: float | None = None

    @classmethod
    def of(cls, values: Sequence[float], over: str) -> Spread:
        """The spread of one figure's values over runs (seeds, folds): median, min, max, mean, sd."""
        values = [float(v) for v in values]
        return cls(
            over=over,
            n=len(values),
            median=statistics.median(values),
            min=min(values),
            max=max(values),
            mean=statistics.mean(values),
            sd=statistics.stdev(values) if len(values) > 1 else 0.0,
        )


@dataclass(frozen=True)
class Figure:
    """One measured (or published) number with everything needed to read it honestly."""

    name: str  # stable key, e.g. "default.rmse"; pages ask for figures by it
    value: float | int | str
    unit: str  # "", "stars", "s", "ms", "MB", "errors of 332", ...
    protocol: str  # how it was measured, in one sentence
    label: str = ""  # what it is, in words, for tables
    spread: Spread | None = None
    better: str = ""  # "higher", "lower" or "" (neither): what 'beats' means
    kind: str = "measured"  # or "published" (an anchor from the literature)
    date: str = ""
    machine: str = ""
    commit: str = ""  # the commit the measured code was at; "" for published figures
    dirty: bool = False  # measured with uncommitted changes in the measured code
    load: float | None = None  # the machine's 1-minute load average when measured: timings stretch with it
    note: str = ""

    @property
    def low(self) -> float | None:
        """The lowest value it took over its runs (or its interval's lower end); None when unknown."""
        if self.spread is None:
            return float(self.value)
        return self.spread.min

    @property
    def high(self) -> float | None:
        if self.spread is None:
            return float(self.value)
        return self.spread.max


def machine() -> str:
    """One line naming the machine, for every figure's context."""
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        with open("/proc/meminfo") as info:
            mem_kb = int(next(line.split()[1] for line in info if line.startswith("MemTotal")))
        mem = f"{mem_kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration):
        mem = "unknown memory"
    return f"{os.cpu_count()} cores ({cpu}), {mem}, Python {platform.python_version()}, {platform.system()}"


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def measured(
    name: str,
    value: float | int | str,
    unit: str,
    protocol: str,
    *,
    demo: str,
    label: str = "",
    spread: Spread | None = None,
    better: str = "",
    note: str = "",
) -> Figure:
    """A figure measured now, stamped with today's date, this machine and the commit of the code under test."""
    paths = MEASURES.get(demo, ())
    dirty = bool(_git("status", "--porcelain", "--", *paths)) if paths else False
    return Figure(
        name=name,
        value=value,
        unit=unit,
        protocol=protocol,
        label=label,
        spread=spread,
        better=better,
        date=date.today().isoformat(),
        machine=machine(),
        commit=_git("rev-parse", "--short=12", "HEAD") or "",
        dirty=dirty,
        load=round(os.getloadavg()[0], 1),
        note=note,
    )


def published(
    name: str, value: float | int | str, unit: str, source: str, *, label: str = "", better: str = ""
) -> Figure:
    """An anchor from the literature (or an anchor run measured elsewhere): shown beside ours, never stale."""
    return Figure(name=name, value=value, unit=unit, protocol=source, label=label, better=better, kind="published")


def _path(demo: str, folder: Path | None = None) -> Path:
    """`folder`, else $SHOWCASE_RESULTS_DIR (tests point it at an empty folder), else benchmarks/results."""
    return (folder or Path(os.environ.get("SHOWCASE_RESULTS_DIR") or RESULTS)) / f"{demo}.json"


def _from_dict(raw: dict) -> Figure:
    spread = raw.pop("spread", None)
    return Figure(**raw, spread=Spread(**spread) if spread else None)


@lru_cache(maxsize=32)
def _read_cached(path: Path, mtime_ns: int) -> dict[str, Figure]:
    raw = json.loads(path.read_text())
    return {item["name"]: _from_dict(dict(item)) for item in raw.get("figures", [])}


def read(demo: str, folder: Path | None = None) -> dict[str, Figure]:
    """Every figure of one results file by name; {} when the file is missing or unreadable."""
    path = _path(demo, folder)
    try:
        return _read_cached(path, path.stat().st_mtime_ns)
    except (OSError, ValueError, TypeError, KeyError):
        return {}


def get(demo: str, name: str, folder: Path | None = None) -> Figure | None:
    """One figure, or None when it has not been measured (no file, or no such figure in it)."""
    return read(demo, folder).get(name)


def best(demo: str, names: Iterable[str], folder: Path | None = None) -> Figure | None:
    """The best of several figures by their `better` direction (higher unless "lower"); None if none measured."""
    found = [f for f in (get(demo, n, folder) for n in names) if f is not None]
    sign = -1 if found and found[0].better == "lower" else 1
    return max(found, key=lambda f: sign * float(f.value), default=None)


def record(demo: str, figures: Figure | Iterable[Figure], folder: Path | None = None) -> Path:
    """Add or replace figures (by name) in `results/<demo>.json`; others' figures in the file are kept.

    One call per benchmark (or per figure): `record("fraud", [measured(...), ...])`.
    """
    new = [figures] if isinstance(figures, Figure) else list(figures)
    merged = dict(read(demo, folder))
    merged.update({f.name: f for f in new})
    path = _path(demo, folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "demo": demo,
        "measures": list(MEASURES.get(demo, ())),
        "figures": [_to_dict(f) for f in sorted(merged.values(), key=lambda f: f.name)],
    }
    path.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n")
    return path


def _to_dict(figure: Figure) -> dict:
    out = asdict(figure)
    if out["spread"] is None:
        del out["spread"]
    else:
        out["spread"] = {k: v for k, v in out["spread"].items() if v is not None}
    return out


@lru_cache(maxsize=64)
def stale_since(demo: str, commit: str) -> tuple[str, ...] | None:
    """Commits after `commit` that changed the code `demo` measures (newest first); None if git can't tell.

    A figure with any such commit was measured on older code: generators mark it stale.
    """
    if not commit:
        return ()
    known = _git("cat-file", "-e", f"{commit}^{{commit}}")
    if known is None:
        return None
    log = _git("log", "--format=%h", f"{commit}..HEAD", "--", *MEASURES.get(demo, ("",)))
    return None if log is None else tuple(log.split())


def _number(value: float, digits: int, scale: float) -> str:
    value = value * scale
    return f"{value:,.{digits}f}" if abs(value) >= 1000 else f"{value:.{digits}f}"


def _with_unit(text: str, unit: str) -> str:
    if not unit:
        return text
    return f"{text} {unit}" if unit[0].isalpha() or unit in {"★"} else f"{text}{unit}"


def shown(
    demo: str,
    name: str,
    digits: int = 3,
    *,
    spread: bool = True,
    unit: str | None = None,
    scale: float = 1.0,
    folder: Path | None = None,
) -> str:
    """A figure as text for a page or README, with its spread; "not measured yet" when there is none.

    `unit` overrides the stored unit (e.g. "%" with `scale=100`), `spread=False` leaves the range out.
    """
    figure = get(demo, name, folder)
    if figure is None:
        return NOT_MEASURED
    return text(figure, digits, spread=spread, unit=unit, scale=scale)


def text(figure: Figure, digits: int = 3, *, spread: bool = True, unit: str | None = None, scale: float = 1.0) -> str:
    """`shown` for a figure already in hand."""
    unit = figure.unit if unit is None else unit
    if not isinstance(figure.value, int | float) or isinstance(figure.value, bool):
        return _with_unit(str(figure.value), unit)
    if isinstance(figure.value, int) and scale == 1.0:
        digits = 0  # counts (errors, payments) have no decimals
    out = _with_unit(_number(figure.value, digits, scale), unit)
    s = figure.spread
    if spread and s is not None:
        if s.min is not None and s.max is not None:
            what = "95 % interval" if s.kind == "interval" else "range"
            out += f" ({what} {_number(s.min, digits, scale)}–{_number(s.max, digits, scale)}, {s.over})"
        elif s.sd is not None:
            out += f" (± {_number(s.sd, digits, scale)} sd, {s.over})"
    return out


def verdict(a: Figure | None, b: Figure | float | None) -> str:
    """'beats', 'trails' or 'ties with': a claim only where the spreads do not overlap.

    A measured figure's range is its min-max over runs (or its interval); one recorded without a range (a
    mean over folds whose folds were not kept) cannot carry a claim. A published anchor without a spread is
    a point. `a.better` says which direction wins; "" (unknown) always ties.
    """
    if a is None or b is None:
        return "cannot yet be compared with"
    if a.kind == "measured" and (a.spread is None or a.spread.min is None):
        return "ties with"
    b_low, b_high = (float(b), float(b)) if isinstance(b, int | float) else (b.low, b.high)
    if a.better not in {"higher", "lower"} or None in (a.low, a.high, b_low, b_high):
        return "ties with"  # a spread known only as mean and sd (or a median) cannot carry a claim
    above, below = a.low > b_high, a.high < b_low
    if a.better == "lower":
        above, below = below, above
    return "beats" if above else "trails" if below else "ties with"
