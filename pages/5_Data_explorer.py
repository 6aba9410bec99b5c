"""Data explorer: the filtered claims as a searchable, sortable table, page by page, with CSV downloads."""

import streamlit as st

from cadi import data, export, query, ui

PAGE_ROWS = 1000  # rows sent to the browser per page; the CSV holds every match

page = ui.start("Data explorer", "Every claim the sidebar selects, with its quote and source. Click a header to sort.")
if ui.nothing_selected(page):
    st.stop()

claims = ui.load(data.load_claims)
titles = ui.load(data.source_titles)
search = ui.text_param("Search quotes, documents, countries, indicators", "q", "e.g. broadband 2023")
# A search reads every selected claim's text, only when asked for; else the count comes from the store's
# aggregates and only the page's rows are looked up.
n_matches = query.search_rows(claims, page.filters, search, titles, limit=0)[1] if search.strip() \
    else int(ui.store_counts(page)["n"].sum())
n_pages = max(1, -(-n_matches // PAGE_ROWS))
first = (ui.page_number(n_pages, "explorer_page") - 1) * PAGE_ROWS
if search.strip():
    rows, _ = query.search_rows(claims, page.filters, search, titles, limit=PAGE_ROWS, offset=first)
else:
    rows = query.filtered_page(claims, page.filters, first, first + PAGE_ROWS)
shown = query.explorer_table(rows, ui.citations(), page.labels)
if ui.empty(shown, f"No claim contains “{search}”. Try fewer words." if search else ui.widen_hint(page)):
    st.stop()

on_page = f"; page {first // PAGE_ROWS + 1:,} of {n_pages:,} holds rows {first + 1:,}–{first + len(shown):,}" \
    if n_pages > 1 else ""
st.caption(f"{n_matches:,} claim(s) shown{on_page}. Units are in the unit column; `comparator` is = > < or ~.")
table = ui.readable(shown)
st.dataframe(
    table,
    hide_index=True,
    key="explorer_table",
    height=ui.TABLE_HEIGHT,
    column_config={
        "country_name": "country",
        "indicator_label": "indicator",
        "year": st.column_config.TextColumn("year") if table["year"].dtype == object
        else st.column_config.NumberColumn(format="%d"),
        # Wide enough for 1,000,000,000: the grid sizes columns from the first rows otherwise.
        "value": st.column_config.NumberColumn(format="localized", width="medium"),
        "as_written": "as written",
        "rank_of": st.column_config.TextColumn("out of") if table["rank_of"].dtype == object
        else st.column_config.NumberColumn("out of", format="%d"),
        "quote": st.column_config.TextColumn(width="large"),
        "title": "source title",
        "claim_type": "claim type",
        "url": st.column_config.LinkColumn("url"),
    },
)

chosen, labels = page.filters, page.labels


def selected_rows():
    everything = data.load_claims()
    matched, _ = query.search_rows(everything, chosen, search, titles, limit=len(everything))
    return query.explorer_table(matched, data.load_sources(), labels)


def whole_dataset():
    return query.explorer_table(data.load_claims(), data.load_sources(), labels)


# Files are built when clicked (Streamlit calls these then, outside the script run), never on a rerun;
# on_click="ignore": no rerun on click, which would revoke the file being built (Streamlit 1.67).
left, middle, right = st.columns(3)
every = f", all {n_matches:,}" if n_pages > 1 else ""
left.download_button(f"Download these rows (CSV{every})", lambda: export.to_csv_bytes(selected_rows()),
                     "cadi_claims_selection.csv", "text/csv", key="download_shown", on_click="ignore")
middle.download_button(f"Download these rows (Parquet{every})", lambda: export.to_parquet_bytes(selected_rows()),
                       "cadi_claims_selection.parquet", "application/vnd.apache.parquet", key="download_parquet",
                       on_click="ignore")
right.download_button(f"Download the whole dataset ({page.catalog.n_claims:,} claims, CSV)",
                      lambda: export.to_csv_bytes(whole_dataset()), "cadi_claims_all.csv", "text/csv",
                      key="download_all", on_click="ignore")
