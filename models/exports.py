"""Every CSV this project hands out (a page's download, a CLI's `--out`) goes through here.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a formula by
Excel, LibreOffice and Google Sheets when the file is opened, so an uploaded cell like
`=cmd|' /C calc'!A0` written back unchanged attacks whoever opens the export. Following OWASP's
"CSV Injection" guidance, such text cells (and column names) get a leading single quote, which
spreadsheets show as text; numbers are left as numbers, so `-3.5` in a numeric column stays a number.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from models.common import InputError, atomic_write

__all__ = ["FORMULA_PREFIXES", "neutralise_formulas", "csv_text", "write_csv"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""OWASP's list, plus the full-width forms some spreadsheets also accept as formula starts."""


def _neutral(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells and column names can no longer start a spreadsheet formula."""
    out = frame.copy()
    for column in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[column]) or pd.api.types.is_datetime64_any_dtype(out[column])):
            out[column] = out[column].map(_neutral)
    out.columns = [_neutral(str(c)) for c in out.columns]
    return out


def csv_text(frame: pd.DataFrame) -> str:
    """The frame as CSV text that is safe to open in a spreadsheet (for a download button)."""
    return neutralise_formulas(frame).to_csv(index=False)


def write_csv(frame: pd.DataFrame, path: str | Path) -> None:
    """Write `csv_text(frame)` to `path` atomically; an unwritable path is the person's `InputError`."""
    path = Path(path)
    if not path.parent.is_dir():
        raise InputError(f"cannot write {path}: the folder {path.parent} does not exist")
    if path.is_dir():
        raise InputError(f"cannot write {path}: it is a folder")
    safe = neutralise_formulas(frame)
    try:
        atomic_write(path, lambda tmp: safe.to_csv(tmp, index=False))
    except OSError as err:
        raise InputError(f"cannot write {path}: {err.strerror or err}") from None
