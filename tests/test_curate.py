"""Curation stage: entries keyed by (doc, match, quote_contains) correct, drop and add claims."""

from __future__ import annotations

import pandas as pd
import pytest

from etl import schema
from etl.curate import COLUMNS, additions_for, apply_curations, locate, locate_additions, parse_curations
from etl.run import claims_frame, finalize_claims

DOC = "report.txt"
TEXT = (
    "Kazakhstan ranked 28th out of 193 countries. Internet use reached 92% in 2023.\n"
    "- In Uzbekistan, 92% of schools are online.\n"
    "Mobile coverage is 99% nationwide, e.g. in rural areas.\n"
)
HEADER = ",".join(COLUMNS) + "\n"


def _claim(as_written: str, country: str, indicator: str, category: str, value: float, unit: str,
           quote: str, nth: int = 0) -> dict:
    quote_start = TEXT.index(quote)
    start = quote_start + quote.index(as_written)
    return {
        "doc": DOC, "country": country, "country_name": country, "indicator": indicator,
        "category": category, "value": value, "as_written": as_written, "unit": unit, "year": None,
        "year_basis": None, "comparator": "=", "rank_of": None, "subject": None, "quote": quote,
        "quote_start": quote_start, "char_start": start, "char_end": start + len(as_written),
        "origin": "extracted", "claim_type": "actual", "counterpart": None,
    }


CLAIMS = claims_frame([
    _claim("28th", "KAZ", "egov_rank", "ranking", 28, "rank", "Kazakhstan ranked 28th out of 193 countries."),
    _claim("92%", "KAZ", "internet_users_pct", "penetration", 92, "percent",
           "Internet use reached 92% in 2023."),
    _claim("92%", "UZB", "schools_online_pct", "penetration", 92, "percent",
           "- In Uzbekistan, 92% of schools are online."),
])


def _curations(*rows: str) -> pd.DataFrame:
    frame, problems = parse_curations(HEADER + "".join(r + "\n" for r in rows))
    assert problems == []
    return frame


def _apply(*rows: str) -> tuple[pd.DataFrame, object]:
    curations = _curations(*rows)
    locations = locate_additions(TEXT, additions_for(curations, DOC))
    return apply_curations(CLAIMS, curations, locations)


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        # One occurrence picked out by quote_contains; only the named fields change.
        (f"correct,{DOC},92%,Internet use,,,,,,2023,,,,typo",
         {("KAZ", "internet_users_pct"): {"value": 92.0, "year": 2023, "year_basis": "stated",
                                          "origin": "corrected"},
          ("UZB", "schools_online_pct"): {"year": None, "origin": "extracted"}}),
        # Without quote_contains every claim with that figure is corrected; the country name follows.
        (f"correct,{DOC},92%,,TJK,,,,,,~,,,both",
         {("TJK", "internet_users_pct"): {"country_name": "Tajikistan", "comparator": "~",
                                          "origin": "corrected"},
          ("TJK", "schools_online_pct"): {"country_name": "Tajikistan", "origin": "corrected"}}),
        (f"correct,{DOC},28th,,,,,,,,,193,(none),rank of",
         {("KAZ", "egov_rank"): {"rank_of": 193, "subject": None, "origin": "corrected"}}),
    ],
)
def test_correct(entry: str, expected: dict) -> None:
    result, report = _apply(entry)
    assert report.unmatched == [] and report.problems == []
    by_key = {(r["country"], r["indicator"]): r for r in result.to_dict("records")}
    for key, fields in expected.items():
        for name, value in fields.items():
            got = by_key[key][name]
            assert (pd.isna(got) if value is None else got == value), (key, name, got)


@pytest.mark.parametrize(
    ("entry", "remaining"),
    [
        (f"drop,{DOC},92%,schools,,,,,,,,,,not a national figure", ["egov_rank", "internet_users_pct"]),
        (f"drop,{DOC},92%,,,,,,,,,,,", ["egov_rank"]),
    ],
)
def test_drop(entry: str, remaining: list[str]) -> None:
    result, report = _apply(entry)
    assert sorted(result["indicator"]) == remaining
    assert report.counts["dropped"] == 3 - len(remaining)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (f"correct,{DOC},93%,,,,,,,,,,,", f"line 2 (correct {DOC}, '93%') matched no claim"),
        ("drop,other.txt,92%,,,,,,,,,,,", "(drop other.txt, '92%') matched no claim"),
        (f"drop,{DOC},92%,Mobile,,,,,,,,,,", "near 'Mobile') matched no claim"),
        (f"add,{DOC},99%,Fixed lines,KAZ,mobile_coverage_pct,penetration,99,percent,,,,,",
         "'Fixed lines' is not in the document"),
        (f"add,{DOC},99%,92%,KAZ,mobile_coverage_pct,penetration,99,percent,,,,,",
         "occurs more than once"),
        (f"add,{DOC},98%,Mobile coverage,KAZ,mobile_coverage_pct,penetration,98,percent,,,,,",
         "'98%' is not in the sentence containing 'Mobile coverage'"),
        ("add,missing.txt,99%,Mobile coverage,KAZ,x,penetration,99,percent,,,,,",
         "missing.txt was not read"),
    ],
)
def test_unmatched_entries_are_reported_not_fatal(entry: str, message: str) -> None:
    result, report = _apply(entry)
    assert len(result) == len(CLAIMS)
    assert len(report.unmatched) == 1 and message in report.unmatched[0], report.unmatched


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (f"fix,{DOC},92%,,,,,,,,,,,", "action 'fix' is not one of correct, drop, add"),
        ("correct,,92%,,,,,,,,,,,", "doc and match are both needed"),
        (f"correct,{DOC},92%,,,,finance,,,,,,,", "category 'finance' is not one of"),
        (f"correct,{DOC},92%,,,,,lots,,,,,,", "value 'lots' is not a number"),
        (f"correct,{DOC},92%,,,,,,,20x3,,,,", "year '20x3' is not a whole number"),
        (f"correct,{DOC},92%,,XYZ,,,,,,,,,", "country 'XYZ' is not an ISO alpha-3"),
        (f"correct,{DOC},92%,,,Internet Users,,,,,,,,", "not a snake_case id"),
        (f"correct,{DOC},92%,,,,,(none),,,,,,", "value cannot be emptied"),
        (f"add,{DOC},99%,Mobile,KAZ,,penetration,99,percent,,,,,", "add needs indicator"),
    ],
)
def test_invalid_entries_are_reported(entry: str, problem: str) -> None:
    result, report = _apply(entry)
    assert result.equals(CLAIMS)
    assert len(report.problems) == 1 and problem in report.problems[0], report.problems


