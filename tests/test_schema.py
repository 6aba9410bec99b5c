"""The data contract: schema checks, and the README's data dictionary against the code."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from etl import schema
from etl.paths import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
TYPE_NAMES = {"string": "string", "double": "float64", "int32": "int32", "int64": "int64", "date32[day]": "date32"}


def _readme_table(name: str) -> dict[str, str]:
    section = README.split(f"### `{name}.parquet`", 1)[1].split("\n### ", 1)[0]
    return dict(re.findall(r"^\| `(\w+)` \| (\w+) \|", section, re.M))


@pytest.mark.parametrize("name", list(schema.SCHEMAS))
def test_readme_documents_every_column_with_its_type(name):
    documented = _readme_table(name)
    expected = {f.name: TYPE_NAMES[str(f.type)] for f in schema.SCHEMAS[name]}
    assert documented == expected


@pytest.mark.parametrize("name", list(schema.SCHEMAS))
def test_column_docs_cover_the_schema(name):
    assert set(schema.COLUMN_DOCS[name]) == set(schema.SCHEMAS[name].names)


def test_readme_lists_every_region_code():
    for code, label in schema.REGIONS.items():
        assert f"| `{code}` | {label} |" in README


def _claim(**overrides) -> dict:
    row = dict(claim_id="a1", doc="x.txt", country="KAZ", country_name="Kazakhstan", indicator="gii_rank",
               category="ranking", value=48.0, as_written="48th", unit="rank", year=2024, year_basis="stated",
               comparator="=", rank_of=None, subject=None, quote="Kazakhstan ranked 48th.", quote_start=0,
               char_start=19, char_end=23, origin="extracted", claim_type="actual", counterpart=None)
    row.update(overrides)
    return row


def test_valid_claims_pass_and_keep_nullable_columns_null():
    table = schema.to_table(pd.DataFrame([_claim(), _claim(claim_id="b2", year=None, year_basis=None)]), "claims")
    assert table.num_rows == 2
    assert table.column("year").null_count == 1


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"category": "bogus"}, "category"),
        ({"comparator": ">="}, "comparator"),
        ({"year_basis": "guessed"}, "year_basis"),
        ({"origin": "magic"}, "origin"),
        ({"claim_type": "guess"}, "claim_type"),
        ({"claim_type": None}, "claim_type"),
        ({"value": float("inf")}, "non-finite"),
        ({"country": None}, "null"),
        ({"quote": None}, "null"),
    ],
)
def test_invalid_claims_are_refused_with_the_column_named(overrides, message):
    with pytest.raises(schema.SchemaError, match=message):
        schema.to_table(pd.DataFrame([_claim(**overrides)]), "claims")


def test_duplicate_ids_are_refused():
    with pytest.raises(schema.SchemaError, match="unique"):
        schema.to_table(pd.DataFrame([_claim(), _claim()]), "claims")


def test_missing_column_is_named():
    frame = pd.DataFrame([_claim()]).drop(columns=["unit"])
    with pytest.raises(schema.SchemaError, match="unit"):
        schema.to_table(frame, "claims")


def test_empty_frames_have_the_contract_columns():
    for name, contract in schema.SCHEMAS.items():
        assert list(schema.empty_frame(name).columns) == contract.names


@pytest.mark.parametrize("claim_type", schema.CLAIM_TYPES)
def test_every_claim_type_is_accepted(claim_type):
    assert schema.to_table(pd.DataFrame([_claim(claim_type=claim_type)]), "claims").num_rows == 1


@pytest.mark.parametrize("counterpart", [None, "JPN", "World Bank", "ADB"])
def test_counterpart_is_a_code_a_name_or_null(counterpart):
    table = schema.to_table(pd.DataFrame([_claim(counterpart=counterpart)]), "claims")
    assert table.column("counterpart").to_pylist() == [counterpart]


def test_a_signed_change_passes_the_contract():
    row = _claim(indicator="change_pct", category="other", value=-3.2, as_written="3.2%", unit="percent")
    assert schema.to_table(pd.DataFrame([row]), "claims").column("value").to_pylist() == [-3.2]
