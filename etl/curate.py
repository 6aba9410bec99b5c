"""Curation stage: a person's reviewed corrections, applied to the extracted claims on every run.

The file is data/curated/curations.csv (`etl.paths.curated_file()`), UTF-8 CSV with a header::

    action,doc,match,quote_contains,country,indicator,category,value,unit,year,comparator,rank_of,subject,note,
    claim_type,counterpart

(`claim_type` and `counterpart` may be left out of the header; older files stay valid.)

- `action`: `correct` (edit the matching claims), `drop` (remove them) or `add`
  (add a claim the extractor missed).
- `doc`: the document's file name, e.g. `004_b82150bf0fda6b4e.txt`.
- `match`: the figure exactly as the document writes it (the claim's `as_written`,
  e.g. `28th`, `$1.5 billion`).
- `quote_contains`: a short piece of text from the same sentence, to say which
  occurrence is meant; empty matches every sentence. An entry is keyed by
  (doc, match, quote_contains), never by claim_id or offsets, so it survives
  extractor changes and re-runs.
- `country` ... `counterpart`: the values to set, with the meanings of claims.parquet.
  An empty cell leaves the field as it is (`correct`) or takes its default (`add`);
  `(none)` empties `year`, `rank_of`, `subject` or `counterpart`. `claim_type` is one of
  actual, target, forecast, estimate (default actual); `counterpart` an ISO alpha-3 code
  or an organisation's name (`World Bank`). `country` is an ISO alpha-3 or
  region code; its readable name is filled in. `add` needs country, indicator,
  category, value and unit; comparator defaults to `=`.
- `note`: why the entry exists (a reviewer should be able to check it).

Lines starting with `#` and blank lines are ignored. Entries apply in file order.
`correct` and `drop` apply to every claim with that doc and as_written whose quote
contains `quote_contains`. `add` finds `quote_contains` in the document (it must occur
once), takes the sentence around it as the quote, and finds `match` inside
`quote_contains` if it is there, else in that sentence. A corrected claim gets
origin `corrected`, an added one `added`. An entry that matches nothing, or is
invalid, is listed in the run summary by its line number; it never stops the run.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pycountry

from etl import schema
from etl.read import decode

ACTIONS = ("correct", "drop", "add")
KEY_COLUMNS = ("action", "doc", "match", "quote_contains")
FIELD_COLUMNS = (
    "country", "indicator", "category", "value", "unit", "year", "comparator", "rank_of", "subject",
    "claim_type", "counterpart",
)
# The two later contract columns follow `note`, so rows written for the older layout keep their places.
COLUMNS = (*KEY_COLUMNS, *FIELD_COLUMNS[:-2], "note", *FIELD_COLUMNS[-2:])
REQUIRED_FOR_ADD = ("country", "indicator", "category", "value", "unit")
CLEAR = "(none)"
NULLABLE_FIELDS = ("year", "rank_of", "subject", "counterpart")

_INDICATOR_ID = re.compile(r"[a-z][a-z0-9_]*")
# A quote ends at sentence punctuation followed by space, or at a line break (list items).
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[ \t]+|\s*\n\s*")


@dataclass
class CurationReport:
    """What the curations did, one sentence per entry, keyed by the entry's line number."""

    applied: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {"corrected": 0, "dropped": 0, "added": 0})

    def as_dict(self) -> dict:
        """Plain dict for run_report.json."""
        return {"applied": self.applied, "unmatched": self.unmatched, "problems": self.problems,
                "counts": self.counts}


def parse_curations(text: str) -> tuple[pd.DataFrame, list[str]]:
    """Curation CSV text -> one string-celled row per entry (with its `line`), and problems with the file."""
    lines = io.StringIO(text)
    reader = csv.reader(lines)
    header: list[str] | None = None
    records: list[dict] = []
    problems: list[str] = []
    for cells in reader:
        if not cells or not "".join(cells).strip() or cells[0].lstrip().startswith("#"):
            continue
        if header is None:
            header = [c.strip() for c in cells]
            missing = [c for c in KEY_COLUMNS if c not in header]
            if missing:
                problem = f"curations file has no {', '.join(missing)} column(s); no entry applied"
                return _entries([]), [problem]
            continue
        record = {c: "" for c in COLUMNS}
        record.update({h: v.strip() for h, v in zip(header, cells, strict=False) if h in COLUMNS})
        record["line"] = reader.line_num
        records.append(record)
    return _entries(records), problems


