"""Plotly figure builders: frames in, `go.Figure` out; no Streamlit, no network.

Every point's hover shows the value with unit and comparator, the year, the
document and the quote (HTML-escaped, wrapped); no chart sends more than
MAX_POINTS points (it aggregates or samples and says so in its subtitle).
"""

from __future__ import annotations

import html
import math
import numbers
import re
import textwrap
from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative, sample_colorscale

from cadi import geometry
from cadi.query import reader_text

MAX_POINTS = 500  # figures a chart draws; past it one per series and year (query.Selection.points)
MAX_BARS = 60  # amount bars per chart: the largest amounts
MAX_BYTES = 2_000_000
QUOTE_WIDTH = 80
QUOTE_MAX_CHARS = 300  # a hover shows the start of a quote; the table holds it whole
COMPACT_AFTER = 120  # points past which hovers carry a short quote and source (the Table tab has them whole)
CROWDED_AFTER = COMPACT_AFTER  # points past which hovers carry no quote (the Table tab has it)
NO_DATA_GREY = "#d9d9d9"
OUTSIDE_GREY = "#f0f0f0"
PALETTE = qualitative.Plotly + qualitative.D3
COMPARATOR_WORDS = {"=": "", ">": "more than ", "<": "under ", "~": "about "}
UNIT_SUFFIX = {"percent": "%", "count": "", "rank": ""}
MAP_FRAME = (36.0, 18.0, 126.0, 56.0)  # lon_min, lat_min, lon_max, lat_max
HOVER_FIELDS = 7  # country, indicator, value, year, source, quote, claim type
HOVER = (
    "<b>%{customdata[0]}</b> · %{customdata[1]}<br>"
    "<b>%{customdata[2]}</b> (%{customdata[3]})%{customdata[6]}<br>"
    "Source: %{customdata[4]}<br>"
    "<i>%{customdata[5]}</i><extra></extra>"
)
SITE = "Central Asia Digital Indicators"
MAX_SOURCE_NAMES = 3  # sources named in a figure's source line; the rest are counted


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


def percentile(rank: float, out_of: float) -> str:
    """The share of ranked countries at or above `rank`, as a reader says it: 28 of 193 -> "15"."""
    share = 100 * float(rank) / float(out_of)
    return f"{share:.0f}" if share >= 10 else f"{share:.1g}"


def format_value(value: float, unit: str, comparator: str = "=", rank_of: float | None = None) -> str:
    """A claim's value as a reader says it: "more than 83%", "about USD 1.2 billion", "48th of 193"."""
    words = COMPARATOR_WORDS.get(comparator, "")
    if unit == "rank":
        text = ordinal(int(value))
        if rank_of is not None and not pd.isna(rank_of) and int(rank_of) > 0:
            text += f" of {int(rank_of)} (top {percentile(value, rank_of)}%)"
        return words + text
    number = format_number(value)
    if unit in UNIT_SUFFIX:
        return f"{words}{number}{UNIT_SUFFIX[unit]}"
    return f"{words}{unit} {number}"


def wrap_quote(quote: str, width: int = QUOTE_WIDTH, max_chars: int = QUOTE_MAX_CHARS) -> str:
    """A quote for a hover: cut to `max_chars`, wrapped at `width`, HTML-escaped, lines joined by <br>."""
    quote = " ".join(reader_text(str(quote)).split())
    if len(quote) > max_chars:
        quote = quote[: max_chars - 1] + "…"
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


def _column(rows: pd.DataFrame, name: str) -> pd.Series:
    return rows[name] if name in rows else pd.Series(None, index=rows.index, dtype=object)


