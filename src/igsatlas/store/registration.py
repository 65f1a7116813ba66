"""Registration time (formele historie): when the atlas recorded a fact, from which source, and when it stopped.

Valid time (a membership's ``valid_from``/``valid_to``: when a fact holds in the world) lives in the records
themselves; registration time lives in the change log. This module reads it for many records at once, in one
query, for the pages, the API, the linked data and the bulk downloads alike.

A record's registration starts at its newest insert (inserts and deletes of one key alternate, so that is the
start of the registration in force, or of the last one) and ends at a later delete. Each fact a page shows (a
name, a status, a role, the valid days) was registered when its current value was written: the newest update of
that field after the insert, else the insert itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Connection, String, and_, func, or_, select, type_coerce

from igsatlas.store import schema
from igsatlas.store.changelog import TABLE_SOURCES

# The input file each origin of a record comes from (an edit's own origin is its source, edit:<n>).
ORIGIN_FILES = {
    "lblod": "lblod/organisations.nt.gz",
    "regions": "regions/memberships.csv",
    "published": "published/cooperations.csv",
}
# A record the import derives (a merged municipality's membership passed to its successor) has no file of its own.
DERIVED = "import (afgeleid)"
# What a sync adds to each source in the log: ", Organisatieportaal <the dump or delta file>" (ingest/opsync.py).
VIA = ", Organisatieportaal "
# The facts whose own registration is kept apart, per table: the columns a page, the API and the exports show.
FACTS = {
    "organisation": ("name", "status", "valid_from", "valid_to"),
    "membership": ("role", "valid_from", "valid_to"),
}
_ORIGIN = re.compile(r'"origin": "([^"]*)"')
_CHUNK = 5000  # keys per statement: below SQLite's and PostgreSQL's limits on bound parameters


@dataclass(frozen=True)
class Recorded:
    """One registration: the moment (UTC) and the source, a file (``lblod/organisations.nt.gz``, the OP delta
    file) or an accepted edit (``edit:<n>``)."""

    at: datetime
    source: str

    def iso(self) -> str:
        return iso_moment(self.at)


@dataclass(frozen=True)
class Registration:
    """A record's registration: since when and from where the atlas says it, until when (None: it still does),
    and per fact when its current value was recorded."""

    since: Recorded
    until: datetime | None = None
    facts: Mapping[str, Recorded] = field(default_factory=dict)

    def of(self, column: str) -> Recorded:
        """When and from where the current value of ``column`` was recorded."""
        return self.facts.get(column, self.since)


def iso_moment(at: datetime) -> str:
    """A moment of the change log (naive UTC) as ISO 8601 with its zone: ``2026-07-24T09:30:00Z``."""
    return at.replace(tzinfo=UTC, microsecond=0).isoformat().replace("+00:00", "Z")


def file_of(source: str, origin: str | None, entity: str) -> str:
    """The file (or edit) a change-log source stands for."""
    if source.startswith("edit:"):
        return source
    if VIA in source:
        return source[source.rindex(VIA) + 2 :]
    if source.startswith("Organisatieportaal "):
        return source
    if origin is not None and origin.startswith("edit:"):
        return origin
    if origin == "derived":
        return DERIVED
    if origin in ORIGIN_FILES:
        return ORIGIN_FILES[origin]
    return TABLE_SOURCES.get(entity, source)


def registrations(conn: Connection, entity: str, keys: Iterable[str] | None = None) -> dict[str, Registration]:
    """Record key -> its registration, for the rows of ``entity`` (a table name) with ``keys`` (None: every row the
    log names). One statement (per few thousand keys): the newest insert, delete and update of each fact."""
    if keys is None:
        return _read(conn, entity, None)
    wanted = sorted(set(keys))
    out: dict[str, Registration] = {}
    for start in range(0, len(wanted), _CHUNK):
        out.update(_read(conn, entity, wanted[start : start + _CHUNK]))
    return out


def _read(conn: Connection, entity: str, keys: list[str] | None) -> dict[str, Registration]:
    log = schema.change_log
    facts = FACTS.get(entity, ())
    where = [log.c.entity == entity, or_(log.c.action.in_(("insert", "delete")), log.c.field.in_(facts))]
    if keys is not None:
        if not keys:
            return {}
        where.append(log.c.entity_key.in_(keys))
    newest = (
        select(func.max(log.c.id).label("id"))
        .where(and_(*where))
        .group_by(log.c.entity_key, log.c.action, log.c.field)
        .subquery()
    )
    # The insert's row (its JSON) names its origin, hence its file; an update's or delete's row is not needed.
    rows = conn.execute(
        select(
            log.c.id,
            log.c.entity_key,
            log.c.action,
            log.c.field,
            type_coerce(log.c.at, String).label("at"),  # parsed once per moment below: a write has one moment
            log.c.source,
            log.c.new_value,
        )
        .join(newest, log.c.id == newest.c.id)
        .order_by(log.c.id)
    ).all()
    inserts: dict[str, tuple[int, Recorded, str | None]] = {}
    deletes: dict[str, tuple[int, datetime]] = {}
    updates: dict[str, list[tuple[int, str, datetime, str]]] = {}
    moments: dict[object, datetime] = {}
    for r in rows:
        at = moments.get(r.at)
        if at is None:
            at = moments[r.at] = r.at if isinstance(r.at, datetime) else datetime.fromisoformat(r.at)
        if r.action == "insert":
            found = _ORIGIN.search(r.new_value or "")
            origin = found.group(1) if found else None
            inserts[r.entity_key] = (r.id, Recorded(at, file_of(r.source, origin, entity)), origin)
        elif r.action == "delete":
            deletes[r.entity_key] = (r.id, at)
        else:
            updates.setdefault(r.entity_key, []).append((r.id, r.field, at, r.source))
    out: dict[str, Registration] = {}
    for key, (first, since, origin) in inserts.items():
        gone = deletes.get(key)
        own = {
            column: Recorded(at, file_of(source, origin, entity))
            for number, column, at, source in updates.get(key, [])
            if number > first and (gone is None or number < gone[0])
        }
        out[key] = Registration(since, gone[1] if gone and gone[0] > first else None, own)
    return out


@dataclass(frozen=True)
class Registered:
    """The registrations of every organisation and membership (the open data's snapshots share one per write)."""

    organisations: Mapping[str, Registration] = field(default_factory=dict)
    memberships: Mapping[str, Registration] = field(default_factory=dict)


def registered(conn: Connection) -> Registered:
    """Every organisation's and membership's registration: two statements, whatever the register's size."""
    return Registered(registrations(conn, "organisation"), registrations(conn, "membership"))
