"""Read queries. The CLI, the library API and the web all call these, so they cannot disagree."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, Row, and_, func, literal, or_, select
from sqlalchemy.sql import ColumnElement, FromClause

from igsatlas.domain import classifications as cls
from igsatlas.domain.identifiers import normalise_kbo
from igsatlas.domain.model import (
    Classification,
    Family,
    ImportIssue,
    Layer,
    Membership,
    Municipality,
    Organisation,
    Region,
    Role,
    Status,
)
from igsatlas.domain.relations import Involvement, Member
from igsatlas.errors import InvalidArgumentError, NotFoundError
from igsatlas.store import schema as t


def valid_on(table: FromClause, day: date) -> ColumnElement[bool]:
    """SQL twin of Period.contains: [valid_from, valid_to) with NULL as unknown/open."""
    return and_(
        or_(table.c.valid_from.is_(None), table.c.valid_from <= day),
        or_(table.c.valid_to.is_(None), table.c.valid_to > day),
    )


def _fields(row: Row[Any], table: FromClause, prefix: str = "") -> dict[str, Any]:
    m = row._mapping
    return {c.name: m[f"{prefix}{c.name}"] for c in table.columns}


def _labelled(table: FromClause, prefix: str) -> list[Any]:
    return [c.label(f"{prefix}{c.name}") for c in table.columns]


def to_organisation(fields: dict[str, Any]) -> Organisation:
    status = fields["status"]
    return Organisation(**{**fields, "status": Status(status) if status else None})


def to_membership(fields: dict[str, Any]) -> Membership:
    return Membership(**{**fields, "role": Role(fields["role"])})


def to_municipality(fields: dict[str, Any]) -> Municipality:
    return Municipality(**fields)


def to_classification(fields: dict[str, Any]) -> Classification:
    return Classification(**{**fields, "family": Family(fields["family"])})


def fold(text: str) -> str:
    """Case- and accent-insensitive form for name lookups."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold().strip()


# --- municipalities -------------------------------------------------------------------------------


def municipalities_on(conn: Connection, day: date, region: str | None = "Vlaanderen") -> list[Municipality]:
    q = select(t.municipality).where(valid_on(t.municipality, day))
    if region is not None:
        q = q.where(t.municipality.c.region == region)
    return [to_municipality(_fields(r, t.municipality)) for r in conn.execute(q.order_by(t.municipality.c.name))]


def find_municipality(conn: Connection, text: str, day: date) -> Municipality:
    """By NIS code, or by name (accent- and case-insensitive); a name shared over time resolves by ``day``."""
    rows = [to_municipality(_fields(r, t.municipality)) for r in conn.execute(select(t.municipality))]
    wanted = fold(text)
    found = [m for m in rows if m.nis == text.strip()] or [
        m for m in rows if wanted in (fold(m.name), fold(m.name_statbel or ""))
    ]
    if not found:
        raise NotFoundError(
            f"no municipality is called or numbered {text!r}.",
            code="municipality-not-found",
            hint="Give a NIS code (e.g. 44021) or a Dutch name (e.g. Gent).",
        )
    on_day = [m for m in found if m.period.contains(day)]
    return (on_day or sorted(found, key=lambda m: m.valid_to or date.max, reverse=True))[0]


def municipality(conn: Connection, nis: str) -> Municipality | None:
    row = conn.execute(select(t.municipality).where(t.municipality.c.nis == nis)).first()
    return to_municipality(_fields(row, t.municipality)) if row else None


def predecessors(conn: Connection, nis: str) -> list[Municipality]:
    q = select(t.municipality).where(t.municipality.c.successor_nis == nis).order_by(t.municipality.c.name)
    return [to_municipality(_fields(r, t.municipality)) for r in conn.execute(q)]


# --- organisations --------------------------------------------------------------------------------


def organisation(conn: Connection, org_id: str) -> Organisation | None:
    row = conn.execute(select(t.organisation).where(t.organisation.c.id == org_id)).first()
    return to_organisation(_fields(row, t.organisation)) if row else None


