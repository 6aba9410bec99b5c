"""Small shared Streamlit helpers: page start, sidebar filters, URL params, empty states, captions.

The filters live in st.session_state (one Filters object, so they survive page
switches) and in the URL (so a copied link opens the same view). Query params
are cleared when the user moves to another page; they are written again from
session_state on every run.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cadi import aggregates, charts, data, export, filters, query
from cadi.filters import Filters
from etl.schema import CATEGORIES, REGIONS

STATE = "cadi_filters"
URL_STATE = "cadi_url_written"
PAGE_STATE = "cadi_page"
OPTIONS_STATE = "cadi_country_options"
W_COUNTRIES, W_CATEGORIES, W_YEARS, W_NO_YEAR = "f_countries", "f_categories", "f_years", "f_no_year"
MAX_LISTED_SOURCES = 6
MAX_TABLE_ROWS = 1000  # rows of a figures table sent to the browser; the explorer has them all
CHART_TABLE_ROWS = 100  # rows of a chart's Table tab and of its undated figures; the explorer has all
CHART_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


@dataclass(frozen=True)
class Page:
    """What every page gets from `start`: the filters, what the store holds and readable labels."""

    filters: Filters
    catalog: data.Catalog
    labels: dict[str, str]

    def name(self, code: str) -> str:
        return self.catalog.countries.get(code, REGIONS.get(code, code))



# What can start Markdown or HTML inside a line: emphasis, code, links and images, HTML tags, LaTeX
# ($), tables and autolinks (":" of "http://"). Hyphens and dots stay as they are, so "2019-2023" reads plainly.
DEFAULT_INDICATOR = "internet_penetration_pct"  # what the map and Compare open on

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]#!|<>~$:])")


def plain(text: str) -> str:
    """`text` from a document or a link, escaped so st.markdown / st.caption show it literally."""
    escaped = MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")
    # GFM turns bare addresses into links after unescaping: a zero-width space breaks them.
    return escaped.replace("\\://", "\\:\u200b//").replace("www.", "www\u200b.")


def article(noun: str) -> str:
    """ "an indicator", "a country": the article a reader expects before `noun`."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def plain_code(text: str) -> str:
    """`text` to show inside an inline code span: backticks cannot be escaped there, so drop them."""
    return str(text).replace("`", "'")


