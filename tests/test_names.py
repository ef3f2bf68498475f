"""One name per demo: its model package, page, sections, loaders, tests, benchmark and widget keys share it."""

from __future__ import annotations

import re

import pytest

from harness.server import ROOT
from ui.demos import DEMOS

KEY = re.compile(r"""\bkey=f?["']([^"'{]+)""")


@pytest.mark.parametrize("demo", DEMOS, ids=lambda d: d.key)
def test_every_part_of_a_demo_carries_its_name(demo):
    name = demo.key
    expected = [
        ROOT / "models" / name / "__main__.py",  # python -m models.<name>
        ROOT / demo.path,
        ROOT / "ui" / "sections" / f"{name}.py",
        ROOT / "ui" / "loaders" / f"{name}.py",
        ROOT / "benchmarks" / f"bench_{name}.py",
    ]
    assert [path.relative_to(ROOT) for path in expected if not path.exists()] == []
    assert list((ROOT / "tests").glob(f"test_{name}*.py")), f"no tests/test_{name}*.py"


@pytest.mark.parametrize("demo", DEMOS, ids=lambda d: d.key)
def test_every_widget_key_of_a_demo_starts_with_its_name(demo):
    """Keys are also the query-parameter names of scenario links, so this keeps bookmarks readable too."""
    sources = [ROOT / demo.path, ROOT / "ui" / "sections" / f"{demo.key}.py"]
    keys = [key for path in sources for key in KEY.findall(path.read_text())]
    assert keys, f"no widget keys found for {demo.key}"
    # a key equal to the name is the prefix a shared component (the engineer's view) builds its own keys from
    assert [key for key in keys if key != demo.key and not key.startswith(f"{demo.key}_")] == []
