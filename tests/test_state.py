"""One clock: the rule "in force on a day" (state/rule.py) in Python and its SQL twin give the same memberships,
and the register read once (state/view.py) answers as the SQL of store/relations.py does, on days before,
across and after the 2025 mergers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Connection, select

from igsatlas.state import days
from igsatlas.state.rule import membership_in_force_sql
from igsatlas.state.view import RegisterView
from igsatlas.store import queries, relations
from igsatlas.store import schema as t
from igsatlas.store.engine import make_engine

DAYS = (date(2018, 1, 1), date(2021, 6, 30), date(2024, 12, 31), date(2025, 1, 1), date(2026, 12, 2))


@pytest.fixture(scope="module")
def conn(imported_url: str) -> Iterator[Connection]:
    engine = make_engine(imported_url)
    with engine.connect() as c:
        yield c
    engine.dispose()


@pytest.fixture(scope="module")
def register(conn: Connection) -> RegisterView:
    return RegisterView.read(conn)


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_the_rule_in_python_and_its_sql_twin_keep_the_same_memberships(
    conn: Connection, register: RegisterView, day: date
) -> None:
    m, o, mo = t.membership.alias("m"), t.organisation.alias("o"), t.organisation.alias("mo")
    q = (
        select(m.c.id)
        .select_from(m.join(o, o.c.id == m.c.organisation_id).join(mo, mo.c.id == m.c.member_id))
        .where(membership_in_force_sql(m, o, mo, day))
    )
    in_sql = set(conn.execute(q).scalars())
    in_python = {ms.id for ms in register.on(day).memberships}
    assert in_python == in_sql
    assert len(in_sql) > 4000  # the day has a register: not two empty sets


def test_a_view_of_one_day_holds_only_what_is_in_force_that_day(register: RegisterView) -> None:
    before, after = register.on(date(2024, 12, 31)), register.on(date(2025, 1, 1))
    assert "46003" in before.municipalities and "46003" not in after.municipalities  # Beveren, merged
    assert len(before.municipalities) == 300 + 19 and len(after.municipalities) == 285 + 19  # Brussels' 19
    gooik = "23023"
    assert any(nis == gooik for nis in before.member_municipality.values())
    assert not any(nis == gooik for nis in after.member_municipality.values())
    assert register.on(date(2025, 1, 1)) is after  # the last days asked are kept


def test_the_register_changes_on_few_days(conn: Connection) -> None:
    found = days.change_days(conn)
    assert date(2025, 1, 1) in found and len(found) == 9
    assert days.state_of(found, date(2025, 1, 1)) == days.state_of(found, date(2026, 12, 2))
    assert days.state_of(found, date(2024, 12, 31)) != days.state_of(found, date(2025, 1, 1))


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_members_of_every_organisation_are_those_of_the_sql(
    conn: Connection, register: RegisterView, day: date
) -> None:
    ids = list(register.organisations)
    assert register.members_of_many(ids, day) == relations.members_of_many(conn, ids, day)


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_layer_assignments_and_municipalities_are_those_of_the_sql(
    conn: Connection, register: RegisterView, day: date
) -> None:
    assert register.layer_assignments(day) == {
        layer.id: relations.layer_assignment(conn, layer.id, day) for layer in queries.layers(conn)
    }
    assert register.municipalities_on(day) == queries.municipalities_on(conn, day)
    assert register.municipalities_on(day, region=None) == queries.municipalities_on(conn, day, region=None)


def test_real_counts_on_both_sides_of_the_mergers(register: RegisterView) -> None:
    ids = list(register.organisations)
    assert len(register.municipalities_on(date(2024, 12, 31))) == 300
    assert len(register.municipalities_on(date(2025, 1, 1))) == 285
    before = register.members_of_many(ids, date(2024, 12, 31))
    after = register.members_of_many(ids, date(2025, 1, 1))
    assert (sum(map(len, before.values())), sum(map(len, after.values()))) == (8913, 8583)
    dijk92 = next(o.id for o in register.organisations.values() if o.slug == "dijk92")
    members = register.members_of_many([dijk92], date(2024, 6, 30))[dijk92]
    assert sorted({m.municipality.name for m in members if m.municipality}) == [
        "Berlare", "Buggenhout", "Dendermonde", "Hamme", "Laarne", "Lebbeke", "Wetteren", "Wichelen", "Zele",
    ]  # fmt: skip
