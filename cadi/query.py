"""Filtering and aggregation of claims: plain, vectorised pandas functions.

Every function takes frames and returns new ones; inputs (often the shared cached
frames) are never modified.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cadi import aggregates
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
    "claim_type",
    "subject",
    "counterpart",
    "as_written",
    "quote",
    "title",
    "publisher",
    "published",
    "url",
    "doc",
    "country",
    "indicator",
    "year_basis",
    "origin",
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


def ranking_indices(claims: pd.DataFrame, labels: Mapping[str, str]) -> dict[str, str]:
    """indicator id -> label of the ranking indices in `claims`, most claims first."""
    return indicators_present(claims[claims["category"] == "ranking"], labels)


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


def search_rows(
    claims: pd.DataFrame, chosen: Filters, text: str, titles: Mapping[str, str] | None = None,
    limit: int = MAX_TABLE_ROWS, offset: int = 0,
) -> tuple[pd.DataFrame, int]:
    """The claims the filters keep that contain `text` (explorer_rows): rows offset.., and how many in all."""
    return explorer_rows(claims, mask(claims, chosen), text, titles, limit=limit, offset=offset)


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
    claims: pd.DataFrame, sources: pd.DataFrame | Mapping[str, str] | Citations, labels: Mapping[str, str]
) -> pd.DataFrame:
    """The claims as the explorer shows them: readable columns first, quote and source on every row.

    `sources`: the sources table, its Citations (title, publisher, published, url), or document -> title.
    """
    docs = claims["doc"].astype(str)
    if isinstance(sources, Citations):
        meta = sources.meta
    elif isinstance(sources, Mapping):
        meta = pd.DataFrame({"title": pd.Series(_only(sources, docs), dtype=object)})
    else:
        meta = sources.set_index(sources["doc"].astype(str))[[c for c in SOURCE_COLUMNS if c in sources]]
    meta = meta.reindex(docs.unique())
    out = claims.assign(
        indicator_label=_labels(claims["indicator"], labels),
        **{c: docs.map(meta[c]).to_numpy() for c in SOURCE_COLUMNS if c in meta},
    )
    return out[[c for c in EXPLORER_COLUMNS if c in out]]


def documents_table(sources: pd.DataFrame, claims: pd.DataFrame | pd.Series) -> pd.DataFrame:
    """The documents with metadata, claims in the store and claims that pass the current filters.

    `claims`: the filtered claims, or their count per document (aggregates.doc_counts).
    """
    shown = claims if isinstance(claims, pd.Series) else _counts(claims["doc"])
    out = sources.copy()
    out["claims_shown"] = out["doc"].astype(str).map(shown).fillna(0).astype(int)
    cols = ["title", "publisher", "published", "url", "place", "doc", "n_claims", "claims_shown"]  # by name first
    return out[[c for c in cols if c in out]].sort_values("doc").reset_index(drop=True)


# Markdown a converted document carries that a reader never sees: emphasis marks, escapes, heading hashes.
_MARKDOWN_NOISE = re.compile(r"\*\*|__|\\(?=[\\`*_{}\[\]()#+\-.!$|<>~])|^#{1,6}\s+", re.MULTILINE)


def reader_text(text: str) -> str:
    """`text` without Markdown syntax ("**50%**" -> "50%", "\\$1B" -> "$1B"); plain text, not HTML."""
    return _MARKDOWN_NOISE.sub("", text)


def highlight_html(text: str, spans: Iterable[tuple[int, int, str]], reader: bool = True) -> str:
    """The document text HTML-escaped, with each (start, end, title) span wrapped in <mark>.

    Overlapping or out-of-range spans are skipped; everything outside the marks is
    escaped text, so markup in a document is shown literally. `reader`: each piece without its
    Markdown syntax (reader_text), cut at the original offsets first, so every mark stays on its figure.
    """
    show = reader_text if reader else str
    parts: list[str] = []
    pos = 0
    for start, end, title in sorted(spans):
        if start < pos or end <= start or end > len(text):
            continue
        parts.append(html.escape(show(text[pos:start])))
        parts.append(f'<mark title="{html.escape(title, quote=True)}">{html.escape(show(text[start:end]))}</mark>')
        pos = end
    parts.append(html.escape(show(text[pos:])))
    return "".join(parts)


# ---- sources by name -----------------------------------------------------------------------------

SOURCE_COLUMNS = ("title", "publisher", "published", "url")


def citation(title: object, publisher: object, published: object, url: object = None, doc: str = "") -> str:
    """A source as a reader cites it: "Title. Publisher, 12 March 2024. https://…" (the file name when no title)."""
    def known(value: object) -> bool:
        return value is not None and not (isinstance(value, float) and np.isnan(value)) and str(value).strip() != "" \
            and not pd.isna(value)

    parts = [str(title).strip() if known(title) else doc]
    when = pd.Timestamp(published).strftime("%-d %B %Y") if known(published) else ""
    by = ", ".join(p for p in (str(publisher).strip() if known(publisher) else "", when) if p)
    text = parts[0] + (f". {by}" if by else "")
    return text + (f". {url}" if known(url) else "")


def short_citation(title: object, publisher: object, published: object, doc: str = "") -> str:
    """A source in a caption or a figure's source line: "Title (Publisher, 2024)"."""
    name = str(title).strip() if isinstance(title, str) and title.strip() else doc
    extra = [str(publisher).strip() if isinstance(publisher, str) and publisher.strip() else ""]
    if published is not None and not pd.isna(published):
        extra.append(str(pd.Timestamp(published).year))
    extra = [e for e in extra if e]
    return name + (f" ({', '.join(extra)})" if extra else "")


