"""Write a dataset as the desired content of each table: insert new rows, update changed ones, delete gone ones.

Rows are compared by primary key, so a second import of the same data changes nothing and says so.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from sqlalchemy import Connection, Table, and_, select


@dataclass
class TableChange:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0


def _key(table: Table, row: Mapping[Any, Any]) -> tuple[Any, ...]:
    return tuple(row[c.name] for c in table.primary_key.columns)


def rows_of(records: Iterable[Any]) -> list[dict[str, Any]]:
    """Flat dataclass records -> dicts (a shallow read); enum members become their plain values."""
    out = []
    names: list[str] | None = None
    for record in records:
        if names is None:
            names = [f.name for f in dataclasses.fields(record)]
        row = {name: getattr(record, name) for name in names}
        for k, v in row.items():
            if isinstance(v, Enum):
                row[k] = v.value
        out.append(row)
    return out


def plan(
    conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]
) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]], list[tuple[Any, ...]], TableChange]:
    """Compare desired rows with the table: (to insert, to update, keys to delete, counts)."""
    columns = [c.name for c in table.columns]
    existing = {_key(table, r._mapping): tuple(r._mapping[c] for c in columns) for r in conn.execute(select(table))}
    inserts, updates = [], []
    change = TableChange()
    seen = set()
    for row in rows:
        key = _key(table, row)
        seen.add(key)
        values = tuple(row[c] for c in columns)
        old = existing.get(key)
        if old is None:
            inserts.append(row)
        elif old != values:
            updates.append(row)
        else:
            change.unchanged += 1
    deletes = [k for k in existing if k not in seen]
    change.inserted, change.updated, change.removed = len(inserts), len(updates), len(deletes)
    return inserts, updates, deletes, change


def apply_deletes(conn: Connection, table: Table, keys: list[tuple[Any, ...]]) -> None:
    pk = list(table.primary_key.columns)
    for key in keys:
        conn.execute(table.delete().where(and_(*(c == v for c, v in zip(pk, key, strict=True)))))


def apply_writes(
    conn: Connection, table: Table, inserts: list[Mapping[str, Any]], updates: list[Mapping[str, Any]]
) -> None:
    if inserts:
        conn.execute(table.insert(), list(inserts))
    pk = list(table.primary_key.columns)
    for row in updates:
        where = and_(*(c == row[c.name] for c in pk))
        conn.execute(table.update().where(where).values({k: v for k, v in row.items()}))
