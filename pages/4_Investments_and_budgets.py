"""Investments and budgets: amounts by country, programme and source; budget against actual."""

import streamlit as st

from cadi import charts, data, filters, query, ui

page = ui.start(
    "Investments and budgets",
    "Money amounts as the documents state them, one chart per currency (amounts are never converted).",
)
if ui.nothing_selected(page):
    st.stop()

wanted = [c for c in ("investment", "budget") if c in page.filters.categories]
if not wanted:
    st.info("Neither “investment” nor “budget” is selected. Add them in the sidebar to see amounts.")
    st.stop()
rows = filters.apply(ui.load(data.load_claims, where={"category": wanted}), page.filters)
if ui.empty(rows, ui.widen_hint(page)):
    st.stop()
sources = ui.load(data.load_sources)

st.header("Investments by programme")
by_unit = query.amounts_by_unit(rows, page.labels)
if not by_unit:
    st.info("No investment figure in the selection.")
for unit, money in by_unit.items():
    ui.chart(charts.amount_bars(money, unit, "Investments"), key=f"invest_{unit}")
    ui.sources_caption(money, sources, unit)

st.header("Budget against actual")
both, other = query.budget_comparison(rows)
if both.empty:
    st.info("No document in the selection gives both a planned and an actual amount for a budget line.")
for unit in both["unit"].astype(str).unique():
    same = both[both["unit"].astype(str) == unit]
    ui.chart(charts.budget_bars(same), key=f"budget_{unit}")
    ui.sources_caption(same, sources, unit)
if len(other):
    with st.expander(f"{len(other)} other budget figure(s): planned or actual only, variances"):
        ui.figures_table(other, page.labels, key="budget_other")
