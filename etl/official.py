"""Official series: read the World Bank's CSV layouts (and the long layout), map them to our indicators.

Two layouts are read, told apart by their header (never by the file name):

- **wide** (the World Bank's bulk download, `API_IT.NET.USER.ZS_DS2_en_csv_v2_*.csv`): a few metadata
  lines, then `Country Name, Country Code, Indicator Name, Indicator Code, 1960, 1961, ...`;
- **long**: one row per value, with a country column (`country_iso3`, `country`, `Country Code`,
  `iso3`), an indicator code column (`indicator_code`, `Indicator Code`), `year` and `value`: the
  layout of the files in ../shared/reference/.

Each row's indicator code is mapped through `CODES` to one of our indicator ids; other codes are
counted and skipped. The result has the columns of `COLUMNS` (see the README, "Official series").

`python -m etl.official FILE...` imports files into `data/official/imported.csv` (rows for the same
series, country and year are replaced); `python -m etl.official --snapshot DIR` rebuilds the bundled
snapshot `data/official/official.csv` from a folder of long-layout files (the maintainers' step).
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import os
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pycountry

from etl import paths
from etl.read import decode

# Official code -> (our indicator, unit of the official value).
CODES = {
    "IT.NET.USER.ZS": ("internet_penetration_pct", "percent"),
    "IT.CEL.SETS.P2": ("mobile_penetration_pct", "per 100 people"),
    "IT.NET.BBND.P2": ("broadband_penetration_pct", "per 100 people"),
    "EGDI_RANK": ("egdi_rank", "rank"),
    "GII_RANK": ("gii_rank", "rank"),
    # Bounds computed from every economy's published score (ties on the rounded score): see the README.
    "GII_RANK_DERIVED_BEST": ("gii_rank", "rank"),
    "GII_RANK_DERIVED_WORST": ("gii_rank", "rank"),
}
BOUND_CODES = {"GII_RANK_DERIVED_BEST": "low", "GII_RANK_DERIVED_WORST": "high"}
DERIVED_SERIES = "GII_RANK_DERIVED"  # the series name a bounds-only rank is stored under
# The ten CAREC members the reference files cover (Afghanistan has no official series there) and the World.
CAREC = ("AFG", "AZE", "CHN", "GEO", "KAZ", "KGZ", "MNG", "PAK", "TJK", "TKM", "UZB")
SNAPSHOT_COUNTRIES = (*CAREC, "WLD")
COLUMNS = ("country", "indicator", "year", "value", "low", "high", "unit", "series")

COUNTRY_HEADERS = ("country_iso3", "country code", "country", "iso3", "country_code")
CODE_HEADERS = ("indicator_code", "indicator code", "series code", "indicator")
MAX_BYTES = 50 * 1024 * 1024  # a World Bank bulk file is about 2 MB


class OfficialFileError(ValueError):
    """A file that is not one of the layouts read here; `str(exc)` says what was expected."""


@dataclass
class ImportReport:
    """What an import read: rows kept per indicator, and what was skipped and why."""

    kept: dict[str, int] = field(default_factory=dict)
    skipped_codes: dict[str, int] = field(default_factory=dict)
    skipped_countries: set[str] = field(default_factory=set)
    bad_values: int = 0

    def lines(self) -> list[str]:
        out = [f"{n} value(s) for {ind}" for ind, n in sorted(self.kept.items())] or ["no value mapped"]
        if self.skipped_codes:
            codes = ", ".join(f"{c} ({n})" for c, n in sorted(self.skipped_codes.items()))
            out.append(f"skipped codes with no matching indicator: {codes}")
        if self.skipped_countries:
            out.append(f"skipped {len(self.skipped_countries)} code(s) that are not countries: "
                       f"{', '.join(sorted(self.skipped_countries)[:12])}")
        if self.bad_values:
            out.append(f"skipped {self.bad_values} cell(s) that are not numbers")
        return out


def read_rows(text: str) -> list[list[str]]:
    """CSV text (comma or semicolon) -> rows of cells; blank rows dropped."""
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(c.strip() for c in row)]


def parse_official(text: str, countries: Iterable[str] | None = None) -> tuple[pd.DataFrame, ImportReport]:
    """An official file's text -> our rows (COLUMNS), in either layout; raises OfficialFileError."""
    rows = read_rows(text)
    report = ImportReport()
    for i, row in enumerate(rows[:30]):
        header = [c.strip().lower() for c in row]
        if "country code" in header and "indicator code" in header and any(_is_year(c) for c in header):
            long = _melt_wide(header, rows[i + 1 :])
            break
        if _find(header, COUNTRY_HEADERS) is not None and "year" in header and "value" in header:
            long = _long(header, rows[i + 1 :])
            break
    else:
        raise OfficialFileError(
            "no header of a known layout: expected the World Bank's (Country Code, Indicator Code, then years as "
            "columns) or a long one (country, indicator_code, year, value)"
        )
    return _map(long, report, set(countries) if countries else None), report


