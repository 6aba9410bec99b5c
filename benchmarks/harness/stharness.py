# Vendored from ../shared/st-harness (the instrument the performance issue was measured with); run by
# benchmarks/compare.py. Changed here: only the default work folder.
"""Shared pieces of the Streamlit measurement harness.

- StreamlitServer: start `streamlit run` on 127.0.0.1 in its own process group, wait until it
  answers /_stcore/health and serves the page, stop it again by PID (SIGTERM, then SIGKILL).
- Chromium launch settings for Debian's /usr/bin/chromium driven by the Playwright Python
  package (no `playwright install`).
- INIT_JS: an init script that records, in page time (performance.now()), every change of
  Streamlit's `data-test-script-state` / `data-test-connection-state` attributes, the arrival
  of every `script_finished` ForwardMsg on the /_stcore/stream websocket (decoded from the
  binary protobuf frame), and the moment of the first trusted user input after the harness
  "arms" a measurement.
- DONE_JS: the predicate "the app has finished reacting": a script run finished after the
  armed input, the app is back to notRunning and CONNECTED, nothing is stale/skeleton/spinner,
  and every st.plotly_chart container holds a rendered plotly graph.  It returns the page time at which
  all that first held, so timings are measured inside the browser, input -> painted chart.
"""
from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
# In this repository: benchmarks/out/harness (benchmarks.compare sets ST_HARNESS_WORK and links venv to .venv).
DEFAULT_WORK = Path(os.environ.get("ST_HARNESS_WORK", HERE.parent / "out" / "harness"))
DEFAULT_APP_DIR = DEFAULT_WORK / "app"
DEFAULT_VENV = DEFAULT_WORK / "venv"

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


# --------------------------------------------------------------------------- server
class StreamlitServer:
    """`streamlit run ENTRY` on 127.0.0.1:PORT, started and stopped by PID."""

    def __init__(self, app_dir=DEFAULT_APP_DIR, entry="dashboard.py", port=8599,
                 log_path=None, venv=DEFAULT_VENV, extra_args=()):
        self.app_dir = Path(app_dir)
        self.entry = entry
        self.port = int(port)
        self.venv = Path(venv)
        self.log_path = Path(log_path) if log_path else DEFAULT_WORK / f"streamlit-{self.port}.log"
        self.extra_args = list(extra_args)
        self.proc: subprocess.Popen | None = None
        self._log = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def _port_busy(self) -> bool:
        import socket
        with socket.socket() as s:
            s.settimeout(0.5)
            return s.connect_ex(("127.0.0.1", self.port)) == 0

    def start(self, timeout=60.0) -> float:
        """Start and wait until ready; returns seconds until /_stcore/health said ok."""
        if self._port_busy():
            raise RuntimeError(f"port {self.port} already in use on 127.0.0.1 (stale server?)")
        exe = self.venv / "bin" / "streamlit"
        cmd = [str(exe), "run", self.entry,
               "--server.headless", "true",            # no browser, no e-mail prompt
               "--server.address", "127.0.0.1",        # loopback only
               "--server.port", str(self.port),
               "--browser.gatherUsageStats", "false",  # no telemetry
               "--server.fileWatcherType", "none",     # no reruns on file changes
               "--server.runOnSave", "false",
               *self.extra_args]
        env = dict(os.environ)
        env.pop("DISPLAY", None)        # with DISPLAY set Streamlit defaults to non-headless
        env.pop("WAYLAND_DISPLAY", None)
        env["PYTHONUNBUFFERED"] = "1"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "ab")
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(cmd, cwd=self.app_dir, env=env, stdin=subprocess.DEVNULL,
                                     stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = t0 + timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited rc={self.proc.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.url + "_stcore/health", timeout=2) as r:
                    if r.status == 200 and r.read().strip() == b"ok":
                        with urllib.request.urlopen(self.url, timeout=5) as r2:
                            r2.read()
                        return time.perf_counter() - t0
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise TimeoutError(f"streamlit not healthy after {timeout}s; see {self.log_path}")

    def rss_mb(self) -> float | None:
        if not self.proc:
            return None
        try:
            for line in open(f"/proc/{self.proc.pid}/status"):
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            return None
        return None

    def stop(self, grace=5.0) -> None:
        p = self.proc
        if p is None:
            return
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGTERM)   # group id == our child's PID (start_new_session)
            except ProcessLookupError:
                pass
            try:
                p.wait(grace)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                p.wait(5)
        self.proc = None
        if self._log:
            self._log.close()
            self._log = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()


