"""Checking a figure: claims that disagree, claims against the official series, ranks in context.

Pure functions on DataFrames (no Streamlit, no I/O); the pages call them through cadi.official.

- Two figures *differ* when the gap between them is more than the tolerance of their unit: 2 points for
  percentages and rates per 100 people, exact for ranks, 5% of the larger value otherwise. A figure
  with a comparator is a half-line ("more than 50%" is [50, inf)), so "over 50%" and 60% agree.
- A *disagreement* is one country, indicator, year (and claim type, when the store has one) given by
  several documents whose figures differ.
- A claim is compared with the official value of its country and year; for rates, when that year has
  none, with the latest of the three years before it (the year is shown). A region is compared with its
  members' unweighted mean (no population weights are bundled), with their range beside it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from cadi import charts

# unit -> (kind, tolerance): "points" is an absolute gap, "relative" a share of the larger value.
TOLERANCES = {
    "percent": ("points", 2.0),
    "per 100 people": ("points", 2.0),
    "percentage_points": ("points", 2.0),
    "rank": ("points", 0.0),
}
RELATIVE_TOLERANCE = 0.05
# Units measured on one scale: a share of the population in percent and per 100 people.
UNIT_FAMILY = {"percent": "rate", "per 100 people": "rate", "rank": "rank"}
# Claim types compared with an official series (a target or forecast is not a measurement).
COMPARED_TYPES = ("actual", "estimate")
YEARS_BACK = {"rate": 3, "rank": 0}  # how far back an official value may stand in for the claim's year
CAREC = ("AFG", "AZE", "CHN", "GEO", "KAZ", "KGZ", "MNG", "PAK", "TJK", "TKM", "UZB")
REGION_MEMBERS = {
    "XCA": ("KAZ", "KGZ", "TJK", "TKM", "UZB"),
    "XCR": CAREC,
}
KEY = ["country", "indicator", "year"]


def tolerance(unit: str, a: float, b: float) -> float:
    """How far apart two figures in `unit` may be and still agree."""
    kind, size = TOLERANCES.get(unit, ("relative", RELATIVE_TOLERANCE))
    return size if kind == "points" else size * max(abs(a), abs(b))


def bounds(value: float, comparator: str) -> tuple[float, float]:
    """The values a figure allows: a point, or a half-line for 'more than' / 'under'."""
    if comparator == ">":
        return value, math.inf
    if comparator == "<":
        return -math.inf, value
    return value, value


def gap(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance between two closed intervals (0 when they overlap)."""
    return max(0.0, a[0] - b[1], b[0] - a[1])


def differ(unit: str, a: tuple[float, str], b: tuple[float, str]) -> bool:
    """Do figures a and b ((value, comparator)) in `unit` differ by more than the tolerance?"""
    return gap(bounds(*a), bounds(*b)) > tolerance(unit, a[0], b[0]) + 1e-9


def unit_family(unit: str) -> str:
    return UNIT_FAMILY.get(unit, unit)


# ---- disagreements between documents --------------------------------------------------------------


