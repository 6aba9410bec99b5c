"""Pre-aggregates of a claims frame, built once per store version, so a filter change touches only them.

A *series* is one (country, indicator, category, unit); a *cell* is a series in one year slot
(slot i holds year `years[i]`, the last slot the claims with no stated year). Every sidebar
filter keeps or drops whole cells, so:

- `Cube` counts claims per cell: counts, coverage, reach and year bounds of any selection
  are sums over a few thousand cells, whatever the number of claims;
- `Rows` adds the frame sorted by cell (file order inside a cell) with the median and the
  middle-valued claim of each cell, so a chart takes the claims (or, past MAX_POINTS, the
  per-year medians) of exactly the cells it shows, and a table only its first rows;
- `DocIndex` counts claims per document under a selection with numpy on integer codes.

Everything here is pure: frames in, arrays and new frames out; inputs are never modified.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

if TYPE_CHECKING:  # the ETL imports this module to write the store index: no plotly there
    from cadi.filters import Filters

PILE = 2  # figures per cell, on average, past which points() gives one point per cell

SERIES_KEYS = ("country", "indicator", "category", "unit")
SERIES_COLUMNS = (*SERIES_KEYS, "country_name")
# The columns build_store_index reads (cadi.data.COUNT_COLUMNS).
INDEX_COLUMNS = (*SERIES_COLUMNS, "year", "doc")
# Written by the ETL beside claims.parquet (same generation folder), so no visitor builds it.
STORE_INDEX_FILE = "store_index.npz"
STORE_INDEX_FORMAT = 2


@dataclass(frozen=True)
class Cube:
    """Claims per series (rows of `series`) and year slot (columns of `counts`; the last = no year)."""

    series: pd.DataFrame  # SERIES_COLUMNS as str, one row per series
    counts: np.ndarray  # int, shape (len(series), len(years) + 1)
    years: np.ndarray  # int, the year of each slot but the last

    @property
    def n_slots(self) -> int:
        return len(self.years) + 1


@dataclass(frozen=True)
class Rows:
    """A claims frame sorted by cell, with what a chart needs per cell; built once per cached frame."""

    frame: pd.DataFrame  # the claims sorted by series, slot, then file order; RangeIndex
    cube: Cube
    start: np.ndarray  # frame position of each cell's first claim, shape like cube.counts
    median: np.ndarray  # median value per cell (nan where empty)
    middle: np.ndarray  # frame position of each cell's middle-valued claim (-1 where empty)
    last_doc: np.ndarray  # frame position of each cell's claim from the last document by name (-1 where empty)


@dataclass(frozen=True)
class DocIndex:
    """Per claim, its document, series and slot as integer codes, sorted by country then document.

    A selection's claims per document are then counted in its countries' ranges only.
    """

    docs: np.ndarray  # document names, sorted: a claim's doc code indexes this
    country_start: np.ndarray  # first claim of each country (codes as series_country); one more entry
    series_country: np.ndarray  # country code of each series of the Cube
    doc: np.ndarray  # doc code per claim
    series: np.ndarray  # series code per claim (rows of the Cube built from the same frame)
    slot: np.ndarray  # slot per claim


# ---- building (once per store version) ----------------------------------------------------------


def _series_ids(frame: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """A series code per claim, and the series table (categorical columns) sorted by SERIES_KEYS as text."""
    keys = list(SERIES_KEYS)
    ids = frame.groupby(keys, observed=True, sort=False, dropna=False).ngroup().to_numpy()
    _, first = np.unique(ids, return_index=True)
    cols = [c for c in SERIES_COLUMNS if c in frame]
    series = frame.iloc[first][cols].astype(str)
    order = np.lexsort([series[k].to_numpy() for k in reversed(keys)])  # small: one row per series
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    series = series.iloc[order].reset_index(drop=True).astype("category")
    return rank[ids], series


def _slots(year: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(slot per claim, year per slot): years from the smallest to the largest present, then "no year"."""
    known = year.notna().to_numpy()
    values = year.to_numpy(dtype="float64", na_value=np.nan)
    if known.any():
        lo, hi = int(np.nanmin(values)), int(np.nanmax(values))
        years = np.arange(lo, hi + 1)
    else:
        years = np.arange(0)
    slot = np.full(len(year), len(years), dtype=np.int64)
    slot[known] = values[known].astype(np.int64) - (years[0] if len(years) else 0)
    return slot, years


