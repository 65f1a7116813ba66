"""`igs stats`: counts per kind, layer and status, and what the import could not match."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection

from igsatlas.store import queries, relations


def stats_document(conn: Connection, day: date) -> dict[str, Any]:
    kinds = queries.counts_by_classification(conn)
    tables = queries.table_counts(conn)
    layer_rows = []
    for layer in queries.layers(conn):
        assignment = relations.layer_assignment(conn, layer.id, day)
        covered = sum(1 for keys in assignment.values() if keys)
        layer_rows.append(
            {
                "laag": layer.id,
                "aantal_regios": len(queries.regions(conn, layer.id)),
                "gemeenten_gedekt": covered,
                "gemeenten_niet_gedekt": len(assignment) - covered,
                "gemeenten_in_meer_dan_een_regio": sum(1 for keys in assignment.values() if len(keys) > 1),
                "volledig_volgens_bron": layer.complete,
                "volledigheid": layer.completeness_note,
            }
        )
    munis = len(queries.municipalities_on(conn, day))
    issues = queries.import_issues(conn)
    return {
        "op": day.isoformat(),
        "gemeenten_in_vlaanderen": munis,
        "tabellen": tables,
        "organisaties_per_soort": [
            {"soort": label, "code": code, "status": status, "aantal": n} for code, label, status, n in kinds
        ],
        "lagen": layer_rows,
        "niet_gekoppeld": [{"code": i.code, "bron": i.source, "regel": i.line, "melding": i.message} for i in issues],
    }
