"""A checksum of the register's contents, to prove that a failed import left the database as it was."""

from __future__ import annotations

import hashlib

from sqlalchemy import Engine, inspect, select

from igsatlas.store.schema import metadata


def content_digest(engine: Engine) -> str:
    """SHA-256 over every table's rows in primary-key order ('' tables that do not exist yet count as empty)."""
    present = set(inspect(engine).get_table_names())
    h = hashlib.sha256()
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            h.update(f"[{table.name}]".encode())
            if table.name not in present:
                continue
            for row in conn.execute(select(table).order_by(*table.primary_key.columns)):
                h.update(repr(tuple(row)).encode())
    return h.hexdigest()
