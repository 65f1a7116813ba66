"""The living register: accepted edits survive every import, conflicts reach the review queue, every write is
logged with its source, a rebuild is all or nothing, and an old database is migrated in place."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, MetaData, func, insert, inspect, select, text

from conftest import igs_serve
from igsatlas.atlas import Atlas
from igsatlas.domain.edits import EditKind, EditState
from igsatlas.errors import DatabaseError, InputError
from igsatlas.ingest.pipeline import Review, run_import
from igsatlas.ingest.publication import publish
from igsatlas.store import edits as store_edits
from igsatlas.store import queries, schema
from igsatlas.store.digest import content_digest
from igsatlas.store.lock import write_lock
from igsatlas.store.migrate import BASELINE, head
from test_import import _copy_data

AFTER = date(2025, 6, 30)
BEFORE = date(2024, 6, 30)
EVIDENCE = "https://www.ejustice.just.fgov.be/tsv/example"


def _propose(engine: Engine, **fields: object) -> int:
    with engine.begin() as conn:
        return store_edits.submit(conn, evidence_url=EVIDENCE, evidence_date=date(2024, 3, 1), **fields)  # type: ignore[arg-type]


def _org_id(engine: Engine, name: str) -> str:
    with engine.connect() as conn:
        return queries.find_organisation(conn, name).id


@pytest.fixture
def database_url(imported_copy_url: str) -> str:
    """Every test here starts from the imported register: a copy of the session's imported database."""
    return imported_copy_url


@pytest.fixture
def imported(engine: Engine) -> Engine:
    return engine


def test_accepted_edits_survive_import_and_rebuild(imported: Engine, data_dir: Path) -> None:
    interleuven = _org_id(imported, "Interleuven")
    founded = _propose(
        imported,
        kind=EditKind.CHANGE_FIELD,
        target_kind="organisatie",
        target_id=interleuven,
        payload={"founding_date": "1950-06-01"},
        base={"founding_date": None},
    )
    joined = _propose(
        imported,
        kind=EditKind.ADD_MEMBERSHIP,
        target_kind="organisatie",
        target_id=interleuven,
        payload={"nis": "44021", "role": "participant", "valid_from": "2024-01-01"},  # Gent
    )
    for edit_id in (founded, joined):
        publish(imported, data_dir, Review(edit_id, None, "statuten gelezen"))

    def check() -> None:
        atlas = Atlas(imported)
        assert atlas.organisation("Interleuven").founding_date == date(1950, 6, 1)
        gent = [m for m in atlas.members("Interleuven", AFTER) if m.municipality and m.municipality.name == "Gent"]
        assert [m.membership.origin for m in gent] == [f"edit:{joined}"]
        assert gent[0].membership.source == EVIDENCE

    check()
    again = run_import(imported, data_dir)
    assert not again.changed  # the import reproduces the edits' rows: nothing removed, nothing logged
    check()
    run_import(imported, data_dir, rebuild=True)
    check()
    with imported.connect() as conn:
        states = {e["id"]: e["state"] for e in (store_edits.one(conn, i) or {} for i in (founded, joined))}
    assert states == {founded: "aanvaard", joined: "aanvaard"}


def test_accepted_membership_of_a_merged_municipality_passes_to_its_successor(imported: Engine, data_dir: Path) -> None:
    edit_id = _propose(
        imported,
        kind=EditKind.ADD_ORGANISATION,
        target_kind="organisatie",
        target_id=None,
        payload={
            "name": "ILV Vrijetijd Pajottenland-Test",
            "classification": "interlokale-vereniging",
            "members": [{"nis": "23023"}, {"nis": "23024"}, {"nis": "23104"}],  # Galmaarden, Gooik, Lennik
        },
    )
    publish(imported, data_dir, Review(edit_id, None))
    atlas = Atlas(imported)
    before = {m.municipality.name for m in atlas.members("ILV Vrijetijd Pajottenland-Test", BEFORE) if m.municipality}
    after = {m.municipality.name: m for m in atlas.members("ILV Vrijetijd Pajottenland-Test", AFTER) if m.municipality}
    assert before == {"Galmaarden", "Gooik", "Lennik"}
    assert set(after) == {"Pajottegem", "Lennik"}
    assert after["Pajottegem"].membership.derived_from == "edit:" + str(edit_id) + ":23023" and after[
        "Pajottegem"
    ].membership.valid_from == date(2025, 1, 1)


