"""Loading the processed store: one cached read per file version, shared by all sessions.

Frames returned here are shared between sessions and reruns: callers must not
modify them (the query layer only builds masks and new frames).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import streamlit as st

from cadi import aggregates, clustered
from etl import paths
from etl.schema import REGIONS, SchemaError, check

REBUILD_HINT = "Run `python -m etl` (or `make etl`) to build it."
FILES = {"claims": paths.CLAIMS_FILE, "indicators": paths.INDICATORS_FILE, "sources": paths.SOURCES_FILE}

# Low-cardinality text columns are read dictionary-encoded: pandas categoricals,
# so masks and group-bys stay cheap at millions of rows.
DICTIONARY_COLUMNS = (
    "doc",
    "country",
    "country_name",
    "indicator",
    "category",
    "unit",
    "year_basis",
    "comparator",
    "subject",
    "origin",
)
# What the overview's counts and the sidebar need: no quotes, no offsets.
COUNT_COLUMNS = ("country", "country_name", "indicator", "category", "unit", "year", "doc")
# What a chart and its hover need: no offsets, no ids.
CHART_COLUMNS = (*COUNT_COLUMNS, "value", "comparator", "rank_of", "subject", "quote", "as_written",
                 "year_basis")
_INT_TYPES = {pa.int32(): pd.Int32Dtype(), pa.int64(): pd.Int64Dtype()}

Where = Mapping[str, Sequence]
Version = tuple[tuple[str, int, int], ...]


class DataUnavailable(Exception):
    """The store cannot be read; `str(exc)` is a sentence for the reader, with the fix."""

    def __init__(self, message: str, kind: str = "missing") -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Catalog:
    """What the store holds, for the sidebar and the overview."""

    countries: dict[str, str]  # code -> readable name, countries by name then regions
    year_min: int | None
    year_max: int | None
    categories: tuple[str, ...]
    n_claims: int


def store_dir() -> Path:
    """The processed store the dashboard reads (`$CADI_DATA_DIR` or the repo's data/processed)."""
    return paths.processed_dir()


def store_version(directory: Path | None = None) -> Version:
    """(resolved path, mtime_ns, size) of each output file: the cache key; raises DataUnavailable."""
    directory = directory or store_dir()
    # Resolve the ETL's `current` generation once, so the three files always come from the same
    # run even if a new run switches the link while this page loads.
    try:
        base = (directory / "current").resolve(strict=True) if (directory / "current").is_symlink() else directory
    except OSError:
        base = directory
    version = []
    missing = []
    for name in FILES.values():
        try:
            resolved = (base / name).resolve(strict=True)
            stat = resolved.stat()
        except (FileNotFoundError, OSError):
            missing.append(name)
            continue
        version.append((str(resolved), stat.st_mtime_ns, stat.st_size))
    if missing:
        raise DataUnavailable(
            f"No processed data yet: {', '.join(missing)} is missing in `{directory}`. {REBUILD_HINT}",
            "missing",
        )
    return tuple(version)


def _where_key(where: Where | None) -> tuple:
    if not where:
        return ()
    return tuple(sorted((col, tuple(sorted(map(str, values)))) for col, values in where.items()))


def read_table(path: Path, name: str, columns: Sequence[str] | None = None, where: Where | None = None) -> pd.DataFrame:
    """Read one Parquet file of the store, checked against the data contract (no caching)."""
    try:
        file_schema = pq.read_schema(path)
        check(file_schema.empty_table(), name)
        cols = list(columns) if columns is not None else None
        dictionary = [c for c in DICTIONARY_COLUMNS if c in (cols or file_schema.names)] if name == "claims" else []
        if where:
            table = _read_where(path, cols, where, dictionary)
        else:
            table = pq.read_table(path, columns=cols, read_dictionary=dictionary)
        if name != "claims":  # small tables: the full check (nulls, enums) is cheap
            check(table, name)
        table = _one_chunk(table)
        frame = table.to_pandas(types_mapper=_INT_TYPES.get, ignore_metadata=True)
        if name == "sources":  # listed by name: sorted once here, not on every rerun
            frame = frame.sort_values("doc", kind="stable").reset_index(drop=True)
        return frame
    except SchemaError as exc:
        raise DataUnavailable(
            f"`{path.name}` does not match the data contract ({exc}). Rebuild it: {REBUILD_HINT}", "corrupt"
        ) from exc
    except (pa.ArrowException, OSError, ValueError, KeyError) as exc:
        raise DataUnavailable(
            f"`{path.name}` cannot be read ({type(exc).__name__}: {exc}). Rebuild it: {REBUILD_HINT}",
            "corrupt",
        ) from exc


def _read_where(path: Path, columns: list[str] | None, where: Where, dictionary: list[str]) -> pa.Table:
    """The rows whose `where` columns hold one of the given values, in file order.

    Row groups are chosen here from their min/max statistics (pq.read_table's filters still read
    every row group of a 62-group file: 3.4 s against 0.06 s for one indicator's 31k rows), then
    only their rows that match are kept.
    """
    parquet = pq.ParquetFile(path, read_dictionary=dictionary)
    meta = parquet.metadata
    names = meta.schema.names
    groups = [g for g in range(meta.num_row_groups)
              if all(_may_hold(meta.row_group(g).column(names.index(col)).statistics, values)
                     for col, values in where.items())]
    needed = list(dict.fromkeys([*(columns if columns is not None else parquet.schema_arrow.names), *where]))
    table = parquet.read_row_groups(groups, columns=needed)
    for col, values in where.items():
        column = table.column(col)
        if pa.types.is_dictionary(column.type):
            column = column.cast(column.type.value_type)
        value_set = pa.array(list(values)).cast(column.type)
        table = table.filter(pc.is_in(column, value_set=value_set))
    return table.select(columns) if columns is not None else table


def _may_hold(stats, values: Sequence) -> bool:
    """False only when a row group's statistics prove that none of `values` is in it."""
    if stats is None or not stats.has_min_max:
        return True
    try:
        return any(stats.min <= value <= stats.max for value in values)
    except TypeError:  # statistics of another type than the values: read the group
        return True


def _one_chunk(table: pa.Table) -> pa.Table:
    """Text columns in one chunk: taking rows from a text column of many chunks copies the whole column."""
    for i, field in enumerate(table.schema):
        column = table.column(i)
        if column.num_chunks > 1 and (pa.types.is_string(field.type) or pa.types.is_large_string(field.type)):
            try:
                table = table.set_column(i, field, pa.chunked_array([column.combine_chunks()], field.type))
            except pa.ArrowInvalid:  # over 2 GB of text in one column: left in chunks
                pass
    return table


def _file(version: Version, name: str) -> Path:
    """The resolved file of table `name` in a store version."""
    return Path(dict(zip(FILES, (v[0] for v in version), strict=True))[name])


@st.cache_resource(max_entries=24, show_spinner="Loading data…")
def _cached_table(version: Version, name: str, columns: tuple[str, ...] | None, where: tuple) -> pd.DataFrame:
    return read_table(_file(version, name), name, columns, {col: list(values) for col, values in where} or None)


def load_claims(columns: Sequence[str] | None = None, where: Where | None = None) -> pd.DataFrame:
    """Claims (all columns or a projection; `where` = {column: values} pushed down), cached per version."""
    return _cached_table(store_version(), "claims", tuple(columns) if columns else None, _where_key(where))


def load_indicators() -> pd.DataFrame:
    """The indicator catalogue (id, label, category, unit, definition), cached per file version."""
    return _cached_table(store_version(), "indicators", None, ())


def load_sources() -> pd.DataFrame:
    """The documents with their metadata and claim counts, cached per file version."""
    return _cached_table(store_version(), "sources", None, ())


def source_titles() -> dict[str, str]:
    """document -> title ("" when none), cached per file version: captions look titles up on every rerun."""
    return _cached_titles(store_version())


@st.cache_resource(max_entries=2, show_spinner=False)
def _cached_titles(version: Version) -> dict[str, str]:
    sources = _cached_table(version, "sources", None, ())
    return dict(zip(sources["doc"].astype(str), sources["title"].fillna("").astype(str), strict=True))


def store_index() -> tuple[aggregates.Cube, aggregates.DocIndex]:
    """Claims per series × year and per document of the whole store: computed once per store version."""
    return _cached_store_index(store_version())


@st.cache_resource(max_entries=2, show_spinner="Counting the claims…")
def _cached_store_index(version: Version) -> tuple[aggregates.Cube, aggregates.DocIndex]:
    saved = saved_store_index(version)
    if saved is not None:
        return saved
    # A store without one (written by hand or before the ETL wrote it): built here, once per version.
    return aggregates.build_store_index(_cached_table(version, "claims", COUNT_COLUMNS, ()))


def saved_store_index(version: Version) -> tuple[aggregates.Cube, aggregates.DocIndex] | None:
    """The store index the ETL wrote beside this version's claims file, if it is that file's (else None)."""
    claims, _, size = dict(zip(FILES, version, strict=True))["claims"]
    path = Path(claims).parent / aggregates.STORE_INDEX_FILE
    try:
        mtime_ns = Path(claims).stat().st_mtime_ns
    except OSError:
        return None
    return aggregates.load_store_index(path, size, mtime_ns)


def load_rows(columns: Sequence[str] | None = None, where: Where | None = None) -> aggregates.Rows:
    """Claims (projection, push-down as load_claims) sorted by series and year, with per-year medians: cached."""
    return _cached_rows(store_version(), tuple(columns) if columns else None, _where_key(where))


@st.cache_resource(max_entries=24, show_spinner="Loading data…")
def _cached_rows(version: Version, columns: tuple[str, ...] | None, where: tuple) -> aggregates.Rows:
    # Read here, not through _cached_table: the sorted Rows replace the frame, so it is not kept twice.
    filters = {col: list(values) for col, values in where} or None
    frame = read_table(_claims_for(version, filters), "claims", columns, filters)
    return aggregates.build_rows(frame)


def _claims_for(version: Version, where: Where | None) -> Path:
    """The claims file to read `where` from: a copy clustered on its columns when the ETL wrote one.

    Same rows, and the same order inside each series and year (the copies are sorted stably), so
    build_rows gives the same Rows; only fewer row groups are read.
    """
    claims, mtime_ns, size = dict(zip(FILES, version, strict=True))["claims"]
    if where:
        copy = clustered.copy_for(Path(claims), size, mtime_ns, where)
        if copy is not None:
            return copy
    return Path(claims)


def catalog() -> Catalog:
    """Countries (with names), year bounds and categories present in the store."""
    return _cached_catalog(store_version())


@st.cache_resource(max_entries=4, show_spinner=False)
def _cached_catalog(version: Version) -> Catalog:
    # From the store index's series and counts: no pass over the claims.
    return catalog_of_cube(_cached_store_index(version)[0])


def catalog_of_cube(cube: aggregates.Cube) -> Catalog:
    """The Catalog of the claims a Cube counts (pure; equal to build_catalog of those claims).

    Works on the series columns' codes: one row per country, not one per series (200k at 1M claims).
    """
    present = cube.counts.sum(axis=1, dtype=np.int64) > 0
    series = cube.series[present]
    country = series["country"].astype("category")
    codes, first = np.unique(country.cat.codes.to_numpy(), return_index=True)
    names = dict(zip(country.cat.categories[codes].astype(str),
                     series["country_name"].iloc[first].astype(str), strict=True))
    for code, name in REGIONS.items():
        if code in names:
            names[code] = name
    ordered = sorted(names, key=lambda code: (code in REGIONS, names[code]))
    dated = np.flatnonzero(cube.counts[:, :-1].sum(axis=0, dtype=np.int64))
    category = series["category"].astype("category")
    return Catalog(
        countries={code: names[code] for code in ordered},
        year_min=int(cube.years[dated[0]]) if len(dated) else None,
        year_max=int(cube.years[dated[-1]]) if len(dated) else None,
        categories=tuple(sorted(category.cat.categories[np.unique(category.cat.codes.to_numpy())].astype(str))),
        n_claims=int(cube.counts.sum(dtype=np.int64)),
    )


def build_catalog(claims: pd.DataFrame) -> Catalog:
    """The Catalog of a claims frame (pure; used by catalog())."""
    names = (
        claims[["country", "country_name"]]
        .drop_duplicates("country")
        .astype(str)
        .set_index("country")["country_name"]
        .to_dict()
    )
    for code, name in REGIONS.items():
        if code in names:
            names[code] = name
    ordered = sorted(names, key=lambda code: (code in REGIONS, names[code]))
    years = claims["year"].dropna()
    return Catalog(
        countries={code: names[code] for code in ordered},
        year_min=int(years.min()) if len(years) else None,
        year_max=int(years.max()) if len(years) else None,
        categories=tuple(sorted(claims["category"].astype(str).unique())),
        n_claims=len(claims),
    )


def indicator_labels() -> dict[str, str]:
    """indicator id -> readable label."""
    frame = load_indicators()
    return dict(zip(frame["id"].astype(str), frame["label"].astype(str), strict=True))


def read_document(doc: str) -> str | None:
    """The text of raw document `doc`, or None if it is not in the raw directory."""
    if not doc or Path(doc).name != doc or doc.startswith("."):
        return None  # only plain file names: no path from the data can leave raw_dir
    path = paths.raw_dir() / doc
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


@lru_cache(maxsize=1)
def map_shapes() -> dict:
    """The committed region outlines (GeoJSON FeatureCollection keyed by ISO alpha-3 ids)."""
    return json.loads(paths.MAP_ASSET.read_text(encoding="utf-8"))
