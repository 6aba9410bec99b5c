"""Rankings: positions in international indices over time, 1 at the top, one bump chart per index."""

import streamlit as st

from cadi import charts, official, query, ui

page = ui.start("Rankings", "Positions in international indices as the documents report them. 1 is the top.")
if ui.nothing_selected(page):
    st.stop()
if "ranking" not in page.filters.categories:
    st.info("The category “ranking” is not selected. Add it in the sidebar to see index positions.")
    st.stop()

ranked = ui.selection(page, category="ranking")
counts = ranked.counts()
if ui.empty(counts, ui.widen_hint(page)):
    st.stop()

cited = ui.citations()
indices = query.ranking_indices(counts, page.labels)
chosen = ui.choices("Indices", indices, "indices", list(indices)[:6], help="Indices with most figures first.")
for indicator in chosen:
    label = page.labels.get(indicator, indicator)
    ranks = ranked.where(indicator=indicator)
    points, note = ranks.points(charts.MAX_POINTS)
    out_of = query.rank_of_text(points)
    documents = ranks.documents(top=ui.MAX_LISTED_SOURCES)  # for the caption: all the figures, dated or not
    source = ui.rows_source(points)  # the figure's source line: the documents of the figures drawn
    st.subheader(ui.plain(label))
    if points.empty:
        st.info(f"No {ui.plain(label)} position states a year; they are listed below.")
    else:
        points = query.with_sources(query.labelled(points, page.labels), cited)
        fig = charts.ranking_chart(points, label, out_of, aggregated=note, source=source)
        official.decorate(fig, indicator, "rank", page.filters.countries, page.catalog.countries)
        ui.show(fig, f"rank_{indicator}", points, page.labels, [indicator], source, total=ranks.dated().count(),
                table=ui.chart_table(ranks, page.labels))
    st.caption(f"Rank {out_of}; hovers give each position's percentile (top x%)." if out_of
               else "The documents do not say how many countries this index ranks.")
    docs, n_docs = documents
    ui.sources_caption(points, None, "rank", docs=docs, n_docs=n_docs, total=ranks.count(),
                       charted=not points.empty)
    no_year = ranks.undated()
    ui.undated_note(query.labelled(no_year.take(limit=ui.CHART_TABLE_ROWS), page.labels), page.labels,
                    key=f"rank_undated_{indicator}", total=no_year.count())
