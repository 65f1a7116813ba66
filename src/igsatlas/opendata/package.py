"""The Frictionless Data Package of the bulk tables: datapackage.json (types, keys, foreign keys,
descriptions, SHA-256 of each file), and the whole package written to a folder."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from igsatlas.opendata.bulk import TABLES, csv_bytes
from igsatlas.opendata.filters import BY_TABLE
from igsatlas.opendata.register import OpenRegister


def descriptor(reg: OpenRegister, day: date | None, files: dict[str, bytes], *, query: str = "") -> dict[str, Any]:
    """The datapackage.json of the tables in ``files`` (name -> the bytes of the standard CSV)."""
    resources = []
    for t in TABLES:
        body = files[t.name]
        schema: dict[str, Any] = {
            "fields": [
                {
                    "name": c.name,
                    "type": c.type,
                    "description": c.description,
                    **({"constraints": {"required": True}} if c.required else {}),
                }
                for c in t.columns
            ],
            "primaryKey": list(t.primary_key),
            "missingValues": [""],
        }
        if t.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": f, "reference": {"resource": "" if other == t.name else other, "fields": target}}
                for f, other, target in t.foreign_keys
            ]
        resources.append(
            {
                "name": t.name,
                "title": t.title,
                "description": t.description,
                "path": f"{t.name}.csv{query}",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": len(body),
                "hash": "sha256:" + hashlib.sha256(body).hexdigest(),
                "schema": schema,
                # the query parameters /data/{name}.csv takes to give only some rows (both dialects)
                "filters": [{"name": f.name, "description": f.description} for f in BY_TABLE.get(t.name, ())],
            }
        )
    return {
        "name": "igs-atlas",
        "title": "IGS-atlas: intergemeentelijke samenwerking in Vlaanderen",
        "description": "Het register van intergemeentelijke samenwerking, zones en thematische regio's"
        + (f" op {day.isoformat()}" if day else ", alle periodes")
        + ". Twee klokken: geldig_van en geldig_tot zeggen wanneer een feit gold (leeg: niet gekend), brondatum"
        " op welke dag een bron het bevestigt, geregistreerd_sinds, geregistreerd_bron en geregistreerd_tot"
        " wanneer en waaruit de atlas het vastlegde. Zie /catalogus voor bronnen en licenties per bron.",
        "version": reg.version() or "0",
        "created": _created(reg, day),
        "homepage": "/catalogus",
        "licenses": [
            {
                "name": "other-at",
                "title": "Licentie per bron (zie /catalogus); LBLOD-licentie niet bevestigd, naamsvermelding gevraagd",
            }
        ],
        "sources": [{"title": "Agentschap Binnenlands Bestuur, Organisatieportaal (lblod/app-organization-portal)"}],
        "resources": resources,
    }


def _created(reg: OpenRegister, day: date | None) -> str:
    """When the register last changed (ISO 8601, UTC), else the day the package is about."""
    changed = reg.last_modified()
    if changed is not None:
        return changed.strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{(day or date.today()).isoformat()}T00:00:00Z"


def write_package(reg: OpenRegister, folder: Path, day: date | None) -> list[Path]:
    """Write every table and datapackage.json into ``folder``; each file is whole or not there."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {t.name: csv_bytes(reg, t, day) for t in TABLES}
    written = []
    for name, body in [*((f"{n}.csv", b) for n, b in files.items())]:
        written.append(_write(folder / name, body))
    meta = json.dumps(descriptor(reg, day, files), ensure_ascii=False, indent=2).encode()
    written.append(_write(folder / "datapackage.json", meta))
    return written


def _write(path: Path, body: bytes) -> Path:
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(body)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
