"""Plotly figure builders: frames in, `go.Figure` out; no Streamlit, no network.

Every point's hover shows the value with unit and comparator, the year, the
document and the quote (HTML-escaped, wrapped); no chart sends more than
MAX_POINTS points (it aggregates or samples and says so in its subtitle).
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative, sample_colorscale

MAX_POINTS = 3000
PILE = 2  # figures per series and year, on average, past which a chart shows their median
MAX_BARS = 60  # amount bars per chart: the largest amounts
MAX_BYTES = 2_000_000
QUOTE_WIDTH = 80
QUOTE_MAX_CHARS = 480
NO_DATA_GREY = "#d9d9d9"
OUTSIDE_GREY = "#f0f0f0"
PALETTE = qualitative.Plotly + qualitative.D3
COMPARATOR_SYMBOLS = {"=": "circle", ">": "triangle-up", "<": "triangle-down", "~": "diamond"}
COMPARATOR_WORDS = {"=": "", ">": "more than ", "<": "under ", "~": "about "}
UNIT_SUFFIX = {"percent": "%", "count": "", "rank": ""}
MAP_FRAME = (36.0, 18.0, 126.0, 56.0)  # lon_min, lat_min, lon_max, lat_max
HOVER = (
    "<b>%{customdata[0]}</b> · %{customdata[1]}<br>"
    "<b>%{customdata[2]}</b> (%{customdata[3]})<br>"
    "Source: %{customdata[4]}<br>"
    "<i>%{customdata[5]}</i><extra></extra>"
)


# ---- text for hovers and labels ------------------------------------------------------------------


def format_number(value: float) -> str:
    """1.2e9 -> "1.2 billion", 14500 -> "14,500", 92.3 -> "92.3"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    magnitude = abs(value)
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if magnitude >= size:
            return f"{value / size:,.3g} {word}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.4g}"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_value(value: float, unit: str, comparator: str = "=", rank_of: float | None = None) -> str:
    """A claim's value as a reader says it: "more than 83%", "about USD 1.2 billion", "48th of 193"."""
    words = COMPARATOR_WORDS.get(comparator, "")
    if unit == "rank":
        text = ordinal(int(value))
        if rank_of is not None and not pd.isna(rank_of):
            text += f" of {int(rank_of)}"
        return words + text
    number = format_number(value)
    if unit in UNIT_SUFFIX:
        return f"{words}{number}{UNIT_SUFFIX[unit]}"
    return f"{words}{unit} {number}"


def wrap_quote(quote: str, width: int = QUOTE_WIDTH) -> str:
    """A quote for a hover: cut to QUOTE_MAX_CHARS, wrapped at `width`, HTML-escaped, lines joined by <br>."""
    quote = " ".join(str(quote).split())
    if len(quote) > QUOTE_MAX_CHARS:
        quote = quote[: QUOTE_MAX_CHARS - 1] + "…"
    return "<br>".join(html.escape(line, quote=False) for line in _wrap(quote, width))


def _wrap(text: str, width: int) -> list[str]:
    """textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) for single-spaced text.

    Greedy, as textwrap is, without its regex chunking: hovers wrap thousands of quotes per rerun.
    """
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        if not word:
            continue
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line = f"{line} {word}"
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines or [""]


def esc(text: object) -> str:
    """Data text (names, subjects, docs) made safe for plotly's HTML-ish labels."""
    return html.escape("" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text), quote=False)


def hover_data(rows: pd.DataFrame) -> np.ndarray:
    """customdata for HOVER: [country, indicator, value text, year, doc, quote] per row (escaped)."""
    if rows.empty:
        return np.empty((0, 6), dtype=object)
    rank_of = rows["rank_of"] if "rank_of" in rows else pd.Series(None, index=rows.index)
    label = rows["indicator_label"] if "indicator_label" in rows else rows["indicator"]
    subject = rows["subject"] if "subject" in rows else pd.Series(None, index=rows.index)
    values = [
        format_value(v, str(u), str(c), r)
        for v, u, c, r in zip(rows["value"], rows["unit"], rows["comparator"], rank_of, strict=True)
    ]
    indicator = [
        esc(lab) + (f" – {esc(s)}" if s is not None and not pd.isna(s) else "")
        for lab, s in zip(label, subject, strict=True)
    ]
    years = [str(int(y)) if not pd.isna(y) else "year not stated" for y in rows["year"]]
    quotes = [wrap_quote(q) for q in rows["quote"]] if "quote" in rows else [""] * len(rows)
    docs = [esc(d) for d in rows["doc"]] if "doc" in rows else [""] * len(rows)
    return np.array(
        list(
            zip(
                [esc(n) for n in rows["country_name"]],
                indicator,
                [esc(v) for v in values],
                years,
                docs,
                quotes,
                strict=True,
            )
        ),
        dtype=object,
    )