@dataclass(frozen=True)
class Citations:
    """Per document: its full citation, its short one and its metadata columns (built once per store)."""

    full: dict[str, str]
    short: dict[str, str]
    meta: pd.DataFrame  # indexed by doc: title, publisher, published, url


def citations(sources: pd.DataFrame) -> Citations:
    """The Citations of the sources table."""
    docs = sources["doc"].astype(str).tolist()
    cols = {c: sources[c].tolist() if c in sources else [None] * len(docs) for c in SOURCE_COLUMNS}
    full = {d: citation(t, p, w, u, d) for d, t, p, w, u in
            zip(docs, cols["title"], cols["publisher"], cols["published"], cols["url"], strict=True)}
    short = {d: short_citation(t, p, w, d) for d, t, p, w in
             zip(docs, cols["title"], cols["publisher"], cols["published"], strict=True)}
    meta = pd.DataFrame(cols, index=pd.Index(docs, name="doc"))
    return Citations(full, short, meta)


def with_sources(rows: pd.DataFrame, cited: Citations) -> pd.DataFrame:
    """`rows` plus title, publisher, published, url, source (the full citation) and source_short per row."""
    docs = rows["doc"].astype(str)
    meta = cited.meta.reindex(docs.unique())
    out = rows.assign(**{c: docs.map(meta[c]).to_numpy() for c in SOURCE_COLUMNS if c not in rows})
    return out.assign(source=docs.map(_only(cited.full, docs)).fillna(docs).to_numpy(),
                      source_short=docs.map(_only(cited.short, docs)).fillna(docs).to_numpy())


def source_line(docs: Iterable[str], cited: Citations, n_docs: int | None = None, names: int = 3) -> str:
    """The documents behind a chart, most figures first: "Title (Publisher, 2024); … and 4 more"."""
    docs = list(docs)
    n_docs = max(n_docs or 0, len(docs))
    named = [cited.short.get(d, d) for d in docs[:names]]
    more = f" and {n_docs - len(named)} more" if n_docs > len(named) else ""
    return "; ".join(named) + more + (". " if named else "") + "Compiled by Central Asia Digital Indicators."


# ---- honest series ------------------------------------------------------------------------------

EXACT_COMPARATORS = ("=", "~")


def claim_type(rows: pd.DataFrame) -> pd.Series:
    """Each row's claim type: actual, target, forecast or estimate (actual in a store without the column)."""
    if "claim_type" in rows:
        return rows["claim_type"].astype(object).where(rows["claim_type"].notna(), "actual").astype(str)
    return pd.Series("actual", index=rows.index, dtype=object)