def _leave_pages_directory_mode() -> None:
    """Run through dashboard.py's navigation, even on a server's very first session.

    Streamlit treats an app with a pages/ folder as a folder app until dashboard.py calls st.navigation;
    a first visit to a page's URL after a server start runs that page alone and lists the folder,
    "dashboard" included, in the sidebar. One rerun through dashboard.py fixes both.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def start(title: str, intro: str = "") -> Page:
    """Set up a page: title, the data (or a sentence saying how to build it) and the sidebar filters."""
    _leave_pages_directory_mode()
    st.set_page_config(page_title=f"{title} · Central Asia Digital Indicators", layout="wide")
    st.title(title)
    if intro:
        st.caption(intro)
    try:
        catalog = data.catalog()
        labels = data.indicator_labels()
    except data.DataUnavailable as exc:
        explain_unavailable(exc)
        st.stop()
    if catalog.n_claims == 0:
        st.info(f"The processed store holds no claims yet. {data.REBUILD_HINT}")
        st.stop()
    return Page(sidebar_filters(catalog, page=title), catalog, labels)


def explain_unavailable(exc: data.DataUnavailable) -> None:
    """The plain sentence for a missing or unreadable store."""
    if exc.kind == "missing":
        st.info(str(exc))
    else:
        st.error(str(exc))


def load(fn: Callable, *args, **kwargs):
    """Call a cadi.data loader; on DataUnavailable say why (with the rebuild command) and stop the page."""
    try:
        return fn(*args, **kwargs)
    except data.DataUnavailable as exc:
        explain_unavailable(exc)
        st.stop()


# ---- shared filters ------------------------------------------------------------------------------


def _url_params(names: tuple[str, ...]) -> dict[str, str]:
    return {name: ",".join(st.query_params.get_all(name)) for name in names if name in st.query_params}


def _seed_widgets(current: Filters, defaults: Filters, force: bool) -> None:
    """Put `current` into the widget keys (before the widgets exist in this run) where missing or stale."""
    state = st.session_state
    options = set(st.session_state.get(OPTIONS_STATE, defaults.countries))
    if force or W_COUNTRIES not in state or not set(state[W_COUNTRIES]) <= options:
        state[W_COUNTRIES] = list(current.countries)
    if force or W_CATEGORIES not in state or not set(state[W_CATEGORIES]) <= set(defaults.categories):
        state[W_CATEGORIES] = list(current.categories)
    if defaults.year_min is not None and defaults.year_min < defaults.year_max:
        years = state.get(W_YEARS)
        valid = (
            isinstance(years, tuple | list)
            and len(years) == 2
            and defaults.year_min <= years[0] <= years[1] <= defaults.year_max
        )
        if force or not valid:
            state[W_YEARS] = (current.year_min, current.year_max)
    if force or W_NO_YEAR not in state:
        state[W_NO_YEAR] = current.include_no_year


def _reset(defaults: Filters) -> None:
    st.session_state[W_COUNTRIES] = list(defaults.countries)
    st.session_state[W_CATEGORIES] = list(defaults.categories)
    if defaults.year_min is not None:
        st.session_state[W_YEARS] = (defaults.year_min, defaults.year_max)
    st.session_state[W_NO_YEAR] = True


def sidebar_filters(catalog: data.Catalog, page: str = "") -> Filters:
    """The country, category and year filters in the sidebar, synced with session_state and the URL.

    On a page switch Streamlit gives the sidebar widgets fresh defaults, so the widgets
    are seeded again from the session's Filters whenever `page` differs from the last run's.
    """
    defaults = filters.default_filters(catalog.countries, catalog.year_min, catalog.year_max, catalog.categories)
    url = _url_params(filters.PARAMS)
    notes: list[str] = []
    options = tuple(catalog.countries)
    st.session_state[OPTIONS_STATE] = options
    current = filters.sanitize(st.session_state.get(STATE, defaults), defaults, options)
    from_link = bool(url) and url != st.session_state.get(URL_STATE)
    if from_link:  # a link was opened or the URL edited: it wins over the session's filters
        current, notes = filters.parse_query_params(url, defaults, options)
    new_page = st.session_state.get(PAGE_STATE) != page
    st.session_state[PAGE_STATE] = page
    _seed_widgets(current, defaults, force=from_link or new_page)

    side = st.sidebar
    side.header("Filters")
    countries = side.multiselect(
        "Countries and regions",
        list(catalog.countries),
        key=W_COUNTRIES,
        format_func=lambda code: f"{catalog.countries.get(code, code)} ({code})",
        help="Region aggregates (codes X…, WLD) are figures the reports give for a whole region.",
        placeholder="Choose countries",
    )
    categories = side.multiselect(
        "Categories", list(defaults.categories), key=W_CATEGORIES, placeholder="Choose categories"
    )
    if catalog.year_min is not None and catalog.year_min < catalog.year_max:
        year_min, year_max = side.slider("Years", catalog.year_min, catalog.year_max, key=W_YEARS, step=1)
    else:
        year_min, year_max = catalog.year_min, catalog.year_max
        side.caption(f"Years: {year_min if year_min is not None else 'none stated'}")
    include_no_year = side.checkbox(
        "Include figures with no stated year",
        key=W_NO_YEAR,
        help="Some reports give a figure without saying which year it is for.",
    )
    side.button("Reset filters", on_click=_reset, args=(defaults,), key="f_reset")
    for note in notes:
        side.info(plain(note))

    chosen = Filters(
        tuple(countries),
        tuple(c for c in CATEGORIES if c in categories),
        year_min,
        year_max,
        include_no_year,
    )
    st.session_state[STATE] = chosen
    _write_url(filters.to_query_params(chosen, defaults), filters.PARAMS)
    return chosen


def _write_url(wanted: Mapping[str, str], names: tuple[str, ...]) -> None:
    for name in names:
        if name in wanted:
            if st.query_params.get(name) != wanted[name]:
                st.query_params[name] = wanted[name]
        elif name in st.query_params:
            del st.query_params[name]
    st.session_state[URL_STATE] = dict(wanted)


def choice(label: str, options: Mapping[str, str], param: str, default: str | None = None, where=st) -> str | None:
    """A selectbox for a page's own choice (indicator, country, document), kept in the URL as `param`.

    An unknown value in the URL is ignored with a caption; the choice is remembered
    in session_state when the reader leaves the page and comes back.
    """
    if not options:
        return None
    key, keep, seen = f"p_{param}", f"p_{param}__keep", f"p_{param}__url"
    state = st.session_state
    raw = st.query_params.get(param)
    if raw is not None and raw != state.get(seen):
        if raw in options:
            state[keep] = raw
        else:
            where.caption(
                f"Ignored “{plain(raw[:60])}” from the link: not {article(label.lower())} in the current selection."
            )
    # `keep` is what the reader last chose (or the link named): shown whenever the options hold it, and
    # never overwritten by a fallback, so a passing selection without it does not lose the choice.
    wanted = state.get(keep, default)
    if wanted in options:
        state[key] = wanted
    elif state.get(key) not in options:
        state[key] = default if default in options else next(iter(options))

    def chosen() -> None:
        state[keep] = state[key]

    value = where.selectbox(label, list(options), format_func=lambda v: options.get(v, v), key=key, on_change=chosen)
    state[seen] = value
    if st.query_params.get(param) != value:
        st.query_params[param] = value
    return value


def choices(label: str, options: Mapping[str, str], param: str, default: list[str], where=st, **kwargs) -> list[str]:
    """A multiselect for a page's own choices, kept in the URL as `param` (comma-separated) and in the session."""
    key, seen = f"p_{param}", f"p_{param}__url"
    state = st.session_state
    raw = st.query_params.get(param)
    if raw is not None and raw != state.get(seen):
        asked = [v for v in raw.split(",") if v]
        state[key] = [v for v in asked if v in options]
        unknown = [v for v in asked if v not in options]
        if unknown:
            where.caption(f"Ignored from the link: {plain(', '.join(unknown)[:80])}.")
    if key not in state or not isinstance(state[key], list):
        state[key] = [v for v in default if v in options]
    state[key] = [v for v in state[key] if v in options]
    values = where.multiselect(label, list(options), format_func=lambda v: options.get(v, v), key=key, **kwargs)
    text = ",".join(values)
    state[seen] = text
    if st.query_params.get(param) != text:
        st.query_params[param] = text
    return values


