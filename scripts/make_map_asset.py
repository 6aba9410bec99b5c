"""Build cadi/assets/countries.geojson: the region's country outlines for the offline map.

The dashboard draws its map from this one committed file, so no map tiles or
outlines are fetched at view time. The source is Natural Earth's countries as
TopoJSON (the `world-atlas` package's countries-110m.json or countries-50m.json,
the same file Vega's world-110m is made from):

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python scripts/make_map_asset.py package/countries-50m.json

Without an argument the script tries the copy that `vega_datasets` ships, when
that release ships one (0.9.0 fetches it over the network instead, which fails
offline).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pycountry

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from etl.paths import MAP_ASSET  # noqa: E402

# The map frame (lon_min, lat_min, lon_max, lat_max): CAREC plus its neighbours.
FRAME = (24.0, 12.0, 136.0, 60.0)
CAREC = ("AFG", "AZE", "CHN", "GEO", "KAZ", "KGZ", "MNG", "PAK", "TJK", "TKM", "UZB")
DECIMALS = 2
# Natural Earth features without an ISO numeric code.
NAMELESS_CODES = {"Kosovo": "XKX", "N. Cyprus": "CYN", "Somaliland": "SOL"}
MAX_BYTES = 300_000


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Absolute lon/lat points of every arc (delta-decoded when the topology is quantized)."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy in arc:
                x, y = x + dx, y + dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(float(px), float(py)) for px, py in arc]
        arcs.append(points)
    return arcs


def ring(arc_ids: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """Join a ring's arcs; a negative id ~i means arc i reversed; shared end points appear once."""
    points: list[tuple[float, float]] = []
    for arc_id in arc_ids:
        arc = arcs[arc_id] if arc_id >= 0 else arcs[~arc_id][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def polygons(geometry: dict, arcs: list[list[tuple[float, float]]]) -> list[list[list[tuple[float, float]]]]:
    """A Polygon or MultiPolygon geometry as a list of polygons (lists of rings)."""
    if geometry["type"] == "Polygon":
        return [[ring(r, arcs) for r in geometry["arcs"]]]
    if geometry["type"] == "MultiPolygon":
        return [[ring(r, arcs) for r in poly] for poly in geometry["arcs"]]
    return []


def touches_frame(polygon: list[list[tuple[float, float]]], frame: tuple[float, ...] = FRAME) -> bool:
    """True if the outer ring's bounding box overlaps the frame."""
    xs = [p[0] for p in polygon[0]]
    ys = [p[1] for p in polygon[0]]
    return max(xs) >= frame[0] and min(xs) <= frame[2] and max(ys) >= frame[1] and min(ys) <= frame[3]


def alpha3(geometry: dict) -> str | None:
    """ISO alpha-3 code of a world-atlas geometry (its id is the ISO numeric code)."""
    name = geometry.get("properties", {}).get("name", "")
    numeric = geometry.get("id")
    if numeric is None:
        return NAMELESS_CODES.get(name)
    country = pycountry.countries.get(numeric=str(numeric).zfill(3))
    return country.alpha_3 if country else None


def rounded(polygon: list[list[tuple[float, float]]]) -> list[list[list[float]]]:
    """Round coordinates and drop consecutive duplicates the rounding creates."""
    out = []
    for r in polygon:
        points: list[list[float]] = []
        for x, y in r:
            p = [round(x, DECIMALS), round(y, DECIMALS)]
            if not points or p != points[-1]:
                points.append(p)
        if len(points) >= 4:
            out.append(points)
    return out


def build(topology: dict) -> dict:
    """A GeoJSON FeatureCollection of the countries that touch the frame, with ISO codes."""
    arcs = decode_arcs(topology)
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = alpha3(geometry)
        if code is None:
            continue
        kept = [rounded(p) for p in polygons(geometry, arcs) if touches_frame(p)]
        kept = [p for p in kept if p]
        if not kept:
            continue
        country = pycountry.countries.get(alpha_3=code)
        name = getattr(country, "common_name", None) or getattr(country, "name", None)
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {
                    "iso_a3": code,
                    "name": name or geometry.get("properties", {}).get("name", code),
                    "carec": code in CAREC,
                },
                "geometry": {"type": "MultiPolygon", "coordinates": kept},
            }
        )
    features.sort(key=lambda f: f["id"])
    return {"type": "FeatureCollection", "bbox": list(FRAME), "features": features}


def load_topology(argv: list[str]) -> dict:
    if argv:
        return json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    try:
        from vega_datasets import local_data

        return local_data.world_110m()
    except Exception as exc:  # noqa: BLE001 - any failure means: no local copy
        raise SystemExit(
            "vega_datasets has no local world-110m here; pass a TopoJSON file, e.g. "
            "`npm pack world-atlas@2.0.2` then package/countries-50m.json"
        ) from exc


def main(argv: list[str]) -> None:
    collection = build(load_topology(argv))
    missing = [c for c in CAREC if c not in {f["id"] for f in collection["features"]}]
    if missing:
        raise SystemExit(f"CAREC members missing from the map: {missing}")
    text = json.dumps(collection, separators=(",", ":"))
    if len(text) > MAX_BYTES:
        raise SystemExit(f"{len(text)} bytes is over {MAX_BYTES}; use the 110m file")
    MAP_ASSET.parent.mkdir(parents=True, exist_ok=True)
    MAP_ASSET.write_text(text, encoding="utf-8")
    print(f"wrote {MAP_ASSET} ({len(collection['features'])} countries, {len(text)} bytes)")


if __name__ == "__main__":
    main(sys.argv[1:])