def find_organisation(conn: Connection, text: str) -> Organisation:
    """By id, KBO number (with or without dots), exact name or alternative name (case-insensitive)."""
    text = text.strip()
    org = organisation(conn, text)
    if org is not None:
        return org
    kbo = normalise_kbo(text)
    if len(kbo) == 10 and kbo.isdigit():
        row = conn.execute(select(t.organisation).where(t.organisation.c.kbo == kbo)).first()
        if row:
            return to_organisation(_fields(row, t.organisation))
    wanted = fold(text)
    rows = conn.execute(select(t.organisation)).all()
    names = conn.execute(select(t.organisation_name.c.organisation_id, t.organisation_name.c.name)).all()
    by_alt = {oid for oid, name in names if fold(name) == wanted}
    hits = [to_organisation(_fields(r, t.organisation)) for r in rows if fold(r.name) == wanted or r.id in by_alt]
    if not hits:
        raise NotFoundError(
            f"no organisation has the id, KBO number or name {text!r}.",
            code="organisation-not-found",
            hint="Give the exact name (e.g. Interleuven), a KBO number (e.g. 0205.774.810) or an id.",
        )
    hits.sort(key=lambda o: (o.status != Status.ACTIVE, o.classification == cls.REGION.code, o.name))
    if len(hits) > 1 and hits[0].status == hits[1].status and hits[0].name == hits[1].name:
        options = "; ".join(f"{o.id} ({o.classification})" for o in hits[:6])
        raise InvalidArgumentError(
            f"{text!r} names {len(hits)} organisations: {options}.",
            code="ambiguous-organisation",
            hint="Give the KBO number or id instead.",
        )
    return hits[0]


def classifications(conn: Connection) -> dict[str, Classification]:
    return {r.code: to_classification(_fields(r, t.classification)) for r in conn.execute(select(t.classification))}


# --- memberships on a day -------------------------------------------------------------------------


def _effective(day: date) -> tuple[Any, Any, Any, ColumnElement[bool]]:
    """Aliases (membership, organisation, member) and the condition 'in force on day'."""
    m, o, mo = t.membership.alias("m"), t.organisation.alias("o"), t.organisation.alias("mo")
    muni = t.municipality.alias("mn")
    named_ok = or_(
        m.c.member_nis.is_(None),
        select(literal(1)).where(and_(muni.c.nis == m.c.member_nis, valid_on(muni, day))).exists(),
    )
    return m, o, mo, and_(valid_on(m, day), valid_on(o, day), valid_on(mo, day), named_ok)


def involvements(conn: Connection, muni: Municipality, day: date) -> list[Involvement]:
    """Everything a municipality takes part in on ``day``: LBLOD structures and layer regions alike.

    Empty on a day the municipality does not exist (before its creation or after its merger).
    """
    if not muni.period.contains(day):
        return []
    m, o, mo, effective = _effective(day)
    c = t.classification.alias("c")
    r = t.region.alias("r")
    mine = or_(
        m.c.member_nis == muni.nis,
        and_(m.c.member_nis.is_(None), m.c.member_id == (muni.organisation_id or "")),
    )
    q = (
        select(*_labelled(m, "m_"), *_labelled(o, "o_"), *_labelled(c, "c_"), *_labelled(r, "r_"))
        .select_from(
            m.join(o, o.c.id == m.c.organisation_id)
            .join(mo, mo.c.id == m.c.member_id)
            .join(c, c.c.code == o.c.classification)
            .outerjoin(r, and_(r.c.organisation_id == o.c.id, r.c.layer_id == m.c.layer_id))
        )
        .where(effective, mine)
        .order_by(c.c.family, c.c.label, o.c.name)
    )
    out = []
    for row in conn.execute(q):
        region = _fields(row, t.region, "r_")
        out.append(
            Involvement(
                organisation=to_organisation(_fields(row, t.organisation, "o_")),
                classification=to_classification(_fields(row, t.classification, "c_")),
                membership=to_membership(_fields(row, t.membership, "m_")),
                region=Region(**region) if region["key"] is not None else None,
            )
        )
    return out