def page_number(n_pages: int, key: str, label: str = "Page", where=st) -> int:
    """A page picker (1..n_pages; shown only with several pages) whose value survives a shorter result."""
    if n_pages <= 1:
        return 1
    state = st.session_state
    if not isinstance(state.get(key), int) or not 1 <= state[key] <= n_pages:
        state[key] = min(max(int(state.get(key) or 1), 1), n_pages)  # e.g. page 9 of a selection now 3 pages long
    # A fixed label: the widget keeps its identity (and value) when the number of pages changes.
    return int(where.number_input(label, 1, n_pages, key=key, step=1, help="The caption says how many pages."))


def remembered(param: str) -> list[str]:
    """The values of `choice`'s `param` that the link or the session names (to offer them among the options)."""
    state = st.session_state
    values = [st.query_params.get(param), state.get(f"p_{param}"), state.get(f"p_{param}__keep")]
    return list(dict.fromkeys(str(v) for v in values if v))


def text_param(label: str, param: str, placeholder: str = "", where=st) -> str:
    """A text box kept in the URL as `param` (cut to 200 characters)."""
    key, seen = f"p_{param}", f"p_{param}__url"
    state = st.session_state
    raw = st.query_params.get(param)
    if raw is not None and raw != state.get(seen):
        state[key] = raw[:200]
    value = where.text_input(label, key=key, placeholder=placeholder, max_chars=200)
    state[seen] = value
    if value:
        if st.query_params.get(param) != value:
            st.query_params[param] = value
    elif param in st.query_params:
        del st.query_params[param]
    return value


