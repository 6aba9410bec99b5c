"""Real headless Chromium: time from a change of the country filter to the charts redrawn.

`python -m benchmarks.browser [--runs 5] [--rows 1m] [--quick]`

Starts `streamlit run dashboard.py` (headless, a free port) with CADI_DATA_DIR at (a) the
bundled data (data/processed) and (b) a synthetic 1M-row store, and drives Debian's
/usr/bin/chromium with playwright. One measurement: remove or re-add a country in the
sidebar's multiselect, then wait until the app's script state has gone running →
notRunning and the plotly charts' data differ from before; median of the runs, side by side.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import REPO_ROOT, machine, out_dir, ratio
from benchmarks.synth_store import ensure_store, parse_rows

# One way to start the app and the browser, shared with the tests.
from tests._server import CHROMIUM, OBSERVE_JS, chromium
from tests._server import streamlit_server as _streamlit_server

RENDER_TIMEOUT_MS = 600_000
APP = "[data-testid=stApp]"
CHART = ".js-plotly-plot"
COUNTRY_INPUT = "[data-testid=stSidebar] [data-testid=stMultiSelect]"

# A short signature of every chart's data: changes when a rerun sends different figures.
SIGNATURE_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(g =>
  (g.data || []).map(t => [t.x ? t.x.length : 0, JSON.stringify(t.x || '').slice(0, 300),
                           JSON.stringify(t.z || t.y || '').slice(0, 300)].join('|')).join('/')).join('#')"""
DONE_JS = """(before) => {
  const app = document.querySelector('[data-testid=stApp]');
  if (!window.__states.includes('running')) return false;
  if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  return (SIGNATURE)() !== before;
}""".replace("SIGNATURE", SIGNATURE_JS)


def streamlit_server(data_dir: Path) -> contextlib.AbstractContextManager[tuple[str, subprocess.Popen]]:
    """`streamlit run dashboard.py` on `data_dir` (raw documents from the repository)."""
    return _streamlit_server(REPO_ROOT, data_dir)


def wait_rendered(page, timeout: int = RENDER_TIMEOUT_MS) -> None:
    """Until the script has finished and at least one plotly chart is drawn."""
    page.wait_for_selector(f"{APP}[data-test-script-state=notRunning]", timeout=timeout)
    page.wait_for_selector(CHART, timeout=timeout)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stApp]').getAttribute('data-test-script-state')"
        " === 'notRunning' && document.querySelectorAll('.js-plotly-plot').length > 0", timeout=timeout)


def _prepare_country_change(page, step: int, removed: list[str]):
    """Even steps remove the last selected country, odd steps add it back; returns the final action.

    Typing the name happens here, so the clock only runs from the click or Enter that triggers the rerun.
    """
    box = page.locator(COUNTRY_INPUT).first
    page.keyboard.press("Escape")  # close any open dropdown and leave the widget first,
    page.locator("h1").first.click()  # or the next click may only move the focus
    if step % 2 == 0:
        tags = box.locator("[data-tag]")
        tag = tags.nth(tags.count() - 1)
        removed.append(tag.get_attribute("aria-label") or tag.inner_text().strip())
        button = tag.locator("button[aria-label^=Remove]")
        button.scroll_into_view_if_needed()
        return button.click
    name = removed.pop()
    box.locator("input").click()
    page.keyboard.type(name.split(" (")[0])
    page.get_by_role("option", name=name).first.wait_for()
    return lambda: page.keyboard.press("Enter")


def time_filter_changes(browser, url: str, runs: int) -> tuple[list[float], float]:
    """(seconds per country change, seconds of the first render)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url, timeout=RENDER_TIMEOUT_MS)
    wait_rendered(page)
    first = time.perf_counter() - started
    times, removed = [], []
    for step in range(runs):
        before = page.evaluate(SIGNATURE_JS)
        page.evaluate(OBSERVE_JS)
        trigger = _prepare_country_change(page, step, removed)
        t0 = time.perf_counter()
        trigger()
        page.wait_for_function(DONE_JS, arg=before, timeout=RENDER_TIMEOUT_MS, polling="raf")
        times.append(time.perf_counter() - t0)
    context.close()
    return times, first


def bundled_store() -> Path:
    """The bundled documents processed into the benchmark's own folder (never the user's data/processed)."""
    store = out_dir() / "store-bundled"
    subprocess.run([sys.executable, "-m", "etl", "--input", str(REPO_ROOT / "data" / "raw"), "--output", str(store),
                    "--if-stale", "--quiet", "--lock-timeout", "60"], cwd=REPO_ROOT, check=True)
    return store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.browser", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="country changes per store (median; default 5)")
    parser.add_argument("--rows", default="1m", help="rows of the synthetic store (default 1m)")
    parser.add_argument("--quick", action="store_true", help="2 changes, a 10k-row synthetic store")
    args = parser.parse_args(argv)
    runs = 2 if args.quick else max(1, args.runs)
    rows = parse_rows("10k" if args.quick else args.rows)
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: `apt-get install -y chromium` (see scripts/setup.sh --test)")
        return 2
    print(f"# Browser benchmark — {time.strftime('%Y-%m-%d %H:%M')} — {machine()}")
    stores = {"bundled (data/processed)": bundled_store(), f"synthetic {rows:,} rows": ensure_store(rows)}
    results = {}
    with chromium() as browser:
        for label, store in stores.items():
            with streamlit_server(store) as (url, _):
                times, first = time_filter_changes(browser, url, runs)
            results[label] = (times, first)
            print(f"{label}: first render {first:.2f} s; country change → charts redrawn: "
                  + ", ".join(f"{t:.2f}" for t in times) + " s")
    (a, (ta, fa)), (b, (tb, fb)) = results.items()
    ma, mb = statistics.median(ta), statistics.median(tb)
    print(f"\n{'store':<28}{'first render s':>15}{'median change s':>17}{'runs':>6}")
    print(f"{a:<28}{fa:>15.2f}{ma:>17.2f}{len(ta):>6}")
    print(f"{b:<28}{fb:>15.2f}{mb:>17.2f}{len(tb):>6}")
    print(f"country change, {b} / {a}: {ratio(mb, ma)}; first render {ratio(fb, fa)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
