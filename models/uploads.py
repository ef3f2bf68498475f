"""Reading a file a person brings (CSV or whitespace-separated), safely and with clear messages.

Only text tables are read: nothing uploaded is ever unpickled or `joblib.load`-ed.
Whole-file problems raise `InputError`; per-row problems are collected as `RowProblem`s
so the good rows can still be used.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from models.common import InputError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MB",
    "RowProblem",
    "read_bytes",
    "read_table",
    "require_columns",
    "numeric_column_problems",
    "whole_number_column",
    "date_column_problems",
    "MAX_ID",
    "problems_frame",
]

MB = 1000 * 1000
"""Sizes are decimal megabytes, as the browser's upload widget counts them (on most systems), so a limit,
the widget's own check and our message all agree."""
DEFAULT_MAX_BYTES = 20 * MB
"""20 MB: far above any demo's needs, far below what would stall a laptop at a stand."""


MAX_ID = 2**53 - 1
"""The largest id we accept: every whole number up to it survives a float (as CSV readers use) exactly,
so two ids can never merge (beyond 64 bits they would all become -9223372036854775808)."""
_WHOLE = re.compile(r"^[+-]?[0-9]+(\.0*)?$")  # ASCII digits only: other scripts' digits are refused alike
_TIME_ZONE = re.compile(r"\d:\d\d(:\d\d(\.\d+)?)?\s*(Z|UTC|GMT|[+-]\d\d(:?\d\d)?)$", re.IGNORECASE)


@dataclass(frozen=True)
class RowProblem:
    """One bad value: `row` is 1-based as a person counts data rows in a spreadsheet."""

    row: int
    column: str
    message: str


def _human_size(n: int) -> str:
    return f"{n / MB:.1f} MB".replace(".0 MB", " MB") if n >= MB else f"{n / 1000:.0f} KB"


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
            problems.append(RowProblem(int(idx) + 1, column, f"{values.iloc[idx]:g} is outside {low:g} to {high:g}"))
        out[column] = values.where(~outside)
    return out, problems


def whole_number_column(raw: pd.Series, column: str) -> tuple[pd.Series, list[RowProblem]]:
    """Ids as int64 (NaN where bad, so the column is float) and a problem per cell that is not a whole
    number written in ASCII digits between -MAX_ID and MAX_ID."""
    text = raw.fillna("").astype(str).str.strip()
    shaped = text.map(lambda t: bool(_WHOLE.match(t)))
    values = pd.to_numeric(text.where(shaped), errors="coerce")
    bad = ~shaped | values.isna() | (values.abs() > MAX_ID)
    problems = []
    for idx in np.flatnonzero(bad.to_numpy()):
        shown = text.iloc[idx]
        why = (
            "is missing"
            if not shown
            else (
                f"is beyond the largest id we accept ({MAX_ID:,})"
                if shaped.iloc[idx]
                else "is not a whole number (digits 0-9)"
            )
        )
        problems.append(RowProblem(int(idx) + 1, column, f"{shown[:40]!r} {why}" if shown else f"the value {why}"))
    return values.where(~bad), problems


def date_column_problems(raw: pd.Series, column: str) -> tuple[pd.Series, list[RowProblem]]:
    """Local date-times (no time zone, as the simulation's own) and a problem per cell that is not one."""
    text = raw.fillna("").astype(str).str.strip()
    zoned = text.map(lambda t: bool(_TIME_ZONE.search(t)))
    try:
        when = pd.to_datetime(text.where(~zoned & (text != "")), errors="coerce", format="mixed")
    except (ValueError, TypeError, OverflowError):  # one odd cell spoils the vectorised parse: go cell by cell
        when = pd.Series([_one_date(t) for t in text.where(~zoned, "")], index=raw.index, dtype="datetime64[ns]")
    if getattr(when.dt, "tz", None) is not None:
        when = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    problems = []
    for idx in np.flatnonzero((zoned | when.isna()).to_numpy()):
        shown = text.iloc[idx]
        why = (
            "has a time zone; give the local time without one, like 2018-08-10 14:05:00"
            if zoned.iloc[idx]
            else "is not a date"
        )
        problems.append(RowProblem(int(idx) + 1, column, f"{shown[:40]!r} {why}" if shown else "the value is missing"))
    return when.where(~zoned), problems


def _one_date(text: str) -> pd.Timestamp:
    if not text:
        return pd.NaT
    try:
        value = pd.Timestamp(text)
    except (ValueError, TypeError, OverflowError):
        return pd.NaT
    return pd.NaT if value.tzinfo is not None else value


def problems_frame(problems: Iterable[RowProblem]) -> pd.DataFrame:
    """Problems as a small table for a page or the CLI."""
    rows = [{"row": p.row, "column": p.column, "problem": p.message} for p in problems]
    return pd.DataFrame(rows, columns=["row", "column", "problem"])
