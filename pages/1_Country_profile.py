"""Country profile: one country's figures by category, over time, each with its source."""

import streamlit as st

from cadi import aggregates, charts, data, query, ui

page = ui.start("Country profile", "Every figure the documents give for one country or region, by category.")
if ui.nothing_selected(page):
    st.stop()

names = {code: page.name(code) for code in page.filters.countries}
country = ui.choice("Country or region", names, "country")
# The country's claims sorted by series and year once per store version: each chart takes its cells.
rows = ui.load(data.load_rows, where={"country": [country]})
keep = aggregates.series_mask(rows.cube, page.filters, countries=False)
slots = aggregates.slot_mask(rows.cube.years, page.filters)
counts = aggregates.selected_counts(rows.cube, keep, slots)
if ui.empty(
    counts,
    f"The documents give no figures for {names[country]} in the selected categories and years. "
    "Pick another country, or add categories or widen the years in the sidebar.",
):
    st.stop()

sources = ui.load(data.source_titles)
n_docs = aggregates.doc_counts_of(rows, keep, slots, top=0)[1]
st.caption(
    f"{int(counts['n'].sum())} figure(s) on {counts['indicator'].nunique()} indicator(s) from {n_docs} document(s)."
)

for category, shown in query.top_indicators_by_category(counts).items():
    st.subheader(category.capitalize())
    if shown.note:
        st.caption(shown.note)
    part = keep & aggregates.series_of(rows, category=category, indicator=shown.indicators)
    key = f"profile_{category}"
    if category == "ranking":
        points, note = aggregates.points(rows, part, slots, charts.MAX_POINTS, "indicator label")
        points = query.labelled(points, page.labels)
        fig = charts.ranking_chart(points, f"{names[country]}: index positions", by="indicator_label",
                                   aggregated=note)
        ui.chart(fig, key=key)
    elif category == "investment":
        for unit in query.usual_units(counts[counts["category"] == category]):
            same = part & aggregates.series_of(rows, unit=unit)
            money = query.amount_rows(aggregates.top_values(rows, same, slots, charts.MAX_BARS), page.labels)
            fig = charts.amount_bars(money, unit, "Investments", total=aggregates.count(rows, same, slots))
            ui.chart(fig, key=f"{key}_{unit}")
    elif category == "budget":
        measured = part & aggregates.series_of(rows, indicator=query.budget_measure_indicators(shown.indicators))
        both, _ = query.budget_comparison(aggregates.take(rows, measured, slots))
        for unit in both["unit"].astype(str).unique():
            ui.chart(charts.budget_bars(both[both["unit"].astype(str) == unit]), key=f"{key}_{unit}")
    else:
        for unit in query.usual_units(counts[counts["category"] == category]):
            same = part & aggregates.series_of(rows, unit=unit)
            points, note = aggregates.points(rows, same, slots, charts.MAX_POINTS, "indicator")
            if len(points):
                fig = charts.time_series(
                    query.labelled(points, page.labels), "indicator",
                    f"{names[country]}: {category} ({unit})", unit, name_col="indicator_label", aggregated=note,
                )
                ui.chart(fig, key=f"{key}_{unit}")
    total = aggregates.count(rows, part, slots)
    first = query.labelled(aggregates.take(rows, part, slots, limit=ui.MAX_TABLE_ROWS), page.labels)
    units = ", ".join(sorted(query.usual_units(counts[counts["indicator"].isin(shown.indicators)])))
    docs, n_docs = aggregates.doc_counts_of(rows, part, slots, top=ui.MAX_LISTED_SOURCES)
    ui.sources_caption(first, sources, units, docs=docs, n_docs=n_docs, total=total)
    n_undated = aggregates.count(rows, part, aggregates.undated(slots))
    if category in ("ranking", "other") and n_undated:
        st.caption(f"{n_undated} figure(s) state no year, so they are not on the chart; the table below lists them.")
    with st.expander(f"The {total} {category} figure(s) with quotes"):
        ui.figures_table(first, page.labels, key=f"{key}_table", total=total)
