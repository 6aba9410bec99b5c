"""Rankings: positions in international indices over time, 1 at the top."""

import streamlit as st

from cadi import charts, data, filters, query, ui

page = ui.start("Rankings", "Positions in international indices as the documents report them. 1 is the top.")
if ui.nothing_selected(page):
    st.stop()
if "ranking" not in page.filters.categories:
    st.info("The category “ranking” is not selected. Add it in the sidebar to see index positions.")
    st.stop()

rows = filters.apply(ui.load(data.load_claims, where={"category": ["ranking"]}), page.filters)
if ui.empty(rows, ui.widen_hint(page)):
    st.stop()

sources = ui.load(data.load_sources)
indices = query.ranking_indices(rows, page.labels)
chosen = st.multiselect(
    "Indices",
    list(indices),
    list(indices)[:6],
    format_func=indices.get,
    key="rank_indices",
    help="Indices with most figures first.",
)
for indicator, ranks in query.ranking_rows(rows, page.labels, chosen).items():
    label = page.labels.get(indicator, indicator)
    out_of = query.rank_of_text(ranks)
    st.subheader(ui.plain(label))
    if query.dated(ranks).empty:
        st.info(f"No {ui.plain(label)} position states a year; they are listed below.")
    else:
        ui.chart(charts.ranking_chart(ranks, label, out_of), key=f"rank_{indicator}")
    st.caption(f"Rank {out_of}." if out_of else "The documents do not say how many countries this index ranks.")
    ui.sources_caption(ranks, sources, "rank")
    ui.undated_note(query.undated(ranks), page.labels, key=f"rank_undated_{indicator}")
