"""Static map geometry: built once per process, and the same figure as validated go.Scatter outlines."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest

from cadi import geometry
from etl import paths

SQUARES = {"type": "FeatureCollection", "features": [
    {"id": "KAZ", "properties": {"name": "Kazakhstan"},
     "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [4, 0], [4, 2], [0, 2], [0, 0]]]}},
    {"id": "UZB", "properties": {"name": "<b>Uzbekistan</b>"},  # escaped, as every data text
     "geometry": {"type": "MultiPolygon", "coordinates": [
         [[[10, 10], [11, 10], [11, 11], [10, 10]]],
         [[[20, 20], [26, 20], [26, 24], [20, 24], [20, 20]], [[21, 21], [22, 21], [22, 22], [21, 21]]]]}},
]}


def test_outlines_are_built_once_per_shapes_object():
    first = geometry.outlines(SQUARES)
    assert geometry.outlines(SQUARES) is first
    assert geometry.outlines(json.loads(json.dumps(SQUARES))) is not first  # another object: its own


@pytest.mark.parametrize(("code", "name", "xs", "centre"), [
    ("KAZ", "Kazakhstan", (0, 4, 4, 0, 0, None), (2.0, 1.0)),
    # Rings separated by None; the label sits on the largest ring's box (the second polygon's outer ring).
    ("UZB", "&lt;b&gt;Uzbekistan&lt;/b&gt;", (10, 11, 11, 10, None, 20, 26, 26, 20, 20, None, 21, 22, 22, 21, None),
     (23.0, 22.0)),
])
def test_outline_rings_and_centre(code, name, xs, centre):
    outline = {o.code: o for o in geometry.outlines(SQUARES)}[code]
    assert (outline.name, outline.xs, outline.centre) == (name, xs, centre)


def test_unvalidated_figure_equals_the_validated_one():
    """The committed asset, drawn both ways: plotly's validated Scatter traces and the cached dicts."""
    shapes = json.loads(paths.MAP_ASSET.read_text(encoding="utf-8"))
    validated = go.Figure()
    dicts = []
    for i, outline in enumerate(geometry.outlines(shapes)):
        color, text = f"#{i:06x}", f"<b>{outline.name}</b><br>text {i}"
        validated.add_trace(go.Scatter(x=list(outline.xs), y=list(outline.ys), fill="toself", fillcolor=color,
                                       mode="lines", line={"color": "white", "width": 0.7}, name=outline.name,
                                       text=text, hoverinfo="text", hoveron="fills", showlegend=False))
        dicts.append(geometry.outline_trace(outline, color, text))
    assert json.loads(geometry.figure(dicts).to_json()) == json.loads(validated.to_json())
