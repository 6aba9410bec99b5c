"""Dashboard on synthetic stores: cold load, page reruns after a filter change, figure sizes.

`python -m benchmarks.dashboard [--sizes 10k,1m,10m] [--quick] [--pages pages/0_Overview.py,pages/3_Rankings.py]`

For each store size, in a fresh subprocess per measurement:
- load: the app's own loader calls (cadi.data, cold, with column projection and predicate
  push-down) against reading every column of every row with pd.read_parquet (time and peak RSS);
- reruns: every page run headless with streamlit's AppTest (CADI_DATA_DIR = the store): the
  first run, then changes of the sidebar's country filter and year range (median of repeats),
  and the size of each plotly figure's JSON as sent to the browser.
Targets (PASS/FAIL): a filter change on 1M rows ≤1.5× its cost on 10k rows, on 10M ≤3×; no figure
over 2 MB; projection and push-down at work: the app's loader takes less memory and smaller frames than
reading every column of every row, and a pushed-down filter reads one country or indicator faster than
reading everything and masking (load time itself is printed, with no target: the app makes six reads).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import REPO_ROOT, grew_mb, machine, mb, out_dir, peak_rss_mb, ratio, verdict
from benchmarks.synth_store import ensure_store, label_rows, parse_rows

DEFAULT_SIZES = ("10k", "1m", "10m")
QUICK_SIZES = ("10k",)
REPEATS = 3
RERUN_TARGETS = {1_000_000: 1.5, 10_000_000: 3.0}
MAX_FIGURE_BYTES = 2_000_000
MAX_PAGE_CHART_BYTES = 300 * 1024  # all the chart data one page sends
COUNTRY_SETS = (("KAZ", "UZB", "KGZ", "TJK", "TKM"), ("KAZ", "UZB", "KGZ", "TJK", "TKM", "AFG"))
YEAR_RANGES = ((2015, 2024), (2010, 2024))


def _rss_mb() -> float:
    return peak_rss_mb()  # this process's own peak (not one inherited from the driver)


def _worker(args: list[str], env: dict | None = None) -> dict:
    cmd = [sys.executable, "-m", "benchmarks.dashboard", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO_ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --- load: the app's loader vs reading everything ------------------------------------------------


def load_worker(store: str, how: str) -> None:
    """Cold load in this fresh process; prints JSON {seconds, peak_rss_mb, base_rss_mb, rows, frame_mb}."""
    import warnings

    warnings.filterwarnings("ignore")
    os.environ["CADI_DATA_DIR"] = store
    import pandas as pd

    from cadi import aggregates, data

    base = _rss_mb()
    started = time.perf_counter()
    if how == "full":  # everything, as a naive app would
        frames = [pd.read_parquet(Path(store) / name) for name in data.FILES.values()]
        claims = frames[0]
        extra = {}
    else:  # what a first view loads: the ETL's store index, then the rows the map and a profile show
        catalog = data.catalog()
        cube, _ = data.store_index()
        data.indicator_labels()
        per_indicator = pd.Series(cube.counts.sum(axis=1, dtype="int64"), index=cube.series["indicator"].astype(str))
        first = per_indicator.groupby(level=0).sum().idxmax()
        t1 = time.perf_counter()
        by_indicator = data.load_rows(columns=data.CHART_COLUMNS, where={"indicator": [first]}).frame  # the map
        t2 = time.perf_counter()
        by_country = data.load_rows(where={"country": [next(iter(catalog.countries))]}).frame  # a profile
        t3 = time.perf_counter()
        data.load_sources()
        frames = [by_indicator, by_country]
        extra = {"indicator_where_s": t2 - t1, "country_where_s": t3 - t2, "index_s": t1 - started,
                 "indicator_rows": len(by_indicator), "country_rows": len(by_country),
                 "saved_index": data.saved_store_index(data.store_version()) is not None}
    seconds = time.perf_counter() - started
    peak = _rss_mb()
    if how != "full":  # beside it, what every first visitor after a run paid before the ETL wrote the index
        t0 = time.perf_counter()
        claims = data.load_claims(columns=data.COUNT_COLUMNS)
        aggregates.build_store_index(claims)
        extra |= {"store_index_s": time.perf_counter() - t0, "aggregates_peak_rss_mb": _rss_mb()}
    else:
        claims = frames[0]
    frame_mb = sum(f.memory_usage(deep=True).sum() for f in frames) / 2**20
    print(json.dumps({"seconds": seconds, "peak_rss_mb": peak, "base_rss_mb": base, "rows": len(claims),
                      "frame_mb": frame_mb, **extra}))


def where_worker(store: str, column: str) -> None:
    """Predicate push-down alone: read_table with a `where` on `column` vs all rows then a mask."""
    import warnings

    warnings.filterwarnings("ignore")
    import pyarrow.parquet as pq

    from cadi import data

    path = Path(store) / "claims.parquet"
    value = pq.read_table(path, columns=[column]).column(column)[0].as_py()
    data.read_table(path, "claims", ["year"], {column: [value]})  # warm-up: imports, dataset machinery
    started = time.perf_counter()
    pushed = data.read_table(path, "claims", None, {column: [value]})
    t_pushed = time.perf_counter() - started
    started = time.perf_counter()
    frame = data.read_table(path, "claims", None, None)
    masked = frame[frame[column].astype(str) == value]
    t_all = time.perf_counter() - started
    groups = pq.ParquetFile(path).metadata.num_row_groups
    print(json.dumps({"value": value, "pushed_s": t_pushed, "all_s": t_all, "rows": len(pushed),
                      "same": len(pushed) == len(masked), "row_groups": groups}))


# --- reruns with AppTest -------------------------------------------------------------------------


def _figures(at) -> list[int]:
    return [len(el.proto.spec) for el in at.get("plotly_chart")]


def _timed_run(at) -> float:
    started = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"page raised: {[e.message for e in at.exception]}")
    return seconds


def _page_reruns(at, repeats: int) -> dict:
    first = _timed_run(at)
    options = set(at.multiselect(key="f_countries").options)
    sets = [[c for c in s if f"({c})" in " ".join(options) or c in options] for s in COUNTRY_SETS]
    countries, years, figures = [], [], _figures(at)
    page_bytes = [sum(figures)]  # all of a run's chart data: what one page sends
    slider = at.slider(key="f_years") if any(s.key == "f_years" for s in at.slider) else None
    for i in range(repeats):
        at.multiselect(key="f_countries").set_value(sets[i % 2])
        countries.append(_timed_run(at))
        figures += _figures(at)
        page_bytes.append(sum(_figures(at)))
    if slider is not None:
        lo, hi = slider.min, slider.max
        for i in range(repeats):
            a, b = YEAR_RANGES[i % 2]
            at.slider(key="f_years").set_value((max(lo, a), min(hi, b)))
            years.append(_timed_run(at))
            figures += _figures(at)
            page_bytes.append(sum(_figures(at)))
    return {"first_s": first, "country_s": statistics.median(countries),
            "year_s": statistics.median(years) if years else None,
            "figures": len(_figures(at)), "max_figure_bytes": max(figures, default=0),
            "page_chart_bytes": max(page_bytes)}


def apptest_worker(store: str, scripts: list[str], repeats: int) -> None:
    """Each page: first run, then country and year changes (`repeats` each); prints JSON per page."""
    import warnings

    warnings.filterwarnings("ignore")
    os.environ["CADI_DATA_DIR"] = store
    from streamlit.testing.v1 import AppTest

    results = {}
    base = _rss_mb()
    for script in scripts:
        try:
            results[script] = _page_reruns(AppTest.from_file(str(REPO_ROOT / script), default_timeout=900), repeats)
        except Exception as exc:  # one broken page must not hide the others' figures
            results[script] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    print(json.dumps({"pages": results, "peak_rss_mb": _rss_mb(), "base_rss_mb": base}))


# --- driver --------------------------------------------------------------------------------------


def page_scripts(selected: str | None) -> list[str]:
    if selected:
        return [s.strip() for s in selected.split(",") if s.strip()]
    return sorted(str(p.relative_to(REPO_ROOT)) for p in (REPO_ROOT / "pages").glob("*.py"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.dashboard", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help="store sizes in claim rows, comma-separated (default 10k,1m,10m)")
    parser.add_argument("--quick", action="store_true", help="10k rows, the overview page only, 1 repeat")
    parser.add_argument("--pages", help="scripts to rerun, comma-separated (default pages/*.py)")
    parser.add_argument("--repeats", type=int, help=f"filter changes per page and filter (default {REPEATS})")
    parser.add_argument("--load-worker", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--where-worker", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--apptest-worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.load_worker:
        load_worker(*args.load_worker)
        return 0
    if args.where_worker:
        where_worker(*args.where_worker)
        return 0
    if args.apptest_worker:
        store, scripts, repeats = args.apptest_worker
        apptest_worker(store, scripts.split(","), int(repeats))
        return 0

    sizes = [parse_rows(s) for s in (args.sizes.split(",") if args.sizes else
                                     (QUICK_SIZES if args.quick else DEFAULT_SIZES))]
    scripts = page_scripts(args.pages or ("pages/0_Overview.py" if args.quick else None))
    repeats = args.repeats or (1 if args.quick else REPEATS)
    print(f"# Dashboard benchmark — {time.strftime('%Y-%m-%d %H:%M')} — {machine()}")
    results: dict[int, dict] = {}
    for rows in sizes:
        started = time.perf_counter()
        store = ensure_store(rows)
        size_mb = (store / "claims.parquet").stat().st_size / 1e6
        print(f"\n## {rows:,} claims ({label_rows(rows)}): {store} ({size_mb:,.1f} MB claims.parquet, "
              f"ready in {time.perf_counter() - started:.1f} s)")
        app = _worker(["--load-worker", str(store), "app"])
        full = _worker(["--load-worker", str(store), "full"])
        country = _worker(["--where-worker", str(store), "country"])
        indicator = _worker(["--where-worker", str(store), "indicator"])
        pages = _worker(["--apptest-worker", str(store), ",".join(scripts), str(repeats)])
        results[rows] = {"app": app, "full": full, "pages": pages["pages"], "country": country,
                         "indicator": indicator}
        print_size(rows, results[rows])
    print_summary(results)
    return 0


def _grew(result: dict, key: str = "peak_rss_mb") -> float | None:
    return grew_mb(result[key], result["base_rss_mb"])


def print_size(rows: int, r: dict) -> None:
    app, full = r["app"], r["full"]
    app_mem, full_mem = _grew(app), _grew(full)
    print(f"cold first-view load (the ETL's store index, the map indicator's rows, a country's rows, sources): "
          f"{app['seconds']:.2f} s, {mb(app_mem)} peak RSS, frames {app['frame_mb']:,.0f} MB "
          f"(index {app.get('index_s', 0):.2f} s{'' if app.get('saved_index') else ', NOT the ETL one: built here'}; "
          f"map rows {app.get('indicator_where_s', 0):.2f} s; country rows {app.get('country_where_s', 0):.2f} s)")
    if "store_index_s" in app:
        print(f"  before: the first visitor after each run read every claim's counted columns and built the index: "
              f"{app['store_index_s']:.2f} s more (peak RSS then {mb(_grew(app, 'aggregates_peak_rss_mb'))})")
    print(f"cold load, pd.read_parquet of every column and row:                                       "
          f"{full['seconds']:.2f} s, {mb(full_mem)} peak RSS, frame {full['frame_mb']:,.0f} MB")
    ok = _load_ok(r)
    print(f"  read-everything / app: time {ratio(full['seconds'], app['seconds'])} (the app's loader makes six reads "
          f"and builds categoricals: no time target), memory {ratio(full_mem or 0, app_mem or 0)}, frames "
          f"{ratio(full['frame_mb'], app['frame_mb'])} → projection + push-down {verdict(ok)}")
    for col in ("country", "indicator"):
        w = r[col]
        print(f"  push-down on {col}={w['value']!r}: {w['pushed_s']:.3f} s vs all rows then mask {w['all_s']:.3f} s "
              f"= {ratio(w['all_s'], w['pushed_s'])} faster ({w['rows']:,} rows, {w['row_groups']} row groups, "
              f"same rows: {w['same']})")
    print(f"  {'page':<40}{'first run s':>12}{'country chg s':>14}{'years chg s':>12}{'figures':>8}"
          f"{'max fig KB':>11}{'page KB':>9}")
    for script, p in r["pages"].items():
        if "error" in p:
            print(f"  {script:<40}ERROR {p['error']}")
            continue
        years = f"{p['year_s']:.3f}" if p["year_s"] is not None else "–"
        print(f"  {script:<40}{p['first_s']:>12.2f}{p['country_s']:>14.3f}{years:>12}{p['figures']:>8}"
              f"{p['max_figure_bytes'] / 1024:>11,.0f}{p.get('page_chart_bytes', 0) / 1024:>9,.0f}")


def _load_ok(r: dict) -> bool | None:
    """Projection and push-down at work: less memory and smaller frames than reading every column of every
    row, and one country or indicator read faster with a pushed-down filter than by masking all rows.
    None (not measured) when either side's memory growth could not be measured."""
    app, full = r["app"], r["full"]
    app_mem, full_mem = _grew(app), _grew(full)
    if app_mem is None or full_mem is None:
        return None
    smaller = app_mem < full_mem and app["frame_mb"] < full["frame_mb"]
    return smaller and all(r[col]["pushed_s"] < r[col]["all_s"] and r[col]["same"] for col in ("country", "indicator"))


