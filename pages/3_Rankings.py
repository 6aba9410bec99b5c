"""Rankings: positions in international indices over time, 1 at the top."""

import streamlit as st

from cadi import aggregates, charts, data, query, ui

page = ui.start("Rankings", "Positions in international indices as the documents report them. 1 is the top.")
if ui.nothing_selected(page):
    st.stop()
if "ranking" not in page.filters.categories:
    st.info("The category “ranking” is not selected. Add it in the sidebar to see index positions.")
    st.stop()

# The ranking claims sorted by series and year once per store version: each index's chart takes its cells.
rows = ui.load(data.load_rows, where={"category": ["ranking"]})
keep = aggregates.series_mask(rows.cube, page.filters)
slots = aggregates.slot_mask(rows.cube.years, page.filters)
counts = aggregates.selected_counts(rows.cube, keep, slots)
if ui.empty(counts, ui.widen_hint(page)):
    st.stop()

sources = ui.load(data.source_titles)
indices = query.ranking_indices(counts, page.labels)
chosen = st.multiselect(
    "Indices",
    list(indices),
    list(indices)[:6],
    format_func=indices.get,
    key="rank_indices",
    help="Indices with most figures first.",
)
for indicator in [i for i in chosen if i in indices]:
    label = page.labels.get(indicator, indicator)
    ranks = keep & aggregates.series_of(rows, indicator=indicator)
    out_of = query.rank_of_text(aggregates.take(rows, ranks, slots, columns=["rank_of"]))
    points, note = aggregates.points(rows, ranks, slots, charts.MAX_POINTS, "country name")
    st.subheader(ui.plain(label))
    if points.empty:
        st.info(f"No {ui.plain(label)} position states a year; they are listed below.")
    else:
        points = query.labelled(points, page.labels)
        ui.chart(charts.ranking_chart(points, label, out_of, aggregated=note), key=f"rank_{indicator}")
    st.caption(f"Rank {out_of}." if out_of else "The documents do not say how many countries this index ranks.")
    docs, n_docs = aggregates.doc_counts_of(rows, ranks, slots, top=ui.MAX_LISTED_SOURCES)
    ui.sources_caption(points, sources, "rank", docs=docs, n_docs=n_docs, total=aggregates.count(rows, ranks, slots))
    no_year = aggregates.take(rows, ranks, aggregates.undated(slots), limit=ui.MAX_TABLE_ROWS)
    ui.undated_note(query.labelled(no_year, page.labels), page.labels,
                    key=f"rank_undated_{indicator}", total=aggregates.count(rows, ranks, aggregates.undated(slots)))