def point_labels(rows: pd.DataFrame) -> list[str]:
    """A text label on points whose comparator is not "=" (">50%"), so it is seen without hovering."""
    return [
        "" if c == "=" else esc(f"{c}{format_number(v)}{UNIT_SUFFIX.get(str(u), '')}")
        for c, v, u in zip(rows["comparator"].astype(str), rows["value"], rows["unit"], strict=True)
    ]


# ---- size limits ---------------------------------------------------------------------------------


def piles_up(n_points: int, n_cells: int, max_points: int = MAX_POINTS) -> bool:
    """Whether a chart of `n_points` figures in `n_cells` (series, year) positions needs one point per position.

    Past `max_points`, or when positions hold more than PILE figures on average: a pile of markers
    on one year cannot be read point by point.
    """
    return n_points > max_points or n_points > PILE * n_cells


def limit_points(rows: pd.DataFrame, by: str, max_points: int = MAX_POINTS) -> tuple[pd.DataFrame, str]:
    """One point per (series, year) (the median value) when the points pile up (piles_up), then a sample.

    Returns (rows, note); the note is "" when nothing was dropped, else a subtitle saying what was done.
    """
    keys = [by, "year"]
    if not piles_up(len(rows), rows.groupby(keys, observed=True, dropna=False).ngroups, max_points):
        return rows, ""
    n = len(rows)
    grouped = rows.assign(_rank=rows.groupby(keys, observed=True, dropna=False)["value"].rank(method="first"))
    size = rows.groupby(keys, observed=True, dropna=False)["value"].transform("size")
    median = rows.groupby(keys, observed=True, dropna=False)["value"].transform("median")
    middle = grouped["_rank"] == np.ceil(size / 2)
    reduced = rows[middle].assign(value=median[middle], comparator="~")
    note = f"Aggregated: median of {n:,} figures per {by.replace('_', ' ')} and year"
    if len(reduced) > max_points:
        reduced = reduced.sample(max_points, random_state=0).sort_index()
        note += f"; a random sample of {max_points:,} of those points is drawn"
    return reduced, note + "."


def _symbols(comparators: pd.Series) -> str | list[str]:
    """Marker symbols by comparator; one symbol when all agree (plotly checks a list element by element)."""
    symbols = [COMPARATOR_SYMBOLS.get(str(c), "circle") for c in comparators]
    return symbols[0] if len(set(symbols)) == 1 else symbols


def _subtitle(fig: go.Figure, title: str, note: str) -> go.Figure:
    fig.update_layout(title={"text": esc(title), "subtitle": {"text": esc(note)} if note else None})
    return fig


def _base_layout(fig: go.Figure, height: int = 420) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 70, "b": 10},
        hoverlabel={"align": "left"},
        legend={"title": None},
    )
    return fig


# ---- overview ------------------------------------------------------------------------------------


