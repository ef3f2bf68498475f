"""What a visitor or a file brings is shown as text and exported without formulas (issue 17)."""

from __future__ import annotations

import string
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from models.exports import csv_text, neutralise_formulas, write_csv
from ui.plain import plain_text

ROOT = Path(__file__).resolve().parent.parent
MARKDOWN_ACTIVE = set(string.punctuation)
INJECTION = (
    "x\n\n# Heading\n![pixel](http://attacker.example/p.png) [click](http://attacker.example) <b>bold</b> :red[red]"
)


def unescaped_punctuation(text: str) -> list[str]:
    """ASCII punctuation in `text` that Markdown could act on (not preceded by a backslash escape)."""
    found, i = [], 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] in MARKDOWN_ACTIVE:
            found.append(text[i])
        i += 1
    return found


def test_plain_text_escapes_every_markdown_construct_and_folds_lines():
    shown = plain_text(INJECTION, 500)
    assert "\n" not in shown and "\r" not in shown
    assert unescaped_punctuation(shown) == []
    assert shown.replace("\\", "") == " ".join(INJECTION.split())  # the same characters, now literal


def test_plain_text_is_length_limited_and_drops_invisible_characters():
    assert len(plain_text("a" * 5000, 80)) == 80 and plain_text("a" * 5000, 80).endswith("…")
    assert plain_text("safe\u202eevil\u200b!") == "safe evil \\!"


def _page_with_bound_widget() -> None:
    import streamlit as st

    from ui.scenario import report_ignored_links, watch_links

    asked = watch_links()
    slot = st.empty()
    st.slider("Factors", 0, 10, 5, key="demo_factors", bind="query-params")
    report_ignored_links(asked, slot)


def test_a_crafted_link_cannot_write_markdown_into_the_notice():
    at = AppTest.from_function(_page_with_bound_widget)
    at.query_params["demo_factors"] = INJECTION
    at.run()
    assert not at.exception
    notice = at.warning[0].value
    assert "\n" not in notice
    own = {",", ";", ".", "'"}  # the notice's own sentence: "…, which this page can't use; …."
    assert set(unescaped_punctuation(notice)) <= own, notice
    assert "attacker" in notice  # still named, as text
    assert len(notice) < 200


def test_an_input_error_quoting_a_file_is_shown_as_text():
    def page() -> None:
        from models.common import InputError
        from ui.layout import guard

        with guard("reading"):
            raise InputError("the file is missing column rating; found ![x](http://attacker.example/p.png)\n# h")

    at = AppTest.from_function(page).run()
    assert not at.exception
    assert unescaped_punctuation(at.warning[0].value) == []


HOSTILE_CELLS = ["=cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "+1+1", "-2+3", "\t=1", "\r=1", "＝1"]


def test_exports_neutralise_every_formula_prefix_and_keep_numbers():
    frame = pd.DataFrame({"note": HOSTILE_CELLS, "amount": [-3.5] * len(HOSTILE_CELLS)})
    frame['=HYPERLINK("http://x")'] = "plain"
    safe = neutralise_formulas(frame)
    assert all(cell.startswith("'") for cell in safe["note"])
    assert safe["amount"].tolist() == [-3.5] * len(HOSTILE_CELLS)  # numbers stay numbers
    assert all(not str(c).startswith(("=", "+", "-", "@")) for c in safe.columns)
    assert "\n=cmd" not in csv_text(frame) and "'=cmd" in csv_text(frame)


def test_disease_risk_score_out_neutralises_uploaded_cells(tmp_path):
    from models.risk import FEATURES, load_test

    rows = load_test().head(3)[list(FEATURES)]
    rows.insert(0, "patient", ["=cmd|' /C calc'!A0", "@SUM(1+1)", "Ann"])
    source, out = tmp_path / "patients.csv", tmp_path / "risks.csv"
    rows.to_csv(source, index=False)
    done = subprocess.run(
        [sys.executable, "-m", "models.risk", "score", str(source), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    written = pd.read_csv(out, dtype=str)
    assert written["patient"].tolist() == ["'=cmd|' /C calc'!A0", "'@SUM(1+1)", "Ann"]


def test_write_csv_into_a_missing_folder_is_one_sentence(tmp_path):
    from models.common import InputError

    with pytest.raises(InputError, match="does not exist"):
        write_csv(pd.DataFrame({"a": [1]}), tmp_path / "missing" / "out.csv")


def test_a_very_long_change_address_gets_a_message_not_a_crash():
    from harness.server import open_app

    at = open_app()
    at.text_input(key="phone_url").set_value("http://" + "a" * 3000 + ".example:8501").run()
    assert not at.exception
    assert any("characters long" in e.value for e in at.error)
    assert at.image  # the QR code of the previous address is still there
    assert at.text_input(key="phone_url")  # and so is the control


def test_upload_limits_are_decimal_megabytes_in_the_widget_the_check_and_the_message():
    from models.common import InputError
    from models.uploads import MB, read_bytes

    read_bytes(b"a" * (2 * MB), max_bytes=2 * MB)  # exactly the limit the widget allows
    with pytest.raises(InputError, match="2 MB limit"):
        read_bytes(b"a" * (2 * MB + 1), max_bytes=2 * MB)
    for demo in ("recs", "people", "risk", "fraud"):  # the limit sits in the page, its sections or its loaders
        source = "\n".join(
            (ROOT / folder / f"{demo}.py").read_text() for folder in ("pages", "ui/sections", "ui/loaders")
        )
        definitions = [line for line in source.splitlines() if line.startswith("UPLOAD_LIMIT = ")]
        assert definitions, f"{demo}: no UPLOAD_LIMIT found"
        assert all("1024" not in line for line in definitions), (demo, definitions)


def test_a_bad_link_value_is_named_once_on_a_page():
    """The page names its own widgets' values; the app's final report must not repeat them."""
    from harness.server import open_app

    at = open_app("pages/risk.py", query={"risk_data": "zzz", "risk_calibration": "x"})
    assert not at.exception
    notices = [w.value for w in at.warning if "This link asked for" in w.value]
    assert len(notices) == 1, notices
