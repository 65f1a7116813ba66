"""geo/belgium-municipalities-2019.topojson: inhabitants on 1 January 2020 per 2019 municipality (Statbel)."""

from __future__ import annotations

import json
from pathlib import Path

from igsatlas.domain.identifiers import nis_is_valid
from igsatlas.domain.model import Population
from igsatlas.errors import InputError, Location
from igsatlas.ingest.files import UniqueKeys, read_text
from igsatlas.ingest.problems import Problems

FILE = "geo/belgium-municipalities-2019.topojson"
YEAR = 2020
SOURCE = "Statbel, bevolking op 1 januari 2020 (via bmesuere/belgium-topojson, CC0)"


def parse(data_dir: Path, known_nis: set[str] | None, problems: Problems) -> list[Population]:
    try:
        doc = json.loads(read_text(data_dir / FILE, FILE))
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not valid JSON ({exc.msg}); the file looks truncated or damaged.",
            code="truncated-file",
            location=Location(FILE, exc.lineno),
            hint="Replace it with a complete copy. Nothing was imported.",
        ) from exc
    try:
        geometries = next(iter(doc["objects"].values()))["geometries"]
    except (KeyError, TypeError, StopIteration, AttributeError):
        raise InputError(
            "no objects with geometries: this is not the expected TopoJSON.",
            code="invalid-input",
            location=Location(FILE),
            hint="Use belgium-municipalities-2019.topojson from the data folder.",
        ) from None
    out = []
    unique = UniqueKeys(FILE)
    for number, g in enumerate(geometries, start=1):
        props = g.get("properties") or {}
        nis, inhabitants = str(props.get("nis", "")), props.get("population")
        unique.add(nis, f"nis {nis!r}", json.dumps(props, ensure_ascii=False), None, f"geometry {number}")
        where = Location(FILE, None, f"geometry {number}, nis={nis!r}")
        if not nis_is_valid(nis) or not isinstance(inhabitants, int) or inhabitants < 0:
            problems.reject(
                "population",
                "invalid-value",
                where,
                f"nis {nis!r} or population {inhabitants!r} is not valid.",
                "Each geometry needs a five-digit nis and a whole-number population.",
            )
            continue
        if known_nis is None or nis in known_nis:
            out.append(Population(nis, YEAR, inhabitants, SOURCE))
    return out
