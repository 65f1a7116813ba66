"""The registration clock: the register as the atlas had recorded it at the end of a day.

Valid time (``op``) says when a fact holds in the world; registration time says when the atlas said so. The
change log (store/changelog.py) holds every insert (the whole row), delete (the whole row) and changed field
(old and new value) with its moment (UTC). The register as it stood at a moment is the current register with
the entries logged after that moment undone, newest first: only the records those entries touch are read and
rewound, so the cost follows the changes since then, not the size of the register.

Organisations, memberships, municipalities and classifications are rewound; layers, regions, themes and names
are taken as they are now. Days are UTC days, as the change log's moments are.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Table, func, select

from igsatlas.domain.periods import in_words
from igsatlas.errors import NotFoundError
from igsatlas.state.view import RegisterView
from igsatlas.store import queries
from igsatlas.store import schema as t

# The tables rewound, by the name the change log gives them.
REWOUND: dict[str, Table] = {x.name: x for x in (t.organisation, t.membership, t.municipality, t.classification)}
CHUNK = 500  # keys per IN (...): well under every database's limit on bound parameters


@dataclass(frozen=True)
class Entry:
    """One change-log entry, as the rewind needs it."""

    id: int
    entity: str
    key: str
    action: str  # insert, update, delete
    field: str | None
    old_value: str | None


def end_of(day: date) -> datetime:
    """The moment a day ends (UTC, naive as the change log stores it): the start of the next day."""
    return datetime.combine(day + timedelta(days=1), time())


def first_recorded(conn: Connection) -> datetime | None:
    """When the atlas recorded its first fact (the first import), or None if it holds nothing yet."""
    found: datetime | None = conn.execute(select(func.min(t.change_log.c.at))).scalar()
    return found


def check_recorded(conn: Connection, day: date) -> None:
    """Refuse a day before the first import: the atlas said nothing then."""
    first = first_recorded(conn)
    if first is None or day < first.date():
        raise NotFoundError(
            f"De atlas had op {in_words(day)} nog niets geregistreerd"
            + (f": de eerste import was op {in_words(first.date())}." if first else "."),
            code="not-yet-registered",
            hint="Kies voor geregistreerd_op de dag van de eerste import of later."
            if first
            else "Importeer eerst de gegevens (igs import).",
        )


def registration_state(conn: Connection, day: date) -> int | None:
    """The first change-log entry after ``day`` ended (None: none since): two days with the same state see the
    same recorded register, so a view can be kept per state rather than per day."""
    c = t.change_log
    # Ordered by the moment, so that the index on it is used (a plain min(id) walks the table on SQLite).
    q = select(c.c.id).where(c.c.at >= end_of(day)).order_by(c.c.at, c.c.id).limit(1)
    found: int | None = conn.execute(q).scalar()
    return found


def entries_after(conn: Connection, moment: datetime) -> list[Entry]:
    """The entries of the rewound tables logged at or after ``moment``, newest first."""
    c = t.change_log
    # Selected by the moment alone and ordered by it, so that the index on it is used: the cost follows the
    # entries since the moment, not the length of the log. The tables are chosen here, the order made here.
    q = (
        select(c.c.id, c.c.entity, c.c.entity_key, c.c.action, c.c.field, c.c.old_value)
        .where(c.c.at >= moment)
        .order_by(c.c.at)
    )
    found = [Entry(*row) for row in conn.execute(q) if row.entity in REWOUND]
    return sorted(found, key=lambda e: e.id, reverse=True)


def _value(table: Table, name: str, value: Any) -> Any:
    """A logged value (as JSON gives it back) as the column holds it: dates and moments were written as text."""
    if value is None or name not in table.c:
        return value
    kind = table.c[name].type
    if isinstance(kind, DateTime) and isinstance(value, str):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date) and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def logged_row(table: Table, text: str) -> dict[str, Any]:
    """A whole row as an insert or a delete logged it (its empty columns left out)."""
    found = json.loads(text)
    return {c.name: _value(table, c.name, found.get(c.name)) for c in table.columns}


def rewind(table: Table, rows: dict[str, dict[str, Any]], entries: Iterable[Entry]) -> dict[str, dict[str, Any]]:
    """Undo ``entries`` (newest first, of ``table``) on ``rows`` (key -> row, changed in place): an insert is
    taken out, a delete put back, a changed field given its old value. Returns ``rows``."""
    for e in entries:
        if e.action == "insert":
            rows.pop(e.key, None)
        elif e.action == "delete" and e.old_value is not None:
            rows[e.key] = logged_row(table, e.old_value)
        elif e.action == "update" and e.field and e.key in rows:
            rows[e.key][e.field] = _value(table, e.field, json.loads(e.old_value) if e.old_value else None)
    return rows


def _current(conn: Connection, table: Table, keys: list[str]) -> dict[str, dict[str, Any]]:
    (pk,) = table.primary_key.columns
    out: dict[str, dict[str, Any]] = {}
    for start in range(0, len(keys), CHUNK):
        for row in conn.execute(select(table).where(pk.in_(keys[start : start + CHUNK]))):
            found = dict(row._mapping)
            out[str(found[pk.name])] = found
    return out


def rewound_records(conn: Connection, moment: datetime) -> dict[str, dict[str, dict[str, Any] | None]]:
    """table name -> key -> the row as it stood at ``moment`` (None: not there then), for every record the
    change log touched since."""
    by_table: dict[str, list[Entry]] = defaultdict(list)
    for e in entries_after(conn, moment):
        by_table[e.entity].append(e)
    out: dict[str, dict[str, dict[str, Any] | None]] = {}
    for name, entries in by_table.items():
        table = REWOUND[name]
        keys = sorted({e.key for e in entries})
        then = rewind(table, _current(conn, table, keys), entries)
        out[name] = {k: then.get(k) for k in keys}
    return out


def _replaced(current: Mapping[str, Any], changed: Mapping[str, dict[str, Any] | None], make: Any) -> dict[str, Any]:
    out = dict(current)
    for key, row in changed.items():
        if row is None:
            out.pop(key, None)
        else:
            out[key] = make(row)
    return out


def recorded(conn: Connection, day: date, current: RegisterView) -> RegisterView:
    """The register (every period) as the atlas had recorded it at the end of ``day``; ``current`` is the
    register as it is now (a view of every period, read from ``conn``'s database)."""
    check_recorded(conn, day)
    changed = rewound_records(conn, end_of(day))
    if not changed:
        return current
    memberships = _replaced(
        {ms.id: ms for ms in current.memberships}, changed.get("membership", {}), queries.to_membership
    )
    return current.with_records(
        organisations=_replaced(current.organisations, changed.get("organisation", {}), queries.to_organisation),
        municipalities=_replaced(current.municipalities, changed.get("municipality", {}), queries.to_municipality),
        memberships=list(memberships.values()),
        classifications=_replaced(
            current.classifications, changed.get("classification", {}), queries.to_classification
        ),
    )
