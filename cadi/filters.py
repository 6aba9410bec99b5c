"""The shared filters: one value object, parsed from and written to URL query params.

Pure functions only; cadi.ui binds them to widgets and st.session_state.
URL form: ?countries=KAZ,UZB&categories=ranking,investment&years=2019-2024&noyear=0
(a parameter at its default is left out).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from etl.schema import CATEGORIES

PARAM_COUNTRIES = "countries"
PARAM_CATEGORIES = "categories"
PARAM_YEARS = "years"
PARAM_NO_YEAR = "noyear"
PARAMS = (PARAM_COUNTRIES, PARAM_CATEGORIES, PARAM_YEARS, PARAM_NO_YEAR)

# With more countries than this in the store, a first visit selects the region only.
MAX_DEFAULT_COUNTRIES = 20
FOCUS = ("AFG", "AZE", "CHN", "GEO", "KAZ", "KGZ", "MNG", "PAK", "TJK", "TKM", "UZB", "XCA", "XCR")

YEAR_FLOOR, YEAR_CEILING = 1900, 2100  # outside this a "year" in a URL is garbage
_YEARS_RE = re.compile(r"^\s*(\d{4})\s*(?:[-–:,]|\.\.)\s*(\d{4})\s*$")
_SINGLE_YEAR_RE = re.compile(r"^\s*(\d{4})\s*$")
_MAX_PARAM_LEN = 2000


@dataclass(frozen=True)
class Filters:
    """What every page shows: these countries, categories and years."""

    countries: tuple[str, ...]
    categories: tuple[str, ...]
    year_min: int | None
    year_max: int | None
    include_no_year: bool = True


def default_countries(available: Sequence[str]) -> tuple[str, ...]:
    """All countries when there are few; else the CAREC members and the region's aggregates the store holds."""
    if len(available) <= MAX_DEFAULT_COUNTRIES:
        return tuple(available)
    focus = tuple(c for c in available if c in FOCUS)
    return focus or tuple(available[:MAX_DEFAULT_COUNTRIES])


def default_filters(
    countries: Iterable[str],
    year_min: int | None,
    year_max: int | None,
    categories: Iterable[str] = CATEGORIES,
) -> Filters:
    """What a first visit shows: default_countries, all categories, the full year range, undated included."""
    chosen = default_countries(tuple(countries))
    return Filters(chosen, tuple(c for c in CATEGORIES if c in set(categories)), year_min, year_max, True)


def _first(value: str | list[str] | None) -> str | None:
    if isinstance(value, list | tuple):
        value = ",".join(str(v) for v in value)
    if value is None:
        return None
    return str(value)[:_MAX_PARAM_LEN]


def _codes(raw: str) -> list[str]:
    seen: list[str] = []
    for part in re.split(r"[,\s;]+", raw):
        code = part.strip().upper()
        if code and code not in seen:
            seen.append(code)
    return seen


def parse_query_params(
    params: Mapping[str, str | list[str]], defaults: Filters, options: Sequence[str] | None = None
) -> tuple[Filters, list[str]]:
    """Filters from URL params, checked against `defaults` (the store's options), with notes on drops.

    Unknown country or category codes are dropped; a garbage, inverted or absurd year
    range falls back to the default range; a range reaching past the data is clamped.
    """
    notes: list[str] = []
    known_codes = set(options if options is not None else defaults.countries)
    countries = defaults.countries
    raw = _first(params.get(PARAM_COUNTRIES))
    if raw is not None:
        asked = _codes(raw)
        known = [c for c in asked if c in known_codes]
        unknown = [c for c in asked if c not in known_codes]
        if unknown:
            shown = ", ".join(unknown[:5]) + ("…" if len(unknown) > 5 else "")
            notes.append(f"Ignored country codes from the link that the data does not hold: {shown}.")
        if known:
            countries = tuple(known)
        elif asked:
            notes.append("None of the link's countries are in the data, so the default countries are shown.")
        else:
            countries = ()

    categories = defaults.categories
    raw = _first(params.get(PARAM_CATEGORIES))
    if raw is not None:
        asked = [c.lower() for c in _codes(raw)]
        known = [c for c in defaults.categories if c in asked]
        unknown = [c for c in asked if c not in defaults.categories]
        if unknown:
            notes.append(f"Ignored unknown categories from the link: {', '.join(unknown[:5])}.")
        if known or not asked:
            categories = tuple(known)

    year_min, year_max = defaults.year_min, defaults.year_max
    raw = _first(params.get(PARAM_YEARS))
    if raw is not None and defaults.year_min is not None and defaults.year_max is not None:
        parsed = parse_year_range(raw)
        if parsed is None:
            notes.append(f"The link's year range “{raw[:40]}” is not a valid range, so all years are shown.")
        else:
            lo, hi = max(parsed[0], defaults.year_min), min(parsed[1], defaults.year_max)
            if lo > hi:
                notes.append(
                    f"The data has no years in {parsed[0]}–{parsed[1]}, so all years "
                    f"({defaults.year_min}–{defaults.year_max}) are shown."
                )
            else:
                year_min, year_max = lo, hi

    include_no_year = defaults.include_no_year
    raw = _first(params.get(PARAM_NO_YEAR))
    if raw is not None:
        flag = raw.strip().lower()
        if flag in ("0", "false", "no", "off"):
            include_no_year = False
        elif flag in ("1", "true", "yes", "on"):
            include_no_year = True
        else:
            notes.append("Ignored the link's “noyear” value; figures with no stated year are included.")
    return Filters(countries, categories, year_min, year_max, include_no_year), notes


