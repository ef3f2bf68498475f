"""Watch it learn: the trajectories (model), the command line, the animated figure and the page section."""

from __future__ import annotations

import json

import numpy as np
import pytest

import models.risk.data as data
from harness.server import open_app
from models.common import InputError
from models.risk import learn
from models.risk.__main__ import main
from models.risk.learn import LearnSettings, inner_split, network_trajectory, trajectory, tree_trajectory
from tests.conftest import assert_no_exception

FRAME_LIMIT = 200_000  # bytes of page data a frame may add (the bound)


@pytest.fixture(scope="module")
def patients():
    return data.load_training("Pima.tr")


@pytest.fixture(scope="module")
def network(patients):
    return network_trajectory(patients, LearnSettings())


@pytest.fixture(scope="module")
def tree(patients):
    return tree_trajectory(patients, LearnSettings())


def test_training_loss_falls_over_the_first_epochs(network):
    losses = [f.train_loss for f in network.frames[:10]]
    assert all(later < earlier for earlier, later in zip(losses, losses[1:], strict=False)), losses
    assert losses[-1] < losses[0] - 0.05


def test_tree_training_error_never_rises_as_it_grows(tree):
    errors = [f.train_error for f in tree.frames]
    assert all(later <= earlier for earlier, later in zip(errors, errors[1:], strict=False)), errors
    assert errors[-1] < errors[0]
    assert [f.step for f in tree.frames] == list(range(len(tree.frames)))  # one split per frame


def test_a_deep_tree_overfits_and_a_stump_does_not_grow(patients):
    deep = tree_trajectory(patients, LearnSettings(max_depth=12, min_samples_leaf=1))
    assert deep.frames[-1].train_error < 0.05  # it learns the training women almost by heart...
    assert deep.frames[-1].validation_error > min(f.validation_error for f in deep.frames)  # ...not the pattern
    stump = tree_trajectory(patients, LearnSettings(max_depth=1))
    assert [f.step for f in stump.frames] == [0, 1]
    assert "stopped growing" in stump.frames[-1].caption


def test_captions_say_what_the_model_just_did(network, tree):
    assert tree.frames[0].caption.startswith("Before any question")
    assert tree.frames[1].caption.startswith("Split 1: the tree asks 'glucose")
    assert "it now asks" in tree.frames[2].caption
    assert all(f.caption.startswith(f"Epoch {f.step}:") for f in network.frames)
    assert any("flags women with glucose above" in f.caption for f in network.frames)


def test_validation_comes_from_pima_tr_and_never_from_pima_te(monkeypatch, patients):
    real = data.load_pima

    def guarded(name: str = "Pima.tr"):
        if name == "Pima.te":
            raise AssertionError("Pima.te was read while watching the models learn")
        return real(name)

    monkeypatch.setattr(data, "load_pima", guarded)
    split = inner_split(patients, LearnSettings())
    assert len(split.train) + len(split.validation) == len(patients) == 200
    merged = split.train.merge(split.validation, how="inner", on=list(split.train.columns))
    assert merged.empty  # nobody is in both parts
    columns = list(split.validation.columns)
    from_training = split.validation.merge(patients[columns].drop_duplicates(), how="left", indicator=True)
    assert (from_training["_merge"] == "both").all()  # every held-out woman is a Pima.tr woman
    assert len(network_trajectory(patients, LearnSettings(epochs=5)).frames) == 5


def test_frames_are_compact_and_bounded(network, tree):
    for run in (network, tree):
        assert 1 < len(run.frames) <= learn.MAX_FRAMES
        for frame in run.frames:
            assert frame.risk.dtype == np.uint8 and frame.risk.shape == (100, 100)
            assert frame.risk.max() <= 100
        assert run.bytes_per_frame <= FRAME_LIMIT
    many = network_trajectory(data.load_training("Pima.tr"), LearnSettings(epochs=200))
    assert len(many.frames) == learn.MAX_FRAMES and many.frames[-1].step == 200


