"""Country profile: one country's figures by category, one small chart per indicator, each with its source."""

import streamlit as st

from cadi import charts, official, query, ui

page = ui.start("Country profile", "Every figure the documents give for one country or region, by category.")
if ui.nothing_selected(page):
    st.stop()

names = {code: page.name(code) for code in page.filters.countries}
country = ui.choice("Country or region", names, "country")
mine = ui.selection(page, countries=False, country=country)
counts = mine.counts()
if ui.empty(
    counts,
    f"The documents give no figures for {names[country]} in the selected categories and years. "
    "Pick another country, or add categories or widen the years in the sidebar.",
):
    st.stop()

n_docs = mine.documents(top=0)[1]
st.caption(
    f"{int(counts['n'].sum())} figure(s) on {counts['indicator'].nunique()} indicator(s) from {n_docs} document(s). "
    "Each indicator has its own chart: figures of different measures never share an axis."
)
cited = ui.citations()

for category, shown in query.top_indicators_by_category(counts, n=4).items():
    st.subheader(category.capitalize())
    if shown.note:
        st.caption(shown.note)
    part = mine.where(category=category, indicator=shown.indicators)
    key = f"profile_{category}"
    charted = False
    if category == "investment":
        for unit in query.usual_units(counts[counts["category"] == category]):
            same = part.where(unit=unit)
            source = ui.source_text(same)
            money = query.with_sources(query.amount_rows(same.top_values(charts.MAX_BARS), page.labels), cited)
            fig = charts.amount_bars(money, unit, "Investments", total=same.count(), source=source)
            ui.show(fig, f"{key}_{unit}", money, page.labels, list(shown.indicators), source, total=same.count())
            charted = True
    elif category == "budget":
        measured = part.where(indicator=query.budget_measure_indicators(shown.indicators))
        both, _ = query.budget_comparison(measured.take())
        both = query.with_sources(both, cited)
        for unit in both["unit"].astype(str).unique():
            same = both[both["unit"].astype(str) == unit]
            source = query.source_line(same["doc"].astype(str).value_counts().index, cited)
            ui.show(charts.budget_bars(same, source=source), f"{key}_{unit}", same, page.labels,
                    list(shown.indicators), source)
            charted = True
    else:
        series = counts[counts["category"] == category]
        pairs = [(i, u) for i in shown.indicators for u in query.usual_units(series[series["indicator"] == i])]
        columns = st.columns(2)
        drawn = 0  # charts drawn so far: they fill the two columns in turn
        for indicator, unit in pairs:
            same = part.where(indicator=indicator, unit=unit)
            points, note = same.points(charts.MAX_POINTS)
            if points.empty:
                continue
            points = query.with_sources(query.labelled(points, page.labels), cited)
            label = page.labels.get(indicator, indicator.replace("_", " "))
            source = ui.rows_source(points)  # the documents of the figures drawn
            if unit == "rank":
                out_of = query.rank_of_text(points)
                fig = charts.ranking_chart(points, label, out_of, aggregated=note, source=source)
            else:
                fig = charts.time_series(points, "country", f"{label} ({unit})", unit, aggregated=note,
                                         source=source)
            official.decorate(fig, indicator, unit, [country], names)
            with columns[drawn % 2]:
                ui.show(fig, f"{key}_{indicator}_{unit}", points, page.labels, [indicator], source,
                        total=same.dated().count(), table=ui.chart_table(same, page.labels))
            charted = True
            drawn += 1
    total = part.count()
    docs, n_docs = part.documents(top=ui.MAX_LISTED_SOURCES)
    units = ", ".join(sorted(query.usual_units(counts[counts["indicator"].isin(shown.indicators)])))
    first = query.labelled(part.take(limit=ui.CHART_TABLE_ROWS), page.labels)
    ui.sources_caption(first, None, units, docs=docs, n_docs=n_docs, total=total, charted=charted)
    if category == "budget":  # most budget figures are not in a planned/actual pair: listed, not charted
        with st.expander(f"The {total} budget figure(s) with quotes"):
            ui.figures_table(first, page.labels, key=f"{key}_all", total=total)
    undated = part.undated()
    if category not in ("investment", "budget") and undated.count():
        ui.undated_note(query.labelled(undated.take(limit=ui.CHART_TABLE_ROWS), page.labels), page.labels,
                        key=f"{key}_undated", total=undated.count())
