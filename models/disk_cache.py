"""One disk cache for derived data: `joblib.Memory` under `cache_dir()`, in a folder per code version.

What it keeps: the simulated bank, the cross-validated selections, and the engineer's-view tables at default
settings, so a restarted server does not recompute them. joblib keys each call by its arguments, writes
atomically (a reader never sees half a file), recomputes an entry it cannot read, and drops a function's
entries when that function's own code changes. The work a cached function delegates to lives in a model
package; `depends_on` names it, and a hash of its sources names the folder, so an edit anywhere in the
package starts a fresh folder (older ones are removed). Only our own results are ever loaded from here;
nothing a visitor uploads is unpickled.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, ParamSpec, TypeVar

import joblib

from models.common import cache_dir

__all__ = ["DiskCached", "code_version", "disk_cache"]

P = ParamSpec("P")
R = TypeVar("R")


@functools.cache
def code_version(*modules: str) -> str:
    """A short hash of the Python sources of `modules` (a package counts with every file under it)."""
    digest = hashlib.sha1()
    for name in modules:
        origin = Path(importlib.import_module(name).__file__)
        files = sorted(origin.parent.rglob("*.py")) if origin.name == "__init__.py" else [origin]
        for path in files:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _folder(modules: tuple[str, ...]) -> Path:
    root = cache_dir() / "derived"
    stem = "+".join(m.replace(".", "_") for m in modules)
    current = root / f"{stem}-{code_version(*modules)}"
    if not current.exists():  # first use of this code version: what older code made is never read again
        for stale in root.glob(f"{stem}-*"):
            shutil.rmtree(stale, ignore_errors=True)
    return current


@functools.lru_cache(maxsize=64)
def _memorized(function: Callable[..., Any], folder: str) -> Any:
    return joblib.Memory(folder, verbose=0).cache(function)


class DiskCached(Generic[P, R]):
    """`function` with its results kept on disk; call it as the function, ask `.ready(...)` before a slow call."""

    def __init__(self, function: Callable[P, R], depends_on: tuple[str, ...]) -> None:
        self.function = function
        self.depends_on = depends_on
        functools.update_wrapper(self, function)

    def _memory_function(self) -> Any:
        return _memorized(self.function, str(_folder(self.depends_on)))  # cache_dir() may move (tests, env)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        return self._memory_function()(*args, **kwargs)

    def ready(self, *args: P.args, **kwargs: P.kwargs) -> bool:
        """Whether this call would be answered from disk, without computing."""
        return bool(self._memory_function().check_call_in_cache(*args, **kwargs))


def disk_cache(*depends_on: str) -> Callable[[Callable[P, R]], DiskCached[P, R]]:
    """Decorator: keep a module-level function's results on disk, keyed by its (small, plain) arguments and by
    the code of `depends_on` (module or package names, e.g. "models.fraud")."""

    def decorate(function: Callable[P, R]) -> DiskCached[P, R]:
        return DiskCached(function, depends_on)

    return decorate