def hover_data(rows: pd.DataFrame, crowd: int | None = None) -> np.ndarray:
    """customdata for HOVER, escaped: country, indicator (– subject), value, year, source, quote, claim type.

    The source is the document's citation (query.with_sources: title, publisher, date), else its file name.
    """
    if rows.empty:
        return np.empty((0, HOVER_FIELDS), dtype=object)
    label = rows["indicator_label"] if "indicator_label" in rows else rows["indicator"]
    values = rows["value_label"].tolist() if "value_label" in rows else [
        format_value(v, str(u), str(c), r)
        for v, u, c, r in zip(rows["value"], rows["unit"], rows["comparator"], _column(rows, "rank_of"), strict=True)
    ]
    indicator = [
        esc(lab) + (f" – {esc(s)}" if s is not None and not pd.isna(s) else "")
        for lab, s in zip(label, _column(rows, "subject"), strict=True)
    ]
    years = [str(int(y)) if not pd.isna(y) else "year not stated" for y in rows["year"]]
    # Many points: a short quote and source per hover, so the chart stays light; the Table tab has them whole.
    crowd = len(rows) if crowd is None else crowd  # how many points the whole chart draws
    compact = crowd > COMPACT_AFTER
    crowded = crowd > CROWDED_AFTER
    quotes = [wrap_quote(q) for q in rows["quote"]] if "quote" in rows and not crowded \
        else ["the quote is in the Table tab"] * len(rows)
    name = "source_short" if compact and "source_short" in rows else "source"
    cited = rows[name] if name in rows else _column(rows, "doc")
    sources = ["<br>".join(esc(line) for line in _wrap(str(d), QUOTE_WIDTH)) for d in cited]
    kinds = [f" · <b>{esc(k)}</b>" if k != "actual" else "" for k in claim_types(rows)]
    if "cell_figures" in rows:  # one figure drawn for a pile (query.Selection.points): say so
        kinds = [k + (f"<br>1 of {n:,} figures this year (Table tab)" if n > 1 else "")
                 for k, n in zip(kinds, rows["cell_figures"].tolist(), strict=True)]
    return np.array(
        list(zip([esc(n) for n in rows["country_name"]], indicator, [esc(v) for v in values], years, sources,
                 quotes, kinds, strict=True)),
        dtype=object,
    )


def point_labels(rows: pd.DataFrame) -> list[str]:
    """A text label on points whose comparator is not "=" (">50%"), so it is seen without hovering."""
    return [
        "" if c == "=" else esc(f"{c}{format_number(v)}{UNIT_SUFFIX.get(str(u), '')}")
        for c, v, u in zip(rows["comparator"].astype(str), rows["value"], rows["unit"], strict=True)
    ]


# ---- size limits ---------------------------------------------------------------------------------


SUBTITLE_WIDTH = 110  # characters per subtitle line: a long note wraps instead of running off the figure
SOURCE_WIDTH = 95  # characters per source line: fits a half-width chart
SOURCE_LINES = 4


def _subtitle(fig: go.Figure, title: str, note: str) -> go.Figure:
    text = "<br>".join(esc(line) for line in _wrap(note, SUBTITLE_WIDTH)) if note else ""
    fig.update_layout(title={"text": esc(title), "subtitle": {"text": text} if note else None})
    if text.count("<br>"):
        fig.update_layout(margin={"t": 70 + 14 * text.count("<br>")})
    return fig


def year_axis(fig: go.Figure) -> go.Figure:
    """Whole-year ticks, about ten at most, over every trace a figure holds (others may add lines after us)."""
    if (fig.layout.xaxis.title.text or "") != "year":
        return fig
    years = [x for t in fig.data for x in (t.x if t.x is not None else ()) if isinstance(x, numbers.Real)]
    if years:
        fig.update_xaxes(dtick=nice_step(max(years) - min(years), 10), tickformat="d")
    if fig.layout.yaxis.autorange == "reversed":  # ranks: round steps over every trace (an overlay may widen them)
        ranks = [y for t in fig.data for y in (t.y if t.y is not None else ()) if isinstance(y, numbers.Real)]
        if ranks:
            step = nice_step(max(ranks) - min(ranks))
            fig.update_yaxes(dtick=step, tick0=1 if step == 1 else 0)
    return fig


