"""The municipal boundaries of one set simplified together (shapely's coverage simplification): a border two
municipalities share is simplified once, so neighbours keep meeting without slivers or gaps on the maps."""

from __future__ import annotations

from collections.abc import Mapping

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from igsatlas.geo.shapes import Ring, parse_path


def _polygonal(geometry: BaseGeometry) -> MultiPolygon:
    """The polygons of a geometry, without the lines and points that repairing a ring may leave."""
    return MultiPolygon([g for g in shapely.get_parts(geometry) if isinstance(g, Polygon) and not g.is_empty])


def area_of(rings: list[Ring]) -> MultiPolygon:
    """The land of a boundary's rings, by the even-odd rule (a ring inside another is a hole in it)."""
    parts = [_polygonal(shapely.make_valid(Polygon(ring))) for ring in rings if len(ring) >= 3]
    if not parts:
        return MultiPolygon()
    found = parts[0]
    for part in parts[1:]:
        found = _polygonal(found.symmetric_difference(part))
    return found


def rings_of(geometry: BaseGeometry) -> list[Ring]:
    """Every ring (outer rings and holes) of a polygonal geometry, as integer points without the closing point."""
    out: list[Ring] = []
    for polygon in _polygonal(geometry).geoms:
        for ring in [polygon.exterior, *polygon.interiors]:
            points = [(round(x), round(y)) for x, y in ring.coords[:-1]]
            if len(points) >= 3:
                out.append(points)
    return out


def simplify_together(paths: Mapping[str, str], tolerance: float) -> dict[str, list[Ring]]:
    """The rings of each stored boundary path (code -> path) after simplifying the whole set as one coverage.
    ``tolerance`` is in the paths' unit (decametres): roughly the square root of the smallest triangle kept
    (Visvalingam-Whyatt, as shapely.coverage_simplify does it)."""
    codes = list(paths)
    areas = [area_of(parse_path(paths[code])) for code in codes]
    simplified = shapely.coverage_simplify(areas, tolerance)
    return {code: rings_of(geometry) for code, geometry in zip(codes, simplified, strict=True)}
