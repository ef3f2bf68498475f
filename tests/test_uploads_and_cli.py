"""Shared model-side plumbing: reading a person's file, and the CLI's error contract."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from models.cli import add_json_flag, emit, make_parser, parse_key_value, run_cli
from models.common import InputError
from models.uploads import numeric_column_problems, problems_frame, read_table, require_columns


def test_reads_csv_as_text_columns():
    frame = read_table(b"a,b\n1,x\n2,y\n")
    assert list(frame.columns) == ["a", "b"]
    assert frame["a"].tolist() == ["1", "2"]


def test_reads_whitespace_separated_when_allowed():
    frame = read_table(b"1 2\n2 3\n", header=False, whitespace_ok=True)
    assert frame.shape == (2, 2)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"a,b\n", "no data rows"),
        (b"\xff\xfe\x00\x01binary", "not UTF-8"),
        (b"a,b\n1,\x002\n", "binary"),
    ],
)
def test_rejects_bad_files_with_a_named_problem(payload, message):
    with pytest.raises(InputError, match=message):
        read_table(payload)


def test_rejects_files_over_the_size_cap():
    with pytest.raises(InputError, match="limit"):
        read_table(io.BytesIO(b"a\n" + b"1\n" * 1000), max_bytes=100)


def test_missing_columns_are_named():
    with pytest.raises(InputError, match="missing columns userId, rating"):
        require_columns(pd.DataFrame({"movieId": ["1"]}), ["userId", "movieId", "rating"])


def test_numeric_problems_are_reported_per_cell_and_good_cells_survive():
    frame = pd.DataFrame({"age": ["30", "-4", "abc", ""], "bmi": ["22", "500", "31", "40"]})
    clean, problems = numeric_column_problems(frame, {"age": (0, 120), "bmi": (10, 80)})
    report = problems_frame(problems)
    assert set(map(tuple, report[["row", "column"]].to_numpy())) == {(2, "age"), (3, "age"), (2, "bmi")}
    assert clean["age"].tolist()[0] == 30 and pd.isna(clean["age"].tolist()[1])
    assert "not a number" in report.loc[report["row"].eq(3), "problem"].iloc[0]


def test_key_value_parsing():
    assert parse_key_value("260=5") == ("260", 5.0)
    with pytest.raises(InputError, match="KEY=VALUE"):
        parse_key_value("260")
    with pytest.raises(InputError, match="not a valid number"):
        parse_key_value("260=five")


def _parser():
    parser = make_parser("demo", "a demo")
    sub = parser.add_subparsers()
    ok = sub.add_parser("ok")
    add_json_flag(ok)
    ok.set_defaults(handler=lambda args: emit({"auc": 0.9}, args.json))
    bad = sub.add_parser("bad")
    bad.set_defaults(handler=lambda args: (_ for _ in ()).throw(InputError("no such user: 99999")))
    return parser


def test_cli_prints_json(capsys):
    assert run_cli(_parser(), ["ok", "--json"]) == 0
    assert '"auc": 0.9' in capsys.readouterr().out


def test_cli_prints_a_table(capsys):
    assert run_cli(_parser(), ["ok"]) == 0
    out = capsys.readouterr().out
    assert "auc" in out and "0.9" in out


def test_cli_bad_input_is_one_line_and_exit_2(capsys):
    assert run_cli(_parser(), ["bad"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "demo: error: no such user: 99999"
    assert "Traceback" not in err


def test_cli_usage_error_is_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        run_cli(_parser(), ["nope"])
    assert exit_info.value.code == 2
