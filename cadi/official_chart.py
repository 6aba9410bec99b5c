"""The figure layer of the checks: official series drawn behind claims, disagreeing points ringed.

Functions add traces to a given plotly Figure (built by cadi.charts) and return it; all text from data
is escaped (charts.esc), as in every hover of the app.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from cadi import charts

OFFICIAL_COLOR = "#7f7f7f"
DISAGREE_COLOR = "#d62728"


def _trace_colors(fig: go.Figure) -> dict[str, str]:
    """Trace name -> its line colour, so an official line takes its country's colour."""
    colors = {}
    for trace in fig.data:
        line = getattr(trace, "line", None)
        if trace.name and line is not None and line.color:
            colors[trace.name] = line.color
    return colors


def _year_span(fig: go.Figure, before: int = 5) -> tuple[int, int]:
    """The years the claims on the figure cover, from `before` years earlier: the official line's window."""
    years = [int(x) for trace in fig.data if trace.x is not None for x in trace.x if x is not None]
    if not years:
        return -10_000, 10_000
    return min(years) - before, max(years) + 1


def add_official_lines(fig: go.Figure, official: pd.DataFrame, names: dict[str, str]) -> go.Figure:
    """One dashed line per country of `official` (rows of one indicator), drawn behind the claims."""
    official = official[official["year"].between(*_year_span(fig))] if len(fig.data) else official
    if official.empty:
        return fig
    colors = _trace_colors(fig)
    lines = []
    for country, part in official.groupby("country", sort=True):
        part = part.sort_values("year")
        name = charts.esc(names.get(str(country), str(country)))
        series = [charts.esc(s) for s in part["series"].astype(str)]
        ranges = [
            "" if pd.isna(lo) or pd.isna(hi) or lo == hi else f" (range {charts.format_number(lo)}–"
            f"{charts.format_number(hi)})"
            for lo, hi in zip(part["low"], part["high"], strict=True)
        ]
        lines.append(go.Scatter(
            x=part["year"].astype(int),
            y=part["value"],
            mode="lines",
            name=f"{name}: official",
            line={"color": colors.get(name, OFFICIAL_COLOR), "dash": "dash", "width": 2},
            opacity=0.55,
            customdata=list(zip(series, ranges, strict=True)),
            hovertemplate=f"{name}, official %{{x}}: %{{y:.1f}}%{{customdata[1]}}<br>%{{customdata[0]}}<extra></extra>",
        ))
    fig.add_traces(lines)
    # Traces are drawn in order: the official lines go first, behind the claims.
    fig.data = fig.data[-len(lines):] + fig.data[: -len(lines)]
    return fig


def mark_disagreements(fig: go.Figure, flagged: pd.DataFrame) -> go.Figure:
    """A red ring around each claim that another document contradicts (checks.disagreements rows)."""
    flagged = flagged[flagged["year"].notna()] if len(flagged) else flagged
    if flagged.empty:
        return fig
    # Only points the chart draws: a chart past its point limit draws one figure per year, and rings on
    # figures it does not draw would be rings on nothing (and megabytes of them on a large store).
    drawn = {(int(x), float(y)) for t in fig.data for x, y in zip(t.x if t.x is not None else (),
                                                                  t.y if t.y is not None else (), strict=False)
             if x is not None and y is not None}
    keys = pd.MultiIndex.from_arrays([flagged["year"].astype(int).to_numpy(),
                                      flagged["value"].astype(float).to_numpy()])
    flagged = flagged[keys.isin(list(drawn))]
    if flagged.empty:
        return fig
    others = [
        charts.esc(f"{name} {int(year)}: documents give {charts.format_number(lo)} to {charts.format_number(hi)}")
        for name, year, lo, hi in zip(flagged["country_name"].astype(str), flagged["year"], flagged["low"],
                                      flagged["high"], strict=True)
    ]
    fig.add_trace(go.Scatter(
        x=flagged["year"].astype(int),
        y=flagged["value"],
        mode="markers",
        name="sources disagree",
        marker={"symbol": "circle-open", "size": 22, "color": DISAGREE_COLOR, "line": {"width": 3}},
        customdata=[[o, charts.esc(d)] for o, d in zip(others, flagged["doc"].astype(str), strict=True)],
        hovertemplate="Sources disagree: %{customdata[0]}<br>this figure: %{y} (%{customdata[1]})<extra></extra>",
    ))
    return fig
