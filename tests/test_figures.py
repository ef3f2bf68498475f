"""Figures are data: README and pages show what benchmarks/results/*.json holds, with spreads, and say
'not measured yet' (never a number) without it; the comparison words follow the spreads."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from benchmarks import readme
from benchmarks import results as r
from harness.server import ROOT, open_app
from tests.conftest import assert_no_exception
from ui.layout import FAULT_ENV

DEMOS = ("recs", "people", "risk", "fraud", "app", "load", "soak")
PAGES = {
    "recs": "pages/recs.py",
    "people": "pages/people.py",
    "risk": "pages/risk.py",
    "fraud": "pages/fraud.py",
}


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="staleness needs git")
def test_readme_figures_agree_with_the_results_json():
    assert readme.readme_block() == readme.glance_table(), (
        "README's 'Figures at a glance' differs from benchmarks/results/*.json: run `python -m benchmarks readme`"
    )


@pytest.mark.parametrize("demo", DEMOS)
def test_every_demo_has_results_with_their_context(demo):
    figures = r.read(demo)
    assert figures, f"benchmarks/results/{demo}.json is missing or empty"
    for figure in figures.values():
        assert figure.protocol and isinstance(figure.unit, str), figure
        if figure.kind == "measured":
            assert figure.date and figure.machine and re.fullmatch(r"[0-9a-f]{7,40}", figure.commit), figure
        if figure.spread is not None:
            s = figure.spread
            assert s.n >= 1 and s.over, figure
            if s.min is not None:
                assert s.min <= s.max, figure


def test_every_figure_a_page_asks_for_is_measured():
    """A typo in a figure's name would show 'not measured yet' for ever: each name pages use must exist."""
    asked: list[tuple[str, str]] = []
    for demo, page in PAGES.items():
        text = (ROOT / page).read_text() + (ROOT / "ui" / "sections" / Path(page).name).read_text()
        if f'partial(results.shown, "{demo}")' in text:
            asked += [(demo, name) for name in re.findall(r"\bmeasured\(\s*[\"']([\w.]+)[\"']", text)]
        asked += re.findall(r"results\.shown\(\s*[\"'](\w+)[\"'],\s*[\"']([\w.]+)[\"']", text)
        asked += (
            [(demo, f"handbook.{b}.{m}") for b in ("logistic", "forest", "xgboost") for m in ("auc", "ap", "cp100")]
            if "book_best(" in text
            else []
        )
    assert len(asked) >= 15, asked
    missing = [(demo, name) for demo, name in asked if r.get(demo, name) is None]
    assert not missing, missing


def test_record_merges_by_name_and_reads_back_the_spread(tmp_path):
    first = r.measured(
        "a.auc", 0.8, "", "split A", demo="fraud", better="higher", spread=r.Spread.of([0.7, 0.8, 0.9], "seeds 0-2")
    )
    r.record("toy", first, folder=tmp_path)
    r.record("toy", [r.published("b.auc", 0.75, "", "a paper")], folder=tmp_path)  # another benchmark's figure
    back = r.read("toy", tmp_path)
    assert set(back) == {"a.auc", "b.auc"}
    assert back["a.auc"].spread == r.Spread.of([0.7, 0.8, 0.9], "seeds 0-2")
    assert (back["a.auc"].spread.median, back["a.auc"].spread.min, back["a.auc"].spread.max) == (0.8, 0.7, 0.9)
    assert r.shown("toy", "a.auc", 2, folder=tmp_path) == "0.80 (range 0.70–0.90, seeds 0-2)"
    assert r.shown("toy", "nothing", folder=tmp_path) == r.NOT_MEASURED
    assert r.shown("absent", "a.auc", folder=tmp_path) == r.NOT_MEASURED


