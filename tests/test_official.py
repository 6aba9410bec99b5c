"""The official-series importer: both layouts, the code map, what is skipped, the bundled snapshot."""

from __future__ import annotations

import math
import subprocess
import sys

import pandas as pd
import pytest

from etl import official, paths

WIDE = '''"Data Source","World Development Indicators",

"Last Updated Date","2024-11-13",

"Country Name","Country Code","Indicator Name","Indicator Code","2021","2022","2023",
"Kazakhstan","KAZ","Individuals using the Internet (% of population)","IT.NET.USER.ZS","90.924","92.2969","92.8785",
"Tajikistan","TJK","Individuals using the Internet (% of population)","IT.NET.USER.ZS","28.34","36.0872","",
"Europe & Central Asia","ECA","Individuals using the Internet (% of population)","IT.NET.USER.ZS","85","86","87",
"World","WLD","Individuals using the Internet (% of population)","IT.NET.USER.ZS","62","64","67.4",
"Kazakhstan","KAZ","Population, total","SP.POP.TOTL","19000000","19600000","20000000",
'''

LONG = """country_iso3,indicator_code,indicator_name,year,value,source,source_url
KAZ,EGDI_RANK,rank,2022,28,UN,u
KAZ,EGDI,score,2022,0.8628,UN,u
GEO,GII_RANK_DERIVED_BEST,best,2022,72,WIPO,u
GEO,GII_RANK_DERIVED_WORST,worst,2022,75,WIPO,u
KAZ,GII_RANK_DERIVED_BEST,best,2019,79,WIPO,u
KAZ,GII_RANK_DERIVED_WORST,worst,2019,80,WIPO,u
KAZ,GII_RANK,published,2019,79,WIPO,u
UZB,IT.CEL.SETS.P2,mobile,2023,n/a,ITU,u
UZB,IT.NET.BBND.P2,broadband,2023,"14,5",ITU,u
"""


def _row(frame: pd.DataFrame, country: str, indicator: str, year: int) -> dict | None:
    hit = frame[(frame["country"] == country) & (frame["indicator"] == indicator) & (frame["year"] == year)]
    return hit.iloc[0].to_dict() if len(hit) else None


@pytest.mark.parametrize(
    ("country", "indicator", "year", "value", "unit"),
    [
        ("KAZ", "internet_penetration_pct", 2023, 92.8785, "percent"),
        ("KAZ", "internet_penetration_pct", 2021, 90.924, "percent"),
        ("TJK", "internet_penetration_pct", 2022, 36.0872, "percent"),
        ("WLD", "internet_penetration_pct", 2023, 67.4, "percent"),
    ],
)
def test_wide_layout_values_land_on_our_indicators(country, indicator, year, value, unit):
    frame, _ = official.parse_official(WIDE)
    row = _row(frame, country, indicator, year)
    assert row is not None and math.isclose(row["value"], value) and row["unit"] == unit
    assert row["series"] == "IT.NET.USER.ZS"


@pytest.mark.parametrize(
    ("country", "indicator", "year"),
    [
        ("TJK", "internet_penetration_pct", 2023),  # a blank cell is no value, not 0
        ("ECA", "internet_penetration_pct", 2023),  # a World Bank aggregate is not a country
        ("KAZ", "population", 2023),  # an unmapped code
    ],
)
def test_wide_layout_near_misses_are_skipped(country, indicator, year):
    frame, report = official.parse_official(WIDE)
    assert _row(frame, country, indicator, year) is None
    assert report.skipped_codes == {"SP.POP.TOTL": 3}
    assert "ECA" in report.skipped_countries


@pytest.mark.parametrize(
    ("country", "indicator", "year", "value", "low", "high", "series"),
    [
        ("KAZ", "egdi_rank", 2022, 28, None, None, "EGDI_RANK"),
        ("GEO", "gii_rank", 2022, 72, 72, 75, "GII_RANK_DERIVED"),  # bounds only: the best stands in
        ("KAZ", "gii_rank", 2019, 79, 79, 80, "GII_RANK"),  # the published rank wins, bounds kept
        ("UZB", "broadband_penetration_pct", 2023, 14.5, None, None, "IT.NET.BBND.P2"),  # decimal comma
    ],
)
def test_long_layout(country, indicator, year, value, low, high, series):
    frame, report = official.parse_official(LONG)
    row = _row(frame, country, indicator, year)
    assert row is not None and row["value"] == value and row["series"] == series
    assert (row["low"], row["high"]) == (low, high) or (pd.isna(row["low"]) and low is None)
    assert report.skipped_codes == {"EGDI": 1}
    assert report.bad_values == 1  # "n/a"
    assert _row(frame, "UZB", "mobile_penetration_pct", 2023) is None


