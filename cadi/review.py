"""Review: a person accepts, corrects, drops or adds claims; the entries go to the curations file.

Each change becomes an entry of `data/curated/curations.csv` in the keyed format `etl.curate` applies on
every ETL run (document, the figure as written, a piece of its sentence), so it survives re-runs, plus a
line in `data/curated/review_log.csv` with its time and note. "Accept" is only logged: it changes nothing.

Writes hold a lock (two reviewers at once lose nothing: each reads the file, adds its entry and writes
it back while holding the lock) and replace the file in one rename after an fsync (a write killed
halfway leaves the previous file whole).

Review is off by default, so a public dashboard stays read-only: set `CADI_REVIEW=1` in the
environment, or `review = true` in `.streamlit/secrets.toml`.
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import io
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from etl import curate, paths

ENV_SETTING = "CADI_REVIEW"
ON = ("1", "true", "yes", "on")
ACTIONS = ("accept", "correct", "drop", "add")
LOG_COLUMNS = ("time", "action", "doc", "match", "quote_contains", "changes", "note")
LOCK_NAME = ".curations.lock"
LOCK_TIMEOUT = 30.0
WINDOW = 50  # characters of the sentence kept on each side of the figure as its key
MAX_NOTE = 500
# What cannot be in a note or a value: markup and script (they are shown as text anyway).
MARKUP = re.compile(r"<\s*[a-zA-Z/!?]|javascript\s*:|\bon[a-z]+\s*=|&#|&[a-z]+;", re.IGNORECASE)
PLAIN_TEXT = re.compile(r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*")
UNIT = re.compile(r"[A-Za-z][A-Za-z0-9 %/.$'-]{0,39}")


class ReviewError(ValueError):
    """A change that cannot be written; `str(exc)` is a sentence for the reviewer."""


def review_enabled(secrets: Mapping | None = None) -> bool:
    """Review mode: `CADI_REVIEW` in the environment, else `review` in the app's secrets; off by default."""
    setting = os.environ.get(ENV_SETTING)
    if setting is not None:
        return setting.strip().lower() in ON
    try:
        value = (secrets or {}).get("review", False)
    except Exception:  # noqa: BLE001 - no secrets file is the usual case: review stays off
        return False
    return str(value).strip().lower() in ON


def log_file() -> Path:
    """Every change made on the Review page, with its time and note."""
    return paths.curated_file().with_name("review_log.csv")


# ---- building entries (pure) ----------------------------------------------------------------------


def key_piece(quote: str, as_written: str, char_start: int | None = None, quote_start: int | None = None) -> str:
    """A piece of the claim's sentence around its figure: enough to say which occurrence is meant."""
    at = -1
    if char_start is not None and quote_start is not None:
        at = int(char_start) - int(quote_start)
        if quote[at : at + len(as_written)] != as_written:
            at = -1
    if at < 0:
        at = quote.find(as_written)
    if at < 0:
        return ""
    # Within the figure's line (curate.locate's sentences end at line breaks), cut at spaces.
    line_start = quote.rfind("\n", 0, at) + 1
    line_end = quote.find("\n", at + len(as_written))
    line_end = len(quote) if line_end < 0 else line_end
    start, end = max(line_start, at - WINDOW), min(line_end, at + len(as_written) + WINDOW)
    if start > line_start and not quote[start - 1].isspace():
        space = quote.find(" ", start, at)
        start = space + 1 if space >= 0 else start
    if end < line_end and not quote[end].isspace():
        space = quote.rfind(" ", at + len(as_written), end)
        end = space if space >= 0 else end
    return quote[start:end].strip()


def check_addition(text: str, match: str, quote_contains: str) -> str | None:
    """Why an `add` entry would not find its figure in the document's text, or None when it would."""
    found = curate.locate(text, match, quote_contains)
    return found if isinstance(found, str) else None


def check_text(name: str, text: str, limit: int = MAX_NOTE) -> str:
    """`text` stripped, or ReviewError when it holds markup, script or control characters, or is too long."""
    text = str(text or "").strip()
    if len(text) > limit:
        raise ReviewError(f"The {name} is longer than {limit} characters.")
    if MARKUP.search(text) or not PLAIN_TEXT.fullmatch(text):
        raise ReviewError(f"The {name} may not hold HTML, script or control characters; write it as plain text.")
    return text


