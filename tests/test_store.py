"""Storage stage: generations switch atomically; failures and kills leave the previous one, lock refuses."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from etl import paths, schema, store
from etl.run import main


def _frames(tag: str) -> dict[str, pd.DataFrame]:
    """Three valid tables; `tag` names the single source so a test can tell generations apart."""
    sources = pd.DataFrame([{"doc": tag, "title": None, "publisher": None, "published": None,
                             "published_basis": None, "place": None, "url": None, "n_claims": 0}])
    return {"claims": schema.empty_frame("claims"), "indicators": schema.empty_frame("indicators"),
            "sources": sources}


def _visible_tag(out: Path) -> str:
    return store.read_table(out, "sources").column("doc")[0].as_py()


def test_commit_switches_current_and_links_the_files(tmp_path: Path) -> None:
    assert store.current_dir(tmp_path) is None and store.version(tmp_path) == ""
    first = store.commit(tmp_path, _frames("one"), {"run": 1})
    assert store.current_dir(tmp_path) == first
    version_one = store.version(tmp_path)
    second = store.commit(tmp_path, _frames("two"), {"run": 2})
    assert store.current_dir(tmp_path) == second and _visible_tag(tmp_path) == "two"
    assert store.version(tmp_path) != version_one
    assert store.read_report(tmp_path) == {"run": 2}
    for name in (*paths.OUTPUT_FILES, paths.RUN_REPORT_FILE):
        link = tmp_path / name
        assert link.is_symlink() and link.resolve() == (second / name).resolve()
    tables = store.read_tables(tmp_path)
    assert set(tables) == {"claims", "indicators", "sources"}


def test_failed_write_leaves_previous_generation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store.commit(tmp_path, _frames("old"), {})
    before = store.version(tmp_path)
    real_write = store._write_table
    calls = []

    def write_then_fail(path: Path, table) -> None:
        calls.append(path.name)
        if len(calls) > 1:
            raise OSError(28, "No space left on device")
        real_write(path, table)

    monkeypatch.setattr(store, "_write_table", write_then_fail)
    with pytest.raises(OSError, match="No space left"):
        store.commit(tmp_path, _frames("new"), {})
    assert store.version(tmp_path) == before and _visible_tag(tmp_path) == "old"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(store.TEMP_PREFIX)]


def test_schema_error_writes_nothing(tmp_path: Path) -> None:
    frames = _frames("bad")
    frames["sources"] = frames["sources"].drop(columns=["n_claims"])
    with pytest.raises(schema.SchemaError, match="missing columns"):
        store.commit(tmp_path, frames, {})
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_old_generations_are_pruned(tmp_path: Path) -> None:
    made = [store.commit(tmp_path, _frames(f"g{i}"), {}).name for i in range(4)]
    left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(store.GENERATION_PREFIX))
    assert left == made[-2:]


def test_stale_temp_items_are_cleaned(tmp_path: Path) -> None:
    store.commit(tmp_path, _frames("kept"), {})
    half = tmp_path / f"{store.TEMP_PREFIX}999-dead"
    half.mkdir()
    (half / paths.CLAIMS_FILE).write_bytes(b"PAR1 half written")
    os.symlink("nowhere", tmp_path / f"{store.TEMP_PREFIX}link-999-dead")
    assert sorted(store.clean_stale(tmp_path)) == [half.name, f"{store.TEMP_PREFIX}link-999-dead"]
    assert _visible_tag(tmp_path) == "kept"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(store.TEMP_PREFIX)]


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (lambda gen: (gen / paths.CLAIMS_FILE).write_bytes(b"not parquet"),
         "existing claims.parquet is corrupt"),
        (lambda gen: (gen / paths.SOURCES_FILE).unlink(), "existing sources.parquet is missing"),
        (lambda gen: store._write_table(gen / paths.SOURCES_FILE,
                                        schema.to_table(schema.empty_frame("claims"), "claims")),
         "existing sources.parquet does not match the schema"),
    ],
)
def test_inspect_existing_names_damaged_files(tmp_path: Path, damage, problem: str) -> None:
    generation = store.commit(tmp_path, _frames("x"), {})
    assert store.inspect_existing(tmp_path) == []
    damage(generation)
    problems = store.inspect_existing(tmp_path)
    assert len(problems) == 1 and problems[0].startswith(problem)


def test_reads_plain_files_without_generations(tmp_path: Path) -> None:
    # Stores written by hand or by fixtures (no `current` link) are still readable.
    for name, frame in _frames("plain").items():
        store._write_table(tmp_path / store.TABLE_FILES[name], schema.to_table(frame, name))
    assert _visible_tag(tmp_path) == "plain"
    assert store.version(tmp_path).startswith("files@")


def test_second_run_is_refused_while_the_lock_is_held(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Internet use reached 92%.")
    out = tmp_path / "out"
    with store.lock(out):
        code = main(["--input", str(tmp_path / "in"), "--output", str(out)])
    err = capsys.readouterr().err
    assert code == 3
    assert f"another ETL run is writing to {out} (pid {os.getpid()}); try again when it finishes" in err
    assert store.current_dir(out) is None


def test_lock_timeout_waits_for_the_other_run(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Internet use reached 92%.")
    out = tmp_path / "out"
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with store.lock(out):
            held.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(5)
    threading.Timer(0.3, release.set).start()
    code = main(["--input", str(tmp_path / "in"), "--output", str(out), "--lock-timeout", "5", "--quiet"])
    holder.join()
    assert code == 0 and store.current_dir(out) is not None


KILLED_WRITER = textwrap.dedent(
    """
    import sys, pandas as pd
    from etl import schema, store
    out, n = sys.argv[1], 0
    while True:
        n += 1
        sources = pd.DataFrame([{"doc": f"run{n}", "title": "t" * 5000, "publisher": None, "published": None,
                                 "published_basis": None, "place": None, "url": None, "n_claims": n}])
        store.commit(out, {"claims": schema.empty_frame("claims"),
                           "indicators": schema.empty_frame("indicators"), "sources": sources}, {"n": n})
    """
)


@pytest.mark.slow
def test_sigkill_at_any_moment_leaves_a_complete_generation(tmp_path: Path) -> None:
    store.commit(tmp_path, _frames("start"), {"n": 0})
    env = {**os.environ, "PYTHONPATH": str(paths.REPO_ROOT)}
    for delay in (0.6, 0.75, 0.9, 1.05, 1.2):
        writer = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(tmp_path)], env=env)
        time.sleep(delay)
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        tables = store.read_tables(tmp_path)  # raises if the visible generation is incomplete or mixed
        report = store.read_report(tmp_path)
        assert report is not None
        assert tables["sources"].column("n_claims")[0].as_py() == report["n"]
        store.clean_stale(tmp_path)


def test_derived_files_are_written_into_the_generation_before_it_is_current(tmp_path: Path) -> None:
    seen: list[tuple[str, bool]] = []

    def derive(folder: Path) -> None:
        # The tables are there, and the folder is not current yet.
        seen.append((folder.name, (folder / paths.CLAIMS_FILE).is_file()))
        (folder / "derived.bin").write_bytes(b"x")

    generation = store.commit(tmp_path, _frames("one"), {}, derive=derive)
    assert seen and seen[0][0].startswith(store.TEMP_PREFIX) and seen[0][1]
    assert (generation / "derived.bin").read_bytes() == b"x"


def test_failed_derive_leaves_previous_generation(tmp_path: Path) -> None:
    store.commit(tmp_path, _frames("old"), {})
    before = store.version(tmp_path)

    def derive(folder: Path) -> None:
        raise ValueError("cannot count")

    with pytest.raises(ValueError, match="cannot count"):
        store.commit(tmp_path, _frames("new"), {}, derive=derive)
    assert store.version(tmp_path) == before and _visible_tag(tmp_path) == "old"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(store.TEMP_PREFIX)]
