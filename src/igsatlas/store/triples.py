"""The Organisatieportaal's triples as its stream last said them (table op_triple), for `igs sync`.

Each triple is stored once under its subject and a digest of subject, predicate, object and datatype, so a
repeated insert changes nothing and a delete finds its triple whatever language tag either side carried. The table
is kept in subject order: a resource's triples are read and changed together. ``ref`` holds an IRI object, so the
resources that point at a changed one (the organisation of a site) are found by index.

Reads take sets of resources at once (one statement per CHUNK of them), so a delta file costs a few statements
whatever the number of records it names.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Connection, Executable, bindparam, delete, func, or_, select

from igsatlas.domain.triples import IRI, Triple
from igsatlas.store import schema_sources
from igsatlas.store.insert import insert_rows

T = schema_sources.op_triple
CHUNK = 5000  # values per IN (...): well below SQLite's (32,766) and PostgreSQL's (65,535) parameter limits
_COLUMNS = (T.c.subject, T.c.predicate, T.c.object, T.c.datatype, T.c.lang)
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _row(key: str, t: Triple) -> dict[str, str | None]:
    return {
        "key": key,
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


# A bootstrap (the table made to hold exactly the dump's triples) reads the dump in a worker process
# (ingest/opsync.py) and hands its triples over as one string: one object crosses the pipe instead of 100,000
# tuples (pickling them cost more than parsing the dump did).
SEPARATOR = "\x00"  # SQLite and PostgreSQL text cannot hold it, so no stored value has it
_FIELDS = 6  # key, subject, predicate, object, datatype, lang


def pack(triples: Iterable[Triple]) -> str:
    """The triples, each once, in the table's order (subject, key), as one string."""
    rows = {t.key: t for t in triples}
    parts: list[str] = []
    for key, t in sorted(rows.items(), key=_stored_order):
        parts += (key, *t)
    packed = SEPARATOR.join(parts)
    if parts and packed.count(SEPARATOR) != len(parts) - 1:
        raise ValueError("a triple holds a NUL character, which no database column can store")
    return packed


def replace_all_packed(conn: Connection, packed: str) -> int:
    """Make the table hold exactly the triples of ``pack`` (in the table's order: each row goes to the end)."""
    conn.execute(T.delete())
    if not packed:
        return 0
    values = packed.split(SEPARATOR)
    columns = [values[i::_FIELDS] for i in range(_FIELDS)]
    names = ("key", "subject", "predicate", "object", "datatype", "lang")
    rows = [
        {**dict(zip(names, row, strict=True)), "ref": row[3] if row[4] == IRI else None}
        for row in zip(*columns, strict=True)
    ]
    insert_rows(conn, T, rows)
    return len(rows)


def _stored_order(item: tuple[str, Triple]) -> tuple[str, str]:
    return item[1].subject, item[0]


def _fetch(conn: Connection, query: Executable, values: list[str]) -> Sequence[Any]:
    return conn.execute(query, {"values": values}).all()


_IN: BindParameter[list[str]] = bindparam("values", expanding=True)  # the values of one chunk


def held(conn: Connection, wanted: Mapping[str, Triple]) -> set[str]:
    """Which of these triples (key -> triple) the table holds: read by their subjects, the table's order."""
    query = select(T.c.key).where(T.c.subject.in_(_IN))
    keys = {k for chunk in _chunks({t.subject for t in wanted.values()}) for (k,) in _fetch(conn, query, chunk)}
    return keys & wanted.keys()


def write(conn: Connection, gone: Mapping[str, Triple], new: Mapping[str, Triple]) -> None:
    """Delete the triples ``gone``, then insert ``new`` (key -> triple; none of them held)."""
    if gone:
        statement = delete(T).where(T.c.subject == bindparam("s"), T.c.key == bindparam("k"))
        conn.execute(statement, [{"s": t.subject, "k": k} for k, t in gone.items()])
    insert_rows(conn, T, [_row(k, t) for k, t in new.items()])


Row = tuple[str, str, str, str, str]  # subject, predicate, object, datatype, lang


def of_subjects(conn: Connection, subjects: Collection[str], *where: ColumnElement[bool]) -> list[Row]:
    """Every triple of these subjects (only those that also meet ``where``), as plain tuples."""
    query = select(*_COLUMNS).where(T.c.subject.in_(_IN), *where)
    return [row for chunk in _chunks(subjects) for row in _fetch(conn, query, chunk)]


def types_of(conn: Connection, subjects: Collection[str]) -> dict[str, set[str]]:
    """subject -> its rdf:type classes."""
    out: dict[str, set[str]] = {}
    query = select(T.c.subject, T.c.object).where(T.c.subject.in_(_IN), T.c.predicate == RDF_TYPE)
    for chunk in _chunks(subjects):
        for s, o in _fetch(conn, query, chunk):
            out.setdefault(s, set()).add(o)
    return out


def pointing_at(conn: Connection, objects: Collection[str], predicates: Collection[str] = ()) -> list[Row]:
    """The triples whose IRI object is one of ``objects`` (only with one of ``predicates``, when given)."""
    query = select(*_COLUMNS).where(T.c.ref.in_(_IN))
    if predicates:
        query = query.where(T.c.predicate.in_(sorted(predicates)))
    return [row for chunk in _chunks(objects) for row in _fetch(conn, query, chunk)]


def referrers(conn: Connection, objects: Collection[str], skip: Collection[str] = ()) -> set[str]:
    """The subjects of the triples whose IRI object is one of ``objects`` (but not by a predicate in ``skip``)."""
    query = select(T.c.subject).where(T.c.ref.in_(_IN))
    if skip:
        query = query.where(T.c.predicate.not_in(sorted(skip)))
    return {s for chunk in _chunks(objects) for (s,) in _fetch(conn, query, chunk)}


def referrers_by(conn: Connection, objects: Collection[str], predicates: Collection[str]) -> set[str]:
    """The subjects that point at one of ``objects`` with one of ``predicates``."""
    query = select(T.c.subject).where(T.c.ref.in_(_IN), T.c.predicate.in_(sorted(predicates)))
    return {s for chunk in _chunks(objects) for (s,) in _fetch(conn, query, chunk)}


def not_a_type_but(classes: Collection[str]) -> ColumnElement[bool]:
    """A filter: every triple but the rdf:type triples of other classes than ``classes``."""
    return or_(T.c.predicate != RDF_TYPE, T.c.object.in_(sorted(classes)))


def everything(conn: Connection) -> list[Triple]:
    return list(map(Triple._make, conn.execute(select(*_COLUMNS)).all()))


def count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(T)).scalar() or 0)