def with_source(fig: go.Figure, source: str, below: int | None = None) -> go.Figure:
    """The source line inside the figure, under the plot, so a PNG or SVG export carries it too."""
    if not source:
        return fig
    wrapped = _wrap(f"Source: {source}", SOURCE_WIDTH)
    if len(wrapped) > SOURCE_LINES:
        wrapped = [*wrapped[: SOURCE_LINES - 1], wrapped[SOURCE_LINES - 1].rstrip(".;,") + " …"]
    lines = "<br>".join(esc(line) for line in wrapped)
    # Below the axis title when there is one; the map and bar charts without one keep it closer.
    if below is None:
        below = 56 if fig.layout.xaxis.title.text and fig.layout.xaxis.visible is not False else 24
    fig.add_annotation(text=lines, xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top",
                       yshift=-below, showarrow=False, align="left", font={"size": 11, "color": "#555"},
                       name="source")
    margin = fig.layout.margin.b or 10
    return fig.update_layout(margin={"b": margin + below + 15 * len(wrapped)})


def _base_layout(fig: go.Figure, height: int = 420) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 70, "b": 10},
        hoverlabel={"align": "left"},
        legend={"title": None},
    )
    return fig


# ---- overview ------------------------------------------------------------------------------------


def category_bars(counts: pd.DataFrame, source: str = "") -> go.Figure:
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
    return with_source(_base_layout(_subtitle(fig, "Claims per category", ""), 300), source)


def coverage_heatmap(
    matrix: pd.DataFrame, max_columns: int = 40, max_rows: int = 60, source: str = ""
) -> go.Figure:
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
    # The source goes at the top right: the rotated indicator names below take an unknown height.
    if source:
        fig.add_annotation(text=esc(f"Source: {source}"), xref="paper", yref="paper", x=1, y=1, xanchor="right",
                           yanchor="bottom", yshift=8, showarrow=False, font={"size": 11, "color": "#555"},
                           name="source")
    return fig.update_layout(margin={"b": 10, "t": 90})


def value_colors(values: pd.Series, reverse: bool = False, scale: str = "Blues") -> tuple[list[str], float, float]:
    """Colors for values on a sequential scale (lighter = lower; reversed for ranks), with cmin and cmax."""
    lo, hi = float(values.min()), float(values.max())
    span = hi - lo or 1.0
    fractions = ((values.astype(float) - lo) / span).clip(0, 1)
    fractions = 0.2 + 0.8 * (1 - fractions if reverse else fractions)
    return sample_colorscale(scale, list(fractions)), lo, hi


def region_map(
    latest: pd.DataFrame, shapes: Mapping, label: str, unit: str, selected: tuple[str, ...] = (),
    *, year: int | None = None, source: str = "",
) -> go.Figure:
    """The region's countries on plain x/y axes, colored by each country's latest value; grey = no data.

    `latest`: one dated actual figure per country (query.Selection.latest), of the year `year` when given.
    The colour scale spans only the countries the map draws (regions have no outline). No geo traces:
    outlines come from the committed asset.
    """
    borders = geometry.outlines(shapes)  # computed once per process, not per rerun
    drawn = {outline.code for outline in borders}
    latest = latest[latest["country"].astype(str).isin(drawn)] if len(latest) else latest
    by_code = latest.set_index(latest["country"].astype(str)) if len(latest) else latest
    reverse = unit == "rank"
    colors: dict[str, str] = {}
    lo = hi = 0.0
    if len(latest):
        palette, lo, hi = value_colors(latest["value"], reverse=reverse)
        colors = dict(zip(latest["country"].astype(str), palette, strict=True))
    data = hover_data(latest) if len(latest) else np.empty((0, HOVER_FIELDS))
    hover = {code: row for code, row in zip(latest["country"].astype(str), data, strict=True)} if len(latest) else {}
    centre_x, centre_y, centre_data, centre_text = [], [], [], []
    outline_traces = []
    for outline in borders:
        code, name = outline.code, outline.name
        if code in colors:
            color = colors[code]
            row = hover[code]
            text = f"<b>{name}</b><br>{row[1]}: {row[2]} ({row[3]})<br>Source: {row[4]}<br><i>{row[5]}</i>"
            cx, cy = outline.centre
            centre_x.append(cx)
            centre_y.append(cy)
            centre_data.append(row)
            centre_text.append(esc(format_value(by_code.loc[code, "value"], unit, "=", None)).replace(" of", ""))
        elif not selected or code in selected:
            when = f"for {year}" if year is not None else "with a stated year"
            color, text = NO_DATA_GREY, f"<b>{name}</b><br>no figure {when} for {esc(label)} in the selection"
        else:
            color, text = OUTSIDE_GREY, f"<b>{name}</b><br>not selected"
        outline_traces.append(geometry.outline_trace(outline, color, text))
    fig = geometry.figure(outline_traces)
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
    title = f"{label}, {year}" if year is not None else f"{label}: latest figure per country"
    note = ("Grey: no figure in the selection. Latest = the most recent year a report gives an actual figure for; "
            "targets, forecasts and undated figures are never shown as the latest.") if year is None else (
            f"Grey: no actual figure for {year} in the selection.")
    return with_source(_base_layout(_subtitle(fig, title, note), 500), source)


