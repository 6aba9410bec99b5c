"""The ETL run: documents in data/raw -> claims, indicators and sources Parquet in data/processed.

`python -m etl [--input DIR] [--output DIR] [--curations FILE] [--workers N]
[--if-stale] [--lock-timeout SECONDS] [--quiet]`

Exit codes: 0 output written (or already up to date); 1 unexpected failure
(previous output intact); 2 input problem: the input dir is missing, or no
document in it could be read (nothing written); 3 another run holds the lock.
"""

from __future__ import annotations

import argparse
import ctypes
import datetime as dt
import hashlib
import os
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from cadi import aggregates, clustered
from etl import curate, paths, schema, store
from etl.dates import reference_date
from etl.extract import extract_claims
from etl.indicators import describe
from etl.manifest import SourceMeta, load_manifest
from etl.read import Skipped, format_problem, list_inputs, read_document

# Below both thresholds a process pool costs more than it saves.
PARALLEL_MIN_DOCS = 8
PARALLEL_MIN_BYTES = 2 * 1024 * 1024
TITLE_MAX_CHARS = 200
PROGRESS_EVERY_SECONDS = 0.5
ORPHAN_CHECK_SECONDS = 1.0
PR_SET_PDEATHSIG = 1  # linux/prctl.h
CLAIM_COLUMNS = [f.name for f in schema.CLAIMS]
EXIT_OK, EXIT_FAILED, EXIT_INPUT, EXIT_LOCKED = 0, 1, 2, 3


@dataclass(frozen=True)
class Options:
    """One run's settings; None means the etl.paths default."""

    input_dir: Path | None = None
    output_dir: Path | None = None
    curations: Path | None = None
    workers: int | None = None
    if_stale: bool = False
    quiet: bool = False
    lock_timeout: float = 0.0

    def resolved(self) -> Options:
        """These options with every path default filled in from etl.paths."""
        return Options(
            input_dir=Path(self.input_dir or paths.raw_dir()),
            output_dir=Path(self.output_dir or paths.processed_dir()),
            curations=Path(self.curations or paths.curated_file()),
            workers=self.workers or os.cpu_count() or 1,
            if_stale=self.if_stale,
            quiet=self.quiet,
            lock_timeout=self.lock_timeout,
        )


@dataclass
class Outcome:
    """What a run did: its exit code, the summary to print, the report written (if any)."""

    exit_code: int
    summary: str
    report: dict | None = None
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Job:
    """One document for a worker: its path, the manifest's year, and curation adds to place in it."""

    path: str
    reference_year: int | None
    additions: tuple[dict, ...] = ()


class StageError(RuntimeError):
    """An unexpected failure, named by the stage it happened in."""


