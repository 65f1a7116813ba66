"""The Organisatieportaal's triples as its stream last said them (table op_triple), for `igs sync`.

Each triple is stored once under a digest of subject, predicate, object and datatype, so a repeated insert
changes nothing and a delete finds its triple whatever language tag either side carried. ``ref`` holds an IRI
object, so the resources that point at a changed one (the organisation of a site) are found by index.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence

from sqlalchemy import Connection, select

from igsatlas.domain.triples import Triple
from igsatlas.store import schema
from igsatlas.store.insert import insert_rows

T = schema.op_triple
CHUNK = 500  # values per IN (...): well below SQLite's and PostgreSQL's parameter limits
_COLUMNS = (T.c.subject, T.c.predicate, T.c.object, T.c.datatype, T.c.lang)


def _row(t: Triple) -> dict[str, str | None]:
    return {
        "key": t.key,
        "subject": t.subject,
        "predicate": t.predicate,
        "object": t.object,
        "datatype": t.datatype,
        "lang": t.lang,
        "ref": t.ref,
    }


def _chunks(values: Collection[str]) -> Iterator[list[str]]:
    items = sorted(values)
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


def replace_all(conn: Connection, triples: Iterable[Triple]) -> int:
    """Make the table hold exactly ``triples`` (a bootstrap from the dump)."""
    rows = {row["key"]: row for row in map(_row, triples)}
    conn.execute(T.delete())
    insert_rows(conn, T, list(rows.values()))
    return len(rows)


def apply(conn: Connection, deletes: Sequence[Triple], inserts: Sequence[Triple]) -> tuple[int, int]:
    """One changeset: its deletes, then its inserts (an insert of a triple already held changes nothing).
    Returns (deleted, inserted) counts of what really changed."""
    deleted = 0
    for keys in _chunks({t.key for t in deletes}):
        deleted += conn.execute(T.delete().where(T.c.key.in_(keys))).rowcount or 0
    wanted = {t.key: t for t in inserts}
    held: set[str] = set()
    for keys in _chunks(wanted):
        held.update(conn.execute(select(T.c.key).where(T.c.key.in_(keys))).scalars())
    new = [_row(t) for k, t in wanted.items() if k not in held]
    insert_rows(conn, T, new)
    return deleted, len(new)


def of_subjects(conn: Connection, subjects: Collection[str]) -> list[Triple]:
    """Every triple of these subjects."""
    out: list[Triple] = []
    for chunk in _chunks(subjects):
        out.extend(map(Triple._make, conn.execute(select(*_COLUMNS).where(T.c.subject.in_(chunk))).all()))
    return out


def of_subjects_with(conn: Connection, subjects: Collection[str], predicate: str) -> list[Triple]:
    """The triples of these subjects with one predicate (their rdf:type, say)."""
    out: list[Triple] = []
    for chunk in _chunks(subjects):
        query = select(*_COLUMNS).where(T.c.subject.in_(chunk), T.c.predicate == predicate)
        out.extend(map(Triple._make, conn.execute(query).all()))
    return out


def pointing_at(conn: Connection, objects: Collection[str], predicates: Collection[str] = ()) -> list[Triple]:
    """The triples whose IRI object is one of ``objects`` (only with one of ``predicates``, when given)."""
    out: list[Triple] = []
    for chunk in _chunks(objects):
        query = select(*_COLUMNS).where(T.c.ref.in_(chunk))
        if predicates:
            query = query.where(T.c.predicate.in_(sorted(predicates)))
        out.extend(map(Triple._make, conn.execute(query).all()))
    return out


def everything(conn: Connection) -> list[Triple]:
    return list(map(Triple._make, conn.execute(select(*_COLUMNS)).all()))


def count(conn: Connection) -> int:
    from sqlalchemy import func

    return int(conn.execute(select(func.count()).select_from(T)).scalar() or 0)