def category_bars(counts: pd.DataFrame) -> go.Figure:
    """Claims per category (from query.claims_per_category)."""
    fig = go.Figure(
        go.Bar(
            x=counts["claims"],
            y=counts["category"],
            orientation="h",
            text=counts["claims"],
            textangle=0,
            marker_color=PALETTE[0],
            hovertemplate="%{y}: %{x} claims<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(title="claims (count)")
    return _base_layout(_subtitle(fig, "Claims per category", ""), 260)


def coverage_heatmap(matrix: pd.DataFrame, max_columns: int = 40, max_rows: int = 60) -> go.Figure:
    """Country × indicator claim counts; blank (grey) cells are where no report gives a figure.

    Columns are expected most-claimed first (query.coverage_matrix); past the caps the
    countries and indicators with most claims are kept and the subtitle says so.
    """
    notes = []
    if matrix.shape[0] > max_rows:
        notes.append(f"the {max_rows} countries with most claims of {matrix.shape[0]}")
        matrix = matrix.loc[matrix.sum(axis=1).sort_values(ascending=False, kind="stable").index[:max_rows]]
    if matrix.shape[1] > max_columns:
        notes.append(f"the {max_columns} indicators with most claims of {matrix.shape[1]}")
        matrix = matrix.iloc[:, :max_columns]
    note = ("Showing " + " and ".join(notes) + ".") if notes else ""
    z = np.array(matrix.to_numpy(dtype=float), copy=True)
    z[z == 0] = np.nan
    text = np.where(np.isnan(z), "", matrix.to_numpy().astype(str))
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[esc(c) for c in matrix.columns],
            y=[esc(i) for i in matrix.index],
            text=text,
            texttemplate="%{text}",
            colorscale="Blues",
            hoverongaps=True,
            xgap=2,
            ygap=2,
            colorbar={"title": "claims"},
            hovertemplate="%{y} · %{x}: %{z} claims<extra></extra>",
        )
    )
    fig.update_layout(plot_bgcolor=NO_DATA_GREY)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickangle=-40, automargin=True)
    height = 160 + 28 * len(matrix.index)
    fig = _base_layout(_subtitle(fig, "Where the reports give figures (grey: silent)", note), height + 140)
    return fig.update_layout(margin={"b": 10, "t": 70})


def _rings(geometry: dict) -> tuple[list[float | None], list[float | None]]:
    xs: list[float | None] = []
    ys: list[float | None] = []
    coords = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    for polygon in coords:
        for ring in polygon:
            xs.extend(p[0] for p in ring)
            ys.extend(p[1] for p in ring)
            xs.append(None)
            ys.append(None)
    return xs, ys


def _centroid(geometry: dict) -> tuple[float, float]:
    """Centre of the largest ring's bounding box: good enough for a label."""
    coords = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    outer = max((poly[0] for poly in coords), key=len)
    xs = [p[0] for p in outer]
    ys = [p[1] for p in outer]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def value_colors(values: pd.Series, reverse: bool = False, scale: str = "Blues") -> tuple[list[str], float, float]:
    """Colors for values on a sequential scale (lighter = lower; reversed for ranks), with cmin and cmax."""
    lo, hi = float(values.min()), float(values.max())
    span = hi - lo or 1.0
    fractions = ((values.astype(float) - lo) / span).clip(0, 1)
    fractions = 0.2 + 0.8 * (1 - fractions if reverse else fractions)
    return sample_colorscale(scale, list(fractions)), lo, hi


def region_map(
    latest: pd.DataFrame, shapes: Mapping, label: str, unit: str, selected: tuple[str, ...] = ()
) -> go.Figure:
    """The region's countries on plain x/y axes, colored by each country's latest value; grey = no data.

    `latest` is query.latest_by_country output. No geo traces: outlines come from the committed asset.
    """
    fig = go.Figure()
    by_code = latest.set_index(latest["country"].astype(str)) if len(latest) else latest
    reverse = unit == "rank"
    colors: dict[str, str] = {}
    lo = hi = 0.0
    if len(latest):
        palette, lo, hi = value_colors(latest["value"], reverse=reverse)
        colors = dict(zip(latest["country"].astype(str), palette, strict=True))
    data = hover_data(latest) if len(latest) else np.empty((0, 6))
    hover = {code: row for code, row in zip(latest["country"].astype(str), data, strict=True)} if len(latest) else {}
    centre_x, centre_y, centre_data, centre_text = [], [], [], []
    for feature in shapes["features"]:
        code = feature["id"]
        name = esc(feature["properties"].get("name", code))
        xs, ys = _rings(feature["geometry"])
        if code in colors:
            color = colors[code]
            row = hover[code]
            text = f"<b>{name}</b><br>{row[1]}: {row[2]} ({row[3]})<br>Source: {row[4]}<br><i>{row[5]}</i>"
            cx, cy = _centroid(feature["geometry"])
            centre_x.append(cx)
            centre_y.append(cy)
            centre_data.append(row)
            centre_text.append(esc(format_value(by_code.loc[code, "value"], unit, "=", None)).replace(" of", ""))
        elif not selected or code in selected:
            color, text = NO_DATA_GREY, f"<b>{name}</b><br>no figure for {esc(label)} in the selection"
        else:
            color, text = OUTSIDE_GREY, f"<b>{name}</b><br>not selected"
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                fill="toself",
                fillcolor=color,
                mode="lines",
                line={"color": "white", "width": 0.7},
                name=name,
                text=text,
                hoverinfo="text",
                hoveron="fills",
                showlegend=False,
            )
        )
    if centre_x:
        fig.add_trace(
            go.Scatter(
                x=centre_x,
                y=centre_y,
                mode="markers+text",
                text=centre_text,
                textposition="top center",
                textfont={"size": 11, "color": "#222"},
                marker={"size": 7, "color": "#222", "symbol": "circle"},
                customdata=np.array(centre_data, dtype=object),
                hovertemplate=HOVER,
                showlegend=False,
                name="latest value",
            )
        )
        colorscale = [[0, sample_colorscale("Blues", [0.2])[0]], [1, sample_colorscale("Blues", [1.0])[0]]]
        if reverse:
            colorscale = [[0, colorscale[1][1]], [1, colorscale[0][1]]]
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                hoverinfo="skip",
                showlegend=False,
                marker={
                    "colorscale": colorscale,
                    "cmin": lo,
                    "cmax": hi if hi > lo else lo + 1,
                    "color": [lo],
                    "showscale": True,
                    "colorbar": {"title": {"text": esc(unit)}, "thickness": 12, "len": 0.7},
                },
            )
        )
    x0, y0, x1, y1 = MAP_FRAME
    mid_lat = math.radians((y0 + y1) / 2)
    fig.update_xaxes(range=[x0, x1], visible=False, showgrid=False, constrain="domain")
    fig.update_yaxes(
        range=[y0, y1],
        visible=False,
        showgrid=False,
        scaleanchor="x",
        scaleratio=1 / math.cos(mid_lat),
        constrain="domain",
    )
    fig.update_layout(plot_bgcolor="#eaf2f8", dragmode="pan", hoverdistance=5)
    return _base_layout(_subtitle(fig, f"{label}: latest figure per country", "Grey: no figure in the selection"), 470)