def test_same_seed_same_trajectory(patients):
    one, two = (trajectory("mlp", patients, LearnSettings(epochs=5)) for _ in range(2))
    assert [f.train_loss for f in one.frames] == [f.train_loss for f in two.frames]
    assert np.array_equal(one.frames[-1].risk, two.frames[-1].risk)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (LearnSettings(features=("glu", "glu")), "two different"),
        (LearnSettings(features=("glu", "height")), "unknown measurement"),
        (LearnSettings(activation="sine"), "unknown activation"),
        (LearnSettings(epochs=1000), "epochs"),
        (LearnSettings(learning_rate=5.0), "learning rate"),
    ],
)
def test_bad_settings_are_named(patients, settings, message):
    with pytest.raises(InputError, match=message):
        network_trajectory(patients, settings)


def test_cli_json_shows_loss_falling_and_tree_error_never_rising(capsys):
    assert main(["learn", "--features", "glu,bmi", "--family", "mlp", "--epochs", "10", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    losses = [s["train_loss"] for s in out["steps"]]
    assert [s["epoch"] for s in out["steps"]] == list(range(1, 11))
    assert losses[-1] < losses[0]
    assert {"validation_loss", "train_error", "validation_error", "caption"} <= set(out["steps"][0])
    assert main(["learn", "--family", "tree", "--json"]) == 0
    errors = [s["train_error"] for s in json.loads(capsys.readouterr().out)["steps"]]
    assert all(b <= a for a, b in zip(errors, errors[1:], strict=False))


def test_cli_table_and_bad_flags(capsys):
    assert main(["learn", "--family", "tree", "--max-depth", "2"]) == 0
    out = capsys.readouterr().out
    assert "split" in out and "validation_error" in out and "Pima.te unused" in out
    assert main(["learn", "--features", "glu"]) == 2
    assert "two different measurements" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["learn", "--family", "forest"])
    assert exit_.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_figure_animates_every_frame_within_the_page_data_bound(network, tree, patients):
    import ui.theme  # noqa: F401  (the shared template)
    from ui.watch_learn import frame_payload_bytes, learning_figure

    split = inner_split(patients, LearnSettings())
    for run in (network, tree):
        fig = learning_figure(run, split)
        assert len(fig.frames) == len(run.frames)
        assert fig.layout.updatemenus[0].buttons[0].label == "▶ Play"
        assert len(fig.layout.sliders[0].steps) == len(run.frames)
        sizes = frame_payload_bytes(fig)
        assert max(sizes) < FRAME_LIMIT
        first, last = fig.frames[0], fig.frames[-1]
        assert first.data[0].z != last.data[0].z  # the picture changes from the first frame to the last
        assert first.layout.annotations[0].text != last.layout.annotations[0].text  # and so does the caption


def test_section_renders_on_the_page_when_opened():
    at = open_app("pages/risk.py", query={"risk_learn": "true"})
    assert_no_exception(at)
    charts = [c for c in at.get("plotly_chart") if "risk_learn" in str(getattr(c, "proto", ""))] or at.get(
        "plotly_chart"
    )
    assert charts
    assert any("held-out error lowest" in c.value for c in at.caption)
    assert any(r"\leftarrow" in latex.value for latex in at.latex)
    assert any("def network_trajectory" in code.value for code in at.code)
    at.slider(key="risk_learn_depth").set_value(2).run()
    assert_no_exception(at)
    assert any("Decision tree: training error" in c.value for c in at.caption)


def _section_alone() -> None:
    import ui.theme  # noqa: F401
    from ui.watch_learn import watch_learn_section

    watch_learn_section()


def test_section_alone_opens_plays_back_and_reacts_to_its_controls():
    """The component on its own (fast on a busy machine); the page-level test above covers its place in the page."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_section_alone, default_timeout=180)
    at.run()
    assert_no_exception(at)
    assert not at.get("plotly_chart")  # folded: nothing computed
    at = AppTest.from_function(_section_alone, default_timeout=180)
    at.query_params["risk_learn"] = "true"
    at.run()
    assert_no_exception(at)
    assert len(at.get("plotly_chart")) == 2
    assert any("Decision tree: training error" in c.value for c in at.caption)
    assert any(r"\leftarrow" in latex.value for latex in at.latex)
    at.slider(key="risk_learn_depth").set_value(1).run()
    assert_no_exception(at)
    assert any("→ 25 %" in c.value and c.value.startswith("Decision tree") for c in at.caption), [
        c.value for c in at.caption
    ]
    at.selectbox(key="risk_learn_y").set_value("glu").run()
    assert any("two different measurements" in w.value for w in at.warning)