def members(conn: Connection, org_id: str, day: date) -> list[Member]:
    """Members of an organisation on ``day``; a gemeente is shown as the municipality it was that day."""
    m, o, mo, effective = _effective(day)
    q = (
        select(*_labelled(m, "m_"), *_labelled(mo, "mo_"))
        .select_from(m.join(o, o.c.id == m.c.organisation_id).join(mo, mo.c.id == m.c.member_id))
        .where(effective, m.c.organisation_id == org_id)
    )
    rows = conn.execute(q).all()
    munis = municipalities_on(conn, day, region=None)
    by_nis = {x.nis: x for x in munis}
    by_org = {x.organisation_id: x for x in munis if x.organisation_id}
    out = []
    for row in rows:
        ms = to_membership(_fields(row, t.membership, "m_"))
        member_org = to_organisation(_fields(row, t.organisation, "mo_"))
        muni = by_nis.get(ms.member_nis) if ms.member_nis else by_org.get(member_org.id)
        if member_org.classification == cls.GEMEENTE and muni is None:
            continue  # a gemeente that did not exist that day
        out.append(Member(member_org, muni, ms))
    out.sort(key=lambda x: (x.municipality.name if x.municipality else x.organisation.name, x.membership.id))
    return out


# --- layers ---------------------------------------------------------------------------------------


def layers(conn: Connection) -> list[Layer]:
    return [Layer(**_fields(r, t.layer)) for r in conn.execute(select(t.layer).order_by(t.layer.c.id))]


def layer(conn: Connection, layer_id: str) -> Layer:
    row = conn.execute(select(t.layer).where(t.layer.c.id == layer_id)).first()
    if row is None:
        known = ", ".join(x.id for x in layers(conn))
        raise NotFoundError(f"no layer {layer_id!r}.", code="layer-not-found", hint=f"Known layers: {known}.")
    return Layer(**_fields(row, t.layer))


def regions(conn: Connection, layer_id: str) -> list[Region]:
    q = select(t.region).where(t.region.c.layer_id == layer_id).order_by(t.region.c.name)
    return [Region(**_fields(r, t.region)) for r in conn.execute(q)]


def layer_assignment(conn: Connection, layer_id: str, day: date) -> dict[str, list[str]]:
    """NIS code -> region keys of ``layer_id`` the municipality lies in on ``day`` (Flemish municipalities)."""
    m, o, mo, effective = _effective(day)
    r = t.region.alias("r")
    q = (
        select(m.c.member_nis, m.c.member_id, r.c.key)
        .select_from(
            m.join(o, o.c.id == m.c.organisation_id)
            .join(mo, mo.c.id == m.c.member_id)
            .join(r, and_(r.c.organisation_id == m.c.organisation_id, r.c.layer_id == m.c.layer_id))
        )
        .where(effective, m.c.layer_id == layer_id)
    )
    out: dict[str, set[str]] = {x.nis: set() for x in municipalities_on(conn, day)}
    for nis, _member, key in conn.execute(q):
        if nis in out:
            out[nis].add(key)
    return {nis: sorted(keys) for nis, keys in out.items()}


# --- statistics -----------------------------------------------------------------------------------


def counts_by_classification(conn: Connection) -> list[tuple[str, str, str | None, int]]:
    """(classification code, label, status, count) for every organisation kind and status."""
    o, c = t.organisation, t.classification
    q = (
        select(c.c.code, c.c.label, o.c.status, func.count())
        .select_from(o.join(c, c.c.code == o.c.classification))
        .group_by(c.c.code, c.c.label, o.c.status)
        .order_by(c.c.label, o.c.status)
    )
    return [(code, label, status, n) for code, label, status, n in conn.execute(q)]


def table_counts(conn: Connection, tables: Sequence[Any] = t.CONTENT_TABLES) -> dict[str, int]:
    return {table.name: conn.execute(select(func.count()).select_from(table)).scalar_one() for table in tables}


def import_issues(conn: Connection) -> list[ImportIssue]:
    q = select(t.import_issue).order_by(t.import_issue.c.code, t.import_issue.c.id)
    return [ImportIssue(**_fields(r, t.import_issue)) for r in conn.execute(q)]
