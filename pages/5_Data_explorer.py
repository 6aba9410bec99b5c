"""Data explorer: the filtered claims as a searchable, sortable table, with CSV downloads."""

import streamlit as st

from cadi import data, export, filters, query, ui

page = ui.start("Data explorer", "Every claim the sidebar selects, with its quote and source. Click a header to sort.")
if ui.nothing_selected(page):
    st.stop()

claims = ui.load(data.load_claims)
sources = ui.load(data.load_sources)
titles = dict(zip(sources["doc"].astype(str), sources["title"], strict=True))
search = ui.text_param("Search quotes, documents, countries, indicators", "q", "e.g. broadband 2023")
rows, n_matches = query.explorer_rows(claims, filters.mask(claims, page.filters), search, titles)
shown = query.explorer_table(rows, sources, page.labels)
if ui.empty(shown, f"No claim contains “{search}”. Try fewer words." if search else ui.widen_hint(page)):
    st.stop()

capped = f" (the first {len(shown):,} of {n_matches:,} matches)" if len(shown) < n_matches else ""
st.caption(f"{len(shown):,} claim(s) shown{capped}. Units are in the unit column; `comparator` is = > < or ~.")
st.dataframe(
    shown,
    hide_index=True,
    key="explorer_table",
    column_config={
        "country_name": "country",
        "indicator_label": "indicator",
        "year": st.column_config.NumberColumn(format="%d"),
        # Wide enough for 1,000,000,000: the grid sizes columns from the first rows otherwise.
        "value": st.column_config.NumberColumn(format="localized", width="medium"),
        "as_written": "as written",
        "rank_of": st.column_config.NumberColumn("out of", format="%d"),
        "quote": st.column_config.TextColumn(width="large"),
        "title": "source title",
    },
)


def whole_dataset() -> bytes:
    everything = data.load_claims()
    return export.to_csv_bytes(query.explorer_table(everything, data.load_sources(), page.labels))


left, right = st.columns(2)
left.download_button(
    "Download these rows (CSV)",
    export.to_csv_bytes(shown),  # at most MAX_TABLE_ROWS rows: built eagerly, always ready to click
    "cadi_claims_selection.csv",
    "text/csv",
    key="download_shown",
)
right.download_button(
    f"Download the whole dataset ({page.catalog.n_claims:,} claims, CSV)",
    whole_dataset,
    "cadi_claims_all.csv",
    "text/csv",
    key="download_all",
)
