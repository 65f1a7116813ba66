"""The KBO's Open Data (igs kbo import): a small extract in the KBO's own format (tests/data/kbo/, built from the
atlas's real KBO numbers) gives founding dates with their source, shows on the pages and in the council's dossier,
puts disagreements in the review queue, follows an update extract, and stops on a bad file changing nothing."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import Engine, func, select
from starlette.testclient import TestClient

from conftest import live_server
from igsatlas import cli
from igsatlas.config import Settings
from igsatlas.domain.edits import EditKind
from igsatlas.domain.model import Organisation
from igsatlas.errors import InputError
from igsatlas.ingest.kbo_load import KboReport, run_kbo_import
from igsatlas.ingest.pipeline import Review
from igsatlas.ingest.publication import publish
from igsatlas.store import accounts, queries, schema
from igsatlas.store import edits as store_edits
from igsatlas.store import kbo as store_kbo
from igsatlas.store.accounts import AccountRole
from igsatlas.store.engine import make_engine
from igsatlas.web.app import create_app
from test_browser import AXE, OFFENDERS, shot
from test_editing import PASSWORDS, sign_in, token

EXTRACTS = Path(__file__).parent / "data" / "kbo"
FULL, UPDATE, MALFORMED = EXTRACTS / "full", EXTRACTS / "update", EXTRACTS / "malformed"
SOURCE = "KBO Open Data, extract 150 van 2026-12-04"
INTERLEUVEN = "0205774810"


def _org(engine: Engine, name: str) -> Organisation:
    with engine.connect() as conn:
        return queries.find_organisation(conn, name)


@pytest.fixture(scope="module")
def kbo_engine(writable_url: str) -> Iterator[Engine]:
    e = make_engine(writable_url)
    yield e
    e.dispose()


@pytest.fixture(scope="module")
def full_report(kbo_engine: Engine, data_dir: Path) -> KboReport:
    return run_kbo_import(kbo_engine, data_dir, FULL)


@pytest.fixture(scope="module")
def kbo_client(writable_url: str, full_report: KboReport) -> Iterator[TestClient]:
    with TestClient(create_app(Settings.from_env({"IGSATLAS_DATABASE_URL": writable_url}))) as c:
        yield c


def test_the_full_extract_gives_founding_dates_with_their_source(full_report: KboReport, kbo_engine: Engine) -> None:
    r = full_report
    assert (r.kind, r.source, r.rows) == ("full", SOURCE, 8)
    assert (r.found, r.other, r.facts.inserted, r.founding_dates) == (6, 2, 6, 6)
    assert r.known == r.found + len(r.not_in_kbo) > 1300  # every other KBO number of the atlas is counted
    assert ("0200881951", "Haviland") in r.not_in_kbo
    assert _org(kbo_engine, "Interleuven").founding_date == date(1964, 12, 14)
    with kbo_engine.connect() as conn:
        facts = store_kbo.facts(conn)
        log = schema.change_log
        entry = conn.execute(
            select(log.c.new_value, log.c.source).where(
                log.c.entity == "organisation",
                log.c.field == "founding_date",
                log.c.organisation_id == _org(kbo_engine, "Interleuven").id,
            )
        ).one()
    interleuven = facts[INTERLEUVEN]
    assert (interleuven.juridical_form_label, interleuven.juridical_situation_label) == (
        "Dienstverlenende vereniging (Vlaams Gewest)",
        "Normale toestand",
    )
    assert (interleuven.name, interleuven.address) == ("Interleuven", "Brouwersstraat 6, 3000 Leuven")
    assert facts["0204212714"].name == "IOK"  # the Dutch name, not the French one
    assert tuple(entry) == ('"1964-12-14"', SOURCE)


def test_interleuven_s_page_shows_the_kbo_s_founding_date_and_facts(kbo_client: TestClient) -> None:
    doc = kbo_client.get("/samenwerkingsverbanden/interleuven.json").json()
    assert doc["organisatie"]["oprichtingsdatum"] == "1964-12-14"
    assert doc["details"]["oprichtingsdatum_bron"] == {
        "bron": SOURCE,
        "bewijs": "https://kbopub.economie.fgov.be/kbopub/toonondernemingps.html?ondernemingsnummer=0205774810",
    }
    assert doc["kbo"]["rechtsvorm"] == "Dienstverlenende vereniging (Vlaams Gewest)"
    assert {"bron": SOURCE, "datum": "2026-12-04"} in doc["bronnen"]
    page = kbo_client.get("/samenwerkingsverbanden/interleuven").text
    assert f'14 december 1964 <span class="bron">(bron: {SOURCE}' in page
    assert "Volgens de KBO" in page and "Normale toestand" in page


def test_leuven_s_dossier_computes_interleuven_s_term_from_the_kbo(kbo_client: TestClient) -> None:
    leuven = kbo_client.get("/gemeenten/leuven/dossier.json", params={"op": "2025-06-30"}).json()
    entry = {e["naam"]: e for r in leuven["rubrieken"] for e in r["samenwerkingen"]}["Interleuven"]
    assert (entry["opgericht"], entry["opgericht_bron"]) == ("1964-12-14", SOURCE)
    assert entry["termijn"]["opgericht"] == "1964-12-14" and entry["termijn"]["toestand"] != "onbekend"
    assert {"bron": SOURCE, "datum": "2026-12-04"} in entry["bronnen"]
    assert not any(u["samenwerking"] == "Interleuven" and "opgericht" in u["vraag"] for u in leuven["onbekend"])
    assert leuven["kbo_extract"]["bron"] == SOURCE
    page = kbo_client.get("/gemeenten/leuven/dossier", params={"op": "2025-06-30"}).text
    assert f"De atlas neemt de begindatum over uit {SOURCE}" in page


def test_disagreements_go_to_the_review_queue_once(full_report: KboReport, kbo_engine: Engine, data_dir: Path) -> None:
    """The KBO says Projectvereniging BIE is being dissolved and IGEAN Milieu en Veiligheid is a dienstverlenende
    vereniging; the register says actief and opdrachthoudende vereniging. Nothing is overwritten."""
    assert full_report.proposals == 2
    bie, igean = _org(kbo_engine, "Projectvereniging BIE"), _org(kbo_engine, "IGEAN Milieu en Veiligheid")
    assert (bie.status.value, igean.classification) == ("actief", "opdrachthoudende-vereniging")
    with kbo_engine.connect() as conn:
        queue = {(e["target_id"], e["payload"]): e for e in store_edits.queue(conn)}
    dissolving = queue[(bie.id, json.dumps({"status": "niet-actief"}))]
    assert "Vrijwillige ontbinding - vereffening" in dissolving["evidence_note"]
    assert dissolving["evidence_url"].endswith("ondernemingsnummer=0896646224")
    assert dissolving["evidence_date"] == date(2026, 12, 4)
    assert (igean.id, json.dumps({"classification": "dienstverlenende-vereniging"})) in queue
    again = run_kbo_import(kbo_engine, data_dir, FULL)  # a second run changes nothing and asks nothing again
    assert (again.proposals, again.facts.unchanged, again.changed) == (0, 6, False)


def test_the_update_extract_follows_the_full_one(
    full_report: KboReport, kbo_engine: Engine, data_dir: Path, kbo_client: TestClient
) -> None:
    report = run_kbo_import(kbo_engine, data_dir, UPDATE)
    assert (report.kind, report.source) == ("update", "KBO Open Data, extract 151 van 2026-12-05")
    assert (report.facts.inserted, report.facts.updated, report.proposals) == (1, 2, 1)
    with kbo_engine.connect() as conn:
        facts = store_kbo.facts(conn)
    haviland = facts["0200881951"]
    assert (haviland.name, haviland.start_date) == ("Haviland Intercommunale", date(1966, 6, 21))
    assert haviland.address == "Brusselsesteenweg 617, 1731 Asse"
    assert _org(kbo_engine, "Haviland").founding_date == date(1966, 6, 21)
    assert facts[INTERLEUVEN].juridical_situation_label == "Verlenging"
    gone = facts["0862457484"]  # deleted without an insert: no longer in the Open Data
    assert (gone.listed, gone.ended) == (False, True)
    page = kbo_client.get("/samenwerkingsverbanden/iok-afvalbeheer").text
    assert "staat niet meer in KBO Open Data (stopgezet of geschrapt)" in page
    assert "de eindredactie beoordeelt 1 voorstel" in page
    leuven = kbo_client.get("/gemeenten/leuven/dossier.json", params={"op": "2025-07-01"}).json()
    entry = {e["naam"]: e for r in leuven["rubrieken"] for e in r["samenwerkingen"]}["Interleuven"]
    assert entry["kbo_toestand"] == {
        "tekst": "juridische situatie Verlenging",
        "beeindigd": False,
        "bron": "KBO Open Data, extract 151 van 2026-12-05",
    }
    assert run_kbo_import(kbo_engine, data_dir, UPDATE).already  # imported before: nothing is done


def _copy(tmp_path: Path, source: Path = FULL) -> Path:
    target = tmp_path / source.name
    shutil.copytree(source, target)
    return target


def _refused(engine: Engine, data_dir: Path, path: Path) -> InputError:
    with engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(schema.change_log)).scalar()
    with pytest.raises(InputError) as caught:
        run_kbo_import(engine, data_dir, path)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.change_log)).scalar() == before
        assert store_kbo.facts(conn) == {} and store_kbo.last_extract(conn) is None
    return caught.value


def test_bad_files_stop_with_file_and_line_and_change_nothing(
    imported_copy_url: str, data_dir: Path, tmp_path: Path
) -> None:
    engine = make_engine(imported_copy_url)
    truncated = _refused(engine, data_dir, MALFORMED)
    assert (truncated.code, str(truncated.location)) == ("truncated-file", "malformed/enterprise.csv line 6")
    assert "Nothing was imported" in (truncated.hint or "")

    latin1 = _copy(tmp_path)
    names = latin1 / "denomination.csv"
    names.write_bytes(names.read_bytes().replace(b"milieu & veiligheid", "milieu é veiligheid".encode("latin-1")))
    wrong = _refused(engine, data_dir, latin1)
    assert (wrong.code, str(wrong.location)) == ("wrong-encoding", "full/denomination.csv line 9")

    unknown = _copy(tmp_path / "unknown")
    rows = unknown / "enterprise.csv"
    rows.write_text(rows.read_text().replace('"2","418",,"01-01-2020"', '"2","999",,"01-01-2020"'))
    code = _refused(engine, data_dir, unknown)
    assert (code.code, str(code.location)) == ("unknown-code", "full/enterprise.csv line 5")
    assert "JuridicalForm '999'" in code.message

    dates = _copy(tmp_path / "dates")
    rows = dates / "enterprise.csv"
    rows.write_text(rows.read_text().replace('"14-12-1964"', '"1964-12-14"'))
    day = _refused(engine, data_dir, dates)
    assert (day.code, str(day.location)) == ("invalid-date", "full/enterprise.csv line 4")

    alone = _refused(engine, data_dir, UPDATE)  # an update needs the full extract before it
    assert alone.code == "kbo-update-without-full"
    engine.dispose()


def test_updates_apply_in_order(imported_copy_url: str, data_dir: Path, tmp_path: Path) -> None:
    engine = make_engine(imported_copy_url)
    run_kbo_import(engine, data_dir, FULL)
    later = _copy(tmp_path, UPDATE)
    meta = later / "meta.csv"
    meta.write_text(meta.read_text().replace('"151"', '"153"'))
    with pytest.raises(InputError) as caught:
        run_kbo_import(engine, data_dir, later)
    assert caught.value.code == "kbo-extract-gap" and "151, 152 would be skipped" in caught.value.message
    engine.dispose()


def test_an_accepted_edit_wins_and_the_disagreement_goes_to_review(imported_copy_url: str, data_dir: Path) -> None:
    engine = make_engine(imported_copy_url)
    interleuven = _org(engine, "Interleuven").id
    with engine.begin() as conn:
        edit_id = store_edits.submit(
            conn,
            kind=EditKind.CHANGE_FIELD,
            target_kind="organisatie",
            target_id=interleuven,
            payload={"founding_date": "1964-12-15"},
            base={"founding_date": None},
            evidence_url="https://www.ejustice.just.fgov.be/tsv/example",
        )
    publish(engine, data_dir, Review(edit_id, None))
    report = run_kbo_import(engine, data_dir, FULL)
    assert report.register.conflicts == 1
    assert _org(engine, "Interleuven").founding_date == date(1964, 12, 15)  # the edit's, not overwritten
    with engine.connect() as conn:
        conflict = json.loads(store_edits.one(conn, edit_id)["conflict"])  # type: ignore[index]
    assert conflict[0]["veld"] == "founding_date" and conflict[0]["bronwaarde"] == "1964-12-14"
    engine.dispose()


def test_the_command(
    imported_copy_url: str, data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IGSATLAS_DATABASE_URL", imported_copy_url)
    monkeypatch.setenv("IGSATLAS_DATA_DIR", str(data_dir))
    assert cli.main(["kbo", "import", str(FULL)]) == 0
    out = capsys.readouterr().out
    assert f"{SOURCE} (full extract, 8 enterprise rows" in out
    assert "listed by the KBO: 6" in out and "0200881951  Haviland" in out
    assert "organisations with their founding date from the KBO: 6" in out
    assert cli.main(["kbo", "import", str(MALFORMED)]) == 1
    assert "error [truncated-file] malformed/enterprise.csv line 6" in capsys.readouterr().err


def test_without_an_extract_the_dossier_says_where_founding_dates_would_come_from(client: TestClient) -> None:
    page = client.get("/gemeenten/leuven/dossier", params={"op": "2025-06-30"}).text
    assert "De atlas neemt ze over uit de KBO Open Data zodra de beheerder die inleest." in page


def test_igs_import_takes_the_data_folder_s_extract(
    imported_copy_url: str,
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A data folder with kbo/ (an extract as the KBO publishes it): `igs import` reads it in its own transaction."""
    folder = tmp_path / "data"
    folder.mkdir()
    for part in data_dir.iterdir():
        (folder / part.name).symlink_to(part)
    shutil.copytree(FULL, folder / "kbo")
    monkeypatch.setenv("IGSATLAS_DATABASE_URL", imported_copy_url)
    monkeypatch.setenv("IGSATLAS_DATA_DIR", str(folder))
    assert cli.main(["import", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["kbo"]["source"], report["kbo"]["founding_dates_from_kbo"]) == (SOURCE, 6)
    assert report["kinds"]["organisation"]["updated"] == 6
    engine = make_engine(imported_copy_url)
    assert _org(engine, "Interleuven").founding_date == date(1964, 12, 14)
    engine.dispose()
    assert cli.main(["import"]) == 0  # again: nothing changes
    assert capsys.readouterr().out.rstrip().endswith("Nothing changed.")


def test_a_reviewer_accepts_the_kbo_s_dissolution(imported_copy_url: str, data_dir: Path) -> None:
    """The queue shows the KBO's proposal with its evidence; accepting it publishes BIE as niet-actief, logged
    with the KBO's page as source."""
    engine = make_engine(imported_copy_url)
    run_kbo_import(engine, data_dir, FULL)
    with engine.begin() as conn:
        accounts.add(
            conn, "erik@example.org", "Erik Eindredacteur", PASSWORDS["erik@example.org"], AccountRole.REVIEWER, []
        )
    bie = _org(engine, "Projectvereniging BIE")
    settings = Settings.from_env({"IGSATLAS_DATABASE_URL": imported_copy_url, "IGSATLAS_DATA_DIR": str(data_dir)})
    with TestClient(create_app(settings)) as site:
        sign_in(site, "erik@example.org")
        queue = site.get("/redactie").text
        assert "Projectvereniging BIE" in queue and "IGEAN Milieu en Veiligheid" in queue
        with engine.connect() as conn:
            (edit_id,) = [e["id"] for e in store_edits.queue(conn) if e["target_id"] == bie.id]
        review = site.get(f"/redactie/wijzigingen/{edit_id}")
        assert "Vrijwillige ontbinding - vereffening" in review.text and "ondernemingsnummer=0896646224" in review.text
        done = site.post(f"/redactie/wijzigingen/{edit_id}", data={"csrf": token(review.text), "actie": "aanvaard"})
        assert done.status_code == 200 and "gepubliceerd" in done.text
    assert _org(engine, "Projectvereniging BIE").status.value == "niet-actief"  # type: ignore[union-attr]
    with engine.connect() as conn:
        log = schema.change_log
        source = conn.execute(
            select(log.c.source).where(
                log.c.entity == "organisation", log.c.field == "status", log.c.organisation_id == bie.id
            )
        ).scalar()
    assert source == f"edit:{edit_id}"
    engine.dispose()


@pytest.fixture(scope="module")
def kbo_site(writable_url: str, full_report: KboReport) -> Iterator[str]:
    with live_server(writable_url) as url:
        yield url


@pytest.mark.parametrize("width", [390, 1280])
def test_the_kbo_s_facts_in_a_browser_fit_and_pass_axe(browser: Browser, kbo_site: str, width: int) -> None:
    """Projectvereniging BIE's page with the KBO's dissolution and its proposal: nothing scrolls sideways at phone
    and desktop width, no serious axe violation. Screenshots in test-artifacts/."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="nl-BE", bypass_csp=True)
    page = context.new_page()
    page.goto(kbo_site + "/samenwerkingsverbanden/projectvereniging-bie")
    heading = page.get_by_role("heading", name="Volgens de KBO")
    heading.scroll_into_view_if_needed()
    expect(page.locator("section[aria-labelledby=h-kbo]")).to_contain_text("Vrijwillige ontbinding - vereffening")
    shot(page, f"kbo-projectvereniging-bie-{width}")
    wide = page.evaluate("document.documentElement.scrollWidth")
    offenders = page.evaluate(OFFENDERS)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    context.close()
    assert serious == [], [(v["id"], v["help"], len(v["nodes"])) for v in serious]
    assert wide <= width, offenders


def test_the_zip_the_kbo_publishes_reads_as_its_folder(tmp_path: Path) -> None:
    """The KboOpenData_..._Full.zip itself, as downloaded; its Dutch labels and the atlas's numbers only."""
    import zipfile

    from igsatlas.ingest import kbo as kbo_files

    archive = tmp_path / "KboOpenData_0150_2026_12_Full.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for f in sorted(FULL.iterdir()):
            z.write(f, f.name)
    wanted = {INTERLEUVEN, "0896646224", "0200881951"}
    for path in (archive, FULL):
        extract = kbo_files.parse(path, wanted)
        assert (extract.kind, extract.snapshot.number, extract.snapshot.day) == ("full", 150, date(2026, 12, 4))
        assert sorted(extract.enterprises) == ["0205774810", "0896646224"]  # Haviland is not in this extract
        assert extract.enterprises["0896646224"].juridical_situation_label == "Vrijwillige ontbinding - vereffening"
        assert extract.names == {INTERLEUVEN: "Interleuven", "0896646224": "Projectvereniging BIE"}
