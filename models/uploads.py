"""Reading a file a person brings (CSV or whitespace-separated), safely and with clear messages.

Only text tables are read: nothing uploaded is ever unpickled or `joblib.load`-ed.
Whole-file problems raise `InputError`; per-row problems are collected as `RowProblem`s
so the good rows can still be used.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from models.common import InputError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "RowProblem",
    "read_bytes",
    "read_table",
    "require_columns",
    "numeric_column_problems",
    "problems_frame",
]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
"""20 MB: far above any demo's needs, far below what would stall a laptop at a stand."""


@dataclass(frozen=True)
class RowProblem:
    """One bad value: `row` is 1-based as a person counts data rows in a spreadsheet."""

    row: int
    column: str
    message: str


def _human_size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def read_bytes(source: str | Path | bytes | io.IOBase, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Bytes of a path, an upload (file-like) or raw bytes, refusing anything over `max_bytes`."""
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source)
    elif isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise InputError(f"no such file: {path}")
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(f"{path.name} is {_human_size(size)}; the limit is {_human_size(max_bytes)}")
        data = path.read_bytes()
    else:
        data = source.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(f"the file is larger than the {_human_size(max_bytes)} limit")
    if not data.strip():
        raise InputError("the file is empty")
    return data


def read_table(
    source: str | Path | bytes | io.IOBase,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    header: bool | None = True,
    whitespace_ok: bool = False,
) -> pd.DataFrame:
    """Parse a CSV (or, if `whitespace_ok`, a whitespace-separated table) as strings.

    Everything is read as text so that type problems can be reported per cell later.
    """
    data = read_bytes(source, max_bytes=max_bytes)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("the file is not UTF-8 text (is it a spreadsheet or a binary file?)") from None
    if "\x00" in text:
        raise InputError("the file contains binary data, not a text table")
    first = next((line for line in text.splitlines() if line.strip()), "")
    sep = "," if ("," in first or not whitespace_ok) else r"\s+"
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            header=0 if header else None,
            dtype=str,
            skip_blank_lines=True,
            engine="python" if sep != "," else "c",
            comment="#" if whitespace_ok else None,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as err:
        raise InputError(f"could not read the file as a table: {str(err).splitlines()[0]}") from None
    if frame.empty:
        raise InputError("the file has a header but no data rows")
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def require_columns(frame: pd.DataFrame, required: Iterable[str], *, what: str = "file") -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError(
            f"the {what} is missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
            f"found {', '.join(map(str, frame.columns)) or 'none'}"
        )


def numeric_column_problems(
    frame: pd.DataFrame,
    ranges: Mapping[str, tuple[float, float]],
) -> tuple[pd.DataFrame, list[RowProblem]]:
    """Convert columns to numbers and report each non-numeric or out-of-range cell.

    Returns the converted frame (bad cells become NaN) and the list of problems.
    """
    out = frame.copy()
    problems: list[RowProblem] = []
    for column, (low, high) in ranges.items():
        if column not in out.columns:
            continue
        raw = out[column]
        values = pd.to_numeric(raw, errors="coerce")
        blank = raw.isna() | (raw.astype(str).str.strip() == "")
        not_number = values.isna() & ~blank
        outside = values.notna() & ((values < low) | (values > high) | ~np.isfinite(values))
        for idx in np.flatnonzero(not_number.to_numpy()):
            problems.append(RowProblem(int(idx) + 1, column, f"{raw.iloc[idx]!r} is not a number"))
        for idx in np.flatnonzero(outside.to_numpy()):
            problems.append(
                RowProblem(int(idx) + 1, column, f"{values.iloc[idx]:g} is outside {low:g} to {high:g}")
            )
        out[column] = values.where(~outside)
    return out, problems


def problems_frame(problems: Iterable[RowProblem]) -> pd.DataFrame:
    """Problems as a small table for a page or the CLI."""
    rows = [{"row": p.row, "column": p.column, "problem": p.message} for p in problems]
    return pd.DataFrame(rows, columns=["row", "column", "problem"])
