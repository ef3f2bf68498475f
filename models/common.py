"""Small types and helpers that every model module shares.

Kept free of Streamlit so the page, the command line and the tests call the same code.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

__all__ = [
    "DEFAULT_SEED",
    "InputError",
    "atomic_write",
    "Formula",
    "ModelCardInfo",
    "cache_dir",
    "start_tied_process",
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


def cache_dir() -> Path:
    """Git-ignored folder for derived files; rebuilt whenever missing."""
    root = Path(os.environ.get("SHOWCASE_CACHE", Path(__file__).resolve().parent.parent / "data" / "cache"))
    root.mkdir(parents=True, exist_ok=True)
    return root


def atomic_write(path: str | Path, write: Callable[[Path], object]) -> None:
    """Call `write(temporary_path)`, then rename the result onto `path` in one step (`os.replace`).

    A reader never sees half a file, a kill mid-write leaves the old file (or none), and two
    processes writing the same file both leave a whole one. The temporary file sits in the same folder,
    since a rename across file systems is not atomic; it is removed if `write` fails.
    """
    path = Path(path)
    partial = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        write(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _die_with_parent() -> None:  # runs in the child between fork and exec
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the child's own parent watch still applies
        pass


def start_tied_process(command: list[str], *, cwd: str | Path | None = None) -> Any:
    """Start a background child that the kernel stops when this process dies, even by SIGKILL.

    Linux sends PR_SET_PDEATHSIG when the *thread* that started the child ends, so the child is started
    from a daemon thread that then waits for it: that thread lives exactly as long as the child or the
    process. Returns the `subprocess.Popen` (its `returncode` is set once it has finished).
    """
    import subprocess

    started: list[Any] = []
    ready = threading.Event()

    def launch() -> None:
        try:
            started.append(
                subprocess.Popen(
                    command,
                    cwd=cwd,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    preexec_fn=_die_with_parent if os.name == "posix" else None,
                )
            )
        except OSError as err:
            started.append(err)
        ready.set()
        if isinstance(started[0], subprocess.Popen):
            started[0].wait()

    threading.Thread(target=launch, name="tied-process", daemon=True).start()
    ready.wait()
    if isinstance(started[0], OSError):
        raise started[0]
    return started[0]