def _is_year(cell: str) -> bool:
    return len(cell) == 4 and cell.isdigit() and 1900 < int(cell) < 2200


def _find(header: list[str], names: tuple[str, ...]) -> int | None:
    return next((header.index(n) for n in names if n in header), None)


def _melt_wide(header: list[str], rows: list[list[str]]) -> list[tuple[str, str, str, str]]:
    country, code = header.index("country code"), header.index("indicator code")
    years = [(i, h) for i, h in enumerate(header) if _is_year(h)]
    return [
        (row[country], row[code], year, row[i])
        for row in rows if len(row) > code
        for i, year in years if i < len(row) and row[i].strip()
    ]


def _long(header: list[str], rows: list[list[str]]) -> list[tuple[str, str, str, str]]:
    country, code = _find(header, COUNTRY_HEADERS), _find(header, CODE_HEADERS)
    if code is None:
        raise OfficialFileError("a long file needs an indicator code column (indicator_code)")
    year, value = header.index("year"), header.index("value")
    width = max(country, code, year, value)
    return [(r[country], r[code], r[year], r[value]) for r in rows if len(r) > width and r[value].strip()]


def _map(long: list[tuple[str, str, str, str]], report: ImportReport, keep: set[str] | None) -> pd.DataFrame:
    points: dict[tuple[str, str, int], dict] = {}
    for country, code, year, cell in long:
        country, code = country.strip().upper(), code.strip().upper()
        if code not in CODES:
            report.skipped_codes[code] = report.skipped_codes.get(code, 0) + 1
            continue
        if not _is_country(country):
            report.skipped_countries.add(country)
            continue
        if keep is not None and country not in keep:
            continue
        try:
            value, year_n = _number(cell), int(float(year))
        except ValueError:
            report.bad_values += 1
            continue
        if not math.isfinite(value):
            report.bad_values += 1
            continue
        indicator, unit = CODES[code]
        series = DERIVED_SERIES if code in BOUND_CODES else code
        key = (country, indicator, year_n)
        point = points.setdefault(key, {"country": country, "indicator": indicator, "year": year_n, "value": None,
                                        "low": None, "high": None, "unit": unit, "series": series})
        if code in BOUND_CODES:
            point[BOUND_CODES[code]] = value
        else:  # a published value wins over derived bounds
            point["value"], point["series"] = value, code
    frame = pd.DataFrame(list(points.values()), columns=list(COLUMNS))
    # A derived rank with no published one: the best bound stands for it (the bounds say how sure it is).
    frame["value"] = frame["value"].fillna(frame["low"])
    frame = frame.dropna(subset=["value"])
    for indicator, n in frame["indicator"].value_counts().items():
        report.kept[str(indicator)] = int(n)
    return _typed(frame)


def _number(cell: str) -> float:
    """A value cell; a decimal comma ("36,1", semicolon files) reads as a point."""
    cell = cell.strip()
    return float(cell.replace(",", ".") if "," in cell and "." not in cell else cell)


def _is_country(code: str) -> bool:
    return code == "WLD" or (len(code) == 3 and pycountry.countries.get(alpha_3=code) is not None)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.astype({"country": str, "indicator": str, "unit": str, "series": str})
    frame["year"] = frame["year"].astype("Int32")
    for col in ("value", "low", "high"):
        frame[col] = pd.to_numeric(frame[col]).astype("float64")
    return frame.sort_values(["indicator", "country", "year"], kind="stable").reset_index(drop=True)