def test_beats_only_where_the_spreads_do_not_overlap():
    def fig(low: float, high: float, better: str = "higher") -> r.Figure:
        mid = (low + high) / 2
        return r.Figure("x", mid, "", "p", better=better, spread=r.Spread("seeds", 3, mid, low, high))

    assert r.verdict(fig(0.80, 0.90), 0.85) == "ties with"
    assert r.verdict(fig(0.86, 0.90), 0.85) == "beats"
    assert r.verdict(fig(0.70, 0.84), 0.85) == "trails"
    assert r.verdict(fig(0.80, 0.84), fig(0.83, 0.90)) == "ties with"
    assert r.verdict(fig(0.80, 0.82, "lower"), fig(0.85, 0.90, "lower")) == "beats"  # lower error wins
    mean_sd_only = r.Figure("x", 0.9, "", "p", better="higher", spread=r.Spread("seeds", 5, mean=0.9, sd=0.01))
    assert r.verdict(mean_sd_only, 0.5) == "ties with"  # no range: no claim


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="staleness needs git")
def test_results_older_than_the_code_they_measure_are_stale():
    head = r._git("rev-parse", "HEAD")
    first = r._git("rev-list", "--max-parents=0", "HEAD").split()[0]
    assert r.stale_since("fraud", head) == ()
    assert r.stale_since("fraud", first), "every change to models/fraud since the first commit makes it stale"
    assert r.stale_since("fraud", "0" * 40) is None  # an unknown commit: freshness cannot be told


def test_pages_say_not_measured_yet_without_results(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOWCASE_RESULTS_DIR", str(tmp_path))
    at = open_app(PAGES["people"])
    assert_no_exception(at)
    card = " ".join(m.value for m in at.markdown if "Measured quality" in m.value)
    assert card.count(r.NOT_MEASURED) >= 3, card
    assert r.shown("people", "synthetic.supervised.auc", 2, folder=r.RESULTS) not in card


def test_a_failing_section_fails_the_page_check(monkeypatch):
    """The AppTest smoke check sees a section that failed inside ui.layout.guard (an error box, no exception)."""
    monkeypatch.setenv(FAULT_ENV, "*")
    at = open_app(PAGES["people"])
    assert not at.exception
    assert any("something went wrong" in e.value for e in at.error)
    with pytest.raises(AssertionError):
        assert_no_exception(at)


def test_load_and_app_writers_record_the_names_readme_reads(tmp_path, monkeypatch):
    """The long benchmarks' writers, fed made-up measurements, record every figure README asks for."""
    from benchmarks import bench_app, bench_load
    from ui.demos import DEMOS as DEMO_LIST

    monkeypatch.setenv("SHOWCASE_RESULTS_DIR", str(tmp_path))

    def load_round(n: int, paced: bool, wire: bool, run: int = 0) -> dict:
        design = bench_load.Round(n, paced=paced, wire=wire, run=run)
        return {
            "design": design,
            "n": n,
            "latencies": [0.1 * (k + run) for k in range(1, 30)],
            "errors": [],
            "browser_latencies": [0.5, 0.9 + run],
            "rss": 600 + 10 * n + run,
        }

    rounds = [load_round(25, True, True, k) for k in range(3)] + [
        load_round(25, True, False),
        load_round(40, True, True),
    ]
    wire = [load_round(n, True, True) for n in (5, 10, 25, 40)]
    stress = [load_round(n, False, False) for n in (1, 5, 10, 25)]
    by_design: dict[str, list[dict]] = {}
    for one in rounds:
        by_design.setdefault(one["design"].design, []).append(one)
    bench_load._record(by_design, 25, 40, stress, wire)
    pages = [p.name for p in bench_app.PAGES]
    measured = {
        "starts": [0.5, 0.6, 0.7],
        "rss_home": [89, 90, 91],
        "rss_all": [500, 510, 520],
        "peak": [700, 710, 720],
        "cold": {p: [1.0, 1.2, 1.4] for p in pages},
    }
    bench_app._record(measured, {p: [0.01, 0.02, 0.03] for p in pages}, 3)

    assert r.get("load", "paced25.p95_s").spread.n == 3
    assert r.get("app", "recs.rerun_ms").value == pytest.approx(20.0)
    assert len(DEMO_LIST) + 1 == len([n for n in r.read("app") if n.endswith(".first_visit_s")])
    table = readme.glance_table()
    for title in ("App", "Load"):
        row = next(line for line in table.splitlines() if line.startswith(f"| {title} |"))
        assert r.NOT_MEASURED not in row.split("|")[2], row
