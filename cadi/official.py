"""Official series and the checks on the store, loaded once per file version and shared by all sessions.

The pages call these; the decisions live in cadi.checks (what differs, what is compared) and the
figure layer in cadi.official_chart. Frames returned here are shared: callers must not modify them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cadi import checks, data, official_chart
from etl import official as importer
from etl import paths, schema

# The claim columns the checks need: no quotes (the largest column), which `with_quotes` adds to shown rows.
CHECK_COLUMNS = tuple(c for c in (
    "claim_id", "doc", "country", "country_name", "indicator", "category", "value", "as_written", "unit", "year",
    "comparator", "rank_of", "origin", "claim_type", "counterpart",
) if c in schema.CLAIMS.names)
MAX_SHOWN = 1000  # rows of a checks table sent to the browser
FileVersion = tuple[str, int, int] | None


@dataclass(frozen=True)
class Checks:
    """The store checked: claims sharing a point with other documents, claims beside official values, ranks."""

    disagreements: pd.DataFrame
    compared: pd.DataFrame
    ranks: pd.DataFrame


def _version(path: Path) -> FileVersion:
    try:
        stat = path.stat()
    except OSError:
        return None
    return str(path), stat.st_mtime_ns, stat.st_size


def official_version() -> tuple[FileVersion, FileVersion]:
    return _version(paths.official_snapshot_file()), _version(paths.official_imports_file())


def official_series() -> pd.DataFrame:
    """The bundled snapshot with the user's imports over it, plus region means (checks.with_regions)."""
    return _cached_official(official_version())


@st.cache_resource(max_entries=2, show_spinner=False)
def _cached_official(version: tuple[FileVersion, FileVersion]) -> pd.DataFrame:
    snapshot = importer.read_official_csv(paths.official_snapshot_file())
    imported = importer.read_official_csv(paths.official_imports_file())
    return checks.with_regions(importer.merge(snapshot, imported) if len(imported) else snapshot)


@st.cache_data(max_entries=4, show_spinner=False)
def _read_csv(path: str, version: FileVersion) -> pd.DataFrame:
    return pd.read_csv(path) if version else pd.DataFrame()


def sources_table() -> pd.DataFrame:
    """Each official series: publisher, licence, address, the copy it came from."""
    path = paths.official_sources_file()
    return _read_csv(str(path), _version(path))


def editions() -> pd.DataFrame:
    """Index editions and how many countries each ranked."""
    path = paths.editions_file()
    frame = _read_csv(str(path), _version(path))
    return frame if len(frame) else pd.DataFrame(columns=["index", "edition", "n_ranked", "source"])


def store_checks() -> Checks:
    """Disagreements, claims against official values and rank percentiles of the whole store; raises
    data.DataUnavailable."""
    return _cached_checks(data.store_version(), official_version(), _version(paths.editions_file()))


@st.cache_resource(max_entries=2, show_spinner="Checking the figures…")
def _cached_checks(version: data.Version, official: tuple, editions_version: FileVersion) -> Checks:
    claims = data.load_claims(CHECK_COLUMNS)
    sources = data.load_sources()
    published = {str(d): p.year for d, p in zip(sources["doc"], sources["published"], strict=True) if not pd.isna(p)}
    return Checks(
        disagreements=checks.disagreements(claims),
        compared=checks.compare_with_official(claims, official_series(), published),
        ranks=checks.rank_percentiles(claims, editions()),
    )


def indicator_disagreements(indicator: str, countries: list[str] | tuple[str, ...]) -> pd.DataFrame:
    """The dated, disagreeing claims of one indicator for `countries` (what a chart of it rings)."""
    by_country = _cached_indicator_disagreements(data.store_version(), indicator)
    parts = [by_country[c] for c in countries if c in by_country]
    return pd.concat(parts) if parts else pd.DataFrame()


@st.cache_resource(max_entries=16, show_spinner=False)
def _cached_indicator_disagreements(version: data.Version, indicator: str) -> dict[str, pd.DataFrame]:
    # Split by country once per store version: a rerun then takes its countries' rows, with no mask over
    # every claim of the indicator (which grew with the store and cost Compare its rerun target at 1M).
    found = checks.disagreements(data.load_claims(CHECK_COLUMNS, where={"indicator": [indicator]}),
                                 flagged_only=True)
    found = found[found["year"].notna()]
    return {str(country): rows for country, rows in found.groupby(found["country"].astype(str), sort=False)}


def with_quotes(rows: pd.DataFrame) -> pd.DataFrame:
    """`rows` (at most MAX_SHOWN of them) with each claim's quote, read for those claims only."""
    rows = rows.head(MAX_SHOWN)
    if rows.empty:
        return rows.assign(quote=pd.Series(dtype=str))
    quotes = _cached_quotes(data.store_version(), tuple(sorted(rows["claim_id"].astype(str).unique())))
    return rows.assign(quote=rows["claim_id"].astype(str).map(quotes))


@st.cache_data(max_entries=32, show_spinner=False)
def _cached_quotes(version: data.Version, ids: tuple[str, ...]) -> dict[str, str]:
    claims_file = Path(dict(zip(data.FILES, (v[0] for v in version), strict=True))["claims"])
    frame = data.read_table(claims_file, "claims", ["claim_id", "quote"], {"claim_id": list(ids)})
    return dict(zip(frame["claim_id"].astype(str), frame["quote"].astype(str), strict=True))


def decorate(fig: go.Figure, indicator: str, unit: str, countries: list[str] | tuple[str, ...],
             names: dict[str, str] | None = None) -> go.Figure:
    """The hook for a claims chart of one indicator: official lines behind, disagreeing points ringed.

    Never raises: a chart without its overlay is better than no chart.
    """
    try:
        series = official_series()
        flagged = indicator_disagreements(indicator, list(countries))
    except (data.DataUnavailable, OSError, ValueError, KeyError):
        return fig
    rows = series[(series["indicator"] == indicator) & series["country"].isin(list(countries))]
    rows = rows[rows["unit"].map(checks.unit_family) == checks.unit_family(unit)]
    official_chart.add_official_lines(fig, rows, names or {})
    official_chart.mark_disagreements(fig, flagged)
    return fig