def test_a_source_change_under_an_accepted_edit_is_a_conflict_for_review(imported: Engine, data_dir: Path) -> None:
    interleuven = _org_id(imported, "Interleuven")
    with imported.connect() as conn:
        website = conn.execute(
            select(schema.organisation.c.website).where(schema.organisation.c.id == interleuven)
        ).scalar()
    # Proposed against a website the source no longer gives: the source changed under the edit.
    edit_id = _propose(
        imported,
        kind=EditKind.CHANGE_FIELD,
        target_kind="organisatie",
        target_id=interleuven,
        payload={"website": "https://www.interleuven.be/nieuw"},
        base={"website": "https://www.interleuven.be/oud"},
    )
    report = publish(imported, data_dir, Review(edit_id, None))
    assert report.conflicts == 1
    with imported.connect() as conn:
        queue = store_edits.queue(conn)
    conflict = next(e for e in queue if e["id"] == edit_id)
    assert conflict["state"] == EditState.ACCEPTED.value
    [detail] = json.loads(conflict["conflict"])
    assert detail["bronwaarde"] == website and detail["redactiewaarde"] == "https://www.interleuven.be/nieuw"


def _publish_an_end_date_and_see_one_change(imported: Engine, data_dir: Path, first: int) -> None:
    """Accept a planned end date for Interleuven: the change log gains that one entry, under the edit's name."""
    log = schema.change_log
    edit_id = _propose(
        imported,
        kind=EditKind.CHANGE_FIELD,
        target_kind="organisatie",
        target_id=_org_id(imported, "Interleuven"),
        payload={"planned_end_date": "2037-12-31"},
        base={"planned_end_date": None},
    )
    publish(imported, data_dir, Review(edit_id, None))
    with imported.connect() as conn:
        rows = conn.execute(select(log).where(log.c.id > first)).all()
    assert [(r.entity, r.field, r.new_value, r.source) for r in rows] == [
        ("organisation", "planned_end_date", '"2037-12-31"', f"edit:{edit_id}")
    ]


def test_every_write_is_logged_with_its_source(imported: Engine, data_dir: Path) -> None:
    log = schema.change_log
    with imported.connect() as conn:
        first = conn.execute(select(func.count()).select_from(log)).scalar_one()
        inserted = conn.execute(select(func.count()).select_from(log).where(log.c.action == "insert")).scalar_one()
        lblod = conn.execute(
            select(func.count()).where(
                log.c.entity == "membership", log.c.source.like("LBLOD%"), ~log.c.entity_key.like("opvolging:%")
            )
        ).scalar_one()
    assert first == inserted > 10_000
    assert lblod == 4814  # one entry per LBLOD membership, with the snapshot as its source
    _publish_an_end_date_and_see_one_change(imported, data_dir, first)


