"""Test helpers for the browser tests: a `streamlit run` on a free loopback port, headless Chromium, waits.

Only Debian's /usr/bin/chromium is used (never `playwright install`); the server listens on
127.0.0.1 only and is stopped by the context manager, whatever happens in the test.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from etl import paths

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
APP = "[data-testid=stApp]"
START_TIMEOUT_S = 90
RENDER_TIMEOUT_MS = 90_000

# Records script-state transitions, so a quick running -> notRunning flip is not missed between polls.
OBSERVE_JS = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  window.__states = [];
  if (window.__observer) window.__observer.disconnect();
  window.__observer = new MutationObserver(() => window.__states.push(app.getAttribute('data-test-script-state')));
  window.__observer.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""
RERUN_DONE_JS = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  return window.__states.includes('running') && app.getAttribute('data-test-script-state') === 'notRunning';
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(home: Path, data_dir: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """`streamlit run dashboard.py` on 127.0.0.1 and a free port; yields (base url, process), stops it after."""
    port = free_port()
    env = {**os.environ, "CADI_HOME": str(home), "CADI_DATA_DIR": str(data_dir)}
    command = [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
               "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"]
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(command, cwd=paths.REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise RuntimeError(f"streamlit did not start:\n{log.read().decode(errors='replace')[-3000:]}")
            time.sleep(0.2)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(15)
        log.seek(0)
        server_log = log.read().decode(errors="replace")
        log.close()
        if "Traceback" in server_log:
            print(f"streamlit server log:\n{server_log[-5000:]}")


@contextlib.contextmanager
def chromium() -> Iterator:
    """One headless Debian Chromium for the test (contexts are cheap, browsers are not)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def wait_ready(page, content: str, *selectors: str, timeout: int = RENDER_TIMEOUT_MS) -> None:
    """Until the script has finished (not the status widget) and the page shows `content` and `selectors`."""
    page.wait_for_selector(f"{APP}[data-test-script-state=notRunning]", timeout=timeout)
    page.get_by_text(content).first.wait_for(timeout=timeout)
    for selector in selectors:
        page.locator(selector).first.wait_for(timeout=timeout)
    page.wait_for_selector(f"{APP}[data-test-script-state=notRunning]", timeout=timeout)


def start_observing(page) -> None:
    page.evaluate(OBSERVE_JS)


def wait_rerun(page, timeout: int = RENDER_TIMEOUT_MS) -> None:
    """After an action that reruns the script: until it has run and finished."""
    page.wait_for_function(RERUN_DONE_JS, timeout=timeout)


def exceptions_shown(page) -> list[str]:
    """Text of any Streamlit exception box on the page."""
    return [e.inner_text() for e in page.locator("[data-testid=stException]").all()]


def server_rss(proc: subprocess.Popen) -> int:
    """RSS of the streamlit process and its children, in bytes (psutil)."""
    import psutil

    root = psutil.Process(proc.pid)
    total = 0
    for p in [root, *root.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total