# ---- series over time ----------------------------------------------------------------------------

# What makes figures one series: only points that agree on all of these are ever joined by a line.
LINE_KEYS = ("country", "indicator", "unit", "claim_type", "subject")
PROJECTED = ("target", "forecast")  # drawn apart: hollow markers, dashed toward their year
EXACT = ("=", "~")  # a bound (">", "<") is never a point on a line
BOUND_SYMBOLS = {">": "triangle-up-open", "<": "triangle-down-open"}
CHANGE_INDICATOR = r"(?:^|_)(?:change|growth)(?:_|$)"  # indicators that hold changes, not levels
STYLE_NOTE = "● figure · ○ target or forecast (dashed) · △ at least · ▽ at most · lines join one series only"


def claim_types(rows: pd.DataFrame) -> list[str]:
    """Each row's claim type (actual when the store predates the column)."""
    if "claim_type" not in rows:
        return ["actual"] * len(rows)
    return ["actual" if v is None or v != v else str(v) for v in rows["claim_type"].tolist()]


def _texts(rows: pd.DataFrame, column: str) -> list[str]:
    if column not in rows:
        return [""] * len(rows)
    return ["" if v is None or v != v else str(v) for v in rows[column].tolist()]


def line_keys(rows: pd.DataFrame) -> list[tuple[str, ...]]:
    """One key per series (LINE_KEYS): two rows are joinable only when their keys are equal.

    A change ("grew 8%") says nothing of what changed unless its subject does: a change without a
    subject is a series of its own, never joined to another. Plain lists: a chart's rows are few, and
    pandas' string operations cost more than the work.
    """
    columns = [claim_types(rows) if c == "claim_type" else _texts(rows, c) for c in LINE_KEYS]
    keys = list(zip(*columns, strict=True)) if len(rows) else []
    change = re.compile(CHANGE_INDICATOR)
    subject = LINE_KEYS.index("subject")
    return [key + (f"#{i}",) if not key[subject] and change.search(key[1]) else key for i, key in enumerate(keys)]


def _segments(runs: list[list[int]], xs_all: list, ys_all: list, data_all: np.ndarray,
              texts_all: list) -> tuple[list, list, list, list]:
    """x, y, customdata and text of several runs of points (positions), runs separated by None (a gap)."""
    xs: list = []
    ys: list = []
    data: list = []
    texts: list = []
    blank = [""] * HOVER_FIELDS
    for run in runs:
        if xs:
            xs.append(None)
            ys.append(None)
            data.append(blank)
            texts.append("")
        xs.extend(xs_all[p] for p in run)
        ys.extend(ys_all[p] for p in run)
        data.extend(list(data_all[p]) for p in run)
        texts.extend(texts_all[p] for p in run)
    return xs, ys, data, texts