def parse_year_range(raw: str) -> tuple[int, int] | None:
    """(first, last) from "2019-2024" or "2021"; None when garbage, inverted or outside 1900–2100."""
    match = _YEARS_RE.match(raw) or _SINGLE_YEAR_RE.match(raw)
    if not match:
        return None
    lo = int(match.group(1))
    hi = int(match.group(match.lastindex or 1))
    if lo > hi or lo < YEAR_FLOOR or hi > YEAR_CEILING:
        return None
    return lo, hi


def to_query_params(filters: Filters, defaults: Filters) -> dict[str, str]:
    """The URL params for `filters`; parameters equal to the default are left out."""
    params: dict[str, str] = {}
    if set(filters.countries) != set(defaults.countries):
        params[PARAM_COUNTRIES] = ",".join(filters.countries)
    if set(filters.categories) != set(defaults.categories):
        params[PARAM_CATEGORIES] = ",".join(filters.categories)
    if (filters.year_min, filters.year_max) != (defaults.year_min, defaults.year_max) and filters.year_min:
        params[PARAM_YEARS] = f"{filters.year_min}-{filters.year_max}"
    if filters.include_no_year != defaults.include_no_year:
        params[PARAM_NO_YEAR] = "1" if filters.include_no_year else "0"
    return params


def sanitize(filters: Filters, defaults: Filters, options: Sequence[str] | None = None) -> Filters:
    """Keep only options the store still holds (after a new ETL run) and a range inside its years."""
    known_codes = set(options if options is not None else defaults.countries)
    countries = tuple(c for c in filters.countries if c in known_codes)
    categories = tuple(c for c in filters.categories if c in defaults.categories)
    year_min, year_max = filters.year_min, filters.year_max
    if defaults.year_min is None or defaults.year_max is None:
        year_min = year_max = None
    elif year_min is None or year_max is None or year_min > year_max:
        year_min, year_max = defaults.year_min, defaults.year_max
    else:
        year_min = min(max(year_min, defaults.year_min), defaults.year_max)
        year_max = max(min(year_max, defaults.year_max), year_min)
    return Filters(countries, categories, year_min, year_max, filters.include_no_year)


def mask(claims: pd.DataFrame, filters: Filters, *, countries: bool = True) -> pd.Series:
    """Boolean mask of the claims the filters keep (vectorised; `countries=False`: no country filter)."""
    keep = pd.Series(True, index=claims.index)
    if countries and "country" in claims:
        keep &= claims["country"].isin(filters.countries)
    if "category" in claims:
        keep &= claims["category"].isin(filters.categories)
    if "year" in claims and filters.year_min is not None and filters.year_max is not None:
        year = claims["year"]
        in_range = year.ge(filters.year_min) & year.le(filters.year_max)
        in_range = in_range.fillna(filters.include_no_year).astype(bool)
        keep &= in_range
    elif "year" in claims and not filters.include_no_year:
        keep &= claims["year"].notna()
    return keep


def apply(claims: pd.DataFrame, filters: Filters, *, countries: bool = True) -> pd.DataFrame:
    """The claims the filters keep (a new frame; the input is not modified)."""
    return claims[mask(claims, filters, countries=countries)]


def describe(filters: Filters, country_names: Mapping[str, str]) -> str:
    """One line saying what is selected, for captions."""
    n = len(filters.countries)
    who = ", ".join(country_names.get(c, c) for c in filters.countries[:4]) + (f" and {n - 4} more" if n > 4 else "")
    years = f"{filters.year_min}–{filters.year_max}" if filters.year_min is not None else "all years"
    undated = " plus figures with no stated year" if filters.include_no_year else ""
    return f"{who or 'no country'}; {', '.join(filters.categories) or 'no category'}; {years}{undated}."
