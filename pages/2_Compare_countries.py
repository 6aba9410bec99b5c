"""Compare countries: one indicator across the selected countries over time."""

import streamlit as st

from cadi import charts, official, query, ui

page = ui.start("Compare countries", "One indicator across the countries and regions selected in the sidebar.")
if ui.nothing_selected(page):
    st.stop()

counts = ui.store_counts(page)
indicators = query.indicators_present(counts, page.labels)
if ui.empty(counts, ui.widen_hint(page)):
    st.stop()
default = ui.DEFAULT_INDICATOR if ui.DEFAULT_INDICATOR in indicators else None
indicator = ui.choice("Indicator", indicators, "indicator", default)
label = indicators[indicator]
chosen = ui.selection(page, indicator=indicator)
shown = chosen.counts()
left, right = st.columns(2)
log_y = left.toggle("Log scale", key="compare_log", help="For figures that span several orders of magnitude.")
relative = right.toggle("Relative change", key="compare_relative",
                        help="Each series as an index, its first figure = 100: only series a line joins.")

for unit in query.usual_units(shown):
    same = chosen.where(unit=unit)
    points, note = same.points(charts.MAX_POINTS)
    points = query.with_sources(query.labelled(points, page.labels), ui.citations())
    documents = same.documents(top=ui.MAX_LISTED_SOURCES)  # for the caption: all the figures, dated or not
    source = ui.rows_source(points)  # the figure's source line: the documents of the figures drawn
    title = f"{label} ({unit})"
    if points.empty:
        st.info(f"No {ui.plain(label)} figure in {ui.plain(unit)} states a year, so none can be placed over time; "
                "they are listed below.")
    else:
        if unit == "rank":
            out_of = query.rank_of_text(points)
            fig = charts.ranking_chart(points, label, out_of, aggregated=note, source=source)
        else:
            fig = charts.time_series(points, "country", title, unit, aggregated=note, source=source,
                                     log_y=log_y and bool((points["value"] > 0).all()), relative=relative)
        official.decorate(fig, indicator, unit, page.filters.countries, page.catalog.countries)
        ui.show(fig, f"compare_{unit}", points, page.labels, [indicator], source, total=same.dated().count(),
                table=ui.chart_table(same, page.labels))
        ui.change_table(points, key=f"compare_change_{unit}")
    docs, n_docs = documents
    ui.sources_caption(points, None, unit, docs=docs, n_docs=n_docs, total=same.count(), charted=not points.empty)
    no_year = same.undated()
    ui.undated_note(query.labelled(no_year.take(limit=ui.CHART_TABLE_ROWS), page.labels), page.labels,
                    key=f"compare_undated_{unit}", total=no_year.count())

missing = [page.name(c) for c in page.filters.countries if c not in set(shown["country"].astype(str))]
if missing:
    st.caption(f"No {ui.plain(label)} figure in the selection for: {', '.join(missing)}.")
