"""A static SVG world map of the countries the catalogue covers, shaded by number of records.

    svg = world_map(counts, labels, href=lambda code: "#country=" + code)

Geometry: Natural Earth 1:110m from world-atlas (`assets/world-atlas-countries-110m.json`,
TopoJSON; ids are ISO 3166-1 numeric codes), decoded here (quantized, delta-encoded arcs)
and projected with the Equal Earth projection (Šavrič, Patterson and Jenny, 2018). The
projected outlines do not depend on the catalogue, so they are computed once per process.
Each covered country is a link (`<a>` around its `<path>`, with a `<title>`) to the index
filtered by it; the figure's text alternative is a table of the counts (see index.py).
Countries are matched by ISO numeric code through `migrmeta.values.countries` (M49).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from migrmeta.publishing.html import esc
from migrmeta.publishing.pages.labels import Labels, m49
from migrmeta.values.countries import countries

ATLAS = Path(__file__).resolve().parent / "assets" / "world-atlas-countries-110m.json"
WIDTH = 960.0
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2
SHADES = ("#dbe9f6", "#a6c8e4", "#6aa2cf", "#3a78b5", "#174d8c")  # light to dark: more records


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    """Equal Earth projection of degrees, in units of the sphere's radius."""
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(_M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


_X_MAX = equal_earth(180, 0)[0]
_Y_MAX = equal_earth(0, 90)[1]
SCALE = WIDTH / (2 * _X_MAX)
HEIGHT = round(2 * _Y_MAX * SCALE)


def _point(lon: float, lat: float) -> tuple[float, float]:
    x, y = equal_earth(lon, lat)
    return round((x + _X_MAX) * SCALE, 1), round((_Y_MAX - y) * SCALE, 1)


def _arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs, decoded (delta-encoded, quantized) to (longitude, latitude)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def _path(points: list[tuple[float, float]]) -> str:
    projected = [_point(lon, lat) for lon, lat in points]
    kept = [projected[0]]
    for point in projected[1:]:
        if abs(point[0] - kept[-1][0]) + abs(point[1] - kept[-1][1]) >= 0.6:  # below a pixel: drop
            kept.append(point)
    if len(kept) < 3:
        return ""
    return "M" + "L".join(f"{x:g},{y:g}" for x, y in kept) + "Z"


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> str:
    """A ring's path; one crossing the antimeridian (Fiji, Chukotka) is unwrapped and drawn on
    both sides, the map's outline (a clip path) cutting what lies beyond."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)  # consecutive arcs share their end point
    shift, unwrapped = 0.0, [points[0]]
    for (lon0, _), (lon, lat) in pairwise(points):
        if lon - lon0 > 180:
            shift -= 360
        elif lon0 - lon > 180:
            shift += 360
        unwrapped.append((lon + shift, lat))
    if all(-180 <= lon <= 180 for lon, _ in unwrapped):
        return _path(points)
    other = 360.0 if min(lon for lon, _ in unwrapped) < -180 else -360.0
    return _path(unwrapped) + _path([(lon + other, lat) for lon, lat in unwrapped])


def sphere() -> str:
    """The outline of the projected globe (the clip path of every country)."""
    edge = [(180.0, lat / 2) for lat in range(180, -181, -2)] + [(-180.0, lat / 2) for lat in range(-180, 181, 2)]
    return _path(edge)


@cache
def outlines() -> dict[str, str]:
    """ISO numeric code (three digits) -> the country's SVG path data."""
    topology = json.loads(ATLAS.read_text(encoding="utf-8"))
    arcs = _arcs(topology)
    paths: dict[str, str] = {}
    unnumbered: list[tuple[str, str]] = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = geometry.get("id")
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        data = "".join(_ring(arcs, ring) for polygon in polygons for ring in polygon)
        if code:
            paths[str(code).zfill(3)] = paths.get(str(code).zfill(3), "") + data
        else:
            unnumbered.append((str(geometry.get("properties", {}).get("name", "")), data))
    # Natural Earth gives Kosovo (and N. Cyprus, Somaliland) no ISO number: a shape without one
    # is drawn as the country its name is, when that country has no shape of its own (Kosovo,
    # 412 in country_converter's table), never over one that has (Cyprus, Somalia)
    for name, data in unnumbered:
        found = countries().find(name) if name else []
        facts = m49(found[0]) if len(found) == 1 else None
        if facts is not None and facts.numeric and facts.numeric not in paths:
            paths[facts.numeric] = data
    return paths


def shade(count: int, highest: int) -> str:
    """One of five shades, by the count's share of the highest (logarithmic: a few big ones)."""
    if highest <= 1:
        return SHADES[-1]
    step = math.log(count) / math.log(highest) if count > 1 else 0.0
    return SHADES[min(len(SHADES) - 1, int(step * len(SHADES)))]


def numeric_codes(alpha3_counts: Mapping[str, int]) -> dict[str, tuple[str, int]]:
    """ISO numeric code -> (alpha-3 code, count), for the countries the map can draw."""
    found: dict[str, tuple[str, int]] = {}
    known = countries()
    for code, count in alpha3_counts.items():
        country = known.get(code)
        facts = m49(country.iri) if country is not None else None
        if facts is not None and facts.numeric:
            found[facts.numeric] = (code, count)
    return found


def world_map(alpha3_counts: Mapping[str, int], labels: Labels, href: Callable[[str], str],
              title_id: str = "map-title", desc_id: str = "map-desc") -> str:
    """The map as an inline <svg> (countries without records in grey, not links)."""
    covered = numeric_codes(alpha3_counts)
    highest = max((count for _, count in covered.values()), default=0)
    parts = [f'<svg class="worldmap" viewBox="0 0 {WIDTH:g} {HEIGHT}" xmlns="http://www.w3.org/2000/svg" '
             f'role="group" aria-labelledby="{title_id}" aria-describedby="{desc_id}">',
             f'<title id="{title_id}">{labels.ui_html("map_title")}</title>',
             f'<desc id="{desc_id}">{labels.ui_html("map_desc")}</desc>',
             f'<clipPath id="sphere"><path d="{sphere()}"/></clipPath>',
             f'<path class="sphere" d="{sphere()}"/><g clip-path="url(#sphere)">']
    for numeric, data in sorted(outlines().items()):
        if numeric not in covered:
            parts.append(f'<path class="land" d="{data}"/>')
    for numeric, data in sorted(outlines().items()):
        if numeric in covered:
            code, count = covered[numeric]
            name = labels.country(countries().get(code).iri) if countries().get(code) else code  # type: ignore[union-attr]
            text = esc(f"{name}: {count}")
            parts.append(f'<a href="{esc(href(code))}" data-country="{esc(code)}" aria-label="{text}">'
                         f'<path d="{data}" fill="{shade(count, highest)}"><title>{text}</title></path></a>')
    parts.append("</g></svg>")
    return "\n".join(parts)


__all__ = ["HEIGHT", "WIDTH", "equal_earth", "numeric_codes", "outlines", "shade", "world_map"]
