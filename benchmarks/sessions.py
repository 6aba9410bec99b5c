"""Memory of the streamlit server with 1, 10 and 25 browser sessions open on the 1M-row store.

`python -m benchmarks.sessions [--sessions 1,10,25] [--rows 1m] [--quick]`

One headless Chromium opens each session in its own browser context (its own websocket,
so its own Streamlit session) and waits until it has rendered; the server's RSS is read
with psutil after each step. The cached frames (cadi.data, st.cache_resource) are loaded
once and shared, so RSS per extra session should be small against the loaded frames.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time

from benchmarks import grew_mb, machine, mb, verdict
from benchmarks.browser import RENDER_TIMEOUT_MS, chromium, streamlit_server, wait_rendered
from benchmarks.dashboard import _worker
from benchmarks.synth_store import ensure_store, label_rows, parse_rows
from tests._server import server_rss

SETTLE_SECONDS = 2.0
SHARED_TARGET = 0.10  # RSS per extra session at most 10% of the loaded frames


class PeakSampler:
    """Samples the server's RSS every 50 ms in a thread: the peak between two reads, not only the end state."""

    def __init__(self, proc) -> None:
        import threading

        self.proc, self.peak, self._stop = proc, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak = max(self.peak, server_rss(self.proc))
            except Exception:  # the server is going away
                return
            time.sleep(0.05)

    def take(self) -> float:
        """The peak RSS (MB) since the last take, then starts a new window."""
        peak, self.peak = self.peak, server_rss(self.proc)
        return max(peak, self.peak) / 2**20

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(1)


def per_extra_session(measured: list[tuple[int, float, float]]) -> float | None:
    """MB of steady RSS per extra session, from the second step on; None when it cannot be measured.

    The first step loads the data: its temporary peak is freed to the allocator, which later sessions
    reuse, so a slope that starts at the first step undercounts (it came out negative). From the second
    step on the loads are done; a slope that is still zero or negative means the reuse hides the cost.
    """
    if len(measured) < 3:
        return None
    (n2, r2, _), (nk, rk, _) = measured[1], measured[-1]
    slope = (rk - r2) / (nk - n2)
    return slope if slope > 0 else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.sessions", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", default="1,10,25", help="session counts to measure at (default 1,10,25)")
    parser.add_argument("--rows", default="1m", help="rows of the synthetic store(s), comma-separated (default 1m)")
    parser.add_argument("--quick", action="store_true", help="1, 2 and 3 sessions on a 10k-row store")
    args = parser.parse_args(argv)
    steps = [1, 2, 3] if args.quick else sorted({int(s) for s in args.sessions.split(",")})
    print(f"# Sessions benchmark — {time.strftime('%Y-%m-%d %H:%M')} — {machine()}")
    summary = []
    for size in ("10k",) if args.quick else args.rows.split(","):
        summary.append(measure_store(parse_rows(size), steps))
    print("\n## Server memory per store size (peak while loading, steady state after)")
    print(f"{'store':>8}{'frames MB':>11}{'idle':>7}{'1 session: peak':>17}{'steady':>8}"
          f"{'last step: peak':>17}{'steady':>8}{'steady growth / frames':>24}")
    for rows, frame_mb, idle, first, last in summary:
        growth = (first[1] - idle) / frame_mb if frame_mb else float("nan")
        print(f"{label_rows(rows):>8}{frame_mb:>11,.0f}{idle:>7,.0f}{first[2]:>17,.0f}{first[1]:>8,.0f}"
              f"{last[2]:>17,.0f}{last[1]:>8,.0f}{growth:>23.1f}×")
    return 0


def measure_store(rows: int, steps: list[int]) -> tuple:
    """Sessions opened step by step on a `rows` store; returns (rows, frame MB, idle MB, first step, last step)."""
    store = ensure_store(rows)
    frames = _worker(["--load-worker", str(store), "app"])
    frame_mb = frames["frame_mb"]
    print(f"\n## {label_rows(rows)}: {store} ({rows:,} claims); frames the app caches (loaded cold in a fresh "
          f"process): {frame_mb:,.0f} MB in pandas, {mb(grew_mb(frames['peak_rss_mb'], frames['base_rss_mb']))} "
          f"peak RSS")
    measured: list[tuple[int, float, float]] = []  # (sessions, steady RSS MB, peak RSS MB during the step)
    with streamlit_server(store) as (url, proc), chromium() as browser, PeakSampler(proc) as sampler:
        time.sleep(SETTLE_SECONDS)
        idle = server_rss(proc) / 2**20
        sampler.take()
        print(f"server idle (no session, nothing loaded): {idle:,.0f} MB RSS")
        contexts = []
        for target in steps:
            started = time.perf_counter()
            while len(contexts) < target:
                context = browser.new_context(viewport={"width": 1200, "height": 900})
                page = context.new_page()
                page.goto(url, timeout=RENDER_TIMEOUT_MS)
                contexts.append((context, page))
            for _, page in contexts:
                wait_rendered(page)
            gc.collect()
            time.sleep(SETTLE_SECONDS)
            rss = server_rss(proc) / 2**20
            peak = sampler.take()
            measured.append((target, rss, peak))
            print(f"{target:>3} session(s) rendered in {time.perf_counter() - started:6.1f} s: "
                  f"server RSS {rss:,.0f} MB steady (+{rss - idle:,.0f} MB over idle), {peak:,.0f} MB peak")
        for context, _ in contexts:
            context.close()
    (_, r1, p1), (nk, rk, pk) = measured[0], measured[-1]
    print(f"first session (loads the data): steady +{r1 - idle:,.0f} MB, peak +{p1 - idle:,.0f} MB "
          f"(the loading's temporary arrays)")
    per_session = per_extra_session(measured)
    if per_session is None:
        print(f"each further session: NOT MEASURED (steady RSS did not grow from the second step to {nk} "
              f"sessions, or fewer than three steps: the allocator reuses what the first load freed, which hides "
              f"the cost)")
        verdict_shared = verdict(None)
    else:
        share = per_session / frame_mb if frame_mb else float("nan")
        verdict_shared = verdict(share <= SHARED_TARGET)
        print(f"each further session: +{per_session:,.2f} MB steady ({measured[1][0]}→{nk} sessions, after the load)"
              f"; / cached frames {frame_mb:,.0f} MB = {share:.3f} (shared if ≤{SHARED_TARGET:.2f}) → {verdict_shared}")
    print(f"if every session loaded its own copy, {nk} sessions would need ≈{idle + nk * (r1 - idle):,.0f} MB; "
          f"measured {rk:,.0f} MB steady, {pk:,.0f} MB peak")
    return rows, frame_mb, idle, measured[0], measured[-1]


if __name__ == "__main__":
    sys.exit(main())
