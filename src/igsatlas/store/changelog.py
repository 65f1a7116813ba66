"""The change log: every write, by an import or an accepted edit, appends what changed, why and when."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Table, select

from igsatlas.store import schema
from igsatlas.store.insert import insert_rows

# Columns too large to repeat in the log; their change is logged as the column name only.
BULKY = {"svg_path", "geojson"}
# Where a table's rows come from, when the row does not say itself.
TABLE_SOURCES = {
    "classification": "lblod/concepts.nt.gz",
    "layer": "regions/layers.csv",
    "region": "regions/memberships.csv",
    "municipality": "regions/municipalities.csv",
    "change_event": "lblod/organisations.nt.gz",
    "change_event_party": "lblod/organisations.nt.gz",
    "boundary": "geo/",
    "population": "population/population.csv",
    "locality": "places/localities.csv",
    "theme": "themes/themes.csv",
    "organisation_theme": "themes/igs-themes.csv",
    "import_issue": "import",
}


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


def _unknown(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot log a value of type {type(value).__name__}")


# One encoder for every entry: json.dumps with options builds a new encoder on each call.
_encode = json.JSONEncoder(ensure_ascii=False, default=_unknown).encode


def encode(value: Any) -> str | None:
    if value is None:
        return None
    return _encode(value)


def row_json(row: Mapping[str, Any]) -> str:
    return _encode({k: ("…" if k in BULKY else v) for k, v in row.items() if v is not None})


@dataclass
class ChangeLog:
    """Entries of one write, appended in the write's own transaction."""

    batch: str
    default_source: str
    entries: list[dict[str, Any]]
    field_origins: Mapping[tuple[str, str], str]
    at: datetime  # one write, one moment: every entry of the batch carries it
    via: str | None = None  # the file that brought the change (an OP delta file), added to each source

    @classmethod
    def start(
        cls, default_source: str, field_origins: Mapping[tuple[str, str], str] | None = None, via: str | None = None
    ) -> ChangeLog:
        return cls(uuid.uuid4().hex, default_source, [], field_origins or {}, now(), via)

    def _source(self, table: Table, row: Mapping[str, Any]) -> tuple[str, str | None]:
        origin = row.get("origin")
        if isinstance(origin, str) and origin.startswith("edit:"):
            return origin, row.get("source")
        own = row.get("source")
        if table.name in ("organisation", "membership") and isinstance(own, str):
            return own, row.get("uri") or row.get("id")
        return TABLE_SOURCES.get(table.name, self.default_source), None

    def _add(self, table: Table, key: tuple[Any, ...], action: str, row: Mapping[str, Any], **values: Any) -> None:
        source, record = self._source(table, row)
        edited = (
            self.field_origins.get((str(key[0]), values.get("field") or ""))
            if table.name in ("organisation", "membership")
            else None
        )
        if edited is None and self.default_source.startswith("edit:"):
            # A write that publishes an edit writes only what the edit changes (ingest/publication.py): each of
            # its fields, also one derived from it (a slug, a start date), is the edit's, not its row's source's.
            edited = self.default_source
        if edited is not None:
            source, record = edited, row.get("uri") or row.get("id")
        elif self.via is not None and not source.startswith("edit:"):
            source = f"{source}, {self.via}"
        self.entries.append(
            {
                "batch": self.batch,
                "at": self.at,
                "entity": table.name,
                "entity_key": "|".join(str(_plain(k)) for k in key),
                "action": action,
                "field": values.get("field"),
                "old_value": values.get("old_value"),
                "new_value": values.get("new_value"),
                "source": source,
                "record": record,
                "organisation_id": row.get("id") if table.name == "organisation" else row.get("organisation_id"),
                "member_id": row.get("member_id"),
            }
        )

    def inserted(self, table: Table, key: tuple[Any, ...], row: Mapping[str, Any]) -> None:
        self._add(table, key, "insert", row, new_value=row_json(row))

    def deleted(self, table: Table, key: tuple[Any, ...], row: Mapping[str, Any]) -> None:
        self._add(table, key, "delete", row, old_value=row_json(row))

    def updated(self, table: Table, key: tuple[Any, ...], old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        for column in table.columns:
            name = column.name
            if old.get(name) != new.get(name):
                bulky = name in BULKY
                self._add(
                    table,
                    key,
                    "update",
                    new,
                    field=name,
                    old_value=None if bulky else encode(old.get(name)),
                    new_value=None if bulky else encode(new.get(name)),
                )

    def write(self, conn: Connection) -> None:
        insert_rows(conn, schema.change_log, self.entries)


def entries_for(conn: Connection, entity: str, keys: Sequence[str]) -> list[dict[str, Any]]:
    """The log entries of some rows of a table, newest first."""
    if not keys:
        return []
    t = schema.change_log
    rows = conn.execute(select(t).where(t.c.entity == entity, t.c.entity_key.in_(list(keys))).order_by(t.c.id.desc()))
    return [dict(r._mapping) for r in rows]
