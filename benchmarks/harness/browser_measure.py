# Vendored from ../shared/st-harness (one change: downloads click a visible button only); run by benchmarks/compare.py (see benchmarks/README.md).
#!/usr/bin/env python
"""Measure a multipage Streamlit app in a real browser (Debian chromium via Playwright).

What it measures (all "done" moments = DONE_JS in stharness.py: a script run started after the
input, the app is back to notRunning, nothing stale, every st.plotly_chart painted):
  cold_load_ms        fresh `streamlit run` + fresh browser profile, navigation start -> done
                      (includes the first script run: imports, st.cache_data miss, Parquet read)
  warm_load_ms        same server, new browser context (empty HTTP cache, new session)
  reload_ms           page.reload() in a context whose HTTP cache is warm
  page_switch_ms      click on a sidebar nav link -> new page done (per target page + overall)
  filter_add_ms /     keydown Enter that adds an option to the multiselect / pointerdown on the
  filter_remove_ms    option's remove button -> rerun done and the chart's traces updated
  download            click -> browser download event, saved file checked (CSV rows/columns)
Also: a full-page PNG per page, browser console errors/warnings, failed requests, websocket
closes, server log tracebacks, and whether the multiselect selection survives page switches.

Times are taken in page time (performance.now()) from the trusted input event to the first
animation frame at which the done-predicate holds; Python wall-clock is recorded alongside.

usage: python browser_measure.py [--app-dir /tmp/st-harness/app] [--entry dashboard.py]
          [--port 8599] [--out /tmp/st-harness/out/browser] [--cold-runs 5] [--warm-runs 7]
          [--switch-rounds 4] [--filter-runs 6] [--multiselect-label Countries]
          [--options Spain,Italy,Brazil,Kenya,Norway,Peru] [--no-check-traces]
          [--url http://127.0.0.1:8599/  (measure an already running server; skips cold loads)]
"""
from __future__ import annotations

import argparse
import csv
import io
import re
import time
import traceback
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import sync_playwright

import stharness as H

VIEWPORT = {"width": 1400, "height": 900}


def trace_expr(name: str, present: bool) -> str:
    js = ("[...document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .js-plotly-plot')]"
          f".some(g => (g.data || []).some(t => t.name === {name!r}))")
    return js if present else f"!({js})"


def new_page(browser, console, label):
    ctx = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    ctx.add_init_script(H.INIT_JS)
    page = ctx.new_page()
    page.set_default_timeout(60_000)
    H.attach_console_collector(page, console, label)
    return ctx, page