def build_cube(frame: pd.DataFrame) -> Cube:
    """Claims per series and year slot of `frame` (needs SERIES_KEYS and year)."""
    return _build(frame)[0]


def _build(frame: pd.DataFrame) -> tuple[Cube, np.ndarray, np.ndarray]:
    ids, series = _series_ids(frame)
    slot, years = _slots(frame["year"])
    n_slots = len(years) + 1
    flat = np.bincount(ids * n_slots + slot, minlength=len(series) * n_slots)
    counts = flat.reshape(len(series), n_slots).astype(np.min_scalar_type(max(int(flat.max(initial=0)), 1)))
    return Cube(series, counts, years), ids, slot


def build_rows(frame: pd.DataFrame) -> Rows:
    """`frame` sorted by cell, with each cell's start, median value and middle-valued claim."""
    cube, ids, slot = _build(frame)
    cell = ids * cube.n_slots + slot
    order = np.lexsort((np.arange(len(frame)), cell))  # stable: file order inside a cell
    sorted_frame = frame.take(order).reset_index(drop=True)
    counts = cube.counts.astype(np.int64).ravel()
    start = np.cumsum(counts) - counts  # each cell's first row (an empty frame has no cell)
    # limit_points's representative: the claim ranked ceil(n/2) by value (ties in file order).
    value = sorted_frame["value"].to_numpy(dtype="float64", na_value=np.nan)
    by_value = np.lexsort((np.arange(len(frame)), value, cell[order]))
    filled = counts > 0
    middle = np.full(counts.shape, -1, dtype=np.int64)
    median = np.full(counts.shape, np.nan)
    lo = by_value[start[filled] + (counts[filled] - 1) // 2]
    hi = by_value[start[filled] + counts[filled] // 2]
    middle[filled] = by_value[start[filled] + (counts[filled] + 1) // 2 - 1]
    median[filled] = (value[lo] + value[hi]) / 2
    # latest_by_country's pick inside a year: the last document by name, then the last in file order.
    doc_rank, _ = _doc_codes(sorted_frame["doc"])
    by_doc = np.lexsort((np.arange(len(frame)), doc_rank, cell[order]))
    last_doc = np.full(counts.shape, -1, dtype=np.int64)
    last_doc[filled] = by_doc[start[filled] + counts[filled] - 1]
    shape = cube.counts.shape
    return Rows(sorted_frame, cube, start.reshape(shape), median.reshape(shape), middle.reshape(shape),
                last_doc.reshape(shape))


def build_store_index(frame: pd.DataFrame) -> tuple[Cube, DocIndex]:
    """The Cube of `frame` and its claims' (document, series, slot) codes by country and document (needs doc)."""
    cube, ids, slot = _build(frame)
    codes, names = _doc_codes(frame["doc"])
    countries = cube.series["country"].astype(str).to_numpy()
    country_names = np.unique(countries)
    series_country = np.searchsorted(country_names, countries)
    row_country = series_country[ids]
    order = np.lexsort((codes, row_country))
    country_start = np.searchsorted(row_country[order], np.arange(len(country_names) + 1))
    index = DocIndex(
        names,
        country_start,
        series_country,
        codes[order].astype(np.min_scalar_type(max(len(names), 1))),
        ids[order].astype(np.min_scalar_type(max(len(cube.series), 1))),
        slot[order].astype(np.min_scalar_type(cube.n_slots)),
    )
    return cube, index


def save_store_index(path: Path, cube: Cube, index: DocIndex, claims_file: Path) -> None:
    """Write the store index to `path` (npz, no pickle), stamped with the claims file it was built from.

    Series columns as codes into their distinct values and the counts as their non-zero cells: a few
    MB at 1M claims, where fixed-width text and the dense grid took twice the size of the Parquet.
    """
    stat = os.stat(claims_file)
    arrays: dict[str, np.ndarray] = {}
    for col in cube.series.columns:
        codes, names = pd.factorize(cube.series[col].astype(str), sort=True)
        arrays[f"cube_{col}_codes"] = codes.astype(np.min_scalar_type(max(len(names), 1)))
        arrays[f"cube_{col}_names"] = np.asarray(names, dtype=str)
    flat = cube.counts.ravel()
    filled = np.flatnonzero(flat)
    arrays |= {"counts_shape": np.array(cube.counts.shape, dtype=np.int64),
               "counts_at": filled.astype(np.min_scalar_type(max(flat.size, 1))), "counts_n": flat[filled],
               "years": cube.years, "docs": np.asarray(index.docs, dtype=str),
               "country_start": index.country_start, "series_country": index.series_country,
               "doc": index.doc, "series": index.series, "slot": index.slot,
               "stamp": np.array([STORE_INDEX_FORMAT, stat.st_size, stat.st_mtime_ns], dtype=np.int64)}
    with open(path, "wb") as handle:
        np.savez(handle, **arrays)
        handle.flush()
        os.fsync(handle.fileno())


def write_store_index(directory: Path, claims_name: str = "claims.parquet") -> Path:
    """Build the store index of `directory`'s claims file, read as the dashboard reads it, and save it beside."""
    claims_file = Path(directory) / claims_name
    dictionary = [c for c in INDEX_COLUMNS if c != "year"]
    table = pq.read_table(claims_file, columns=list(INDEX_COLUMNS), read_dictionary=dictionary)
    frame = table.to_pandas(types_mapper={pa.int32(): pd.Int32Dtype()}.get, ignore_metadata=True)
    cube, index = build_store_index(frame)
    target = Path(directory) / STORE_INDEX_FILE
    save_store_index(target, cube, index, claims_file)
    return target


def load_store_index(path: Path, claims_size: int, claims_mtime_ns: int) -> tuple[Cube, DocIndex] | None:
    """The store index saved at `path`, or None when it is missing, unreadable or not of this claims file."""
    try:
        with np.load(path, allow_pickle=False) as saved:
            if saved["stamp"].tolist() != [STORE_INDEX_FORMAT, claims_size, claims_mtime_ns]:
                return None  # an older format, or claims.parquet was replaced in place
            series = pd.DataFrame({
                col: pd.Categorical.from_codes(saved[f"cube_{col}_codes"].astype(np.int64),
                                               saved[f"cube_{col}_names"].astype(object))
                for col in SERIES_COLUMNS if f"cube_{col}_codes" in saved.files})
            counts = np.zeros(int(np.prod(saved["counts_shape"])), dtype=saved["counts_n"].dtype)
            counts[saved["counts_at"]] = saved["counts_n"]
            cube = Cube(series, counts.reshape(tuple(saved["counts_shape"])), saved["years"])
            index = DocIndex(saved["docs"].astype(object), saved["country_start"], saved["series_country"],
                             saved["doc"], saved["series"], saved["slot"])
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        return None
    return cube, index


def _doc_codes(doc: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(a code per claim, the document names) with codes in name order."""
    if isinstance(doc.dtype, pd.CategoricalDtype):
        names = doc.cat.categories.astype(str).to_numpy()
        rank = np.argsort(np.argsort(names, kind="stable"))
        codes = rank[doc.cat.codes.to_numpy()]
        return codes, np.sort(names)
    codes, names = pd.factorize(doc.astype(str), sort=True)
    return codes, np.asarray(names, dtype=object)


# ---- selecting (every rerun: work on cells, not claims) -----------------------------------------


def slot_mask(years: np.ndarray, filters: Filters) -> np.ndarray:
    """Which slots (years, then "no year") the filters keep."""
    if filters.year_min is None or filters.year_max is None:
        dated = np.ones(len(years), dtype=bool)
    else:
        dated = (years >= filters.year_min) & (years <= filters.year_max)
    return np.append(dated, filters.include_no_year)


def series_mask(
    cube: Cube, filters: Filters, *, countries: bool = True, **where: str | Iterable[str]
) -> np.ndarray:
    """Which series the filters keep (`countries=False`: any country), narrowed by `where` {column: value(s)}."""
    series = cube.series
    keep = series["category"].isin(filters.categories).to_numpy().copy()
    if countries:
        keep &= series["country"].isin(filters.countries).to_numpy()
    for column, wanted in where.items():
        values = [wanted] if isinstance(wanted, str) else list(wanted)
        keep &= series[column].isin(values).to_numpy()
    return keep


def selected_counts(cube: Cube, keep: np.ndarray, slots: np.ndarray) -> pd.DataFrame:
    """The kept series with claims in the kept slots: SERIES_COLUMNS plus n (claims), in cube order."""
    rows = np.flatnonzero(keep)
    n = cube.counts[rows][:, slots].sum(axis=1, dtype=np.int64)
    has = n > 0
    out = cube.series.iloc[rows[has]].reset_index(drop=True)
    return out.assign(n=n[has])


def year_totals(cube: Cube, keep: np.ndarray, slots: np.ndarray) -> tuple[pd.Series, int]:
    """(claims per dated year, claims with no year) among kept series and slots."""
    per_slot = cube.counts[keep].sum(axis=0, dtype=np.int64) * slots
    return pd.Series(per_slot[:-1], index=cube.years), int(per_slot[-1])


def summary(counts: pd.DataFrame, years: pd.Series, undated: int, documents: int) -> dict[str, int | None]:
    """query.summary's figures from a selection's counts (selected_counts, year_totals, doc_counts)."""
    from etl.schema import REGIONS

    codes = set(counts["country"])
    present = years[years > 0].index
    return {
        "claims": int(counts["n"].sum()),
        "countries": sum(c not in REGIONS for c in codes),
        "regions": sum(c in REGIONS for c in codes),
        "indicators": int(counts["indicator"].nunique()),
        "documents": documents,
        "year_min": int(present.min()) if len(present) else None,
        "year_max": int(present.max()) if len(present) else None,
        "undated": undated,
    }


def doc_counts(index: DocIndex, keep: np.ndarray, slots: np.ndarray, docs: Sequence[str] | None = None) -> pd.Series:
    """Claims per document among kept series and slots: every document, or only `docs` (sorted names; 0 if none)."""
    first, last = 0, len(index.docs)
    if docs is not None:
        if len(docs) == 0:
            return pd.Series(dtype="int64")
        first = int(np.searchsorted(index.docs, docs[0], side="left"))
        last = int(np.searchsorted(index.docs, docs[-1], side="right"))
    counts = np.zeros(last - first, dtype=np.int64)
    for country in np.unique(index.series_country[keep]):  # only the selected countries' claims
        lo, hi = index.country_start[country], index.country_start[country + 1]
        if docs is not None:  # inside a country, claims are in document order
            lo, hi = lo + np.searchsorted(index.doc[lo:hi], [first, last])
        kept = keep[index.series[lo:hi]] & slots[index.slot[lo:hi]]
        counts += np.bincount(index.doc[lo:hi][kept].astype(np.int64) - first, minlength=last - first)
    per_doc = pd.Series(counts, index=index.docs[first:last])
    return per_doc if docs is None else per_doc.reindex(list(docs), fill_value=0)


# ---- rows of what a chart or table shows ---------------------------------------------------------


def cells(rows: Rows, keep: np.ndarray, slots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(series, slot) of the non-empty kept cells, in frame order."""
    kept = np.flatnonzero(keep)  # a few series: never a mask over every cell
    s, t = np.nonzero((rows.cube.counts[kept] > 0) & slots[None, :])
    return kept[s], t


def positions(rows: Rows, keep: np.ndarray, slots: np.ndarray, limit: int | None = None) -> np.ndarray:
    """Frame positions of the kept claims in frame order (the first `limit` if given)."""
    s, t = cells(rows, keep, slots)
    starts = rows.start[s, t]
    sizes = rows.cube.counts[s, t].astype(np.int64)
    if limit is not None:
        ends = np.cumsum(sizes)
        upto = int(np.searchsorted(ends, limit)) + 1
        starts, sizes = starts[:upto], sizes[:upto]
    if not len(sizes):
        return np.arange(0)
    # Ranges [start, start + size) concatenated without a Python loop.
    offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(sizes)[:-1]]), sizes)
    out = offsets + np.arange(int(sizes.sum()))
    return out[:limit] if limit is not None else out


def count(rows: Rows | Cube, keep: np.ndarray, slots: np.ndarray) -> int:
    """How many claims the kept cells hold."""
    cube = rows.cube if isinstance(rows, Rows) else rows
    return int(cube.counts[keep][:, slots].sum(dtype=np.int64))


def take(
    rows: Rows, keep: np.ndarray, slots: np.ndarray, limit: int | None = None, columns: Sequence[str] | None = None
) -> pd.DataFrame:
    """The kept claims (the first `limit`; only `columns` if given), in frame order: by series, year, file order."""
    frame = rows.frame if columns is None else rows.frame[list(columns)]
    return frame.iloc[positions(rows, keep, slots, limit)]


def undated(slots: np.ndarray) -> np.ndarray:
    """Only the "no year" slot, if `slots` keeps it."""
    out = np.zeros_like(slots)
    out[-1] = slots[-1]
    return out


def piles_up(n_points: int, n_cells: int, max_points: int) -> bool:
    """Whether `n_points` figures in `n_cells` cells are past `max_points` or PILE per cell on average."""
    return n_points > max_points or n_points > PILE * n_cells


def points(rows: Rows, keep: np.ndarray, slots: np.ndarray, max_points: int, by: str) -> tuple[pd.DataFrame, str]:
    """The dated claims a chart plots; past `max_points`, one point per series and year (piles_up).

    The aggregated point is the cell's middle-valued claim (its quote and document) carrying the
    cell's median value and comparator "~"; the note says so, as limit_points' does.
    """

    dated = slots.copy()
    dated[-1] = False
    s, t = cells(rows, keep, dated)
    total = int(rows.cube.counts[s, t].sum(dtype=np.int64))
    if not piles_up(total, len(s), max_points):
        return take(rows, keep, dated), ""
    out = rows.frame.iloc[rows.middle[s, t]].assign(value=rows.median[s, t], comparator="~")
    return out, f"Aggregated: median of {total:,} figures per {by.replace('_', ' ')} and year."


def top_values(rows: Rows, keep: np.ndarray, slots: np.ndarray, n: int) -> pd.DataFrame:
    """The `n` kept claims with the largest values (ties: first in frame order)."""
    where = positions(rows, keep, slots)
    if len(where) > n:
        values = rows.frame["value"].to_numpy(dtype="float64", na_value=np.nan)[where]
        best = np.lexsort((np.arange(len(where)), -values))[:n]
        where = np.sort(where[best])
    return rows.frame.iloc[where]


def doc_counts_of(rows: Rows, keep: np.ndarray, slots: np.ndarray, top: int | None = None) -> tuple[pd.Series, int]:
    """(claims per document among the kept claims, most first, ties by name; how many documents).

    With `top`, only the `top` first documents are listed (a caption names a few, counts the rest).
    """
    doc = rows.frame["doc"]
    where = positions(rows, keep, slots)
    if isinstance(doc.dtype, pd.CategoricalDtype):
        counts = np.bincount(doc.cat.codes.to_numpy()[where], minlength=len(doc.cat.categories))
        names = doc.cat.categories
    else:
        per_doc = doc.iloc[where].astype(str).value_counts()
        counts, names = per_doc.to_numpy(), per_doc.index
    present = np.flatnonzero(counts)
    n_docs = len(present)
    if top == 0:
        present = present[:0]
    elif top is not None and len(present) > top:
        # Only the documents that can be among the first `top` are sorted by name.
        floor = np.partition(counts[present], len(present) - top)[len(present) - top]
        present = present[counts[present] >= floor]
    listed = pd.Series(counts[present], index=np.asarray(names[present], dtype=str))
    listed = listed.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
    return (listed if top is None else listed.head(top)), n_docs


def latest(rows: Rows, keep: np.ndarray, slots: np.ndarray) -> pd.DataFrame:
    """query.latest_by_country on the kept claims: per country the latest dated claim (else an undated one)."""
    kept = np.flatnonzero(keep)
    mask = (rows.cube.counts[kept] > 0) & slots[None, :]
    if not mask.any():
        return rows.frame.iloc[0:0]
    has = mask.any(axis=1)
    series, mask = kept[has], mask[has]
    dated = mask[:, :-1]
    has_dated = dated.any(axis=1)
    last_dated = np.zeros(len(series), np.int64)
    if dated.shape[1]:
        last_dated = dated.shape[1] - 1 - np.argmax(dated[:, ::-1], axis=1)
    slot = np.where(has_dated, last_dated, rows.cube.n_slots - 1)
    out = rows.frame.iloc[rows.last_doc[series, slot]]
    # Several series of one country (two units or categories): keep the latest, as latest_by_country does.
    order = out.assign(_dated=out["year"].notna(), _year=out["year"].fillna(-1), _doc=out["doc"].astype(str),
                       _country=out["country"].astype(str))
    order = order.sort_values(["_country", "_dated", "_year", "_doc"], kind="stable")
    return order.drop_duplicates("_country", keep="last").drop(columns=["_dated", "_year", "_doc", "_country"])


def series_of(rows: Rows, **where: str | Sequence[str] | Mapping) -> np.ndarray:
    """A mask over the series of `rows` by column values (no filters): e.g. indicator="x"."""
    keep = np.ones(len(rows.cube.series), dtype=bool)
    for column, wanted in where.items():
        values = [wanted] if isinstance(wanted, str) else list(wanted)
        keep &= rows.cube.series[column].isin(values).to_numpy()
    return keep