def latest_actual(rows: pd.DataFrame) -> pd.DataFrame:
    """Per country the latest figure that is dated and actual: never an undated figure, a target or a forecast.

    In the latest year an exact figure ("=", "~") wins over a bound ("more than 80%"); then the last
    document by name, then the last in file order, so the result is stable.
    """
    ok = rows["year"].notna() & claim_type(rows).isin(["actual", "estimate"]).to_numpy()
    rows = rows[ok]
    if rows.empty:
        return rows
    order = rows.assign(
        _year=rows["year"].astype("float64"),
        _exact=rows["comparator"].astype(str).isin(EXACT_COMPARATORS).to_numpy(),
        _actual=(claim_type(rows) == "actual").to_numpy(),
        _doc=rows["doc"].astype(str),
        _country=rows["country"].astype(str),
    ).sort_values(["_country", "_year", "_exact", "_actual", "_doc"], kind="stable")
    picked = order.drop_duplicates("_country", keep="last")
    return picked.drop(columns=["_year", "_exact", "_actual", "_doc", "_country"]).reset_index(drop=True)


def start_end_changes(rows: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """Per series with one actual exact figure in both `start` and `end`: the two values and their change.

    Only series (country, indicator, unit, subject) that state both years are listed: no change is ever
    computed between unrelated figures.
    """
    keys = ["country_name", "indicator_label" if "indicator_label" in rows else "indicator", "unit", "subject"]
    ok = claim_type(rows).eq("actual").to_numpy() & rows["comparator"].astype(str).isin(EXACT_COMPARATORS).to_numpy()
    part = rows[ok & rows["year"].isin([start, end]).fillna(False).to_numpy()]
    part = part.assign(subject=part["subject"].astype(object).fillna("") if "subject" in part else "")
    cols = ["country_name", "indicator", "unit", "subject", f"{start}", f"{end}", "change", "change (%)"]
    if part.empty or start == end:
        return pd.DataFrame(columns=cols)
    grouped = part.groupby([*[k for k in keys], "year"], observed=True, dropna=False)["value"]
    single = grouped.transform("size") == 1  # two figures for one year: no change can be told
    wide = part[single].pivot_table(index=keys, columns="year", values="value", aggfunc="first", observed=True)
    if start not in wide or end not in wide:
        return pd.DataFrame(columns=cols)
    wide = wide[[start, end]].dropna().reset_index()
    wide.columns = cols[:6]
    wide["change"] = wide[f"{end}"] - wide[f"{start}"]
    wide["change (%)"] = (100 * wide["change"] / wide[f"{start}"].where(wide[f"{start}"] != 0)).round(1)
    return wide


# ---- the selection pages ask ---------------------------------------------------------------------


def _ranges(starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The positions [start, start + size) of each range, concatenated, without a Python loop."""
    sizes = sizes.astype(np.int64)
    if not len(sizes) or not sizes.sum():
        return np.arange(0)
    offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(sizes)[:-1]]), sizes)
    return offsets + np.arange(int(sizes.sum()))


@dataclass(frozen=True)
class Selection:
    """The claims a page shows: sorted rows (aggregates.Rows), the kept series and the kept year slots.

    Pages ask it for counts, points, latest values, top values and documents; a new filter changes
    `of` only. Every answer works on cells (series × year), never on a mask over every claim.
    """

    rows: aggregates.Rows
    keep: np.ndarray
    slots: np.ndarray

    @classmethod
    def of(cls, rows: aggregates.Rows, chosen: Filters, *, countries: bool = True, **where) -> Selection:
        keep = aggregates.series_mask(rows.cube, chosen, countries=countries, **where)
        return cls(rows, keep, aggregates.slot_mask(rows.cube.years, chosen))

    def where(self, **where) -> Selection:
        """Narrowed to the series whose columns take these values (indicator=..., unit=..., category=...)."""
        return Selection(self.rows, self.keep & aggregates.series_of(self.rows, **where), self.slots)

    def dated(self) -> Selection:
        slots = self.slots.copy()
        slots[-1] = False
        return Selection(self.rows, self.keep, slots)

    def undated(self) -> Selection:
        return Selection(self.rows, self.keep, aggregates.undated(self.slots))

    def in_year(self, year: int) -> Selection:
        """Only the figures of `year` (none when the filters leave it out)."""
        slots = np.zeros_like(self.slots)
        where = np.flatnonzero(self.rows.cube.years == year)
        if len(where):
            slots[where[0]] = self.slots[where[0]]
        return Selection(self.rows, self.keep, slots)

    @property
    def years(self) -> list[int]:
        """The years with figures in the selection, latest first."""
        present = (self.rows.cube.counts[self.keep][:, :-1] > 0).any(axis=0) & self.slots[:-1]
        return [int(y) for y in self.rows.cube.years[present][::-1]]

    def counts(self) -> pd.DataFrame:
        """Claims per kept series (aggregates.selected_counts)."""
        return aggregates.selected_counts(self.rows.cube, self.keep, self.slots)

    def count(self) -> int:
        return aggregates.count(self.rows, self.keep, self.slots)

    def take(self, limit: int | None = None, columns: Sequence[str] | None = None) -> pd.DataFrame:
        return aggregates.take(self.rows, self.keep, self.slots, limit=limit, columns=columns)

    def points(self, max_points: int) -> tuple[pd.DataFrame, str]:
        """The dated figures a chart draws, never averaged.

        Past `max_points`, one real figure per cell (series × year): the cell's middle-valued claim with its
        own value, quote and source, and `cell_figures` saying how many the cell holds, so the chart never
        joins it by a line. The work is per cell, not per claim. Returns (rows, note); note "" when all drawn.
        """
        dated = self.dated()
        s, t = aggregates.cells(self.rows, dated.keep, dated.slots)
        sizes = self.rows.cube.counts[s, t].astype(np.int64)
        total = int(sizes.sum())
        if total <= max_points:
            return dated.take(), ""
        if len(s) > max_points:  # more cells than points: the first cells in series order
            s, t, sizes = s[:max_points], t[:max_points], sizes[:max_points]
        out = self.rows.frame.iloc[self.rows.middle[s, t]].assign(cell_figures=sizes)
        note = (f"{len(out):,} of {total:,} figures drawn: for a series and year with several figures, one of them "
                "(the middle value, with its own source), never joined by a line; the Table tab and the Data explorer "
                "list them all.")
        return out, note

    def latest(self) -> pd.DataFrame:
        """Per country its latest dated, actual figure (latest_actual), looking back one year at a time."""
        dated = self.dated()
        s, t = aggregates.cells(self.rows, dated.keep, dated.slots)
        if not len(s):
            return self.rows.frame.iloc[0:0]
        country = self.rows.cube.series["country"].astype(str).to_numpy()[s]
        found = []
        for code in np.unique(country):
            mine = country == code
            for slot in np.unique(t[mine])[::-1]:  # the latest year first: most countries stop there
                cell = mine & (t == slot)
                rows = self.rows.frame.iloc[_ranges(self.rows.start[s[cell], t[cell]],
                                                    self.rows.cube.counts[s[cell], t[cell]])]
                best = latest_actual(rows)
                if len(best):
                    found.append(best)
                    break
        return pd.concat(found, ignore_index=True) if found else self.rows.frame.iloc[0:0]

    def top_values(self, n: int) -> pd.DataFrame:
        return aggregates.top_values(self.rows, self.keep, self.slots, n)

    def documents(self, top: int | None = None) -> tuple[pd.Series, int]:
        """(claims per document, most first; how many documents): aggregates.doc_counts_of."""
        return aggregates.doc_counts_of(self.rows, self.keep, self.slots, top=top)


def not_in(selection: Selection, taken: pd.Index, limit: int) -> pd.DataFrame:
    """The first `limit` claims of `selection` whose frame positions are not in `taken` (no full copy)."""
    where = aggregates.positions(selection.rows, selection.keep, selection.slots)
    return selection.rows.frame.iloc[where[~np.isin(where, taken.to_numpy())][:limit]]