def load_breakdown(page) -> dict:
    """Split a first load into phases using navigation timing + the recorded state events."""
    nav = page.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
        return n ? {responseEnd: n.responseEnd, domContentLoaded: n.domContentLoadedEventEnd,
                    load: n.loadEventEnd} : {}; }""")
    ev = page.evaluate("window.__stH.ev")
    connected = next((e[0] for e in ev if e[1] == "conn" and e[2] == "CONNECTED"), None)
    run_start = next((e[0] for e in ev if e[1] == "state" and e[2] == "running"), None)
    run_end = None
    if run_start is not None:
        run_end = next((e[0] for e in ev if e[1] == "state" and e[2] == "notRunning"
                        and e[0] >= run_start), None)
    r = lambda x: None if x is None else round(x, 1)
    return {"html_ms": r(nav.get("responseEnd")), "dom_content_loaded_ms": r(nav.get("domContentLoaded")),
            "ws_connected_ms": r(connected), "script_start_ms": r(run_start), "script_end_ms": r(run_end)}


def measure_load(page, url) -> dict:
    t = time.perf_counter()
    page.goto(url, wait_until="commit")
    done = H.wait_done(page, since=0, require_run=True, timeout_ms=120_000)
    wall = (time.perf_counter() - t) * 1000
    scan_exceptions(page, "load")
    return {"done_ms": round(done, 1), "wall_ms": round(wall, 1), **load_breakdown(page)}


def nav_links(page) -> list[dict]:
    return page.evaluate("""() => [...document.querySelectorAll('[data-testid="stSidebarNavLink"]')]
        .map(a => ({text: a.innerText.trim(), href: a.href}))""")


def selected_tags(page, label) -> list[str]:
    ms = page.locator('[data-testid="stMultiSelect"]').filter(has=page.get_by_role("combobox", name=label))
    # the tags are rendered twice (a <template> copy is not visible); read the visible ones
    return ms.locator('[data-testid="stMultiSelectTagsContainer"] [data-tag] > span[title]').evaluate_all(
        "els => els.filter(e => e.offsetParent !== null).map(e => e.title)")


def click_nav(page, link) -> tuple[float, float]:
    path = urlparse(link["href"]).path or "/"
    page.evaluate("window.__stH.arm()")
    t = time.perf_counter()
    page.locator('[data-testid="stSidebarNavLink"]', has_text=link["text"]).first.click()
    done = H.wait_done(page, since="input", path=path)
    wall = (time.perf_counter() - t) * 1000
    t0 = page.evaluate("window.__stH.t0")
    scan_exceptions(page, f"switch to {link['text']}")
    return done - t0, wall


EXC_SEEN: list[dict] = []


def scan_exceptions(page, where: str):
    """Record st.exception / st.error boxes rendered by the app (these are not console errors)."""
    texts = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stException"], [data-testid="stAlertContentError"]')]
        .map(e => e.innerText.slice(0, 300))""")
    for t in dict.fromkeys(texts):   # an st.exception box is also an error alert: dedupe
        EXC_SEEN.append({"where": where, "url": page.url, "text": t})


def close_dropdown(page, combo):
    # first Escape clears the typed text, the dropdown may stay open; press until closed
    for _ in range(3):
        if combo.get_attribute("aria-expanded") != "true":
            return
        page.keyboard.press("Escape")
        page.wait_for_timeout(50)


def rows_claimed(page):
    txt = page.locator('[data-testid="stMain"]').inner_text()
    m = re.search(r"(\d[\d,]*) rows", txt)
    return int(m.group(1).replace(",", "")) if m else None