# --- entry points --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """The `python -m etl` command; returns the exit code and never lets a traceback out."""
    options = parse_args(argv)
    try:
        outcome = run(options)
    except KeyboardInterrupt:
        print("ETL interrupted; the previous output is intact", file=sys.stderr)
        return 130
    except StageError as exc:
        print(f"ETL failed while {exc}; the previous output is intact", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:  # the edge: one sentence, not a traceback
        print(f"ETL failed: {type(exc).__name__}: {exc}; the previous output is intact", file=sys.stderr)
        return EXIT_FAILED
    if outcome.summary and not (options.quiet and outcome.exit_code == EXIT_OK):
        print(outcome.summary)
    for error in outcome.errors:
        print(error, file=sys.stderr)
    return outcome.exit_code


def parse_args(argv: list[str] | None = None) -> Options:
    """Command-line arguments -> Options."""
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--input", type=Path, help="directory of .txt/.md documents (default: data/raw)")
    add("--output", type=Path, help="directory for the Parquet files (default: data/processed)")
    add("--curations", type=Path, help="reviewed corrections CSV (default: data/curated/curations.csv)")
    add("--workers", type=_positive_int, help="worker processes for large corpora (default: CPU count)")
    add("--if-stale", action="store_true", help="do nothing when the output is newer than every input")
    add("--lock-timeout", type=float, default=0.0, metavar="SECONDS",
        help="wait this long for another run to finish (default: 0, refuse at once)")
    add("--quiet", action="store_true", help="print nothing unless something is wrong")
    args = parser.parse_args(argv)
    return Options(args.input, args.output, args.curations, args.workers, args.if_stale, args.quiet,
                   max(args.lock_timeout, 0.0))


def run(options: Options) -> Outcome:
    """One ETL run with `options`: read, extract, curate, write atomically; returns the Outcome."""
    started = time.monotonic()
    opts = options.resolved()
    input_dir, output_dir = opts.input_dir, opts.output_dir
    if not input_dir.is_dir():
        what = "is not a directory" if input_dir.exists() else "does not exist"
        return Outcome(EXIT_INPUT, "", errors=[f"input directory {input_dir} {what}; nothing was written"])
    if opts.if_stale and up_to_date(input_dir, output_dir, opts.curations):
        return Outcome(EXIT_OK, f"data in {output_dir} is up to date (newer than every input); nothing to do")
    try:
        with store.lock(output_dir, opts.lock_timeout):
            return _locked_run(opts, started)
    except store.LockBusy as exc:
        return Outcome(EXIT_LOCKED, "", errors=[str(exc)])


def _locked_run(opts: Options, started: float) -> Outcome:
    input_dir, output_dir = opts.input_dir, opts.output_dir
    warnings: list[str] = []
    with _stage("cleaning up after an earlier run"):
        removed = store.clean_stale(output_dir)
        if removed:
            warnings.append(f"removed {len(removed)} temporary item(s) left by an interrupted run")
        warnings += store.inspect_existing(output_dir)
    with _stage("reading the manifest and curations"):
        manifest, manifest_warnings = load_manifest(input_dir / paths.MANIFEST_NAME)
        curations, curation_problems = curate.load_curations(opts.curations)
        warnings += manifest_warnings
    skipped: list[dict] = []
    results: list[dict] = []
    with _stage("reading documents and extracting claims"):
        jobs: list[Job] = []
        inputs = list_inputs(input_dir)
        present = {p.name for p in inputs}
        warnings += [f"manifest has a row for {name}, which is not in {input_dir}"
                     for name in manifest if name not in present]
        for path in inputs:
            problem = format_problem(path)
            if problem:
                skipped.append({"doc": path.name, "reason": problem})
            else:
                jobs.append(_job(path, manifest.get(path.name), curations))
        workers = choose_workers(opts.workers or 1, jobs)
        # Progress only on a terminal: a log file or a pipe gets the summary alone.
        show = None if opts.quiet or not _is_terminal(sys.stderr) else _show_progress
        for result in with_progress(process_all(jobs, workers), [_size(j.path) for j in jobs], show):
            if "skipped" in result:
                skipped.append({"doc": result["doc"], "reason": result["skipped"]})
            else:
                warnings += result.pop("warnings")
                results.append(result)
    skipped.sort(key=lambda s: s["doc"])
    if not results:
        why = ("no document in it could be read" if jobs
               else "it holds no document (.txt, .md, .pdf or .html)")
        report = _report(opts, started, workers, results, skipped, None, curate.CurationReport(), warnings)
        return Outcome(EXIT_INPUT, format_summary(report),
                       errors=[f"nothing was written: {why} ({input_dir})"])
    with _stage("applying curations"):
        parts = [result.pop("claims") for result in results]
        locations = {line: loc for result in results for line, loc in result.pop("locations").items()}
        claims = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        claims, cur_report = curate.apply_curations(claims, curations, locations)
        cur_report.problems[:0] = curation_problems
        claims = finalize_claims(claims)
    with _stage("building the tables"):
        frames = {
            "claims": claims,
            "indicators": indicators_frame(claims),
            "sources": sources_frame(results, manifest, claims),
        }
        report = _report(opts, started, workers, results, skipped, claims, cur_report, warnings)
    with _stage(f"writing {output_dir}"):
        generation = store.commit(output_dir, frames, report, derive=write_for_dashboard)
    report["seconds"] = round(time.monotonic() - started, 3)
    return Outcome(EXIT_OK, format_summary(report, generation.name), report)


# --- worker --------------------------------------------------------------------------------------


def process_document(job: Job) -> dict:
    """Read one document and extract its claims; returns its claims frame and metadata, never the text."""
    path = Path(job.path)
    document = read_document(path)
    if isinstance(document, Skipped):
        return {"doc": document.name, "skipped": document.reason}
    text, name = document.text, document.name
    warnings = []
    text_date = None
    if job.reference_year is None:
        try:
            text_date = reference_date(text)
        except Exception as exc:  # a date is optional; the claims are still worth having
            warnings.append(f"{name}: reading its date failed ({type(exc).__name__}: {exc})")
    year = job.reference_year or (text_date.year if text_date else None)
    try:
        claims = extract_claims(text, year)
        # A frame per document, not a dict per claim: its columns (Arrow-backed strings) take a
        # fraction of the memory, which is what holds the run's peak on a large corpus.
        frame = claims_frame([{"doc": name, **claim.as_row(), "origin": "extracted"} for claim in claims])
    except Exception as exc:  # one bad document must not stop the run
        return {"doc": name, "skipped": f"the extractor failed on it ({type(exc).__name__}: {exc})"}
    return {
        "doc": name,
        "claims": frame,
        "title": first_line(text),
        "text_date": text_date,
        "locations": curate.locate_additions(text, list(job.additions)),
        "warnings": warnings,
    }


def process_all(jobs: list[Job], workers: int) -> Iterator[dict]:
    """Results of `process_document` in job order, in `workers` processes (1 = in this process)."""
    if workers <= 1:
        yield from map(process_document, jobs)
        return
    chunksize = max(1, len(jobs) // (workers * 4))
    with ProcessPoolExecutor(max_workers=workers, initializer=exit_with_parent, initargs=(os.getpid(),)) as executor:
        yield from executor.map(process_document, jobs, chunksize=chunksize)


def exit_with_parent(parent_pid: int) -> None:
    """Worker initializer: end this worker when the ETL process that started it dies, even by SIGKILL.

    A killed parent never closes the pool's queues, so its workers would wait on them forever
    (one blocked in a read, the others on the queue's lock). Linux sends SIGKILL on the parent's
    death (prctl); elsewhere, and as a backstop, a thread polls for a changed parent.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the thread below is enough
        pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(ORPHAN_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def with_progress(results: Iterable[dict], sizes: list[int], show: Callable[[str, bool], None] | None,
                  clock: Callable[[], float] = time.monotonic) -> Iterator[dict]:
    """`results` unchanged; with `show`, a progress line every PROGRESS_EVERY_SECONDS and a last one."""
    if show is None:
        yield from results
        return
    started = last = clock()
    total_bytes = sum(sizes)
    done_bytes = 0
    for done, result in enumerate(results, start=1):
        done_bytes += sizes[done - 1] if done <= len(sizes) else 0
        now = clock()
        if now - last >= PROGRESS_EVERY_SECONDS or done == len(sizes):
            show(progress_line(done, len(sizes), done_bytes, total_bytes, now - started), done == len(sizes))
            last = now
        yield result


def progress_line(done: int, total: int, done_bytes: int, total_bytes: int, elapsed: float) -> str:
    """'documents 120 of 300 (40%), 3.1 MB/s, 0:42 left' (no rate or time left before any time passed)."""
    share = done_bytes / total_bytes if total_bytes else (done / total if total else 1.0)
    line = f"documents {done:,} of {total:,} ({share:.0%})"
    if elapsed > 0 and done_bytes:
        rate = done_bytes / elapsed
        line += f", {rate / 1e6:.1f} MB/s"
        if done < total:
            left = round((total_bytes - done_bytes) / rate)
            line += f", {left // 60}:{left % 60:02d} left"
    return line


def _show_progress(line: str, last: bool) -> None:
    # One line rewritten in place; the summary starts on a fresh line after the last update.
    sys.stderr.write(f"\r\x1b[K{line}" + ("\n" if last else ""))
    sys.stderr.flush()


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def choose_workers(requested: int, jobs: list[Job]) -> int:
    """Worker processes for these jobs: 1 for a small corpus, else up to `requested`."""
    total = sum(_size(job.path) for job in jobs)
    if len(jobs) <= PARALLEL_MIN_DOCS and total <= PARALLEL_MIN_BYTES:
        return 1
    return max(1, min(requested, len(jobs)))


# --- pure transforms -----------------------------------------------------------------------------


def first_line(text: str) -> str | None:
    """The first non-empty line, stripped of spaces and Markdown heading marks, at most 200 chars."""
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:TITLE_MAX_CHARS]
    return None


def claim_id(doc: str, char_start: int, char_end: int, indicator: str, country: str) -> str:
    """Stable id of a claim: the same document, offsets, indicator and country give the same id."""
    key = f"{doc}|{int(char_start)}|{int(char_end)}|{indicator}|{country}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def claims_frame(rows: list[dict]) -> pd.DataFrame:
    """Claim rows (without ids) as a frame with the claims columns."""
    columns = [c for c in CLAIM_COLUMNS if c != "claim_id"]
    if not rows:
        return schema.empty_frame("claims")[columns]
    return pd.DataFrame(rows, columns=columns)


def finalize_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims ordered by doc and offset, exact duplicates dropped, each with a unique stable claim_id."""
    columns = [c for c in CLAIM_COLUMNS if c != "claim_id"]
    frame = claims[columns].sort_values(["doc", "char_start"], kind="mergesort")
    frame = frame.drop_duplicates().reset_index(drop=True)
    ids = [claim_id(*key) for key in
           frame[["doc", "char_start", "char_end", "indicator", "country"]].itertuples(index=False)]
    frame.insert(0, "claim_id", _unique(ids))
    return frame


def indicators_frame(claims: pd.DataFrame) -> pd.DataFrame:
    """One catalogue row per indicator used in `claims`, with its most common category and unit."""
    rows = []
    for indicator, group in claims.groupby("indicator", sort=True):
        entry = describe(indicator, _most_common(group["category"]), _most_common(group["unit"]))
        rows.append(asdict(entry))
    columns = [f.name for f in schema.INDICATORS]
    return pd.DataFrame(rows, columns=columns) if rows else schema.empty_frame("indicators")


def sources_frame(results: list[dict], manifest: dict[str, SourceMeta], claims: pd.DataFrame) -> pd.DataFrame:
    """One row per document read: manifest metadata when there is a row for it, else what its text says."""
    counts = claims["doc"].value_counts().to_dict()
    rows = []
    for result in results:
        doc = result["doc"]
        meta = manifest.get(doc)
        published, basis = None, None
        if meta and meta.published:
            published, basis = meta.published, "manifest"
        elif result["text_date"]:
            published, basis = result["text_date"], "text"
        rows.append({
            "doc": doc,
            "title": (meta.title if meta else None) or result["title"],
            "publisher": meta.publisher if meta else None,
            "published": published,
            "published_basis": basis,
            "place": meta.place if meta else None,
            "url": meta.url if meta else None,
            "n_claims": int(counts.get(doc, 0)),
        })
    return pd.DataFrame(rows, columns=[f.name for f in schema.SOURCES])


def format_summary(report: dict, generation: str | None = None) -> str:
    """The human summary of a run report."""
    read, skipped = report["documents_read"], report["documents_skipped"]
    lines = [f"read {len(read)} document(s), skipped {len(skipped)}"]
    lines += [f"  skipped {s['doc']}: {s['reason']}" for s in skipped]
    by_category = ", ".join(f"{k} {v}" for k, v in report["claims_by_category"].items())
    lines.append(f"claims: {report['claims']}" + (f" ({by_category})" if by_category else ""))
    cur = report["curation"]
    lines.append(f"curations: {len(cur['applied'])} applied, {len(cur['unmatched'])} matched nothing, "
                 f"{len(cur['problems'])} invalid")
    lines += [f"  {line}" for line in cur["applied"] + cur["unmatched"] + cur["problems"]]
    if report["warnings"]:
        lines.append("warnings:")
        lines += [f"  {w}" for w in report["warnings"]]
    if generation:
        lines.append(f"wrote {report['output_dir']} ({generation}) in {report['seconds']:.2f} s")
    else:
        lines.append(f"took {report['seconds']:.2f} s")
    return "\n".join(lines)


def write_for_dashboard(folder: Path) -> None:
    """What the dashboard needs from the whole store, built here once, not by the first visitor after a run:
    its per-series counts and the claims clustered by country and by indicator."""
    aggregates.write_store_index(folder)
    clustered.write_copies(folder)


def up_to_date(input_dir: Path, output_dir: Path, curations: Path) -> bool:
    """True when all three outputs exist and are newer than every input, the curations and the ETL code."""
    try:
        oldest_output = min((output_dir / name).stat().st_mtime_ns for name in paths.OUTPUT_FILES)
    except OSError:
        return False
    # A directory's own mtime changes when a file in it is added or removed.
    inputs = [input_dir, *list_inputs(input_dir), input_dir / paths.MANIFEST_NAME]
    inputs += [curations, curations.parent]
    # A changed extractor (its language tables included) or store-index writer makes the output stale too.
    inputs += code_files()
    newest_input = max((_mtime(p) for p in inputs), default=0)
    return newest_input < oldest_output


def code_files() -> list[Path]:
    """The code whose output the store holds: the ETL's modules and what `write_for_dashboard` calls."""
    return [*Path(__file__).parent.rglob("*.py"), Path(aggregates.__file__), Path(clustered.__file__)]


# --- helpers -------------------------------------------------------------------------------------


@contextmanager
def _stage(name: str) -> Iterator[None]:
    try:
        yield
    except (StageError, store.LockBusy, KeyboardInterrupt):
        raise
    except Exception as exc:
        raise StageError(f"{name}: {type(exc).__name__}: {exc}") from exc


def _job(path: Path, meta: SourceMeta | None, curations: pd.DataFrame) -> Job:
    year = meta.published.year if meta and meta.published else None
    return Job(str(path), year, tuple(curate.additions_for(curations, path.name)))


def _report(opts: Options, started: float, workers: int, results: list[dict], skipped: list[dict],
            claims: pd.DataFrame | None, cur_report: curate.CurationReport, warnings: list[str]) -> dict:
    by_category: dict[str, int] = {}
    if claims is not None:
        counts = Counter(claims["category"])
        by_category = {c: counts[c] for c in schema.CATEGORIES if counts[c]}
    return {
        "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "seconds": round(time.monotonic() - started, 3),
        "input_dir": str(opts.input_dir),
        "output_dir": str(opts.output_dir),
        "curations_file": str(opts.curations),
        "workers": workers,
        "documents_read": [r["doc"] for r in results],
        "documents_skipped": skipped,
        "claims": 0 if claims is None else len(claims),
        "claims_by_category": by_category,
        "curation": cur_report.as_dict(),
        "warnings": warnings,
    }


def _unique(ids: Iterable[str]) -> list[str]:
    # Rows that differ only outside the id's key get -2, -3... in their (deterministic) order.
    seen: Counter[str] = Counter()
    out = []
    for base in ids:
        seen[base] += 1
        out.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return out


def _most_common(values: pd.Series) -> str:
    counts = Counter(values)
    return min(counts, key=lambda v: (-counts[v], v))


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value
