"""Copies of the claims clustered by what pages filter on, written beside the store by the ETL.

A page reads one country's, one category's or one indicator's claims with a pushed-down filter.
claims.parquet is in document order, so every row group holds every indicator and the filter
reads the whole file (12 s for one indicator at 10M claims). Each copy here is the same table
sorted (stably: file order inside a group) by the filtered columns first, in small row groups,
so Parquet's row-group statistics skip all but a few groups.

Each copy carries the size and mtime of the claims file it was made from in its metadata; a
copy of another claims file is never read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

# name -> the sort keys. A filter on the first key, or on the first two, reads few row groups; so
# does one on an indicator alone, as an indicator's claims share a category (they sit together).
COPIES = {
    "claims_by_country.parquet": ("country", "category", "indicator", "year"),
    "claims_by_indicator.parquet": ("category", "indicator", "country", "year"),
}
SERVES = {  # the filtered columns each copy is read for
    "claims_by_country.parquet": ({"country"}, {"country", "category"}, {"country", "indicator"}),
    "claims_by_indicator.parquet": ({"category"}, {"indicator"}, {"category", "indicator"}),
}
ROW_GROUP_ROWS = 16_384
STAMP_KEY = b"cadi.claims_stamp"


def stamp(claims_file: Path) -> bytes:
    stat = os.stat(claims_file)
    return f"{stat.st_size}:{stat.st_mtime_ns}".encode()


def write_copies(directory: Path, claims_name: str = "claims.parquet") -> list[Path]:
    """Write every copy of `directory`'s claims file beside it; returns their paths."""
    claims_file = Path(directory) / claims_name
    table = pq.read_table(claims_file)
    metadata = {**(table.schema.metadata or {}), STAMP_KEY: stamp(claims_file)}
    written = []
    for name, keys in COPIES.items():
        order = table.sort_by([(key, "ascending") for key in keys])  # stable: file order inside a group
        target = Path(directory) / name
        with open(target, "wb") as handle:
            pq.write_table(order.replace_schema_metadata(metadata), handle, row_group_size=ROW_GROUP_ROWS)
            handle.flush()
            os.fsync(handle.fileno())
        written.append(target)
    return written


def copy_for(claims_file: Path, size: int, mtime_ns: int, columns: Iterable[str]) -> Path | None:
    """The copy that serves a filter on `columns`, made from this claims file; None when there is none."""
    wanted = set(columns)
    for name in COPIES:
        if wanted not in SERVES[name]:
            continue
        path = Path(claims_file).parent / name
        try:
            meta = pq.read_schema(path).metadata or {}
        except (OSError, pa.ArrowException):
            continue
        if meta.get(STAMP_KEY) == f"{size}:{mtime_ns}".encode():
            return path
    return None
