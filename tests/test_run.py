"""The whole run on a copy of the bundled corpus, with a fake extractor at real offsets."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import etl.run
from etl import paths, run, schema, store
from etl.curate import COLUMNS
from etl.run import main

EXTRA_DOC = "extra notes.md"
EXTRA_TEXT = "# Field notes from Bishkek\n\nMay 2021\n\nMobile internet reached 71% of households.\n"


@pytest.fixture
def corpus(home: Path, fake_extractor, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled documents plus one without a manifest row and one PDF; a fake date reader."""
    raw = paths.raw_dir()
    (raw / EXTRA_DOC).write_text(EXTRA_TEXT, encoding="utf-8")
    (raw / "scan.pdf").write_bytes(b"%PDF-1.7")
    monkeypatch.setattr(etl.run, "reference_date",
                        lambda text: dt.date(2021, 5, 1) if "May 2021" in text else None)
    return raw


def _run(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _table(name: str):
    return pq.read_table(paths.processed_dir() / f"{name}.parquet")


def _write_curations(*rows: str) -> None:
    paths.curated_file().parent.mkdir(parents=True, exist_ok=True)
    text = ",".join(COLUMNS) + "\n" + "".join(r + "\n" for r in rows)
    paths.curated_file().write_text(text, encoding="utf-8")


def _documents(raw: Path) -> list[Path]:
    return [p for p in sorted(raw.iterdir()) if p.suffix in (".txt", ".md")]


def test_end_to_end(corpus: Path, capsys: pytest.CaptureFixture, fake_extractor) -> None:
    documents = _documents(corpus)
    n_claims = sum(len(fake_extractor(p.read_text(encoding="utf-8"))) for p in documents)
    code, out, err = _run(capsys)
    assert (code, err) == (0, "")
    assert out.startswith(f"read {len(documents)} document(s), skipped 1\n")
    assert "\n  skipped scan.pdf: the PDF cannot be read" in out
    assert f"claims: {n_claims} (penetration {n_claims})" in out
    assert f"wrote {paths.processed_dir()} (gen-" in out
    tables = {name: _table(name) for name in schema.SCHEMAS}
    for name, table in tables.items():
        schema.check(table, name)
    claims = tables["claims"].to_pandas()
    assert list(claims["doc"]) == sorted(claims["doc"])
    assert set(claims["origin"]) == {"extracted"}
    # reference_year is the manifest's year, else the text's.
    assert set(claims.loc[claims["doc"] == "004_b82150bf0fda6b4e.txt", "year"]) == {2024}
    assert set(claims.loc[claims["doc"] == EXTRA_DOC, "year"]) == {2021}
    for row in claims.itertuples():
        text = (corpus / row.doc).read_text(encoding="utf-8")
        assert text[row.char_start : row.char_end] == row.as_written
    indicators = tables["indicators"].select(["id", "category", "unit"]).to_pylist()
    assert indicators == [{"id": "internet_users_pct", "category": "penetration", "unit": "percent"}]
    report = json.loads((paths.processed_dir() / paths.RUN_REPORT_FILE).read_text())
    assert [s["doc"] for s in report["documents_skipped"]] == ["scan.pdf"]
    assert report["claims_by_category"] == {"penetration": n_claims}
    assert report["documents_read"] == [p.name for p in documents]


def test_sources_rows(corpus: Path, capsys: pytest.CaptureFixture) -> None:
    assert _run(capsys)[0] == 0
    sources = {row["doc"]: row for row in _table("sources").to_pylist()}
    assert list(sources) == [p.name for p in _documents(corpus)]
    assert sources["004_b82150bf0fda6b4e.txt"] == {
        "doc": "004_b82150bf0fda6b4e.txt", "title": "Digital Transformation Advances in Central Asia",
        "publisher": "Global News View (GNV)", "published": dt.date(2024, 3, 14),
        "published_basis": "manifest", "place": None, "url": None, "n_claims": 2,
    }
    assert sources[EXTRA_DOC] == {
        "doc": EXTRA_DOC, "title": "Field notes from Bishkek", "publisher": None,
        "published": dt.date(2021, 5, 1), "published_basis": "text", "place": None, "url": None,
        "n_claims": 1,
    }
    assert sources["000_599fe1ae1c45a9d1.txt"]["n_claims"] == 0


def test_claim_ids_are_stable_across_runs(corpus: Path, capsys: pytest.CaptureFixture) -> None:
    assert _run(capsys)[0] == 0
    first = _table("claims").column("claim_id").to_pylist()
    assert _run(capsys)[0] == 0
    assert _table("claims").column("claim_id").to_pylist() == first
    assert len(set(first)) == len(first) and all(len(i) == 16 for i in first)


def test_parallel_run_matches_in_process_run(corpus: Path, capsys: pytest.CaptureFixture,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    assert _run(capsys, "--workers", "1")[0] == 0
    serial = _table("claims")
    monkeypatch.setattr(etl.run, "PARALLEL_MIN_DOCS", 0)
    code, out, _ = _run(capsys, "--workers", "2")
    assert code == 0
    assert json.loads((paths.processed_dir() / paths.RUN_REPORT_FILE).read_text())["workers"] == 2
    assert _table("claims").equals(serial)


def test_curations_correct_drop_add_and_unmatched(corpus: Path, capsys: pytest.CaptureFixture) -> None:
    doc = "004_b82150bf0fda6b4e.txt"
    _write_curations(
        f"correct,{doc},80%,,UZB,,,,,,>,,,the sentence is about Uzbekistan",
        f"drop,{doc},8.4%,,,,,,,,,,,not an internet figure",
        f"add,{doc},28th,ranked 28th,KAZ,egov_rank,ranking,28,rank,2022,,193,,missed ordinal",
        f"drop,{doc},12345%,,,,,,,,,,,stale entry",
    )
    code, out, _ = _run(capsys)
    assert code == 0
    assert "curations: 3 applied, 1 matched nothing, 0 invalid" in out
    assert f"curation entry at line 5 (drop {doc}, '12345%') matched no claim" in out
    claims = _table("claims").to_pandas()
    mine = claims[claims["doc"] == doc].set_index("as_written")
    assert list(mine.index) == ["28th", "80%"]  # ordered by offset; 8.4% dropped
    assert (mine.loc["80%", "country"], mine.loc["80%", "comparator"], mine.loc["80%", "origin"]) == (
        "UZB", ">", "corrected")
    added = mine.loc["28th"]
    assert (added["origin"], added["rank_of"], added["category"]) == ("added", 193, "ranking")
    text = (corpus / doc).read_text(encoding="utf-8")
    assert text[added["char_start"] : added["char_end"]] == "28th"
    assert "Kazakhstan ranked 28th out of 193 countries" in added["quote"]
    sources = {r["doc"]: r for r in _table("sources").to_pylist()}
    assert sources[doc]["n_claims"] == 2
    assert {r["id"] for r in _table("indicators").to_pylist()} == {"internet_users_pct", "egov_rank"}


def test_if_stale_skips_until_an_input_changes(corpus: Path, capsys: pytest.CaptureFixture) -> None:
    assert _run(capsys, "--if-stale")[0] == 0
    version = store.version(paths.processed_dir())
    code, out, _ = _run(capsys, "--if-stale")
    assert code == 0
    assert out == f"data in {paths.processed_dir()} is up to date (newer than every input); nothing to do\n"
    assert store.version(paths.processed_dir()) == version
    for touched in (corpus / "003_1e9fb6055a741eac.txt", corpus / paths.MANIFEST_NAME):
        future = dt.datetime.now().timestamp() + 60
        os.utime(touched, (future, future))
        code, out, _ = _run(capsys, "--if-stale")
        assert code == 0 and out.startswith(f"read {len(_documents(corpus))} document(s)")
        assert store.version(paths.processed_dir()) != version
        version = store.version(paths.processed_dir())
        os.utime(touched, (future - 3600, future - 3600))


@pytest.mark.parametrize("name", ["etl/extract.py", "etl/lang/ru.py", "etl/lang/en.py", "cadi/aggregates.py"])
def test_a_change_to_this_code_makes_the_output_stale(name: str) -> None:
    assert Path(name).resolve() in {f.resolve() for f in run.code_files()}


def test_if_stale_reruns_when_a_document_is_removed(corpus: Path, capsys: pytest.CaptureFixture) -> None:
    assert _run(capsys)[0] == 0
    (corpus / EXTRA_DOC).unlink()
    future = dt.datetime.now().timestamp() + 60
    os.utime(corpus, (future, future))  # as a slower clock would show the deletion
    code, out, _ = _run(capsys, "--if-stale")
    assert code == 0 and out.startswith(f"read {len(_documents(corpus))} document(s)")


@pytest.mark.parametrize(
    ("setup", "code", "message"),
    [
        (lambda tmp: None, 2, "does not exist; nothing was written"),
        (lambda tmp: (tmp / "in").mkdir(), 2, "nothing was written: it holds no document (.txt, .md, .pdf or .html)"),
        (lambda tmp: (tmp / "in").write_text("a file"), 2, "is not a directory"),
    ],
)
def test_input_problems(tmp_path: Path, capsys: pytest.CaptureFixture, setup, code: int,
                        message: str) -> None:
    setup(tmp_path)
    result, out, err = _run(capsys, "--input", str(tmp_path / "in"), "--output", str(tmp_path / "out"))
    assert result == code and message in err
    assert "Traceback" not in out + err


def test_unexpected_failure_keeps_previous_output(corpus: Path, capsys: pytest.CaptureFixture,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    assert _run(capsys)[0] == 0
    version = store.version(paths.processed_dir())

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store, "_write_table", full_disk)
    code, out, err = _run(capsys)
    assert code == 1
    assert err.startswith(f"ETL failed while writing {paths.processed_dir()}: OSError: [Errno 28] No space")
    assert len(err.splitlines()) == 1
    assert store.version(paths.processed_dir()) == version


def test_extractor_failure_skips_only_that_document(corpus: Path, capsys: pytest.CaptureFixture,
                                                    monkeypatch: pytest.MonkeyPatch, fake_extractor) -> None:
    def fragile(text: str, reference_year: int | None = None):
        if "Bishkek" in text:
            raise ValueError("unbalanced table")
        return fake_extractor(text, reference_year)

    monkeypatch.setattr(etl.run, "extract_claims", fragile)
    code, out, _ = _run(capsys)
    assert code == 0
    assert f"skipped {EXTRA_DOC}: the extractor failed on it (ValueError: unbalanced table)" in out


def test_damaged_output_and_stale_temp_are_reported(corpus: Path, capsys: pytest.CaptureFixture) -> None:
    assert _run(capsys)[0] == 0
    out_dir = paths.processed_dir()
    (store.current_dir(out_dir) / paths.CLAIMS_FILE).write_bytes(b"garbage")
    (out_dir / f"{store.TEMP_PREFIX}4242-dead").mkdir()
    code, out, _ = _run(capsys)
    assert code == 0
    assert "removed 1 temporary item(s) left by an interrupted run" in out
    assert "existing claims.parquet is corrupt" in out
    schema.check(_table("claims"), "claims")
    assert not (out_dir / f"{store.TEMP_PREFIX}4242-dead").exists()


def test_cli_never_prints_a_traceback_for_bad_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (bad / "noise.md").write_bytes(bytes(range(128, 256)) * 8)
    (bad / "report.pdf").write_bytes(b"%PDF-1.4")
    (bad / "page.html").write_text("<html></html>")
    (bad / "dir.txt").mkdir()
    (bad / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (bad / paths.MANIFEST_NAME).write_bytes(b"\x00\x01 not a csv")
    env = {**os.environ, "PYTHONPATH": str(paths.REPO_ROOT), "CADI_HOME": str(tmp_path)}
    command = [sys.executable, "-m", "etl", "--input", str(bad), "--output", str(tmp_path / "out")]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert "read 0 document(s), skipped 7" in done.stdout
    assert "nothing was written: no document in it could be read" in done.stderr
    for name in ("empty.txt", "binary.txt", "noise.md", "report.pdf", "page.html", "dir.txt", "photo.jpg"):
        assert f"skipped {name}: " in done.stdout
    assert store.current_dir(tmp_path / "out") is None


@pytest.mark.parametrize(("done", "total", "done_bytes", "total_bytes", "elapsed", "expected"), [
    (0, 300, 0, 3_000_000, 0.0, "documents 0 of 300 (0%)"),
    (120, 300, 1_200_000, 3_000_000, 2.0, "documents 120 of 300 (40%), 0.6 MB/s, 0:03 left"),
    (150, 300, 1_000_000, 31_000_000, 10.0, "documents 150 of 300 (3%), 0.1 MB/s, 5:00 left"),
    (300, 300, 3_000_000, 3_000_000, 4.0, "documents 300 of 300 (100%), 0.8 MB/s"),
    (2, 4, 0, 0, 1.0, "documents 2 of 4 (50%)"),  # empty files: share by count, no rate
    (1_234, 5_000, 10, 20, 0.0, "documents 1,234 of 5,000 (50%)"),  # no time yet: no rate
])
def test_progress_line(done, total, done_bytes, total_bytes, elapsed, expected) -> None:
    assert etl.run.progress_line(done, total, done_bytes, total_bytes, elapsed) == expected


def test_with_progress_throttles_and_always_shows_the_last() -> None:
    ticks = iter([0.0, 0.1, 0.2, 0.7, 0.8, 0.9])  # the start, then one tick per result
    shown: list[tuple[str, bool]] = []
    results = [{"doc": str(i)} for i in range(5)]
    out = list(etl.run.with_progress(iter(results), [100] * 5, lambda line, last: shown.append((line, last)),
                                     clock=lambda: next(ticks)))
    assert out == results
    # 0.7 s is past the half-second since the start; the fifth result is the last.
    assert [(line.split(" (")[0], last) for line, last in shown] == [
        ("documents 3 of 5", False), ("documents 5 of 5", True)]


def test_with_progress_without_a_terminal_shows_nothing() -> None:
    results = [{"doc": "a"}, {"doc": "b"}]
    assert list(etl.run.with_progress(iter(results), [1, 2], None)) == results


def _progress_run(raw: Path, out: Path, stderr_on_terminal: bool) -> str:
    """stderr of `python -m etl` over `raw` in 2 workers, written to a pseudo-terminal or a pipe."""
    import pty

    command = [sys.executable, "-m", "etl", "--input", str(raw), "--output", str(out),
               "--curations", str(raw.parent / "none.csv"), "--workers", "2"]
    env = {**os.environ, "PYTHONPATH": str(paths.REPO_ROOT)}
    if not stderr_on_terminal:
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300).stderr
    leader, follower = pty.openpty()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the pty closes when the run exits
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(300) == 0
    return b"".join(chunks).decode()


@pytest.mark.slow
def test_progress_on_a_terminal_only(tmp_path: Path) -> None:
    from tests.test_crash import write_corpus

    raw = tmp_path / "raw"
    write_corpus(raw, 40, seed=7)
    on_terminal = _progress_run(raw, tmp_path / "a", stderr_on_terminal=True)
    assert "documents 40 of 40 (100%)" in on_terminal
    assert "MB/s" in on_terminal
    piped = _progress_run(raw, tmp_path / "b", stderr_on_terminal=False)
    assert "documents" not in piped and "MB/s" not in piped


def test_run_writes_the_dashboards_store_index_beside_the_claims(corpus: Path, capsys: pytest.CaptureFixture) -> None:
    from cadi import aggregates, data

    assert _run(capsys)[0] == 0
    generation = store.current_dir(paths.processed_dir())
    assert (generation / aggregates.STORE_INDEX_FILE).is_file()
    saved = data.saved_store_index(data.store_version())
    assert saved is not None, "the dashboard would rebuild the index: its stamp does not match claims.parquet"
    built = aggregates.build_store_index(data.read_table(generation / paths.CLAIMS_FILE, "claims", data.COUNT_COLUMNS))
    assert saved[0].series.astype(str).equals(built[0].series.astype(str))
    assert (saved[0].counts == built[0].counts).all() and (saved[1].doc == built[1].doc).all()
