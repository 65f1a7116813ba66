"""Registration time apart from valid time, for every fact the atlas shows: when the atlas recorded an organisation
or a membership and from which file or edit (the change log), next to when it held (geldig_van, "niet gekend") and
the day a source attests it (bron_datum); in the store, the API, the linked data, the CSV and the pages; after an
accepted edit and after a sync of OP delta files."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from sqlalchemy import Engine, event, func, select
from starlette.testclient import TestClient

from conftest import DATA_DIR
from igsatlas.config import Settings
from igsatlas.domain.edits import EditKind
from igsatlas.domain.periods import in_words
from igsatlas.ingest.opstream import Stream
from igsatlas.ingest.opsync import run_sync
from igsatlas.ingest.pipeline import Review
from igsatlas.ingest.publication import publish
from igsatlas.store import edits as store_edits
from igsatlas.store import schema
from igsatlas.store.engine import make_engine
from igsatlas.store.registration import registrations
from igsatlas.web.app import create_app
from opstream_peer import Peer, literal, moment, of_term, serve, snapshot, triple, turtle

GENT = "44021"
GENT_ORG = "353234a365664e581db5c2f7cc07add2534b47b8e1ab87c821fc6e6365e6bef5"  # Gent as an LBLOD organisation
PZ_GENT = "laag:politiezone:pz-gent:44021:976aaed972"  # Gent in PZ Gent (regions/ politiezone layer)
IVAGO = "b090b8f36088e8d98a4d1f9ebf43191cefa2b9f84387aa4821835a7b233d2579"
DCT, PROV = "http://purl.org/dc/terms/", "http://www.w3.org/ns/prov#"


@pytest.fixture(scope="module")
def engine(imported_url: str) -> Iterator[Engine]:
    e = make_engine(imported_url)
    yield e
    e.dispose()


@pytest.fixture(scope="module")
def imported_on(engine: Engine) -> date:
    """The day of the import that made the test database: the only write in its change log."""
    with engine.connect() as conn:
        days = conn.execute(select(func.min(schema.change_log.c.at), func.max(schema.change_log.c.at))).one()
    assert days[0].date() == days[1].date()
    found: date = days[0].date()
    return found


def _gent_ivago(engine: Engine) -> str:
    m = schema.membership
    with engine.connect() as conn:
        return str(
            conn.execute(
                select(m.c.id).where(m.c.organisation_id == IVAGO, m.c.member_id == GENT_ORG, m.c.origin == "lblod")
            ).scalar_one()
        )


def test_one_statement_reads_the_registration_of_many_records(engine: Engine, imported_on: date) -> None:
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    m = schema.membership
    with engine.connect() as conn:
        gent = list(conn.execute(select(m.c.id).where(m.c.member_id == GENT_ORG)).scalars())
        origins = Counter(conn.execute(select(m.c.origin)).scalars())
        event.listen(conn, "before_cursor_execute", count)
        mine = registrations(conn, "membership", gent)
        everything = registrations(conn, "membership")
        event.remove(conn, "before_cursor_execute", count)
    assert len(statements) == 2 and len(mine) == len(gent) == 46
    police = mine[PZ_GENT]
    assert police.since.source == "regions/memberships.csv" and police.since.at.date() == imported_on
    assert police.until is None and police.of("valid_from") == police.since
    # Every membership's file follows from where its row came: the OP snapshot, the layers, the published pages
    assert Counter(r.since.source for r in everything.values()) == {
        "lblod/organisations.nt.gz": origins["lblod"],  # 4,814
        "regions/memberships.csv": origins["regions"],  # 6,223
        "published/cooperations.csv": origins["published"],  # 190
        "import (afgeleid)": origins["derived"],  # 111 memberships passed to a merged municipality
    }
    assert origins["lblod"] == 4_814


def test_the_api_gives_both_clocks_of_gents_police_zone_and_ivago(client: TestClient, imported_on: date) -> None:
    found = client.get(f"/api/v1/lidmaatschappen?gemeente={GENT}&laag=politiezone").json()["resultaten"]
    assert [x["organisatie"]["naam"] for x in found] == ["PZ Gent: Gent"]
    police = found[0]
    assert police["geldig_van"] is None and police["geldig_tot"] is None  # valid time: niet gekend
    assert police["bron_datum"] == "2025-07-03"  # the layer's row attests it on that day
    assert police["geregistreerd_sinds"].startswith(imported_on.isoformat() + "T")
    assert police["geregistreerd_sinds"].endswith("Z") and police["geregistreerd_tot"] is None
    assert police["geregistreerd_bron"] == "regions/memberships.csv"
    assert set(police["geregistreerd_per_feit"]) == {"rol", "geldig_van", "geldig_tot"}
    ivago = client.get(f"/api/v1/lidmaatschappen?organisatie={IVAGO}&gemeente={GENT}").json()["resultaten"]
    assert [(x["geregistreerd_bron"], x["bron_datum"], x["geldig_van"]) for x in ivago] == [
        ("lblod/organisations.nt.gz", "2026-07-24", None)  # the OP snapshot of 24 July 2026 attests it
    ]
    org = client.get(f"/api/v1/organisaties/{IVAGO}").json()
    assert org["geregistreerd_bron"] == "lblod/organisations.nt.gz" and org["geldig_van"] is None
    assert set(org["geregistreerd_per_feit"]) == {"naam", "status", "geldig_van", "geldig_tot"}
    schema_doc = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["Lidmaatschap"]
    assert {"geregistreerd_sinds", "geregistreerd_bron", "geregistreerd_tot", "bron_datum"} <= set(
        schema_doc["properties"]
    )
    assert "geregistreerd_sinds" not in schema_doc.get("required", [])  # added, optional: nothing breaks


def test_pages_say_lid_sinds_niet_gekend_and_since_when_the_register_has_it(
    client: TestClient, imported_on: date
) -> None:
    day = in_words(imported_on)
    gent = client.get("/gemeenten/gent.json").json()
    police = gent["lagen"]["politiezone"][0]  # the zone's membership, with its two clocks beside it
    assert police["klokken"] == f"lid sinds: niet gekend · in het register sinds {day} (regiolaag)"
    assert police["volgens_een_bron"] == "lid volgens een bron van 3 juli 2025"
    assert police["lidmaatschap"]["geregistreerd_bron"] == "regions/memberships.csv"
    assert police["lidmaatschap"]["bron_datum"] == "2025-07-03"
    ivago = next(c for c in gent["samenwerkingsverbanden"] if c["lidmaatschap"]["organisatie"]["naam"] == "IVAGO")
    assert ivago["klokken"] == f"lid sinds: niet gekend · in het register sinds {day} (OP)"
    assert ivago["volgens_een_bron"] == "lid volgens een bron van 24 juli 2026"  # the OP snapshot's day
    assert ivago["klokken"] in client.get("/gemeenten/gent").text
    page = client.get("/samenwerkingsverbanden/ivago.json").json()
    row = next(r for r in page["leden_per_lid"] if r["gemeente"] and r["gemeente"]["naam"] == "Gent")
    assert row["geldig_van"] is None and row["in_het_register"] == f"in het register sinds {day} (OP)"
    assert page["details"]["in_het_register"] == f"sinds {day} (OP)"
    html = client.get("/samenwerkingsverbanden/ivago").text
    assert f'niet gekend<span class="registratie">in het register sinds {day} (OP)</span>' in html


def test_the_linked_data_keeps_the_record_apart_from_the_period(client: TestClient, imported_on: date) -> None:
    ttl = client.get("/gemeenten/gent", headers={"accept": "text/turtle"})
    store = ox.Store()
    store.load(ttl.content, format=ox.RdfFormat.TURTLE)
    q = f"""PREFIX dct: <{DCT}> PREFIX prov: <{PROV}> PREFIX foaf: <http://xmlns.com/foaf/0.1/>
        PREFIX org: <http://www.w3.org/ns/org#> PREFIX dcat: <http://www.w3.org/ns/dcat#>
        SELECT ?rec ?created ?generated ?source ?attested ?period WHERE {{
          ?m a org:Membership ; <http://mu.semte.ch/vocabularies/core/uuid> "{PZ_GENT}" ; dct:date ?attested ;
             foaf:isPrimaryTopicOf ?rec .
          ?rec a dcat:CatalogRecord ; foaf:primaryTopic ?m ; dct:created ?created ; prov:generatedAtTime ?generated ;
             dct:source ?source .
          OPTIONAL {{ ?m org:memberDuring ?period }} }}"""
    rows = list(store.query(q))  # type: ignore[arg-type]
    assert len(rows) == 1
    row = rows[0]
    assert row["source"].value == "regions/memberships.csv"  # type: ignore[index]
    assert row["created"].datatype.value == "http://www.w3.org/2001/XMLSchema#dateTime"  # type: ignore[index]
    assert row["created"].value.startswith(imported_on.isoformat()) and row["created"] == row["generated"]  # type: ignore[index]
    assert row["attested"].value == "2025-07-03" and row["period"] is None  # type: ignore[index]
    assert row["rec"].value.endswith("/id/registratie/lidmaatschap/" + quote(PZ_GENT, safe=""))  # type: ignore[index]


def test_the_csv_has_the_registration_columns_described_in_the_package(client: TestClient, imported_on: date) -> None:
    rows = list(csv.DictReader(io.StringIO(client.get(f"/data/lidmaatschappen.csv?gemeente={GENT}").text)))
    police = next(r for r in rows if r["id"] == PZ_GENT)
    assert police["geldig_van"] == "" and police["brondatum"] == "2025-07-03"
    assert police["geregistreerd_bron"] == "regions/memberships.csv" and police["geregistreerd_tot"] == ""
    assert datetime.fromisoformat(police["geregistreerd_sinds"]).date() == imported_on
    assert police["geldigheid_geregistreerd_bron"] == "regions/memberships.csv"
    orgs = list(csv.DictReader(io.StringIO(client.get("/data/organisaties.csv").text)))
    assert next(o for o in orgs if o["id"] == IVAGO)["geregistreerd_bron"] == "lblod/organisations.nt.gz"
    package = client.get("/data/datapackage.json").json()
    fields = {
        r["name"]: {f["name"]: f for f in r["schema"]["fields"]}
        for r in package["resources"]
        if r["name"] in ("organisaties", "lidmaatschappen")
    }
    for table in fields.values():
        assert table["geregistreerd_sinds"]["type"] == "datetime"
        assert "Registratietijd" in table["geregistreerd_sinds"]["description"]
        assert {"geregistreerd_bron", "geregistreerd_tot", "geldigheid_geregistreerd_bron"} <= set(table)


def test_an_accepted_edit_changes_the_valid_days_and_registers_them_as_the_edits(
    imported_copy_url: str, data_dir: Path
) -> None:
    engine = make_engine(imported_copy_url)
    membership = _gent_ivago(engine)
    evidence = {"evidence_url": "https://www.ejustice.just.fgov.be/tsv/example", "evidence_date": date(2024, 3, 1)}
    with engine.begin() as conn:
        founded = store_edits.submit(
            conn,
            kind=EditKind.CHANGE_FIELD,
            target_kind="organisatie",
            target_id=IVAGO,
            payload={"founding_date": "1982-05-01"},
            base={"founding_date": None},
            **evidence,  # type: ignore[arg-type]
        )
        ended = store_edits.submit(
            conn,
            kind=EditKind.END_MEMBERSHIP,
            target_kind="lidmaatschap",
            target_id=membership,
            payload={"valid_to": "2026-01-01"},
            **evidence,  # type: ignore[arg-type]
        )
    for edit_id in (founded, ended):
        publish(engine, data_dir, Review(edit_id, None))
    with engine.connect() as conn:
        mine = registrations(conn, "membership", [membership])[membership]
        own = registrations(conn, "organisation", [IVAGO])[IVAGO]
    assert mine.since.source == "lblod/organisations.nt.gz" and mine.of("role").source == "lblod/organisations.nt.gz"
    assert mine.of("valid_to").source == f"edit:{ended}" and mine.of("valid_to").at > mine.since.at
    assert own.since.source == "lblod/organisations.nt.gz" and own.of("valid_from").source == f"edit:{founded}"
    settings = Settings.from_env({"IGSATLAS_DATABASE_URL": imported_copy_url})
    with TestClient(create_app(settings)) as client:
        org = client.get(f"/api/v1/organisaties/{IVAGO}").json()
        assert org["geldig_van"] == "1982-05-01"  # valid time changed ...
        assert org["geregistreerd_bron"] == "lblod/organisations.nt.gz"  # ... the record is still the OP's ...
        assert org["geregistreerd_per_feit"]["geldig_van"]["bron"] == f"edit:{founded}"  # ... the day the edit's
        assert org["geregistreerd_per_feit"]["naam"]["bron"] == "lblod/organisations.nt.gz"
        found = client.get(f"/api/v1/lidmaatschappen?organisatie={IVAGO}&gemeente={GENT}&op=2025-06-30").json()
        ms = found["resultaten"][0]
        assert (
            ms["geldig_tot"] == "2026-01-01" and ms["geregistreerd_per_feit"]["geldig_tot"]["bron"] == f"edit:{ended}"
        )
        assert ms["geregistreerd_per_feit"]["rol"]["bron"] == "lblod/organisations.nt.gz"
        rows = csv.DictReader(io.StringIO(client.get(f"/data/lidmaatschappen.csv?gemeente={GENT}&op=2025-06-30").text))
        row = next(r for r in rows if r["id"] == membership)
        assert row["geldig_tot"] == "2026-01-01" and row["geldigheid_geregistreerd_bron"] == f"edit:{ended}"
        page = client.get("/samenwerkingsverbanden/ivago.json?op=2025-06-30").json()
        gent = next(r for r in page["leden_per_lid"] if r["gemeente"] and r["gemeente"]["naam"] == "Gent")
        assert "lid tot 1 januari 2026" in gent["klokken"]
        assert gent["klokken"].endswith(f"(redactie, wijziging {ended})")
        assert "begindatum sinds" in page["details"]["in_het_register"]
    engine.dispose()


def test_a_sync_registers_what_a_delta_file_changed_under_that_file(writable_url: str) -> None:
    """After the bootstrap from the OP's dump, a rename in one delta file and a removed membership in the next:
    the name's registration is that file, the record's stays the import's, the membership's registration ends."""
    skos, org = "http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/ns/org#organization"
    found = snapshot(DATA_DIR)
    grensland = next(
        t.subject.value
        for t in found
        if t.predicate.value == skos and t.object.value == "PV Grensland" and "bestuurseenheden" in t.subject.value
    )
    variant = sorted(
        t.subject.value
        for t in found
        if t.predicate.value == skos and t.object.value == "VARIANT" and "bestuurseenheden" in t.subject.value
    )[0]
    gone = sorted(t.subject.value for t in found if t.predicate.value == org and t.object.value == variant)[0]
    peer = Peer(page_size=3)
    peer.add_dump("new", moment("2026-08-01T04:11:05.120"), "dump-new", turtle(found), "20260801041100000")
    engine = make_engine(writable_url)
    with serve(peer) as url:
        run_sync(engine, DATA_DIR, Stream(url, retry_wait=0.05))
        rename = {
            "deletes": [triple(grensland, skos, literal("PV Grensland"))],
            "inserts": [triple(grensland, skos, literal("Projectvereniging Grensland"))],
        }
        peer.add_delta("f2", moment("2026-08-01T09:05:00.000"), [rename])
        removal = {"deletes": [of_term(t) for t in found if t.subject.value == gone], "inserts": []}
        peer.add_delta("f3", moment("2026-08-01T09:06:00.000"), [removal])
        run_sync(engine, DATA_DIR, Stream(url, retry_wait=0.05))
    o = schema.organisation
    with engine.connect() as conn:
        org_id = conn.execute(select(o.c.id).where(o.c.uri == grensland)).scalar_one()
        own = registrations(conn, "organisation", [org_id])[org_id]
        membership = gone.rsplit("/", 1)[1]
        ended = registrations(conn, "membership", [membership])[membership]
    assert own.since.source == "lblod/organisations.nt.gz"  # the import recorded the body ...
    assert own.of("name").source == "Organisatieportaal delta-2026-08-01T09:05:00.000Z-0.json"  # ... f2 its name
    assert own.of("status").source == "lblod/organisations.nt.gz"
    assert ended.since.source == "lblod/organisations.nt.gz" and ended.until is not None
    assert ended.until > ended.since.at  # the atlas stopped saying it when it applied f3
    engine.dispose()
