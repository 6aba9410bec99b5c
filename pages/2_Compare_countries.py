"""Compare countries: one indicator across the selected countries over time."""

import streamlit as st

from cadi import aggregates, charts, data, official, query, ui

page = ui.start("Compare countries", "One indicator across the countries and regions selected in the sidebar.")
if ui.nothing_selected(page):
    st.stop()

cube, _ = ui.load(data.store_index)
counts = aggregates.selected_counts(
    cube, aggregates.series_mask(cube, page.filters), aggregates.slot_mask(cube.years, page.filters)
)
indicators = query.indicators_present(counts, page.labels)
if ui.empty(counts, ui.widen_hint(page)):
    st.stop()
default = ui.DEFAULT_INDICATOR if ui.DEFAULT_INDICATOR in indicators else None
indicator = ui.choice("Indicator", indicators, "indicator", default)

# The indicator's claims sorted by series and year once per store version: the chart takes its cells.
rows = ui.load(data.load_rows, where={"indicator": [indicator]})
keep = aggregates.series_mask(rows.cube, page.filters)
slots = aggregates.slot_mask(rows.cube.years, page.filters)
undated_slot = aggregates.undated(slots)
shown = aggregates.selected_counts(rows.cube, keep, slots)
label = indicators[indicator]
sources = ui.load(data.source_titles)
for unit in query.usual_units(shown):
    same = keep & aggregates.series_of(rows, unit=unit)
    points, note = aggregates.points(rows, same, slots, charts.MAX_POINTS, "country")
    points = query.labelled(points, page.labels)
    if points.empty:
        st.info(f"No {ui.plain(label)} figure in {ui.plain(unit)} states a year, so none can be placed over time; "
                "they are listed below.")
    elif unit == "rank":
        out_of = query.rank_of_text(aggregates.take(rows, same, slots, columns=["rank_of"]))
        fig = charts.ranking_chart(points, label, out_of, aggregated=note)
        official.decorate(fig, indicator, unit, page.filters.countries, page.catalog.countries)
        ui.chart(fig, key=f"compare_{unit}")
    else:
        fig = charts.time_series(points, "country", f"{label} ({unit})", unit, aggregated=note)
        official.decorate(fig, indicator, unit, page.filters.countries, page.catalog.countries)
        ui.chart(fig, key=f"compare_{unit}")
    docs, n_docs = aggregates.doc_counts_of(rows, same, slots, top=ui.MAX_LISTED_SOURCES)
    ui.sources_caption(points, sources, unit, docs=docs, n_docs=n_docs, total=aggregates.count(rows, same, slots))
    no_year = aggregates.take(rows, same, undated_slot, limit=ui.MAX_TABLE_ROWS)
    ui.undated_note(query.labelled(no_year, page.labels), page.labels,
                    key=f"compare_undated_{unit}", total=aggregates.count(rows, same, undated_slot))

missing = [page.name(c) for c in page.filters.countries if c not in set(shown["country"].astype(str))]
if missing:
    st.caption(f"No {ui.plain(label)} figure in the selection for: {', '.join(missing)}.")
n_rows = int(shown["n"].sum())
with st.expander(f"All {n_rows} {ui.plain(label)} figure(s) with quotes"):
    first = aggregates.take(rows, keep, slots, limit=ui.MAX_TABLE_ROWS)
    ui.figures_table(query.labelled(first, page.labels), page.labels, key="compare_table",
                     total=n_rows)