# ---- series over time ----------------------------------------------------------------------------


def time_series(
    rows: pd.DataFrame,
    by: str,
    title: str,
    y_title: str,
    *,
    reverse_y: bool = False,
    name_col: str | None = None,
    aggregated: str = "",
) -> go.Figure:
    """One trace per series (`by` column): lines+markers with several dated points, markers with one.

    `aggregated`: the note of rows already reduced to one point per series and year (aggregates.points).

    Marker symbols show the comparator (▲ more than, ▼ under, ◆ about) and non-"=" points carry a label.
    Undated rows are left out here (pages list them beside the chart).
    """
    rows = rows[rows["year"].notna()]
    if aggregated:  # already one point per series and year (aggregates.points): at most sample
        note = aggregated
        if len(rows) > MAX_POINTS:
            rows = rows.sample(MAX_POINTS, random_state=0).sort_index()
            note = f"{note.rstrip('.')}; a random sample of {MAX_POINTS:,} of those points is drawn."
    else:
        rows, note = limit_points(rows, by)
    fig = go.Figure()
    name_col = name_col or ("country_name" if by == "country" else by)
    for i, (key, part) in enumerate(rows.groupby(rows[by].astype(str), observed=True, sort=True)):
        part = part.sort_values("year", kind="stable")
        several = part["year"].nunique() > 1
        color = PALETTE[i % len(PALETTE)]
        fig.add_trace(
            go.Scatter(
                x=part["year"].astype(int),
                y=part["value"],
                mode="lines+markers+text" if several else "markers+text",
                name=esc(part[name_col].iloc[0] if name_col in part else key),
                line={"color": color},
                text=point_labels(part),
                textposition="top center",
                textfont={"color": color},
                marker={
                    "color": color,
                    "size": 11 if several else 14,
                    "line": {"color": "white", "width": 1},
                    "symbol": _symbols(part["comparator"]),
                },
                customdata=hover_data(part),
                hovertemplate=HOVER,
            )
        )
    fig.update_xaxes(title="year", dtick=1, tickformat="d")
    fig.update_yaxes(title=y_title)
    if reverse_y:
        # Ranks are whole positions: no "52.5th" ticks.
        fig.update_yaxes(autorange="reversed", tickformat="d", dtick=None if rows["value"].nunique() > 6 else 1)
    # Always a legend, even for one series: the reader must see whose figures these are.
    fig.update_layout(showlegend=True)
    legend_note = "▲ more than · ▼ under · ◆ about"
    return _base_layout(_subtitle(fig, title, f"{note} {legend_note}".strip()))