def disagreements(claims: pd.DataFrame, flagged_only: bool = False) -> pd.DataFrame:
    """Claims whose country, indicator, year (and claim type) other documents also give.

    Every claim of such a group is kept, with `group` (a number), `n_docs`, `low`, `high` (the group's
    range) and `disagree` (some two documents differ beyond the tolerance). Never modifies `claims`.
    """
    # Only the key columns are taken while grouping; the whole rows once, for the claims kept.
    needed = ["country", "indicator", "year", "unit", "doc", "value", "comparator"]
    needed += [c for c in ("claim_type",) if c in claims]
    at = np.flatnonzero(claims["year"].notna().to_numpy())
    dated = claims[needed].iloc[at]
    units = dated["unit"].astype("category")
    family = units.map({u: unit_family(str(u)) for u in units.cat.categories})
    keys = [dated["country"], dated["indicator"], dated["year"], family]
    if "claim_type" in dated:
        keys.append(dated["claim_type"])
    # One number per point (country, indicator, year, unit family, claim type), then documents per point.
    point = dated.groupby(keys, observed=True, sort=False, dropna=False).ngroup().to_numpy()
    doc = dated["doc"].astype("category").cat.codes.to_numpy()
    pairs = pd.DataFrame({"point": point, "doc": doc}).drop_duplicates()
    docs_per_point = np.bincount(pairs["point"].to_numpy(), minlength=int(point.max()) + 1 if len(point) else 0)
    n_docs = docs_per_point[point] if len(point) else np.array([], dtype=int)
    keep = n_docs > 1
    if not keep.any():
        return _no_groups(claims)
    shared = dated.iloc[np.flatnonzero(keep)].copy()
    shared["n_docs"] = n_docs[keep].astype(int)
    shared["_row"] = at[keep]  # position in `claims`
    # Groups numbered in the order of their first claim, so the numbers are stable for one store.
    shared["group"] = pd.factorize(point[keep])[0]
    flags = _groups_disagree(shared)
    shared["disagree"] = shared["group"].map(flags).fillna(False).astype(bool).to_numpy()
    shared["low"] = shared.groupby("group")["value"].transform("min")
    shared["high"] = shared.groupby("group")["value"].transform("max")
    if flagged_only:
        shared = shared[shared["disagree"]]
    # Disagreeing points first, then by country, indicator, year, group and document: sorted on codes.
    order = np.lexsort((
        _sorted_codes(shared["doc"]), shared["group"].to_numpy(), shared["year"].to_numpy(dtype="int64"),
        _sorted_codes(shared["indicator"]), _sorted_codes(shared["country"]), ~shared["disagree"].to_numpy(),
    ))
    shared = shared.iloc[order]
    out = claims.iloc[shared["_row"].to_numpy()]
    extra = {c: shared[c].to_numpy() for c in ("group", "n_docs", "disagree", "low", "high")}
    return out.assign(**extra)


def _sorted_codes(column: pd.Series) -> np.ndarray:
    """Integer codes that sort as the column's text does."""
    return pd.factorize(column.astype(str) if not isinstance(column.dtype, pd.CategoricalDtype)
                        else column, sort=True)[0]


def _groups_disagree(shared: pd.DataFrame) -> pd.Series:
    """group -> whether some two figures of different documents differ (as `differ` says), vectorised.

    The largest gap between two documents' figures is the largest lower bound of one document minus the
    smallest upper bound of another; so only each group's two highest lower bounds and two lowest upper
    bounds (by document) need comparing. The gap less its tolerance grows with the same extremes.
    """
    comparator = shared["comparator"].astype(str).to_numpy()
    value = shared["value"].to_numpy(dtype="float64")
    units = shared["unit"].astype("category")
    kinds = [TOLERANCES.get(str(u), ("relative", RELATIVE_TOLERANCE)) for u in units.cat.categories]
    by_points = np.array([kind == "points" for kind, _ in kinds], dtype=bool)
    size = np.array([amount for _, amount in kinds], dtype="float64")
    frame = pd.DataFrame({
        "group": shared["group"].to_numpy(),
        "doc": shared["doc"].astype("category").cat.codes.to_numpy(),
        "lo": np.where(comparator == "<", -np.inf, value),
        "hi": np.where(comparator == ">", np.inf, value),
        "unit": units.cat.codes.to_numpy(),
    })
    per_doc = frame.groupby(["group", "doc"], sort=False).agg(lo=("lo", "max"), hi=("hi", "min"),
                                                              unit=("unit", "first")).reset_index()
    top = per_doc.sort_values(["group", "lo"], ascending=[True, False], kind="stable").groupby("group").head(2)
    bottom = per_doc.sort_values(["group", "hi"], ascending=[True, True], kind="stable").groupby("group").head(2)
    pairs = top.merge(bottom, on="group", suffixes=("_a", "_b"))
    pairs = pairs[pairs["doc_a"] != pairs["doc_b"]]
    lo, hi, unit = pairs["lo_a"].to_numpy(), pairs["hi_b"].to_numpy(), pairs["unit_a"].to_numpy()
    larger = np.maximum(np.abs(np.where(np.isfinite(lo), lo, 0.0)), np.abs(np.where(np.isfinite(hi), hi, 0.0)))
    tol = np.where(by_points[unit], size[unit], size[unit] * larger)  # = tolerance(unit, a, b), vectorised
    pairs = pairs.assign(differs=(lo - hi - tol) > 1e-9)
    return pairs.groupby("group")["differs"].any()


