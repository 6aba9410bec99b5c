"""Investments and budgets: amounts by country, programme and source; budget against actual."""

import streamlit as st

from cadi import charts, query, ui

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
money = ui.selection(page, category=wanted)
counts = money.counts()
if ui.empty(counts, ui.widen_hint(page)):
    st.stop()
cited = ui.citations()

st.header("Investments by programme")
investment = money.where(category="investment")
units = query.usual_units(counts[counts["category"] == "investment"])
if not units:
    st.info("No investment figure in the selection.")
for unit in units:
    same = investment.where(unit=unit)
    total = same.count()
    documents = same.documents(top=ui.MAX_LISTED_SOURCES)  # once: a scan of the claims
    source = ui.source_text(same, documents)
    amounts = query.with_sources(query.amount_rows(same.top_values(charts.MAX_BARS), page.labels), cited)
    fig = charts.amount_bars(amounts, unit, "Investments", total=total, source=source)
    investments = sorted(counts.loc[counts["category"] == "investment", "indicator"].astype(str).unique())
    ui.show(fig, f"invest_{unit}", amounts, page.labels, investments, source, total=total)
    docs, n_docs = documents
    ui.sources_caption(amounts, None, unit, docs=docs, n_docs=n_docs, total=total)

st.header("Budget against actual")
budget = money.where(category="budget")
budget_ids = counts.loc[counts["category"] == "budget", "indicator"].astype(str).unique()
both, _ = query.budget_comparison(budget.where(indicator=query.budget_measure_indicators(budget_ids)).take())
both = query.with_sources(both, cited)
if both.empty:
    st.info("No document in the selection gives both a planned and an actual amount for a budget line.")
for unit in both["unit"].astype(str).unique():
    same = both[both["unit"].astype(str) == unit]
    source = query.source_line(same["doc"].astype(str).value_counts().index, cited)
    ui.show(charts.budget_bars(same, source=source), f"budget_{unit}", same, page.labels, list(budget_ids), source)
    ui.sources_caption(same, None, unit)
n_other = budget.count() - len(both)
if n_other:
    other = query.not_in(budget, both.index, ui.MAX_TABLE_ROWS)
    with st.expander(f"{n_other} other budget figure(s): planned or actual only, variances"):
        ui.figures_table(other, page.labels, key="budget_other", total=n_other)
