"""Storage stage: the processed Parquet files, written as one generation and switched atomically.

Layout of the output directory::

    gen-20250101T120000123456-4242/   claims.parquet indicators.parquet sources.parquet run_report.json
    current -> gen-20250101T120000123456-4242
    claims.parquet -> current/claims.parquet        (same for the other files)
    .etl.lock                                        (held by the run that is writing)

A run writes a new generation into a `.tmp-<pid>-<random>` directory, fsyncs it,
renames it to `gen-...`, then replaces the `current` symlink in one `os.replace`.
A run killed at any point leaves `current` on a complete generation: the previous
one or the new one. Readers that open several files should resolve `current`
once (`current_dir`, `read_tables`) so they never mix two generations; the
top-level symlinks are there for tools that open `claims.parquet` directly.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from etl import paths, schema

CURRENT_LINK = "current"
GENERATION_PREFIX = "gen-"
TEMP_PREFIX = ".tmp-"
KEEP_GENERATIONS = 2
TABLE_FILES = {
    "claims": paths.CLAIMS_FILE, "indicators": paths.INDICATORS_FILE, "sources": paths.SOURCES_FILE,
}
LINKED_FILES = (*paths.OUTPUT_FILES, paths.RUN_REPORT_FILE)
LOCK_POLL_SECONDS = 0.1


class LockBusy(RuntimeError):
    """Another ETL run holds the output directory's lock."""

    def __init__(self, output_dir: Path, pid: int | None):
        self.output_dir, self.pid = output_dir, pid
        who = f"pid {pid}" if pid else "pid unknown"
        super().__init__(f"another ETL run is writing to {output_dir} ({who}); try again when it finishes")


# --- readers -------------------------------------------------------------------------------------


def current_dir(output_dir: Path) -> Path | None:
    """The generation directory `current` points at, or None when there is none yet."""
    link = Path(output_dir) / CURRENT_LINK
    try:
        target = link.parent / os.readlink(link)
    except OSError:
        return None
    return target if target.is_dir() else None


def read_table(output_dir: Path, name: str, check: bool = True) -> pa.Table:
    """Table `name` ("claims", "indicators" or "sources") of the current generation, schema-checked."""
    return read_tables(output_dir, (name,), check=check)[name]


def read_tables(output_dir: Path, names: tuple[str, ...] = tuple(TABLE_FILES), check: bool = True
                ) -> dict[str, pa.Table]:
    """Several tables, all from the same generation, even if a run switches it meanwhile."""
    names = tuple(n.removesuffix(".parquet") for n in names)
    unknown = [n for n in names if n not in TABLE_FILES]
    if unknown:
        raise KeyError(f"unknown table(s) {unknown}; expected one of {sorted(TABLE_FILES)}")
    # Pre-generation layouts (plain files in output_dir) are still readable.
    base = current_dir(output_dir) or Path(output_dir)
    tables = {}
    for name in names:
        table = pq.read_table(base / TABLE_FILES[name])
        if check:
            schema.check(table, name)
        tables[name] = table
    return tables