def _constant_fields(data: list[list[str]]) -> tuple[str, list[list[str]]]:
    """HOVER with the fields every point of a trace shares written into it, blanked in the points: lighter JSON."""
    template = HOVER
    points = [row for row in data if any(row)]
    for i in (0, 1, 4):  # country, indicator, source: often one per trace
        first = points[0][i] if points else ""
        if points and all(row[i] == first for row in points) and "%" not in first:
            template = template.replace(f"%{{customdata[{i}]}}", first)
            data = [[*row[:i], "", *row[i + 1:]] for row in data]
    return template, data


def series_traces(rows: pd.DataFrame, name: str, color: str, group: str, crowd: int = 0) -> list[go.Scatter]:
    """The traces of one legend entry (`rows`: dated figures), at most four, whatever the number of series.

    - lines: per series (LINE_KEYS), its years with one exact figure, when two or more; a gap between series;
    - points: every other exact figure (a series' only figure, or several figures for one year: each its own point);
    - targets and forecasts: hollow markers, dashed lines within one series, and a dashed lead from the
      series' last actual figure when that comes earlier;
    - bounds ("more than", "under"): open triangles pointing the way the value may lie; never joined.
    """
    kind = claim_types(rows)
    keys = line_keys(rows)
    years = [int(y) for y in rows["year"].tolist()]
    values = [float(v) for v in rows["value"].tolist()]
    comparators = [str(c) for c in rows["comparator"].tolist()]
    hover, labels = hover_data(rows, crowd or len(rows)), point_labels(rows)
    # A point standing for a pile of figures (query.Selection.points) is never on a line.
    piled = [n > 1 for n in rows["cell_figures"].tolist()] if "cell_figures" in rows else [False] * len(rows)
    exact = [c in EXACT for c in comparators]
    projected = [k in PROJECTED for k in kind]
    by_year = sorted(range(len(rows)), key=lambda p: years[p])  # stable: file order inside a year
    series: dict[tuple, list[int]] = {}
    last_actual: dict[tuple, int] = {}
    type_at = LINE_KEYS.index("claim_type")
    for p in by_year:
        if exact[p]:
            series.setdefault(keys[p], []).append(p)
            if not projected[p]:
                last_actual[keys[p]] = p
    line_runs: list[list[int]] = []
    lone: list[list[int]] = []
    ahead_runs: list[list[int]] = []
    ahead_lone: list[list[int]] = []
    leads: list[tuple[int, int]] = []
    for key in sorted(series):
        run = series[key]
        # A year with several figures cannot say which one the line goes through: those stay points.
        counts: dict[int, int] = {}
        for p in run:
            counts[years[p]] = counts.get(years[p], 0) + 1
        single = [p for p in run if counts[years[p]] == 1 and not piled[p]]
        on_line, off_line = (single, [p for p in run if p not in set(single)]) if len(single) >= 2 else ([], run)
        if projected[run[0]]:
            ahead_runs += [on_line] if on_line else []
            ahead_lone += [off_line] if off_line else []
            base = key[:type_at] + ("actual",) + key[type_at + 1:]
            if base in last_actual and years[last_actual[base]] < years[run[0]]:
                leads.append((last_actual[base], run[0]))
        else:
            line_runs += [on_line] if on_line else []
            lone += [off_line] if off_line else []
    traces: list[go.Scatter] = []
    common = {"legendgroup": group, "name": name, "hovertemplate": HOVER, "textposition": "top center",
              "textfont": {"color": color}}

    def add(runs: list[list[int]], mode: str, marker: dict, line: dict | None = None, role: str = "") -> None:
        if not runs:
            return
        xs, ys, data, texts = _segments(runs, years, values, hover, labels)
        template, data = _constant_fields(data)
        traces.append(go.Scatter(
            x=xs, y=ys, mode=mode, customdata=np.array(data, dtype=object), text=texts,
            marker={"color": color, **marker}, line=line or {"color": color}, connectgaps=False,
            showlegend=not traces, meta=role, legendrank=1, **{**common, "hovertemplate": template},
        ))

    add(line_runs, "lines+markers+text", {"size": 10, "symbol": "circle", "line": {"color": "white", "width": 1}},
        role="series")
    add(lone, "markers+text", {"size": 12, "symbol": "circle", "line": {"color": "white", "width": 1}}, role="points")
    for start, end in leads:  # a lead carries no hover: its two ends are points of their own traces
        traces.append(go.Scatter(x=[years[start], years[end]], y=[values[start], values[end]], mode="lines",
                                 line={"color": color, "dash": "dot", "width": 1.5}, hoverinfo="skip",
                                 legendgroup=group, name=name, showlegend=False, meta="lead"))
    add(ahead_runs, "lines+markers+text", {"size": 11, "symbol": "circle-open", "line": {"width": 2}},
        {"color": color, "dash": "dash"}, role="projected")
    add(ahead_lone, "markers+text", {"size": 12, "symbol": "circle-open", "line": {"width": 2}}, role="projected")
    bounds = [p for p in by_year if not exact[p]]
    if bounds:
        symbols = [BOUND_SYMBOLS.get(comparators[p], "diamond-open") for p in bounds]
        add([bounds], "markers+text", {"size": 13, "symbol": symbols, "line": {"width": 2}}, role="bounds")
    return traces


