"""Relations in force on a day: what a municipality takes part in, who the members of something are."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, and_, or_, select
from sqlalchemy.sql import ColumnElement

from igsatlas.domain.model import Membership, Municipality, Organisation, Region
from igsatlas.domain.relations import Involvement, Member
from igsatlas.state.rule import membership_in_force_sql
from igsatlas.store import schema as t
from igsatlas.store.queries import (
    DAY,
    fields_of,
    labelled,
    municipalities_on,
    to_classification,
    to_membership,
    to_organisation,
)


@lru_cache(maxsize=1)
def _effective() -> tuple[Any, Any, Any, ColumnElement[bool]]:
    """Aliases (membership, organisation, member) and the condition 'in force on the day' (parameter ``day``),
    the SQL twin of state.rule.membership_in_force. Built once: queries pass the day as the bound parameter."""
    m, o, mo = t.membership.alias("m"), t.organisation.alias("o"), t.organisation.alias("mo")
    return m, o, mo, membership_in_force_sql(m, o, mo, DAY)


def involvements(conn: Connection, muni: Municipality, day: date) -> list[Involvement]:
    """Everything a municipality takes part in on ``day``: LBLOD structures and layer regions alike.

    Empty on a day the municipality does not exist (before its creation or after its merger).
    """
    if not muni.period.contains(day):
        return []
    m, o, mo, effective = _effective()
    c = t.classification.alias("c")
    r = t.region.alias("r")
    mine = or_(
        m.c.member_nis == muni.nis,
        and_(m.c.member_nis.is_(None), m.c.member_id == (muni.organisation_id or "")),
    )
    q = (
        select(*labelled(m, "m_"), *labelled(o, "o_"), *labelled(c, "c_"), *labelled(r, "r_"))
        .select_from(
            m.join(o, o.c.id == m.c.organisation_id)
            .join(mo, mo.c.id == m.c.member_id)
            .join(c, c.c.code == o.c.classification)
            .outerjoin(r, and_(r.c.organisation_id == o.c.id, r.c.layer_id == m.c.layer_id))
        )
        .where(effective, mine)
        .order_by(c.c.family, c.c.label, o.c.name, o.c.id, m.c.id)
    )
    out = []
    for row in conn.execute(q, {"day": day}):
        region = fields_of(row, t.region, "r_")
        out.append(
            Involvement(
                organisation=to_organisation(fields_of(row, t.organisation, "o_")),
                classification=to_classification(fields_of(row, t.classification, "c_")),
                membership=to_membership(fields_of(row, t.membership, "m_")),
                region=Region(**region) if region["key"] is not None else None,
            )
        )
    return out


def members(conn: Connection, org_id: str, day: date) -> list[Member]:
    """Members of an organisation on ``day``; a gemeente is shown as the municipality it was that day."""
    return members_of_many(conn, [org_id], day).get(org_id, [])


def members_of_many(conn: Connection, org_ids: Iterable[str], day: date) -> dict[str, list[Member]]:
    """Members of several organisations on ``day`` in one query: organisation id -> members."""
    ids = list(dict.fromkeys(org_ids))
    if not ids:
        return {}
    m, o, mo, effective = _effective()
    q = (
        select(*labelled(m, "m_"), *labelled(mo, "mo_"))
        .select_from(m.join(o, o.c.id == m.c.organisation_id).join(mo, mo.c.id == m.c.member_id))
        .where(effective, m.c.organisation_id.in_(ids))
    )
    rows = conn.execute(q, {"day": day}).all()
    member_orgs: dict[str, Organisation] = {}  # a member (a gemeente, say) is in many rows: made once

    def pairs() -> Iterable[tuple[Membership, Organisation]]:
        for row in rows:
            ms = to_membership(fields_of(row, t.membership, "m_"))
            member_org = member_orgs.get(ms.member_id)
            if member_org is None:
                member_org = member_orgs[ms.member_id] = to_organisation(fields_of(row, t.organisation, "mo_"))
            yield ms, member_org

    return as_members(pairs(), municipalities_on(conn, day, region=None))


def as_members(
    pairs: Iterable[tuple[Membership, Organisation]], municipalities: list[Municipality]
) -> dict[str, list[Member]]:
    """(membership, member) pairs in force on a day (state.rule) -> organisation id -> its members, each gemeente
    as the municipality it was that day (``municipalities``: those of the day), sorted by name."""
    by_nis = {x.nis: x for x in municipalities}
    by_org = {x.organisation_id: x for x in municipalities if x.organisation_id}
    out: dict[str, list[Member]] = defaultdict(list)
    for ms, member_org in pairs:
        muni = by_nis.get(ms.member_nis) if ms.member_nis else by_org.get(member_org.id)
        out[ms.organisation_id].append(Member(member_org, muni, ms))
    for found in out.values():
        found.sort(key=lambda x: (x.municipality.name if x.municipality else x.organisation.name, x.membership.id))
    return dict(out)


def member_counts(conn: Connection, org_ids: Iterable[str], day: date) -> dict[str, int]:
    """organisation id -> how many members members_of_many gives it on ``day``, without making them."""
    ids = list(dict.fromkeys(org_ids))
    if not ids:
        return {}
    m, o, mo, effective = _effective()
    q = (
        select(m.c.organisation_id)
        .select_from(m.join(o, o.c.id == m.c.organisation_id).join(mo, mo.c.id == m.c.member_id))
        .where(effective, m.c.organisation_id.in_(ids))
    )
    return dict(Counter(conn.execute(q, {"day": day}).scalars()))


def municipal_members(
    conn: Connection, org_ids: Iterable[str], day: date, municipalities: list[Municipality]
) -> dict[str, set[str]]:
    """organisation id -> NIS codes of its municipal members on ``day`` (a lean twin of members_of_many for
    counting; ``municipalities`` are those of the day)."""
    ids = list(dict.fromkeys(org_ids))
    if not ids:
        return {}
    m, _o, _mo, effective = _effective()
    o, mo = _o, _mo
    q = (
        select(m.c.organisation_id, m.c.member_nis, m.c.member_id)
        .select_from(m.join(o, o.c.id == m.c.organisation_id).join(mo, mo.c.id == m.c.member_id))
        .where(effective, m.c.organisation_id.in_(ids))
    )
    valid = {x.nis for x in municipalities}
    by_org = {x.organisation_id: x.nis for x in municipalities if x.organisation_id}
    out: dict[str, set[str]] = defaultdict(set)
    for org_id, nis, member_id in conn.execute(q, {"day": day}):
        found = nis if nis in valid else (by_org.get(member_id) if nis is None else None)
        if found:
            out[org_id].add(found)
    return dict(out)


def layer_assignment(
    conn: Connection, layer_id: str, day: date, municipalities: list[Municipality] | None = None
) -> dict[str, list[str]]:
    """NIS code -> region keys of ``layer_id`` the municipality lies in on ``day`` (Flemish municipalities;
    ``municipalities``: those of the day, where the caller has them)."""
    m, o, mo, effective = _effective()
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
    flemish = municipalities if municipalities is not None else municipalities_on(conn, day)
    out: dict[str, set[str]] = {x.nis: set() for x in flemish}
    for nis, _member, key in conn.execute(q, {"day": day}):
        if nis in out:
            out[nis].add(key)
    return {nis: sorted(keys) for nis, keys in out.items()}
