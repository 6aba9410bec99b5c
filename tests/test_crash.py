"""Crash safety of the real command: SIGKILL at random moments, and two runs at once on one output.

tests/test_store.py kills a loop of `store.commit` calls five times; here the whole
`python -m etl` process (and its process group) is killed many times at random points of a
run over a few hundred documents, and the output must always be one complete run: the
previous one or the new one, never a mix, never a partial file.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from etl import paths, schema, store

N_DOCS = 300
KILL_ITERATIONS = 20
SEED = 20240314
WRITE_HEAVY_SENTENCES = 4  # the second run has more claims, so its write takes longer
COUNTRIES = ["Kazakhstan", "Uzbekistan", "Kyrgyzstan", "Tajikistan", "Georgia", "Azerbaijan", "Pakistan"]
SENTENCES = [
    "Internet penetration in {c} reached {p}% in {y}.",
    "{c} invested ${m} million in digital infrastructure in {y}.",
    "In {y} {c} ranked {r}th out of 193 in the UN E-Government Development Index.",
    "Mobile broadband covered {p}% of the population of {c} in {y}.",
    "The budget for e-government services in {c} was ${m} million in {y}.",
    "More than {n},000 students in {c} used national e-learning platforms in {y}.",
]


def write_corpus(raw: Path, n_docs: int, seed: int, extra_sentences: int = 0) -> None:
    """`n_docs` report-like documents; `extra_sentences` more per document gives a second, bigger run."""
    rng = random.Random(seed)
    raw.mkdir(parents=True, exist_ok=True)
    for i in range(n_docs):
        lines = [f"# Digital development report {i}", ""]
        for j in range(8 + extra_sentences):
            template = SENTENCES[(i + j) % len(SENTENCES)]
            lines.append(template.format(c=rng.choice(COUNTRIES), p=rng.randint(10, 99), y=rng.randint(2015, 2024),
                                         m=rng.randint(2, 900), r=rng.randint(11, 99), n=rng.randint(2, 90)))
            lines.append("")
        (raw / f"report {i:03d}.txt").write_text("\n".join(lines), encoding="utf-8")


def etl_command(raw: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "etl", "--input", str(raw), "--output", str(out),
            "--curations", str(raw.parent / "none.csv"), *extra]


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(paths.REPO_ROOT)}


def visible_claim_count(out: Path) -> int:
    """Claims rows of the current generation, after checking that it is complete and consistent."""
    tables = store.read_tables(out)  # schema.check on all three, all from one generation
    report = store.read_report(out)
    assert report is not None, "current generation has no run report"
    n_claims = tables["claims"].num_rows
    assert report["claims"] == n_claims, "report and claims come from different runs"
    assert sum(tables["sources"].column("n_claims").to_pylist()) == n_claims, "sources and claims differ"
    # The top-level links tools open directly point into the same generation.
    for name in (*paths.OUTPUT_FILES, paths.RUN_REPORT_FILE):
        assert (out / name).resolve().parent == store.current_dir(out).resolve(), name
    return n_claims


def assert_no_partial_generation(out: Path) -> None:
    """Every gen-* folder holds all files, each a readable table in the contract; temp items are allowed."""
    for entry in out.iterdir():
        if entry.name.startswith(store.GENERATION_PREFIX):
            for name, file in store.TABLE_FILES.items():
                schema.check(pq.read_table(entry / file), name)
            assert (entry / paths.RUN_REPORT_FILE).is_file(), entry
        else:
            assert entry.name.startswith(store.TEMP_PREFIX) or entry.name in (
                store.CURRENT_LINK, paths.LOCK_FILE, *paths.OUTPUT_FILES, paths.RUN_REPORT_FILE), entry


def full_run(raw: Path, out: Path) -> tuple[int, float]:
    started = time.monotonic()
    done = subprocess.run(etl_command(raw, out, "--workers", "1", "--quiet"), env=env(), capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return visible_claim_count(out), time.monotonic() - started


def wait_for_write(proc: subprocess.Popen, out: Path, timeout: float = 600) -> float | None:
    """Poll until the run creates its temporary generation folder; its time since now, None if it exited first."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if any(e.name.startswith(store.TEMP_PREFIX) and not e.name.startswith(f"{store.TEMP_PREFIX}old-")
               for e in os.scandir(out)):
            return time.monotonic() - started
        if proc.poll() is not None:
            return None
        time.sleep(0.001)
    raise AssertionError("the run neither wrote nor exited")


