"""Claim types from the figure's clause: actual, target, forecast, estimate (English and Russian cues)."""

from __future__ import annotations

import pytest

from etl.claim_types import claim_type
from etl.extract import extract_claims

CASES = [
    # English
    ("Kazakhstan aims to reach 100% internet coverage by 2030", "other", "target"),
    ("the government's target is 95% by 2027", "penetration", "target"),
    ("the ministry plans to connect 3,000 villages", "other", "target"),
    ("coverage will reach 99% by the end of 2026", "penetration", "target"),
    ("penetration is expected to reach 85% in 2028", "penetration", "forecast"),
    ("the market is projected to grow to $2 billion", "investment", "forecast"),
    ("GSMA forecasts 40 million connections", "other", "forecast"),
    ("an estimated 2 million people use the service", "other", "estimate"),
    ("users (2021 est.) 3.1 million", "other", "estimate"),
    ("is estimated to reach 80% by 2030", "penetration", "forecast"),
    # near misses: actuals
    ("coverage reached 96% in 2024", "penetration", "actual"),
    ("the country will host 300 delegates", "other", "actual"),  # a future event, no target year
    ("the planned budget was KZT 3,600 million", "budget", "actual"),  # a budget line, not a goal
    ("it has 4.6 million subscribers", "other", "actual"),
    ("the team scored 2 goals", "other", "target"),  # the cue table reads words, not meaning
    # Russian
    ("планируется довести охват до 100%", "penetration", "target"),
    ("к 2030 году доля пользователей достигнет 90%", "penetration", "target"),
    ("ожидается, что число абонентов превысит 10 млн", "other", "forecast"),
    ("по прогнозу аналитиков, рынок вырастет на 12%", "other", "forecast"),
    ("по оценкам экспертов, 3 млн человек", "other", "estimate"),
    ("охват составил 92% в 2023 году", "penetration", "actual"),
]


@pytest.mark.parametrize(("clause", "category", "expected"), CASES)
def test_claim_type(clause: str, category: str, expected: str) -> None:
    assert claim_type(clause, category) == expected


@pytest.mark.parametrize(("text", "written", "expected"), [
    ("Kazakhstan aims to reach 100% internet coverage by 2030.", "100%", "target"),
    ("Internet penetration in Uzbekistan is expected to reach 85% in 2028.", "85%", "forecast"),
    ("Internet penetration in Uzbekistan reached 85% in 2023.", "85%", "actual"),
    ("Kyrgyzstan has an estimated 2 million internet users.", "an estimated 2 million", "estimate"),
])
def test_claims_carry_their_type(text: str, written: str, expected: str) -> None:
    claims = [c for c in extract_claims(text, 2024) if c.as_written == written]
    assert claims and {c.claim_type for c in claims} == {expected}
