"""Years a sentence states for its figures, ranges, and years that belong to names."""

from __future__ import annotations

import pytest

from etl.extract import extract_claims
from etl.years import find_years, paren_year, states_present_stock


def _years(text: str) -> list[tuple[int, int | None]]:
    return [(y.year, y.first) for y in find_years(text, 0, len(text))]


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("Coverage reached 70% (2025).", [(2025, None)]),
        ("Coverage reached 70% in 2022.", [(2022, None)]),
        ("By 2023, penetration had reached 78%.", [(2023, None)]),
        ("Since 2020 the portal has grown.", [(2020, None)]),
        ("Mongolia rose from 60th to 45th between 2019 and 2023.", [(2023, 2019)]),
        ("Users grew from 2018 to 2022.", [(2022, 2018)]),
        ("The Digital Nation Strategy (2022–2027) sets targets.", [(2027, 2022)]),
        ("The plan for 2025-30 was adopted.", [(2030, 2025)]),
        ("In 2021 the fund invested $5M, and in 2022 another $7M.", [(2021, None), (2022, None)]),
        ("The survey of June 2024 found 81% online.", [(2024, None)]),
        ("At the end of 1998 there were 3 providers.", [(1998, None)]),
        # years that belong to a name, and numbers that are not years
        ("Digital Kazakhstan 2025 drove investment.", []),
        ("The CAIGF-2022 report was published.", []),
        ("Mongolia's Telecom Law 2022 took effect.", []),
        ("The platform has 2,019 active users.", []),
        ("Tariffs fell by 2020% in error.", []),
        ("A budget of $2023 was spent.", []),
        ("Coverage reached 49.7 per cent.", []),
        ("The code 1234 is not a year.", []),
    ],
)
def test_find_years(text: str, years: list[tuple[int, int | None]]) -> None:
    assert _years(text) == years


def test_year_offsets() -> None:
    text = "Uptake rose between 2019 and 2023 in Georgia."
    (year,) = find_years(text, 0, len(text))
    assert text[year.start:year.end] == "between 2019 and 2023"


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("70% (2025)", 2025),
        ("70% ( 2025 )", 2025),
        ("70% (in 2021)", 2021),
        ("70% (as of 2024)", 2024),
        ("70% in 2025", None),
        ("70% (57th)", None),
        ("70% (2025 target)", None),
        ("70% (Note 2)", None),
    ],
)
def test_paren_year(text: str, year: int | None) -> None:
    assert paren_year(text, text.index("%") + 1) == year


@pytest.mark.parametrize(("clause", "expected"), [
    ("Kyrgyzstan has 4.6 million subscribers", True),
    ("the operator now counts 1,200 base stations", True),
    ("there are 3 million users", True),
    ("в стране насчитывается 5 млн абонентов", True),
    ("only 21% of women use mobile internet", True),
    ("roughly 40 per cent of rural schools lack a connection", True),
    ("some 65% of the traffic passes through Kazakhstan", True),
    ("интернетом пользуются 8 млн человек", True),
    # near misses: events, not stocks
    ("the operator reported 4.6 million subscribers", False),
    ("Kazakhstan has invested $500 million", False),
    ("there were 3 million users", False),
    ("the network will have 2,000 km", False),
    ("число абонентов составило 5 млн", False),
    ("21% of women used mobile internet", False),
    ("40% of schools will lack a connection", False),
    ("интернетом пользовались 8 млн человек", False),
])
def test_present_stock(clause: str, expected: bool) -> None:
    assert states_present_stock(clause) is expected


@pytest.mark.parametrize(("text", "written", "year", "basis"), [
    ("Kyrgyzstan has 4.6 million mobile subscribers.", "4.6 million", 2024, "inferred"),
    ("Kyrgyzstan reported 4.6 million mobile subscribers.", "4.6 million", None, None),
    ("Kyrgyzstan reported 4.6 million mobile subscribers in 2022.", "4.6 million", 2022, "stated"),
])
def test_publication_year_only_for_a_present_stock(text, written, year, basis) -> None:
    claims = [c for c in extract_claims(text, 2024) if c.as_written == written]
    assert [(c.year, c.year_basis) for c in claims] == [(year, basis)]
