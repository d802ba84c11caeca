"""Build the map page's world outline (``static/world-110m.svg``) from Natural Earth land.

The outline is Natural Earth's 1:110m land (public domain), as redistributed in TopoJSON by
the npm package ``world-atlas`` 2.0.2 (file ``land-110m.json``, ISC licence). It is drawn
in the equirectangular projection the map page uses: x = longitude + 180, y = 90 - latitude,
in a 360 x 180 box, rounded to 0.1 degree. Regenerate with::

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python -m entente.web.worldmap package/land-110m.json > src/entente/web/static/world-110m.svg

Standard library only: a TopoJSON topology is decoded here (delta-encoded, quantized arcs).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Every arc of a quantized topology as absolute (lon, lat) points."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        points.extend(arc[1:] if points else arc)   # consecutive arcs share an end point
    return points


def _unwrapped(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """(x, y) map points of a ring, longitudes unwrapped so that no step jumps across the
    antimeridian (a step of more than 180 degrees goes the short way, past the map edge)."""
    out: list[tuple[float, float]] = []
    offset = 0.0
    previous = None
    for lon, lat in points:
        if previous is not None and abs(lon - previous) > 180:
            offset += 360 if previous > lon else -360
        previous = lon
        p = (round(lon + offset + 180, 1), round(90 - lat, 1))
        if not out or out[-1] != p:
            out.append(p)
    return out


def land_path(topology: dict, object_name: str = "land") -> str:
    """An SVG path ``d`` of every polygon ring of ``object_name`` (equirectangular, 360x180)."""
    arcs = _decode_arcs(topology)
    geometries = topology["objects"][object_name]
    geometries = geometries.get("geometries", [geometries])
    parts = []
    for geometry in geometries:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for ring in polygon:
                pts = _unwrapped(_ring(ring, arcs))
                if len(pts) < 3:
                    continue
                xs = [x for x, _ in pts]
                # a ring across the antimeridian is drawn whole past the edge, and again
                # shifted by 360 degrees; the SVG box clips both to the map
                shifts = [0] + ([-360] if max(xs) > 360 else []) + ([360] if min(xs) < 0 else [])
                for shift in shifts:
                    parts.append("M" + "L".join(f"{round(x + shift, 1):g},{y:g}" for x, y in pts) + "Z")
    return "".join(parts)


def world_svg(topology: dict) -> str:
    """The outline as a standalone SVG document."""
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 180">'
            "<!-- Natural Earth 1:110m land (public domain), via world-atlas 2.0.2 (ISC); "
            "equirectangular, x = lon + 180, y = 90 - lat -->"
            f'<path fill="#dfe3e8" stroke="#aab2bd" stroke-width="0.2" d="{land_path(topology)}"/></svg>\n')


if __name__ == "__main__":
    sys.stdout.write(world_svg(json.loads(Path(sys.argv[1]).read_text())))
