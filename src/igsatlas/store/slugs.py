"""The slug history: every slug an organisation ever had, written with the register in the same transaction, so
that the address of a renamed organisation keeps working (web/moved.py answers 301 to the current one)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, select

from igsatlas.domain.model import Organisation
from igsatlas.store import queries, schema
from igsatlas.store.changelog import now
from igsatlas.store.insert import insert_rows

t = schema.organisation_slug


def record(conn: Connection, organisations: Iterable[Organisation]) -> int:
    """Remember each organisation's slug (a slug given to another organisation now points there); returns how
    many slugs were new or moved. New slugs are written in one statement (a first import writes all of them)."""
    known = {r.slug: r.organisation_id for r in conn.execute(select(t.c.slug, t.c.organisation_id))}
    at = now()
    new: dict[str, str] = {}
    moved_to: dict[str, str] = {}
    for o in organisations:
        held = known.get(o.slug)
        if held == o.id:
            continue
        (new if held is None else moved_to)[o.slug] = o.id
    insert_rows(conn, t, [{"slug": k, "organisation_id": v, "recorded_at": at} for k, v in new.items()])
    for slug, organisation_id in moved_to.items():
        conn.execute(t.update().where(t.c.slug == slug).values(organisation_id=organisation_id, recorded_at=at))
    return len(new) + len(moved_to)


def moved(conn: Connection, slug: str) -> Organisation | None:
    """The organisation that once had ``slug`` and now has another one (None when the slug is current or was
    never one, or its organisation is gone)."""
    owner = conn.execute(select(t.c.organisation_id).where(t.c.slug == slug)).scalar()
    if owner is None:
        return None
    found = queries.organisation(conn, owner)
    return found if found is not None and found.slug != slug else None