def relative_rows(rows: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Each series' figures as an index, its first figure = 100: only series a line can join (one exact,
    actual figure in each of two or more years). Returns (rows, how many figures were left out)."""
    keys = line_keys(rows)
    kinds = claim_types(rows)
    piled = rows["cell_figures"].tolist() if "cell_figures" in rows else [1] * len(rows)
    ok = [str(c) in EXACT and k == "actual" and n == 1
          for c, k, n in zip(rows["comparator"].tolist(), kinds, piled, strict=True)]
    part = rows[ok].assign(_key=[k for k, good in zip(keys, ok, strict=True) if good])
    part = part[~part.duplicated(["_key", "year"], keep=False)]
    part = part[part.groupby("_key")["year"].transform("nunique") >= 2].sort_values(["_key", "year"], kind="stable")
    base = part.groupby("_key")["value"].transform("first")
    part = part[base != 0]
    base = base[base != 0]
    index = 100 * part["value"] / base
    labels = [f"{format_value(v, str(u), '=')} = {i:,.0f} (first figure = 100)"
              for v, u, i in zip(part["value"], part["unit"], index, strict=True)]
    out = part.drop(columns="_key").assign(value=index, value_label=labels)
    return out, len(rows) - len(out)


def nice_step(span: float, ticks: int = 8) -> float:
    """A tick step of 1, 2, 2.5 or 5 times a power of ten giving at most about `ticks` ticks over `span`."""
    if span <= 0:
        return 1
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= raw:
            return max(1, step * power)
    return 10 * power


def time_series(
    rows: pd.DataFrame,
    by: str,
    title: str,
    y_title: str,
    *,
    reverse_y: bool = False,
    name_col: str | None = None,
    aggregated: str = "",
    source: str = "",
    log_y: bool = False,
    relative: bool = False,
) -> go.Figure:
    """One legend entry per `by` value; inside it, lines only within one series (LINE_KEYS).

    `aggregated`: a note saying the rows are a part of the figures (pages say how they were chosen).
    Figures are never averaged: several figures for one year stay several points, each with its source.
    Undated rows are left out here (pages list them beside the chart).
    """
    rows = rows[rows["year"].notna()]
    note = aggregated
    if relative:  # change relative to each series' first figure: only series a line joins
        rows, left_out = relative_rows(rows)
        y_title = "index (each series' first figure = 100)"
        note = f"{note} Relative change within each series; {left_out:,} figure(s) outside such a series left out." \
            if left_out else f"{note} Relative change within each series."
    if len(rows) > MAX_POINTS:
        rows = rows.sample(MAX_POINTS, random_state=0).sort_index()
        note = f"{note.rstrip('.')}{'; ' if note else ''}a random sample of {MAX_POINTS:,} figures is drawn."
    fig = go.Figure()
    name_col = name_col or ("country_name" if by == "country" else by)
    for i, (key, part) in enumerate(rows.groupby(rows[by].astype(str), observed=True, sort=True)):
        name = esc(part[name_col].iloc[0] if name_col in part else key)
        for trace in series_traces(part, name, PALETTE[i % len(PALETTE)], f"g{i}", crowd=len(rows)):
            fig.add_trace(trace)
    fig.update_xaxes(title="year", tickformat="d")
    if len(rows):
        years = rows["year"].astype(int)
        fig.update_xaxes(dtick=nice_step(years.max() - years.min(), 10))
    # Zero in view on a linear axis, so one or two figures are not blown up into a slope.
    fig.update_yaxes(title=esc(y_title), type="log" if log_y else None,
                     rangemode="tozero" if not (log_y or reverse_y) else None)
    if reverse_y:
        # Ranks are whole positions: no "52.5th" ticks, and no more than about eight of them.
        span = float(rows["value"].max() - rows["value"].min()) if len(rows) else 0
        step = nice_step(span)
        fig.update_yaxes(autorange="reversed", tickformat="d", dtick=step, tick0=1 if step == 1 else 0)
    # Always a legend, even for one series: the reader must see whose figures these are.
    fig.update_layout(showlegend=True)
    fig = _subtitle(fig, title, f"{note} {STYLE_NOTE}".strip())
    return with_source(_base_layout(fig), source)


def ranking_chart(
    rows: pd.DataFrame, label: str, out_of: str = "", by: str = "country_name", aggregated: str = "",
    source: str = "",
) -> go.Figure:
    """Index positions over time, one line per country (a bump chart); 1 at the top."""
    title = f"{label}{f' ({out_of})' if out_of else ''}"
    y_title = f"rank{f' ({out_of})' if out_of else ''}"
    return time_series(rows, by, title, y_title, reverse_y=True, aggregated=aggregated, source=source)


# ---- money ---------------------------------------------------------------------------------------


def amount_bars(
    rows: pd.DataFrame, unit: str, title: str = "Amounts", max_bars: int = MAX_BARS, total: int | None = None,
    source: str = "",
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
        givers = [f" from {esc(c)}" if isinstance(c, str) and c else "" for c in _column(part, "counterpart")]
        labels = [f"{esc(country)} · {esc(s)}{g}{y}" for s, g, y in
                  zip(part["subject_label"], givers, years, strict=True)]
        # Two figures with one label would share a bar slot: number the repeats (each bar is one figure).
        seen: dict[str, int] = {}
        for j, label in enumerate(labels):
            seen[label] = seen.get(label, 0) + 1
            labels[j] = label if seen[label] == 1 else f"{label} [{seen[label]}]"
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
    fig.update_layout(showlegend=False, bargap=0.25, barmode="overlay")  # the bar labels name the country
    height = max(240, 140 + 34 * len(rows))
    fig = _base_layout(_subtitle(fig, f"{title} in {unit}", note or "One bar per figure a document gives"), height)
    return with_source(fig, source)


def budget_bars(
    both: pd.DataFrame, title: str = "Budget against actual", max_lines: int = 40, source: str = ""
) -> go.Figure:
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
    label_lines = 1
    for measure, color in (("planned", PALETTE[0]), ("actual", PALETTE[1])):
        part = both[both["measure"] == measure]
        lines = ["<br>".join(esc(line) for line in textwrap.wrap(str(s), 28)) for s in part["subject"]]
        label_lines = max([label_lines, *(line.count("<br>") + 1 for line in lines)])
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
    # The source goes under the budget lines' names, which wrap over several lines.
    return with_source(_base_layout(_subtitle(fig, f"{title} ({unit})", note)), source, below=40 + 14 * label_lines)


def figure_bytes(fig: go.Figure) -> int:
    """Size of the figure's JSON, what the browser receives."""
    return len(fig.to_json())
