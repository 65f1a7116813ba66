"""Map outlines: the boundaries of a set simplified together, so that neighbours keep sharing their borders."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

import pytest
import shapely
from shapely.geometry import Polygon

from igsatlas.geo.coverage import area_of, simplify_together
from igsatlas.geo.maps import outlines
from igsatlas.geo.shapes import Ring, parse_path, relative_path
from igsatlas.store import queries
from igsatlas.store.engine import make_engine

SQUARE_KM = 100 / 1_000_000  # one square decametre in km²


def _path(rings: list[Ring]) -> str:
    return "".join("M" + " ".join(f"{x} {y}" for x, y in ring) + "Z" for ring in rings)


def _relative_rings(path: str) -> list[Ring]:
    """An outline's path ('M x y l dx dy ... z') back into rings of absolute points."""
    rings = []
    for m in re.finditer(r"M(-?\d+) (-?\d+)l([^z]*)z", path):
        x, y = int(m[1]), int(m[2])
        ring = [(x, y)]
        steps = [int(n) for n in m[3].split()]
        for dx, dy in zip(steps[0::2], steps[1::2], strict=True):
            x, y = x + dx, y + dy
            ring.append((x, y))
        rings.append(ring)
    return rings


def _overlap_and_gaps(paths: list[str]) -> tuple[float, int, float]:
    """km² drawn twice; holes in the union (count, km²): slivers between neighbours show up in both."""
    areas = [area_of(_relative_rings(p)) for p in paths]
    union = shapely.union_all(areas)
    holes = [h for g in shapely.get_parts(union) if isinstance(g, Polygon) for h in g.interiors]
    overlap = sum(a.area for a in areas) - union.area
    return overlap * SQUARE_KM, len(holes), sum(Polygon(h).area for h in holes) * SQUARE_KM


def test_two_neighbours_with_a_wiggly_border_keep_one_border() -> None:
    """A border of 200 small zigzags between two squares: simplified once, both sides get the same points."""
    border = [(100 + (3 if i % 2 else 0), i * 5) for i in range(201)]  # x = 100 or 103, y from 0 to 1000
    west = [(0, 0), *border, (0, 1000)]
    east = [*border, (200, 1000), (200, 0)]
    simplified = simplify_together({"w": _path([west]), "e": _path([east])}, 10)
    [w], [e] = simplified["w"], simplified["e"]
    assert len(w) < 20 and len(e) < 20  # the zigzag is gone
    shared_w = {p for p in w if 0 < p[0] < 200}
    shared_e = {p for p in e if 0 < p[0] < 200}
    assert shared_w == shared_e and len(shared_w) >= 2
    a, b = Polygon(w), Polygon(e)
    assert a.intersection(b).area == 0 and math.isclose(a.union(b).area, 200 * 1000, rel_tol=0.01)


def test_an_enclave_stays_a_hole_of_its_surrounding_municipality() -> None:
    outer = [(0, 0), (0, 100), (100, 100), (100, 0)]
    enclave = [(40, 40), (40, 60), (60, 60), (60, 40)]
    simplified = simplify_together({"around": _path([outer, enclave]), "inside": _path([enclave])}, 5)
    around = area_of(simplified["around"])
    assert around.area == 100 * 100 - 20 * 20
    assert around.intersection(area_of(simplified["inside"])).area == 0


@pytest.fixture(scope="module")
def boundary_sets(imported_url: str) -> Iterator[dict[str, dict[str, str]]]:
    engine = make_engine(imported_url)
    with engine.connect() as conn:
        found = {v: {c: p for c, (_, p) in queries.boundaries(conn, "gemeente", v).items()} for v in ("2025", "2019")}
    engine.dispose()
    yield found


@pytest.mark.parametrize("vintage", ["2025", "2019"])
def test_the_map_outlines_of_a_set_neither_overlap_nor_leave_gaps(
    boundary_sets: dict[str, dict[str, str]], vintage: str
) -> None:
    paths = boundary_sets[vintage]
    drawn = outlines(paths)
    assert len(drawn) == len(paths) == {"2025": 304, "2019": 319}[vintage]
    overlap, holes, hole_area = _overlap_and_gaps([o.path for o in drawn.values()])
    full = _overlap_and_gaps([relative_path(parse_path(p), 0) for p in paths.values()])
    # Simplifying one ring at a time (Douglas-Peucker, 120 m) drew about 30 km² twice and left about 1,160 slivers.
    assert overlap < 0.01 and holes <= full[1] and hole_area <= full[2] + 0.01
    # still a map of Flanders' scale: fewer points than the full boundaries by far
    assert sum(len(o.path) for o in drawn.values()) < sum(len(p) for p in paths.values()) / 8