def test_publishing_an_edit_changes_only_what_the_edit_changes(
    imported: Engine, data_dir: Path, tmp_path: Path
) -> None:
    """Data files changed on disk after the import (Borsbeek renamed, 3,000 layer rows cut off) are not published
    under the edit's name: they wait for `igs import`, with its report and its shrink guard."""
    changed = _copy_data(data_dir, tmp_path / "data")
    for name, change in (
        ("regions/municipalities.csv", lambda d: d.replace(b"11007,Borsbeek,", b"11007,Borsbeek-Nieuw,")),
        ("regions/memberships.csv", lambda d: b"\n".join(d.split(b"\n")[:3001]) + b"\n"),
    ):
        raw = (changed / name).read_bytes()
        (changed / name).unlink()
        (changed / name).write_bytes(change(raw))
    log = schema.change_log
    with imported.connect() as conn:
        first = conn.execute(select(func.max(log.c.id))).scalar_one()
        memberships = conn.execute(select(func.count()).select_from(schema.membership)).scalar_one()
    _publish_an_end_date_and_see_one_change(imported, changed, first)
    with imported.connect() as conn:
        name = conn.execute(select(schema.municipality.c.name).where(schema.municipality.c.nis == "11007")).scalar()
        after = conn.execute(select(func.count()).select_from(schema.membership)).scalar_one()
    assert (name, after) == ("Borsbeek", memberships)
    with pytest.raises(InputError, match="would remove"):  # the import still guards the cut file
        run_import(imported, changed)


