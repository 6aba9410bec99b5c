"""Benchmarks: synthetic corpora and stores, ETL throughput, dashboard reruns, browser and sessions.

Every figure is printed beside an alternative measured in the same run (as a ratio),
because absolute times on a shared machine are noisy. Outputs go to benchmarks/out/.
"""

from __future__ import annotations

import os
import platform
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent / "out"
REPO_ROOT = Path(__file__).resolve().parent.parent


def out_dir() -> Path:
    """benchmarks/out (or $CADI_BENCH_OUT), created on demand."""
    path = Path(os.environ.get("CADI_BENCH_OUT", OUT_DIR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def machine() -> str:
    """One line naming the machine: architecture, cores, RAM, Python."""
    try:
        import psutil

        ram = f"{psutil.virtual_memory().total / 2**30:.0f} GB RAM"
    except ImportError:
        ram = "RAM unknown"
    return f"{platform.machine()}, {os.cpu_count()} cores, {ram}, Python {platform.python_version()}"


def verdict(ok: bool | None) -> str:
    """PASS, FAIL, or NOT MEASURED (None): a figure that could not be measured never passes."""
    return "NOT MEASURED" if ok is None else "PASS" if ok else "FAIL"


def peak_rss_mb() -> float:
    """This process's own peak RSS in MB: VmHWM of its address space, which starts afresh at exec.

    Not getrusage's ru_maxrss: Linux carries that over fork and exec, so a worker started by a
    big parent reports the parent's peak (the "+0 MB" of earlier 10M-row figures).
    """
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    raise OSError("no VmHWM in /proc/self/status")


def grew_mb(peak: float, base: float) -> float | None:
    """peak - base, or None when nothing grew: a zero or negative growth means it was not measured."""
    return peak - base if peak > base else None


def mb(value: float | None, sign: str = "+") -> str:
    """'+525 MB', or 'not measured' for None."""
    return "not measured" if value is None else f"{sign}{value:,.0f} MB"


def ratio(a: float, b: float) -> str:
    """a / b as "3.2×" (or "n/a" when b is zero)."""
    return f"{a / b:.2f}×" if b else "n/a"


def publish(temp: Path, target: Path, already_complete: bool) -> Path:
    """Move a freshly generated folder into place, unless another process finished `target` first."""
    import shutil

    if already_complete:
        shutil.rmtree(temp, ignore_errors=True)
    else:
        shutil.rmtree(target, ignore_errors=True)
        temp.rename(target)
    return target
