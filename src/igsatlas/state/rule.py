"""In force on a day: the one rule, in Python (for what is in memory) and its SQL twin (for queries).

A period is half-open, [valid_from, valid_to), and an unknown end is open (domain.periods.Period.contains). A
membership is in force on a day when its own period, its organisation's and its member's hold that day, and the
municipality it names existed that day; a gemeente that is a member without naming a NIS code must stand for a
municipality of the day. tests/test_state.py checks the two forms give the same memberships on the real data.
"""

from __future__ import annotations

from collections.abc import Container
from datetime import date

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.sql import ColumnElement, FromClause
from sqlalchemy.sql.elements import BindParameter

from igsatlas.domain import classifications as cls
from igsatlas.domain.model import Membership, Organisation
from igsatlas.store import schema as t


def valid_on(table: FromClause, day: date | BindParameter[date]) -> ColumnElement[bool]:
    """SQL twin of Period.contains: [valid_from, valid_to) with NULL as unknown/open."""
    return and_(
        or_(table.c.valid_from.is_(None), table.c.valid_from <= day),
        or_(table.c.valid_to.is_(None), table.c.valid_to > day),
    )


def membership_in_force(
    ms: Membership,
    organisation: Organisation | None,
    member: Organisation | None,
    named: Container[str],
    municipal: Container[str],
    day: date,
) -> bool:
    """Whether ``ms`` is in force on ``day``. ``named``: NIS codes of the municipalities of the day;
    ``municipal``: the organisation ids those municipalities stand for (their LBLOD gemeente)."""
    if organisation is None or member is None:
        return False
    if not (ms.period.contains(day) and organisation.period.contains(day) and member.period.contains(day)):
        return False
    if ms.member_nis:
        return ms.member_nis in named
    return member.classification != cls.GEMEENTE or member.id in municipal


def membership_in_force_sql(
    m: FromClause, o: FromClause, mo: FromClause, day: date | BindParameter[date]
) -> ColumnElement[bool]:
    """SQL twin of membership_in_force for the membership ``m`` of the organisation ``o`` with the member
    ``mo`` (aliases of the membership and organisation tables, joined by the caller)."""
    muni = t.municipality.alias("in_force_mn")
    named = exists(select(muni.c.nis).where(muni.c.nis == m.c.member_nis, valid_on(muni, day)))
    municipal = exists(select(muni.c.nis).where(muni.c.organisation_id == mo.c.id, valid_on(muni, day)))
    return and_(
        valid_on(m, day),
        valid_on(o, day),
        valid_on(mo, day),
        or_(
            and_(m.c.member_nis.is_not(None), named),
            and_(m.c.member_nis.is_(None), or_(mo.c.classification != cls.GEMEENTE, municipal)),
        ),
    )
