"""Helpers for the headless-Chromium end-to-end tests: the ETL'd store, what a page must not do, waits.

`build_store(tmp)` runs the real ETL on a copy of data/raw (the server and the browser come from
tests/_server.py); `Watch` records console errors, uncaught exceptions and requests off 127.0.0.1;
the rest wait for Streamlit's runs and drive its widgets the way a reader does.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from etl import paths

HOST = "127.0.0.1"
LOAD_TIMEOUT_MS = 60_000  # a cold first run imports pandas/plotly on a busy 2-core machine
ACTION_TIMEOUT_MS = 30_000

APP = "[data-testid=stApp]"
SIDEBAR = "[data-testid=stSidebar]"
NAV_LINK = "a[data-testid=stSidebarNavLink]"
COUNTRY_BOX = f"{SIDEBAR} [data-testid=stMultiSelect]"
EXCEPTION = "[data-testid=stException]"
CHART = ".js-plotly-plot"
IDLE_JS = f"() => document.querySelector('{APP}')?.getAttribute('data-test-script-state') === 'notRunning'"
CONTENT_HEIGHT_JS = """() => Math.max(...['[data-testid=stMain]', '[data-testid=stSidebarContent]']
  .map(sel => document.querySelector(sel)?.scrollHeight || 0), document.documentElement.scrollHeight)"""
# True once the script state has stayed notRunning for `ms`. A fast rerun can go running -> notRunning
# within one React commit, so no single observation of the attribute proves that a rerun has ended;
# the callers first wait for evidence of the new run (URL, heading), then for this.
SETTLED_JS = f"""ms => {{
  const idle = document.querySelector('{APP}')?.getAttribute('data-test-script-state') === 'notRunning';
  const now = performance.now();
  if (!idle) {{ window.__cadiIdleSince = null; return false; }}
  if (window.__cadiIdleSince == null) window.__cadiIdleSince = now;
  return now - window.__cadiIdleSince >= ms;
}}"""
SETTLE_MS = 300
PATH_IS_JS = "path => location.pathname === path"
# The `countries` URL parameter is exactly `codes` (a comma-separated string; "" for an empty selection).
URL_COUNTRIES_JS = "codes => new URLSearchParams(location.search).get('countries') === codes"
# Every plotly chart's drawn traces: name, type and number of points (plotly's own count after decoding).
TRACES_JS = f"""() => Array.from(document.querySelectorAll('{CHART}')).map(g => (g._fullData || []).map((t, i) => ({{
  name: t.name || '', type: t.type,
  points: t._length ?? ((g.calcdata && g.calcdata[i]) ? g.calcdata[i].length : 0)}})))"""


@dataclass(frozen=True)
class AppPage:
    """One page of the app: its URL path, its heading, and what shows that its own content is there."""

    slug: str  # URL path after the host ("" for the overview)
    heading: str
    min_charts: int = 0
    content: str = ""  # a selector that must be visible besides the heading


PAGES = (
    AppPage("", "Central Asia Digital Indicators", 3, "[data-testid=stMetric]"),
    AppPage("Country_profile", "Country profile", 0, "[data-testid=stExpander]"),
    AppPage("Compare_countries", "Compare countries", 1),
    AppPage("Rankings", "Rankings", 1),
    AppPage("Investments_and_budgets", "Investments and budgets", 1),
    AppPage("Data_explorer", "Data explorer", 0, "[data-testid=stDataFrame]"),
    AppPage("Sources", "Sources", 0, ".cadi-document"),
)


# ---- the store -----------------------------------------------------------------------------------


def build_store(root: Path) -> tuple[Path, Path]:
    """(CADI_HOME, store): a copy of data/raw (and the curations) under root/home, the real ETL's output."""
    home, store = root / "home", root / "store"
    shutil.copytree(paths.REPO_ROOT / "data" / "raw", home / "data" / "raw")
    curated = paths.REPO_ROOT / "data" / "curated"
    if curated.is_dir():  # so the store matches what `make etl` builds
        shutil.copytree(curated, home / "data" / "curated")
    env = {**os.environ, "CADI_HOME": str(home)}
    env.pop("CADI_DATA_DIR", None)
    cmd = [sys.executable, "-m", "etl", "--input", str(home / "data" / "raw"), "--output", str(store), "--quiet"]
    done = subprocess.run(cmd, cwd=paths.REPO_ROOT, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"the ETL failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return home, store


# ---- what a page must not do ---------------------------------------------------------------------


@dataclass
class Watch:
    """Console errors, uncaught page errors and off-host requests of one browser page."""

    base_url: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def attach(self, page) -> Watch:
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        page.on("request", self._on_request)
        return self

    def _on_console(self, msg) -> None:
        if msg.type != "error":
            return
        where = (msg.location or {}).get("url", "")
        text = f"{msg.text} @ {where}"
        if self._known_streamlit_probe(msg.text, where):
            self.ignored.append(text)
        else:
            self.console_errors.append(text)

    def _known_streamlit_probe(self, text: str, where: str) -> bool:
        """Streamlit's own 404s when a page is opened by its URL, not the app's fault.

        The frontend probes `_stcore/health` and `_stcore/host-config` relative to the page's path
        (`/Rankings/_stcore/health`) before the root one, which answers 200: streamlit/streamlit#7074.
        Only a 404 on exactly those two endpoints under one of our page paths is ignored.
        """
        slugs = "|".join(re.escape(p.slug) for p in PAGES if p.slug)
        probe = re.fullmatch(rf"{re.escape(self.base_url)}/(?:{slugs})/_stcore/(?:health|host-config)", where)
        return bool(probe) and "404" in text

    def _on_request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):  # made in the page itself, nothing leaves the machine
            return
        if parts.hostname != HOST:
            self.external_requests.append(request.url)

    def problems(self) -> list[str]:
        return (
            [f"console error: {e}" for e in self.console_errors]
            + [f"uncaught page error: {e}" for e in self.page_errors]
            + [f"request off 127.0.0.1 (the app must work offline): {u}" for u in self.external_requests]
        )


