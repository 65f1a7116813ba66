"""Inserting many rows at once, without SQLAlchemy's per-row parameter work where the driver can take them.

An import writes some 30,000 rows (the register and a change-log entry for each); on SQLite, compiling the
INSERT once and handing the driver plain tuples makes that write about twice as fast. PostgreSQL keeps
SQLAlchemy's own batched "insertmanyvalues" path, which is already fast there.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
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
    if not any(processors):
        read = itemgetter(*order)
        params = list(map(read, rows)) if len(order) > 1 else [(row[order[0]],) for row in rows]
    else:
        # Column by column: a column's values repeat (one timestamp per change-log batch, a few dates), so
        # each distinct value is converted once.
        columns = [[row[n] for row in rows] for n in order]
        for i, process in enumerate(processors):
            if process is not None:
                columns[i] = list(map(_once_per_value(process), columns[i]))
        params = list(zip(*columns, strict=True))
    conn.exec_driver_sql(compiled.string, params)


def _once_per_value(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``process``, remembering its result for each distinct hashable value of one column."""
    done: dict[tuple[type, Hashable], Any] = {}

    def convert(value: Any) -> Any:
        key = (type(value), value)  # 1, 1.0 and True are equal but may convert differently
        try:
            return done[key]
        except KeyError:
            out = done[key] = process(value)
            return out
        except TypeError:  # an unhashable value (a JSON document): converted every time
            return process(value)

    return convert
