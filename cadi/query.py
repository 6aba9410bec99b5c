"""Filtering and aggregation of claims: plain, vectorised pandas functions.

Every function takes frames and returns new ones; inputs (often the shared cached
frames) are never modified.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cadi.filters import Filters, mask
from etl.schema import CATEGORIES, REGIONS

# Budget indicators pair up by their ending (budget_planned / event_budget_actual, ...).
BUDGET_MEASURES = {"planned": r"_planned$", "actual": r"_actual$"}
MAX_TABLE_ROWS = 10_000  # rows explorer_rows returns at most
SCAN_CHUNK_ROWS = 262_144  # filtered_page's step through the claims
SEARCH_COLUMNS = ("quote", "doc", "title", "country_name", "indicator", "subject", "as_written")
EXPLORER_COLUMNS = (
    "country_name",
    "indicator_label",
    "category",
    "comparator",
    "value",
    "unit",
    "rank_of",
    "year",
    "subject",
    "as_written",
    "quote",
    "doc",
    "title",
    "country",
    "indicator",
    "year_basis",
    "claim_id",
)


def _labels(indicator: pd.Series, labels: Mapping[str, str]) -> pd.Series:
    ids = indicator.astype(str)
    return ids.map(_only(labels, ids)).fillna(ids.str.replace("_", " "))


def _only(mapping: Mapping[str, str], keys: pd.Series) -> dict[str, str]:
    """The entries of `mapping` for the values in `keys`: Series.map copies a whole dict it is given."""
    return {k: mapping[k] for k in keys.unique() if k in mapping}


def _weights(frame: pd.DataFrame) -> pd.Series:
    """Claims each row stands for: 1 for a claim, `n` for a row of counts (aggregates.selected_counts)."""
    return frame["n"] if "n" in frame else pd.Series(1, index=frame.index)


def _weighted_counts(frame: pd.DataFrame, column: str) -> pd.Series:
    """Claims per value of `column` keyed by str, most first (ties by value), zero counts dropped."""
    if "n" not in frame:
        counts = _counts(frame[column])
    else:
        counts = _weights(frame).groupby(frame[column], observed=True).sum()
        counts = counts[counts > 0]
        counts.index = counts.index.astype(str)
    return counts.sort_index().sort_values(ascending=False, kind="stable")


def usual_units(claims: pd.DataFrame) -> list[str]:
    """The units of `claims` (claims or counts), most claims first (ties by name)."""
    return list(_weighted_counts(claims, "unit").index)


def usual_unit(claims: pd.DataFrame, indicator: str) -> str | None:
    """The unit most claims (or counts) of `indicator` are in (ties: first by name); None if none."""
    counts = _weighted_counts(claims[claims["indicator"] == indicator], "unit")
    return counts.index[0] if len(counts) else None


def _counts(column: pd.Series) -> pd.Series:
    """value_counts keyed by str, without turning a categorical column of millions of rows into strings."""
    counts = column.value_counts(sort=True)
    counts = counts[counts > 0]  # a categorical also lists the categories that no row has
    counts.index = counts.index.astype(str)
    return counts


def summary(claims: pd.DataFrame) -> dict[str, int | None]:
    """Counts for the overview: claims, countries, regions, indicators, documents, years, undated claims."""
    codes = _counts(claims["country"]).index if len(claims) else np.array([], dtype=str)
    years = claims["year"].dropna()
    return {
        "claims": len(claims),
        "countries": int(sum(c not in REGIONS for c in codes)),
        "regions": int(sum(c in REGIONS for c in codes)),
        "indicators": int(claims["indicator"].nunique()),
        "documents": int(claims["doc"].nunique()),
        "year_min": int(years.min()) if len(years) else None,
        "year_max": int(years.max()) if len(years) else None,
        "undated": int(claims["year"].isna().sum()),
    }


def claims_per_category(claims: pd.DataFrame) -> pd.DataFrame:
    """One row per category (all five, zero included): category, claims. `claims` may be counts (an n column)."""
    counts = _weighted_counts(claims, "category")
    return pd.DataFrame({"category": list(CATEGORIES), "claims": [int(counts.get(c, 0)) for c in CATEGORIES]})


def coverage_matrix(
    claims: pd.DataFrame, labels: Mapping[str, str], countries: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Claims per country (rows, readable names) × indicator (columns, labels); 0 where reports are silent.

    `countries` (code -> name) fixes the rows so that a selected country with no data shows as an empty row.
    `claims` may be counts (an n column).
    """
    counts = (
        _weights(claims)
        .groupby([claims["country"], claims["indicator"]], observed=True)
        .sum()
        .rename("n")
        .reset_index()
        if len(claims)
        else pd.DataFrame({"country": [], "indicator": [], "n": []})
    )
    matrix = counts.pivot_table(index="country", columns="indicator", values="n", fill_value=0, aggfunc="sum")
    matrix.index = matrix.index.astype(str)
    matrix.columns = matrix.columns.astype(str)
    if countries is not None:
        matrix = matrix.reindex(list(countries), fill_value=0)
        matrix.index = [countries[c] for c in matrix.index]
    else:
        names = claims.drop_duplicates("country").set_index("country")["country_name"].astype(str)
        names.index = names.index.astype(str)
        matrix.index = [names.get(c, c) for c in matrix.index]
    order = matrix.sum(axis=0).sort_values(ascending=False).index
    matrix = matrix[order]
    matrix.columns = [labels.get(c, c.replace("_", " ")) for c in matrix.columns]
    return matrix.astype(int)