def start_run(raw: Path, out: Path, workers: int) -> subprocess.Popen:
    return subprocess.Popen(etl_command(raw, out, "--workers", str(workers), "--quiet"), env=env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def write_window(raw: Path, out: Path) -> tuple[float, float]:
    """(seconds from start to the first temp folder, seconds that the write then takes) of one full run."""
    started = time.monotonic()
    proc = start_run(raw, out, 1)
    before_write = wait_for_write(proc, out)
    assert before_write is not None and proc.wait(600) == 0
    return before_write, time.monotonic() - started - before_write


@pytest.mark.slow
def test_sigkill_at_random_points_leaves_one_complete_run(tmp_path: Path) -> None:
    old_raw, new_raw, out = tmp_path / "old", tmp_path / "new", tmp_path / "out"
    write_corpus(old_raw, N_DOCS, SEED)
    write_corpus(new_raw, N_DOCS, SEED, extra_sentences=WRITE_HEAVY_SENTENCES)
    old_count, _ = full_run(old_raw, out)
    new_count, _ = full_run(new_raw, tmp_path / "reference")
    assert old_count != new_count
    before_write, writing = write_window(new_raw, tmp_path / "reference")
    rng = random.Random(SEED)
    outcomes = {"old": 0, "new": 0, "mid-write": 0}
    raw_of = {old_count: new_raw, new_count: old_raw}  # each kill runs the corpus that is not visible
    for iteration in range(KILL_ITERATIONS):
        visible = visible_claim_count(out)
        proc = start_run(raw_of[visible], out, 1 + iteration % 3 // 2)
        if iteration % 3 == 0:  # anywhere in the run: reading, extracting, writing or done
            time.sleep(rng.uniform(0.1, 1.1) * (before_write + writing))
        elif wait_for_write(proc, out) is not None:  # while the files are being written and switched
            time.sleep(rng.uniform(0, 0.7) * writing)  # `writing` runs to the exit
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the run and any worker processes
        proc.wait(60)
        count = visible_claim_count(out)
        assert count in (old_count, new_count), f"iteration {iteration}: {count} claims is neither run"
        outcomes["old" if count == visible else "new"] += 1
        outcomes["mid-write"] += any(e.name.startswith(store.TEMP_PREFIX) for e in out.iterdir())
        assert_no_partial_generation(out)
    print(f"{KILL_ITERATIONS} kills over {N_DOCS} documents ({before_write:.1f} s to the write, which takes "
          f"{writing:.2f} s): previous run still visible {outcomes['old']}x, the killed run had already "
          f"switched {outcomes['new']}x, temp items left by a kill mid-write {outcomes['mid-write']}x")
    # A normal run afterwards cleans up what the kills left and writes the new output.
    left_over = any(e.name.startswith(store.TEMP_PREFIX) for e in out.iterdir())
    done = subprocess.run(etl_command(new_raw, out, "--workers", "1"), env=env(), capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    assert visible_claim_count(out) == new_count
    # Kills landed both before the switch and after it (mid-write kills are counted, not required: timing).
    assert outcomes["old"] and outcomes["new"], outcomes
    if left_over:
        assert "temporary item(s) left by an interrupted run" in done.stdout
    assert not [p for p in out.iterdir() if p.name.startswith(store.TEMP_PREFIX)]
    assert len([p for p in out.iterdir() if p.name.startswith(store.GENERATION_PREFIX)]) <= store.KEEP_GENERATIONS


def start_together(commands: list[list[str]]) -> list[subprocess.CompletedProcess]:
    procs = [subprocess.Popen(c, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for c in commands]
    results = []
    for proc, command in zip(procs, commands, strict=True):
        out, err = proc.communicate(timeout=600)
        results.append(subprocess.CompletedProcess(command, proc.returncode, out, err))
    return results


@pytest.mark.slow
def test_two_runs_at_once_one_refuses_clearly(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_corpus(raw, N_DOCS, SEED)
    first, second = start_together([etl_command(raw, out, "--workers", "1", "--quiet")] * 2)
    codes = sorted((first.returncode, second.returncode))
    assert codes == [0, 3], (first.stderr, second.stderr)
    loser = first if first.returncode == 3 else second
    assert f"another ETL run is writing to {out} (pid " in loser.stderr
    assert loser.stderr.strip().endswith("try again when it finishes")
    assert "Traceback" not in loser.stderr
    assert visible_claim_count(out) > 0
    assert_no_partial_generation(out)


@pytest.mark.slow
def test_two_runs_at_once_with_lock_timeout_both_finish(tmp_path: Path) -> None:
    old_raw, new_raw, out = tmp_path / "old", tmp_path / "new", tmp_path / "out"
    write_corpus(old_raw, N_DOCS // 2, SEED)
    write_corpus(new_raw, N_DOCS // 2, SEED + 1, extra_sentences=1)
    results = start_together([etl_command(old_raw, out, "--workers", "1", "--quiet", "--lock-timeout", "300"),
                              etl_command(new_raw, out, "--workers", "1", "--quiet", "--lock-timeout", "300")])
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    count = visible_claim_count(out)
    # Whichever finished last is visible, complete.
    expected = {full_run(raw, tmp_path / f"ref-{raw.name}")[0] for raw in (old_raw, new_raw)}
    assert count in expected
    assert_no_partial_generation(out)


def _alive(pid: int) -> bool:
    """True while `pid` runs; a zombie (dead, not yet reaped by whoever adopted it) is not alive."""
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.mark.slow
def test_workers_exit_when_only_the_parent_is_killed(tmp_path: Path) -> None:
    """SIGKILL to the main process alone (not its group): its workers must not linger on the pool's queues."""
    import psutil

    raw, out = tmp_path / "raw", tmp_path / "out"
    write_corpus(raw, N_DOCS, SEED, extra_sentences=WRITE_HEAVY_SENTENCES)
    proc = start_run(raw, out, 2)
    try:
        workers: list[int] = []
        deadline = time.monotonic() + 120
        while not workers and proc.poll() is None and time.monotonic() < deadline:
            workers = [c.pid for c in psutil.Process(proc.pid).children(recursive=True)]
            time.sleep(0.05)
        assert workers, "the run started no worker process"
        os.kill(proc.pid, signal.SIGKILL)  # the parent only
        proc.wait(60)
        deadline = time.monotonic() + 30
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = [pid for pid in workers if _alive(pid)]
        assert not left, f"worker(s) {left} still running after their parent was killed"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # anything left in the run's group, so no test leaks a process
        except ProcessLookupError:
            pass
