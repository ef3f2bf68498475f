"""The shared command-line shell of every model module.

Each module builds an `argparse` parser with subcommands and hands it to `run_cli`.
Results are printed as a readable table, or JSON with `--json`; an `InputError`
becomes one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from models.common import InputError

__all__ = ["make_parser", "run_cli", "emit", "add_json_flag", "parse_key_value", "whole", "number", "SEED"]

Handler = Callable[[argparse.Namespace], Any]


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in the same one-line, exit-2 form as ours."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


_WHOLE = re.compile(r"^[+-]?[0-9]+$")
_NUMBER = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$")


def _range_text(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f" from {low:,g} to {high:,g}" if isinstance(low, float) else f" from {low:,} to {high:,}"
    if low is not None:
        return f" of at least {low:,}"
    return ""


def whole(low: int | None = None, high: int | None = None) -> Callable[[str], int]:
    """An argparse `type`: a whole number in ASCII digits within [low, high], or a one-line usage error."""

    def parse(text: str) -> int:
        if not _WHOLE.match(text.strip()):
            raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a whole number (digits 0-9)")
        value = int(text)
        if (low is not None and value < low) or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"{text[:40]} is not a whole number{_range_text(low, high)}")
        return value

    parse.__name__ = "whole number"
    return parse


def number(low: float | None = None, high: float | None = None) -> Callable[[str], float]:
    """An argparse `type`: a finite decimal number within [low, high] (no nan, inf or other scripts' digits)."""

    def parse(text: str) -> float:
        if not _NUMBER.match(text.strip()) or not math.isfinite(float(text)):
            raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a number (like 0.5 or 12)")
        value = float(text)
        if (low is not None and value < low) or (high is not None and value > high):
            raise argparse.ArgumentTypeError(
                f"{text[:40]} is outside{_range_text(float(low), float(high))}"
                if low is not None and high is not None
                else f"{text[:40]} must be at least {low:g}"
            )
        return value

    parse.__name__ = "number"
    return parse


SEED = whole(0, 2**32 - 1)
"""Random seeds: numpy and scikit-learn take 0 to 2**32 - 1."""


def make_parser(prog: str, description: str) -> argparse.ArgumentParser:
    return _Parser(prog=prog, description=description)


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")


def parse_key_value(text: str, *, value_type: Callable[[str], Any] = float) -> tuple[str, Any]:
    """Parse `KEY=VALUE` (e.g. `--rate 260=5`) with a message that names the mistake."""
    key, sep, value = text.partition("=")
    if not sep or not key or not value:
        raise InputError(f"expected KEY=VALUE, got {text[:60]!r}")
    if value_type is float:
        if not _NUMBER.match(value.strip()) or not math.isfinite(float(value)):
            raise InputError(f"{value[:40]!r} in {text[:60]!r} is not a valid number")
        return key.strip(), float(value)
    try:
        return key.strip(), value_type(value.strip())
    except (ValueError, OverflowError):
        raise InputError(f"{value[:40]!r} in {text[:60]!r} is not a valid number") from None


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, pd.DataFrame):
        return [_jsonable(r) for r in obj.to_dict(orient="records")]
    if isinstance(obj, pd.Series):
        return _jsonable(obj.to_dict())
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if hasattr(obj, "item"):  # numpy scalars
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def emit(result: Any, as_json: bool, *, title: str | None = None) -> None:
    """Print a frame, a dict of metrics or a list of records for a person or a program."""
    if as_json:
        print(json.dumps(_jsonable(result), indent=2))
        return
    if title:
        print(title)
    if isinstance(result, dict) and all(not isinstance(v, (dict, list, pd.DataFrame)) for v in result.values()):
        result = pd.DataFrame({"metric": list(result), "value": list(result.values())})
    if isinstance(result, dict):
        for key, value in result.items():
            emit(value, False, title=f"\n{key}")
        return
    if isinstance(result, list):
        result = pd.DataFrame(result)
    if isinstance(result, pd.DataFrame):
        with pd.option_context("display.width", 120, "display.max_columns", 20, "display.max_colwidth", 40):
            print(result.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    else:
        print(result)


def run_cli(parser: argparse.ArgumentParser, argv: Sequence[str] | None = None) -> int:
    """Parse, dispatch to the subcommand's `handler` default, and map errors to exit 2."""
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        outcome = handler(args)
    except InputError as err:
        sys.stderr.write(f"{parser.prog}: error: {err}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    return int(outcome or 0)