def do_download(page, out_dir: Path, label: str) -> dict | None:
    # Changed from the shared copy: only a visible button (the dashboard keeps some in a closed "Table" tab).
    btn = page.locator('[data-testid="stDownloadButton"] button:visible')
    if btn.count() == 0:
        return None
    claimed = rows_claimed(page)
    page.evaluate("window.__stH.arm()")
    t = time.perf_counter()
    with page.expect_download(timeout=60_000) as dl_info:
        btn.first.click()
    dl = dl_info.value
    t_event = (time.perf_counter() - t) * 1000
    target = out_dir / f"download_{label}_{dl.suggested_filename}"
    dl.save_as(target)
    t_saved = (time.perf_counter() - t) * 1000
    rerun = None
    try:  # default on_click="rerun": the click also reruns the script
        done = H.wait_done(page, since="input", timeout_ms=15_000)
        rerun = round(done - page.evaluate("window.__stH.t0"), 1)
    except Exception:
        pass
    text = target.read_text(encoding="utf-8", errors="replace")
    rows = list(csv.reader(io.StringIO(text)))
    header, body = (rows[0], rows[1:]) if rows else ([], [])
    return {"page": label, "file": str(target), "suggested_filename": dl.suggested_filename,
            "url": dl.url, "failure": dl.failure(), "bytes": target.stat().st_size,
            "header": header, "rows": len(body), "rows_claimed_on_page": claimed,
            "rows_match": (claimed is None) or claimed == len(body),
            "click_to_download_event_ms": round(t_event, 1), "click_to_saved_ms": round(t_saved, 1),
            "rerun_after_click_ms": rerun}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--app-dir", default=str(H.DEFAULT_APP_DIR))
    ap.add_argument("--entry", default="dashboard.py")
    ap.add_argument("--port", type=int, default=8599)
    ap.add_argument("--url", default=None, help="measure an already running server (no cold loads)")
    ap.add_argument("--out", default=str(H.DEFAULT_WORK / "out" / "browser"))
    ap.add_argument("--cold-runs", type=int, default=5)
    ap.add_argument("--warm-runs", type=int, default=7)
    ap.add_argument("--reload-runs", type=int, default=3)
    ap.add_argument("--switch-rounds", type=int, default=4)
    ap.add_argument("--filter-runs", type=int, default=6)
    ap.add_argument("--multiselect-label", default="Countries")
    ap.add_argument("--options", default="Spain,Italy,Brazil,Kenya,Norway,Peru,Chile,India")
    ap.add_argument("--no-check-traces", action="store_true",
                    help="don't require a plotly trace named like the option after a filter change")
    a = ap.parse_args()

    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    options = [o.strip() for o in a.options.split(",") if o.strip()]
    console: list[dict] = []
    res: dict = {"config": vars(a), "checks": {}}
    server = None
    log_path = out / "streamlit.log"
    if log_path.exists():
        log_path.unlink()
    mk_server = lambda: H.StreamlitServer(a.app_dir, a.entry, a.port, log_path=log_path)

    with sync_playwright() as pw:
        browser = None
        try:
            # 1. cold loads: fresh server + fresh browser (fresh profile) each time
            cold = []
            if not a.url:
                for i in range(a.cold_runs):
                    server = mk_server()
                    ready = server.start()
                    browser = pw.chromium.launch(**H.launch_kwargs())
                    ctx, page = new_page(browser, console, f"cold{i}")
                    m = measure_load(page, server.url)
                    m["server_ready_s"] = round(ready, 2)
                    m["server_rss_mb"] = server.rss_mb()
                    cold.append(m)
                    H.log(f"cold load {i}: {m['done_ms']:.0f} ms (server ready in {ready:.1f}s)")
                    if i == 0:
                        page.screenshot(path=str(out / "cold_first_load.png"), full_page=True)
                    ctx.close()
                    browser.close()
                    browser = None
                    if i < a.cold_runs - 1:
                        server.stop()
                        server = None
                if server is None:
                    server = mk_server()
                    server.start()
                url = server.url
            else:
                url = a.url
            res["cold_load"] = {"runs": cold, "done_ms": H.summarize([c["done_ms"] for c in cold]),
                                "script_run_ms": H.summarize([c["script_end_ms"] - c["script_start_ms"]
                                                             for c in cold if c["script_end_ms"]])}
            browser = pw.chromium.launch(**H.launch_kwargs())
            res["browser_version"] = browser.version

            # 2. warm server, new context each time
            warm = []
            for i in range(a.warm_runs):
                ctx, page = new_page(browser, console, f"warm{i}")
                warm.append(measure_load(page, url))
                ctx.close()
            res["warm_load"] = {"runs": warm, "done_ms": H.summarize([w["done_ms"] for w in warm]),
                                "script_run_ms": H.summarize([w["script_end_ms"] - w["script_start_ms"]
                                                             for w in warm if w["script_end_ms"]])}
            H.log("warm load median", res["warm_load"]["done_ms"])

            # 3. reload with warm HTTP cache (same context, new session)
            ctx, page = new_page(browser, console, "main")
            measure_load(page, url)
            reloads = []
            for i in range(a.reload_runs):
                t = time.perf_counter()
                page.reload(wait_until="commit")
                done = H.wait_done(page, since=0, require_run=True, timeout_ms=120_000)
                reloads.append({"done_ms": round(done, 1), "wall_ms": round((time.perf_counter() - t) * 1000, 1)})
            res["reload"] = {"runs": reloads, "done_ms": H.summarize([r["done_ms"] for r in reloads])}
            H.log("reload median", res["reload"]["done_ms"])

            # 4. page switches via the sidebar nav (+ one screenshot per page)
            links = nav_links(page)
            res["pages"] = links
            shots, switches = {}, []
            entry_tags = selected_tags(page, a.multiselect_label)
            tags_per_page = {}
            for rnd in range(a.switch_rounds):
                for link in links[1:] + links[:1]:
                    dt, wall = click_nav(page, link)
                    switches.append({"to": link["text"], "ms": round(dt, 1), "wall_ms": round(wall, 1)})
                    if link["text"] not in shots:
                        p = out / f"page_{re.sub(r'[^A-Za-z0-9]+', '_', link['text'])}.png"
                        page.screenshot(path=str(p), full_page=True)
                        shots[link["text"]] = str(p)
                        tags_per_page[link["text"]] = selected_tags(page, a.multiselect_label)
            res["screenshots"] = shots
            res["page_switch"] = {"runs": switches, "ms": H.summarize([s["ms"] for s in switches]),
                                  "per_page": {l["text"]: H.summarize([s["ms"] for s in switches if s["to"] == l["text"]])
                                               for l in links}}
            res["checks"]["selection_survives_page_switch"] = all(
                t == entry_tags for t in tags_per_page.values()) if tags_per_page else None
            res["checks"]["tags_per_page"] = {"entry": entry_tags, **tags_per_page}
            H.log("page switch median", res["page_switch"]["ms"])

            # 5. filter changes on the entry page (now current: the loop ended on links[0])
            adds, removes = [], []
            combo = page.get_by_role("combobox", name=a.multiselect_label)
            for i in range(a.filter_runs):
                opt = options[i % len(options)]
                combo.click()
                combo.fill(opt)
                page.get_by_role("option", name=opt, exact=True).wait_for(state="visible")
                page.evaluate("window.__stH.arm()")
                t = time.perf_counter()
                page.keyboard.press("Enter")
                done = H.wait_done(page, since="input",
                                   expect=None if a.no_check_traces else trace_expr(opt, True))
                wall = (time.perf_counter() - t) * 1000
                scan_exceptions(page, f"add {opt}")
                adds.append({"option": opt, "ms": round(done - page.evaluate("window.__stH.t0"), 1),
                             "wall_ms": round(wall, 1),
                             "tags": selected_tags(page, a.multiselect_label)})
                close_dropdown(page, combo)
                if i == 0:
                    page.screenshot(path=str(out / "after_filter_add.png"), full_page=True)
                page.evaluate("window.__stH.arm()")
                t = time.perf_counter()
                page.get_by_role("button", name=f"Remove {opt}", exact=True).click()
                done = H.wait_done(page, since="input",
                                   expect=None if a.no_check_traces else trace_expr(opt, False))
                wall = (time.perf_counter() - t) * 1000
                scan_exceptions(page, f"remove {opt}")
                removes.append({"option": opt, "ms": round(done - page.evaluate("window.__stH.t0"), 1),
                                "wall_ms": round(wall, 1)})
            res["filter_change"] = {
                "add": {"runs": adds, "ms": H.summarize([x["ms"] for x in adds])},
                "remove": {"runs": removes, "ms": H.summarize([x["ms"] for x in removes])},
                "all_ms": H.summarize([x["ms"] for x in adds + removes])}
            res["checks"]["filter_added_option_shown_as_tag"] = all(x["option"] in x["tags"] for x in adds)
            H.log("filter change median", res["filter_change"]["all_ms"])

            # 6. downloads, on every page that has a download button
            downloads = []
            for link in links:
                if urlparse(page.url).path != (urlparse(link["href"]).path or "/"):
                    click_nav(page, link)
                d = do_download(page, out, re.sub(r"[^A-Za-z0-9]+", "_", link["text"]))
                if d:
                    downloads.append(d)
            res["downloads"] = downloads
            res["checks"]["downloads_ok"] = bool(downloads) and all(
                d["failure"] is None and d["rows"] > 0 and d["rows_match"] for d in downloads)
            ctx.close()
        except Exception as e:
            res["error"] = f"{type(e).__name__}: {e}"
            res["traceback"] = traceback.format_exc()
            H.log("ERROR", res["error"])
            try:
                page.screenshot(path=str(out / "error.png"), full_page=True)
            except Exception:
                pass
        finally:
            if browser is not None:
                browser.close()
            if server is not None:
                res["server_rss_mb_end"] = server.rss_mb()
                server.stop()

    # Chromium reports the navigation that turns into a download as a failed request
    # (net::ERR_ABORTED) even though the file arrived: mark those as benign.
    dl_urls = {d["url"] for d in res.get("downloads", [])}
    for c in console:
        if c["kind"] == "requestfailed" and "ERR_ABORTED" in c["text"] and \
                any(u in c["text"] for u in dl_urls):
            c["kind"] = "requestfailed.download(benign)"
    res["console"] = console
    res["app_exceptions"] = EXC_SEEN
    res["checks"]["app_exceptions"] = len(EXC_SEEN)
    errs = [c for c in console if c["kind"] in ("console.error", "pageerror", "requestfailed")]
    res["checks"]["browser_errors"] = len(errs)
    if log_path.exists():
        slog = log_path.read_text(errors="replace")
        res["checks"]["server_log_tracebacks"] = slog.count("Traceback")
    H.write_json(out / "results.json", res)
    print_summary(res, out)
    bad = "error" in res or errs or EXC_SEEN or res["checks"].get("server_log_tracebacks")
    bad = bad or not all(v for k, v in res["checks"].items()
                         if k in ("selection_survives_page_switch", "filter_added_option_shown_as_tag",
                                  "downloads_ok") and v is not None)
    return 1 if bad else 0