def empty() -> pd.DataFrame:
    """No official rows, with the columns and dtypes of COLUMNS."""
    return _typed(pd.DataFrame(columns=list(COLUMNS)))


def read_official_csv(path: Path) -> pd.DataFrame:
    """A stored official table (snapshot or imports); empty when the file does not exist."""
    if not path.exists():
        return empty()
    frame = pd.read_csv(path, dtype={"country": str, "indicator": str, "unit": str, "series": str})
    return _typed(frame[list(COLUMNS)])


def merge(base: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """`base` with `new`'s rows added; a row of `new` replaces one for the same indicator, country and year."""
    key = ["indicator", "country", "year"]
    kept = base.merge(new[key].drop_duplicates(), on=key, how="left", indicator=True)
    kept = base[(kept["_merge"] == "left_only").to_numpy()]
    return _typed(pd.concat([kept, new], ignore_index=True))


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write atomically: a reader sees the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            frame.to_csv(out, index=False)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_text(path: Path) -> str:
    """A file's decoded text; raises OfficialFileError for what is not a readable text file."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise OfficialFileError(f"{path.name} is larger than {MAX_BYTES // 2**20} MB")
        data = path.read_bytes()
    except OSError as exc:
        raise OfficialFileError(f"{path} cannot be read ({exc.strerror or exc})") from exc
    decoded = decode(data) if data else ("", "utf-8")
    if isinstance(decoded, str):
        raise OfficialFileError(f"{path.name}: {decoded}")
    return decoded[0]


def import_files(files: Iterable[Path], target: Path | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Import files into the imports table (`data/official/imported.csv`); the new rows and a report."""
    target = target or paths.official_imports_file()
    frames, lines = [], []
    for path in files:
        frame, report = parse_official(read_text(path))
        frames.append(frame)
        lines.append(f"{path.name}: " + "; ".join(report.lines()))
    new = _typed(pd.concat(frames, ignore_index=True)) if frames else empty()
    if len(new):
        write_csv(merge(read_official_csv(target), new), target)
    return new, lines


def import_upload(name: str, data: bytes, target: Path | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Import an uploaded file's bytes (the app's review mode) as `import_files` does a path."""
    if len(data) > MAX_BYTES:
        raise OfficialFileError(f"{name} is larger than {MAX_BYTES // 2**20} MB")
    decoded = decode(data) if data else ("", "utf-8")
    if isinstance(decoded, str):
        raise OfficialFileError(f"{name}: {decoded}")
    frame, report = parse_official(decoded[0])
    if len(frame):
        target = target or paths.official_imports_file()
        write_csv(merge(read_official_csv(target), frame), target)
    return frame, [f"{name}: " + "; ".join(report.lines())]


def build_snapshot(folder: Path, target: Path | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The bundled snapshot from a folder of long-layout files, CAREC members and the World only."""
    target = target or paths.official_snapshot_file()
    frames, lines = [], []
    for path in sorted(folder.glob("*.csv")):
        frame, report = parse_official(read_text(path), SNAPSHOT_COUNTRIES)
        if len(frame):
            frames.append(frame)
        lines.append(f"{path.name}: " + "; ".join(report.lines()))
    snapshot = _typed(pd.concat(frames, ignore_index=True)) if frames else empty()
    write_csv(snapshot, target)
    return snapshot, lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl.official", description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="official CSV files (World Bank or long layout)")
    parser.add_argument("--snapshot", type=Path, help="rebuild the bundled snapshot from this folder")
    args = parser.parse_args(argv)
    if not args.files and not args.snapshot:
        parser.error("name a FILE to import (or --snapshot DIR)")
    try:
        if args.snapshot:
            frame, lines = build_snapshot(args.snapshot)
            target = paths.official_snapshot_file()
        else:
            frame, lines = import_files(args.files)
            target = paths.official_imports_file()
    except OfficialFileError as exc:
        print(f"official: {exc}", file=sys.stderr)
        return 2
    for line in lines:
        print(line)
    if frame.empty:
        print("official: nothing mapped to our indicators; nothing written", file=sys.stderr)
        return 2
    print(f"{len(frame)} official value(s) written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