def test_rebuild_with_a_truncated_file_changes_nothing(imported: Engine, data_dir: Path, tmp_path: Path) -> None:
    bad = _copy_data(data_dir, tmp_path / "data")
    target = bad / "regions" / "memberships.csv"
    raw = target.read_bytes()
    target.unlink()
    target.write_bytes(raw[: len(raw) // 2])
    digest = content_digest(imported)
    with pytest.raises(InputError) as caught:
        run_import(imported, bad, rebuild=True)
    assert str(caught.value.location).startswith("regions/memberships.csv line")
    assert content_digest(imported) == digest


def test_kill_during_rebuild_leaves_the_register_as_it_was(imported: Engine, database_url: str, data_dir: Path) -> None:
    digest = content_digest(imported)
    env = {**os.environ, "IGSATLAS_DATABASE_URL": database_url, "IGSATLAS_DATA_DIR": str(data_dir)}
    for delay in (1.0, 1.6, 2.2):
        proc = subprocess.Popen(
            [sys.executable, "-m", "igsatlas.cli", "import", "--rebuild", "--json"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        assert content_digest(imported) == digest
    atlas = Atlas(imported)
    assert len(atlas.members("Interleuven", AFTER)) >= 20  # still serving the register


def test_a_second_import_waits_then_refuses_clearly(imported: Engine, data_dir: Path) -> None:
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with write_lock(imported):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait(5)
    try:
        with pytest.raises(DatabaseError) as caught:
            run_import(imported, data_dir, lock_wait=0.5)
        assert caught.value.code == "write-in-progress"
    finally:
        release.set()
        thread.join()


def test_a_database_made_before_migrations_is_upgraded_in_place(imported: Engine) -> None:
    """Build a schema-version-3 database (revision 0001, as main made it), fill it with the real register, and
    let `igs import`'s migration upgrade it: every row is still there."""
    from alembic import command

    from igsatlas.store.engine import make_engine
    from igsatlas.store.migrate import _config, upgrade

    source = MetaData()
    source.reflect(bind=imported)
    if imported.dialect.name == "sqlite":
        legacy_path = Path(str(imported.url.database)).with_name("legacy.sqlite3")
        legacy = make_engine(f"sqlite:///{legacy_path}")
    else:
        with imported.begin() as conn:
            conn.execute(text("CREATE SCHEMA legacy_v3"))
        legacy = make_engine(
            imported.url.update_query_dict({"options": "-csearch_path=legacy_v3"}).render_as_string(hide_password=False)
        )
    try:
        with legacy.begin() as conn:
            command.upgrade(_config(conn), BASELINE)
            conn.execute(text("DROP TABLE alembic_version"))
            conn.execute(insert(schema.meta).values(key="schema_version", value="3"))
        old_tables = MetaData()
        old_tables.reflect(bind=legacy)
        counts = {}
        with imported.connect() as src, legacy.begin() as dst:
            for table in old_tables.sorted_tables:
                if table.name == "meta" or table.name not in source.tables:
                    continue
                columns = [c.name for c in table.columns]
                rows = [
                    dict(zip(columns, r, strict=True))
                    for r in src.execute(select(*(source.tables[table.name].c[c] for c in columns)))
                ]
                if rows:
                    dst.execute(table.insert(), rows)
                counts[table.name] = len(rows)
        assert "origin" not in {c["name"] for c in inspect(legacy).get_columns("organisation")}
        upgrade(legacy)
        with legacy.connect() as conn:
            after = {name: conn.execute(text(f"SELECT count(*) FROM {name}")).scalar_one() for name in counts}
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        assert after == counts and counts["membership"] > 10_000
        assert revision == head()
        assert {"origin", "founding_date"} <= {c["name"] for c in inspect(legacy).get_columns("organisation")}
    finally:
        legacy.dispose()
        if imported.dialect.name == "postgresql":
            with imported.begin() as conn:
                conn.execute(text("DROP SCHEMA legacy_v3 CASCADE"))


def test_the_migrations_make_exactly_the_schema_the_code_uses(imported: Engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with imported.connect() as conn:
        drift = compare_metadata(MigrationContext.configure(conn), schema.metadata)
    assert drift == []


def test_the_import_worker_ends_with_its_parent(imported: Engine, database_url: str, data_dir: Path) -> None:
    env = {**os.environ, "IGSATLAS_DATABASE_URL": database_url, "IGSATLAS_DATA_DIR": str(data_dir)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "igsatlas.cli", "import", "--json"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    children: list[int] = []
    deadline = time.monotonic() + 10
    while not children and time.monotonic() < deadline:
        time.sleep(0.05)
        found = subprocess.run(["ps", "-o", "pid=", "--ppid", str(proc.pid)], capture_output=True, text=True).stdout
        children = [int(p) for p in found.split()]
    assert children, "the import started no worker"
    os.kill(proc.pid, signal.SIGKILL)  # the parent only, as the kernel's OOM killer would
    proc.wait()
    time.sleep(1.0)
    for child in children:
        status = Path(f"/proc/{child}/status")
        state = status.read_text().split("State:")[1].split()[0] if status.exists() else "gone"
        assert state in ("gone", "Z", "X"), f"worker {child} still {state}"


def test_a_second_process_serving_the_database_sees_a_write_without_a_restart(
    imported: Engine, database_url: str, data_dir: Path
) -> None:
    import urllib.request

    def search(text: str) -> list[str]:
        url = f"http://127.0.0.1:{port}/zoeken.json?q={text.replace(' ', '+')}"
        with urllib.request.urlopen(url, timeout=5) as answer:
            found = json.loads(answer.read())
        return [r["naam"] for g in found["groepen"] for r in g["resultaten"]]

    with igs_serve(database_url, data_dir) as port:
        deadline = time.monotonic() + 20
        while True:
            try:
                assert "ILV Zwembad Denderstreek" not in search("Zwembad Denderstreek")
                break
            except OSError:
                assert time.monotonic() < deadline, "the second process did not start"
                time.sleep(0.2)
        # Let the server finish building today's register state at start-up (its warm-up), so that what is timed
        # below is only how fast a write reaches the second process.
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/aandachtspunten.json", timeout=120) as answer:
            answer.read()
        edit_id = _propose(
            imported,
            kind=EditKind.ADD_ORGANISATION,
            target_kind="organisatie",
            target_id=None,
            payload={
                "name": "ILV Zwembad Denderstreek",
                "classification": "interlokale-vereniging",
                "members": [{"nis": "41002"}, {"nis": "41011"}],
            },  # Aalst, Denderleeuw
        )
        publish(imported, data_dir, Review(edit_id, None))
        deadline = time.monotonic() + 10  # the version is read once a second; the index is rebuilt in < 1 s
        seen: list[str] = []
        while "ILV Zwembad Denderstreek" not in seen:
            assert time.monotonic() < deadline, f"the second process still serves the old register: {seen}"
            try:
                seen = search("Zwembad Denderstreek")
            except OSError:  # a slow answer on a loaded machine: ask again until the deadline
                seen = []
            time.sleep(0.2)


def test_dissolve_end_suppress_and_merge_edits(imported: Engine, data_dir: Path) -> None:
    atlas = Atlas(imported)
    haviland = _org_id(imported, "Haviland")
    westhoek = _org_id(imported, "interlokale vereniging Westhoekpersoneel")
    pajottenland = _org_id(imported, "ILV Sportregio Pajottenland")
    members = atlas.members("ILV Sportregio Pajottenland", BEFORE)
    lennik = next(m for m in members if m.municipality and m.municipality.name == "Lennik")
    affligem = next(m for m in members if m.municipality and m.municipality.name == "Affligem")
    edits = [
        _propose(
            imported,
            kind=EditKind.DISSOLVE,
            target_kind="organisatie",
            target_id=westhoek,
            payload={"valid_to": "2018-06-30"},
        ),
        _propose(
            imported,
            kind=EditKind.END_MEMBERSHIP,
            target_kind="lidmaatschap",
            target_id=lennik.membership.id,
            payload={"valid_to": "2024-01-01"},
        ),
        _propose(
            imported,
            kind=EditKind.SUPPRESS,
            target_kind="lidmaatschap",
            target_id=affligem.membership.id,
            payload={"organisation_id": pajottenland},
        ),
    ]
    for edit_id in edits:
        publish(imported, data_dir, Review(edit_id, None))
    ended = atlas.organisation("interlokale vereniging Westhoekpersoneel")
    assert ended.status == "niet-actief" and ended.valid_to == date(2018, 6, 30)
    now_members = {m.municipality.name for m in atlas.members("ILV Sportregio Pajottenland", BEFORE) if m.municipality}
    assert "Lennik" not in now_members and "Affligem" not in now_members and "Gooik" in now_members
    earlier = {
        m.municipality.name for m in atlas.members("ILV Sportregio Pajottenland", date(2023, 6, 30)) if m.municipality
    }
    assert "Lennik" in earlier  # ended on 2024-01-01, not removed
    # Two records of one body: the other's names and members pass to the one kept.
    merged = _propose(
        imported, kind=EditKind.MERGE, target_kind="organisatie", target_id=pajottenland, payload={"other": haviland}
    )
    publish(imported, data_dir, Review(merged, None))
    with imported.connect() as conn:
        assert queries.organisation(conn, haviland) is None
        assert queries.find_organisation(conn, "Haviland").id == pajottenland  # an alternative name now
    assert len(atlas.members("ILV Sportregio Pajottenland", BEFORE)) > 20


def test_a_reviewer_settles_a_conflict_either_way(imported: Engine, data_dir: Path) -> None:
    interleuven = _org_id(imported, "Interleuven")
    with imported.connect() as conn:
        website = conn.execute(
            select(schema.organisation.c.website).where(schema.organisation.c.id == interleuven)
        ).scalar()
    edit_id = _propose(
        imported,
        kind=EditKind.CHANGE_FIELD,
        target_kind="organisatie",
        target_id=interleuven,
        payload={"website": "https://www.interleuven.be/nieuw"},
        base={"website": "https://www.interleuven.be/oud"},
    )
    publish(imported, data_dir, Review(edit_id, None))
    with imported.begin() as conn:
        store_edits.keep_over_source(conn, edit_id)  # "Redactiewaarde behouden"
    report = run_import(imported, data_dir)
    assert report.conflicts == 0
    assert Atlas(imported).organisation("Interleuven").website == "https://www.interleuven.be/nieuw"
    with imported.begin() as conn:  # "Bronwaarde overnemen": the edit is withdrawn and the source applies
        store_edits.review(conn, edit_id, EditState.WITHDRAWN, None, "de bron gaat voor", expected=EditState.ACCEPTED)
    run_import(imported, data_dir)
    assert Atlas(imported).organisation("Interleuven").website == website
