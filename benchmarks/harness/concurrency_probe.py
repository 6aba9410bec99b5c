# Vendored unchanged from ../shared/st-harness; run by benchmarks/compare.py (see benchmarks/README.md).
#!/usr/bin/env python
"""Tiny, bounded concurrency probe: N simultaneous sessions against ONE Streamlit server on
127.0.0.1, for each N in --levels.  Two client kinds:

  --mode ws       (default) protocol-level sessions: each opens Streamlit's own websocket
                  (ws://127.0.0.1:PORT/_stcore/stream), sends the same protobuf BackMsg
                  `rerun_script` a browser sends, and reads ForwardMsgs until `script_finished`.
                  Measures the SERVER side only (no browser CPU on the 2 cores), so N=25 is cheap.
  --mode browser  N real pages (one Chromium, one context = one user each), all driven at once.
                  Measures what users see, but on 2 cores the browsers compete with the server.

Per session, all sessions released together by a barrier at each step:
  1. first load   (ws: connect + first run; browser: goto -> done)
  2. filter change: session i selects its own country C_i  -> run finished / chart re-rendered
     correctness: the chart of session i must show exactly [C_i] (no cross-session leakage),
     no st.exception element, run finished successfully
  3. page switch to the 2nd page (ws: rerun with its page_script_hash; browser: nav click)
Reports median/p95/max latency per step and level, failures, server CPU seconds and RSS.
Bounded: every step has a timeout, each level has --level-timeout, only 127.0.0.1 is contacted.

usage: python concurrency_probe.py [--mode ws|browser] [--levels 1,10,25] [--port 8599]
          [--app-dir /tmp/st-harness/app] [--entry dashboard.py] [--url http://127.0.0.1:8599/]
          [--multiselect-label Countries] [--out /tmp/st-harness/out/concurrency-ws.json]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from pathlib import Path
from urllib.parse import urlparse

import stharness as H

COUNTRIES = ["Argentina", "Australia", "Austria", "Belgium", "Brazil", "Canada", "Chile", "China",
             "Colombia", "Czechia", "Denmark", "Egypt", "Estonia", "Finland", "Greece", "Hungary",
             "India", "Indonesia", "Ireland", "Israel", "Italy", "Kenya", "Latvia", "Lithuania",
             "Mexico", "Morocco", "Netherlands", "New Zealand", "Nigeria", "Norway", "Peru",
             "Poland", "Portugal", "Romania", "Slovakia", "Slovenia", "South Africa", "South Korea",
             "Spain", "Sweden", "Switzerland", "Thailand", "Turkey", "Ukraine", "United Kingdom",
             "United States", "Vietnam"]
if os.environ.get("PROBE_COUNTRIES_FILE"):   # patched copy: per-session options for another app
    COUNTRIES = [l.strip() for l in open(os.environ["PROBE_COUNTRIES_FILE"]) if l.strip()]
# patched copy: PROBE_CHECK=name -> the chart check is "the selected country's name occurs in some chart spec"
PROBE_CHECK = os.environ.get("PROBE_CHECK", "traces")
STEP_TIMEOUT = 180.0
POLL_MS = 50          # browser mode: poll the done-predicate every 50 ms, not every frame


def cpu_seconds(pid: int) -> float:
    """utime+stime of pid and its threads (whole process), in seconds."""
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


def OTHERS(mine):
    # a few other sessions' countries, to catch cross-session leaks (only exact "Name (CODE)" hover text is unlikely; we check names)
    return [c for c in COUNTRIES[:25] if c not in mine][:3]


# ------------------------------------------------------------------ protocol-level client
class WsSession:
    def __init__(self, ws_url, label):
        self.ws_url, self.label = ws_url, label
        self.ws = None
        self.pages = []          # [(page_script_hash, page_name, url_pathname)]
        self.ms_id = None        # widget id of the multiselect, learned from the deltas
        self.page_hash = ""

    async def connect(self):
        from websockets.asyncio.client import connect
        self.ws = await connect(self.ws_url, subprotocols=["streamlit"], max_size=None,
                                open_timeout=30, ping_interval=None)

    async def close(self):
        if self.ws is not None:
            await self.ws.close()

    async def rerun(self, widget_value=None, page_hash=None, label="Countries") -> dict:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = ""
        cs.page_script_hash = page_hash if page_hash is not None else self.page_hash
        if widget_value is not None and self.ms_id:
            w = cs.widget_states.widgets.add()
            w.id = self.ms_id
            w.string_array_value.data.extend(widget_value)
        t = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        info = {"traces": [], "exceptions": [], "headings": [], "status": None, "msgs": 0}
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), STEP_TIMEOUT)
            fm = ForwardMsg()
            fm.ParseFromString(raw)
            info["msgs"] += 1
            kind = fm.WhichOneof("type")
            if kind == "new_session":
                ns = fm.new_session
                pages = list(ns.app_pages)
                if pages:
                    self.pages = [(p.page_script_hash, p.page_name, p.url_pathname) for p in pages]
                self.page_hash = ns.page_script_hash
            elif kind == "navigation":
                if fm.navigation.app_pages:
                    self.pages = [(p.page_script_hash, p.page_name, p.url_pathname) for p in fm.navigation.app_pages]
                self.page_hash = fm.navigation.page_script_hash or self.page_hash
            elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                el = fm.delta.new_element
                et = el.WhichOneof("type")
                if et == "plotly_chart":
                    spec = json.loads(el.plotly_chart.spec or "{}")
                    info["traces"].append([d.get("name") for d in spec.get("data", [])])
                    info.setdefault("specs", []).append(el.plotly_chart.spec or "")
                elif et == "multiselect" and el.multiselect.label == label:
                    self.ms_id = el.multiselect.id
                elif et == "exception":
                    info["exceptions"].append(f"{el.exception.type}: {el.exception.message}")
                elif et == "heading":
                    info["headings"].append(el.heading.body)
            elif kind == "script_finished":
                st = fm.script_finished
                if st == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue
                info["status"] = ForwardMsg.ScriptFinishedStatus.Name(st)
                break
        info["ms"] = round((time.perf_counter() - t) * 1000, 1)
        return info


async def ws_level(n, url, label, barrier_timeout=STEP_TIMEOUT) -> dict:
    p = urlparse(url)
    ws_url = f"ws://{p.hostname}:{p.port}/_stcore/stream"
    sessions = [WsSession(ws_url, f"s{i}") for i in range(n)]
    barrier = asyncio.Barrier(n)
    res = [dict(session=i, problems=[]) for i in range(n)]

    async def one(i, s):
        r = res[i]
        await barrier.wait()
        t = time.perf_counter()
        await s.connect()
        info = await s.rerun(label=label)   # patched: the original omits label, so ms_id stays None unless label == "Countries"
        r["load_ms"] = round((time.perf_counter() - t) * 1000, 1)
        if info["status"] != "FINISHED_SUCCESSFULLY" or info["exceptions"]:
            r["problems"].append(f"load: {info['status']} {info['exceptions']}")
        if not s.ms_id:
            r["problems"].append("multiselect not found")
        mine = [COUNTRIES[i % len(COUNTRIES)]]
        await barrier.wait()
        info = await s.rerun(widget_value=mine, label=label)
        r["filter_ms"] = info["ms"]
        if info["status"] != "FINISHED_SUCCESSFULLY" or info["exceptions"]:
            r["problems"].append(f"filter: {info['status']} {info['exceptions']}")
        if PROBE_CHECK == "name":
            nm = mine[0].split(" (")[0]
            last = (info.get("specs") or [""])[-1]   # the coverage heatmap: one row per selected country
            if nm not in last and json.dumps(nm)[1:-1] not in last:   # plotly JSON escapes non-ASCII (Côte -> C\u00f4te)
                r["problems"].append(f"filter: {nm} not in the last of {len(info['traces'])} chart specs")
            if any(nm2.split(" (")[0] in last for nm2 in OTHERS(mine)):
                r["problems"].append("filter: another session's country in a chart (leak?)")
        elif not info["traces"] or info["traces"][0] != mine:
            r["problems"].append(f"filter: chart traces {info['traces'][:1]} != {mine}")
        await barrier.wait()
        target = s.pages[1] if len(s.pages) > 1 else None
        if target:
            info = await s.rerun(widget_value=mine, page_hash=target[0], label=label)
            s.page_hash = target[0]
            r["switch_ms"] = info["ms"]
            r["switch_to"] = target[1]
            if info["status"] != "FINISHED_SUCCESSFULLY" or info["exceptions"]:
                r["problems"].append(f"switch: {info['status']} {info['exceptions']}")
            if PROBE_CHECK != "name" and info["traces"] and any(t != mine for t in info["traces"]):
                r["problems"].append(f"switch: chart traces {info['traces']} != {mine}")
        await s.close()

    async def guarded(i, s):
        try:
            await one(i, s)
        except Exception as e:
            res[i]["problems"].append(f"{type(e).__name__}: {e}")
            barrier_abort = getattr(barrier, "abort", None)
            if barrier_abort:
                await barrier_abort()
            try:
                await s.close()
            except Exception:
                pass

    await asyncio.gather(*(guarded(i, s) for i, s in enumerate(sessions)))
    return res


# ------------------------------------------------------------------ browser client
DIAG_DIR = "/tmp"
DIAG_JS = r"""() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return {
    url: location.pathname,
    script: app && app.getAttribute('data-test-script-state'),
    conn: app && app.getAttribute('data-test-connection-state'),
    t0: window.__stH && window.__stH.t0, now: performance.now(),
    lastEvents: window.__stH ? window.__stH.ev.slice(-8) : null,
    wsMsgs: window.__stH && window.__stH.wsMsgs,
    stale: document.querySelectorAll('[data-stale="true"]').length,
    tags: [...new Set([...document.querySelectorAll('[data-testid="stMultiSelectTagsContainer"] [data-tag] > span[title]')].map(e => e.title))],
    input: (document.querySelector('[role="combobox"]') || {}).value,
    expanded: (document.querySelector('[role="combobox"]') || {getAttribute: () => null}).getAttribute('aria-expanded'),
    traces: [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')].map(g => (g.data || []).map(t => t.name)),
    exceptions: document.querySelectorAll('[data-testid="stException"]').length,
  };
}"""

async def browser_level(n, url, label, pw_browser, shared_context=False) -> list[dict]:
    barrier = asyncio.Barrier(n)
    res = [dict(session=i, problems=[]) for i in range(n)]
    console: list[dict] = []
    shared = None
    if shared_context:   # one context (shared HTTP cache/cookies), one page = one session each
        shared = await pw_browser.new_context(viewport={"width": 1280, "height": 800})
        await shared.add_init_script(H.INIT_JS)

    pages: dict[int, object] = {}

    async def one(i):
        r = res[i]
        ctx = shared or await pw_browser.new_context(viewport={"width": 1280, "height": 800})
        page = None
        try:
            if not shared:
                await ctx.add_init_script(H.INIT_JS)
            page = await ctx.new_page()
            pages[i] = page
            page.set_default_timeout(STEP_TIMEOUT * 1000)
            page.on("pageerror", lambda e: console.append(str(e)))
            page.on("console", lambda m: m.type == "error" and console.append(m.text))
            r["step"] = "load"
            await barrier.wait()
            await page.goto(url, wait_until="commit", timeout=STEP_TIMEOUT * 1000)
            r["load_ms"] = round(await H.await_done(page, since=0, timeout_ms=STEP_TIMEOUT * 1000,
                                                    polling=POLL_MS), 1)
            r["step"] = "filter"
            mine = COUNTRIES[i % len(COUNTRIES)]
            combo = page.get_by_role("combobox", name=label)
            # prepare: type the option (no rerun yet), then all press Enter together
            await combo.click()
            await combo.fill(mine)
            await page.get_by_role("option", name=mine, exact=True).wait_for(state="visible")
            await page.evaluate("window.__stH.arm()")
            await barrier.wait()
            await page.keyboard.press("Enter")
            exp = ("[...document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .js-plotly-plot')]"
                   f".some(g => (g.data || []).some(t => t.name === {mine!r}))")
            done = await H.await_done(page, since="input", expect=exp, timeout_ms=STEP_TIMEOUT * 1000,
                                      polling=POLL_MS)
            r["filter_ms"] = round(done - await page.evaluate("window.__stH.t0"), 1)
            names = await page.evaluate("""() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')]
                .map(g => (g.data || []).map(t => t.name))""")
            tags = await page.locator('[data-testid="stMultiSelectTagsContainer"] [data-tag] > span[title]').evaluate_all(
                "els => [...new Set(els.map(e => e.title))]")
            if names and sorted(names[0]) != sorted(tags):
                r["problems"].append(f"chart traces {names[0]} != selected tags {tags}")
            if await page.locator('[data-testid="stException"]').count():
                r["problems"].append("st.exception on page")
            for _ in range(3):   # first Escape clears the typed text; close the dropdown too
                if await combo.get_attribute("aria-expanded") != "true":
                    break
                await page.keyboard.press("Escape")
            r["step"] = "switch"
            links = await page.evaluate("""() => [...document.querySelectorAll('[data-testid="stSidebarNavLink"]')]
                .map(a => ({text: a.innerText.trim(), href: a.href}))""")
            if len(links) > 1:
                await page.evaluate("window.__stH.arm()")
                await barrier.wait()
                await page.locator('[data-testid="stSidebarNavLink"]', has_text=links[1]["text"]).first.click()
                done = await H.await_done(page, since="input", path=urlparse(links[1]["href"]).path,
                                          timeout_ms=STEP_TIMEOUT * 1000, polling=POLL_MS)
                r["switch_ms"] = round(done - await page.evaluate("window.__stH.t0"), 1)
                r["switch_to"] = links[1]["text"]
        except Exception:
            try:   # what did the page look like when the step failed?
                r["diag"] = await page.evaluate(DIAG_JS)
                await page.screenshot(path=str(Path(DIAG_DIR) / f"fail_n{n}_s{i}.png"))
            except Exception as e2:
                r["diag"] = f"no diag: {e2}"
            raise
        finally:
            if shared is None:
                await ctx.close()
            elif page is not None:
                await page.close()

    async def guarded(i):
        try:
            await one(i)
        except Exception as e:
            res[i]["problems"].append(f"{res[i].get('step')}: {type(e).__name__}: {str(e)[:300]}")
            await barrier.abort()

    await asyncio.gather(*(guarded(i) for i in range(n)))
    if shared is not None:
        await shared.close()
    if console:
        res[0].setdefault("console_errors", console[:20])
    return res


async def main_async(a) -> dict:
    levels = [int(x) for x in a.levels.split(",")]
    server = None
    out = {"mode": a.mode, "levels": {}}
    pw = browser = None
    try:
        if a.url:
            url = a.url
        else:
            server = H.StreamlitServer(a.app_dir, a.entry, a.port,
                                       log_path=Path(a.out).with_suffix(".streamlit.log"))
            server.start()
            url = server.url
            # warm the server once (imports, st.cache_data) so levels compare like with like
            await ws_level(1, url, a.multiselect_label)
        if a.mode == "browser":
            global DIAG_DIR
            DIAG_DIR = str(Path(a.out).parent)
            from playwright.async_api import async_playwright
            pw = await async_playwright().start()
            browser = await pw.chromium.launch(**H.launch_kwargs())
        for n in levels:
            cpu0 = cpu_seconds(server.proc.pid) if server else None
            t = time.perf_counter()
            try:
                if a.mode == "ws":
                    res = await asyncio.wait_for(ws_level(n, url, a.multiselect_label), a.level_timeout)
                else:
                    res = await asyncio.wait_for(browser_level(n, url, a.multiselect_label, browser,
                                                               a.shared_context), a.level_timeout)
            except asyncio.TimeoutError:
                res = [dict(session=-1, problems=[f"level timed out after {a.level_timeout}s"])]
            wall = time.perf_counter() - t
            lv = {"n": n, "wall_s": round(wall, 2),
                  "server_cpu_s": round(cpu_seconds(server.proc.pid) - cpu0, 2) if server else None,
                  "server_rss_mb": round(server.rss_mb(), 1) if server else None,
                  "failures": sum(1 for r in res if r["problems"]),
                  "problems": [f"s{r['session']}: {p}" for r in res for p in r["problems"]
                         if "BrokenBarrierError" not in p][:20],
            "aborted_by_barrier": sum(1 for r in res for p in r["problems"] if "BrokenBarrierError" in p),
            "diag": [dict(session=r["session"], **({"d": r["diag"]})) for r in res if r.get("diag")][:10]}
            for step in ("load_ms", "filter_ms", "switch_ms"):
                lv[step] = H.summarize([r.get(step) for r in res])
            out["levels"][str(n)] = lv
            H.log(f"[{a.mode}] N={n}: load {lv['load_ms']} filter {lv['filter_ms']} "
                  f"switch {lv['switch_ms']} failures={lv['failures']}")
    finally:
        if browser is not None:
            await browser.close()
        if pw is not None:
            await pw.stop()
        if server is not None:
            out["server_log_tracebacks"] = server.log_path.read_text(errors="replace").count("Traceback") \
                if server.log_path.exists() else None
            server.stop()
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mode", choices=["ws", "browser"], default="ws")
    ap.add_argument("--levels", default="1,10,25")
    ap.add_argument("--app-dir", default=str(H.DEFAULT_APP_DIR))
    ap.add_argument("--entry", default="dashboard.py")
    ap.add_argument("--port", type=int, default=8599)
    ap.add_argument("--url", default=None, help="use an already running server (127.0.0.1 only)")
    ap.add_argument("--multiselect-label", default="Countries")
    ap.add_argument("--level-timeout", type=float, default=300)
    ap.add_argument("--shared-context", action="store_true",
                    help="browser mode: all pages in one context (shared HTTP cache); lighter client")
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    if a.url and urlparse(a.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("refusing: the probe only targets loopback addresses")
    a.out = a.out or str(H.DEFAULT_WORK / "out" / f"concurrency-{a.mode}.json")
    out = asyncio.run(main_async(a))
    out["config"] = vars(a)
    H.write_json(a.out, out)
    print(f"mode={a.mode}" + (" (shared browser context)" if a.mode == "browser" and a.shared_context else ""))
    print(f"{'N':>4} {'load med/p95/max ms':>24} {'filter med/p95/max ms':>24} {'switch med/p95/max ms':>24} "
          f"{'fail':>5} {'wall s':>7} {'srv cpu s':>9} {'rss MB':>7}")
    for n, lv in out["levels"].items():
        f = lambda s: f"{s['median']:.0f}/{s['p95']:.0f}/{s['max']:.0f}" if s.get("n") else "n/a"
        print(f"{n:>4} {f(lv['load_ms']):>24} {f(lv['filter_ms']):>24} {f(lv['switch_ms']):>24} "
              f"{lv['failures']:>5} {lv['wall_s']:>7} {str(lv['server_cpu_s']):>9} {str(lv['server_rss_mb']):>7}")
        for p in lv["problems"][:5]:
            print("      ", p)
    print(f"results: {a.out}")
    return 0 if all(lv["failures"] == 0 for lv in out["levels"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
