"""Overview: what the data covers, a map of one indicator's latest values, and where reports are silent."""

import streamlit as st

from cadi import charts, data, filters, query, ui

page = ui.start(
    "Central Asia Digital Indicators",
    "Figures that digital-development reports on Central Asia and the CAREC region state, each with its quote "
    "and source. Filters in the sidebar apply to every page.",
)
if ui.nothing_selected(page):
    st.stop()

counts = filters.apply(ui.load(data.load_claims, columns=data.COUNT_COLUMNS), page.filters)
if ui.empty(counts, ui.widen_hint(page)):
    st.stop()

summary = query.summary(counts)
cols = st.columns(5)
cols[0].metric("Claims", f"{summary['claims']:,}")
cols[1].metric("Countries", summary["countries"], help=f"plus {summary['regions']} region aggregate(s)")
cols[2].metric("Indicators", summary["indicators"])
cols[3].metric("Documents", summary["documents"])
years = f"{summary['year_min']}–{summary['year_max']}" if summary["year_min"] is not None else "none"
cols[4].metric("Years", years, help=f"{summary['undated']} figure(s) give no year")

left, right = st.columns([2, 1])
with right:
    ui.chart(charts.category_bars(query.claims_per_category(counts)), key="overview_categories")
    st.caption("Unit: claims (count) in the current selection.")
with left:
    indicators = query.indicators_by_reach(counts, page.labels)
    default = ui.DEFAULT_INDICATOR if ui.DEFAULT_INDICATOR in indicators else None
    indicator = ui.choice("Indicator on the map", indicators, "indicator", default)
    if indicator is None:
        st.info("The selection holds only region-wide figures, so there is nothing to map. Add countries.")
    else:
        rows = filters.apply(
            ui.load(data.load_claims, columns=data.CHART_COLUMNS, where={"indicator": [indicator]}), page.filters
        )
        unit = rows["unit"].astype(str).mode().iloc[0]  # one unit per map: the indicator's usual one
        rows = rows[rows["unit"].astype(str) == unit]
        latest = query.with_series_info(query.latest_by_country(rows, indicator), "country", page.labels)
        fig = charts.region_map(latest, data.map_shapes(), indicators[indicator], unit, page.filters.countries)
        ui.chart(fig, key="overview_map")
        ui.regions_caption(latest, unit)
        ui.sources_caption(latest, ui.load(data.load_sources), unit)

st.subheader("Coverage: claims per country and indicator")
named = {code: page.name(code) for code in page.filters.countries}
ui.chart(charts.coverage_heatmap(query.coverage_matrix(counts, page.labels, named)), key="overview_coverage")
st.caption(
    "Each cell counts the figures the documents give; a grey cell means no report in the selection "
    "gives that figure for that country."
)
