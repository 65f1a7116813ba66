"""Stored boundary paths back into rings, simplified for the scale of a map."""

from __future__ import annotations

import re

Ring = list[tuple[int, int]]

_RING = re.compile(r"M([^Z]*)Z")


def parse_path(path: str) -> list[Ring]:
    """'M1 2 3 4 5 6Z...' (as stored by the importer) -> rings of integer points."""
    rings = []
    for body in _RING.findall(path):
        numbers = [int(n) for n in body.split()]
        rings.append(list(zip(numbers[0::2], numbers[1::2], strict=True)))
    return rings


def _perpendicular(p: tuple[int, int], a: tuple[int, int], b: tuple[int, int]) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return float(((x - x1) ** 2 + (y - y1) ** 2) ** 0.5)
    return float(abs(dy * x - dx * y + x2 * y1 - y2 * x1) / (dx * dx + dy * dy) ** 0.5)


def simplify(ring: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker: keep the points that lie more than ``tolerance`` from the simplified line."""
    if len(ring) < 4:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, -1
        for i in range(first + 1, last):
            d = _perpendicular(ring[i], ring[first], ring[last])
            if d > best:
                best, index = d, i
        if index >= 0 and best > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(ring, keep, strict=True) if k]


def relative_path(rings: list[Ring], tolerance: float, min_extent: float = 0.0) -> str:
    """An SVG path with relative moves (short numbers), dropping rings smaller than ``min_extent``."""
    parts = []
    for ring in rings:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        if max(xs) - min(xs) < min_extent and max(ys) - min(ys) < min_extent:
            continue
        points = simplify(ring, tolerance)
        if len(points) < 3:
            continue
        x0, y0 = points[0]
        steps = [f"M{x0} {y0}l"]
        px, py = x0, y0
        for x, y in points[1:]:
            steps.append(f"{x - px} {y - py} ")
            px, py = x, y
        parts.append("".join(steps).rstrip() + "z")
    return "".join(parts)


def signed_area(ring: Ring) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True)) / 2


def _inside(x: float, y: float, rings: list[Ring]) -> bool:
    """Even-odd rule over all rings, so a point in a hole is outside."""
    inside = False
    for ring in rings:
        for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True):
            if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                inside = not inside
    return inside


def label_point(rings: list[Ring]) -> tuple[int, int]:
    """A point well inside the largest ring, for a label: its centroid when that lies inside, else the inside
    point of a 9 x 9 grid over the ring's box that lies farthest from the ring's corners."""
    ring = max(rings, key=lambda r: abs(signed_area(r)))
    a = signed_area(ring)
    if a:
        pairs = list(zip(ring, [*ring[1:], ring[0]], strict=True))
        cx = sum((x0 + x1) * (x0 * y1 - x1 * y0) for (x0, y0), (x1, y1) in pairs) / (6 * a)
        cy = sum((y0 + y1) * (x0 * y1 - x1 * y0) for (x0, y0), (x1, y1) in pairs) / (6 * a)
        if _inside(cx, cy, rings):
            return round(cx), round(cy)
    xs, ys = [x for x, _ in ring], [y for _, y in ring]
    grid = [
        (min(xs) + (max(xs) - min(xs)) * i / 10, min(ys) + (max(ys) - min(ys)) * j / 10)
        for i in range(1, 10)
        for j in range(1, 10)
    ]
    inside = [(x, y) for x, y in grid if _inside(x, y, rings)]
    if not inside:
        return ring[0]
    best = max(inside, key=lambda p: min((p[0] - x) ** 2 + (p[1] - y) ** 2 for x, y in ring))
    return round(best[0]), round(best[1])


def area_km2(path: str) -> float:
    """Area of a stored boundary path (decametres): outer rings and holes have opposite orientation, so the
    absolute value of the summed signed areas is the area of the land."""
    total = sum(signed_area(ring) for ring in parse_path(path))
    return abs(total) * 100 / 1_000_000  # one square decametre is 100 m²
