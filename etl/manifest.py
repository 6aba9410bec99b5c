"""The manifest: who published each document, when and where (data/raw/manifest.csv).

Columns: file,title,publisher,published,place,url. `published` is an ISO date
(2024-03-14); a year-month (2024-03) or a year (2024) is read as its first day.
`url` is kept only when it is an http(s) link: the dashboard shows it as a link, and a
`javascript:` or `file:` URL must never become one.
Problems (unknown columns, bad dates, bad URLs, duplicate rows) become warnings, never errors:
a document is still processed without its manifest row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from etl.read import decode

COLUMNS = ("file", "title", "publisher", "published", "place", "url")


@dataclass(frozen=True)
class SourceMeta:
    """One manifest row; empty cells are None."""

    title: str | None
    publisher: str | None
    published: dt.date | None
    place: str | None
    url: str | None


def parse_manifest(text: str) -> tuple[dict[str, SourceMeta], list[str]]:
    """File name -> SourceMeta from manifest CSV text, and warnings about rows it could not use."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if "file" not in header:
        return {}, [f"manifest has no 'file' column (columns: {', '.join(header) or 'none'}); it is ignored"]
    reader.fieldnames = header
    warnings = [f"manifest has no '{c}' column" for c in COLUMNS if c not in header]
    rows: dict[str, SourceMeta] = {}
    for row in reader:
        cells = {k: (v or "").strip() for k, v in row.items() if k in COLUMNS}
        name = cells.get("file", "")
        if not name:
            continue
        published, problem = parse_date(cells.get("published", ""))
        if problem:
            warnings.append(f"manifest row for {name}: {problem}; its published date is left empty")
        if name in rows:
            warnings.append(f"manifest has two rows for {name}; the first is used")
            continue
        url, problem = parse_url(cells.get("url", ""))
        if problem:
            warnings.append(f"manifest row for {name}: {problem}; its url is left empty")
        rows[name] = SourceMeta(
            title=cells.get("title") or None,
            publisher=cells.get("publisher") or None,
            published=published,
            place=cells.get("place") or None,
            url=url,
        )
    return rows, warnings


def parse_url(cell: str) -> tuple[str | None, str | None]:
    """(url, None) for an http(s) link with a host; (None, problem) for anything else; (None, None) if empty."""
    if not cell:
        return None, None
    try:
        parts = urlsplit(cell)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(
            ch.isspace() or ord(ch) < 32 for ch in cell):
        shown = cell if len(cell) <= 60 else cell[:57] + "..."
        return None, f"'{shown}' is not an http(s) link"
    return cell, None


def parse_date(cell: str) -> tuple[dt.date | None, str | None]:
    """(date, None) for 2024-03-14, 2024-03 or 2024; (None, problem) if unreadable; (None, None) if empty."""
    if not cell:
        return None, None
    for fmt in ("%Y-%m-%d", "%Y-%m", "%Y"):
        try:
            return dt.datetime.strptime(cell, fmt).date(), None
        except ValueError:
            continue
    return None, f"'{cell}' is not a date like 2024-03-14"


def load_manifest(path: Path) -> tuple[dict[str, SourceMeta], list[str]]:
    """The manifest at `path` (empty when there is none) and warnings about it."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}, []
    except OSError as exc:
        return {}, [f"manifest {path.name} cannot be read ({exc.strerror or exc}); it is ignored"]
    decoded = decode(data)
    if isinstance(decoded, str):
        return {}, [f"manifest {path.name}: {decoded}; it is ignored"]
    try:
        return parse_manifest(decoded[0])
    except csv.Error as exc:
        return {}, [f"manifest {path.name} is not valid CSV ({exc}); it is ignored"]
