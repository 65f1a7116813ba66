"""Applying one delta file at the cost of what it names, not of the register.

The file's triples change the stored triples; the organisations and memberships whose triples changed (an
organisation also when one of its sites, addresses, contact points or identifiers changed) are read again from
the stored triples around them, and their rows are compared and written through the same diff-and-write and
change log as an import. What a single record cannot settle by itself (a new or removed organisation, a change
to a code list or change event, a record an accepted edit touches, a name that links a published or layer record,
a municipality's identity) raises ``NeedsFull``: the caller then composes the whole register as an import does.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, or_, select

from igsatlas.domain import classifications as cls
from igsatlas.domain.model import Family, Organisation
from igsatlas.ingest import lblod, opregister
from igsatlas.ingest.changesets import IRI, Changeset, Triple
from igsatlas.ingest.names import name_variants
from igsatlas.ingest.problems import Problems
from igsatlas.ingest.rdf import RDF_TYPE
from igsatlas.store import edits as store_edits
from igsatlas.store import schema, triples
from igsatlas.store.changelog import ChangeLog
from igsatlas.store.sync import Plan, TableChange, apply_deletes, apply_writes, keyed, plan, rows_of

ORG = lblod.ORG
ORGANISATION_CLASSES = frozenset(lblod.ORGANISATION_CLASSES)
MEMBERSHIP = f"{ORG}Membership"
# Resources whose change reaches further than their own record: change events, code lists.
WIDE_CLASSES = frozenset(
    {
        f"{ORG}ChangeEvent",
        "http://data.vlaanderen.be/ns/besluit#Bestuurseenheid#ChangeEventResult",
        "https://data.vlaanderen.be/ns/organisatie#VeranderingsgebeurtenisResultaat",
        "http://www.w3.org/2004/02/skos/core#Concept",
        "http://www.w3.org/2004/02/skos/core#ConceptScheme",
        f"{ORG}Role",
    }
)
# Links that lead away from an organisation's own record: not followed when gathering its triples.
NOT_FOLLOWED = frozenset(
    {
        RDF_TYPE,
        f"{ORG}hasSubOrganization",
        f"{ORG}linkedTo",
        f"{ORG}hasPost",
        f"{ORG}changedBy",
        f"{ORG}resultedFrom",
        "http://www.w3.org/2002/07/owl#sameAs",
        "http://www.opengis.net/ont/geosparql#sfWithin",
        "https://data.vlaanderen.be/ns/adres#adresIsGelegenIn",
        f"{lblod.SKOS}broader",
        f"{lblod.SKOS}narrower",
        f"{lblod.SKOS}inScheme",
        f"{lblod.SKOS}topConceptOf",
        f"{lblod.SKOS}hasTopConcept",
    }
)
EVENT_LINKS = (f"{ORG}originalOrganization", f"{ORG}resultingOrganization")
LOCAL_CODES = frozenset(cls.slugify(k) for k, v in cls.FAMILIES.items() if v == Family.LOCAL_GOVERNMENT)
DEPTH = 3  # organisation -> site -> contact point or address -> werkingsgebied


class NeedsFull(Exception):
    """The file changes something only a composition of the whole register settles."""


@dataclass
class Applied:
    """What a file changed in the stored triples, and in the register."""

    deleted: list[Triple] = field(default_factory=list)
    inserted: list[Triple] = field(default_factory=list)
    not_held: int = 0  # deletes of triples the atlas did not hold
    repeated: int = 0  # inserts of triples the atlas already held
    changes: dict[str, TableChange] = field(default_factory=dict)
    logged: int = 0

    @property
    def changed(self) -> bool:
        return any(c.inserted or c.updated or c.removed for c in self.changes.values())


def apply_triples(conn: Connection, changesets: Sequence[Changeset]) -> Applied:
    """Every changeset in order, deletes before inserts; what really changed is returned.

    The file is played through in memory over the keys the table held before it (one read), then written as one
    set of deletes and one of inserts: a triple deleted and inserted again within the file is written as its
    last insert."""
    out = Applied()
    keyed = [([(t.key, t) for t in cs.deletes], [(t.key, t) for t in cs.inserts]) for cs in changesets]
    named = {k: t for deletes, inserts in keyed for k, t in (*deletes, *inserts)}
    stored = triples.held(conn, named)
    present = set(stored)
    removed: dict[str, Triple] = {}  # the triples the table held that a changeset deletes
    written: dict[str, Triple] = {}  # key -> the triple to store: inserted while it was not held
    for deletes, inserts in keyed:
        gone = {k: t for k, t in deletes if k in present}
        out.not_held += len({k for k, _ in deletes} - present)
        present.difference_update(gone)
        removed.update((k, t) for k, t in gone.items() if k in stored)
        for k in gone:
            written.pop(k, None)
        new = {k: t for k, t in inserts if k not in present}
        out.repeated += len({k for k, _ in inserts} & present)
        present.update(new)
        written.update(new)
        out.deleted.extend(gone.values())
        out.inserted.extend(new.values())
    triples.write(conn, removed, written)
    return out


def _kinds(conn: Connection, subjects: set[str], changed: Iterable[Triple]) -> dict[str, set[str]]:
    """The classes of these subjects: those held now and those the file deleted or inserted."""
    kinds = triples.types_of(conn, subjects) if subjects else {}
    for t in changed:
        if t.predicate == RDF_TYPE and t.subject in subjects:
            kinds.setdefault(t.subject, set()).add(t.object)
    return kinds


def affected(conn: Connection, applied: Applied) -> tuple[set[str], set[str]]:
    """(organisation URIs, membership URIs) whose records the changed triples touch."""
    changed = [*applied.deleted, *applied.inserted]
    subjects = {t.subject for t in changed}
    kinds = _kinds(conn, subjects, changed)
    orgs: set[str] = set()
    memberships: set[str] = set()
    loose: set[str] = set()
    for s in subjects:
        k = kinds.get(s, set())
        if k & WIDE_CLASSES:
            raise NeedsFull(f"{s} is a code or change event")
        if k & ORGANISATION_CLASSES:
            orgs.add(s)
        elif MEMBERSHIP in k:
            memberships.add(s)
        else:
            loose.add(s)
    # A site, address, contact point or identifier: walk back to the organisation that has it.
    seen = set(loose)
    for _ in range(DEPTH):
        if not loose:
            break
        owners = triples.referrers(conn, loose, NOT_FOLLOWED) - seen
        owner_kinds = triples.types_of(conn, owners) if owners else {}
        loose = set()
        for s in owners:
            k = owner_kinds.get(s, set())
            if k & WIDE_CLASSES:
                raise NeedsFull(f"{s} is a code or change event")
            if k & ORGANISATION_CLASSES:
                orgs.add(s)
            elif MEMBERSHIP not in k:
                loose.add(s)
        seen |= loose
    return orgs, memberships


def gather(conn: Connection, seeds: set[str]) -> list[triples.Row]:
    """The triples an organisation's record is read from: its own, those of what it links to (sites, addresses,
    contact points, identifiers, werkingsgebied, codes) down to DEPTH, and its change events.

    One statement per level for all the seeds, each resource read once, and only what lblod.read reads: its
    predicates, the types and ids of the records themselves (the seeds, their change events), never those of
    what they link to."""
    found: list[triples.Row] = []
    seen = set(seeds)
    records = (triples.T.c.predicate.in_(sorted(lblod.READ_PREDICATES)), triples.not_a_type_but(lblod.RECORD_CLASSES))
    linked = (triples.T.c.predicate.in_(sorted(lblod.READ_PREDICATES - lblod.RECORD_PREDICATES)),)

    def read(frontier: set[str], first: bool) -> set[str]:
        level = triples.of_subjects(conn, frontier, *(records if first else linked))
        found.extend(level)
        return {o for _, p, o, d, _ in level if d == IRI and p not in NOT_FOLLOWED} - seen

    frontier = set(seeds)
    for depth in range(DEPTH + 1):
        if not frontier:
            break
        frontier = read(frontier, depth == 0)
        seen |= frontier
    frontier = triples.referrers_by(conn, seeds, EVENT_LINKS) - seen
    for depth in range(2):  # event -> result -> status code
        if not frontier:
            break
        seen |= frontier
        frontier = read(frontier, depth == 0)
    return found


def _membership_ends(conn: Connection, applied: Applied, memberships: set[str]) -> set[str]:
    links = (f"{ORG}organization", f"{ORG}member")
    ends = {o for _, p, o, _, _ in triples.of_subjects(conn, memberships) if p in links}
    ends |= {t.object for t in applied.deleted if t.subject in memberships and t.predicate in links}
    return ends


def _existing(conn: Connection, table: Table, column: Any, values: Collection[str]) -> list[dict[str, Any]]:
    """The rows whose ``column`` holds one of ``values``."""
    if not values:
        return []
    return [dict(r._mapping) for r in conn.execute(select(table).where(column.in_(sorted(values))))]


def recompose(conn: Connection, applied: Applied, state: opregister.SyncState, source: str) -> Applied:
    """Read the touched records again and write what differs (with the change log), or raise NeedsFull."""
    orgs, memberships = affected(conn, applied)
    if not orgs and not memberships:
        return applied
    ends = _membership_ends(conn, applied, memberships) if memberships else set()
    around = gather(conn, orgs | ends | memberships)
    problems = Problems(skip_invalid=True)
    g = opregister.graph("Organisatieportaal", around)
    data = lblod.read(g, g, problems, source=opregister.SOURCE, source_date=state.source_date, require=False)
    if problems.rejects:
        raise NeedsFull("a record is rejected: the import reports it")
    o, n, m = schema.organisation, schema.organisation_name, schema.membership
    records = {x.uri: x for x in data.organisations if x.uri in orgs}
    old_orgs = {r["uri"]: r for r in _existing(conn, o, o.c.uri, orgs)}
    if set(records) != set(old_orgs) or len(records) != len(orgs):
        raise NeedsFull("an organisation is new or removed")
    ids = {r["id"] for r in old_orgs.values()}
    uuids = {s: v for s, p, v, _, _ in around if p == lblod.MU_UUID}
    uuids.update((t.subject, t.object) for t in applied.deleted if t.predicate == lblod.MU_UUID)
    membership_ids = {uuids.get(x) or x.rsplit("/", 1)[1] for x in memberships}
    old_names = _existing(conn, n, n.c.organisation_id, ids)
    _refuse_wider(conn, ids, membership_ids, records, old_orgs, old_names)
    new_orgs = [dataclasses.replace(x, slug=_slug(conn, x, old_orgs[x.uri or ""])) for x in records.values()]
    ms = [x for x in data.memberships if x.id in membership_ids]
    old_ms = _existing(conn, m, m.c.id, membership_ids)
    if membership_ids:
        _check_memberships(conn, ms, membership_ids, old_ms)
    names = [x for x in data.names if x.organisation_id in ids]
    log = ChangeLog.start(source, via=source)
    scopes: list[tuple[Table, list[Any], Iterable[Mapping[str, Any]]]] = [
        (o, new_orgs, old_orgs.values()),
        (n, names, [r for r in old_names if r["kind"] == "alternatief"]),
        (m, ms, old_ms),
    ]
    plans: list[Plan] = [plan(conn, table, rows_of(rows), keyed(table, now)) for table, rows, now in scopes]
    for p in reversed(plans):
        apply_deletes(conn, p, log)
    for p in plans:
        apply_writes(conn, p, log)
        applied.changes[p.table.name] = p.change
    log.write(conn)
    applied.logged = len(log.entries)
    return applied


def _refuse_wider(
    conn: Connection,
    ids: set[str],
    membership_ids: set[str],
    records: Mapping[str, Organisation],
    old_orgs: Mapping[str, Mapping[str, Any]],
    old_names: Sequence[Mapping[str, Any]],
) -> None:
    """NeedsFull when the change reaches records other than the ones read again."""
    touched = ids | membership_ids
    for edit in store_edits.accepted(conn):
        text = json.dumps([edit.target_id, edit.payload], default=str)
        if edit.target_id in touched or any(i in text for i in touched):
            raise NeedsFull(f"accepted edit {edit.id} touches a record of this file")
    renamed = []
    for uri, new in records.items():
        old = old_orgs[uri]
        if old["origin"] != "lblod":
            raise NeedsFull(f"{uri} is composed with another source")
        if new.classification != old["classification"]:
            raise NeedsFull(f"{uri} changes its classification")
        local = new.classification in LOCAL_CODES
        if local and (new.nis != old["nis"] or new.name != old["name"] or new.status != old["status"]):
            raise NeedsFull(f"{uri}: a municipality's identity is composed with the regions data")
        if new.name != old["name"] or new.status != old["status"]:
            renamed.append((old["name"], new.name))
    if renamed or any(r["kind"] == "gepubliceerd" for r in old_names):
        old_alt = [r["name"] for r in old_names]
        _refuse_linked_names(conn, ids, [*(a for a, _ in renamed), *(b for _, b in renamed), *old_alt])


def _refuse_linked_names(conn: Connection, ids: set[str], names: list[str]) -> None:
    """Published pages and layer regions are linked to register records by name: a name change there, or a
    record they already point at, is settled by the whole composition."""
    o, n, r, m = schema.organisation, schema.organisation_name, schema.region, schema.membership
    linked = (
        conn.execute(
            select(m.c.id)
            .where(m.c.organisation_id.in_(sorted(ids)), m.c.origin.in_(["published", "regions"]))
            .limit(1)
        ).first()
        or conn.execute(select(r.c.key).where(r.c.organisation_id.in_(sorted(ids))).limit(1)).first()
    )
    if linked is not None:
        raise NeedsFull("a published or layer record is linked to this organisation")
    keys = set().union(*(name_variants(x) for x in names)) if names else set()
    others = [
        *conn.execute(select(r.c.name)).scalars(),
        *conn.execute(select(o.c.name).where(o.c.origin.in_(["published", "regions"]))).scalars(),
        *conn.execute(select(n.c.name).where(n.c.kind.in_(["gepubliceerd", "regionaam"]))).scalars(),
    ]
    if keys & set().union(*(name_variants(x) for x in others)):
        raise NeedsFull("a name links a published or layer record")


def _slug(conn: Connection, org: Organisation, before: Mapping[str, Any]) -> str:
    """The slug the whole composition would give (reconcile.assign_slugs), when it can be told from this record
    alone: a renamed organisation, or one whose status changed, keeps or takes its name's slug when no other
    organisation's slug shares the old or the new one."""
    if org.name == before["name"] and org.status == before["status"]:
        return str(before["slug"])
    old_base, new_base = (cls.slugify(x) or "organisatie" for x in (before["name"], org.name))
    if before["slug"] != old_base:
        raise NeedsFull(f"{org.uri} has a slug that depends on others of its name")
    o = schema.organisation
    shared = or_(*(or_(o.c.slug == b, o.c.slug.like(f"{b}-%")) for b in {old_base, new_base}))
    if conn.execute(select(o.c.id).where(o.c.id != org.id, shared).limit(1)).first() is not None:
        raise NeedsFull(f"{org.uri}: its slug is shared with another organisation of the same name")
    return new_base


def _check_memberships(conn: Connection, ms: Sequence[Any], ids: set[str], rows: Sequence[Mapping[str, Any]]) -> None:
    m, o = schema.membership, schema.organisation
    if any(r["origin"] != "lblod" for r in rows):
        raise NeedsFull("a membership is composed with another source")
    if conn.execute(select(m.c.id).where(m.c.derived_from.in_(sorted(ids))).limit(1)).first() is not None:
        raise NeedsFull("a membership passes on to a successor")
    ends = {x.member_id for x in ms} | {x.organisation_id for x in ms} | {r["member_id"] for r in rows}
    ends |= {r["organisation_id"] for r in rows}
    found = _existing(conn, o, o.c.id, ends)
    if len(found) != len(ends):
        raise NeedsFull("a membership names an organisation the register lacks")
    for r in found:
        if r["valid_to"] is not None or r["classification"] in ("politiezone", "hulpverleningszone"):
            raise NeedsFull("a membership of an ended organisation or a zone is composed with other sources")
    pub = conn.execute(
        select(m.c.id).where(m.c.organisation_id.in_(sorted(ends)), m.c.origin == "published").limit(1)
    ).first()
    if pub is not None:
        raise NeedsFull("published pages add members to this organisation")