def _no_groups(claims: pd.DataFrame) -> pd.DataFrame:
    return claims.iloc[0:0].assign(group=pd.Series(dtype=int), n_docs=pd.Series(dtype=int),
                                   disagree=pd.Series(dtype=bool), low=pd.Series(dtype=float),
                                   high=pd.Series(dtype=float))


# ---- claims against the official series -----------------------------------------------------------


def with_regions(official: pd.DataFrame) -> pd.DataFrame:
    """Official rows plus, for each region and rate indicator, the members' unweighted mean and range.

    A region-year gets a value only when at least half of its members (and two) have one.
    """
    rates = official[official["unit"].map(unit_family) == "rate"]
    extra = []
    for region, members in REGION_MEMBERS.items():
        part = rates[rates["country"].isin(members)]
        stats = part.groupby(["indicator", "year", "unit"], observed=True)["value"].agg(["mean", "min", "max", "count"])
        stats = stats[(stats["count"] >= 2) & (stats["count"] * 2 >= len(members))].reset_index()
        for row in stats.itertuples(index=False):
            extra.append({"country": region, "indicator": row.indicator, "year": row.year, "value": row.mean,
                          "low": row.min, "high": row.max, "unit": row.unit,
                          "series": f"members' unweighted mean ({row.count} of {len(members)})"})
    if not extra:
        return official
    regions = pd.DataFrame(extra).astype({"year": official["year"].dtype})
    return pd.concat([official, regions], ignore_index=True)


def compare_with_official(claims: pd.DataFrame, official: pd.DataFrame,
                          published: Mapping[str, int] | None = None) -> pd.DataFrame:
    """Each comparable claim with the official value for its country and year, the difference and a flag.

    A claim that states no year is taken as of its document's publication year (`published`: doc ->
    year), as a report describes the state it was written in; `year_from` says which.
    Columns added: `compared_year`, `year_from` (stated or publication), `official`, `official_low`,
    `official_high`, `official_year`, `official_series`, `difference` (claim minus official; 0 when a
    bound or range holds the claim) and `far` (beyond the tolerance). Claims of other indicators, units
    or claim types, or with no year and no publication year, are left out.
    """
    year = claims["year"].astype("Float64")
    if published:
        year = year.fillna(claims["doc"].astype(str).map(published).astype("Float64"))
    claims = claims.assign(compared_year=year, year_from=np.where(claims["year"].notna(), "stated",
                                                                   "publication"))
    wanted = claims[year.notna() & claims["indicator"].astype(str).isin(set(official["indicator"]))]
    if "claim_type" in wanted:
        wanted = wanted[wanted["claim_type"].isna() | wanted["claim_type"].astype(str).isin(COMPARED_TYPES)]
    if wanted.empty:
        return _no_comparison(claims)
    lookup = {(c, i, int(y)): r for c, i, y, r in zip(official["country"], official["indicator"], official["year"],
                                                     official.itertuples(index=False), strict=True)}
    found = []
    for idx, country, indicator, year, unit in zip(wanted.index, wanted["country"].astype(str),
                                                   wanted["indicator"].astype(str), wanted["compared_year"],
                                                   wanted["unit"].astype(str), strict=True):
        family = unit_family(unit)
        for back in range(YEARS_BACK.get(family, 0) + 1):
            row = lookup.get((country, indicator, int(year) - back))
            if row is not None and unit_family(row.unit) == family:
                found.append((idx, row))
                break
    if not found:
        return _no_comparison(claims)
    out = claims.loc[[i for i, _ in found]].copy()
    rows = [r for _, r in found]
    out["official"] = [r.value for r in rows]
    out["official_low"] = [r.low for r in rows]
    out["official_high"] = [r.high for r in rows]
    out["official_year"] = pd.array([int(r.year) for r in rows], dtype="Int32")
    out["official_series"] = [str(r.series) for r in rows]
    diffs, far = [], []
    for value, comparator, unit, r in zip(out["value"], out["comparator"].astype(str), out["unit"].astype(str),
                                          rows, strict=True):
        # A rank with bounds is consistent anywhere inside them; a region is held to its members' mean.
        official_bounds = (r.value, r.value)
        if unit_family(unit) == "rank" and not pd.isna(r.low) and not pd.isna(r.high):
            official_bounds = (r.low, r.high)
        distance = gap(bounds(value, comparator), official_bounds)
        if comparator in ("=", "~") and official_bounds[0] == official_bounds[1]:
            diffs.append(value - r.value)
        else:  # a half-line or a bounded rank: how far outside, signed; 0 inside
            diffs.append(distance if value > official_bounds[1] else -distance)
        far.append(distance > tolerance(unit, value, r.value) + 1e-9)
    out["difference"] = diffs
    out["far"] = far
    return out


