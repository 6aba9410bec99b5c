"""The dashboard beside a minimal Streamlit app, same browser instrument, one run: each figure, its reference, ratio.

`python -m benchmarks.compare [--rows 1m] [--sessions 25] [--first-view-rows 10m] [--quick]`

The reference is `benchmarks/reference_app/` (three pages: a multiselect, a line chart, a table, a
CSV download; 50,000 rows), the instrument `benchmarks/harness/` (both from ../shared/st-harness:
in-page timing from the trusted input to the painted chart, websocket `script_finished` frames).
Both apps run on this repository's .venv, one after the other, on the same machine:

- browser (`harness/browser_measure.py`): cold first view (a fresh server and browser each run),
  page switch per page, filter change (add and remove a country); the reference, then ours on the
  bundled store and on a synthetic store of `--rows`;
- server only (`harness/concurrency_probe.py --mode ws`): `--sessions` sessions at once, filter change;
- ours alone at `--first-view-rows` (10M): cold first view, against its 3 s target.

A figure the run could not measure prints NOT MEASURED, never PASS.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import REPO_ROOT, machine, out_dir, verdict
from benchmarks.browser import bundled_store
from benchmarks.synth_store import ensure_store, label_rows, parse_rows

HARNESS = Path(__file__).resolve().parent / "harness"
REFERENCE_APP = Path(__file__).resolve().parent / "reference_app"
OUR_LABEL = "Countries and regions"
# Options the instrument adds then removes: valid, and not selected on a first visit.
OPTIONS_SYNTHETIC = "Albania (ALB),Argentina (ARG),Kenya (KEN),Spain (ESP),Peru (PER),India (IND)"
OPTIONS_BUNDLED = "Georgia (GEO),Pakistan (PAK),China (CHN),Azerbaijan (AZE)"
BUNDLED_START = "?countries=KAZ,UZB,KGZ"  # the bundled store has 11 countries, all selected by default
SESSION_COUNTRIES = ("Albania (ALB)", "Argentina (ARG)", "Kenya (KEN)", "Spain (ESP)", "Peru (PER)", "India (IND)",
                     "France (FRA)", "Germany (DEU)", "Japan (JPN)", "Brazil (BRA)", "Chile (CHL)", "Norway (NOR)",
                     "Italy (ITA)", "Canada (CAN)", "Mexico (MEX)", "Egypt (EGY)", "Ghana (GHA)", "Nepal (NPL)",
                     "Oman (OMN)", "Poland (POL)", "Qatar (QAT)", "Belgium (BEL)", "Denmark (DNK)",
                     "Finland (FIN)", "Greece (GRC)", "Hungary (HUN)", "Ireland (IRL)", "Austria (AUT)")
PARTS = ("reference", "bundled", "big", "first", "sessions")
TARGETS = {"filter": 1.3, "switch": 1.5, "cold": 1.3, "sessions": 1.5}
FIRST_VIEW_LIMIT_MS = 3000
CHART_DATA_LIMIT = 300 * 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare() -> tuple[Path, dict]:
    """The harness work folder (venv -> .venv, a copy of the reference app with its data); returns (work, env)."""
    work = out_dir() / "harness"
    work.mkdir(parents=True, exist_ok=True)
    venv = work / "venv"
    if not venv.exists():
        venv.symlink_to(REPO_ROOT / ".venv")
    app = work / "app"
    shutil.rmtree(app, ignore_errors=True)
    shutil.copytree(REFERENCE_APP, app)
    subprocess.run([sys.executable, str(app / "make_data.py"), str(app / "data" / "indicators.parquet")],
                   check=True, capture_output=True)
    return work, {**os.environ, "ST_HARNESS_WORK": str(work)}


def browser_measure(env: dict, out: Path, *args: str, timeout: int = 3600) -> dict | None:
    """Run the instrument; its results.json (None when it wrote none). Checks it failed are printed."""
    out.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, str(HARNESS / "browser_measure.py"), "--out", str(out), *args]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, cwd=REPO_ROOT)
    try:
        result = json.loads((out / "results.json").read_text())
    except (OSError, ValueError):
        print(f"  instrument wrote no results ({out}): {proc.stdout[-800:]} {proc.stderr[-800:]}")
        return None
    if proc.returncode:
        print(f"  note: the instrument's checks flagged something ({out / 'results.json'}): "
              f"{result.get('error') or result.get('checks')}")
    return result


def concurrency(env: dict, out: Path, levels: str, *args: str, countries: Path | None = None) -> dict | None:
    extra = {"PROBE_COUNTRIES_FILE": str(countries), "PROBE_CHECK": "name"} if countries else {}
    cmd = [sys.executable, str(HARNESS / "concurrency_probe.py"), "--mode", "ws", "--levels", levels,
           "--port", str(free_port()), "--out", str(out), *args]
    proc = subprocess.run(cmd, env={**env, **extra}, capture_output=True, text=True, timeout=3600, cwd=REPO_ROOT)
    try:
        return json.loads(out.read_text())
    except (OSError, ValueError):
        print(f"  probe wrote no results: {proc.stdout[-800:]} {proc.stderr[-800:]}")
        return None


def median(summary: dict | None) -> float | None:
    return summary["median"] if summary and summary.get("n") else None


def row(what: str, ours: float | None, ref: float | None, limit: float | None) -> bool | None:
    """Print one figure beside its reference and ratio; returns whether it holds (None: not measured)."""
    if ours is None or ref is None or ref <= 0:
        shown = ["–" if v is None else f"{v:,.0f} ms" for v in (ours, ref)]
        print(f"  {what:<52}{shown[0]:>11}{shown[1]:>11}{'':>8}  NOT MEASURED")
        return None
    ratio = ours / ref
    ok = ratio <= limit if limit else None
    target = f"≤{limit}× → {verdict(ok)}" if limit else "(no target)"
    print(f"  {what:<52}{ours:>8,.0f} ms{ref:>8,.0f} ms{ratio:>7.2f}×  {target}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.compare", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", default="1m", help="rows of the synthetic store (default 1m)")
    parser.add_argument("--sessions", type=int, default=25, help="concurrent sessions, server only (default 25)")
    parser.add_argument("--first-view-rows", default="10m", help="store for the first-view limit ('' to skip)")
    parser.add_argument("--quick", action="store_true", help="a 10k-row store, fewer runs, 3 sessions, no 10M")
    parser.add_argument("--parts", default=",".join(PARTS),
                        help=f"what to measure, comma-separated (default all: {','.join(PARTS)})")
    args = parser.parse_args(argv)
    parts = {p.strip() for p in args.parts.split(",")}
    rows = parse_rows("10k" if args.quick else args.rows)
    sessions = 3 if args.quick else args.sessions
    first_rows = None if args.quick or not args.first_view_rows else parse_rows(args.first_view_rows)
    runs = (["--cold-runs", "1", "--warm-runs", "1", "--reload-runs", "1", "--switch-rounds", "1",
             "--filter-runs", "2"] if args.quick else
            ["--cold-runs", "3", "--warm-runs", "2", "--reload-runs", "1", "--switch-rounds", "3",
             "--filter-runs", "4"])
    print(f"# The dashboard beside the minimal app — {time.strftime('%Y-%m-%d %H:%M')} — {machine()}")
    work, env = prepare()
    out = work / "out"
    big = ensure_store(rows)
    bundled = bundled_store() if "bundled" in parts else None
    ours = ["--app-dir", str(REPO_ROOT), "--entry", "dashboard.py", "--multiselect-label", OUR_LABEL,
            "--no-check-traces"]
    print(f"reference: {REFERENCE_APP.relative_to(REPO_ROOT)} (50,000 rows); ours: bundled store and "
          f"{label_rows(rows)} rows ({big})")
    results: dict[str, dict | None] = {"reference": None, "ours_bundled": None, "ours_big": None}
    if "reference" in parts:
        results["reference"] = browser_measure(env, out / "reference", "--app-dir", str(work / "app"),
                                               "--port", str(free_port()), *runs)
    if "big" in parts:
        results["ours_big"] = browser_measure({**env, "CADI_DATA_DIR": str(big)}, out / "ours-big", *ours,
                                              "--port", str(free_port()), "--options", OPTIONS_SYNTHETIC, *runs)
    if "bundled" in parts:
        results["ours_bundled"] = measure_bundled(env, out / "ours-bundled", bundled, ours, runs)
    first = None
    if first_rows and "first" in parts:
        store = ensure_store(first_rows)
        first = browser_measure({**env, "CADI_DATA_DIR": str(store)}, out / "ours-first-view", *ours,
                                "--port", str(free_port()), "--options", OPTIONS_SYNTHETIC, "--cold-runs", "2",
                                "--warm-runs", "0", "--reload-runs", "0", "--switch-rounds", "0",
                                "--filter-runs", "0")
    countries = work / "countries.txt"
    countries.write_text("\n".join(SESSION_COUNTRIES) + "\n")
    conc_ref = conc_ours = None
    if "sessions" in parts:
        conc_ref = concurrency(env, out / "conc-reference.json", f"1,{sessions}", "--app-dir", str(work / "app"))
        conc_ours = concurrency({**env, "CADI_DATA_DIR": str(big)}, out / "conc-ours.json", f"1,{sessions}",
                                "--app-dir", str(REPO_ROOT), "--multiselect-label", OUR_LABEL, countries=countries)
    report(results, first, first_rows, conc_ref, conc_ours, sessions, rows)
    return 0


def measure_bundled(env: dict, out: Path, store: Path, ours: list[str], runs: list[str]) -> dict | None:
    """The bundled store: all its countries are selected on a first visit, so the run starts from a link
    that selects three (no cold loads: the instrument measures a server it did not start)."""
    sys.path.insert(0, str(HARNESS))
    import stharness

    port = free_port()
    server = stharness.StreamlitServer(REPO_ROOT, "dashboard.py", port, log_path=out / "streamlit.log",
                                       venv=REPO_ROOT / ".venv")
    os.environ["CADI_DATA_DIR"] = str(store)
    try:
        out.mkdir(parents=True, exist_ok=True)
        server.start()
        return browser_measure(env, out, *ours, "--url", f"{server.url}{BUNDLED_START}",
                               "--options", OPTIONS_BUNDLED, *runs)
    finally:
        server.stop()
        os.environ.pop("CADI_DATA_DIR", None)


def report(results: dict, first: dict | None, first_rows: int | None, conc_ref: dict | None,
           conc_ours: dict | None, sessions: int, rows: int) -> None:
    ref = results["reference"] or {}
    print(f"\n## Figures (median ms; ours / reference in the same run; chromium {ref.get('browser_version')})")
    print(f"  {'figure':<52}{'ours':>11}{'reference':>11}{'ratio':>8}  target")
    ref_filter = median(ref.get("filter_change", {}).get("all_ms"))
    ref_switch = median(ref.get("page_switch", {}).get("ms"))
    ref_cold = median(ref.get("cold_load", {}).get("done_ms"))
    verdicts = []
    for key, label in (("ours_bundled", "bundled store"), ("ours_big", f"{label_rows(rows)} rows")):
        r = results.get(key) or {}
        verdicts.append(row(f"filter change, browser, {label}", median(r.get("filter_change", {}).get("all_ms")),
                            ref_filter, TARGETS["filter"]))
    for key, label in (("ours_bundled", "bundled"), ("ours_big", label_rows(rows))):
        r = results.get(key) or {}
        verdicts.append(row(f"page switch, all pages, {label}", median(r.get("page_switch", {}).get("ms")),
                            ref_switch, TARGETS["switch"]))
        for page, summary in (r.get("page_switch", {}).get("per_page") or {}).items():
            verdicts.append(row(f"  → {page} ({label})", median(summary), ref_switch, TARGETS["switch"]))
    big = results.get("ours_big") or {}
    verdicts.append(row(f"cold first view after server start, {label_rows(rows)}",
                        median(big.get("cold_load", {}).get("done_ms")), ref_cold, TARGETS["cold"]))
    if first_rows:
        cold = median((first or {}).get("cold_load", {}).get("done_ms"))
        ok = None if cold is None else cold <= FIRST_VIEW_LIMIT_MS
        shown = "–" if cold is None else f"{cold:,.0f} ms"
        print(f"  {'cold first view, ' + label_rows(first_rows) + ' rows (to every chart painted)':<52}{shown:>11}"
              f"{'':>19}  ≤{FIRST_VIEW_LIMIT_MS:,} ms → {verdict(ok)}")
        verdicts.append(ok)
    level = str(sessions)
    ours_lv = ((conc_ours or {}).get("levels") or {}).get(level, {})
    ref_lv = ((conc_ref or {}).get("levels") or {}).get(level, {})
    verdicts.append(row(f"{sessions} sessions at once, filter change, server only", median(ours_lv.get("filter_ms")),
                        median(ref_lv.get("filter_ms")), TARGETS["sessions"]))
    print(f"  {sessions} sessions: failures ours {ours_lv.get('failures', '–')}, "
          f"reference {ref_lv.get('failures', '–')}; server RSS ours {ours_lv.get('server_rss_mb', '–')} MB, "
          f"reference {ref_lv.get('server_rss_mb', '–')} MB")
    for key in ("reference", "ours_bundled", "ours_big"):
        r = results.get(key) or {}
        checks = r.get("checks", {})
        print(f"  checks {key}: app exceptions {checks.get('app_exceptions', '–')}, browser errors "
              f"{checks.get('browser_errors', '–')}, server tracebacks {checks.get('server_log_tracebacks', '–')}")
    held = sum(v is True for v in verdicts)
    failed = sum(v is False for v in verdicts)
    unmeasured = sum(v is None for v in verdicts)
    print(f"\ntargets: {held} hold, {failed} do not, {unmeasured} not measured")
    summary = {"results": {k: _short(v) for k, v in results.items()}, "first_view": _short(first),
               "concurrency": {"reference": conc_ref, "ours": conc_ours}}
    target = out_dir() / "compare.json"
    target.write_text(json.dumps(summary, indent=1, default=str))
    print(f"(raw figures: {target})")


def _short(result: dict | None) -> dict | None:
    if not result:
        return None
    keep = ("cold_load", "warm_load", "reload", "page_switch", "filter_change", "checks", "browser_version")
    return {k: result.get(k) for k in keep}


if __name__ == "__main__":
    sys.exit(main())
