"""Inserting many rows at once, without SQLAlchemy's per-row parameter work where the driver can take them.

An import writes some 30,000 rows (the register and a change-log entry for each); on SQLite, compiling the
INSERT once and handing the driver plain tuples makes that write about twice as fast. PostgreSQL keeps
SQLAlchemy's own batched "insertmanyvalues" path, which is already fast there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, bindparam


def insert_rows(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys, naming columns of ``table``) in one executemany."""
    if not rows:
        return
    dialect = conn.dialect
    names = list(rows[0])
    if dialect.name != "sqlite" or any(c.default is not None for c in table.columns if c.name not in names):
        conn.execute(table.insert(), list(rows))
        return
    compiled = table.insert().values({n: bindparam(n) for n in names}).compile(dialect=dialect)
    order = list(compiled.positiontup or ())
    processors = [table.c[n].type.dialect_impl(dialect).bind_processor(dialect) for n in order]
    read = itemgetter(*order)
    params = list(map(read, rows)) if len(order) > 1 else [(row[order[0]],) for row in rows]
    converted = [(i, p) for i, p in enumerate(processors) if p is not None]
    if converted:
        params = [_converted(values, converted) for values in params]
    conn.exec_driver_sql(compiled.string, params)


def _converted(values: tuple[Any, ...], processors: Sequence[tuple[int, Callable[[Any], Any]]]) -> tuple[Any, ...]:
    out = list(values)
    for i, process in processors:
        out[i] = process(out[i])
    return tuple(out)