def load_curations(path: Path) -> tuple[pd.DataFrame, list[str]]:
    """The curation entries in `path` (none when the file does not exist) and problems with it."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return _entries([]), []
    except OSError as exc:
        reason = exc.strerror or exc
        return _entries([]), [f"curations file {path} cannot be read ({reason}); no entry applied"]
    decoded = decode(data) if data else ("", "utf-8")
    if isinstance(decoded, str):
        return _entries([]), [f"curations file {path}: {decoded}; no entry applied"]
    try:
        return parse_curations(decoded[0])
    except csv.Error as exc:
        return _entries([]), [f"curations file {path} is not valid CSV ({exc}); no entry applied"]


def additions_for(curations: pd.DataFrame, doc: str) -> list[dict]:
    """The `add` entries for one document, as plain dicts (cheap to send to a worker)."""
    rows = curations[(curations["action"] == "add") & (curations["doc"] == doc)]
    return rows[["line", "match", "quote_contains"]].to_dict("records")


def locate_additions(text: str, additions: list[dict]) -> dict[int, dict | str]:
    """Line number -> where each `add` entry's figure is in `text` (quote and offsets), or why it is not."""
    return {int(a["line"]): locate(text, a["match"], a["quote_contains"]) for a in additions}


def locate(text: str, match: str, quote_contains: str) -> dict | str:
    """Quote, quote_start, char_start, char_end of `match` in the sentence containing `quote_contains`."""
    if not match:
        return "has an empty match"
    anchor_text = quote_contains or match
    anchor = text.find(anchor_text)
    if anchor < 0:
        return f"'{anchor_text}' is not in the document"
    if text.find(anchor_text, anchor + 1) >= 0:
        return f"'{anchor_text}' occurs more than once in the document; make quote_contains longer"
    anchor_end = anchor + len(anchor_text)
    start = max((m.end() for m in _SENTENCE_BREAK.finditer(text, 0, anchor) if m.end() <= anchor), default=0)
    following = _SENTENCE_BREAK.search(text, anchor_end)
    end = following.start() if following else len(text.rstrip())
    inside = anchor_text.find(match)
    char_start = anchor + inside if inside >= 0 else text.find(match, start, end)
    if char_start < 0:
        return f"'{match}' is not in the sentence containing '{anchor_text}'"
    return {"quote": text[start:end], "quote_start": start, "char_start": char_start,
            "char_end": char_start + len(match)}


def apply_curations(
    claims: pd.DataFrame, curations: pd.DataFrame, locations: Mapping[int, dict | str] | None = None
) -> tuple[pd.DataFrame, CurationReport]:
    """Claims with every curation entry applied in order, and a report; never modifies `claims`.

    `locations` (from `locate_additions`, keyed by line) places `add` entries in their
    document; an `add` without one is reported as unmatched.
    """
    frame = claims.copy()
    report = CurationReport()
    added: list[dict] = []
    for entry in curations.to_dict("records"):
        label = _label(entry)
        fields = _parse_fields(entry)
        if isinstance(fields, str):
            report.problems.append(f"{label} is invalid: {fields}; it was not applied")
            continue
        if entry["action"] == "add":
            outcome = _add(frame, entry, fields, (locations or {}).get(int(entry["line"])))
            if isinstance(outcome, str):
                report.unmatched.append(f"{label} matched nothing: {outcome}")
            elif outcome is None:
                report.applied.append(f"{label}: already extracted, not added again (the entry can go)")
            else:
                added.append(outcome)
                report.counts["added"] += 1
                report.applied.append(f"{label}: added")
            continue
        hits = _matches(frame, entry)
        if not hits.any():
            report.unmatched.append(f"{label} matched no claim")
            continue
        n = int(hits.sum())
        if entry["action"] == "drop":
            frame = frame[~hits]
            report.counts["dropped"] += n
            report.applied.append(f"{label}: dropped {n} claim(s)")
        else:
            frame = _correct(frame, hits, fields)
            report.counts["corrected"] += n
            report.applied.append(f"{label}: corrected {n} claim(s)")
    if added:
        frame = pd.concat([frame, pd.DataFrame(added)], ignore_index=True)
    return frame.reset_index(drop=True), report


def country_name(code: str) -> str | None:
    """Readable name of an ISO alpha-3 or region code, or None when the code is unknown."""
    if code in schema.REGIONS:
        return schema.REGIONS[code]
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return None
    return getattr(country, "common_name", None) or country.name