# --------------------------------------------------------------------------- browser
def launch_kwargs(headless=True) -> dict:
    """kwargs for playwright's chromium.launch(). Playwright itself makes a fresh, temporary
    --user-data-dir for every launch() (it refuses --user-data-dir in args; use
    launch_persistent_context(user_data_dir=...) if you need to pick the folder)."""
    if not Path(CHROMIUM).exists():
        raise FileNotFoundError(f"{CHROMIUM} missing: apt-get install -y chromium chromium-driver")
    return dict(executable_path=CHROMIUM, headless=headless, args=list(CHROMIUM_ARGS),
                timeout=60_000)


def _script_finished_field() -> int:
    """Field number of ForwardMsg.script_finished in the installed Streamlit (6 in 1.67)."""
    try:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        return ForwardMsg.DESCRIPTOR.fields_by_name["script_finished"].number
    except Exception:
        return 6


INIT_JS_TEMPLATE = r"""
(() => {
  if (window.__stH) return;
  const H = window.__stH = {ev: [], fin: [], wsMsgs: 0, armed: false, t0: null, inputKind: null};
  const log = (k, v) => H.ev.push([performance.now(), k, v]);
  H.log = log;
  H.arm = () => { H.armed = true; H.t0 = null; H.inputKind = null; };
  const onInput = (e) => {
    if (H.armed && e.isTrusted) { H.t0 = performance.now(); H.inputKind = e.type; H.armed = false; log('input', e.type); }
  };
  for (const t of ['keydown', 'pointerdown', 'mousedown']) window.addEventListener(t, onInput, true);
  // 1) DOM: Streamlit's own state attributes on [data-testid=stApp]
  const obs = new MutationObserver((muts) => {
    for (const m of muts) {
      if (m.type !== 'attributes') continue;
      const v = m.target.getAttribute(m.attributeName);
      if (m.attributeName === 'data-test-script-state') log('state', v);
      else if (m.attributeName === 'data-test-connection-state') log('conn', v);
    }
  });
  const start = () => obs.observe(document.documentElement, {subtree: true, attributes: true,
      attributeFilter: ['data-test-script-state', 'data-test-connection-state']});
  if (document.documentElement) start(); else document.addEventListener('readystatechange', start, {once: true});
  // 2) Wire: every ForwardMsg frame on /_stcore/stream; note when a script_finished arrives.
  //    Under load React may batch running+notRunning into one commit, so the attribute
  //    transition alone can be invisible; the script_finished frame never is.
  const FIN = __FIN_FIELD__;
  const finishedStatus = (buf) => {   // top-level protobuf scan: value of field FIN, or null
    const b = new Uint8Array(buf); let i = 0;
    const varint = () => { let r = 0, s = 0, c; do { c = b[i++]; r += (c & 0x7f) * Math.pow(2, s); s += 7; } while (c & 0x80 && i < b.length); return r; };
    while (i < b.length) {
      const key = varint(), f = Math.floor(key / 8), wt = key & 7;
      if (wt === 0) { const v = varint(); if (f === FIN) return v; }
      else if (wt === 2) { const n = varint(); i += n; }
      else if (wt === 1) i += 8; else if (wt === 5) i += 4; else return null;
    }
    return null;
  };
  const NativeWS = window.WebSocket;
  window.WebSocket = class extends NativeWS {
    constructor(url, protocols) {
      super(url, protocols);
      if (String(url).indexOf('/_stcore/stream') < 0) return;
      this.addEventListener('message', (ev) => {
        const t = performance.now();
        H.wsMsgs++;
        const handle = (buf) => { const st = finishedStatus(buf); if (st !== null) { H.fin.push([t, st]); log('finished', st); } };
        if (ev.data instanceof ArrayBuffer) handle(ev.data);
        else if (ev.data && ev.data.arrayBuffer) ev.data.arrayBuffer().then(handle);
      });
    }
  };
})();
"""
INIT_JS = INIT_JS_TEMPLATE.replace("__FIN_FIELD__", str(_script_finished_field()))

