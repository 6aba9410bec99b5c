"""Years from the document's own context: headlines, earlier paragraphs, 'this year', fiscal years, counting back."""

from __future__ import annotations

import pytest

from etl.extract import extract_claims


def _years(text: str, reference_year: int | None = 2024) -> dict[str, int | None]:
    return {c.as_written: c.year for c in extract_claims(text, reference_year)}


@pytest.mark.parametrize(("text", "reference_year", "expected"), [
    # a headline's figure is a claim, and its year frames the body
    ("Kyrgyz mobile subs reached 6.7m at end-2013\n\nThe operator's revenue was KGS 2 billion.", 2014,
     {"6.7m": 2013, "KGS 2 billion": 2013}),
    # an earlier paragraph's year dates a later paragraph that states none
    ("In 2020 Uzbekistan approved its state programme.\n\nIt allocated $1.3 billion for digital projects.", 2020,
     {"$1.3 billion": 2020}),
    # "this year" earlier in the sentence, and "by the end of the year"
    ("This year alone, 134 new IT companies were registered in Uzbekistan.", 2022, {"134": 2022}),
    ("Exports are expected to exceed $100 million in Uzbekistan by the end of the year.", 2022,
     {"$100 million": 2022}),
    # a fiscal year is named by its first year
    ("Pakistan allocated Rs 6.3 billion for IT in the financial year 2022-23.", 2022, {"Rs 6.3 billion": 2022}),
    # counting back from the sentence's year dates the nearer figure only
    ("Kyrgyzstan ended 2013 with 6.7 million subscribers, up 20% from 5.6 million twelve months earlier.", 2014,
     {"6.7 million": 2013, "20%": 2013, "5.6 million": 2012}),
    # near misses
    ("Revenue in Tajikistan reached $98 million over the first six months of this year, 4.8 million USD more "
     "than in the same period last year.", 2018, {"$98 million": 2018, "4.8 million USD": 2018}),
    ("Kazakhstan plans 300 new base stations.", 2024, {"300": None}),  # a target states its own year or none
    ("Kazakhstan aims to connect 3,000 villages by 2027.", 2024, {"3,000": 2027}),
    ("Mobile subscriptions in Tajikistan reached 7.3 million.", None, {"7.3 million": None}),  # no date at all
])
def test_document_years(text: str, reference_year: int | None, expected: dict) -> None:
    found = _years(text, reference_year)
    assert {k: found.get(k, "missing") for k in expected} == expected


@pytest.mark.parametrize(("text", "written"), [
    ("## 5.1 Connectivity\n\nMobile coverage in Pakistan reached 90%.", "5.1"),
    ("# Pillar 2 - Infrastructure\n\nKazakhstan connected 1,200 villages.", "2"),
    ("TRANSITION TO 5G AND WAYS\n\nKazakhstan connected 1,200 villages.", "5"),
])
def test_section_headings_state_no_figure(text: str, written: str) -> None:
    assert written not in {c.as_written for c in extract_claims(text, 2024)}
