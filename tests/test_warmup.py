"""The start-up warm-up: its readiness line tells the truth, a page waits for a demo being warmed and shows
progress, and the warm-up's steps are the pages' own defaults (a first visit after warm-up trains nothing)."""

from __future__ import annotations

import threading
import time

import pytest

from harness.server import open_app
from tests.conftest import assert_no_exception
from ui import warmup
from ui.demos import DEMOS


def fake_warm_up(statuses: dict[str, str]) -> warmup.WarmUp:
    """A warm-up whose demos are in the given states, each with two quick steps."""
    demos = {}
    for demo in DEMOS:
        steps = (warmup.Step("data", "reading the data", lambda: None), warmup.Step("model", "training", lambda: None))
        demos[demo.key] = warmup.DemoWarmth(demo.key, demo.title, steps, status=statuses.get(demo.key, "waiting"))
        demos[demo.key].started = demos[demo.key].step_started = time.monotonic()
    return warmup.WarmUp(demos)


@pytest.fixture
def installed():
    previous = warmup.current()
    yield lambda warm: warmup.install(warm)
    warmup.install(previous)


def test_readiness_text_counts_ready_demos_and_names_the_busy_one():
    warm = fake_warm_up({"recs": "ready", "people": "ready", "risk": "ready", "fraud": "warming"})
    assert warmup.readiness_text(warm).startswith("3 of 4 demos ready; now preparing Fraud detection in real time")
    warm.demos["fraud"].status = "ready"
    assert warmup.readiness_text(warm) is None
    assert warmup.readiness_text(None) is None  # no warm-up (plain `streamlit run`): say nothing
    failed = fake_warm_up({"recs": "failed", "people": "warming"})  # a failed demo is not counted as ready
    assert warmup.readiness_text(failed).startswith("0 of 4 demos ready")
    assert "Movie recommendations could not be prepared ahead" in warmup.readiness_text(failed)
    done = fake_warm_up({d.key: "ready" for d in DEMOS})
    done.demos["recs"].status = "failed"
    assert done.all_ready() and warmup.readiness_text(done) is None  # nothing left to wait for


def test_home_shows_the_readiness_line_until_every_demo_is_ready(installed):
    installed(fake_warm_up({"recs": "ready", "people": "warming"}))
    at = open_app()
    assert_no_exception(at)
    lines = [c.value for c in at.caption if "demos ready" in c.value]
    assert lines and "1 of 4 demos ready" in lines[0] and "People you may know" in lines[0]
    installed(fake_warm_up({d.key: "ready" for d in DEMOS}))
    at = open_app()
    assert not [c.value for c in at.caption if "demos ready" in c.value]


def test_progress_text_says_the_step_and_an_estimate_from_last_time():
    warm = fake_warm_up({"fraud": "warming"})
    warm.demos["fraud"].step = 1
    assert "training (step 2 of 2" in warm.progress_text("fraud")
    assert "left" not in warm.progress_text("fraud")  # no estimate without a measured last run
    warm.timings = {"fraud": {"data": 4.0, "model": 30.0}}
    assert "about 30 s left" in warm.progress_text("fraud")
    assert 0.1 < warm.share("fraud") < 0.2  # 4 of 34 seconds' worth done


def test_the_worker_runs_every_step_in_tour_order_and_times_them(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOWCASE_CACHE", str(tmp_path))
    order = []
    demos = {}
    for demo in DEMOS:
        steps = (warmup.Step("model", "training", lambda k=demo.key: order.append(k)),)
        panels = (warmup.Step("curve", "curve", lambda k=demo.key: order.append(f"{k} panels")),)
        demos[demo.key] = warmup.DemoWarmth(demo.key, demo.title, steps, panels)
    warm = warmup.WarmUp(demos, under_server=False)
    warm.start()
    warm.thread.join(timeout=60)
    keys = [d.key for d in DEMOS]
    assert order == keys + [f"{k} panels" for k in keys]  # every default model before any engineer's panel
    assert all(d.status == "ready" and d.panels_ready for d in warm.demos.values())
    assert warm.all_ready() and warm.finished is not None
    assert (tmp_path / warmup.TIMINGS_FILE).exists()


def test_a_page_opened_while_its_demo_warms_waits_then_draws(installed):
    warm = fake_warm_up({d.key: "ready" for d in DEMOS})
    warm.demos["people"].status = "warming"
    installed(warm)
    threading.Timer(1.5, lambda: setattr(warm.demos["people"], "status", "ready")).start()
    began = time.monotonic()
    at = open_app("pages/people.py")
    assert_no_exception(at)
    assert time.monotonic() - began >= 1.0  # it waited for the warm-up instead of racing it
    assert any("AUC, supervised" in m.label for m in at.metric)  # then the page drew as usual


def test_warm_steps_use_the_pages_defaults():
    """The warm-up's default keys are the ones the pages compute at their default settings."""
    from ui.loaders import fraud, people, risk

    config = fraud.default_config()
    assert config == fraud.SimulationConfig().validate()
    name, params = fraud.default_model()
    assert name == fraud.SETTINGS["fraud_model"] and dict(params)["max_iter"] == fraud.SETTINGS["fraud_rounds"]
    steps, panels = people.warm_steps()
    assert [s.id for s in steps][:2] == ["data", "model"] and panels
    assert risk.DEFAULT_TRAINING == "Pima.tr"


def test_after_the_warm_up_a_first_visit_trains_nothing(monkeypatch):
    """Run the people demo's warm-up steps, then forbid every graph build, fit and evaluation: the page's first
    view at its default settings (engineer's view included) must still draw without an error box."""
    import models.people as lp
    from ui.loaders import people

    steps, _ = people.warm_steps()
    for step in steps:
        step.run()

    def refuse(*args, **kwargs):
        raise AssertionError("the first view computed something the warm-up should have")

    for name in ("load_graph", "fit", "evaluate", "suggest", "learning_curve", "model_arena"):
        monkeypatch.setattr(lp, name, refuse)
    at = open_app("pages/people.py")
    assert_no_exception(at)
    assert any("AUC, supervised" in m.label for m in at.metric)