# ---- empty states, captions, tables --------------------------------------------------------------


def nothing_selected(page: Page) -> bool:
    """Say what to do when the sidebar selects nothing; True if so."""
    if not page.filters.countries:
        st.info("No country is selected. Choose one or more countries or regions in the sidebar.")
        return True
    if not page.filters.categories:
        st.info("No category is selected. Choose at least one category in the sidebar.")
        return True
    return False


def empty(rows: pd.DataFrame, sentence: str) -> bool:
    """Show `sentence` (what to do) when `rows` is empty; True if so."""
    if rows.empty:
        st.info(sentence)
        return True
    return False


def widen_hint(page: Page) -> str:
    years = f"{page.filters.year_min}–{page.filters.year_max}" if page.filters.year_min is not None else ""
    return (
        f"No figures match the sidebar ({filters.describe(page.filters, page.catalog.countries)}). "
        f"Add countries or categories, or widen the years{f' ({years})' if years else ''}."
    )


def store_counts(page: Page) -> pd.DataFrame:
    """Claims per series of the whole store under the sidebar filters (from the store's pre-aggregates)."""
    cube, _ = load(data.store_index)
    return aggregates.selected_counts(
        cube, aggregates.series_mask(cube, page.filters), aggregates.slot_mask(cube.years, page.filters)
    )


def store_summary(page: Page) -> tuple[pd.DataFrame, dict]:
    """(claims per series, the overview's figures: claims, countries, years, documents) under the filters."""
    cube, docs = load(data.store_index)
    keep, slots = aggregates.series_mask(cube, page.filters), aggregates.slot_mask(cube.years, page.filters)
    counts = aggregates.selected_counts(cube, keep, slots)
    years, undated = aggregates.year_totals(cube, keep, slots)
    n_docs = int((aggregates.doc_counts(docs, keep, slots) > 0).sum())
    return counts, aggregates.summary(counts, years, undated, n_docs)


def doc_counts(page: Page, docs: list[str]) -> pd.Series:
    """Claims under the filters per document of `docs` (sorted names), from the store's per-document codes."""
    cube, index = load(data.store_index)
    return aggregates.doc_counts(index, aggregates.series_mask(cube, page.filters),
                                 aggregates.slot_mask(cube.years, page.filters), docs)


def selection(page: Page, *, countries: bool = True, columns=None, **where) -> query.Selection:
    """The sidebar's selection of the claims whose columns take these values (pushed down to the read)."""
    rows = load(data.load_rows, columns=columns, where={k: [v] if isinstance(v, str) else list(v)
                                                         for k, v in where.items()})
    return query.Selection.of(rows, page.filters, countries=countries)


def chart(fig: go.Figure, key: str) -> None:
    st.plotly_chart(fig, width="stretch", config=CHART_CONFIG, key=key)


def sources_caption(
    rows: pd.DataFrame,
    sources: object = None,
    unit: str | None = None,
    *,
    docs: pd.Series | None = None,
    n_docs: int | None = None,
    total: int | None = None,
    charted: bool = True,
) -> None:
    """A caption naming the unit and the documents the figures come from, by title, publisher and year.

    `docs` (claims per document, most first), `n_docs` (how many documents) and `total` describe all the
    figures when `rows` holds only those drawn (Selection.documents / Selection.count). `charted`: whether
    a chart stands above (only then does the caption invite a hover). `sources` is not used: kept for callers.
    """
    if rows.empty and not total:
        return
    listed = (docs if docs is not None else rows["doc"].astype(str).value_counts()).index.tolist()
    cited = citations()
    named = [plain(cited.short.get(d, d)) for d in listed[:MAX_LISTED_SOURCES]]
    n_docs = n_docs if n_docs is not None else len(listed)
    more = f" and {n_docs - MAX_LISTED_SOURCES} more" if n_docs > MAX_LISTED_SOURCES else ""
    units = unit or ", ".join(sorted(rows["unit"].astype(str).unique()))
    n = total if total is not None else len(rows)
    hint = " Hover a point for its quote and source." if charted else ""
    st.caption(f"Unit: {plain(units)}. {n:,} figure(s) from {n_docs} document(s): {'; '.join(named)}{more}.{hint}")