@pytest.mark.parametrize(
    "text",
    ["", "a,b,c\n1,2,3\n", "Country Code,Indicator Code\nKAZ,IT.NET.USER.ZS\n", "country,year,value\nKAZ,2020,1\n"],
)
def test_unknown_layouts_are_refused_with_a_sentence(text):
    with pytest.raises(official.OfficialFileError, match="expected|needs"):
        official.parse_official(text)


def test_import_replaces_the_same_series_point_and_keeps_the_rest(tmp_path):
    target = tmp_path / "imported.csv"
    first = tmp_path / "a.csv"
    first.write_text(LONG, encoding="utf-8")
    official.import_files([first], target)
    second = tmp_path / "b.csv"
    second.write_text("country,indicator_code,year,value\nKAZ,EGDI_RANK,2022,24\n", encoding="utf-8")
    new, lines = official.import_files([second], target)
    stored = official.read_official_csv(target)
    assert _row(stored, "KAZ", "egdi_rank", 2022)["value"] == 24
    assert _row(stored, "GEO", "gii_rank", 2022)["high"] == 75
    assert len(stored) == 4 and len(new) == 1
    assert lines == ["b.csv: 1 value(s) for egdi_rank"]


def test_cli_refuses_a_file_of_another_layout(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n1,2\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "etl.official", str(bad)], capture_output=True, text=True,
                          env={"CADI_HOME": str(tmp_path), "PATH": ""}, cwd=paths.REPO_ROOT)
    assert done.returncode == 2 and "no header of a known layout" in done.stderr
    assert not (tmp_path / "data" / "official").exists()


def test_bundled_snapshot_loads_without_the_shared_folder():
    snapshot = official.read_official_csv(paths.official_snapshot_file())
    assert set(snapshot["country"]) <= set(official.SNAPSHOT_COUNTRIES)
    assert set(snapshot["indicator"]) == {
        "internet_penetration_pct", "mobile_penetration_pct", "broadband_penetration_pct", "egdi_rank", "gii_rank"}
    # Values the issue names, as the World Bank publishes them.
    assert _row(snapshot, "KAZ", "internet_penetration_pct", 2023)["value"] == pytest.approx(92.8785)
    assert _row(snapshot, "TJK", "internet_penetration_pct", 2022)["value"] == pytest.approx(36.0872)
    assert _row(snapshot, "KAZ", "egdi_rank", 2022)["value"] == 28


SHARED = paths.REPO_ROOT.parent / "shared" / "reference"


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/reference is not beside the repo")
def test_bundled_snapshot_is_what_the_reference_files_give(tmp_path):
    rebuilt, _ = official.build_snapshot(SHARED, tmp_path / "official.csv")
    committed = official.read_official_csv(paths.official_snapshot_file())
    pd.testing.assert_frame_equal(rebuilt, official.read_official_csv(tmp_path / "official.csv"))
    pd.testing.assert_frame_equal(committed, rebuilt)


def test_sources_and_editions_tables_name_every_series():
    snapshot = official.read_official_csv(paths.official_snapshot_file())
    sources = pd.read_csv(paths.official_sources_file())
    assert set(snapshot["series"]) <= set(sources["series"])
    assert sources["licence"].notna().all() and sources["publisher"].notna().all()


def test_import_from_the_app_reads_bytes_and_refuses_what_is_not_text(tmp_path):
    target = tmp_path / "imported.csv"
    rows, lines = official.import_upload("API_IT.NET.USER.ZS.csv", WIDE.encode("utf-8"), target)
    assert len(rows) == 8  # KAZ 3 years, TJK 2 (one cell blank), WLD 3; ECA and the population code skipped
    assert lines[0].startswith("API_IT.NET.USER.ZS.csv: 8 value(s) for internet_penetration_pct")
    assert _row(official.read_official_csv(target), "KAZ", "internet_penetration_pct", 2023)["value"] == 92.8785
    with pytest.raises(official.OfficialFileError, match="NUL"):
        official.import_upload("x.csv", b"\x00\x01binary", target)
    with pytest.raises(official.OfficialFileError, match="larger than"):
        official.import_upload("x.csv", b"a" * (official.MAX_BYTES + 1), target)
