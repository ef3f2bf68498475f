"""The cached loaders behind each demo, shared by its page and the start-up warm-up (`ui/warmup.py`).

A Streamlit cache is keyed by the function's module, name and source, so a value the warm-up computes
is the value the page finds only if both call the same function: the page scripts import these.
Each module also declares `warm_steps()`: its default data and model (first), then its engineer's-view
panels at default settings.
"""

from __future__ import annotations

from importlib import import_module

from ui.warmup import Step

__all__ = ["warm_steps"]

MODULES = {"recs": "recs", "people": "people", "risk": "risk", "fraud": "fraud"}


def warm_steps(key: str) -> tuple[list[Step], list[Step]]:
    """(model steps, engineer's-panel steps) for the demo `key`."""
    return import_module(f"ui.loaders.{MODULES[key]}").warm_steps()
