"""The one disk cache (`models.disk_cache`): read back, rebuilt when damaged or made by older code; atomic writes."""

from __future__ import annotations

import sys
import textwrap

import pandas as pd
import pytest

from models import disk_cache as dc
from models.common import atomic_write


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOWCASE_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A throw-away package whose source we can edit, with a cached function that counts its calls."""
    root = tmp_path / "src"
    (root / "toy_model").mkdir(parents=True)
    (root / "toy_model" / "__init__.py").write_text("")
    (root / "toy_model" / "maths.py").write_text("FACTOR = 2\n")
    (root / "toy_model" / "views.py").write_text(
        textwrap.dedent(
            """
            import pandas as pd
            from models.disk_cache import disk_cache
            from toy_model import maths

            CALLS = []

            @disk_cache("toy_model")
            def curve(n: int) -> pd.DataFrame:
                CALLS.append(n)
                return pd.DataFrame({"x": range(n), "y": [maths.FACTOR * i for i in range(n)]})
            """
        )
    )
    monkeypatch.syspath_prepend(str(root))
    yield root
    for name in [m for m in sys.modules if m.startswith("toy_model")]:
        del sys.modules[name]
    dc.code_version.cache_clear()


def _views():
    import toy_model.views

    return toy_model.views


def test_a_result_is_read_back_not_recomputed(cache, package):
    views = _views()
    assert not views.curve.ready(4)
    first = views.curve(4)
    assert views.curve.ready(4) and not views.curve.ready(5)
    again = views.curve(4)
    assert views.CALLS == [4]
    pd.testing.assert_frame_equal(first, again)


def test_a_damaged_entry_is_recomputed_and_trusted_again(cache, package, caplog):
    views = _views()
    views.curve(4)
    outputs = list(cache.rglob("output.pkl"))
    assert len(outputs) == 1
    outputs[0].write_bytes(b"\x00\xff not a pickle")
    rebuilt = views.curve(4)
    assert "Exception while loading results" in caplog.text  # joblib logs it, then computes the entry again
    assert views.CALLS == [4, 4]
    assert list(rebuilt["y"]) == [0, 2, 4, 6]
    views.curve(4)
    assert views.CALLS == [4, 4]


def test_an_edit_anywhere_in_the_package_starts_a_fresh_folder(cache, package):
    views = _views()
    views.curve(3)
    (package / "toy_model" / "maths.py").write_text("FACTOR = 3\n")  # not the cached function's own code
    import importlib

    importlib.reload(sys.modules["toy_model.maths"])
    dc.code_version.cache_clear()
    assert not views.curve.ready(3)
    assert list(views.curve(3)["y"]) == [0, 3, 6]
    assert len(list((cache / "derived").iterdir())) == 1  # the older code's folder is gone


def test_a_write_killed_midway_leaves_the_old_file_whole(tmp_path):
    target = tmp_path / "table.csv"
    target.write_text("a\n1\n")

    def dies_midway(tmp):
        tmp.write_text("a\n2\n3")  # half of the new content...
        raise KeyboardInterrupt  # ...then the process is interrupted

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, dies_midway)
    assert target.read_text() == "a\n1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.csv"]  # no temporary file left behind


def test_the_fraud_bank_is_kept_for_the_default_settings_only(cache, monkeypatch):
    from models.fraud import data
    from models.fraud.simulator import SimulationConfig

    calls = []
    small = pd.DataFrame({"TX_DATETIME": pd.to_datetime(["2018-04-01"] * 3), "TX_TIME_DAYS": [0, 1, 2]})
    monkeypatch.setattr(data, "add_features", lambda frame: calls.append(1) or small)
    monkeypatch.setattr(data, "simulate", lambda config, seed: small)
    monkeypatch.setattr(data, "keep_days_for_split", lambda frame: frame)
    data.load_bank()
    data.load_bank()
    assert len(calls) == 1 and data.default_bank.ready()
    data.load_bank(SimulationConfig(n_customers=600))  # a visitor's bank is never written to disk
    data.load_bank(SimulationConfig(n_customers=600))
    assert len(calls) == 3
