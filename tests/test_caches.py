"""Every Streamlit cache keyed by something a visitor can change is bounded: a day at a stand, with
hundreds of visitors trying settings, must not grow the server's memory without limit."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*ROOT.glob("pages/*.py"), *ROOT.glob("ui/**/*.py")])


def cached_functions(path: Path) -> list[tuple[str, ast.Call | ast.Attribute, ast.FunctionDef]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if isinstance(target, ast.Attribute) and target.attr in {"cache_data", "cache_resource"}:
                found.append((node.name, decorator, node))
    return found


def test_the_pages_use_streamlit_caches():
    assert sum(len(cached_functions(p)) for p in SOURCES) >= 20  # the check below would pass vacuously


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_cache_with_parameters_has_max_entries(path):
    unbounded = []
    for name, decorator, function in cached_functions(path):
        takes_arguments = bool(function.args.args or function.args.kwonlyargs)
        keywords = {k.arg for k in decorator.keywords} if isinstance(decorator, ast.Call) else set()
        if takes_arguments and "max_entries" not in keywords:
            unbounded.append(name)
    assert not unbounded, f"{path.name}: caches without max_entries: {unbounded}"
