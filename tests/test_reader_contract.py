"""One reader contract, tried with hostile input (issue 17).

Every file reader either returns good data (with a problem per bad cell where it reads row by row)
or raises `InputError`; every CLI exits 0 or 2 with no traceback. Hypothesis feeds random and
adversarial bytes, numbers (inf, nan, huge, beyond 64 bits, negative, other scripts' digits),
time-zoned dates and odd shapes; anything else escaping is a failure.
"""

from __future__ import annotations

import contextlib
import io
import math
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.common import InputError
from models.uploads import MAX_ID, RowProblem, read_table

FAST = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CLI = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ODD_NUMBERS = [
    "inf",
    "-inf",
    "nan",
    "NaN",
    "1e308",
    "1e400",
    "-1",
    "-0",
    "0",
    "1.5",
    "1e3",
    "99999999999999999999999",
    "18446744073709551617",
    "9223372036854775808",
    str(MAX_ID),
    str(MAX_ID + 1),
    "٣",
    "٤٢",
    "²",
    "¹²",
    "１２",
    "1_000",
    "0x10",
    " 7 ",
    "",
    " ",
    "+3",
    "--3",
    "1,5",
    "١٠",
    "Ⅻ",
]
ODD_DATES = [
    "2018-04-01 10:00:00",
    "2018-06-09 23:59:59",
    "2018-08-10 14:05:00+02:00",
    "2018-08-10T14:05:00Z",
    "2018-08-10 14:05 UTC",
    "2018-09-30 23:00",
    "2018-10-01 00:00",
    "2019-01-01",
    "1e308",
    "9999-12-31",
    "0001-01-01",
    "2018-02-30",
    "yesterday",
    "",
    "1533916800",
]
ODD_TEXT = ["=cmd|' /C calc'!A0", "@SUM(1)", "\x00", "\ufeff", "a\rb", '"', '""', "'", ",", ";", "\t", "#", "é"]

cells = st.one_of(
    st.sampled_from(ODD_NUMBERS + ODD_DATES + ODD_TEXT),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=0, max_value=60).map(str),
    st.text(max_size=12),
)
GOOD = {  # a plausible value per column, so that most rows get past the first check to the deeper ones
    "rating": st.sampled_from(["0.5", "1", "3.5", "5"]),
    "year": st.integers(1900, 2020).map(str),
    "TX_DATETIME": st.sampled_from(["2018-04-02 10:00:00", "2018-08-10 14:05:00", "2018-09-29 23:59"]),
    "TX_AMOUNT": st.sampled_from(["1", "35.5", "480"]),
    "title": st.sampled_from(["Alien (1979)", "x"]),
    "genres": st.sampled_from(["Drama", "Action|Sci-Fi"]),
    "glu": st.sampled_from(["90", "150"]),
    "bp": st.sampled_from(["70"]),
    "skin": st.sampled_from(["29"]),
    "bmi": st.sampled_from(["32.5"]),
    "ped": st.sampled_from(["0.4"]),
    "age": st.sampled_from(["30", "50"]),
    "npreg": st.sampled_from(["0", "2"]),
}
separators = st.sampled_from([",", " ", "\t", ";", ", ", "  "])


@st.composite
def tables(draw, columns: list[str]) -> bytes:
    """A CSV-like file: maybe the right header (shuffled, partial or extra columns), odd cells, ragged rows."""
    header = draw(st.lists(st.sampled_from([*columns, "extra", "", "=x"]), min_size=0, max_size=len(columns) + 2))
    if draw(st.booleans()):
        header = list(columns)
    sep = draw(separators)
    lines = [sep.join(header)] if header or draw(st.booleans()) else []
    for _ in range(draw(st.integers(0, 8))):
        width = len(columns) if draw(st.integers(0, 4)) else draw(st.integers(0, len(columns) + 2))  # mostly whole
        names = [*columns, *["extra"] * 2]
        row = [
            draw(GOOD.get(names[k], st.integers(0, 20).map(str)) if draw(st.integers(0, 5)) else cells)
            for k in range(width)
        ]
        lines.append((sep if draw(st.integers(0, 5)) else draw(separators)).join(row))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return ending.join(lines).encode(draw(st.sampled_from(["utf-8", "utf-8-sig"])), errors="replace")


