"""Country profile: one country's figures by category, over time, each with its source."""

import streamlit as st

from cadi import charts, data, filters, query, ui

page = ui.start("Country profile", "Every figure the documents give for one country or region, by category.")
if ui.nothing_selected(page):
    st.stop()

names = {code: page.name(code) for code in page.filters.countries}
country = ui.choice("Country or region", names, "country")
rows = filters.apply(ui.load(data.load_claims, where={"country": [country]}), page.filters, countries=False)
if ui.empty(
    rows,
    f"The documents give no figures for {names[country]} in the selected categories and years. "
    "Pick another country, or add categories or widen the years in the sidebar.",
):
    st.stop()

sources = ui.load(data.load_sources)
summary = query.summary(rows)
st.caption(
    f"{summary['claims']} figure(s) on {summary['indicators']} indicator(s) from {summary['documents']} document(s)."
)

for category, everything in query.by_category(rows, page.labels).items():
    st.subheader(category.capitalize())
    part, note = query.top_indicators(everything)
    if note:
        st.caption(note)
    key = f"profile_{category}"
    if category == "ranking":
        fig = charts.ranking_chart(part, f"{names[country]}: index positions", by="indicator_label")
        ui.chart(fig, key=key)
    elif category == "investment":
        for unit, money in query.amounts_by_unit(part, page.labels).items():
            ui.chart(charts.amount_bars(money, unit, "Investments"), key=f"{key}_{unit}")
    elif category == "budget":
        both, _ = query.budget_comparison(part)
        for unit in both["unit"].astype(str).unique():
            ui.chart(charts.budget_bars(both[both["unit"].astype(str) == unit]), key=f"{key}_{unit}")
    elif query.dated(part).shape[0]:
        for unit in part["unit"].astype(str).unique():
            same = part[part["unit"].astype(str) == unit]
            if query.dated(same).shape[0]:
                fig = charts.time_series(
                    same, "indicator", f"{names[country]}: {category} ({unit})", unit, name_col="indicator_label"
                )
                ui.chart(fig, key=f"{key}_{unit}")
    ui.sources_caption(part, sources)
    if category in ("ranking", "other") and not query.undated(part).empty:
        st.caption(f"{len(query.undated(part))} figure(s) state no year, so they are not on the chart; "
                   "the table below lists them.")
    with st.expander(f"The {len(part)} {category} figure(s) with quotes"):
        ui.figures_table(part, page.labels, key=f"{key}_table")
