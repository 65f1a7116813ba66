"""geo/*.shp: municipal and provincial boundaries in Belgian Lambert 72, kept for SVG maps and as WGS84."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import shapefile
from pyproj import Transformer
from shapely.geometry import Polygon
from shapely.geometry.polygon import orient

from igsatlas.domain.identifiers import nis_is_valid
from igsatlas.domain.model import Boundary
from igsatlas.errors import InputError, Location
from igsatlas.ingest.files import UniqueKeys
from igsatlas.ingest.problems import Problems

# (file stem, kind, vintage, code field, name field)
LAYERS = (
    ("gemeente", "gemeente", "2025", "geoitem", "naam"),
    ("gemeente2024", "gemeente", "2019", "gemeente", "naam"),
    ("provincie", "provincie", "2025", "provincie", "name"),
    ("provincie2024", "provincie", "2019", "provincie", "naam"),
)
_STEMS = {(kind, vintage): stem for stem, kind, vintage, _, _ in LAYERS}
SVG_UNIT = 10.0  # metres per SVG unit: paths are in decametres


def _svg_path(points: np.ndarray, parts: Sequence[int]) -> str:
    """Rings as 'Mx y x y ...Z' in decametres, y flipped, repeated points (after rounding) dropped."""
    grid = np.rint(points / SVG_UNIT).astype(np.int64)
    grid[:, 1] = -grid[:, 1]
    bounds = [*parts, len(points)]
    out = []
    for i in range(len(parts)):
        ring = grid[bounds[i] : bounds[i + 1]]
        if len(ring) > 1:
            keep = np.ones(len(ring), dtype=bool)
            keep[1:] = np.any(ring[1:] != ring[:-1], axis=1)
            ring = ring[keep]
        if len(ring) >= 3:
            out.append("M" + " ".join(map(str, ring.ravel().tolist())) + "Z")
    return "".join(out)


def _geojson(points: np.ndarray, parts: Sequence[int], transformer: Transformer) -> str:
    """A MultiPolygon in WGS84 (5 decimals, about 1 m): shapefile rings are outer rings (clockwise) followed by
    their holes; GeoJSON (RFC 7946, section 3.1.6) wants outer rings counter-clockwise and holes clockwise."""
    lon, lat = transformer.transform(points[:, 0], points[:, 1])
    lonlat = np.column_stack([np.round(lon, 5), np.round(lat, 5)])
    bounds = [*parts, len(points)]
    polygons: list[list[list[list[float]]]] = []
    for i in range(len(parts)):
        a, b = bounds[i], bounds[i + 1]
        x, y = points[a:b, 0], points[a:b, 1]
        area = float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))
        coords = lonlat[a:b].tolist()
        if area <= 0 or not polygons:  # clockwise in projected space: an outer ring
            polygons.append([coords])
        else:
            polygons[-1].append(coords)
    oriented = [orient(Polygon(shell, holes), sign=1.0) for shell, *holes in polygons]
    coordinates = [[[list(p) for p in ring.coords] for ring in (o.exterior, *o.interiors)] for o in oriented]
    return json.dumps({"type": "MultiPolygon", "coordinates": coordinates}, separators=(",", ":"))


def known_only(boundaries: list[Boundary], known_nis: set[str], problems: Problems) -> list[Boundary]:
    """The boundaries whose municipality is known; an unknown NIS code is a reject (or stops the import)."""
    out = []
    for b in boundaries:
        if b.kind == "gemeente" and b.code not in known_nis:
            problems.reject(
                "boundary",
                "invalid-nis-code",
                Location(f"geo/{_STEMS[(b.kind, b.vintage)]}.dbf", None, f"code {b.code!r}"),
                f"{b.code!r} is not the NIS code of a known municipality.",
                "Use the boundary files of the same vintage as regions/municipalities.csv.",
            )
            continue
        out.append(b)
    return out


def parse(data_dir: Path, known_nis: set[str] | None, problems: Problems) -> list[Boundary]:
    """All boundaries; with ``known_nis`` also check that each municipality is known (else see known_only)."""
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
        unique = UniqueKeys(f"geo/{stem}.dbf")
        for number, sr in enumerate(records, start=1):
            code = str(sr.record[code_field]).strip()
            shown = f"{code_field}={code}, {name_field}={str(sr.record[name_field]).strip()}"
            unique.add(code, f"{code_field} {code!r}", shown, None, f"record {number}")
            where = Location(f"geo/{stem}.dbf", None, f"record {number}, {code_field}={code!r}")
            if kind == "gemeente" and (not nis_is_valid(code) or (known_nis is not None and code not in known_nis)):
                problems.reject(
                    "boundary",
                    "invalid-nis-code",
                    where,
                    f"{code!r} is not the NIS code of a known municipality.",
                    "Use the boundary files of the same vintage as regions/municipalities.csv.",
                )
                continue
            if not sr.shape.points:
                continue
            points, parts = np.asarray(sr.shape.points, dtype=np.float64), list(sr.shape.parts)
            x0, y0, x1, y1 = sr.shape.bbox
            out.append(
                Boundary(
                    kind=kind,
                    vintage=vintage,
                    code=code,
                    name=str(sr.record[name_field]).strip(),
                    svg_path=_svg_path(points, parts),
                    geojson=_geojson(points, parts, transformer),
                    min_x=round(x0 / SVG_UNIT),
                    min_y=-round(y1 / SVG_UNIT),
                    max_x=round(x1 / SVG_UNIT),
                    max_y=-round(y0 / SVG_UNIT),
                )
            )
    return out