any_bytes = st.one_of(st.binary(max_size=400), st.text(max_size=200).map(lambda t: t.encode("utf-8", "replace")))


def _contract(call):
    """Run a reader: its result, or None when it raised InputError with one sentence."""
    try:
        return call()
    except InputError as err:
        message = str(err)
        assert message and "\n" not in message and "Traceback" not in message
        return None


def _problems_ok(problems: list[RowProblem]) -> None:
    for problem in problems:
        assert isinstance(problem.row, int) and problem.row >= 1 and problem.message


# ---------------------------------------------------------------------------------------------- readers
@FAST
@given(any_bytes)
def test_read_table_on_any_bytes(data):
    frame = _contract(lambda: read_table(data, whitespace_ok=True))
    assert frame is None or len(frame) >= 1


@FAST
@given(st.one_of(any_bytes, tables(["userId", "movieId", "rating", "timestamp"])))
def test_ratings_reader(data):
    from models.recs.data import RATING_SCALE, load_ratings_file

    frame = _contract(lambda: load_ratings_file(data))
    if frame is not None:
        assert frame["userId"].dtype == np.int64 and frame["movieId"].dtype == np.int64
        assert frame[["userId", "movieId"]].abs().max().max() <= MAX_ID
        assert frame["rating"].between(*RATING_SCALE).all()
        assert not frame.duplicated(["userId", "movieId"]).any()


@FAST
@given(st.one_of(any_bytes, tables(["movieId", "title", "year", "genres"])))
def test_movies_reader(data):
    from models.recs.data import catalogue, load_movies_file

    movies = _contract(lambda: load_movies_file(data))
    if movies is not None:
        ratings = pd.DataFrame({"userId": 1, "movieId": movies["movieId"], "rating": 4.0})
        catalogue(ratings, movies)  # a film year of 1e308 used to overflow here


@FAST
@given(st.one_of(any_bytes, tables(["a", "b"])))
def test_edge_list_reader(data):
    from models.people.network import read_edge_list

    result = _contract(lambda: read_edge_list(data))
    if result is not None:
        graph, _ = result
        assert graph.number_of_edges() >= 10
        assert all(isinstance(v, int) and abs(v) <= MAX_ID for v in graph.nodes)


@pytest.fixture(scope="module")
def risk_model():
    from models.risk import default_config, load_training, train

    return train(load_training(), default_config("logistic"), 42)


@FAST
@given(data=st.one_of(any_bytes, tables(["npreg", "glu", "bp", "skin", "bmi", "ped", "age"])))
def test_patient_file_reader(risk_model, data):
    from models.risk import score_batch

    result = _contract(lambda: score_batch(risk_model, data))
    if result is not None:
        scored, problems = result
        _problems_ok(problems)
        risks = scored.loc[scored["status"] == "scored", "risk %"]
        assert risks.between(0, 100).all()
        assert len(scored) == len(read_table(data))


FRAUD_START, FRAUD_END = pd.Timestamp("2018-04-01"), pd.Timestamp("2018-10-01")


@FAST
@given(st.one_of(any_bytes, tables(["TX_DATETIME", "CUSTOMER_ID", "TERMINAL_ID", "TX_AMOUNT"])))
def test_payments_reader(data):
    from models.fraud.explain import read_upload

    result = _contract(lambda: read_upload(data, 100, 200, FRAUD_START, FRAUD_END))
    if result is not None:
        good, problems = result
        _problems_ok(problems)
        assert good["CUSTOMER_ID"].between(0, 99).all() and good["TERMINAL_ID"].between(0, 199).all()
        assert good["TX_AMOUNT"].map(math.isfinite).all()
        assert ((good["TX_DATETIME"] >= FRAUD_START) & (good["TX_DATETIME"] < FRAUD_END)).all()
        assert not set(good["row"]) & {p.row for p in problems}  # a row is either scored or explained