def print_summary(res, out):
    def f(s):
        return "n/a" if not s or not s.get("n") else f"median {s['median']:.0f} ms (min {s['min']:.0f}, max {s['max']:.0f}, n={s['n']})"
    print(f"browser: chromium {res.get('browser_version')}")
    print(f"cold first load (fresh server+browser): {f(res.get('cold_load', {}).get('done_ms'))}")
    if res.get("cold_load", {}).get("runs"):
        c = res["cold_load"]["runs"][0]
        print(f"   breakdown run0: html {c['html_ms']} / ws connected {c['ws_connected_ms']} / script {c['script_start_ms']}->{c['script_end_ms']} / done {c['done_ms']} ms")
        print(f"   first script run (server side, cold): {f(res['cold_load'].get('script_run_ms'))}")
    print(f"warm-server load, new context:          {f(res.get('warm_load', {}).get('done_ms'))}")
    print(f"reload, warm HTTP cache:                {f(res.get('reload', {}).get('done_ms'))}")
    ps = res.get("page_switch", {})
    print(f"page switch (all):                      {f(ps.get('ms'))}")
    for k, v in (ps.get("per_page") or {}).items():
        print(f"   -> {k:<10} {f(v)}")
    fc = res.get("filter_change", {})
    print(f"filter change add option:               {f(fc.get('add', {}).get('ms'))}")
    print(f"filter change remove option:            {f(fc.get('remove', {}).get('ms'))}")
    for d in res.get("downloads", []):
        print(f"download on {d['page']}: {d['suggested_filename']} {d['bytes']} B, {d['rows']} rows "
              f"(page says {d['rows_claimed_on_page']}), click->event {d['click_to_download_event_ms']:.0f} ms")
    print(f"checks: {res.get('checks')}")
    if res.get("error"):
        print("ERROR:", res["error"])
    print(f"results: {out / 'results.json'}")


if __name__ == "__main__":
    raise SystemExit(main())