def figures_table(
    rows: pd.DataFrame, labels: Mapping[str, str], key: str, total: int | None = None, max_rows: int = 0
) -> None:
    """The figures behind a chart: value as written, year, document and quote on every row.

    `total`: how many figures there are when `rows` holds only the first ones (aggregates.take).
    """
    if rows.empty:
        return
    note = ""
    total = max(total or 0, len(rows))
    limit = max_rows or MAX_TABLE_ROWS
    if total > min(len(rows), limit):
        rows = rows.head(limit)
        note = f"First {len(rows):,} of {total:,} figures; the Data explorer lists and downloads them all."
    table = readable(reader_table(rows, labels))
    st.dataframe(
        table,
        hide_index=True,
        key=key,
        column_config={
            "year": st.column_config.TextColumn("year") if table["year"].dtype == object
            else st.column_config.NumberColumn(format="%d"),
            "quote": st.column_config.TextColumn(width="large"),
            "url": st.column_config.LinkColumn("url"),
        },
    )
    if note:
        st.caption(note)


def reader_table(rows: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    """The figures as a reader reads them: value with unit, year, claim type, source by name, plain quote."""
    rows = query.with_sources(rows, citations())
    rank_of = rows["rank_of"] if "rank_of" in rows else pd.Series(None, index=rows.index)

    def text(column: str) -> pd.Series:
        if column not in rows:
            return pd.Series("", index=rows.index)
        return rows[column].astype(object).where(rows[column].notna(), "").astype(str)

    return pd.DataFrame(
        {
            "country": rows["country_name"].astype(str),
            "indicator": rows["indicator"].astype(str).map(lambda i: labels.get(i, i)),
            "value": [
                charts.format_value(v, str(u), str(c), r)
                for v, u, c, r in zip(rows["value"], rows["unit"], rows["comparator"], rank_of, strict=True)
            ],
            "year": rows["year"],
            "type": query.claim_type(rows).to_numpy(),
            "subject": text("subject"),
            "as written": text("as_written").map(charts.reader_text),
            "source": text("title").where(text("title") != "", rows["doc"].astype(str)),
            "publisher": text("publisher"),
            "published": text("published"),
            "url": rows["url"].astype(object).where(rows["url"].notna(), None),
            "quote": text("quote").map(charts.reader_text),
        }
    )


def undated_note(rows: pd.DataFrame, labels: Mapping[str, str], key: str, total: int | None = None) -> None:
    """Figures without a year cannot sit on a time axis: say how many and list them (`total`: see figures_table)."""
    if rows.empty:
        return
    n = max(total or 0, len(rows))
    with st.expander(f"{n} figure(s) with no stated year (not on the chart)"):
        figures_table(rows, labels, key, total=n, max_rows=CHART_TABLE_ROWS)


def regions_caption(latest: pd.DataFrame, unit: str) -> None:
    """Region aggregates have no outline on the map: give their values in a caption."""
    regional = latest[latest["country"].astype(str).isin(list(REGIONS))]
    if regional.empty:
        return
    parts = [
        f"{name}: {charts.format_value(v, unit, str(c))} ({'no year' if pd.isna(y) else int(y)})"
        for name, v, c, y in zip(
            regional["country_name"].astype(str),
            regional["value"],
            regional["comparator"],
            regional["year"],
            strict=True,
        )
    ]
    st.caption("Region figures (not on the map): " + "; ".join(parts) + ".")


MAX_DOCUMENT_CHARS = 300_000


def document_html(text: str, claims: pd.DataFrame, labels: Mapping[str, str]) -> str:
    """A document as escaped text, its claims' figures in <mark>: safe for st.markdown(unsafe_allow_html=True)."""
    note = ""
    if len(text) > MAX_DOCUMENT_CHARS:
        note = f"<p><em>The first {MAX_DOCUMENT_CHARS:,} of {len(text):,} characters.</em></p>"
        text = text[:MAX_DOCUMENT_CHARS]
    spans = [
        (int(s), int(e), f"{labels.get(str(i), str(i))}: {charts.format_value(v, str(u), str(c))}")
        for s, e, i, v, u, c in zip(
            claims["char_start"],
            claims["char_end"],
            claims["indicator"],
            claims["value"],
            claims["unit"],
            claims["comparator"],
            strict=True,
        )
    ]
    # No raw newlines: a blank line would end the HTML block and hand the rest to the Markdown parser.
    body = query.highlight_html(text, spans).replace("\r\n", "\n").replace("\n", "<br>")
    style = (
        "white-space: pre-wrap; overflow-wrap: anywhere; font-family: monospace; font-size: 0.85rem; "
        "max-height: 600px; overflow-y: auto; "
        "background: #fafafa; border: 1px solid #ddd; border-radius: 6px; padding: 1rem;"
    )
    return f'{note}<div class="cadi-document" style="{style}">{body}</div>'


# ---- sources, definitions, citing: around every chart --------------------------------------------

METHOD = (
    "**How these figures were made.** Each figure is read by the project's extractor from the sentence, list "
    "item or table row quoted with it, in the report named as its source; nothing is estimated or converted. "
    "Values are fully scaled (\\$1.2 billion is 1,200,000,000) and keep the unit and currency the report uses. "
    "The year is the one the sentence states, else one inferred from its paragraph or the report's date "
    "(*year basis*). Words such as *more than* or *under* are kept as a bound, not a point. Targets and "
    "forecasts are told apart from actual figures. A reviewed curation file corrects, drops or adds claims."
)


def citations() -> query.Citations:
    """Every document's citation (title, publisher, date, url), built once per store version."""
    return _cached_citations(load(data.store_version))


@st.cache_resource(max_entries=2, show_spinner=False)
def _cached_citations(version: data.Version) -> query.Citations:
    return query.citations(data.load_sources())


def definitions() -> pd.DataFrame:
    """The indicator catalogue (id, label, category, unit, definition) indexed by id."""
    return load(data.load_indicators).set_index("id")


def source_text(selection: query.Selection, documents: tuple[pd.Series, int] | None = None) -> str:
    """The source line of a chart of `selection`: its documents by name, most figures first.

    `documents`: the selection's (claims per document, how many), when the page has them already.
    """
    docs, n_docs = documents or selection.documents(top=charts.MAX_SOURCE_NAMES)
    return query.source_line(docs.index, citations(), n_docs, charts.MAX_SOURCE_NAMES)


def rows_source(rows: pd.DataFrame) -> str:
    """The source line of a chart that draws exactly `rows` (a map's latest figures, a few bars)."""
    docs = rows["doc"].astype(str).value_counts() if len(rows) else pd.Series(dtype="int64")
    return query.source_line(docs.index, citations(), len(docs), charts.MAX_SOURCE_NAMES)


def chart_table(selection: query.Selection, labels: Mapping[str, str]) -> pd.DataFrame:
    """The first dated figures of a chart's selection, for its Table tab (all of them, not only those drawn)."""
    return query.labelled(selection.dated().take(limit=CHART_TABLE_ROWS), labels)


def cite_text(title: str, source: str) -> str:
    """How to cite a chart: its title, sources, this site and the date, and the page's link when known."""
    try:
        link = st.context.url or ""
    except AttributeError:  # an older Streamlit: no link
        link = ""
    today = pd.Timestamp.now(tz="UTC").strftime("%-d %B %Y")
    return f"“{title}”. Data from: {source.removesuffix(' Compiled by Central Asia Digital Indicators.')} " \
        f"Central Asia Digital Indicators, retrieved {today}.{f' {link}' if link else ''}"


def about_data(indicators: list[str], labels: Mapping[str, str]) -> None:
    """Each indicator's definition and unit, and how the figures were made (in an expander)."""
    catalogue = definitions()
    for indicator in indicators:
        label = labels.get(indicator, indicator.replace("_", " "))
        if indicator in catalogue.index:
            row = catalogue.loc[indicator]
            st.markdown(f"**{plain(label)}** ({plain(row['category'])}, usually in {plain(row['unit'])}): "
                        f"{plain(row['definition'])}")
        else:
            st.markdown(f"**{plain(label)}**: no definition in the indicator catalogue.")
    st.markdown(METHOD)


def show(
    fig: go.Figure,
    key: str,
    rows: pd.DataFrame,
    labels: Mapping[str, str],
    indicators: list[str] | tuple[str, ...] = (),
    source: str = "",
    total: int | None = None,
    table: pd.DataFrame | None = None,
) -> None:
    """A chart as a reader can check and cite it: Chart | Table tabs, the data as CSV, cite this, about this data.

    `rows`: the figures the chart draws (its CSV); `table`: the first figures behind it (default `rows`),
    `total` of them in all. The Table tab shows at most CHART_TABLE_ROWS rows: a page holds many charts.
    """
    chart_tab, table_tab = st.tabs(["Chart", "Table"])
    with chart_tab:
        chart(charts.year_axis(fig), key)
    with table_tab:
        figures_table(rows if table is None else table, labels, key=f"{key}_table", total=total,
                      max_rows=CHART_TABLE_ROWS)
        # Built when clicked, not on every rerun: the figures the chart draws, with their sources.
        st.download_button("Download this chart's data (CSV)",
                           lambda: export.to_csv_bytes(reader_table(rows, labels)),
                           f"{key}.csv", "text/csv", key=f"{key}_csv", on_click="ignore")
    title = fig.layout.title.text or key
    with st.expander("About this data · cite this"):
        about_data(list(indicators), labels)
        if source:
            st.markdown("**Cite this chart**")
            st.code(cite_text(html.unescape(title), html.unescape(source)), language=None, wrap_lines=True)


def change_table(points: pd.DataFrame, key: str) -> None:
    """A start–end change table for two years the reader picks (default: the first and last drawn)."""
    years = sorted({int(y) for y in points["year"].dropna()})
    if len(years) < 2:
        return
    with st.expander("Change between two years"):
        left, right = st.columns(2)
        start = left.selectbox("From", years, index=0, key=f"{key}_from")
        end = right.selectbox("To", years, index=len(years) - 1, key=f"{key}_to")
        table = query.start_end_changes(points, int(start), int(end))
        if table.empty:
            st.caption(f"No series gives one actual figure for both {start} and {end}: no change can be told "
                       "without joining unrelated figures.")
        else:
            st.dataframe(table, hide_index=True, key=f"{key}_table")
            st.caption("Only series (same country, indicator, unit and subject) with one actual figure in both "
                       "years are listed.")


TABLE_HEIGHT = 640  # about 17 rows: a table a reader can scan without paging the grid


def readable(table: pd.DataFrame) -> pd.DataFrame:
    """`table` for the grid: empty text cells blank (not "None"), quotes and figures without Markdown syntax."""
    out = table.copy()
    for name in out.columns:
        column = out[name]
        whole = pd.api.types.is_integer_dtype(column) or (
            pd.api.types.is_float_dtype(column) and bool((column.dropna() % 1 == 0).all()))
        if whole and column.isna().any():
            # Whole numbers with gaps (year, out of): text, so a gap reads blank, not "None".
            out[name] = column.astype(object).map(lambda v: "" if pd.isna(v) else str(int(v)))
            continue
        if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
            continue
        text = column.astype(object).where(column.notna(), "").astype(str)
        out[name] = text.map(charts.reader_text) if name in ("quote", "as_written") else text
    return out


MAX_UNDATED_NAMED = 8


def undated_caption(selection: query.Selection, unit: str, where: str = "the map") -> None:
    """The figures a chart leaves out because they state no year, named so a reader knows they exist."""
    undated = selection.undated()
    n = undated.count()
    if not n:
        return
    rows = undated.take(limit=MAX_UNDATED_NAMED)
    named = [f"{plain(str(c))} {plain(charts.format_value(v, unit, str(k)))}"
             for c, v, k in zip(rows["country_name"], rows["value"], rows["comparator"], strict=True)]
    more = f" and {n - len(named)} more" if n > len(named) else ""
    st.caption(f"Figures with no stated year, so never the latest and not on {where}: {'; '.join(named)}{more}.")