def _entries(records: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(records, columns=[*COLUMNS, "line"])


def _label(entry: dict) -> str:
    where = f"{entry['doc']}, '{entry['match']}'"
    if entry["quote_contains"]:
        where += f", near '{entry['quote_contains']}'"
    return f"curation entry at line {entry['line']} ({entry['action']} {where})"


def _parse_fields(entry: dict) -> dict | str:
    """The fields an entry sets, typed, or a sentence saying what is wrong with it."""
    if entry["action"] not in ACTIONS:
        return f"action '{entry['action']}' is not one of {', '.join(ACTIONS)}"
    if not entry["doc"] or not entry["match"]:
        return "doc and match are both needed"
    fields: dict = {}
    for name in FIELD_COLUMNS:
        cell = entry[name]
        if cell == "":
            continue
        if cell == CLEAR:
            if name not in NULLABLE_FIELDS:
                return f"{name} cannot be emptied"
            fields[name] = None
            continue
        parsed = _parse_cell(name, cell)
        if isinstance(parsed, str):
            return parsed
        fields[name] = parsed[0]
    if entry["action"] == "add":
        missing = [c for c in REQUIRED_FOR_ADD if c not in fields]
        if missing:
            return f"add needs {', '.join(missing)}"
    return fields


def _parse_cell(name: str, cell: str) -> tuple[object] | str:
    if name == "value":
        try:
            value = float(cell.replace(",", ""))
        except ValueError:
            return f"value '{cell}' is not a number"
        return (value,) if math.isfinite(value) else f"value '{cell}' is not finite"
    if name in ("year", "rank_of"):
        return (int(cell),) if cell.isdigit() else f"{name} '{cell}' is not a whole number"
    if name == "category" and cell not in schema.CATEGORIES:
        return f"category '{cell}' is not one of {', '.join(schema.CATEGORIES)}"
    if name == "claim_type" and cell not in schema.CLAIM_TYPES:
        return f"claim_type '{cell}' is not one of {', '.join(schema.CLAIM_TYPES)}"
    if name == "comparator" and cell not in schema.COMPARATORS:
        return f"comparator '{cell}' is not one of {' '.join(schema.COMPARATORS)}"
    if name == "country" and country_name(cell) is None:
        return f"country '{cell}' is not an ISO alpha-3 or region code"
    if name == "indicator" and not _INDICATOR_ID.fullmatch(cell):
        return f"indicator '{cell}' is not a snake_case id"
    return (cell,)


def _matches(frame: pd.DataFrame, entry: dict) -> pd.Series:
    hits = (frame["doc"] == entry["doc"]) & (frame["as_written"] == entry["match"])
    if entry["quote_contains"]:
        hits &= frame["quote"].str.contains(entry["quote_contains"], regex=False)
    return hits


def _correct(frame: pd.DataFrame, hits: pd.Series, fields: dict) -> pd.DataFrame:
    frame = frame.copy()
    for name, value in fields.items():
        frame[name] = frame[name].astype(object)
        frame.loc[hits, name] = value
    if "country" in fields:
        frame.loc[hits, "country_name"] = country_name(fields["country"])
    if "year" in fields:
        # A year set by hand is one the reviewer read in the text.
        frame["year_basis"] = frame["year_basis"].astype(object)
        frame.loc[hits, "year_basis"] = "stated" if fields["year"] is not None else None
    frame.loc[hits & (frame["origin"] != "added"), "origin"] = "corrected"
    return frame


def _add(frame: pd.DataFrame, entry: dict, fields: dict, location: dict | str | None) -> dict | str | None:
    if location is None:
        return f"document {entry['doc']} was not read"
    if isinstance(location, str):
        return location
    same = (
        (frame["doc"] == entry["doc"])
        & (frame["char_start"] == location["char_start"])
        & (frame["char_end"] == location["char_end"])
        & (frame["indicator"] == fields["indicator"])
        & (frame["country"] == fields["country"])
    )
    if same.any():
        return None
    year = fields.get("year")
    return {
        "doc": entry["doc"],
        "country": fields["country"],
        "country_name": country_name(fields["country"]),
        "indicator": fields["indicator"],
        "category": fields["category"],
        "value": fields["value"],
        "as_written": entry["match"],
        "unit": fields["unit"],
        "year": year,
        "year_basis": "stated" if year is not None else None,
        "comparator": fields.get("comparator", "="),
        "rank_of": fields.get("rank_of"),
        "subject": fields.get("subject"),
        "claim_type": fields.get("claim_type", "actual"),
        "counterpart": fields.get("counterpart"),
        **location,
        "origin": "added",
    }
