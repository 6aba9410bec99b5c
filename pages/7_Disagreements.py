"""Disagreements: one country, indicator and year given differently by several documents."""

import streamlit as st

from cadi import checks, data, filters, ui
from cadi import official as checked

page = ui.start(
    "Disagreements",
    "Where several documents give a figure for the same country, indicator and year, all are kept and "
    "listed here with their quotes and sources.",
)
st.caption(
    "Two figures differ when they are more than 2 points apart for percentages and rates per 100 people, "
    "exactly for ranks, and more than 5% apart otherwise; “more than 50%” agrees with any figure above 50."
)
found = ui.load(checked.store_checks).disagreements
titles = ui.load(data.source_titles)
shown = filters.apply(found, page.filters)
everything = st.toggle("Also show points where the documents agree", key="dis_all")
if not everything:
    shown = shown[shown["disagree"]]
n_groups = int(shown["group"].nunique()) if len(shown) else 0
if ui.empty(
    shown,
    "No two documents give different figures for the same country, indicator and year in this selection"
    + ("." if everything else " (turn on the switch to see points where they agree).")
    + " Widen the sidebar's selection to check more.",
):
    st.stop()
more = f" The first {checked.MAX_SHOWN:,} are listed." if len(shown) > checked.MAX_SHOWN else ""
st.caption(f"{n_groups:,} point(s) given by several documents, {len(shown):,} figure(s).{more}")
st.dataframe(
    checks.disagreement_table(checked.with_quotes(shown), titles, page.labels),
    hide_index=True,
    key="dis_table",
    column_config={"year": st.column_config.NumberColumn(format="%d"),
                   "quote": st.column_config.TextColumn(width="large")},
)
