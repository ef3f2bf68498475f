"""Small types and helpers that every model module shares.

Kept free of Streamlit so the page, the command line and the tests call the same code.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

__all__ = [
    "DEFAULT_SEED",
    "InputError",
    "Formula",
    "ModelCardInfo",
    "Stopwatch",
    "cache_dir",
    "call_quietly",
    "disk_cached_table",
    "stopwatch",
    "table_cache_path",
]

log = logging.getLogger(__name__)

DEFAULT_SEED = 42
"""One seed for every demo, so a figure in the README is the figure a visitor sees."""


class InputError(ValueError):
    """Bad input from a person (a file, a URL value, a CLI flag).

    Its message is shown as is: one sentence that names the problem and, where it
    helps, what would be accepted. The CLI turns it into exit status 2.
    """


class Formula(NamedTuple):
    """A model's defining formula, for the engineer's view."""

    name: str
    latex: str
    plain_words: str
    reference: str


@dataclass(frozen=True)
class ModelCardInfo:
    """What a model card says (Mitchell et al., "Model Cards for Model Reporting", 2019)."""

    model: str
    data: str
    intended_use: str
    metrics: dict[str, str] = field(default_factory=dict)
    limitations: tuple[str, ...] = ()
    provenance: str = ""


@dataclass
class Stopwatch:
    seconds: float = 0.0


@contextmanager
def stopwatch() -> Iterator[Stopwatch]:
    """Time a block: `with stopwatch() as sw: ...; sw.seconds`."""
    watch = Stopwatch()
    start = time.perf_counter()
    try:
        yield watch
    finally:
        watch.seconds = time.perf_counter() - start


def cache_dir() -> Path:
    """Git-ignored folder for derived files; rebuilt whenever missing."""
    root = Path(os.environ.get("SHOWCASE_CACHE", Path(__file__).resolve().parent.parent / "data" / "cache"))
    root.mkdir(parents=True, exist_ok=True)
    return root


def table_cache_path(prefix: str, key: object) -> Path:
    """Where a derived table keyed by `key` (anything with a stable repr) lives under cache_dir()."""
    digest = hashlib.sha1(repr(key).encode()).hexdigest()[:12]
    return cache_dir() / f"{prefix}_{digest}.csv"


def disk_cached_table(prefix: str, key: object, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """A small derived table (learning curve, arena, slices) kept as CSV, so a fresh server does not
    recompute it; recomputed when missing or unreadable, written atomically so two processes can race."""
    path = table_cache_path(prefix, key)
    try:
        return pd.read_csv(path)
    except (OSError, ValueError) as err:
        if path.exists():
            log.warning("rebuilding unreadable %s: %s", path, err)
    frame = compute()
    partial = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        frame.to_csv(partial, index=False)
        os.replace(partial, path)
    except OSError as err:
        log.warning("could not write %s: %s", path, err)
    return frame


def call_quietly(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run a library call whose progress printing we do not want on stdout."""
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):
        return fn(*args, **kwargs)
