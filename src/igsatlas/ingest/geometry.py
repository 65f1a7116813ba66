"""geo/*.shp: municipal and provincial boundaries in Belgian Lambert 72, kept for SVG maps and as WGS84."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import shapefile
from pyproj import Transformer

from igsatlas.domain.identifiers import nis_is_valid
from igsatlas.domain.model import Boundary
from igsatlas.errors import InputError, Location
from igsatlas.ingest.problems import Problems

# (file stem, kind, vintage, code field, name field)
LAYERS = (
    ("gemeente", "gemeente", "2025", "geoitem", "naam"),
    ("gemeente2024", "gemeente", "2019", "gemeente", "naam"),
    ("provincie", "provincie", "2025", "provincie", "name"),
    ("provincie2024", "provincie", "2019", "provincie", "naam"),
)
SVG_UNIT = 10.0  # metres per SVG unit: paths are in decametres


def _rings(points: Sequence[Sequence[float]], parts: Sequence[int]) -> list[Sequence[Sequence[float]]]:
    bounds = [*parts, len(points)]
    return [points[bounds[i] : bounds[i + 1]] for i in range(len(parts))]


def _svg_path(rings: Iterable[Sequence[Sequence[float]]]) -> str:
    out = []
    for ring in rings:
        coords: list[str] = []
        last = None
        for x, y in ring:
            p = (round(x / SVG_UNIT), -round(y / SVG_UNIT))
            if p != last:
                coords.append(f"{p[0]} {p[1]}")
                last = p
        if len(coords) >= 3:
            out.append("M" + " ".join(coords) + "Z")
    return "".join(out)


def _geojson(points: Sequence[Sequence[float]], parts: Sequence[int], transformer: Transformer) -> str:
    """A MultiPolygon: shapefile rings are outer rings (clockwise) followed by their holes.

    The text is built directly (5 decimals, about 1 m) rather than through json.dumps: it is the hot part.
    """
    xs, ys = zip(*points, strict=True)
    lon, lat = transformer.transform(xs, ys)
    bounds = [*parts, len(points)]
    polygons: list[list[str]] = []
    for i in range(len(parts)):
        a, b = bounds[i], bounds[i + 1]
        ring = points[a:b]
        coords = "[" + ",".join(f"[{x:.5f},{y:.5f}]" for x, y in zip(lon[a:b], lat[a:b], strict=True)) + "]"
        area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True))
        if area <= 0 or not polygons:  # clockwise in projected space: an outer ring
            polygons.append([coords])
        else:
            polygons[-1].append(coords)
    body = ",".join("[" + ",".join(p) + "]" for p in polygons)
    return '{"type":"MultiPolygon","coordinates":[' + body + "]}"


def parse(data_dir: Path, known_nis: set[str], problems: Problems) -> list[Boundary]:
    transformer = Transformer.from_crs("EPSG:31370", "EPSG:4326", always_xy=True)
    out = []
    for stem, kind, vintage, code_field, name_field in LAYERS:
        name = f"geo/{stem}.shp"
        if not (data_dir / name).is_file():
            raise InputError(
                "the file is missing.",
                code="missing-file",
                location=Location(name),
                hint="Check IGSATLAS_DATA_DIR: geo/ needs the .shp, .shx and .dbf of each boundary set.",
            )
        try:
            with shapefile.Reader(str(data_dir / "geo" / stem)) as reader:
                records = list(reader.iterShapeRecords())
        except Exception as exc:  # pyshp raises several types for damaged files
            raise InputError(
                f"cannot read the shapefile ({exc}); it looks truncated or damaged.",
                code="truncated-file",
                location=Location(name),
                hint="Replace the .shp, .shx and .dbf with complete copies. Nothing was imported.",
            ) from exc
        for number, sr in enumerate(records, start=1):
            code = str(sr.record[code_field]).strip()
            where = Location(f"geo/{stem}.dbf", None, f"record {number}, {code_field}={code!r}")
            if kind == "gemeente" and (not nis_is_valid(code) or code not in known_nis):
                problems.reject(
                    "boundary",
                    "invalid-nis-code",
                    where,
                    f"{code!r} is not the NIS code of a known municipality.",
                    "Use the boundary files of the same vintage as regions/municipalities.csv.",
                )
                continue
            points, parts = sr.shape.points, list(sr.shape.parts)
            if not points:
                continue
            rings = _rings(points, parts)
            x0, y0, x1, y1 = sr.shape.bbox
            out.append(
                Boundary(
                    kind=kind,
                    vintage=vintage,
                    code=code,
                    name=str(sr.record[name_field]).strip(),
                    svg_path=_svg_path(rings),
                    geojson=_geojson(points, parts, transformer),
                    min_x=round(x0 / SVG_UNIT),
                    min_y=-round(y1 / SVG_UNIT),
                    max_x=round(x1 / SVG_UNIT),
                    max_y=-round(y0 / SVG_UNIT),
                )
            )
    return out
