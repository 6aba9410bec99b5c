"""CSV export: formula cells neutralised, numbers stay numbers, exactly the rows given."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from cadi import query
from cadi.export import to_csv_bytes, to_parquet_bytes
from tests.fixtures import FORMULA_QUOTE, claims_frame, indicators_frame, sources_frame


def read_back(payload: bytes) -> list[dict[str, str]]:
    assert payload.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    return list(csv.DictReader(io.StringIO(payload.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "+1"),
        ("-5", "-5"),  # a number as written: a spreadsheet reads a value, nothing runs
        ("-28", "-28"),
        ("+5.3%", "+5.3%"),
        ("=", "="),  # the comparator
        ("-", "-"),
        ("-5+cmd", "'-5+cmd"),  # near misses: a formula after all
        ("-A1", "'-A1"),
        ("=-5", "'=-5"),
        ("+ 1", "'+ 1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=1", "a=1"),
        ("plain text", "plain text"),
        ("", ""),
    ],
)
def test_formula_cells_get_a_quote(cell, written):
    rows = read_back(to_csv_bytes(pd.DataFrame({"text": [cell]})))
    assert rows[0]["text"] == written


def test_numbers_stay_numbers():
    frame = pd.DataFrame(
        {
            "value": [-5.5, 1e9],
            "year": pd.array([2023, None], dtype="Int32"),
            "n": [-1, 2],
            "ok": [True, False],
        }
    )
    text = to_csv_bytes(frame).decode("utf-8-sig")
    assert "-5.5" in text and "'-" not in text
    assert text.split("\r\n")[1].startswith("-5.5,2023,-1,True")


def test_categorical_and_null_text_columns():
    frame = pd.DataFrame({"c": pd.Categorical(["=x", "y", None])})
    rows = read_back(to_csv_bytes(frame))
    assert [r["c"] for r in rows] == ["'=x", "y", ""]


def test_export_of_explorer_rows_is_exactly_those_rows():
    claims = claims_frame()
    labels = dict(zip(indicators_frame()["id"], indicators_frame()["label"], strict=True))
    table = query.explorer_table(claims, sources_frame(claims), labels)
    shown = table[query.search_mask(table, "kyrgyzstan")]
    rows = read_back(to_csv_bytes(shown))
    assert len(rows) == len(shown) > 0
    assert list(rows[0]) == list(shown.columns)
    assert {r["claim_id"] for r in rows} == set(shown["claim_id"])
    formula = next(r for r in rows if "HYPERLINK" in r["quote"])
    assert formula["quote"] == "'" + FORMULA_QUOTE
    script = next(r for r in rows if "<script>" in r["quote"])
    assert script["quote"].startswith("The forum page embedded <script>")  # text, untouched
    assert all(r["doc"] and r["title"] for r in rows)
    assert float(formula["value"]) == 45.0


def test_input_frame_is_not_modified():
    frame = pd.DataFrame({"text": ["=danger"]})
    to_csv_bytes(frame)
    assert frame.loc[0, "text"] == "=danger"


def test_parquet_keeps_values_and_types():
    frame = pd.DataFrame({"as_written": ["=", "-28", "=1+1"], "value": [1.5, -28.0, 2.0],
                          "year": pd.array([2023, None, 2021], dtype="Int32"), "url": [None, "https://x.org", None]})
    back = pd.read_parquet(io.BytesIO(to_parquet_bytes(frame)))
    assert back["as_written"].tolist() == ["=", "-28", "=1+1"]
    assert back["value"].tolist() == [1.5, -28.0, 2.0]
    assert back["year"].isna().tolist() == [False, True, False]
