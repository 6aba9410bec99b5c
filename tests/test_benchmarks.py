"""Smoke tests: every benchmark script runs in its quick mode and prints its figures (no timing asserts)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("psutil") is None, reason="bench extra not installed (psutil)"),
]


def run_bench(module: str, *args: str, out: Path, timeout: int = 900) -> str:
    env = {**os.environ, "CADI_BENCH_OUT": str(out)}
    proc = subprocess.run([sys.executable, "-m", module, *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=timeout)
    assert proc.returncode == 0, f"{module} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout


def test_synth_corpus_is_seeded_and_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("CADI_BENCH_OUT", str(tmp_path))
    from benchmarks.synth_corpus import SEED, document, ensure_corpus

    assert document(SEED, 3) == document(SEED, 3) != document(SEED, 4)
    first = ensure_corpus(0.05)
    stamp = (first / ".corpus.json").stat().st_mtime_ns
    assert ensure_corpus(0.05) == first and (first / ".corpus.json").stat().st_mtime_ns == stamp
    assert len(list(first.glob("*.txt"))) == 2


def test_synth_store_matches_the_schema(tmp_path, monkeypatch):
    monkeypatch.setenv("CADI_BENCH_OUT", str(tmp_path))
    from benchmarks.synth_store import ensure_store
    from etl import store

    tables = store.read_tables(ensure_store(2000))  # read_tables checks every table against the contract
    assert tables["claims"].num_rows == 2000
    assert tables["indicators"].num_rows == 2000


def test_etl_benchmark_quick(tmp_path):
    args = ["--quick"]
    if importlib.util.find_spec("quantulum3") is None:
        args += ["--no-quantulum", "--no-eval"]
    text = run_bench("benchmarks.etl", *args, out=tmp_path)
    for figure in ("MB/s", "claims/s", "peak RSS MB", "speed-up from 1 worker", "cost per MB"):
        assert figure in text
    if "--no-quantulum" not in args:
        assert "our speed as a multiple of quantulum3's" in text
        assert "Precision/recall" in text or "Labelled evaluation set" in text


def test_dashboard_benchmark_quick(tmp_path):
    text = run_bench("benchmarks.dashboard", "--quick", out=tmp_path)
    for figure in ("cold first-view load", "read-everything / app", "push-down on country",
                   "pages/0_Overview.py", "largest figure JSON"):
        assert figure in text


@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian's /usr/bin/chromium")
def test_browser_benchmark_quick(tmp_path):
    text = run_bench("benchmarks.browser", "--quick", out=tmp_path)
    assert "median change s" in text and "country change" in text


@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian's /usr/bin/chromium")
def test_sessions_benchmark_quick(tmp_path):
    text = run_bench("benchmarks.sessions", "--quick", out=tmp_path)
    assert "session(s) rendered" in text and "each further session:" in text
    assert "peak" in text and "steady" in text


@pytest.mark.parametrize(("measured", "expected"), [
    ([(1, 300.0, 500.0), (10, 310.0, 320.0), (25, 340.0, 350.0)], 2.0),  # from the second step: 30 MB / 15
    ([(1, 400.0, 600.0), (10, 390.0, 395.0), (25, 380.0, 390.0)], None),  # fell: reuse hides the cost
    ([(1, 300.0, 500.0), (10, 300.0, 320.0), (25, 300.0, 300.0)], None),  # flat: not a measurement either
    ([(1, 300.0, 500.0), (25, 340.0, 350.0)], None),  # two steps: the first one's transient would count
])
def test_per_extra_session_never_counts_the_first_load(measured, expected):
    from benchmarks.sessions import per_extra_session

    assert per_extra_session(measured) == expected


@pytest.mark.parametrize(("peak", "base", "expected"), [(600.0, 75.0, 525.0), (75.0, 75.0, None), (70.0, 75.0, None)])
def test_memory_growth_not_measured_is_not_zero(peak, base, expected):
    from benchmarks import grew_mb, mb, verdict

    assert grew_mb(peak, base) == expected
    assert mb(grew_mb(peak, base)) == ("not measured" if expected is None else "+525 MB")
    assert verdict(None) == "NOT MEASURED"


def test_worker_peak_is_its_own_not_its_parents(tmp_path):
    """A child started by a process that has touched 300 MB reports its own, much smaller peak."""
    code = ("import subprocess, sys; big = bytearray(300 * 2**20); big[::4096] = b'x' * len(big[::4096]); "
            "print(subprocess.run([sys.executable, '-c', 'from benchmarks import peak_rss_mb; print(peak_rss_mb())'],"
            " capture_output=True, text=True, check=True).stdout)")
    child_peak = float(subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                                      check=True).stdout)
    assert child_peak < 200


@pytest.mark.parametrize(("ours", "ref", "limit", "expected", "printed"), [
    (300.0, 250.0, 1.3, True, "1.20×  ≤1.3× → PASS"),
    (708.0, 228.0, 1.3, False, "3.11×  ≤1.3× → FAIL"),
    (None, 228.0, 1.3, None, "NOT MEASURED"),  # the instrument measured nothing: never a pass
    (500.0, None, 1.5, None, "NOT MEASURED"),
    (500.0, 0.0, 1.5, None, "NOT MEASURED"),
])
def test_compare_prints_each_figure_beside_its_reference(capsys, ours, ref, limit, expected, printed):
    from benchmarks.compare import row

    assert row("filter change", ours, ref, limit) is expected
    assert printed in capsys.readouterr().out
