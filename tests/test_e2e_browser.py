"""End to end in a real headless Chromium: the ETL'd bundled documents, `streamlit run`, every page.

One server for the session (tests/_server.py, on the real ETL's output from a copy of data/raw);
each test opens fresh browser contexts and fails on an exception box, a console error, an uncaught
page error or any request off 127.0.0.1. Screenshots of every page go to tests/artifacts/ for a
person to look at.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pytest

from tests import _browser as b
from tests import _server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
VIEWPORT = {"width": 1400, "height": 1000}
OVERVIEW, PROFILE, COMPARE, RANKINGS, MONEY, EXPLORER, SOURCES = b.PAGES
CHOSEN = ("KAZ", "UZB")  # the selection the filter tests make in the sidebar
MAX_SHOT_HEIGHT = 12_000


@dataclass(frozen=True)
class App:
    url: str
    claims: pd.DataFrame

    def label(self, code: str) -> str:
        """The multiselect's label for a country code, as cadi.ui formats it."""
        names = self.claims.drop_duplicates("country").set_index("country")["country_name"]
        return f"{names[code]} ({code})"

    def names(self, codes) -> set[str]:
        return set(self.claims.loc[self.claims["country"].isin(codes), "country_name"].astype(str))


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """The real ETL on a copy of data/raw, and `streamlit run dashboard.py` on it (stopped at the end)."""
    home, store = b.build_store(tmp_path_factory.mktemp("e2e"))
    claims = pd.read_parquet(store / "claims.parquet")
    assert len(claims) > 0, "the ETL wrote no claims from the bundled documents"
    with _server.streamlit_server(home, store) as (url, _process):
        yield App(url, claims)


@pytest.fixture(scope="module")
def browser():
    if not Path(_server.CHROMIUM).exists():
        pytest.fail(f"{_server.CHROMIUM} is missing: run ./scripts/setup.sh --test (it installs Debian's chromium)")
    with _server.chromium() as chromium:
        yield chromium


