"""Write a dataset as the desired content of each table: insert new rows, update changed ones, delete gone ones.

Rows are compared by primary key, so a second import of the same data changes nothing and says so.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from operator import attrgetter, itemgetter
from typing import Any, get_args, get_type_hints

from sqlalchemy import Connection, Table, and_, bindparam, select

from igsatlas.store.changelog import ChangeLog
from igsatlas.store.insert import insert_rows


@dataclass
class TableChange:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0


def _key(table: Table, row: Mapping[Any, Any]) -> tuple[Any, ...]:
    return tuple(row[c.name] for c in table.primary_key.columns)


def _keys(table: Table, rows: Sequence[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
    names = [c.name for c in table.primary_key.columns]
    if len(names) == 1:
        (name,) = names
        return [(row[name],) for row in rows]
    return list(map(itemgetter(*names), rows))


def rows_of(records: Iterable[Any]) -> list[dict[str, Any]]:
    """Flat dataclass records -> dicts (a shallow read); enum members become their plain values.

    The fields that can hold an enum are found once, from the first record's declared types."""
    records = list(records)
    if not records:
        return []
    kinds = set(map(type, records))
    if len(kinds) > 1:
        raise TypeError(f"one table's records must be of one type, not {sorted(k.__name__ for k in kinds)}")
    names = [f.name for f in dataclasses.fields(records[0])]
    read = attrgetter(*names) if len(names) > 1 else (lambda r: (getattr(r, names[0]),))
    out = [dict(zip(names, read(record), strict=True)) for record in records]
    for name in _enum_fields(type(records[0])):
        for row in out:
            value = row[name]
            if isinstance(value, Enum):
                row[name] = value.value
    return out


def _enum_fields(cls: type) -> list[str]:
    """The fields whose declared type names an Enum (alone, optional or in a union)."""
    hints = get_type_hints(cls)
    found = []
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        options = get_args(hint) or (hint,)
        if any(isinstance(o, type) and issubclass(o, Enum) for o in options):
            found.append(f.name)
    return found


@dataclass
class Plan:
    """What writing the desired rows of one table means: inserts, updates (with the old row), deletes."""

    table: Table
    inserts: list[Mapping[str, Any]]
    updates: Sequence[tuple[Mapping[str, Any], Mapping[str, Any]]]  # (old, new)
    deletes: Sequence[tuple[tuple[Any, ...], Mapping[str, Any]]]  # (key, old)
    change: TableChange
    existing: Sequence[Mapping[str, Any]] = ()  # every row the table held before


def stored(conn: Connection, table: Table) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Every row of the table, by primary key."""
    columns = [c.name for c in table.columns]
    key_at = [columns.index(c.name) for c in table.primary_key.columns]
    return {
        tuple(r[i] for i in key_at): dict(zip(columns, r, strict=True)) for r in conn.execute(select(*table.columns))
    }


def patched(
    table: Table,
    existing: Mapping[tuple[Any, ...], Mapping[str, Any]],
    before: Sequence[Mapping[str, Any]],
    after: Sequence[Mapping[str, Any]],
) -> list[dict[str, Any]]:
    """The stored rows changed only where ``after`` differs from ``before``, field by field: rows new in
    ``after`` added, rows gone from it removed, changed fields set. What else differs between the stored rows and
    either of them stays as stored."""
    was = dict(zip(_keys(table, before), before, strict=True))
    out = {key: dict(row) for key, row in existing.items()}
    for key, row in zip(_keys(table, after), after, strict=True):
        old = was.pop(key, None)
        if old is None:
            out[key] = dict(row)
        elif old != row and key in out:
            out[key].update({c: v for c, v in row.items() if old.get(c) != v})
    for key in was:
        out.pop(key, None)
    return list(out.values())


def plan(
    conn: Connection,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    existing: Mapping[tuple[Any, ...], Mapping[str, Any]] | None = None,
) -> Plan:
    """Compare desired rows with the table (``existing``: its rows, when already read)."""
    return _compare(table, rows, stored(conn, table) if existing is None else existing)


def keyed(table: Table, rows: Iterable[Mapping[str, Any]]) -> dict[tuple[Any, ...], Mapping[str, Any]]:
    """Rows by primary key (rows of the table already read, to compare desired rows with)."""
    rows = list(rows)
    return dict(zip(_keys(table, rows), rows, strict=True))


def plan_within(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]], where: Any) -> Plan:
    """Compare desired rows with the part of the table that ``where`` selects (None: all of it); rows of that
    part that are not desired are to be deleted, the rest of the table is left alone."""
    columns = [c.name for c in table.columns]
    key_at = [columns.index(c.name) for c in table.primary_key.columns]
    query = select(*table.columns) if where is None else select(*table.columns).where(where)
    existing = {tuple(r[i] for i in key_at): dict(zip(columns, r, strict=True)) for r in conn.execute(query)}
    return _compare(table, rows, existing)


def _compare(
    table: Table, rows: Sequence[Mapping[str, Any]], existing: Mapping[tuple[Any, ...], Mapping[str, Any]]
) -> Plan:
    columns = [c.name for c in table.columns]
    inserts, updates = [], []
    change = TableChange()
    seen = set()
    for key, row in zip(_keys(table, rows), rows, strict=True):
        seen.add(key)
        old = existing.get(key)
        if old is None:
            inserts.append(row)
        elif any(old[c] != row[c] for c in columns):
            updates.append((old, row))
        else:
            change.unchanged += 1
    deletes = [(k, old) for k, old in existing.items() if k not in seen]
    change.inserted, change.updated, change.removed = len(inserts), len(updates), len(deletes)
    return Plan(table, inserts, updates, deletes, change, list(existing.values()))


def apply_deletes(conn: Connection, p: Plan, log: ChangeLog, *, everything: bool = False) -> None:
    """Delete the rows that are gone (``everything``: every row, to write the table afresh)."""
    table = p.table
    for key, old in p.deletes:
        log.deleted(table, key, old)
    if everything:
        conn.execute(table.delete())
        return
    pk = list(table.primary_key.columns)
    for key, _ in p.deletes:
        conn.execute(table.delete().where(and_(*(c == v for c, v in zip(pk, key, strict=True)))))


def apply_writes(
    conn: Connection, p: Plan, log: ChangeLog, *, everything: bool = False, desired: Sequence[Mapping[str, Any]] = ()
) -> None:
    """Insert new rows and update changed ones (``everything``: insert all desired rows afresh)."""
    table = p.table
    for key, row in zip(_keys(table, p.inserts), p.inserts, strict=True):
        log.inserted(table, key, row)
    for old, new in p.updates:
        log.updated(table, _key(table, new), old, new)
    insert_rows(conn, table, desired if everything else p.inserts)
    if everything:
        return
    if not p.updates:
        return
    # One statement per set of changed columns, for all the rows that change just those (executemany):
    # compiling an UPDATE per row costs more than running it, and columns that keep their value (an indexed
    # name or slug) are not written again.
    pk = list(table.primary_key.columns)
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for old, new in p.updates:
        changed = tuple(n for n, v in new.items() if n not in old or old[n] != v)
        groups.setdefault(changed, []).append({**{n: new[n] for n in changed}, **_where_key(pk, new)})
    for names, params in groups.items():
        if not names:
            continue
        statement = (
            table.update()
            .where(and_(*(c == bindparam(f"key_{c.name}") for c in pk)))
            .values({n: bindparam(n) for n in names})
        )
        conn.execute(statement, params)


def _where_key(pk: Sequence[Any], row: Mapping[str, Any]) -> dict[str, Any]:
    return {f"key_{c.name}": row[c.name] for c in pk}
