"""Static map geometry: the region's outlines as plotly trace dicts, built once per process.

The Overview map has one filled outline per country (about 65). Built as `go.Scatter` objects on
every rerun, plotly validated each one, about half of an Overview rerun. The geometry never changes
while the process runs, so it is computed here once per shapes object; a rerun only adds each
country's fill colour and hover text to a plain dict, and the figure is made without re-validating
what was checked once.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass

import plotly.graph_objects as go

# The style every outline shares; fillcolor, name and text are set per rerun.
OUTLINE_STYLE = {"type": "scatter", "fill": "toself", "mode": "lines", "line": {"color": "white", "width": 0.7},
                 "hoverinfo": "text", "hoveron": "fills", "showlegend": False}


@dataclass(frozen=True)
class Outline:
    """One country's outline: its code, escaped name, rings (None between rings) and label position."""

    code: str
    name: str
    xs: tuple[float | None, ...]
    ys: tuple[float | None, ...]
    centre: tuple[float, float]


_CACHE: dict[int, tuple[Mapping, tuple[Outline, ...]]] = {}


def outlines(shapes: Mapping) -> tuple[Outline, ...]:
    """The outlines of a GeoJSON FeatureCollection (features with an id), computed once per shapes object."""
    hit = _CACHE.get(id(shapes))
    if hit is not None and hit[0] is shapes:
        return hit[1]
    built = tuple(_outline(feature) for feature in shapes["features"])
    if len(_CACHE) > 8:  # tests build many small shape sets; the app has one
        _CACHE.clear()
    _CACHE[id(shapes)] = (shapes, built)  # holding `shapes` keeps its id from being reused
    return built


def outline_trace(outline: Outline, color: str, text: str) -> dict:
    """The filled outline of one country as a trace dict (geometry shared, not copied)."""
    return {**OUTLINE_STYLE, "x": outline.xs, "y": outline.ys, "fillcolor": color, "name": outline.name,
            "text": text}


def figure(traces: list[dict]) -> go.Figure:
    """A figure of outline traces, without re-validating their fixed style and geometry on every rerun."""
    return go.Figure(data=traces, _validate=False)


def _outline(feature: Mapping) -> Outline:
    geometry = feature["geometry"]
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    xs: list[float | None] = []
    ys: list[float | None] = []
    for polygon in polygons:
        for ring in polygon:
            xs.extend(p[0] for p in ring)
            ys.extend(p[1] for p in ring)
            xs.append(None)
            ys.append(None)
    # Centre of the largest ring's bounding box: good enough for a label.
    outer = max((polygon[0] for polygon in polygons), key=len)
    centre = ((min(p[0] for p in outer) + max(p[0] for p in outer)) / 2,
              (min(p[1] for p in outer) + max(p[1] for p in outer)) / 2)
    code = feature["id"]
    name = html.escape(str(feature["properties"].get("name", code)), quote=False)
    return Outline(code, name, tuple(xs), tuple(ys), centre)