def indicators_by_reach(claims: pd.DataFrame, labels: Mapping[str, str]) -> dict[str, str]:
    """indicator id -> label, the indicators given for most countries (regions not counted) first: map choices.

    `claims` may be counts (an n column).
    """
    countries = claims[~claims["country"].isin(list(REGIONS))]
    reach = countries.groupby("indicator", observed=True)["country"].nunique()
    reach.index = reach.index.astype(str)
    claims_n = _weighted_counts(countries, "indicator")
    order = pd.DataFrame({"reach": reach, "n": claims_n.reindex(reach.index)}).sort_values(
        ["reach", "n"], ascending=False, kind="stable"
    )
    return {i: labels.get(i, i.replace("_", " ")) for i in order.index}


def indicators_present(claims: pd.DataFrame, labels: Mapping[str, str]) -> dict[str, str]:
    """indicator id -> label for the indicators in `claims` (claims or counts), most claims first."""
    ids = _weighted_counts(claims, "indicator").index
    return {i: labels.get(i, i.replace("_", " ")) for i in ids}


def latest_by_country(claims: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """Per country, the latest dated claim of `indicator` (undated only where a country has no dated one).

    Ties within a year keep the last document in name order, so the result is stable.
    """
    rows = claims[claims["indicator"] == indicator]
    if rows.empty:
        return rows.iloc[0:0]
    order = rows.assign(_dated=rows["year"].notna(), _year=rows["year"].fillna(-1), _doc=rows["doc"].astype(str))
    order = order.sort_values(["country", "_dated", "_year", "_doc"], kind="stable")
    latest = order.drop_duplicates("country", keep="last").drop(columns=["_dated", "_year", "_doc"])
    return latest.reset_index(drop=True)


def indicator_rows(claims: pd.DataFrame, indicator: str, labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Claims of one indicator, sorted by country and year, with n_points per country series and a label."""
    rows = claims[claims["indicator"] == indicator]
    return with_series_info(rows, "country", labels or {})


def with_series_info(rows: pd.DataFrame, by: str, labels: Mapping[str, str]) -> pd.DataFrame:
    """`rows` sorted by series and year, plus indicator_label and n_points (dated points in the series)."""
    out = rows.sort_values([by, "year"], kind="stable", na_position="last").copy()
    out["indicator_label"] = _labels(out["indicator"], labels) if len(out) else pd.Series(dtype=str)
    key = out[by].astype(str)
    out["n_points"] = out["year"].notna().groupby(key, observed=True).transform("sum").astype(int)
    return out


def labelled(rows: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    """`rows` (already in series and year order, as aggregates gives them) with an indicator_label column."""
    label = _labels(rows["indicator"], labels) if len(rows) else pd.Series(dtype=str, index=rows.index)
    return rows.assign(indicator_label=label)


def dated(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows with a stated or inferred year."""
    return rows[rows["year"].notna()]


def undated(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows with no year: shown beside a chart, never placed on a time axis."""
    return rows[rows["year"].isna()]


def by_category(claims: pd.DataFrame, labels: Mapping[str, str]) -> dict[str, pd.DataFrame]:
    """The claims split by category (categories without claims left out), in CATEGORIES order."""
    out = {}
    category = claims["category"].astype(str)
    for name in CATEGORIES:
        part = claims[category == name]
        if len(part):
            out[name] = with_series_info(part, "indicator", labels)
    return out


def ranking_indices(claims: pd.DataFrame, labels: Mapping[str, str]) -> dict[str, str]:
    """indicator id -> label of the ranking indices in `claims`, most claims first."""
    return indicators_present(claims[claims["category"] == "ranking"], labels)


def ranking_rows(
    claims: pd.DataFrame, labels: Mapping[str, str], indicators: Iterable[str] | None = None
) -> dict[str, pd.DataFrame]:
    """Ranking claims per index (indicator id -> rows sorted by country and year); all indices or `indicators`."""
    rows = claims[claims["category"] == "ranking"]
    wanted = list(indicators) if indicators is not None else list(ranking_indices(rows, labels))
    rows = rows[rows["indicator"].isin(wanted)]
    parts = dict(tuple(rows.groupby(rows["indicator"].astype(str), observed=True, sort=False)))
    return {i: with_series_info(parts[i], "country", labels) for i in wanted if i in parts}


def top_indicators(rows: pd.DataFrame, n: int = 8) -> tuple[pd.DataFrame, str]:
    """The rows of the `n` indicators with most figures, and a note saying how many were left out ("" if none)."""
    counts = _counts(rows["indicator"])
    if len(counts) <= n:
        return rows, ""
    kept = rows[rows["indicator"].isin(list(counts.index[:n]))]
    return kept, f"The {n} indicators with most figures of {len(counts)}; the Data explorer lists all."


@dataclass(frozen=True)
class TopIndicators:
    """The indicators a category's charts show, and a note saying how many were left out ("" if none)."""

    indicators: tuple[str, ...]
    note: str


def top_indicators_by_category(counts: pd.DataFrame, n: int = 8) -> dict[str, TopIndicators]:
    """Per category (CATEGORIES order, empty ones left out): its `n` indicators with most claims (top_indicators)."""
    out = {}
    for category in CATEGORIES:
        ranked = _weighted_counts(counts[counts["category"].astype(str) == category], "indicator")
        if ranked.empty:
            continue
        note = "" if len(ranked) <= n else (
            f"The {n} indicators with most figures of {len(ranked)}; the Data explorer lists all."
        )
        out[category] = TopIndicators(tuple(ranked.index[:n]), note)
    return out


def budget_measure_indicators(indicators: Iterable[str]) -> list[str]:
    """The budget indicators that are one side of a planned/actual pair (BUDGET_MEASURES)."""
    patterns = [re.compile(p) for p in BUDGET_MEASURES.values()]
    return [i for i in indicators if any(p.search(i) for p in patterns)]


def amount_rows(rows: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    """Money claims ready for charts.amount_bars: labels, a subject label (the indicator's when none)."""
    rows = with_series_info(rows, "country", labels)
    rows["subject_label"] = rows["subject"].astype(str).where(rows["subject"].notna(), rows["indicator_label"])
    return rows.sort_values(["country_name", "value"], kind="stable")


def rank_of_text(rows: pd.DataFrame) -> str:
    """ "out of 193" (or "out of 132–193") from the rank_of values the rows give; "" when none."""
    known = rows["rank_of"].dropna()
    if known.empty:
        return ""
    lo, hi = int(known.min()), int(known.max())
    return f"out of {lo}" if lo == hi else f"out of {lo}–{hi}"


def amounts_by_unit(claims: pd.DataFrame, labels: Mapping[str, str], category: str = "investment") -> dict:
    """Money claims of `category` split by unit (currency), most claims first; units never mix."""
    rows = claims[claims["category"] == category]
    if rows.empty:
        return {}
    rows = amount_rows(rows, labels)
    unit = rows["unit"].astype(str)
    units = unit.value_counts(sort=False).sort_index().sort_values(ascending=False, kind="stable")
    return {u: rows[unit == u] for u in units.index}


def budget_comparison(claims: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Budget lines per (document, country, subject, unit): planned vs actual.

    Returns (both, other): `both` holds the lines that a document gives planned AND
    actual for, one row per line and measure (measure = planned | actual); `other`
    holds every remaining budget claim (planned only, actual only, variances).
    """
    rows = claims[claims["category"] == "budget"]
    keys = ["doc", "country", "subject", "unit"]
    indicator = rows["indicator"].astype(str)
    measure = pd.Series(None, index=rows.index, dtype=object)
    for name, pattern in BUDGET_MEASURES.items():
        measure = measure.mask(indicator.str.contains(pattern, regex=True), name)
    pair = rows[measure.notna()].assign(measure=measure[measure.notna()])
    if len(pair):
        # dropna=False: a budget line without a subject is still a line (pandas 3 keeps NaN in astype(str)).
        grouped = pair.groupby(keys, observed=True, dropna=False, sort=False)["measure"]
        both = pair[grouped.transform("nunique") == 2]
    else:
        both = pair
    other = rows.drop(index=both.index)
    both = both.sort_values(["doc", "subject", "measure"], ascending=[True, True, False], kind="stable")
    return both, other


def filtered_page(claims: pd.DataFrame, filters: Filters, start: int, stop: int) -> pd.DataFrame:
    """The claims the filters keep, numbers start..stop-1 of them in file order.

    The frame is scanned in chunks only as far as the page needs, so showing the first
    page of a large selection does not touch every claim.
    """
    found: list[np.ndarray] = []
    seen = lo = 0
    step = max(4 * stop, 1024)
    while lo < len(claims) and seen < stop:
        hits = np.flatnonzero(mask(claims.iloc[lo : lo + step], filters).to_numpy()) + lo
        found.append(hits[max(start - seen, 0) : max(stop - seen, 0)])
        seen += len(hits)
        lo += step
        step = min(2 * step, SCAN_CHUNK_ROWS)  # sparse selections: longer steps
    return claims.iloc[np.concatenate(found) if found else np.arange(0)]


def explorer_rows(
    claims: pd.DataFrame,
    keep: pd.Series,
    text: str = "",
    titles: Mapping[str, str] | None = None,
    limit: int = MAX_TABLE_ROWS,
    offset: int = 0,
) -> tuple[pd.DataFrame, int]:
    """Claims offset..offset+limit-1 under the mask `keep` that contain `text`, and how many match in all.

    Only the search columns of the masked rows are scanned, and only `limit` full rows are
    copied, so a rerun stays cheap on millions of claims.
    """
    positions = np.flatnonzero(keep.to_numpy())
    if text.strip():
        cols = [c for c in SEARCH_COLUMNS if c in claims]
        scanned = claims.iloc[positions][cols]
        if titles is not None and "doc" in scanned:
            scanned = scanned.assign(title=scanned["doc"].map(titles))
        hits = search_mask(scanned, text).to_numpy()
        positions = positions[hits]
    return claims.iloc[positions[offset : offset + limit]], len(positions)


def search_mask(frame: pd.DataFrame, text: str, columns: Iterable[str] = SEARCH_COLUMNS) -> pd.Series:
    """Rows where any of `columns` contains `text` (case-insensitive, literal, all words must match)."""
    words = [w for w in text.lower().split() if w]
    keep = pd.Series(True, index=frame.index)
    if not words:
        return keep
    cols = [c for c in columns if c in frame]
    haystack = frame[cols[0]].astype(str).fillna("").str.lower() if cols else pd.Series("", index=frame.index)
    for col in cols[1:]:
        haystack = haystack + "\x1f" + frame[col].astype(str).fillna("").str.lower()
    for word in words:
        keep &= haystack.str.contains(word, regex=False)
    return keep


def explorer_table(
    claims: pd.DataFrame, sources: pd.DataFrame | Mapping[str, str], labels: Mapping[str, str]
) -> pd.DataFrame:
    """The claims as the explorer shows them: readable columns first, quote and source on every row.

    `sources`: the sources table, or document -> title (data.source_titles).
    """
    docs = claims["doc"].astype(str)
    if isinstance(sources, Mapping):
        titles = _only(sources, docs)
    else:
        titles = sources.set_index(sources["doc"].astype(str))["title"]
    out = claims.assign(
        indicator_label=_labels(claims["indicator"], labels),
        title=docs.map(titles),
    )
    return out[[c for c in EXPLORER_COLUMNS if c in out]]


def documents_table(sources: pd.DataFrame, claims: pd.DataFrame | pd.Series) -> pd.DataFrame:
    """The documents with metadata, claims in the store and claims that pass the current filters.

    `claims`: the filtered claims, or their count per document (aggregates.doc_counts).
    """
    shown = claims if isinstance(claims, pd.Series) else _counts(claims["doc"])
    out = sources.copy()
    out["claims_shown"] = out["doc"].astype(str).map(shown).fillna(0).astype(int)
    cols = ["doc", "title", "publisher", "published", "place", "url", "n_claims", "claims_shown"]
    return out[[c for c in cols if c in out]].sort_values("doc").reset_index(drop=True)


def highlight_html(text: str, spans: Iterable[tuple[int, int, str]]) -> str:
    """The document text HTML-escaped, with each (start, end, title) span wrapped in <mark>.

    Overlapping or out-of-range spans are skipped; everything outside the marks is
    escaped text, so markup in a document is shown literally.
    """
    parts: list[str] = []
    pos = 0
    for start, end, title in sorted(spans):
        if start < pos or end <= start or end > len(text):
            continue
        parts.append(html.escape(text[pos:start]))
        parts.append(f'<mark title="{html.escape(title, quote=True)}">{html.escape(text[start:end])}</mark>')
        pos = end
    parts.append(html.escape(text[pos:]))
    return "".join(parts)