def print_summary(results: dict[int, dict]) -> None:
    print("\n## Targets")
    sizes = sorted(results)
    base = sizes[0]
    for rows in sizes[1:]:
        limit = RERUN_TARGETS.get(rows)
        for script, p in results[rows]["pages"].items():
            b = results[base]["pages"].get(script)
            if not b or "error" in b or "error" in p:
                print(f"  {script:<40}FAIL: the page raised ({(p.get('error') or b.get('error', ''))[:120]})")
                continue
            for kind in ("country_s", "year_s"):
                if p[kind] is None or b[kind] is None:
                    continue
                r = p[kind] / b[kind]
                target = f"≤{limit}× → {verdict(r <= limit)}" if limit else "(no target)"
                print(f"  {script:<40}{kind.removesuffix('_s'):>8} change: {label_rows(rows)} {p[kind]:.3f} s vs "
                      f"{label_rows(base)} {b[kind]:.3f} s = {r:.2f}× {target}")
    biggest = max((p.get("max_figure_bytes", 0), script, rows) for rows in sizes
                  for script, p in results[rows]["pages"].items())
    print(f"  largest figure JSON: {biggest[0] / 1e6:.2f} MB ({biggest[1]}, {label_rows(biggest[2])}) "
          f"vs limit {MAX_FIGURE_BYTES / 1e6:.0f} MB → {verdict(biggest[0] <= MAX_FIGURE_BYTES)}")
    heaviest = max((p.get("page_chart_bytes", 0), script, rows) for rows in sizes
                   for script, p in results[rows]["pages"].items())
    print(f"  most chart data one page sends: {heaviest[0] / 1024:,.0f} KB ({heaviest[1]}, {label_rows(heaviest[2])}) "
          f"vs limit {MAX_PAGE_CHART_BYTES / 1024:.0f} KB → {verdict(heaviest[0] <= MAX_PAGE_CHART_BYTES)}")
    for rows in sizes:
        app, full = results[rows]["app"], results[rows]["full"]
        app_mem, full_mem = _grew(app), _grew(full)
        judged = verdict(_load_ok(results[rows])) if rows >= min(RERUN_TARGETS) else "(no target: fixed costs dominate)"
        print(f"  loading {label_rows(rows)}: app {app['seconds']:.2f} s / {mb(app_mem)} vs read-everything "
              f"{full['seconds']:.2f} s / {mb(full_mem)} ({ratio(full['seconds'], app['seconds'])} time, "
              f"{ratio(full_mem or 0, app_mem or 0)} memory) → {judged}")
    out = out_dir() / "dashboard.json"
    out.write_text(json.dumps({str(k): v for k, v in results.items()}, indent=1))
    print(f"\n(raw figures: {out})")


if __name__ == "__main__":
    sys.exit(main())