def ranking_chart(
    rows: pd.DataFrame, label: str, out_of: str = "", by: str = "country_name", aggregated: str = ""
) -> go.Figure:
    """Index positions over time, one line per country; 1 at the top."""
    title = f"{label}{f' ({out_of})' if out_of else ''}"
    y_title = f"rank{f' ({esc(out_of)})' if out_of else ''}"
    return time_series(rows, by, title, y_title, reverse_y=True, aggregated=aggregated)


# ---- money ---------------------------------------------------------------------------------------


def amount_bars(
    rows: pd.DataFrame, unit: str, title: str = "Amounts", max_bars: int = MAX_BARS, total: int | None = None
) -> go.Figure:
    """One bar per claim (country · programme), colored by country, in one currency `unit` only.

    `total`: how many amounts there are when `rows` already holds only the largest (aggregates.top_values).
    """
    if rows["unit"].astype(str).nunique() > 1:
        raise ValueError("amount_bars: one currency per chart; split rows by unit first")
    note = ""
    total = max(total or 0, len(rows))
    if total > max_bars or len(rows) > max_bars:
        note = f"The {min(max_bars, len(rows))} largest of {total:,} amounts."
        rows = rows.nlargest(max_bars, "value")
    rows = rows.sort_values(["country_name", "value"], kind="stable")
    fig = go.Figure()
    for i, (country, part) in enumerate(rows.groupby(rows["country_name"].astype(str), observed=True, sort=True)):
        years = [f" ({int(y)})" if not pd.isna(y) else "" for y in part["year"]]
        labels = [f"{esc(country)} · {esc(s)}{y}" for s, y in zip(part["subject_label"], years, strict=True)]
        fig.add_trace(
            go.Bar(
                y=labels,
                x=part["value"],
                orientation="h",
                name=esc(country),
                marker_color=PALETTE[i % len(PALETTE)],
                text=[
                    esc(format_value(v, unit, str(c))) for v, c in zip(part["value"], part["comparator"], strict=True)
                ],
                textposition="auto",
                customdata=hover_data(part),
                hovertemplate=HOVER,
            )
        )
    fig.update_xaxes(title=f"amount ({esc(unit)})")
    fig.update_yaxes(title=None, automargin=True)
    fig.update_layout(showlegend=False, bargap=0.25)  # the bar labels name the country
    height = max(240, 140 + 34 * len(rows))
    return _base_layout(_subtitle(fig, f"{title} in {unit}", note or "One bar per figure a document gives"), height)


def budget_bars(both: pd.DataFrame, title: str = "Budget against actual", max_lines: int = 40) -> go.Figure:
    """Grouped bars per budget line: planned vs actual (rows from query.budget_comparison).

    Past `max_lines` lines, the lines with the largest amounts are kept and the subtitle says so.
    """
    fig = go.Figure()
    units = both["unit"].astype(str).unique()
    if len(units) > 1:
        raise ValueError("budget_bars: one currency per chart; split rows by unit first")
    unit = units[0] if len(units) else ""
    line = both.groupby(["doc", "country", "subject"], observed=True, dropna=False, sort=False).ngroup()
    note = "Lines where a document gives both figures"
    if line.nunique() > max_lines:
        largest = both["value"].groupby(line).max().sort_values(ascending=False, kind="stable")
        kept = set(largest.index[:max_lines])
        note = f"The {max_lines} largest of {len(largest):,} lines where a document gives both figures"
        both = both[line.isin(kept)]
    for measure, color in (("planned", PALETTE[0]), ("actual", PALETTE[1])):
        part = both[both["measure"] == measure]
        lines = [
            "<br>".join(esc(line) for line in textwrap.wrap(str(s), 28)) + f"<br><sup>{esc(d)}</sup>"
            for s, d in zip(part["subject"], part["doc"], strict=True)
        ]
        fig.add_trace(
            go.Bar(
                x=lines,
                y=part["value"],
                name=measure,
                marker_color=color,
                text=[format_number(v) for v in part["value"]],
                textposition="outside",
                customdata=hover_data(part),
                hovertemplate=HOVER,
            )
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(title=f"amount ({esc(unit)})")
    fig.update_xaxes(title="budget line")
    return _base_layout(_subtitle(fig, f"{title} ({unit})", note))


def figure_bytes(fig: go.Figure) -> int:
    """Size of the figure's JSON, what the browser receives."""
    return len(fig.to_json())
