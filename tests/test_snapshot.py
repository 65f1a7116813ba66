"""The whole register read once (store/snapshot.py) answers as the SQL of store/relations.py does, on days
before, across and after the 2025 mergers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Connection

from igsatlas.store import queries, relations
from igsatlas.store.engine import make_engine
from igsatlas.store.snapshot import Snapshot

DAYS = (date(2018, 1, 1), date(2021, 6, 30), date(2024, 12, 31), date(2025, 1, 1), date(2026, 12, 2))


@pytest.fixture(scope="module")
def conn(imported_url: str) -> Iterator[Connection]:
    engine = make_engine(imported_url)
    with engine.connect() as c:
        yield c
    engine.dispose()


@pytest.fixture(scope="module")
def register(conn: Connection) -> Snapshot:
    return Snapshot.read(conn)


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_members_of_every_organisation_are_those_of_the_sql(conn: Connection, register: Snapshot, day: date) -> None:
    ids = list(register.organisations)
    assert register.members_of_many(ids, day) == relations.members_of_many(conn, ids, day)


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_layer_assignments_and_municipalities_are_those_of_the_sql(
    conn: Connection, register: Snapshot, day: date
) -> None:
    assert register.layer_assignments(day) == {
        layer.id: relations.layer_assignment(conn, layer.id, day) for layer in queries.layers(conn)
    }
    assert register.municipalities_on(day) == queries.municipalities_on(conn, day)
    assert register.municipalities_on(day, region=None) == queries.municipalities_on(conn, day, region=None)


def test_real_counts_on_both_sides_of_the_mergers(register: Snapshot) -> None:
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