@pytest.fixture
def open_page(app: App, browser):
    """A factory: a page in a fresh browser context, with a Watch on it; all closed after the test."""
    contexts = []

    def new() -> tuple[object, b.Watch]:
        context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
        context.set_default_timeout(b.ACTION_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        return page, b.Watch(app.url).attach(page)

    yield new
    for context in contexts:
        context.close()


def goto(page, app: App, app_page: b.AppPage, query: str = "") -> None:
    page.goto(f"{app.url}/{app_page.slug}{query}", timeout=b.LOAD_TIMEOUT_MS)
    b.wait_page(page, app_page)


def assert_clean(page, watch: b.Watch, where: str) -> None:
    """No exception box on the page, and nothing the Watch objects to."""
    boxes = page.locator(b.EXCEPTION)
    assert boxes.count() == 0, f"{where}: exception shown:\n" + "\n".join(boxes.all_inner_texts())
    assert not watch.problems(), f"{where}:\n" + "\n".join(watch.problems())


def assert_charts_drawn(page, where: str) -> None:
    """Every plotly chart on the page has at least one trace with points."""
    for i, traces in enumerate(b.chart_traces(page)):
        assert any(t["points"] for t in traces), f"{where}: chart {i} is empty: {traces}"


OVERLAYS = (": official", "sources disagree")  # traces the checks draw behind and over the claims


def legend(page) -> set[str]:
    """The names of the claims' traces of the page's first chart (one per country on Compare countries)."""
    charts = b.chart_traces(page)
    assert charts, "no chart on the page"
    return {t["name"] for t in charts[0] if t["points"] and not t["name"].endswith(OVERLAYS)}


def screenshot(page, name: str) -> None:
    """The whole page: Streamlit scrolls inside stMain, so the viewport grows to the content's height.

    Grown in steps, because content can get taller once it is in view (charts drawn lazily).
    """
    ARTIFACTS.mkdir(exist_ok=True)
    tall = VIEWPORT["height"]
    for _ in range(8):
        height = min(page.evaluate(b.CONTENT_HEIGHT_JS), MAX_SHOT_HEIGHT)
        if height <= tall:
            break
        tall = height
        page.set_viewport_size({"width": VIEWPORT["width"], "height": tall})
        b.settle(page)
    page.screenshot(path=ARTIFACTS / f"e2e_{name}.png")
    page.set_viewport_size(VIEWPORT)


def slug_name(app_page: b.AppPage) -> str:
    return app_page.slug or "Overview"


# ---- every page, by URL and by the sidebar ---------------------------------------------------------


@pytest.mark.parametrize("app_page", b.PAGES, ids=slug_name)
def test_page_opened_by_its_url_shows_its_content_offline(app, open_page, app_page):
    page, watch = open_page()
    goto(page, app, app_page)
    assert urlsplit(page.url).path == f"/{app_page.slug}"
    assert_charts_drawn(page, app_page.heading)
    screenshot(page, f"{b.PAGES.index(app_page)}_{slug_name(app_page)}")
    assert_clean(page, watch, app_page.heading)


def test_sidebar_navigation_reaches_every_page(app, open_page):
    page, watch = open_page()
    goto(page, app, OVERVIEW)
    for app_page in (*b.PAGES[1:], OVERVIEW):
        b.open_by_sidebar(page, app.url, app_page)
        assert urlsplit(page.url).path == f"/{app_page.slug}", page.url
        current = page.locator(f'{b.NAV_LINK}[aria-current="page"]')
        assert current.get_attribute("href") == f"{app.url}/{app_page.slug}"
        assert_charts_drawn(page, app_page.heading)
        assert_clean(page, watch, f"{app_page.heading} (via the sidebar)")
    assert not watch.ignored, f"no page was opened by its URL, yet Streamlit's probes 404ed: {watch.ignored}"


def test_compare_countries_opens_on_internet_penetration_like_the_overview_map(app, open_page):
    page, watch = open_page()
    goto(page, app, COMPARE)
    chosen = page.get_by_role("combobox", name="Indicator", exact=True).input_value()
    assert chosen == "Internet penetration", f"Compare countries opened on {chosen!r}; url {page.url}"
    assert "indicator=internet_penetration_pct" in page.url
    assert_clean(page, watch, "Compare countries")


# ---- the country filter ----------------------------------------------------------------------------


def test_country_filter_changes_the_chart_legend_and_the_explorer_count(app, open_page):
    page, watch = open_page()
    goto(page, app, COMPARE)
    before = legend(page)
    assert before - app.names(CHOSEN), f"the default selection should chart more than {CHOSEN}: {before}"

    b.choose_countries(page, [app.label(c) for c in CHOSEN])
    assert b.selected_countries(page) == list(CHOSEN)
    b.wait_page(page, COMPARE)
    after = legend(page)
    assert after and after <= app.names(CHOSEN), f"Compare countries charts {after} for {CHOSEN}"
    assert_charts_drawn(page, "Compare countries after the change")
    screenshot(page, "filtered_Compare_countries")

    goto(page, app, EXPLORER, f"?countries={','.join(CHOSEN)}")
    assert b.shown_count(page) == int(app.claims["country"].isin(CHOSEN).sum())
    b.choose_countries(page, [app.label("KGZ")])
    assert b.shown_count(page) == int((app.claims["country"] == "KGZ").sum())
    assert_clean(page, watch, "filter changes")


def test_explorer_csv_download_is_exactly_the_rows_shown(app, open_page, tmp_path):
    page, watch = open_page()
    goto(page, app, EXPLORER)
    assert b.shown_count(page) == len(app.claims)  # first visit: every country, category and year
    b.choose_countries(page, [app.label(c) for c in CHOSEN])
    expected = app.claims[app.claims["country"].isin(CHOSEN)]
    shown = b.shown_count(page)
    assert shown == len(expected)
    screenshot(page, "filtered_Data_explorer")

    with page.expect_download(timeout=b.ACTION_TIMEOUT_MS) as info:
        page.get_by_role("button", name="Download these rows (CSV)").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    raw = path.read_bytes()
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert len(rows) == len(frame) == shown, f"CSV has {len(rows)} rows, the page says {shown}"
    assert set(frame["country"]) <= set(CHOSEN), sorted(set(frame["country"]))
    for column in ("quote", "doc"):
        blank = frame[frame[column].str.strip() == ""]
        assert blank.empty, f"rows without {column}: {blank['claim_id'].tolist()}"
    assert set(frame["doc"]) <= set(app.claims["doc"].astype(str))
    assert sorted(frame["claim_id"]) == sorted(expected["claim_id"].astype(str))
    assert_clean(page, watch, "CSV download")


# ---- the filter's state: across pages and in the URL -----------------------------------------------


def test_filter_survives_page_switches_and_a_copied_link(app, open_page):
    page, watch = open_page()
    goto(page, app, EXPLORER)
    b.choose_countries(page, [app.label(c) for c in CHOSEN])
    count = b.shown_count(page)
    assert b.url_countries(page.url) == list(CHOSEN), page.url

    for app_page in (RANKINGS, COMPARE):
        b.open_by_sidebar(page, app.url, app_page)
        assert b.selected_countries(page) == list(CHOSEN), f"{app_page.heading}: the sidebar lost the selection"
        page.wait_for_url(re.compile(r"[?&]countries="), timeout=b.ACTION_TIMEOUT_MS)
        assert b.url_countries(page.url) == list(CHOSEN), f"{app_page.heading}: {page.url}"
    charted = legend(page)
    assert charted and charted <= app.names(CHOSEN), charted
    link = page.url
    assert_clean(page, watch, "page switches")

    fresh, fresh_watch = open_page()  # a new context: no cookies, no session, only the link
    fresh.goto(link, timeout=b.LOAD_TIMEOUT_MS)
    b.wait_page(fresh, COMPARE)
    assert b.selected_countries(fresh) == list(CHOSEN), f"the link {link} opened another selection"
    assert legend(fresh) == charted
    goto(fresh, app, EXPLORER, f"?{urlsplit(link).query}")
    assert b.selected_countries(fresh) == list(CHOSEN)
    assert b.shown_count(fresh) == count
    assert_clean(fresh, fresh_watch, "the copied link")


def test_first_visit_by_a_page_url_after_a_server_start(app, browser, tmp_path):
    """A fresh server: /Compare_countries lists only the app's pages (no "dashboard"); /Overview is the overview."""
    home, store = b.build_store(tmp_path)
    with _server.streamlit_server(home, store) as (url, _process):
        context = browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(b.ACTION_TIMEOUT_MS)
        try:
            page = context.new_page()
            page.goto(f"{url}/{COMPARE.slug}", timeout=b.LOAD_TIMEOUT_MS)
            b.wait_page(page, COMPARE)
            links = page.locator(b.NAV_LINK).all_inner_texts()
            assert "dashboard" not in [link.strip() for link in links], links
            assert "Compare countries" in [link.strip() for link in links], links
            page.goto(f"{url}/Overview", timeout=b.LOAD_TIMEOUT_MS)
            b.wait_page(page, OVERVIEW)  # led to "/"
            dialogs = " ".join(page.locator("[role=dialog]").all_inner_texts())
            assert "Page not found" not in dialogs, dialogs
        finally:
            context.close()


def test_png_export_carries_title_legend_and_source(app, open_page):
    """The modebar's PNG is made by the browser from the figure itself: title, legend and source line inside it."""
    page, watch = open_page()
    goto(page, app, COMPARE)
    chart = page.locator(b.CHART).first
    texts = chart.locator(".annotation-text").all_text_contents()  # SVG text: no innerText
    assert any(t.startswith("Source:") and ".txt" not in t for t in texts), texts  # sources by name
    assert (chart.locator(".gtitle").first.text_content() or "").startswith("Internet penetration")
    assert chart.locator(".legend .traces").count() >= 1
    chart.hover()
    with page.expect_download(timeout=b.ACTION_TIMEOUT_MS) as download:
        chart.locator('.modebar-btn[data-title="Download plot as a PNG"]').click()
    path = download.value.path()
    head = Path(path).read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    assert width > 300 and height > 300
    assert_clean(page, watch, "Compare countries (PNG export)")
