"""Compare countries: one indicator across the selected countries over time."""

import streamlit as st

from cadi import charts, data, filters, query, ui

page = ui.start("Compare countries", "One indicator across the countries and regions selected in the sidebar.")
if ui.nothing_selected(page):
    st.stop()

counts = filters.apply(ui.load(data.load_claims, columns=data.COUNT_COLUMNS), page.filters)
indicators = query.indicators_present(counts, page.labels)
if ui.empty(counts, ui.widen_hint(page)):
    st.stop()
default = ui.DEFAULT_INDICATOR if ui.DEFAULT_INDICATOR in indicators else None
indicator = ui.choice("Indicator", indicators, "indicator", default)

rows = query.indicator_rows(
    filters.apply(ui.load(data.load_claims, where={"indicator": [indicator]}), page.filters), indicator, page.labels
)
label = indicators[indicator]
sources = ui.load(data.load_sources)
for unit in rows["unit"].astype(str).value_counts().index:
    same = rows[rows["unit"].astype(str) == unit]
    if query.dated(same).empty:
        st.info(f"No {ui.plain(label)} figure in {ui.plain(unit)} states a year, so none can be placed over time; "
                "they are listed below.")
    elif unit == "rank":
        ui.chart(charts.ranking_chart(same, label, query.rank_of_text(same)), key=f"compare_{unit}")
    else:
        ui.chart(charts.time_series(same, "country", f"{label} ({unit})", unit), key=f"compare_{unit}")
    ui.sources_caption(same, sources, unit)
    ui.undated_note(query.undated(same), page.labels, key=f"compare_undated_{unit}")

missing = [page.name(c) for c in page.filters.countries if c not in set(rows["country"].astype(str))]
if missing:
    st.caption(f"No {ui.plain(label)} figure in the selection for: {', '.join(missing)}.")
with st.expander(f"All {len(rows)} {ui.plain(label)} figure(s) with quotes"):
    ui.figures_table(rows, page.labels, key="compare_table")
