"""The register changes on few days. Every fact's validity is bounded by the days in the periods of
memberships, organisations and municipalities; two days between the same two consecutive change days see the
same register. ``state_of`` names that interval, so work can be built once per state and reused for every day
in it (the requested day is put in afterwards)."""

from __future__ import annotations

from bisect import bisect_right
from datetime import date

from sqlalchemy import Connection, select, union

from igsatlas.store import schema


def change_days(conn: Connection) -> list[date]:
    """Every day on which some period starts or ends, sorted."""
    parts = []
    for table in (schema.membership, schema.organisation, schema.municipality):
        for column in (table.c.valid_from, table.c.valid_to):
            parts.append(select(column.label("day")).where(column.is_not(None)))
    return sorted({row.day for row in conn.execute(union(*parts))})


def state_of(days: list[date], day: date) -> int:
    """The interval of ``days`` that holds ``day``: equal for two days that see the same register."""
    return bisect_right(days, day)
