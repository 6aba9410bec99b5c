"""Changes are signed: "fell 3.2%" is -3.2 while as_written stays "3.2%"; a level reached keeps its sign."""

from __future__ import annotations

import pytest

from etl.changes import signed
from etl.extract import extract_claims


@pytest.mark.parametrize(("value", "indicator", "unit", "before", "expected"), [
    (3.2, "change_pct", "percent", "subscriptions fell ", -3.2),
    (3.2, "change_pct", "percent", "subscriptions declined by ", -3.2),
    (12, "change_percentage_points", "percentage_points", "the share was down ", -12),
    (9, "ranking_change", "positions", "it lost ", -9),
    (9, "ranking_change", "positions", "it rose ", 9),
    (5, "change_pct", "percent", "revenue grew ", 5),
    (5, "change_pct", "percent", "after a decline in 2022, revenue rose by ", 5),  # the nearest word decides
    (4, "change_pct", "percent", "доходы снизились на ", -4),
    # near misses
    (3.2, "change_pct", "percent", "the rate fell to ", 3.2),  # a level reached
    (3.2, "mobile_penetration_pct", "percent", "penetration fell to ", 3.2),  # not a change indicator
    (96, "internet_users_pct", "percent", "use declined among the old; overall ", 96),
    (-2, "change_pct", "percent", "fell ", -2),  # written with its minus sign already
])
def test_signed(value, indicator, unit, before, expected) -> None:
    assert signed(value, indicator, unit, before) == expected


def test_a_fall_is_stored_negative_and_written_as_is() -> None:
    claims = [c for c in extract_claims("In Kazakhstan, fixed subscriptions declined by 3.2% in 2023.", 2024)
              if c.as_written == "3.2%"]
    assert [(c.value, c.indicator) for c in claims] == [(-3.2, "change_pct")]
