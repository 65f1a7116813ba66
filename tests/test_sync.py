"""`igs sync`: following the Organisatieportaal's public delta stream, against a server on loopback that speaks
the stream's protocol from fixtures made from the real snapshot (tests/opstream_peer.py).

The module's tests tell one story in order over one database (a copy of the imported register): a dump rotation
and the bootstrap, then delta files (a new interlokale vereniging, a rename, a status change, a removed
membership, a repeated insert, a split changeset, healing's delete-only and insert-only files, two files in the
same millisecond across a page, an xsd:string literal), a kill in the middle of a file, a malformed file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pyoxigraph as ox
import pytest
from sqlalchemy import Engine, func, select
from starlette.testclient import TestClient

from conftest import DATA_DIR, REPO
from igsatlas.config import Settings
from igsatlas.domain.edits import EditKind
from igsatlas.errors import InputError, SourceError
from igsatlas.ingest import lblod, opregister
from igsatlas.ingest.changesets import IRI, ChangesetError, Triple, kept, parse_delta, parse_dump
from igsatlas.ingest.opstream import Stream, dump_moment, format_moment, parse_moment
from igsatlas.ingest.opsync import run_sync
from igsatlas.ingest.pipeline import Review, run_import
from igsatlas.ingest.problems import Problems
from igsatlas.ingest.publication import publish
from igsatlas.store import edits as store_edits
from igsatlas.store import schema, schema_sources, triples
from igsatlas.store.engine import content_version, make_engine
from igsatlas.web.app import create_app
from opstream_peer import ILV_CODE, XSD_STRING, Peer, literal, moment, of_term, serve, snapshot, triple, turtle

SKOS = "http://www.w3.org/2004/02/skos/core#"
ORG = "http://www.w3.org/ns/org#"
REGORG = "http://www.w3.org/ns/regorg#"
MU = "http://mu.semte.ch/vocabularies/core/uuid"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
FOAF_PAGE = "http://xmlns.com/foaf/0.1/page"
PHONE = "http://schema.org/telephone"
ACTIEF = "http://lblod.data.gift/concepts/63cc561de9188d64ba5840a42ae8f0d6"
NIET_ACTIEF = "http://lblod.data.gift/concepts/d02c4e12bf88d2fdf5123b07f29c9311"
FOUNDER = "http://data.lblod.info/id/rollen/73d5e1cf250d42fab15926771f07505a"
PARTICIPANT = "http://data.lblod.info/id/rollen/2152eb830b1143bfb97a7dd9596d6c63"
ILV = "http://data.lblod.info/id/bestuurseenheden/0e5a7c1e-0000-4ilv-meetjesland-burensport"


# --- the parts, alone -------------------------------------------------------------------------------------------


def test_changeset_terms_compare_as_the_stream_means_them() -> None:
    s, p = "http://x/s", "http://x/p"
    body = [
        {
            "deletes": [triple(s, p, literal("Interleuven", XSD_STRING))],
            "inserts": [
                triple(s, p, literal("Interleuven")),
                triple(s, p, {"type": "literal", "value": "Interleuven", "xml:lang": "nl"}),
                triple(
                    s, p, {"type": "typed-literal", "value": 42, "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
                ),
            ],
        }
    ]
    (cs,) = parse_delta(__import__("json").dumps(body).encode())
    # xsd:string is the plain literal; a language tag does not make another fact; numbers become text
    assert cs.deletes[0].key == cs.inserts[0].key == cs.inserts[1].key
    assert cs.inserts[2] == Triple(s, p, "42", "http://www.w3.org/2001/XMLSchema#integer", "")
    assert cs.inserts[0].datatype == ""


def test_a_file_that_cannot_be_understood_names_its_changeset() -> None:
    good = {"inserts": [triple("http://x/s", "http://x/p", "http://x/o")], "deletes": []}
    bad = {"inserts": [{"subject": {"type": "uri", "value": "http://x/s"}, "predicate": {"type": "uri"}}]}
    with pytest.raises(ChangesetError) as caught:
        parse_delta(__import__("json").dumps([good, good, bad]).encode())
    assert caught.value.index == 2
    with pytest.raises(ChangesetError) as caught:
        parse_delta(b"<html>")
    assert caught.value.index is None


def test_the_dump_is_read_as_turtle_with_long_strings() -> None:
    path = REPO / "tests" / "data" / "op" / "dump-small.ttl"
    found = list(parse_dump(path.read_bytes(), path.name))
    by_predicate = {t.predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1]: t for t in found}
    assert by_predicate["prefLabel"].object == "Meetjeslandse Burensportdienst"
    # a long string over two lines, with a quote in it, stays one value
    assert by_predicate["description"].object == 'Fusie van "Gooik", Herne en Pepingen\ntot Pajottegem'
    assert by_predicate["date"].datatype == "http://www.w3.org/2001/XMLSchema#date"
    assert by_predicate["uuid"].datatype == ""  # typed xsd:string in the file
    # governing bodies are outside the atlas, as in the import
    assert not any("bestuursorganen" in t.subject for t in found)
    with pytest.raises(InputError) as caught:
        list(parse_dump(path.read_bytes()[:-40], path.name))
    assert caught.value.code == "invalid-rdf"


def _triple(t: ox.Triple) -> Triple:
    o = t.object
    if isinstance(o, ox.Literal):
        return Triple(t.subject.value, t.predicate.value, o.value, "", o.language or "")
    return Triple(t.subject.value, t.predicate.value, o.value, IRI)


def test_the_dump_s_triples_cross_to_the_table_packed_each_once(tmp_path: Any) -> None:
    lines = Triple("http://x/a", "http://x/p", "een\nlange tekst", "", "nl")
    found = [
        Triple("http://x/b", "http://x/p", "http://x/a", IRI),
        lines,
        lines._replace(lang=""),  # the same fact without its language tag: kept once
        Triple("http://x/a", "http://x/q", "2024", "http://www.w3.org/2001/XMLSchema#gYear"),
    ]
    engine = make_engine(f"sqlite:///{tmp_path}/t.sqlite3")
    schema.metadata.create_all(engine)
    with engine.begin() as conn:
        assert triples.replace_all_packed(conn, triples.pack(found)) == 3
        rows = conn.execute(select(schema_sources.op_triple).order_by(schema_sources.op_triple.c.subject)).all()
    assert [(r.subject, r.object, r.datatype, r.ref) for r in rows][-1] == (
        "http://x/b",
        "http://x/a",
        IRI,
        "http://x/a",
    )
    assert {(r.object, r.lang) for r in rows if r.subject == "http://x/a"} == {("een\nlange tekst", ""), ("2024", "")}
    assert {r.key for r in rows} == {t.key for t in found}
    with pytest.raises(ValueError, match="NUL"):
        triples.pack([Triple("http://x/a", "http://x/p", "a\x00b", "")])
    engine.dispose()


def test_a_record_is_read_again_from_what_the_reader_reads() -> None:
    """A delta file's records are read again from the triples lblod.read looks at only: its predicates, and the
    types and ids of the records themselves. The whole snapshot read that way is the same register."""
    found = [t for t in map(_triple, snapshot(DATA_DIR)) if kept(t)]
    records = {t.subject for t in found if t.predicate == RDF_TYPE and t.object in lblod.RECORD_CLASSES}
    only = [
        t
        for t in found
        if t.predicate in lblod.READ_PREDICATES
        and (t.subject in records or t.predicate not in lblod.RECORD_PREDICATES)
        and (t.predicate != RDF_TYPE or t.object in lblod.RECORD_CLASSES)
    ]
    day = date(2026, 8, 1)
    whole = opregister.read_register("snapshot", found, day, Problems(skip_invalid=True))
    read = opregister.read_register("snapshot", only, day, Problems(skip_invalid=True))
    assert len(only) < 0.75 * len(found)
    assert len(whole.organisations) > 1000 and len(whole.memberships) > 4000
    assert read == whole


def test_moments_are_sent_in_utc_with_milliseconds() -> None:
    assert format_moment(parse_moment("2026-07-24T11:25:12.4+02:00")) == "2026-07-24T09:25:12.400Z"
    released = parse_moment("2026-08-01T04:20:00.000Z")
    # the file name's stamp (the dump's start) minus a margin for its time zone
    assert format_moment(dump_moment("dump-public-20260801041100123-abc.ttl", released)) == "2026-08-01T01:11:00.123Z"
    assert format_moment(dump_moment("dump.ttl", released)) == "2026-08-01T01:20:00.000Z"


# --- the story ---------------------------------------------------------------------------------------------------


@dataclass
class World:
    peer: Peer
    url: str
    engine: Engine
    triples: list[ox.Triple]

    def stream(self, **options: Any) -> Stream:
        return Stream(self.url, retry_wait=0.05, **options)

    def sync(self, **options: Any) -> Any:
        return run_sync(self.engine, DATA_DIR, self.stream(**options))

    def org(self, name: str) -> dict[str, Any] | None:
        o = schema.organisation
        with self.engine.connect() as conn:
            row = conn.execute(select(o).where(o.c.name == name)).mappings().first()
        return dict(row) if row else None

    def uri(self, label: str, classification: str | None = None) -> str:
        found = [
            t.subject.value
            for t in self.triples
            if t.predicate.value == f"{SKOS}prefLabel"
            and t.object.value == label
            and "bestuurseenheden" in t.subject.value
        ]
        assert found, label
        return sorted(found)[0]

    def of(self, subject: str) -> list[ox.Triple]:
        return [t for t in self.triples if t.subject.value == subject]

    def memberships(self, organisation: str) -> list[str]:
        return sorted(
            t.subject.value
            for t in self.triples
            if t.predicate.value == f"{ORG}organization" and t.object.value == organisation
        )


@pytest.fixture(scope="module")
def world(writable_url: str) -> Iterator[World]:
    found = snapshot(DATA_DIR)
    peer = Peer(page_size=3)
    dump = turtle(found)
    # A rotation under way: the old dump, and the newest whose file answers 500 once before it is there.
    peer.add_dump("old", moment("2026-07-31T20:11:00.000"), "dump-old", dump, "20260731201100000")
    peer.add_dump("new", moment("2026-08-01T04:11:05.120"), "dump-new", dump, "20260801041100000")
    peer.broken_once["/files/dump-new/download"] = 500
    engine = make_engine(writable_url)
    with serve(peer) as url:
        yield World(peer, url, engine, found)
    engine.dispose()


def test_bootstrap_takes_the_newest_dump_through_a_rotation(world: World) -> None:
    before = world.org("Interleuven")
    assert before is not None and before["source"].startswith("LBLOD Organisatieportaal")
    report = world.sync()
    assert report.bootstrapped == "dump-public-20260801041100000-new.ttl"
    assert world.peer.asked.count("/files/dump-new/download") == 2  # a 500, then the file
    assert "/files/dump-old/download" not in world.peer.asked
    after = world.org("Interleuven")
    assert after is not None
    assert after["source"] == opregister.SOURCE
    assert after["source_date"].isoformat() == "2026-08-01"
    # the same register: names, KBO numbers, slugs unchanged
    assert {k: after[k] for k in ("id", "slug", "name", "kbo", "status")} == {
        k: before[k] for k in ("id", "slug", "name", "kbo", "status")
    }
    with world.engine.connect() as conn:
        state = opregister.state(conn)
        n = conn.execute(select(func.count()).select_from(schema_sources.op_triple)).scalar()
    assert state is not None and state.dump_name == report.bootstrapped
    # resume 3 hours before the start the file name stamps (the release date comes after the writing)
    assert state.resume_from == "2026-08-01T01:11:00.000Z"
    assert n == report.bootstrap_triples > 100_000


def _ilv_files(w: World) -> tuple[list[Any], list[Any]]:
    """A new interlokale vereniging in two changesets (the producer splits large ones): the body, then who
    founded it and who takes part."""
    maldegem, eeklo, kaprijke = (w.uri(n) for n in ("Maldegem", "Eeklo", "Kaprijke"))
    org = [
        triple(ILV, RDF_TYPE, "http://data.vlaanderen.be/ns/besluit#Bestuurseenheid"),
        triple(ILV, RDF_TYPE, f"{ORG}Organization"),
        triple(ILV, MU, literal("0e5a7c1e-ilv-meetjesland-burensport")),
        triple(ILV, f"{ORG}classification", ILV_CODE),
        triple(ILV, f"{SKOS}prefLabel", literal("Meetjeslandse Burensportdienst", XSD_STRING)),
        triple(ILV, f"{REGORG}orgStatus", ACTIEF),
    ]
    members = []
    for n, (who, role) in enumerate([(maldegem, FOUNDER), (eeklo, FOUNDER), (kaprijke, PARTICIPANT)]):
        m = f"http://data.lblod.info/id/lidmaatschappen/ilv-burensport-{n}"
        members += [
            triple(m, RDF_TYPE, f"{ORG}Membership"),
            triple(m, MU, literal(f"ilv-burensport-{n}")),
            triple(m, f"{ORG}organization", ILV),
            triple(m, f"{ORG}member", who),
            triple(m, f"{ORG}role", role),
        ]
    return org, members


def test_a_new_interlokale_vereniging_with_founders_and_participants(world: World) -> None:
    org, members = _ilv_files(world)
    published_before = world.org("Meetjeslandse Burensportdienst")
    assert published_before is not None and published_before["origin"] == "published"
    world.peer.add_delta(
        "f1", moment("2026-08-01T09:00:00.100"), [{"inserts": org, "deletes": []}, {"inserts": members, "deletes": []}]
    )
    version = content_version(world.engine)
    report = world.sync()
    assert [f.id for f in report.files] == ["f1"]
    assert content_version(world.engine) != version
    found = world.org("Meetjeslandse Burensportdienst")
    assert found is not None
    assert (found["classification"], found["status"], found["uri"], found["origin"]) == (
        "interlokale-vereniging",
        "actief",
        ILV,
        "lblod",
    )
    # One record naming both sources: the published pages' ILV of that name is this record now.
    o, m = schema.organisation, schema.membership
    with world.engine.connect() as conn:
        same = conn.execute(select(o.c.id).where(func.lower(o.c.name) == "meetjeslandse burensportdienst")).all()
        roles = dict(
            conn.execute(
                select(o.c.name, m.c.role)
                .join(o, o.c.id == m.c.member_id)
                .where(m.c.organisation_id == found["id"], m.c.origin == "lblod")
            ).all()
        )
        linked = conn.execute(
            select(schema.import_issue.c.message).where(
                schema.import_issue.c.id == "published-linked:Meetjeslandse Burensportdienst"
            )
        ).scalar()
    assert len(same) == 1
    assert roles == {"Maldegem": "stichtend-lid", "Eeklo": "stichtend-lid", "Kaprijke": "participant"}
    assert linked == f"Meetjeslandse Burensportdienst -> {found['id']}"  # the published pages name this record


def test_rename_status_change_and_removed_membership_touch_only_their_records(world: World) -> None:
    grensland, jeugdregio = world.uri("PV Grensland"), world.uri("Jeugdregio Noorderkempen")
    gone = world.memberships(world.uri("VARIANT"))[0]
    rename = [
        {
            "deletes": [triple(grensland, f"{SKOS}prefLabel", literal("PV Grensland"))],
            "inserts": [triple(grensland, f"{SKOS}prefLabel", literal("Projectvereniging Grensland"))],
        },
        {
            "deletes": [triple(jeugdregio, f"{REGORG}orgStatus", ACTIEF)],
            "inserts": [triple(jeugdregio, f"{REGORG}orgStatus", NIET_ACTIEF)],
        },
    ]
    removal = [{"deletes": [of_term(t) for t in world.of(gone)], "inserts": []}]
    world.peer.add_delta("f2", moment("2026-08-01T09:05:00.000"), rename)
    world.peer.add_delta("f3", moment("2026-08-01T09:06:00.000"), removal)
    report = world.sync()
    assert [(f.id, f.way) for f in report.files] == [("f2", "delta"), ("f3", "delta")]
    assert world.org("PV Grensland") is None
    renamed = world.org("Projectvereniging Grensland")
    assert renamed is not None and renamed["slug"] == "projectvereniging-grensland"
    assert world.org("Jeugdregio Noorderkempen")["status"] == "niet-actief"  # type: ignore[index]
    m = schema.membership
    with world.engine.connect() as conn:
        left = conn.execute(select(m.c.id).where(m.c.id == gone.rsplit("/", 1)[1])).all()
        log = conn.execute(
            select(schema.change_log.c.entity, schema.change_log.c.field, schema.change_log.c.source).where(
                schema.change_log.c.source.like("%, Organisatieportaal delta-2026-08-01T09:06:00.000Z-0.json")
            )
        ).all()
    assert left == []
    assert [(e, f) for e, f, _ in log] == [("membership", None)]


def test_repeats_xsd_string_healing_and_ties_across_a_page(world: World) -> None:
    interleuven = world.uri("Interleuven")
    site_phone = next(t for t in world.triples if t.predicate.value == PHONE)
    contact = site_phone.subject.value
    old_phone = site_phone.object.value
    website = next(t for t in world.triples if t.predicate.value == FOAF_PAGE)
    # a repeated insert, and a website stored plain but deleted as xsd:string and inserted typed
    world.peer.add_delta(
        "f4",
        moment("2026-08-01T09:10:00.000"),
        [
            {"inserts": [of_term(t) for t in world.of(interleuven)], "deletes": []},
            {
                "deletes": [triple(website.subject.value, FOAF_PAGE, literal(website.object.value, XSD_STRING))],
                "inserts": [triple(website.subject.value, FOAF_PAGE, literal("https://example.be/nieuw", XSD_STRING))],
            },
        ],
    )
    # healing: a delete-only file, then an insert-only file
    world.peer.add_delta(
        "f5",
        moment("2026-08-01T09:20:00.000"),
        [{"deletes": [triple(contact, PHONE, literal(old_phone))], "inserts": []}],
    )
    world.peer.add_delta(
        "f6",
        moment("2026-08-01T09:20:01.000"),
        [{"deletes": [], "inserts": [triple(contact, PHONE, literal("tel:+3250000000"))]}],
    )
    # two files in the same millisecond: with pages of 3 they straddle a page
    tie = moment("2026-08-01T09:30:00.555")
    world.peer.add_delta(
        "f8", tie, [{"deletes": [], "inserts": [triple(contact, FOAF_PAGE, literal("https://example.be/f8"))]}]
    )
    world.peer.add_delta(
        "f7", tie, [{"deletes": [], "inserts": [triple(contact, FOAF_PAGE, literal("https://example.be/f7"))]}]
    )
    report = world.sync()
    assert sorted(f.id for f in report.files) == ["f4", "f5", "f6", "f7", "f8"]
    assert [f.id for f in report.files][:3] == ["f4", "f5", "f6"]
    f4 = report.files[0]
    assert f4.repeated == len(world.of(interleuven)) and f4.deleted == 1 and f4.inserted == 1
    with world.engine.connect() as conn:
        state = opregister.state(conn)
        websites = set(
            conn.execute(
                select(schema_sources.op_triple.c.object).where(
                    schema_sources.op_triple.c.predicate == FOAF_PAGE,
                    schema_sources.op_triple.c.subject.in_([website.subject.value, contact]),
                )
            ).scalars()
        )
        phones = set(
            conn.execute(
                select(schema_sources.op_triple.c.object).where(
                    schema_sources.op_triple.c.subject == contact, schema_sources.op_triple.c.predicate == PHONE
                )
            ).scalars()
        )
    assert state is not None and state.last_file_created == tie
    assert {"https://example.be/nieuw", "https://example.be/f7", "https://example.be/f8"} <= websites
    assert website.object.value not in websites
    assert phones == {"tel:+3250000000"}
    # every file once: a second run asks and finds nothing new
    assert world.sync().files == []


def test_server_failures_leave_the_atlas_unchanged(world: World) -> None:
    version = content_version(world.engine)
    world.peer.broken["/sync/public/files"] = 500
    with pytest.raises(SourceError) as caught:
        world.sync()
    assert caught.value.code == "source-http-500"
    del world.peer.broken["/sync/public/files"]
    world.peer.html = True
    with pytest.raises(SourceError) as caught:
        world.sync()
    assert caught.value.code == "source-not-json" and "html" in caught.value.message.lower()
    world.peer.html = False
    world.peer.add_delta(
        "f9",
        moment("2026-08-01T10:00:00.000"),
        [{"deletes": [], "inserts": [triple(ILV, f"{SKOS}altLabel", literal("MBSD"))]}],
    )
    world.peer.slow["f9"] = 2.0
    with pytest.raises(SourceError) as caught:
        world.sync(timeout=0.5)
    assert caught.value.code == "source-unavailable" and "f9" in caught.value.message
    assert content_version(world.engine) == version
    del world.peer.slow["f9"]
    assert [f.id for f in world.sync().files] == ["f9"]


def test_a_kill_in_the_middle_of_a_file_leaves_a_file_boundary(world: World, writable_url: str) -> None:
    grensland = world.uri("PV Grensland")
    # A file that composes the whole register again (a new organisation): seconds of work to kill into.
    new = "http://data.lblod.info/id/bestuurseenheden/kill-test-zorgraad"
    world.peer.add_delta(
        "f10",
        moment("2026-08-01T11:00:00.000"),
        [
            {
                "inserts": [
                    triple(new, RDF_TYPE, "http://www.w3.org/ns/regorg#RegisteredOrganization"),
                    triple(new, MU, literal("kill-test-zorgraad")),
                    triple(
                        new,
                        f"{ORG}classification",
                        "http://data.vlaanderen.be/id/concept/GeregistreerdeOrganisatieClassificatieCode/8392b885-a875-4b0d-b6a2-b52e53bda454",
                    ),
                    triple(new, f"{SKOS}prefLabel", literal("Zorgraad Meetjesland")),
                    triple(new, f"{REGORG}orgStatus", ACTIEF),
                ],
                "deletes": [],
            }
        ],
    )
    world.peer.add_delta(
        "f11",
        moment("2026-08-01T11:00:01.000"),
        [
            {
                "deletes": [triple(grensland, f"{SKOS}prefLabel", literal("Projectvereniging Grensland"))],
                "inserts": [triple(grensland, f"{SKOS}prefLabel", literal("PV Grensland"))],
            }
        ],
    )
    env = {
        **os.environ,
        "IGSATLAS_DATABASE_URL": writable_url,
        "IGSATLAS_DATA_DIR": str(DATA_DIR),
        "IGSATLAS_OP_URL": world.url,
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "igsatlas.cli", "sync"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while "/files/f10/download" not in world.peer.asked and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.5)  # composing the register, or writing it
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with world.engine.connect() as conn:
        state = opregister.state(conn)
        applied = set(conn.execute(select(schema_sources.op_file.c.id)).scalars())
    assert state is not None
    # a file boundary: f10 wholly applied with its resume point, or not at all
    zorgraad = world.org("Zorgraad Meetjesland")
    if "f10" in applied:
        assert state.last_file_id in ("f10", "f11") and zorgraad is not None
    else:
        assert state.last_file_id == "f9" and zorgraad is None
    report = world.sync()
    assert "f10" in applied or report.files[0].id == "f10"
    assert world.org("Zorgraad Meetjesland")["classification"] == "zorgraad"  # type: ignore[index]
    assert world.org("PV Grensland") is not None


def test_a_malformed_file_stops_the_run_and_later_files_wait(world: World) -> None:
    world.peer.add_delta(
        "f12",
        moment("2026-08-01T12:00:00.000"),
        [
            {"deletes": [], "inserts": [triple(ILV, f"{SKOS}altLabel", literal("Burensport Meetjesland"))]},
            {
                "deletes": [],
                "inserts": [
                    {
                        "subject": {"type": "uri", "value": ILV},
                        "predicate": {"type": "uri", "value": FOAF_PAGE},
                        "object": {"type": "blank", "value": "x"},
                    }
                ],
            },
        ],
    )
    world.peer.add_delta(
        "f13",
        moment("2026-08-01T12:00:01.000"),
        [{"deletes": [], "inserts": [triple(ILV, f"{SKOS}altLabel", literal("later"))]}],
    )
    with pytest.raises(InputError) as caught:
        world.sync()
    error = caught.value
    assert error.code == "invalid-delta-file"
    assert "f12" in error.message and "2026-08-01T12:00:00.000Z" in error.message and "changeset 1" in error.message
    n = schema.organisation_name
    with world.engine.connect() as conn:
        names = set(conn.execute(select(n.c.name).where(n.c.name.in_(["Burensport Meetjesland", "later"]))).scalars())
        state = opregister.state(conn)
    assert names == set()  # nothing of f12, and f13 waits
    assert state is not None and state.last_file_id == "f11"
    assert IRI == "@id"


def test_an_import_after_the_sync_keeps_the_register_the_stream_gave(world: World) -> None:
    """`igs import` composes the register from the stored triples once the atlas follows the stream, and finds
    nothing to change: the files applied record by record wrote what the whole composition writes."""
    report = run_import(world.engine, DATA_DIR)
    assert not report.changed, {k: v for k, v in report.changes.items() if v.inserted or v.updated or v.removed}
    assert world.org("Meetjeslandse Burensportdienst") is not None
    assert world.org("Jeugdregio Noorderkempen")["status"] == "niet-actief"  # type: ignore[index]


def test_status_says_where_the_atlas_stands_against_the_register(world: World, writable_url: str) -> None:
    settings = Settings.from_env({"IGSATLAS_DATABASE_URL": writable_url, "IGSATLAS_DATA_DIR": str(DATA_DIR)})
    with TestClient(create_app(settings)) as client:
        found = client.get("/status.json").json()["organisatieportaal"]
    assert found["bron"] == world.url
    assert found["dump"] == "dump-public-20260801041100000-new.ttl"
    assert (found["laatste_bestand"], found["laatste_bestand_aangemaakt"]) == ("f11", "2026-08-01T11:00:01.000Z")
    assert 0 <= found["achterstand_seconden"] < 600


def test_rebootstrap_starts_again_from_the_newest_dump_and_replays_safely(world: World) -> None:
    """--rebootstrap: the newest dump again, then every file from 3 hours before it (replayed: whole triples, so
    the register comes out the same), up to the malformed file, which still waits."""
    before = {n: world.org(n) for n in ("Meetjeslandse Burensportdienst", "Zorgraad Meetjesland", "PV Grensland")}
    with pytest.raises(InputError) as caught:
        run_sync(world.engine, DATA_DIR, world.stream(), rebootstrap=True)
    assert "f12" in caught.value.message
    with world.engine.connect() as conn:
        applied = set(conn.execute(select(schema_sources.op_file.c.id)).scalars())
        state = opregister.state(conn)
    assert {f"f{n}" for n in range(1, 12)} <= applied and "f12" not in applied
    assert state is not None and state.last_file_id == "f11"
    after = {n: world.org(n) for n in before}
    assert all(after[n] is not None and after[n]["id"] == before[n]["id"] for n in before)  # type: ignore[index]


def test_an_accepted_edit_survives_the_sync_and_an_import(world: World) -> None:
    """An edit accepted while the atlas follows the stream keeps applying when a sync composes the whole register
    again (a rebootstrap replays the dump and every file) and when `igs import` runs."""
    interleuven = world.org("Interleuven")
    assert interleuven is not None and interleuven["founding_date"] is None
    with world.engine.begin() as conn:
        edit_id = store_edits.submit(
            conn,
            kind=EditKind.CHANGE_FIELD,
            target_kind="organisatie",
            target_id=interleuven["id"],
            payload={"founding_date": "1950-06-01"},
            base={"founding_date": None},
            evidence_url="https://www.ejustice.just.fgov.be/tsv/example",
            evidence_date=date(2024, 3, 1),
        )
    publish(world.engine, DATA_DIR, Review(edit_id, None, "statuten gelezen"))
    assert world.org("Interleuven")["founding_date"] == date(1950, 6, 1)  # type: ignore[index]
    with pytest.raises(InputError):  # the malformed file still waits at the end of the replay
        run_sync(world.engine, DATA_DIR, world.stream(), rebootstrap=True)
    assert world.org("Interleuven")["founding_date"] == date(1950, 6, 1)  # type: ignore[index]
    assert not run_import(world.engine, DATA_DIR).changed
    assert world.org("Interleuven")["founding_date"] == date(1950, 6, 1)  # type: ignore[index]
    with world.engine.connect() as conn:
        assert (store_edits.one(conn, edit_id) or {})["state"] == "aanvaard"