def _no_comparison(claims: pd.DataFrame) -> pd.DataFrame:
    return claims.iloc[0:0].assign(
        official=pd.Series(dtype=float), official_low=pd.Series(dtype=float), official_high=pd.Series(dtype=float),
        official_year=pd.Series(dtype="Int32"), official_series=pd.Series(dtype=str),
        difference=pd.Series(dtype=float), far=pd.Series(dtype=bool))


def country_summary(compared: pd.DataFrame) -> pd.DataFrame:
    """Per country: claims compared, how many run far from the official figure, the largest gap."""
    if compared.empty:
        return pd.DataFrame(columns=["country", "country_name", "compared", "far", "largest_gap"])
    frame = compared.assign(abs_gap=compared["difference"].abs(), far=compared["far"].astype(int))
    summary = frame.groupby(["country", "country_name"], observed=True).agg(
        compared=("value", "size"), far=("far", "sum"), largest_gap=("abs_gap", "max")).reset_index()
    summary["country"] = summary["country"].astype(str)
    summary["country_name"] = summary["country_name"].astype(str)
    return summary.sort_values(["far", "largest_gap"], ascending=False, kind="stable").reset_index(drop=True)


# ---- ranks in context -----------------------------------------------------------------------------


def rank_percentiles(claims: pd.DataFrame, editions: pd.DataFrame) -> pd.DataFrame:
    """Rank claims with `n_ranked` (from the claim's "out of N", else the index edition), its source, and
    `percentile`: the share of the other ranked countries placed below (1st = 100, last = 0).

    A rank larger than the number ranked gets no percentile and `problem` says so.
    """
    ranks = claims[claims["unit"].astype(str) == "rank"].copy()
    sizes = {(str(i), int(e)): (int(n), str(s)) for i, e, n, s in zip(
        editions["index"], editions["edition"], editions["n_ranked"], editions["source"], strict=True)}
    n_ranked, source = [], []
    for indicator, year, rank_of in zip(ranks["indicator"].astype(str), ranks["year"],
                                        ranks["rank_of"] if "rank_of" in ranks else [None] * len(ranks), strict=True):
        if not pd.isna(rank_of):
            n_ranked.append(int(rank_of))
            source.append("the claim (out of N)")
            continue
        hit = sizes.get((indicator, int(year))) if not pd.isna(year) else None
        n_ranked.append(hit[0] if hit else None)
        source.append(hit[1] if hit else None)
    ranks["n_ranked"] = pd.array(n_ranked, dtype="Int64")
    ranks["n_ranked_source"] = source
    n = ranks["n_ranked"].astype("float64")
    value = ranks["value"].astype("float64")
    ok = n.notna() & (value >= 1) & (value <= n) & (n > 1)
    ranks["percentile"] = np.where(ok, (n - value) / (n - 1) * 100, np.nan)
    ranks["problem"] = np.where(n.notna() & (value > n), "rank beyond the number ranked", None)
    return ranks


# ---- tables the pages show ------------------------------------------------------------------------


