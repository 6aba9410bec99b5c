"""Overview: what the data covers, a map of one indicator's latest values, and where reports are silent."""

import streamlit as st

from cadi import charts, data, query, ui

page = ui.start(
    "Central Asia Digital Indicators",
    "Figures that digital-development reports on Central Asia and the CAREC region state, each with its quote "
    "and source. Filters in the sidebar apply to every page.",
)
if ui.nothing_selected(page):
    st.stop()

# Counts come from the store's per-series, per-year aggregates: a filter change sums cells, not claims.
counts, summary = ui.store_summary(page)
if ui.empty(counts, ui.widen_hint(page)):
    st.stop()

cols = st.columns(5)
cols[0].metric("Claims", f"{summary['claims']:,}")
cols[1].metric("Countries", summary["countries"], help=f"plus {summary['regions']} region aggregate(s)")
cols[2].metric("Indicators", summary["indicators"])
cols[3].metric("Documents", summary["documents"])
years_text = f"{summary['year_min']}–{summary['year_max']}" if summary["year_min"] is not None else "none"
cols[4].metric("Years", years_text, help=f"{summary['undated']} figure(s) give no year")

left, right = st.columns([2, 1])
with right:
    ui.chart(charts.category_bars(query.claims_per_category(counts), charts.SITE), key="overview_categories")
    st.caption("Unit: claims (count) in the current selection.")
with left:
    indicators = query.indicators_by_reach(counts, page.labels)
    default = ui.DEFAULT_INDICATOR if ui.DEFAULT_INDICATOR in indicators else None
    indicator = ui.choice("Indicator on the map", indicators, "indicator", default)
    if indicator is None:
        st.info("The selection holds only region-wide figures, so there is nothing to map. Add countries.")
    else:
        unit = query.usual_unit(counts, indicator)  # one unit per map: the indicator's usual one
        # claim_type: the latest must be an actual figure, never a target or a forecast.
        columns = list(dict.fromkeys([*data.CHART_COLUMNS, "claim_type"]))
        chosen = ui.selection(page, columns=columns, indicator=indicator).where(unit=unit)
        years = {"latest": "Latest figure per country", **{str(y): str(y) for y in chosen.dated().years}}
        year = ui.choice("Year", years, "map_year", "latest")
        shown = chosen if year == "latest" else chosen.in_year(int(year))
        latest = query.with_sources(query.with_series_info(shown.latest(), "country", page.labels), ui.citations())
        source = ui.rows_source(latest)  # the documents of the figures drawn, not of every figure
        fig = charts.region_map(latest, data.map_shapes(), indicators[indicator], unit, page.filters.countries,
                                year=None if year == "latest" else int(year), source=source)
        ui.show(fig, "overview_map", latest, page.labels, [indicator], source)
        ui.regions_caption(latest, unit)
        ui.undated_caption(chosen, unit)
        ui.sources_caption(latest, None, unit)

st.subheader("Coverage: claims per country and indicator")
named = {code: page.name(code) for code in page.filters.countries}
ui.chart(charts.coverage_heatmap(query.coverage_matrix(counts, page.labels, named), source=charts.SITE),
         key="overview_coverage")
st.caption(
    "Each cell counts the figures the documents give; a grey cell means no report in the selection "
    "gives that figure for that country."
)
