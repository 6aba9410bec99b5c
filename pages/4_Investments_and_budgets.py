"""Investments and budgets: amounts by country, programme and source; budget against actual."""

import numpy as np
import streamlit as st

from cadi import aggregates, charts, data, query, ui

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
# The money claims sorted by series and year once per store version: charts take only their cells.
rows = ui.load(data.load_rows, where={"category": wanted})
keep = aggregates.series_mask(rows.cube, page.filters)
slots = aggregates.slot_mask(rows.cube.years, page.filters)
counts = aggregates.selected_counts(rows.cube, keep, slots)
if ui.empty(counts, ui.widen_hint(page)):
    st.stop()
sources = ui.load(data.source_titles)

st.header("Investments by programme")
investment = keep & aggregates.series_of(rows, category="investment")
units = query.usual_units(counts[counts["category"] == "investment"])
if not units:
    st.info("No investment figure in the selection.")
for unit in units:
    same = investment & aggregates.series_of(rows, unit=unit)
    total = aggregates.count(rows, same, slots)
    money = query.amount_rows(aggregates.top_values(rows, same, slots, charts.MAX_BARS), page.labels)
    ui.chart(charts.amount_bars(money, unit, "Investments", total=total), key=f"invest_{unit}")
    docs, n_docs = aggregates.doc_counts_of(rows, same, slots, top=ui.MAX_LISTED_SOURCES)
    ui.sources_caption(money, sources, unit, docs=docs, n_docs=n_docs, total=total)

st.header("Budget against actual")
budget = keep & aggregates.series_of(rows, category="budget")
budget_ids = counts.loc[counts["category"] == "budget", "indicator"].astype(str).unique()
measured = budget & aggregates.series_of(rows, indicator=query.budget_measure_indicators(budget_ids))
both, _ = query.budget_comparison(aggregates.take(rows, measured, slots))
if both.empty:
    st.info("No document in the selection gives both a planned and an actual amount for a budget line.")
for unit in both["unit"].astype(str).unique():
    same = both[both["unit"].astype(str) == unit]
    ui.chart(charts.budget_bars(same), key=f"budget_{unit}")
    ui.sources_caption(same, sources, unit)
n_other = aggregates.count(rows, budget, slots) - len(both)
if n_other:
    # The first rows that are not in a pair, without copying every budget claim: positions, then a take.
    where = aggregates.positions(rows, budget, slots)
    other = rows.frame.iloc[where[~np.isin(where, both.index.to_numpy())][: ui.MAX_TABLE_ROWS]]
    with st.expander(f"{n_other} other budget figure(s): planned or actual only, variances"):
        ui.figures_table(other, page.labels, key="budget_other", total=n_other)