def test_time_zones_are_named_per_cell_and_the_good_rows_kept():
    from models.fraud.explain import read_upload

    data = (
        b"TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT\n2018-08-10 14:05:00+02:00,1,2,30\n"
        b"2018-04-02 10:00:00,1,2,30\n2018-06-09 10:00:00,3,4,5\n2018-09-30 23:00:00,3,4,5\n2018-10-01 00:01,3,4,5\n"
    )
    good, problems = read_upload(data, 100, 200, FRAUD_START, FRAUD_END)
    assert good["row"].tolist() == [2, 3, 4]  # early April and early June are inside the simulated period
    assert [(p.row, "time zone" in p.message or "outside" in p.message) for p in problems] == [(1, True), (5, True)]


@pytest.mark.parametrize("text", ["٣", "²", "99999999999999999999", "inf", "nan", "1e308"])
def test_every_reader_reads_odd_digits_the_same_way(text):
    """Other scripts' digits, superscripts and numbers beyond the id limit: refused alike everywhere."""
    from models.fraud.explain import read_upload
    from models.people.network import read_edge_list
    from models.recs.data import load_ratings_file

    edges = "\n".join(f"{i} {i + 1}" for i in range(12)) + f"\n{text} 3\n"
    with pytest.raises(InputError, match="whole number"):
        read_edge_list(edges.encode())
    with pytest.raises(InputError, match="whole number|beyond"):
        load_ratings_file(f"userId,movieId,rating\n1,2,4\n{text},3,4\n2,2,3\n".encode())
    _, problems = read_upload(
        f"TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT\n2018-08-10 10:00,{text},1,5\n".encode(),
        100,
        200,
        FRAUD_START,
        FRAUD_END,
    )
    assert [p.column for p in problems] == ["CUSTOMER_ID"]


