"""URL params <-> Filters: parsing, validation of garbage, round trips."""

from __future__ import annotations

import pytest

from cadi.filters import (
    Filters,
    default_countries,
    default_filters,
    describe,
    parse_query_params,
    parse_year_range,
    sanitize,
    to_query_params,
)

DEFAULTS = default_filters(("KAZ", "UZB", "KGZ", "TJK", "XCA", "WLD"), 2015, 2025)


@pytest.mark.parametrize(
    ("params", "countries", "n_notes"),
    [
        ({}, DEFAULTS.countries, 0),
        ({"countries": "KAZ,UZB"}, ("KAZ", "UZB"), 0),
        ({"countries": "kaz, uzb"}, ("KAZ", "UZB"), 0),
        ({"countries": ["KAZ", "XCA"]}, ("KAZ", "XCA"), 0),
        ({"countries": "KAZ,ZZZ,USA"}, ("KAZ",), 1),
        ({"countries": "ZZZ"}, DEFAULTS.countries, 2),
        ({"countries": ""}, (), 0),
        ({"countries": "KAZ,KAZ"}, ("KAZ",), 0),
        ({"countries": "<script>alert(1)</script>"}, DEFAULTS.countries, 2),
        ({"countries": "A" * 100_000}, DEFAULTS.countries, 2),
    ],
)
def test_countries_param(params, countries, n_notes):
    got, notes = parse_query_params(params, DEFAULTS)
    assert got.countries == countries
    assert len(notes) == n_notes


@pytest.mark.parametrize(
    ("raw", "years", "noted"),
    [
        ("2019-2024", (2019, 2024), False),
        ("2019..2024", (2019, 2024), False),
        ("2021", (2021, 2021), False),
        ("2010-2030", (2015, 2025), False),  # clamped to the data
        ("2024-2019", (2015, 2025), True),  # inverted
        ("0-99999", (2015, 2025), True),  # absurd
        ("1800-1850", (2015, 2025), True),
        ("1990-2000", (2015, 2025), True),  # valid but no data there
        ("last decade", (2015, 2025), True),
        ("", (2015, 2025), True),
        ("2019-2024-2025", (2015, 2025), True),
    ],
)
def test_years_param(raw, years, noted):
    got, notes = parse_query_params({"years": raw}, DEFAULTS)
    assert (got.year_min, got.year_max) == years
    assert bool(notes) is noted


@pytest.mark.parametrize(
    ("raw", "include", "noted"),
    [("0", False, False), ("false", False, False), ("1", True, False), ("maybe", True, True)],
)
def test_no_year_param(raw, include, noted):
    got, notes = parse_query_params({"noyear": raw}, DEFAULTS)
    assert got.include_no_year is include and bool(notes) is noted


@pytest.mark.parametrize(
    ("raw", "categories", "noted"),
    [
        ("ranking,budget", ("ranking", "budget"), False),
        ("BUDGET,ranking", ("ranking", "budget"), False),  # kept in contract order
        ("ranking,weather", ("ranking",), True),
        ("weather", DEFAULTS.categories, True),
    ],
)
def test_categories_param(raw, categories, noted):
    got, notes = parse_query_params({"categories": raw}, DEFAULTS)
    assert got.categories == categories and bool(notes) is noted


@pytest.mark.parametrize(
    "chosen",
    [
        DEFAULTS,
        Filters(("KAZ",), ("ranking",), 2019, 2024, False),
        Filters(("XCA", "KGZ"), DEFAULTS.categories, 2015, 2020, True),
        Filters((), ("budget", "other"), 2025, 2025, True),
    ],
)
def test_round_trip(chosen):
    params = to_query_params(chosen, DEFAULTS)
    parsed, notes = parse_query_params(params, DEFAULTS)
    assert parsed == chosen and notes == []


def test_defaults_leave_url_clean():
    assert to_query_params(DEFAULTS, DEFAULTS) == {}
    assert to_query_params(Filters(("KAZ", "UZB"), DEFAULTS.categories, 2015, 2025, True), DEFAULTS) == {
        "countries": "KAZ,UZB"
    }


@pytest.mark.parametrize(("raw", "expected"), [("2019-2020", (2019, 2020)), ("20-21", None), ("2020-2019", None)])
def test_parse_year_range(raw, expected):
    assert parse_year_range(raw) == expected


def test_sanitize_drops_what_a_new_store_lacks():
    old = Filters(("KAZ", "MNG"), ("ranking", "weather"), 2000, 2030, True)
    new = sanitize(old, DEFAULTS)
    assert new.countries == ("KAZ",) and new.categories == ("ranking",)
    assert (new.year_min, new.year_max) == (2015, 2025)
    assert sanitize(Filters(("KAZ",), (), 2024, 2019, True), DEFAULTS).year_min == 2015


def test_describe_names_countries():
    text = describe(Filters(("KAZ", "XCA"), ("ranking",), 2019, 2024, True), {"KAZ": "Kazakhstan", "XCA": "CA"})
    assert text.startswith("Kazakhstan, CA; ranking; 2019–2024")


def test_default_countries_focus_on_the_region_when_the_store_is_big():
    few = ("KAZ", "FRA")
    assert default_countries(few) == few
    many = tuple(f"C{i:02d}" for i in range(40)) + ("KAZ", "XCA", "FRA")
    assert default_countries(many) == ("KAZ", "XCA")
    assert len(default_countries(tuple(f"C{i:02d}" for i in range(40)))) == 20


def test_link_may_name_countries_outside_the_default():
    options = ("KAZ", "UZB", "FRA")
    defaults = Filters(("KAZ", "UZB"), DEFAULTS.categories, 2015, 2025, True)
    got, notes = parse_query_params({"countries": "FRA"}, defaults, options)
    assert got.countries == ("FRA",) and notes == []
    assert sanitize(got, defaults, options).countries == ("FRA",)