def entry(action: str, doc: str, match: str, quote_contains: str, fields: Mapping[str, object],
          note: str) -> dict[str, str]:
    """A curations row (curate.COLUMNS, string cells) for one change, checked; raises ReviewError."""
    if action not in ACTIONS:
        raise ReviewError(f"Unknown action '{action}'.")
    note = check_text("note", note)
    if not note:
        raise ReviewError("Write a note saying why: another reviewer must be able to check it.")
    row = {c: "" for c in curate.COLUMNS}
    row.update({"action": action, "doc": doc, "match": match, "quote_contains": quote_contains, "note": note})
    for name, value in fields.items():
        if name not in curate.FIELD_COLUMNS:
            raise ReviewError(f"'{name}' cannot be set by a curation.")
        if value is None or value == "":
            continue
        cell = check_text(name, _cell(value), 200)
        if name == "unit" and not UNIT.fullmatch(cell):
            raise ReviewError(f"Unit '{cell}' is not a plain unit name (letters, digits, % / . $ and spaces).")
        row[name] = cell
    if action != "accept":
        problems = validate(row)
        if problems:
            raise ReviewError(problems[0])
    return row


def _cell(value: object) -> str:
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() else repr(value)
    return str(value)


def validate(row: Mapping[str, str]) -> list[str]:
    """What the ETL would say is wrong with this entry (by parsing it as the ETL does), [] when nothing."""
    text = to_csv_text([dict(row)], list(curate.COLUMNS))
    entries, problems = curate.parse_curations(text)
    if problems:
        return problems
    empty = pd.DataFrame(columns=["doc", "as_written", "quote", "origin"])
    _, report = curate.apply_curations(empty, entries, {})
    return [p.split(" is invalid: ", 1)[-1].replace("; it was not applied", "") for p in report.problems]


def changes_text(row: Mapping[str, str]) -> str:
    """The fields an entry sets, as 'value=92.9; year=2023'."""
    return "; ".join(f"{c}={row[c]}" for c in curate.FIELD_COLUMNS if row.get(c))


def to_csv_text(rows: list[dict], header: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    return out.getvalue()


# ---- writing (locked, atomic) ---------------------------------------------------------------------


@contextlib.contextmanager
def locked(folder: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the curations lock (an flock: released by the kernel if the holder dies)."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise ReviewError("Another reviewer is saving; try again in a moment.") from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)


def _append_rows(path: Path, rows: list[dict], columns: tuple[str, ...], preamble: str = "") -> None:
    """Add rows to a CSV in one atomic replace; a header missing some columns is extended at its end."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        text = preamble
    lines = text.splitlines(keepends=True)
    header_at = next((i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")), None)
    if header_at is None:
        lines.append(",".join(columns) + "\n")
        header_at = len(lines) - 1
    header = next(csv.reader([lines[header_at]]))
    missing = [c for c in columns if c not in header]
    if missing:  # older rows are shorter: the ETL reads a missing cell as empty
        header += missing
        lines[header_at] = to_csv_text([], header)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    body = to_csv_text(rows, header).split("\n", 1)[1]
    _replace(path, "".join(lines) + body)


def _replace(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


CURATIONS_PREAMBLE = ("# Reviewed corrections to extracted claims; one entry per line; the format is described "
                      "at the top of etl/curate.py\n")


def save(row: Mapping[str, str], now: datetime | None = None) -> dict[str, str]:
    """Write one checked entry (curations file unless it is an accept, then the log); returns the log line."""
    curations = paths.curated_file()
    when = (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M:%S UTC")
    line = {"time": when, "action": row["action"], "doc": row["doc"], "match": row["match"],
            "quote_contains": row["quote_contains"], "changes": changes_text(row), "note": row["note"]}
    with locked(curations.parent):
        if row["action"] != "accept":
            _append_rows(curations, [dict(row)], tuple(curate.COLUMNS), CURATIONS_PREAMBLE)
        _append_rows(log_file(), [line], LOG_COLUMNS)
    return line


def read_log() -> pd.DataFrame:
    """The review log, newest first (empty when nothing was reviewed yet)."""
    try:
        frame = pd.read_csv(log_file(), dtype=str, keep_default_na=False)
    except (FileNotFoundError, pd.errors.EmptyDataError):
        return pd.DataFrame(columns=list(LOG_COLUMNS))
    return frame.iloc[::-1].reset_index(drop=True)


def rebuild(timeout: float = 600) -> tuple[bool, str]:
    """Run the ETL so the store applies the curations; (done, its last lines)."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "etl", "--quiet", "--lock-timeout", "120"],
            capture_output=True, text=True, timeout=timeout, cwd=paths.REPO_ROOT,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, f"The rebuild did not finish ({type(exc).__name__})."
    message = (done.stderr or done.stdout).strip().splitlines()[-3:]
    return done.returncode == 0, "\n".join(message)