# ---------------------------------------------------------------------------------------------- command lines
def _run(main, argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(argv)
        except SystemExit as exit_:  # argparse's usage errors
            code = exit_.code
    return int(code or 0), err.getvalue()


def _assert_cli_contract(main, argv: list[str], *, ok: set[int] = frozenset({0})) -> None:
    code, err = _run(main, argv)
    assert "Traceback" not in err
    assert code in {*ok, 2}, (argv, code, err)
    if code == 2:
        assert err.strip() and len(err.strip().splitlines()) <= 3, err  # a usage line and one sentence at most


flag_values = st.one_of(
    st.sampled_from(ODD_NUMBERS + ["x", "1=nan", "1=inf", "=", "1=", "=5", "-5"]),
    st.integers(-(10**22), 10**22).map(str),
    st.integers(-3, 30).map(str),
    st.text(max_size=8),
)


@pytest.fixture(scope="module")
def small_files(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("cli")
    rng = np.random.default_rng(0)
    rows = [(u, m, float(rng.integers(1, 11)) / 2) for u in range(30) for m in range(25) if (u + m) % 3]
    ratings = root / "ratings.csv"
    pd.DataFrame(rows, columns=["userId", "movieId", "rating"]).to_csv(ratings, index=False)
    return {"ratings": ratings}


@CLI
@given(flag=st.sampled_from(["--seed", "-n", "--min-ratings", "--user", "--rate", "--param"]), value=flag_values)
def test_recommender_cli(small_files, flag, value):
    from models.recs.__main__ import main

    base = ["recommend", "--ratings", str(small_files["ratings"]), "--algo", "baseline"]
    who = [] if flag in ("--user", "--rate") else ["--rate", "1=4"]
    _assert_cli_contract(main, [*base, *who, flag, value])


@CLI
@given(flag=st.sampled_from(["--movie", "-n", "--seed"]), value=flag_values)
def test_recommender_similar_cli(small_files, flag, value):
    from models.recs.__main__ import main

    movie = [] if flag == "--movie" else ["--movie", "1"]
    _assert_cli_contract(
        main,
        [
            "similar",
            "--ratings",
            str(small_files["ratings"]),
            "--algo",
            "item_knn",
            *movie,
            "--min-ratings",
            "0",
            flag,
            value,
        ],
    )


def test_similar_returns_exactly_n_or_refuses(small_files):
    from models.recs.__main__ import main

    assert _run(main, ["similar", "--ratings", str(small_files["ratings"]), "--movie", "1", "-n", "-5"])[0] == 2
    assert _run(main, ["recommend", "--ratings", str(small_files["ratings"]), "--rate", "1=nan"])[0] == 2


@CLI
@given(flag=st.sampled_from(["--person", "-n", "--seed", "--holdout", "--negatives", "--people"]), value=flag_values)
def test_link_prediction_cli(flag, value):
    from models.people.__main__ import main

    person = [] if flag == "--person" else ["--person", "1"]
    _assert_cli_contract(main, ["suggest", "--graph", "karate", "--by", "adamic_adar", *person, flag, value])


@CLI
@given(data=st.one_of(any_bytes, tables(["a", "b"])))
def test_link_prediction_cli_reads_any_edge_file(data):
    from models.people.__main__ import main

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "edges.txt"
        path.write_bytes(data)
        _assert_cli_contract(main, ["suggest", "--graph", str(path), "--by", "adamic_adar", "--person", "1"])


@CLI
@given(flag=st.sampled_from(["--glu", "--bp", "--bmi", "--age", "--ped", "--threshold", "--seed"]), value=flag_values)
def test_disease_risk_predict_cli(flag, value):
    from models.risk.__main__ import main

    base = ["predict", "--model", "logistic"] + ([] if flag == "--glu" else ["--glu", "150"])
    _assert_cli_contract(main, [*base, flag, value])


@CLI
@given(data=st.one_of(any_bytes, tables(["npreg", "glu", "bp", "skin", "bmi", "ped", "age"])))
def test_disease_risk_score_cli(data):
    from models.risk.__main__ import main

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "patients.csv"
        path.write_bytes(data)
        _assert_cli_contract(
            main, ["score", str(path), "--model", "logistic", "--out", str(Path(folder) / "o.csv")], ok={0, 1}
        )  # 1: the file was read, but no row could be scored


@CLI
@given(
    flag=st.sampled_from(["--customers", "--terminals", "--days", "--fraud-multiplier", "--scenarios", "--seed"]),
    value=st.one_of(
        st.sampled_from(ODD_NUMBERS + ["x", "1,4", "0", "1,,3", "3,2"]),
        st.integers(-(10**22), 50).map(str),
        st.text(max_size=6),
    ),
)
def test_fraud_simulate_cli(flag, value):
    from models.fraud.__main__ import main

    small = {"--customers": "100", "--terminals": "100", "--days": "60"}
    base = [x for k, v in small.items() if k != flag for x in (k, v)]
    with tempfile.TemporaryDirectory() as folder:
        _assert_cli_contract(main, ["simulate", *base, flag, value, "--out", str(Path(folder) / "bank.csv")])


@CLI
@given(flag=st.sampled_from(["--threshold", "--customers", "--days", "--seed", "--model"]), value=flag_values)
def test_fraud_score_flags_are_checked_before_any_work(flag, value):
    """`score` and `evaluate` train on the whole bank; their flags are checked while parsing."""
    from models.fraud.__main__ import build_parser

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        try:
            args = build_parser().parse_args(["score", "payments.csv", flag, value])
        except SystemExit as exit_:
            assert exit_.code == 2 and "Traceback" not in err.getvalue()
            return
    if flag == "--threshold":
        assert 0 <= args.threshold <= 1
    if flag == "--seed":
        assert 0 <= args.seed < 2**32


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["simulate", "--scenarios", "x", "--out", "o.csv"], "scenarios"),
        (["simulate", "--seed", "-1", "--out", "o.csv"], "seed"),
        (["simulate", "--customers", "100", "--days", "60", "--out", "/no/such/folder/o.csv"], "does not exist"),
        (["score", "p.csv", "--threshold", "1.5"], "threshold"),
    ],
)
def test_fraud_cli_names_the_bad_flag(argv, message):
    from models.fraud.__main__ import main

    code, err = _run(main, argv)
    assert code == 2 and message in err and "Traceback" not in err


@pytest.mark.parametrize("year", ["1e308", "inf", "-5", "99999"])
def test_a_film_year_out_of_range_is_named(year):
    from models.recs.data import load_movies_file

    with pytest.raises(InputError, match="row 2, year"):
        load_movies_file(f"movieId,title,year\n1,Alien,1979\n2,Odd,{year}\n".encode())