def _fmt(value: float, unit: str) -> str:
    if pd.isna(value):
        return "–"
    if unit == "rank" and float(value).is_integer():
        return charts.ordinal(int(value))
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}" if abs(value) >= 10 else f"{value:,.2f}"
    return f"{text}%" if unit == "percent" else f"{text} {unit}"


def disagreement_table(rows: pd.DataFrame, titles: dict[str, str], labels: dict[str, str]) -> pd.DataFrame:
    """One line per claim of a shared point: the group, whether it disagrees, the figure, source, quote."""
    return pd.DataFrame({
        "group": rows["group"].astype(int) + 1,
        "disagree": rows["disagree"].map({True: "⚠ differ", False: "agree"}),
        "country": rows["country_name"].astype(str),
        "indicator": rows["indicator"].astype(str).map(lambda i: labels.get(i, i)),
        "year": rows["year"],
        **({"claim type": rows["claim_type"]} if "claim_type" in rows else {}),
        "value": [f"{c if c != '=' else ''}{_fmt(v, str(u))}".strip()
                  for v, u, c in zip(rows["value"], rows["unit"].astype(str), rows["comparator"].astype(str),
                                     strict=True)],
        "as written": rows["as_written"].astype(str),
        "document": rows["doc"].astype(str),
        "source": rows["doc"].astype(str).map(lambda d: titles.get(d, "")),
        "origin": rows["origin"].astype(str) if "origin" in rows else None,
        "quote": rows["quote"].astype(str),
    })


def comparison_table(compared: pd.DataFrame, titles: dict[str, str], labels: dict[str, str]) -> pd.DataFrame:
    """Claims beside their official values: figure, official (year, series), difference and the flag."""
    official_text = [
        _fmt(v, str(u)) + ("" if pd.isna(lo) or lo == hi else f" (range {_fmt(lo, str(u))}–{_fmt(hi, str(u))})")
        for v, lo, hi, u in zip(compared["official"], compared["official_low"], compared["official_high"],
                                compared["unit"].astype(str), strict=True)
    ]
    return pd.DataFrame({
        "flag": compared["far"].map({True: "⚠ far", False: ""}),
        "country": compared["country_name"].astype(str),
        "indicator": compared["indicator"].astype(str).map(lambda i: labels.get(i, i)),
        "year": compared["compared_year"].astype("Int64"),
        "year from": compared["year_from"].map({"stated": "the text", "publication": "publication date"}),
        "claim": [f"{c if c != '=' else ''}{_fmt(v, str(u))}".strip() for v, u, c in zip(
            compared["value"], compared["unit"].astype(str), compared["comparator"].astype(str), strict=True)],
        "official": official_text,
        "official year": compared["official_year"],
        "difference": compared["difference"].round(2),
        "official series": compared["official_series"].astype(str),
        "document": compared["doc"].astype(str),
        "source": compared["doc"].astype(str).map(lambda d: titles.get(d, "")),
        "origin": compared["origin"].astype(str) if "origin" in compared else None,
        "quote": compared["quote"].astype(str),
    })


def percentile_table(ranks: pd.DataFrame, titles: dict[str, str], labels: dict[str, str]) -> pd.DataFrame:
    """Rank claims with the number ranked, its source and the percentile."""
    return pd.DataFrame({
        "country": ranks["country_name"].astype(str),
        "index": ranks["indicator"].astype(str).map(lambda i: labels.get(i, i)),
        "edition": ranks["year"],
        "rank": ranks["value"].astype(int),
        "of": ranks["n_ranked"],
        "percentile": ranks["percentile"].round(1),
        "top": [None if pd.isna(n) or p is not None else f"top {charts.percentile(r, n)}%"
                for r, n, p in zip(ranks["value"], ranks["n_ranked"], ranks["problem"], strict=True)],
        "number ranked from": ranks["n_ranked_source"].fillna("unknown: no edition size").astype(str),
        "problem": ranks["problem"],
        "document": ranks["doc"].astype(str),
        "source": ranks["doc"].astype(str).map(lambda d: titles.get(d, "")),
        "quote": ranks["quote"].astype(str),
    })
