"""Checking a figure: tolerances, disagreements, claims against official series, rank percentiles."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cadi import checks
from etl import official

COLS = ["doc", "country", "country_name", "indicator", "value", "unit", "year", "comparator", "rank_of"]


def claims(*rows: tuple) -> pd.DataFrame:
    frame = pd.DataFrame([r + (None,) * (len(COLS) - len(r)) for r in rows], columns=COLS)
    frame["year"] = frame["year"].astype("Int32")
    frame["rank_of"] = frame["rank_of"].astype("Int32")
    return frame


def official_rows(*rows: tuple) -> pd.DataFrame:
    frame = pd.DataFrame([r + (None,) * (len(official.COLUMNS) - len(r)) for r in rows], columns=list(official.COLUMNS))
    frame["series"] = frame["series"].fillna("TEST")
    return official._typed(frame)


@pytest.mark.parametrize(
    ("unit", "a", "b", "expected"),
    [
        ("percent", (96, "="), (93.9, "="), True),  # 2.1 points
        ("percent", (96, "="), (94, "="), False),  # exactly 2 points agrees
        ("per 100 people", (120, "="), (117.5, "="), True),
        ("percent", (50, ">"), (60, "="), False),  # "more than 50%" holds 60%
        ("percent", (50, "<"), (60, "="), True),  # "under 50%" does not
        ("percent", (50, "<"), (51.5, "="), False),  # within 2 points of the bound
        ("USD", (100e6, "="), (104e6, "="), False),  # 5% relative: 4% apart
        ("USD", (100e6, "="), (106e6, "="), True),
        ("count", (1000, "~"), (1060, "="), True),
        ("rank", (28, "="), (28, "="), False),
        ("rank", (28, "="), (29, "="), True),  # ranks are exact
    ],
)
def test_differ(unit, a, b, expected):
    assert checks.differ(unit, a, b) is expected


def test_disagreements_keep_all_claims_of_a_shared_point_and_flag_the_differing():
    frame = claims(
        ("a.txt", "KAZ", "Kazakhstan", "internet_penetration_pct", 96.0, "percent", 2023, "="),
        ("b.txt", "KAZ", "Kazakhstan", "internet_penetration_pct", 92.9, "percent", 2023, "="),
        ("c.txt", "UZB", "Uzbekistan", "internet_penetration_pct", 89.0, "percent", 2023, "="),
        ("d.txt", "UZB", "Uzbekistan", "internet_penetration_pct", 88.0, "percent", 2023, "="),  # agrees
        ("e.txt", "KGZ", "Kyrgyzstan", "internet_penetration_pct", 70.0, "percent", 2022, "="),
        ("e.txt", "KGZ", "Kyrgyzstan", "internet_penetration_pct", 80.0, "percent", 2022, "="),  # same doc
        ("f.txt", "TJK", "Tajikistan", "internet_penetration_pct", 30.0, "percent", 2021, "="),
        ("g.txt", "TJK", "Tajikistan", "internet_penetration_pct", 40.0, "percent", 2022, "="),  # other year
        ("h.txt", "GEO", "Georgia", "internet_penetration_pct", 80.0, "percent", None, "="),
        ("i.txt", "GEO", "Georgia", "internet_penetration_pct", 60.0, "percent", None, "="),  # no year
        ("j.txt", "MNG", "Mongolia", "internet_penetration_pct", 70.0, "percent", 2022, "="),
        ("k.txt", "MNG", "Mongolia", "broadband_penetration_pct", 20.0, "percent", 2022, "="),  # other indicator
    )
    found = checks.disagreements(frame)
    assert sorted(found["doc"]) == ["a.txt", "b.txt", "c.txt", "d.txt"]
    assert found.set_index("doc")["disagree"].to_dict() == {"a.txt": True, "b.txt": True, "c.txt": False,
                                                            "d.txt": False}
    assert list(checks.disagreements(frame, flagged_only=True)["doc"]) == ["a.txt", "b.txt"]
    assert found.set_index("doc").loc["a.txt", "low"] == 92.9


def test_disagreements_are_within_a_claim_type_when_the_store_has_one():
    frame = claims(
        ("a.txt", "KAZ", "Kazakhstan", "internet_penetration_pct", 100.0, "percent", 2025, "="),
        ("b.txt", "KAZ", "Kazakhstan", "internet_penetration_pct", 90.0, "percent", 2025, "="),
    )
    assert checks.disagreements(frame)["disagree"].all()
    typed = frame.assign(claim_type=["target", "actual"])
    assert checks.disagreements(typed).empty


def test_compare_with_official_exact_year_fallback_regions_and_ranks():
    frame = claims(
        ("mtr.txt", "KAZ", "Kazakhstan", "internet_penetration_pct", 96.0, "percent", 2025, "="),  # 2023 stands in
        ("x.txt", "KAZ", "Kazakhstan", "internet_penetration_pct", 92.0, "percent", 2023, "="),
        ("old.txt", "KAZ", "Kazakhstan", "internet_penetration_pct", 50.0, "percent", 2027, "="),  # 4 years on: none
        ("caigf.txt", "XCA", "Central Asia", "internet_penetration_pct", 49.7, "percent", 2022, "="),
        ("r.txt", "GEO", "Georgia", "gii_rank", 74.0, "rank", 2022, "="),  # inside the bounds 72-75
        ("r.txt", "GEO", "Georgia", "gii_rank", 70.0, "rank", 2022, "="),  # outside
        ("r.txt", "GEO", "Georgia", "gii_rank", 70.0, "rank", 2023, "="),  # ranks: exact edition only
        ("s.txt", "KAZ", "Kazakhstan", "mobile_penetration_pct", 130.0, "per 100 people", 2022, "="),
        ("t.txt", "KAZ", "Kazakhstan", "mobile_penetration_pct", 130.0, "USD", 2022, "="),  # other unit
    )
    off = checks.with_regions(official_rows(
        ("KAZ", "internet_penetration_pct", 2023, 92.8785, None, None, "percent"),
        ("KAZ", "internet_penetration_pct", 2022, 92.2969, None, None, "percent"),
        ("UZB", "internet_penetration_pct", 2022, 83.9, None, None, "percent"),
        ("KGZ", "internet_penetration_pct", 2022, 79.7703, None, None, "percent"),
        ("TJK", "internet_penetration_pct", 2022, 36.0872, None, None, "percent"),
        ("GEO", "gii_rank", 2022, 72, 72, 75, "rank"),
        ("KAZ", "mobile_penetration_pct", 2022, 129.0, None, None, "per 100 people"),
    ))
    got = checks.compare_with_official(frame, off)
    by_doc = {(d, v, y): r for d, v, y, r in zip(got["doc"], got["value"], got["year"], got.itertuples(), strict=True)}
    mtr = by_doc[("mtr.txt", 96.0, 2025)]
    assert (mtr.official, mtr.official_year, mtr.far) == (92.8785, 2023, True)
    assert math.isclose(mtr.difference, 3.1215)
    assert not by_doc[("x.txt", 92.0, 2023)].far
    assert ("old.txt", 50.0, 2027) not in by_doc
    caigf = by_doc[("caigf.txt", 49.7, 2022)]
    assert math.isclose(caigf.official, (92.2969 + 83.9 + 79.7703 + 36.0872) / 4)
    assert (caigf.official_low, caigf.official_high, bool(caigf.far)) == (36.0872, 92.2969, True)
    assert not by_doc[("r.txt", 74.0, 2022)].far and by_doc[("r.txt", 74.0, 2022)].difference == 0
    assert by_doc[("r.txt", 70.0, 2022)].far and by_doc[("r.txt", 70.0, 2022)].difference == -2
    assert ("r.txt", 70.0, 2023) not in by_doc
    assert not by_doc[("s.txt", 130.0, 2022)].far
    assert ("t.txt", 130.0, 2022) not in by_doc
    summary = checks.country_summary(got).set_index("country")
    assert summary.loc["KAZ", "compared"] == 3 and summary.loc["KAZ", "far"] == 1


def test_targets_are_not_compared_with_official_series():
    frame = claims(("a.txt", "KAZ", "Kazakhstan", "internet_penetration_pct", 100.0, "percent", 2023, "="),
                   ("b.txt", "KAZ", "Kazakhstan", "internet_penetration_pct", 90.0, "percent", 2023, "="))
    frame["claim_type"] = ["target", "actual"]
    off = official_rows(("KAZ", "internet_penetration_pct", 2023, 92.8785, None, None, "percent"))
    assert list(checks.compare_with_official(frame, off)["doc"]) == ["b.txt"]


def test_a_region_needs_half_its_members():
    off = official_rows(("KAZ", "internet_penetration_pct", 2022, 90.0, None, None, "percent"),
                        ("UZB", "internet_penetration_pct", 2022, 80.0, None, None, "percent"))
    assert "XCA" not in set(checks.with_regions(off)["country"])  # 2 of 5


@pytest.mark.parametrize(
    ("indicator", "value", "year", "rank_of", "n", "percentile", "problem"),
    [
        ("gii_rank", 1, 2022, None, 132, 100.0, None),
        ("gii_rank", 132, 2022, None, 132, 0.0, None),
        ("gii_rank", 67, 2023, None, 132, (132 - 67) / 131 * 100, None),
        ("egdi_rank", 28, 2022, 193, 193, 165 / 192 * 100, None),  # the claim's own "out of 193"
        ("gii_rank", 140, 2022, None, 132, None, "rank beyond the number ranked"),
        ("gii_rank", 50, 2030, None, None, None, None),  # edition unknown
        ("gii_rank", 50, None, None, None, None, None),  # no year
        ("ai_readiness_rank", 50, 2022, None, None, None, None),  # index known, edition not
    ],
)
def test_rank_percentiles(indicator, value, year, rank_of, n, percentile, problem):
    editions = pd.DataFrame({"index": ["gii_rank", "gii_rank"], "edition": [2022, 2023], "n_ranked": [132, 132],
                             "source": ["WIPO", "WIPO"]})
    got = checks.rank_percentiles(claims(("a.txt", "KAZ", "Kazakhstan", indicator, float(value), "rank", year, "=",
                                          rank_of)), editions).iloc[0]
    assert (None if pd.isna(got["n_ranked"]) else got["n_ranked"]) == n
    assert (pd.isna(got["percentile"]) and percentile is None) or math.isclose(got["percentile"], percentile)
    assert got["problem"] == problem


def test_disagreement_flags_equal_the_pairwise_definition_on_random_groups():
    """The vectorised flag against `differ` applied to every pair of figures from different documents."""
    rng = np.random.default_rng(7)
    rows = []
    for g in range(300):
        unit = ["percent", "USD", "rank", "per 100 people"][g % 4]
        base = {"percent": 60.0, "USD": 1e6, "rank": 50.0, "per 100 people": 110.0}[unit]
        for _ in range(rng.integers(2, 7)):
            value = float(round(base * rng.uniform(0.93, 1.07), 1 if unit != "rank" else 0))
            rows.append((f"d{rng.integers(0, 4)}.txt", f"C{g:03d}", "x", "ind", value, unit, 2020,
                         str(rng.choice(["=", "=", "~", ">", "<"]))))
    frame = claims(*rows)
    got = checks.disagreements(frame)
    for country, part in got.groupby("country"):
        figures = list(zip(part["doc"], part["value"], part["comparator"], part["unit"], strict=True))
        expected = any(checks.differ(ua, (va, ca), (vb, cb)) for i, (da, va, ca, ua) in enumerate(figures)
                       for db, vb, cb, _ in figures[i + 1:] if da != db)
        assert part["disagree"].iloc[0] == expected, (country, figures)
    assert got["disagree"].any() and not got["disagree"].all()  # the draw holds both kinds


def test_an_undated_claim_is_compared_as_of_its_publication_year():
    frame = claims(
        ("caigf.txt", "KAZ", "Kazakhstan", "internet_penetration_pct", 96.0, "percent", None, "="),
        ("nodate.txt", "KAZ", "Kazakhstan", "internet_penetration_pct", 50.0, "percent", None, "="),  # no date
        ("dated.txt", "KAZ", "Kazakhstan", "internet_penetration_pct", 90.0, "percent", 2021, "="),
    )
    off = official_rows(("KAZ", "internet_penetration_pct", 2023, 92.8785, None, None, "percent"),
                        ("KAZ", "internet_penetration_pct", 2021, 90.924, None, None, "percent"))
    got = checks.compare_with_official(frame, off, {"caigf.txt": 2025, "dated.txt": 2024}).set_index("doc")
    assert sorted(got.index) == ["caigf.txt", "dated.txt"]
    assert (got.loc["caigf.txt", "compared_year"], got.loc["caigf.txt", "year_from"]) == (2025, "publication")
    assert (got.loc["caigf.txt", "official_year"], bool(got.loc["caigf.txt", "far"])) == (2023, True)
    # A stated year wins over the publication date.
    assert (got.loc["dated.txt", "official_year"], got.loc["dated.txt", "year_from"]) == (2021, "stated")
    assert checks.compare_with_official(frame, off).index.tolist() == [2]  # without dates: only the dated one
