"""Chart builders, inspected on their traces: no geo traces, reversed ranks, hover content, size caps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from cadi import charts, data, query
from tests import _oracles as oracles
from tests.fixtures import claims_frame, indicators_frame


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return claims_frame()


@pytest.fixture(scope="module")
def labels() -> dict[str, str]:
    ind = indicators_frame()
    return dict(zip(ind["id"], ind["label"], strict=True))


def no_geo(fig: go.Figure) -> bool:
    return (
        all(
            t.type not in ("choropleth", "scattergeo", "choroplethmap", "scattermap", "choroplethmapbox")
            for t in fig.data
        )
        and not fig.layout.geo.to_plotly_json()
    )


def hovers(fig: go.Figure) -> str:
    parts = []
    for t in fig.data:
        if getattr(t, "customdata", None) is not None:
            parts.append(" ".join(str(v) for row in t.customdata for v in row))
        if isinstance(getattr(t, "text", None), str):
            parts.append(t.text)
        if isinstance(getattr(t, "hovertemplate", None), str):  # fields a trace shares are written into it
            parts.append(t.hovertemplate)
    return " ".join(parts)


@pytest.mark.parametrize(
    ("value", "unit", "comparator", "rank_of", "text"),
    [
        (83, "percent", ">", None, "more than 83%"),
        (50, "percent", "<", None, "under 50%"),
        (1.2e9, "USD", "~", None, "about USD 1.2 billion"),
        (26e9, "PKR", "=", None, "PKR 26 billion"),
        (14500, "USD", "=", None, "USD 14,500"),
        (48, "rank", "=", 193, "48th of 193 (top 25%)"),
        (1, "rank", "=", 193, "1st of 193 (top 0.5%)"),
        (1, "rank", "=", None, "1st"),
        (12, "rank", "=", None, "12th"),
        (1_000_000, "count", "=", None, "1 million"),
    ],
)
def test_format_value(value, unit, comparator, rank_of, text):
    assert charts.format_value(value, unit, comparator, rank_of) == text


def test_wrap_quote_escapes_and_wraps():
    quote = "The forum page embedded <script>alert(1)</script> & " + "word " * 40
    out = charts.wrap_quote(quote)
    assert "<script>" not in out and "&lt;script&gt;" in out and "&amp;" in out
    assert all(len(line) <= 100 for line in out.split("<br>"))
    assert out.count("<br>") >= 2


def test_time_series_modes_symbols_and_hover(claims, labels):
    rows = oracles.indicator_rows(claims, "internet_users_pct", labels)
    fig = charts.time_series(rows, "country", "Internet users", "percent")
    modes = {}
    for t in fig.data:
        modes.setdefault(t.name, set()).add(t.mode)
    assert any("lines" in m for m in modes["Kazakhstan"]) and not any("lines" in m for m in modes["Kyrgyzstan"])
    assert "Azerbaijan" not in modes  # undated: listed by the page, not on a time axis
    bound = next(t for t in fig.data if t.name == "Uzbekistan" and t.meta == "bounds")
    assert "triangle-up-open" in list(bound.marker.symbol)  # "more than 83%": a bound, not a point on a line
    assert "lines" not in bound.mode
    assert any(label.startswith("&gt;") for label in bound.text)
    assert all(f"customdata[{i}]" in bound.hovertemplate for i in (2, 3, 5, 6))  # per point: value, year, quote
    assert "Uzbekistan" in bound.hovertemplate  # shared by every point of the trace: written once
    text = hovers(fig)
    assert "more than 83%" in text and "004_gnv.txt" in text and "was online by 2023" in text
    assert no_geo(fig)


def test_ranking_chart_is_reversed_with_out_of(claims, labels):
    rows = oracles.ranking_rows(claims, labels)["egdi_rank"]
    fig = charts.ranking_chart(rows, "UN EGDI rank", query.rank_of_text(rows))
    assert fig.layout.yaxis.autorange == "reversed"
    assert "out of 193" in fig.layout.title.text
    assert {t.name for t in fig.data} == {"Kazakhstan", "Kyrgyzstan", "Tajikistan"}
    assert "28th of 193" in hovers(fig)


def test_region_map_is_cartesian_with_grey_no_data(claims, labels):
    latest = query.with_series_info(query.latest_by_country(claims, "internet_users_pct"), "country", labels)
    fig = charts.region_map(latest, data.map_shapes(), "Internet users", "percent", ("KAZ", "MNG"))
    assert no_geo(fig)
    fills = [t for t in fig.data if t.fill == "toself"]
    assert len(fills) == len(data.map_shapes()["features"])
    colors = {t.name: t.fillcolor for t in fills}
    assert colors["Mongolia"] == charts.NO_DATA_GREY
    assert colors["Kazakhstan"] not in (charts.NO_DATA_GREY, charts.OUTSIDE_GREY)
    assert fig.layout.yaxis.scaleanchor == "x"
    assert any(t.marker.showscale for t in fig.data if t.marker is not None)  # the colorbar
    assert "92.3%" in hovers(fig)


def test_amount_bars_one_currency(claims, labels):
    by_unit = oracles.amounts_by_unit(claims, labels)
    fig = charts.amount_bars(by_unit["USD"], "USD")
    assert sum(len(t.x) for t in fig.data) == len(by_unit["USD"])
    assert "USD" in fig.layout.xaxis.title.text
    assert "Digital Kazakhstan 2025" in " ".join(" ".join(t.y) for t in fig.data)
    mixed = pd.concat([by_unit["USD"], by_unit["KZT"]])
    with pytest.raises(ValueError):
        charts.amount_bars(mixed, "USD")


def test_budget_bars_grouped(claims):
    both, _ = query.budget_comparison(claims)
    fig = charts.budget_bars(both)
    assert fig.layout.barmode == "group"
    assert [t.name for t in fig.data] == ["planned", "actual"]
    assert all(len(t.x) == 2 for t in fig.data)


def test_coverage_heatmap_blank_where_silent(claims, labels):
    matrix = query.coverage_matrix(claims, labels)
    fig = charts.coverage_heatmap(matrix)
    z = np.array(fig.data[0].z, dtype=float)
    assert np.isnan(z).sum() == int((matrix.to_numpy() == 0).sum())


def test_category_bars(claims):
    fig = charts.category_bars(query.claims_per_category(claims))
    assert list(fig.data[0].x) == list(query.claims_per_category(claims)["claims"])


def test_big_series_are_sampled_under_two_megabytes_never_averaged(claims, labels):
    base = oracles.indicator_rows(claims, "internet_users_pct", labels)
    rng = np.random.default_rng(0)
    n = 60_000
    big = base.sample(n, replace=True, random_state=0).reset_index(drop=True)
    big["year"] = pd.array(rng.integers(1990, 2026, n), dtype="Int32")
    big["country"] = rng.choice([f"C{i:03d}" for i in range(150)], n)
    big["country_name"] = big["country"]
    big["quote"] = "A long quoted sentence that repeats itself. " * 8
    fig = charts.time_series(big, "country", "big", "percent")
    assert charts.figure_bytes(fig) < charts.MAX_BYTES
    assert sum(sum(x is not None for x in t.x) for t in fig.data if t.meta != "lead") <= charts.MAX_POINTS
    assert "sample" in fig.layout.title.subtitle.text and "median" not in fig.layout.title.subtitle.text
    drawn = {float(y) for t in fig.data for y in t.y if y is not None}
    assert drawn <= set(big["value"].astype(float))  # every point is a figure a report gives


def test_coverage_heatmap_caps_rows_and_columns():
    matrix = pd.DataFrame(
        np.arange(100 * 50).reshape(100, 50) % 3,
        index=[f"c{i}" for i in range(100)],
        columns=[f"i{j}" for j in range(50)],
    )
    fig = charts.coverage_heatmap(matrix, max_columns=40, max_rows=60)
    assert len(fig.data[0].y) == 60 and len(fig.data[0].x) == 40
    assert "60 countries" in fig.layout.title.subtitle.text


# ---- honesty: one line, one series; latest means dated and actual ------------------------------------

# (country, indicator, subject, value, comparator, year, claim_type, doc)
HONESTY_ROWS = [
    ("KAZ", "internet_users_pct", None, 76.0, "=", 2019, "actual", "a.txt"),
    ("KAZ", "internet_users_pct", None, 81.0, "=", 2021, "actual", "a.txt"),  # joins 2019: one series
    ("KAZ", "internet_users_pct", None, 90.0, "=", 2023, "actual", "b.txt"),  # two figures for 2023 ...
    ("KAZ", "internet_users_pct", None, 91.5, "=", 2023, "actual", "c.txt"),  # ... stay two points
    ("KAZ", "internet_users_pct", None, 100.0, "=", 2030, "target", "d.txt"),  # a target: never the latest
    ("XCR", "internet_users_pct", None, 50.0, "<", 2019, "actual", "e.txt"),  # a bound: never on a line
    ("XCR", "internet_users_pct", None, 70.0, "=", 2025, "actual", "e.txt"),
    ("TKM", "internet_users_pct", None, 100.0, "=", None, "actual", "f.txt"),  # undated: never drawn, never latest
    ("TKM", "internet_users_pct", None, 38.0, ">", 2022, "actual", "f.txt"),  # TKM's only dated figure: a bound
    ("KGZ", "change_pct", "state budget", 50e6, "=", 2021, "actual", "g.txt"),
    ("KGZ", "change_pct", "additional funding", 7e6, "=", 2022, "actual", "g.txt"),  # unrelated: no line to 50M
    ("KGZ", "change_pct", "mobile tariffs", 12.0, "=", 2022, "forecast", "h.txt"),
    ("UZB", "internet_users_pct", None, 83.0, "=", 2022, "actual", "i.txt"),
    ("UZB", "internet_users_pct", None, 85.0, ">", 2022, "actual", "j.txt"),  # same year: the exact figure wins
]
NAMES = {"KAZ": "Kazakhstan", "XCR": "CAREC region", "TKM": "Turkmenistan", "KGZ": "Kyrgyzstan", "UZB": "Uzbekistan"}


def honesty_frame() -> pd.DataFrame:
    rows = pd.DataFrame(HONESTY_ROWS, columns=["country", "indicator", "subject", "value", "comparator", "year",
                                               "claim_type", "doc"])
    rows["year"] = rows["year"].astype("Int32")
    return rows.assign(country_name=rows["country"].map(NAMES), unit="percent", category="penetration",
                       rank_of=pd.array([None] * len(rows), dtype="Int32"), quote="q", as_written="w")


def segments(trace) -> list[list[int]]:
    """The runs of point indices a line trace draws (None separates runs)."""
    runs, run = [], []
    for i, x in enumerate(trace.x):
        if x is None:
            runs.append(run)
            run = []
        else:
            run.append(i)
    return [r for r in [*runs, run] if r]


def test_no_line_joins_unrelated_figures_bounds_or_targets():
    frame = honesty_frame()
    fig = charts.time_series(frame, "country", "t", "percent")
    joined = []
    for trace in fig.data:
        if "lines" not in trace.mode or trace.meta == "lead":
            continue
        # country, indicator – subject, claim type
        for run in segments(trace):
            cells = [tuple(trace.customdata[i][j] for j in (0, 1, 6)) for i in run]
            assert len(set(cells)) == 1, cells
            years = [trace.x[i] for i in run]
            assert years == sorted(set(years)), years  # one figure per year on a line
            joined.append((trace.name, tuple(trace.y[i] for i in run)))
    # The one true series is joined (a near miss that must match): 76 -> 81 in Kazakhstan.
    assert ("Kazakhstan", (76.0, 81.0)) in joined
    assert not any(50e6 in ys or 7e6 in ys for _, ys in joined)  # unrelated budget lines stay apart
    bounds = [t for t in fig.data if t.meta == "bounds"]
    assert bounds and all("lines" not in t.mode for t in bounds)
    assert all(str(s).endswith("-open") for t in bounds for s in t.marker.symbol)
    projected = [t for t in fig.data if t.meta == "projected"]
    assert {y for t in projected for y in t.y if y is not None} == {100.0, 12.0}
    assert all("open" in t.marker.symbol for t in projected)
    drawn = sorted(y for t in fig.data if t.meta != "lead" for y in t.y if y is not None)
    assert drawn == sorted(frame.loc[frame["year"].notna(), "value"])  # every dated figure once; none averaged
    assert 90.0 in drawn and 91.5 in drawn  # two figures for one cell stay two points


@pytest.mark.parametrize(
    ("country", "value", "year"),
    [
        ("KAZ", 91.5, 2023),  # not the 2030 target; two 2023 figures: the last document by name
        ("XCR", 70.0, 2025),
        ("TKM", 38.0, 2022),  # not the undated 100%
        ("UZB", 83.0, 2022),  # the exact figure over the bound of the same year
    ],
)
def test_latest_is_dated_and_actual(country, value, year):
    latest = query.latest_actual(honesty_frame()).set_index("country")
    assert latest.loc[country, "value"] == value and latest.loc[country, "year"] == year
    assert "KGZ" in latest.index  # near miss: an actual dated figure is a latest


def test_latest_never_undated_or_target_only():
    frame = honesty_frame()
    only = frame[frame["year"].isna() | (frame["claim_type"] == "target")]
    assert query.latest_actual(only).empty


def test_map_colour_scale_spans_only_drawn_countries(labels):
    latest = query.latest_actual(honesty_frame())
    fig = charts.region_map(latest, data.map_shapes(), "Internet users", "percent")
    scale = next(t for t in fig.data if t.marker is not None and t.marker.showscale)
    drawn = latest[latest["country"].isin({f["id"] for f in data.map_shapes()["features"]})]
    assert "XCR" not in set(drawn["country"])
    assert (scale.marker.cmin, scale.marker.cmax) == (drawn["value"].min(), drawn["value"].max())


@pytest.mark.parametrize(("span", "step"), [(0, 1), (5, 1), (30, 5), (90, 20), (190, 25), (1000, 200)])
def test_rank_and_year_ticks_are_readable(span, step):
    assert charts.nice_step(span) == step
    assert span / charts.nice_step(span) <= 8


def test_rank_chart_ticks_for_a_wide_range():
    frame = honesty_frame().assign(unit="rank", value=[5, 90, 10, 12, 1, 3, 4, 2, 6, 7, 8, 9, 11, 13])
    fig = charts.ranking_chart(frame, "AI readiness", "out of 193")
    assert fig.layout.yaxis.dtick >= 10 and fig.layout.yaxis.autorange == "reversed"


def test_every_chart_carries_its_source_inside_the_figure():
    fig = charts.time_series(honesty_frame(), "country", "t", "percent", source="Report A (Pub, 2024)")
    notes = [a.text for a in fig.layout.annotations]
    assert any("Source: Report A (Pub, 2024)" in n for n in notes)


def test_changes_without_a_subject_are_never_joined():
    rows = pd.DataFrame({
        "country": ["KAZ"] * 4, "country_name": ["Kazakhstan"] * 4,
        "indicator": ["change_pct", "change_pct", "change_pct", "change_pct"],
        "subject": [None, None, "mobile subscribers", "mobile subscribers"],
        "value": [8.0, 100.0, 3.0, 4.0], "comparator": ["="] * 4, "year": pd.array([2021, 2024, 2021, 2022]),
        "unit": ["percent"] * 4, "quote": ["q"] * 4, "doc": ["a.txt"] * 4,
    })
    fig = charts.time_series(rows, "country", "t", "percent")
    lines = [tuple(y for y in t.y if y is not None) for t in fig.data if "lines" in t.mode]
    assert lines == [(3.0, 4.0)]  # the near miss: one subject's changes do form a line


def test_amount_bars_one_slot_per_figure_even_with_one_label():
    rows = pd.DataFrame({
        "country_name": ["Kazakhstan", "Kazakhstan", "Kazakhstan"], "subject_label": ["Funding"] * 3,
        "counterpart": ["China", None, None], "year": pd.array([None, None, None], dtype="Int32"),
        "value": [209e6, 200e6, 150e6], "comparator": ["="] * 3, "unit": ["USD"] * 3,
        "country": ["KAZ"] * 3, "indicator": ["investment_usd"] * 3, "quote": ["q"] * 3, "doc": ["a"] * 3,
    })
    fig = charts.amount_bars(rows, "USD")
    labels = [y for t in fig.data for y in t.y]
    assert len(set(labels)) == 3 and any("from China" in y for y in labels)
    assert fig.layout.barmode == "overlay"


def test_relative_change_only_within_a_series():
    frame = honesty_frame()
    fig = charts.time_series(frame, "country", "t", "percent", relative=True)
    ys = sorted(round(y, 3) for t in fig.data for y in t.y if y is not None)
    # Only Kazakhstan's 76 (2019) and 81 (2021) form a series a line joins: 100 and 106.6; nothing else.
    assert ys == [100.0, round(100 * 81 / 76, 3)]
    assert "left out" in fig.layout.title.subtitle.text
    assert "= 107 (first figure = 100)" in hovers(fig)


def test_axes_ticks_cover_traces_added_after_the_chart():
    frame = honesty_frame().iloc[:1].assign(unit="rank", value=[40.0])
    fig = charts.ranking_chart(frame, "GII", "")
    fig.add_trace(go.Scatter(x=[1990, 2024], y=[120, 85], mode="lines", name="official"))  # an overlay
    fig = charts.year_axis(fig)
    assert fig.layout.yaxis.dtick >= 10 and fig.layout.xaxis.dtick >= 5
