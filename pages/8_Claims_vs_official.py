"""Claims vs official: each report figure beside the official series for its country and year."""

import pandas as pd
import streamlit as st

from cadi import charts, checks, data, query, ui
from cadi import official as checked

page = ui.start(
    "Claims vs official",
    "Report figures beside the official series (World Bank / ITU, UN e-government survey, WIPO Global "
    "Innovation Index) for the same country and year, with the difference. ⚠ marks a report far from "
    "the official figure.",
)
if ui.nothing_selected(page):
    st.stop()
found = ui.load(checked.store_checks)
titles = ui.load(data.source_titles)
compared = found.compared[found.compared["country"].astype(str).isin(page.filters.countries)]
st.caption(
    "A claim is compared with the official value of its year; for rates, when that year has none, with the "
    "latest of the three years before (the official year is shown). Ranks are compared within the same "
    "edition; a GII rank derived from scores is a range. A region is compared with the unweighted mean of "
    "its members' official values, their range beside it. Far: more than 2 points for percentages and "
    "rates, any place for ranks. Targets and forecasts are not compared."
)

st.subheader("By country")
summary = checks.country_summary(compared)
if ui.empty(summary, "No claim in the selected countries has an official value to compare with. Official series "
            "cover internet use, mobile and fixed broadband subscriptions, the EGDI rank and the GII rank."):
    st.stop()
st.dataframe(
    summary.rename(columns={"country_name": "name", "compared": "claims compared", "far": "⚠ far",
                            "largest_gap": "largest difference"}).round(2),
    hide_index=True, key="cvo_summary",
)

names = {str(c): str(n) for c, n in zip(summary["country"], summary["country_name"], strict=True)}
country = ui.choice("Country or region", names, "country")
mine = compared[compared["country"].astype(str) == country]
if len(mine) > checked.MAX_SHOWN:
    st.caption(f"The first {checked.MAX_SHOWN:,} of {len(mine):,} claims compared.")
st.dataframe(
    checks.comparison_table(checked.with_quotes(mine), titles, page.labels),
    hide_index=True,
    key="cvo_claims",
    column_config={"year": st.column_config.NumberColumn(format="%d"),
                   "official year": st.column_config.NumberColumn(format="%d"),
                   "quote": st.column_config.TextColumn(width="large")},
)

indicators = {i: page.labels.get(i, i) for i in mine["indicator"].astype(str).unique()}
indicator = ui.choice("Indicator on the chart", indicators, "indicator")
claims = ui.load(data.load_claims, data.CHART_COLUMNS, where={"country": [country], "indicator": [indicator]})
# As in the table: a figure that states no year stands at its document's publication year.
sources = ui.load(data.load_sources)
published = {str(d): p.year for d, p in zip(sources["doc"], sources["published"], strict=True) if not pd.isna(p)}
undated = claims["year"].isna()
claims = claims.assign(year=claims["year"].astype("Float64").fillna(
    claims["doc"].astype(str).map(published).astype("Float64")).astype("Int32"))
claims = claims[claims["year"].notna()]
for unit in query.usual_units(claims):
    rows = query.labelled(claims[claims["unit"].astype(str) == unit], page.labels)
    if unit == "rank":
        fig = charts.ranking_chart(rows, f"{names[country]}: {indicators[indicator]}")
    else:
        fig = charts.time_series(rows, "country", f"{names[country]}: {indicators[indicator]} ({unit})", unit)
    checked.decorate(fig, indicator, unit, [country], names)
    ui.chart(fig, key=f"cvo_chart_{unit}")
st.caption("Dashed: the official series. Points: the report figures (hover for the quote)"
           + ("; a figure that states no year stands at its document's publication year." if undated.any() else "."))

st.subheader("Ranks in context")
ranks = found.ranks[found.ranks["country"].astype(str).isin(page.filters.countries)]
if not ranks.empty:
    st.caption("Percentile: the share of the other ranked countries placed below (1st = 100, last = 0). "
               "The number ranked comes from the claim (“out of 193”) or from the index-editions table below.")
    st.dataframe(checks.percentile_table(checked.with_quotes(ranks), titles, page.labels), hide_index=True,
                 key="cvo_ranks",
                 column_config={"edition": st.column_config.NumberColumn(format="%d"),
                                "quote": st.column_config.TextColumn(width="large")})
else:
    st.info("No rank in the selected countries.")
with st.expander("Index editions and the number of countries each ranked"):
    st.dataframe(checked.editions(), hide_index=True, key="cvo_editions",
                 column_config={"edition": st.column_config.NumberColumn(format="%d")})

st.subheader("Official sources and licences")
st.dataframe(checked.sources_table(), hide_index=True, key="cvo_sources",
             column_config={"url": st.column_config.LinkColumn("url")})