def test_add_locates_the_figure_in_its_sentence() -> None:
    result, report = _apply(
        f"add,{DOC},99%,Mobile coverage,KAZ,mobile_coverage_pct,penetration,99,percent,2024,,,,missed"
    )
    assert report.counts["added"] == 1 and report.unmatched == []
    added = result[result["origin"] == "added"].iloc[0]
    assert TEXT[added["char_start"] : added["char_end"]] == "99%"
    # A known limit: "e.g." ends the quote early; the figure itself is still placed exactly.
    assert added["quote"] == "Mobile coverage is 99% nationwide, e.g."
    assert TEXT[added["quote_start"] :].startswith(added["quote"])
    assert (added["year"], added["year_basis"], added["comparator"]) == (2024, "stated", "=")
    table = schema.to_table(finalize_claims(result), "claims")
    assert table.num_rows == 4


def test_add_of_an_already_extracted_claim_is_not_duplicated() -> None:
    result, report = _apply(f"add,{DOC},28th,ranked,KAZ,egov_rank,ranking,28,rank,,,,,")
    assert len(result) == len(CLAIMS)
    assert "already extracted" in report.applied[0]


@pytest.mark.parametrize(
    ("match", "quote_contains", "expected_quote"),
    [
        ("28th", "ranked 28th", "Kazakhstan ranked 28th out of 193 countries."),
        ("92%", "Internet use", "Internet use reached 92% in 2023."),
        ("92%", "schools", "- In Uzbekistan, 92% of schools are online."),
        ("193", "", "Kazakhstan ranked 28th out of 193 countries."),
    ],
)
def test_locate(match: str, quote_contains: str, expected_quote: str) -> None:
    where = locate(TEXT, match, quote_contains)
    assert isinstance(where, dict)
    assert where["quote"] == expected_quote
    assert TEXT[where["char_start"] : where["char_end"]] == match
    assert where["quote_start"] <= where["char_start"] < where["quote_start"] + len(expected_quote)


def test_parse_skips_comments_and_blank_lines_and_keeps_line_numbers() -> None:
    text = "# reviewed by A.\n" + HEADER + "\n# a comment\n" + f"drop,{DOC},92%,,,,,,,,,,,x\n"
    frame, problems = parse_curations(text)
    assert problems == [] and frame["line"].tolist() == [5]


def test_parse_without_key_columns_applies_nothing() -> None:
    frame, problems = parse_curations("doc,value\na.txt,1\n")
    assert frame.empty and "no action, match, quote_contains column(s)" in problems[0]


def test_apply_does_not_modify_its_input() -> None:
    before = CLAIMS.copy()
    _apply(f"correct,{DOC},92%,,TJK,,,,,,,,,", f"drop,{DOC},28th,,,,,,,,,,,")
    pd.testing.assert_frame_equal(CLAIMS, before)


def test_entries_apply_in_order() -> None:
    result, report = _apply(f"correct,{DOC},92%,schools,,,,,,,,,,", f"drop,{DOC},92%,schools,,,,,,,,,,")
    assert report.counts == {"corrected": 1, "dropped": 1, "added": 0}
    assert "schools_online_pct" not in set(result["indicator"])


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (f"correct,{DOC},92%,Internet use,,,,,,,,,,a goal,target,", {"claim_type": "target"}),
        (f"correct,{DOC},92%,Internet use,,,,,,,,,,lender,,World Bank", {"counterpart": "World Bank"}),
        (f"correct,{DOC},92%,Internet use,,,,-92,,,,,,a fall,,", {"value": -92.0}),
    ],
)
def test_correct_sets_claim_type_counterpart_and_sign(entry: str, expected: dict) -> None:
    result, report = _apply(entry)
    assert report.problems == [] and report.unmatched == []
    row = result[(result["country"] == "KAZ") & (result["indicator"] == "internet_users_pct")].iloc[0]
    for name, value in expected.items():
        assert row[name] == value


def test_invalid_claim_type_is_reported() -> None:
    result, report = _apply(f"correct,{DOC},92%,,,,,,,,,,,,guess,")
    assert result.equals(CLAIMS)
    assert len(report.problems) == 1 and "claim_type 'guess' is not one of" in report.problems[0]


def test_added_claim_defaults_to_actual_without_counterpart() -> None:
    result, _ = _apply(f"add,{DOC},99%,Mobile coverage,KAZ,mobile_coverage_pct,penetration,99,percent,,,,,,,")
    added = result[result["origin"] == "added"].iloc[0]
    assert added["claim_type"] == "actual" and pd.isna(added["counterpart"])
