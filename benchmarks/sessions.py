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

from benchmarks import machine, verdict
from benchmarks.browser import RENDER_TIMEOUT_MS, chromium, streamlit_server, wait_rendered
from benchmarks.dashboard import _worker
from benchmarks.synth_store import ensure_store, label_rows, parse_rows
from tests._server import server_rss

SETTLE_SECONDS = 2.0
SHARED_TARGET = 0.10  # RSS per extra session at most 10% of the loaded frames


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.sessions", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", default="1,10,25", help="session counts to measure at (default 1,10,25)")
    parser.add_argument("--rows", default="1m", help="rows of the synthetic store (default 1m)")
    parser.add_argument("--quick", action="store_true", help="1 and 3 sessions on a 10k-row store")
    args = parser.parse_args(argv)
    steps = [1, 3] if args.quick else sorted({int(s) for s in args.sessions.split(",")})
    rows = parse_rows("10k" if args.quick else args.rows)
    print(f"# Sessions benchmark — {time.strftime('%Y-%m-%d %H:%M')} — {machine()}")
    store = ensure_store(rows)
    frames = _worker(["--load-worker", str(store), "app"])
    frame_mb = frames["frame_mb"]
    print(f"store: {store} ({rows:,} claims); frames the app caches (as loaded cold in a fresh process): "
          f"{frame_mb:,.0f} MB in pandas, +{frames['peak_rss_mb'] - frames['base_rss_mb']:,.0f} MB peak RSS")
    measured: list[tuple[int, float]] = []
    with streamlit_server(store) as (url, proc), chromium() as browser:
        time.sleep(SETTLE_SECONDS)
        idle = server_rss(proc) / 2**20
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
            measured.append((target, rss))
            print(f"{target:>3} session(s) rendered in {time.perf_counter() - started:6.1f} s: "
                  f"server RSS {rss:,.0f} MB (+{rss - idle:,.0f} MB over idle)")
        for context, _ in contexts:
            context.close()
    (n1, r1), (nk, rk) = measured[0], measured[-1]
    per_session = (rk - r1) / max(nk - n1, 1)
    share = per_session / frame_mb if frame_mb else float("nan")
    print(f"\nfirst session (loads the data): +{r1 - idle:,.0f} MB; each further session: "
          f"+{per_session:,.1f} MB ({label_rows(rows)} store, {n1}→{nk} sessions)")
    print(f"RSS per extra session / cached frames: {per_session:,.1f} / {frame_mb:,.0f} MB = {share:.3f} "
          f"(shared if ≤{SHARED_TARGET:.2f}) → {verdict(share <= SHARED_TARGET)}")
    first = r1 - idle
    print(f"RSS per extra session / RSS the first session added (frames + Arrow pool + transients): "
          f"{per_session:,.1f} / {first:,.0f} MB = {per_session / first if first else float('nan'):.3f}")
    print(f"if every session loaded its own copy, {nk} sessions would need ≈{idle + nk * (r1 - idle):,.0f} MB; "
          f"measured {rk:,.0f} MB ({(idle + nk * (r1 - idle)) / rk:.1f}× less)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