def read_report(output_dir: Path) -> dict | None:
    """The current generation's run_report.json, or None when there is none."""
    base = current_dir(output_dir) or Path(output_dir)
    try:
        return json.loads((base / paths.RUN_REPORT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def version(output_dir: Path) -> str:
    """A string that changes whenever a run commits new output (use it as a cache key); "" when none."""
    gen = current_dir(output_dir)
    if gen is not None:
        return f"{gen.name}@{gen.stat().st_mtime_ns}"
    stamps = []
    for name in paths.OUTPUT_FILES:
        try:
            stamps.append(str((Path(output_dir) / name).stat().st_mtime_ns))
        except OSError:
            return ""
    return "files@" + "-".join(stamps)


def inspect_existing(output_dir: Path) -> list[str]:
    """One line per existing output file that is unreadable or breaks the schema; [] when fine or absent."""
    base = current_dir(output_dir) or Path(output_dir)
    if not any((base / f).exists() or (base / f).is_symlink() for f in paths.OUTPUT_FILES):
        return []
    problems = []
    for name, file in TABLE_FILES.items():
        try:
            schema.check(pq.read_table(base / file), name)
        except FileNotFoundError:
            problems.append(f"existing {file} is missing; it will be replaced")
        except schema.SchemaError as exc:
            problems.append(f"existing {file} does not match the schema ({_short(exc)}); it will be replaced")
        except (OSError, pa.ArrowException) as exc:
            problems.append(f"existing {file} is corrupt ({_short(exc)}); it will be replaced")
    return problems


# --- writer --------------------------------------------------------------------------------------


def commit(output_dir: Path, frames: Mapping[str, pd.DataFrame], report: dict,
           derive: Callable[[Path], object] | None = None) -> Path:
    """Write the three tables and the report as a new generation and make it current; returns its dir.

    `derive(folder)` writes files computed from the written tables into the same generation (the
    dashboard's store index), before it becomes current: a reader never sees tables without them.
    """
    output_dir = Path(output_dir)
    # Every table is cast and checked before the first byte is written.
    tables = {name: schema.to_table(frames[name], name) for name in TABLE_FILES}
    temp = output_dir / f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
    temp.mkdir(parents=True)
    try:
        for name, table in tables.items():
            _write_table(temp / TABLE_FILES[name], table)
        _write_bytes(temp / paths.RUN_REPORT_FILE, json.dumps(report, indent=2, default=str).encode())
        if derive is not None:
            derive(temp)
        _fsync_dir(temp)
        generation = output_dir / _generation_name()
        os.rename(temp, generation)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    _fsync_dir(output_dir)
    _replace_symlink(output_dir / CURRENT_LINK, generation.name)
    _ensure_file_links(output_dir)
    _fsync_dir(output_dir)
    prune(output_dir)
    return generation


def clean_stale(output_dir: Path) -> list[str]:
    """Remove temp dirs and links left by killed runs (call with the lock held); returns their names."""
    removed = []
    for entry in Path(output_dir).iterdir():
        if entry.name.startswith(TEMP_PREFIX):
            _remove(entry)
            removed.append(entry.name)
    return removed


def prune(output_dir: Path, keep: int = KEEP_GENERATIONS) -> list[str]:
    """Delete all but the newest `keep` generations, never the current one; returns their names."""
    current = current_dir(output_dir)
    generations = sorted(p for p in Path(output_dir).iterdir()
                         if p.name.startswith(GENERATION_PREFIX) and p.is_dir() and not p.is_symlink())
    removed = []
    for old in generations[:-keep] if keep else generations:
        if current is not None and old.name == current.name:
            continue
        # Renamed first, so a kill mid-delete leaves a temp dir the next run cleans, not half a generation.
        doomed = old.with_name(f"{TEMP_PREFIX}old-{old.name}")
        os.rename(old, doomed)
        shutil.rmtree(doomed, ignore_errors=True)
        removed.append(old.name)
    return removed


@contextmanager
def lock(output_dir: Path, timeout: float = 0.0) -> Iterator[None]:
    """Hold the output dir's exclusive lock, waiting up to `timeout` seconds; raises LockBusy."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(output_dir / paths.LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + max(timeout, 0.0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise
                if time.monotonic() >= deadline:
                    raise LockBusy(output_dir, _lock_holder(fd)) from None
                time.sleep(LOCK_POLL_SECONDS)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the flock


# --- helpers -------------------------------------------------------------------------------------


def _write_table(path: Path, table: pa.Table) -> None:
    with open(path, "wb") as handle:
        pq.write_table(table, handle)
        handle.flush()
        os.fsync(handle.fileno())


def _write_bytes(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _replace_symlink(link: Path, target: str) -> None:
    # os.replace of a fresh symlink is atomic; there is never a moment without `link`.
    temp = link.with_name(f"{TEMP_PREFIX}link-{os.getpid()}-{secrets.token_hex(4)}")
    os.symlink(target, temp)
    try:
        os.replace(temp, link)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _ensure_file_links(output_dir: Path) -> None:
    for name in LINKED_FILES:
        link = output_dir / name
        wanted = f"{CURRENT_LINK}/{name}"
        if link.is_symlink() and os.readlink(link) == wanted:
            continue
        if link.is_dir() and not link.is_symlink():
            raise IsADirectoryError(f"{link} is a directory; move it away so the ETL can put a link there")
        _replace_symlink(link, wanted)


def _generation_name() -> str:
    return f"{GENERATION_PREFIX}{datetime.now().strftime('%Y%m%dT%H%M%S%f')}-{os.getpid()}"


def _lock_holder(fd: int) -> int | None:
    try:
        return int(os.pread(fd, 32, 0).decode().strip())
    except (OSError, ValueError):
        return None


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]