# args: {since: 'input'|'nav'|number, requireRun: bool, path: str|null, expect: js-expression|null}
DONE_JS = r"""
(a) => {
  const H = window.__stH; if (!H) return false;
  let since = 0;
  if (a.since === 'input') { if (H.t0 === null) return false; since = H.t0; }
  else if (typeof a.since === 'number') since = a.since;
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (a.requireRun) {
    // a run must have finished after the input: a script_finished frame (status 2 =
    // FINISHED_EARLY_FOR_RERUN does not count) or an observed running->notRunning transition
    const finished = H.fin.some(f => f[0] >= since && f[1] !== 2);
    const started = H.ev.some(e => e[0] >= since && e[1] === 'state' && e[2] !== 'notRunning');
    if (!finished && !started) return false;
  }
  if (a.path !== null && a.path !== undefined && location.pathname !== a.path) return false;
  if (document.querySelector('[data-stale="true"], [data-testid="stAppSkeleton"], [data-testid="stSkeleton"], [data-testid="stSpinner"]')) return false;
  const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
  for (const c of charts) {
    const gd = c.querySelector('.js-plotly-plot');
    if (!gd || !gd._fullLayout || !gd.querySelector('.main-svg')) return false;
  }
  if (a.expect && !(new Function('return (' + a.expect + ');'))()) return false;
  return performance.now();
}
"""


def wait_done(page, since="input", require_run=True, path=None, expect=None, timeout_ms=60_000,
              polling="raf"):
    """Block until DONE_JS holds; return the page time (ms) at which it first held.
    polling="raf" checks every animation frame (~16 ms resolution); an int polls every N ms
    (cheaper when many pages share 2 cores)."""
    h = page.wait_for_function(DONE_JS, arg=dict(since=since, requireRun=require_run, path=path,
                                                 expect=expect),
                               polling=polling, timeout=timeout_ms)
    return float(h.json_value())


async def await_done(page, since="input", require_run=True, path=None, expect=None,
                     timeout_ms=60_000, polling="raf"):
    h = await page.wait_for_function(DONE_JS, arg=dict(since=since, requireRun=require_run,
                                                       path=path, expect=expect),
                                     polling=polling, timeout=timeout_ms)
    return float(await h.json_value())


def attach_console_collector(page, sink: list, label: str):
    page.on("console", lambda m: m.type in ("error", "warning") and sink.append(
        {"page": label, "kind": f"console.{m.type}", "text": m.text[:500]}))
    page.on("pageerror", lambda e: sink.append({"page": label, "kind": "pageerror", "text": str(e)[:500]}))
    page.on("requestfailed", lambda r: sink.append(
        {"page": label, "kind": "requestfailed", "text": f"{r.method} {r.url} {r.failure}"}))
    page.on("websocket", lambda ws: ws.on("close", lambda *_: sink.append(
        {"page": label, "kind": "websocket.close", "text": ws.url})))


# --------------------------------------------------------------------------- stats
def summarize(xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return {"n": 0}
    xs_sorted = sorted(xs)
    p95 = xs_sorted[min(len(xs_sorted) - 1, int(round(0.95 * (len(xs_sorted) - 1))))]
    return {"n": len(xs), "median": round(statistics.median(xs), 1), "min": round(min(xs), 1),
            "max": round(max(xs), 1), "p95": round(p95, 1)}


def write_json(path, obj):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, default=str))


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, file=sys.stderr, flush=True)
