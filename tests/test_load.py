"""Load in a real browser: 25 sessions, each on its own country, changing filters and downloading a CSV.

Loopback only, a fixed number of sessions and requests, stopped by itself. On a 2-core machine
the sessions run 5 at a time (5 browser contexts in one Chromium) in 5 rounds: 25 Streamlit
sessions in all, 5 of them concurrent.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import time
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from etl import schema
from etl.countries import country_name
from tests import _server
from tests.fixtures import claims_frame, indicators_frame, sources_frame, write_fixture_docs

# 25 countries, one per session; none is a prefix or substring of another's code.
SESSION_COUNTRIES = ["KAZ", "UZB", "KGZ", "TJK", "TKM", "AFG", "PAK", "GEO", "ARM", "AZE", "MNG", "CHN", "IND",
                     "IRN", "TUR", "RUS", "UKR", "BLR", "MDA", "LTU", "LVA", "EST", "POL", "DEU", "FRA"]
AT_ONCE, ROUNDS = 5, 5
SETTLE_SECONDS = 5
MEMORY_MARGIN_MB = 150  # generous: Python rarely gives freed memory back to the OS


def many_country_frames() -> dict[str, pd.DataFrame]:
    """The fixture claims copied once per session country, so every country has the same kinds of figures."""
    base = claims_frame()
    parts = []
    for code in SESSION_COUNTRIES:
        part = base.copy()
        part["country"] = code
        part["country_name"] = country_name(code)
        part["claim_id"] = [hashlib.sha1(f"{code}:{i}".encode()).hexdigest()[:16] for i in part["claim_id"]]
        parts.append(part)
    claims = pd.concat(parts, ignore_index=True)
    return {"claims": claims, "indicators": indicators_frame(), "sources": sources_frame(claims)}


@pytest.fixture(scope="module")
def app_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("load")
    processed = home / "data" / "processed"
    processed.mkdir(parents=True)
    import pyarrow.parquet as pq

    from etl import paths

    files = {"claims": paths.CLAIMS_FILE, "indicators": paths.INDICATORS_FILE, "sources": paths.SOURCES_FILE}
    for name, frame in many_country_frames().items():
        pq.write_table(schema.to_table(frame, name), processed / files[name])
    write_fixture_docs(home / "data" / "raw")
    return home


def rss_mb(proc) -> float:
    """RSS of the streamlit process and its children, in MB."""
    return _server.server_rss(proc) / 2**20


COUNTRY_TAG = "[data-testid=stSidebar] [data-testid=stMultiSelect] [data-tag]"
EXPLORER_READY = ("claim(s) shown", COUNTRY_TAG, "[data-testid=stDownloadButton] button")


def open_session(browser, url: str, code: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{url}/Data_explorer?countries={code}", timeout=_server.RENDER_TIMEOUT_MS)
    return context, page


def sidebar_countries(page) -> list[str]:
    box = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").first
    return [t.inner_text().strip() for t in box.locator("[data-tag]").all()]


DOWNLOAD_TRIES = 3
DOWNLOAD_TIMEOUT_MS = 30_000
missed_clicks: list[str] = []


def download_csv(page, code: str) -> list[dict[str, str]]:
    """Click the selection's download button and read the CSV the browser saves."""
    for attempt in range(DOWNLOAD_TRIES):
        try:
            with page.expect_download(timeout=DOWNLOAD_TIMEOUT_MS) as info:
                page.bring_to_front()
                page.get_by_role("button", name="Download these rows (CSV)").click()
            break
        except PlaywrightTimeout:
            missed_clicks.append(code)
            if attempt == DOWNLOAD_TRIES - 1:
                raise
    payload = Path(info.value.path()).read_bytes()
    return list(csv.DictReader(io.StringIO(payload.decode("utf-8-sig"))))


@pytest.mark.slow
@pytest.mark.browser
def test_25_sessions_no_errors_no_cross_talk_memory_returns(app_home: Path) -> None:
    data_dir = app_home / "data" / "processed"
    expected_rows = {code: None for code in SESSION_COUNTRIES}
    figures = []
    with _server.streamlit_server(app_home, data_dir) as (url, proc), _server.chromium() as browser:
        started_mb = rss_mb(proc)
        # One warm-up session loads the cached frames every later session shares.
        context, page = open_session(browser, url, "KAZ")
        _server.wait_ready(page, *EXPLORER_READY)
        context.close()
        time.sleep(SETTLE_SECONDS)
        gc.collect()
        warm_mb = rss_mb(proc)
        peak_mb = warm_mb
        started = time.perf_counter()
        for round_no in range(ROUNDS):
            codes = SESSION_COUNTRIES[round_no * AT_ONCE:(round_no + 1) * AT_ONCE]
            sessions = [(code, *open_session(browser, url, code)) for code in codes]
            for code, _, page in sessions:
                _server.wait_ready(page, *EXPLORER_READY)
                assert not _server.exceptions_shown(page), (code, _server.exceptions_shown(page))
                names = sidebar_countries(page)
                assert names and all(country_name(code) in n for n in names), (code, names)
            for _, _, page in sessions:  # a filter change in every session, all at once
                page.get_by_text("Include figures with no stated year").click()
            for code, _, page in sessions:
                # The script writes the new filter into the URL when its rerun has applied it.
                page.wait_for_url("**noyear=0**", timeout=_server.RENDER_TIMEOUT_MS)
                _server.wait_ready(page, *EXPLORER_READY)
                assert not _server.exceptions_shown(page), code
            peak_mb = max(peak_mb, rss_mb(proc))
            for code, _, page in sessions:
                rows = download_csv(page, code)
                assert rows, code
                assert {r["country"] for r in rows} == {code}, f"session {code} got other countries' rows"
                assert all(r["year"] for r in rows), f"session {code}: the undated filter was not applied"
                others = [c for c in SESSION_COUNTRIES if c != code]
                text = "\n".join(",".join(r.values()) for r in rows)
                assert not [c for c in others if f",{c}," in f",{text},"], code
                expected_rows[code] = len(rows)
                assert sidebar_countries(page) == [n for n in sidebar_countries(page) if country_name(code) in n]
            for _, context, _ in sessions:
                context.close()
            figures.append((round_no + 1, rss_mb(proc)))
        elapsed = time.perf_counter() - started
        time.sleep(SETTLE_SECONDS)
        gc.collect()
        after_mb = rss_mb(proc)
    counts = set(expected_rows.values())
    assert len(counts) == 1, f"sessions saw different row counts for identical countries: {expected_rows}"
    print(f"\n{len(SESSION_COUNTRIES)} sessions ({AT_ONCE} at a time x {ROUNDS} rounds) in {elapsed:.0f} s, "
          f"each {counts.pop()} CSV rows of its own country only; download clicks retried: {missed_clicks or 'none'}")
    print(f"streamlit RSS: started {started_mb:.0f} MB, after one warm-up session {warm_mb:.0f} MB, "
          f"peak {peak_mb:.0f} MB, after the sessions closed {after_mb:.0f} MB "
          f"(by round: {', '.join(f'{n}: {mb:.0f}' for n, mb in figures)})")
    assert after_mb <= warm_mb + MEMORY_MARGIN_MB, (warm_mb, after_mb)