# ---- waiting and driving -------------------------------------------------------------------------


def settle(page, until_js: str | None = None, arg=None, timeout: int = ACTION_TIMEOUT_MS) -> None:
    """Wait for `until_js(arg)` (evidence of the run wanted), then until the script has stayed idle a moment."""
    if until_js:
        page.wait_for_function(until_js, arg=arg, timeout=timeout, polling=50)
    page.evaluate("() => { window.__cadiIdleSince = null; }")
    page.wait_for_function(SETTLED_JS, arg=SETTLE_MS, timeout=timeout, polling=50)


def wait_page(page, app_page: AppPage, timeout: int = LOAD_TIMEOUT_MS) -> None:
    """Until the page's own content (heading, charts, table) is visible and the script has finished."""
    settle(page, PATH_IS_JS, f"/{app_page.slug}", timeout)
    page.get_by_role("heading", name=app_page.heading, exact=True).first.wait_for(state="visible", timeout=timeout)
    if app_page.content:
        page.locator(app_page.content).first.wait_for(state="visible", timeout=timeout)
    if app_page.min_charts:
        page.wait_for_function(
            f"n => document.querySelectorAll('{CHART}').length >= n", arg=app_page.min_charts, timeout=timeout
        )
    settle(page, timeout=timeout)


def open_by_sidebar(page, base_url: str, app_page: AppPage) -> None:
    """Click the page's link in the sidebar navigation and wait for the page."""
    page.locator(f'{NAV_LINK}[href="{base_url}/{app_page.slug}"]').click()
    wait_page(page, app_page)


def country_box(page):
    return page.locator(COUNTRY_BOX).first


def selected_countries(page) -> list[str]:
    """The codes of the sidebar's selected countries, from tags labelled "Kazakhstan (KAZ)"."""
    return [code_of(tag) for tag in country_box(page).locator("[data-tag]").all_inner_texts()]


def choose_countries(page, labels: list[str]) -> None:
    """Clear the sidebar's country multiselect, then pick `labels` ("Kazakhstan (KAZ)") from its list.

    Each change is done when the URL holds the selection so far (the script writes it) and the
    script has settled; `labels` must not be every country (a default selection leaves the URL).
    """
    box = country_box(page)
    codes = [code_of(label) for label in labels]
    if box.locator("[data-tag]").count():
        box.get_by_role("button", name="Clear all").click()
        settle(page, URL_COUNTRIES_JS, "")
    for i, label in enumerate(labels):
        box.get_by_role("combobox").fill(label)
        page.get_by_role("option", name=label, exact=True).click()
        settle(page, URL_COUNTRIES_JS, ",".join(codes[: i + 1]))
    page.keyboard.press("Escape")  # close the list: while it is open the rest of the page is aria-hidden
    page.get_by_role("listbox").wait_for(state="hidden", timeout=ACTION_TIMEOUT_MS)
    settle(page)


def code_of(label: str) -> str:
    """KAZ from "Kazakhstan (KAZ)"."""
    match = re.search(r"\(([A-Z]{3})\)\s*$", label.strip())
    assert match, f"not a country label: {label!r}"
    return match.group(1)


def url_countries(url: str) -> list[str] | None:
    """The `countries` query parameter as codes (None when absent)."""
    values = parse_qs(urlsplit(url).query, keep_blank_values=True).get("countries")
    return None if values is None else [c for c in ",".join(values).split(",") if c]


def chart_traces(page) -> list[list[dict]]:
    return page.evaluate(TRACES_JS)


def shown_count(page) -> int:
    """The explorer's "N claim(s) shown" number."""
    caption = page.get_by_text(re.compile(r"claim\(s\) shown")).first
    caption.wait_for(state="visible", timeout=ACTION_TIMEOUT_MS)
    match = re.search(r"([\d,]+) claim\(s\) shown", caption.inner_text())
    assert match, caption.inner_text()
    return int(match.group(1).replace(",", ""))
