"""Money goes to its recipient; the investor, donor or lender is the counterpart."""

from __future__ import annotations

import pytest

from etl.counterparts import find_counterpart
from etl.countries import find_mentions
from etl.extract import extract_claims


def _giver(sentence: str) -> str | None:
    mentions = [(m.code, m.start, m.end) for m in find_mentions(sentence) if not m.weak]
    found = find_counterpart(sentence, 0, len(sentence), mentions)
    return found.name if found else None


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Japan adds $12 million to Kyrgyzstan's e-health project", "JPN"),
    ("China pledged $209M to Kazakhstan", "CHN"),
    ("a $30 million project funded by Korea in Uzbekistan", "KOR"),
    ("the World Bank approved a $50 million loan for Tajikistan", "World Bank"),
    ("an ADB loan of $75 million", "ADB"),
    ("with support from the Asian Development Bank, $20 million", "ADB"),
    ("the EBRD will lend $40 million to Mongolia", "EBRD"),
    ("при поддержке Всемирного банка выделено 50 млн долларов", "World Bank"),
    ("кредит АБР на сумму 75 млн долларов", "ADB"),
    # near misses: no giver
    ("Kazakhstan spent $500 million on broadband", None),
    ("revenue in Tajikistan reached $139.5 million", None),
    ("Georgia ranks above Armenia with $40 million in exports", None),
])
def test_find_counterpart(sentence: str, expected: str | None) -> None:
    assert _giver(sentence) == expected


@pytest.mark.parametrize(("text", "written", "country", "counterpart"), [
    ("Japan adds $12 million to Kyrgyzstan's e-health project.", "$12 million", "KGZ", "JPN"),
    ("China pledged $209M to Kazakhstan for data centres.", "$209M", "KAZ", "CHN"),
    ("The World Bank approved a $50 million loan for Tajikistan's broadband.", "$50 million", "TJK", "World Bank"),
    ("Kazakhstan invested $500 million in rural broadband.", "$500 million", "KAZ", None),
    ("Revenue of Uzbekistan's operators reached $1.2 billion.", "$1.2 billion", "UZB", None),
])
def test_money_goes_to_its_recipient(text: str, written: str, country: str, counterpart: str | None) -> None:
    claims = [c for c in extract_claims(text, 2024) if c.as_written == written]
    assert [(c.country, c.counterpart) for c in claims] == [(country, counterpart)]


def test_only_money_has_a_counterpart() -> None:
    claims = extract_claims("With World Bank support, 85% of schools in Tajikistan are online.", 2024)
    assert claims and all(c.counterpart is None for c in claims)
