"""Registration time: "what did the atlas say on DAY". The register as the atlas had recorded it at the end of a
day is the current register with the change log's later entries undone (state/registration.py); the API's
``geregistreerd_op`` and /wijzigingen ask it, and ``op`` (valid time) stays what it was.

The story: the real data imported on 24 July 2026 (the first import's entries are dated so), then two edits
accepted through the write path the editors use: Lennik's membership of ILV Sportregio Pajottenland ended on
1 January 2024, and Interleuven's founding date found in its statutes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, select, update
from starlette.testclient import TestClient

from conftest import DATA_DIR
from igsatlas.config import Settings
from igsatlas.domain.edits import EditKind
from igsatlas.errors import NotFoundError
from igsatlas.ingest.pipeline import Review
from igsatlas.ingest.publication import publish
from igsatlas.state import registration
from igsatlas.state.registration import Entry, rewind
from igsatlas.state.view import RegisterView
from igsatlas.store import edits as store_edits
from igsatlas.store import queries
from igsatlas.store import schema as t
from igsatlas.store.changelog import ChangeLog
from igsatlas.store.engine import make_engine
from igsatlas.web.app import create_app

IMPORTED = datetime(2026, 7, 24, 10, 0)  # the day the story's atlas was first imported
THEN, BEFORE_IMPORT = date(2026, 7, 24), date(2026, 7, 23)
PAJOTTENLAND, INTERLEUVEN = "ILV Sportregio Pajottenland", "Interleuven"

# --- the rewind alone ------------------------------------------------------------------------------------------


def _entries(log: ChangeLog) -> list[Entry]:
    """The entries a write logs, as the rewind reads them back (newest first)."""
    return [
        Entry(i, e["entity"], e["entity_key"], e["action"], e["field"], e["old_value"])
        for i, e in reversed(list(enumerate(log.entries, 1)))
    ]


ROW = {
    "id": "m-lennik",
    "organisation_id": "o-pajottenland",
    "member_id": "o-lennik",
    "member_nis": "23104",
    "role": "participant",
    "valid_from": None,
    "valid_to": None,
    "source": "lblod/organisations.nt.gz",
    "source_date": date(2026, 7, 1),
    "source_date_text": None,
    "derived_from": None,
    "layer_id": None,
    "note": None,
    "origin": "lblod",
}


def test_rewinding_a_changed_field_gives_back_its_old_value_with_its_type() -> None:
    log = ChangeLog.start("edit:7")
    ended = {**ROW, "valid_to": date(2024, 1, 1), "note": "Einde volgens redactie (wijziging 7)"}
    log.updated(t.membership, ("m-lennik",), ROW, ended)
    rows = rewind(t.membership, {"m-lennik": dict(ended)}, _entries(log))
    assert rows == {"m-lennik": ROW}  # valid_to back to unknown, the date columns dates again


def test_rewinding_an_insert_takes_it_out_and_a_delete_puts_the_whole_row_back() -> None:
    log = ChangeLog.start("lblod/organisations.nt.gz")
    log.deleted(t.membership, ("m-lennik",), ROW)
    new = {**ROW, "id": "m-lennik-2", "valid_from": date(2024, 1, 1)}
    log.inserted(t.membership, ("m-lennik-2",), new)
    rows = rewind(t.membership, {"m-lennik-2": dict(new)}, _entries(log))
    assert rows == {"m-lennik": ROW}


def test_rewinding_in_order_undoes_an_update_of_a_row_deleted_later() -> None:
    renamed = {**ROW, "role": "stichtend-lid"}
    log = ChangeLog.start("edit:8")
    log.updated(t.membership, ("m-lennik",), ROW, renamed)
    log.deleted(t.membership, ("m-lennik",), renamed)
    assert rewind(t.membership, {}, _entries(log)) == {"m-lennik": ROW}


# --- the story -------------------------------------------------------------------------------------------------


@dataclass
class Story:
    engine: Engine
    client: TestClient
    pajottenland: str
    interleuven: str
    lennik: str  # NIS code
    membership: str  # Lennik's membership of ILV Sportregio Pajottenland

    def get(self, path: str, **params: str) -> Any:
        answer = self.client.get(path, params=params)
        assert answer.status_code == 200, answer.text
        return answer.json()


def _accept(engine: Engine, **fields: Any) -> None:
    with engine.begin() as conn:
        edit_id = store_edits.submit(
            conn,
            evidence_url="https://www.ejustice.just.fgov.be/tsv/example",
            evidence_date=date(2024, 3, 1),
            **fields,
        )
    publish(engine, DATA_DIR, Review(edit_id, None, "gelezen"))


@pytest.fixture(scope="module")
def story(writable_url: str) -> Iterator[Story]:
    engine = make_engine(writable_url)
    log = t.change_log
    with engine.begin() as conn:
        first = conn.execute(select(log.c.batch).order_by(log.c.id).limit(1)).scalar()
        conn.execute(update(log).where(log.c.batch == first).values(at=IMPORTED))
        pajottenland = queries.find_organisation(conn, PAJOTTENLAND).id
        interleuven = queries.find_organisation(conn, INTERLEUVEN).id
        lennik = queries.find_municipality(conn, "Lennik", date(2024, 6, 30)).nis
    with engine.connect() as conn:
        (member,) = [
            m for m in RegisterView.read(conn).on(date(2023, 6, 30)).members_of[pajottenland] if m.member_nis == lennik
        ]
    _accept(
        engine,
        kind=EditKind.END_MEMBERSHIP,
        target_kind="lidmaatschap",
        target_id=member.id,
        payload={"valid_to": "2024-01-01"},
    )
    _accept(
        engine,
        kind=EditKind.CHANGE_FIELD,
        target_kind="organisatie",
        target_id=interleuven,
        payload={"founding_date": "1950-06-01"},
        base={"founding_date": None},
    )
    settings = Settings.from_env({"IGSATLAS_DATABASE_URL": writable_url})
    with TestClient(create_app(settings)) as client:
        yield Story(engine, client, pajottenland, interleuven, lennik, member.id)
    engine.dispose()


def _lennik(page: dict[str, Any], lennik: str) -> list[dict[str, Any]]:
    return [x for x in page["resultaten"] if x["gemeente"] and x["gemeente"]["nis"] == lennik]


def test_the_members_as_registered_before_the_edit_and_after(story: Story) -> None:
    path = f"/api/v1/organisaties/{story.pajottenland}/leden"
    then = story.get(path, op="2024-06-30", geregistreerd_op=THEN.isoformat())
    assert then["geregistreerd_op"] == "2026-07-24" and then["op"] == "2024-06-30"
    assert [x["geldig_tot"] for x in _lennik(then, story.lennik)] == [None]  # the atlas did not know the end yet
    now = story.get(path, op="2024-06-30", geregistreerd_op=date.today().isoformat())
    assert _lennik(now, story.lennik) == [] and now["totaal"] == then["totaal"] - 1
    assert story.get(path, op="2024-06-30")["resultaten"] == now["resultaten"]  # today's record is the default


def test_valid_time_is_unaffected_by_the_registration_clock(story: Story) -> None:
    path = f"/api/v1/organisaties/{story.pajottenland}/leden"
    # Lennik was a member in 2023 by both records; only what the atlas knew of its end differs.
    assert [x["geldig_tot"] for x in _lennik(story.get(path, op="2023-06-30"), story.lennik)] == ["2024-01-01"]
    then = story.get(path, op="2023-06-30", geregistreerd_op=THEN.isoformat())
    assert [x["geldig_tot"] for x in _lennik(then, story.lennik)] == [None]


def test_a_municipality_and_the_membership_list_ask_the_same_clock(story: Story) -> None:
    path = f"/api/v1/gemeenten/{story.lennik}/lidmaatschappen"
    then = story.get(path, op="2024-06-30", geregistreerd_op=THEN.isoformat(), limiet="1000")
    now = story.get(path, op="2024-06-30", limiet="1000")
    assert story.membership in {x["id"] for x in then["resultaten"]}
    assert story.membership not in {x["id"] for x in now["resultaten"]}
    listed = story.get(
        "/api/v1/lidmaatschappen", op="2024-06-30", gemeente=story.lennik, geregistreerd_op=THEN.isoformat()
    )
    assert story.membership in {x["id"] for x in listed["resultaten"]}


def test_an_organisation_as_registered_before_and_after_its_founding_date_was_found(story: Story) -> None:
    path = f"/api/v1/organisaties/{story.interleuven}"
    then = story.get(path, geregistreerd_op=THEN.isoformat())
    now = story.get(path, geregistreerd_op=date.today().isoformat())
    assert (then["naam"], then["oprichtingsdatum"]) == ("Interleuven", None)
    assert now["oprichtingsdatum"] == "1950-06-01" == story.get(path)["oprichtingsdatum"]
    assert then["bevindingen"] == []  # the findings are those of the register as it is now: not mixed in


def test_a_day_before_the_first_import_is_refused_in_the_api_error_shape(story: Story) -> None:
    answer = story.client.get(
        f"/api/v1/organisaties/{story.pajottenland}/leden", params={"geregistreerd_op": BEFORE_IMPORT.isoformat()}
    )
    assert answer.status_code == 404
    error = answer.json()["error"]
    assert error["code"] == "not-yet-registered" and "24 juli 2026" in error["message"]
    bad = story.client.get("/api/v1/lidmaatschappen", params={"geregistreerd_op": "24-07-2026"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid-day"
    with story.engine.connect() as conn, pytest.raises(NotFoundError):
        registration.check_recorded(conn, BEFORE_IMPORT)


def test_today_the_registration_view_is_the_register_itself(story: Story) -> None:
    with story.engine.connect() as conn:
        current = RegisterView.read(conn)
        assert registration.recorded(conn, date.today(), current) is current
        assert registration.entries_after(conn, registration.end_of(THEN))  # the two edits, and only those
        kinds = {e.entity for e in registration.entries_after(conn, registration.end_of(THEN))}
    assert kinds == {"membership", "organisation"}


def test_the_changes_page_says_what_the_atlas_said_on_a_day(story: Story) -> None:
    doc = story.get("/wijzigingen.json", geregistreerd_op=THEN.isoformat(), gemeente="Lennik")["geregistreerd"]
    assert (doc["geregistreerd_op"], doc["op"], doc["vergeleken_met"]) == (
        "2026-07-24",
        "2026-07-24",
        date.today().isoformat(),
    )
    assert doc["onderwerp"] == "Lennik" and doc["gefilterd"]
    listed = {(m["lid"], m["organisatie"]) for m in doc["lidmaatschappen"]}
    assert ("Lennik", PAJOTTENLAND) in listed
    assert [(m["lid"], m["organisatie"]) for m in doc["verdwenen"]] == [("Lennik", PAJOTTENLAND)]
    assert doc["aantallen"]["verdwenen"] == 1 and doc["bijgekomen"] == []
    # asked about 2023, the two records differ only in what they say of the end
    earlier = story.get("/wijzigingen.json", geregistreerd_op=THEN.isoformat(), gemeente=story.lennik, op="2023-06-30")[
        "geregistreerd"
    ]
    (changed,) = earlier["gewijzigd"]
    assert (changed["toen"]["tot"], changed["nu"]["tot"]) == (None, "2024-01-01")
    html = story.client.get("/wijzigingen", params={"geregistreerd_op": THEN.isoformat(), "gemeente": "lennik"}).text
    assert "Wat de atlas zei op 24 juli 2026" in html and "Verschil met wat de atlas nu zegt" in html
    assert "Lennik uit" in html  # in the part of what disappeared since
