"""The council's dossier (/gemeenten/{slug}/dossier): the page, its JSON, CSV (and Excel) and PDF twins, from
the real data; the filters of /aandachtspunten and the link from the gemeente page."""

from __future__ import annotations

import csv
import io
import re
import zlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import Engine
from starlette.testclient import TestClient

from conftest import live_server
from igsatlas.config import Settings
from igsatlas.domain.edits import EditKind
from igsatlas.ingest.pipeline import Review
from igsatlas.ingest.publication import publish
from igsatlas.legal import terms
from igsatlas.legal.reference import Reference, load
from igsatlas.store import edits as store_edits
from igsatlas.store import queries
from igsatlas.web.app import create_app
from test_browser import ARTIFACTS, AXE, OFFENDERS, shot

DAY = {"op": "2025-06-30"}


def dossier(client: TestClient, slug: str, day: str = "2025-06-30") -> dict:  # type: ignore[type-arg]
    answer = client.get(f"/gemeenten/{slug}/dossier.json", params={"op": day})
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def by_name(doc: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    return {e["naam"]: e for r in doc["rubrieken"] for e in r["samenwerkingen"]}


def test_gent_s_cooperations_with_form_term_regiodecreet_and_partners(
    client: TestClient, statbel: dict[tuple[str, int], int]
) -> None:
    doc = dossier(client, "gent")
    assert (
        doc["inwoners"]
        == {"aantal": statbel[("Gent", 2025)], "op": "2025-01-01"}
        == {
            "aantal": 272_657,
            "op": "2025-01-01",
        }
    )
    found = by_name(doc)
    assert {"Digipolis", "IVAGO", "TMVW", "Kenniscentrum Vlaamse Steden"} <= set(found)
    assert "Interleuven" not in found  # a Leuven cooperation; Gent is not in it
    pv = found["Projectvereniging voor Aanvullend Grondbeleid in de Gentse Kanaalzone"]
    assert pv["rechtsvorm"] == "Projectvereniging (PV)" and pv["rol_tekst"] == "deelnemer"
    # six years, but the register has no founding date; the DLB article is unconfirmed, so never 'hoog'
    assert pv["termijn"]["maximum_jaren"] == 6 and pv["termijn"]["toestand"] == terms.UNKNOWN
    assert pv["termijn"]["zekerheid"] == "middel"
    assert pv["regiodecreet"]["past"] is True and pv["regiodecreet"]["referentieregio"] == "Regio Gent"
    tmvw = found["TMVW"]
    assert tmvw["regiodecreet"]["past"] is False and tmvw["regiodecreet"]["uiterste_datum"] == "2031-01-01"
    assert tmvw["partners"] == 70 and "Distributie: water" in tmvw["themas"]
    verdicts = {(f["regel"], f["oordeel"]) for f in tmvw["bevindingen"]}
    assert ("regiodecreet-referentieregio", "afwijking") in verdicts
    assert found["IVAGO"]["regiodecreet"]["afval"] is True  # waste: 2037
    # an interlokale vereniging: duration by agreement, evaluated each year by the council
    assert found["Kenniscentrum Vlaamse Steden"]["termijn"]["toestand"] == terms.BY_AGREEMENT
    assert {"samenwerking": "Kenniscentrum Vlaamse Steden", "datum": None}.items() <= doc["te_beslissen"][0].items()
    later = {x["samenwerking"] for x in doc["later"]}
    assert "TMVW" in later and "IVAGO" not in later  # IVAGO fits its region
    regions = next(r for r in doc["rubrieken"] if r["lagen"])
    assert "PZ Gent" in {e["naam"] for e in regions["samenwerkingen"]}


def test_pajottegem_s_merger_history_names_what_each_brought_in(
    client: TestClient, statbel: dict[tuple[str, int], int]
) -> None:
    doc = dossier(client, "pajottegem")
    assert [p["naam"] for p in doc["fusie"]] == ["Galmaarden", "Gooik", "Herne"]
    brought = {p["naam"]: {b["naam"] for b in p["bracht_mee"]} for p in doc["fusie"]}
    assert all("Haviland" in names for names in brought.values())
    assert "Intradura" in brought["Herne"] and "Intradura" not in brought["Galmaarden"]
    assert all(p["laatste_dag"] == "2024-12-31" for p in doc["fusie"])
    page = client.get("/gemeenten/pajottegem/dossier", params=DAY).text
    assert "ontstond op 1 januari 2025 uit de fusie van Galmaarden, Gooik en Herne" in page
    # the day before the merger Pajottegem does not exist; Herne's dossier of that day has its own cooperations
    assert dossier(client, "pajottegem", "2024-06-30")["bestaat_op_deze_dag"] is False
    herne = dossier(client, "herne", "2024-06-30")
    assert "Intradura" in by_name(herne)
    assert herne["inwoners"] == {"aantal": statbel[("Herne", 2024)], "op": "2024-01-01"}


def test_every_unknown_is_a_prefilled_question(client: TestClient) -> None:
    doc = dossier(client, "gent")
    assert doc["onbekend"], "Gent's cooperations lack founding dates in the register"
    first = doc["onbekend"][0]
    query = parse_qs(urlsplit(first["melden"]).query)
    assert query["wat"] == [first["vraag"]] and query["over"][0].startswith(("organisatie:", "laag:"))
    form = client.get(first["melden"])
    assert form.status_code == 200
    assert f">{first['vraag']}</textarea>" in form.text.replace("&#39;", "'")
    asked = {u["vraag"] for u in doc["onbekend"]}
    assert "Wanneer werd TMVW opgericht (statuten, Belgisch Staatsblad)?" in asked


def test_the_page_prints_and_links_its_downloads(client: TestClient) -> None:
    page = client.get("/gemeenten/gent/dossier", params=DAY).text
    assert "Dossier Gent: intergemeentelijke samenwerking op 30 juni 2025" in page
    assert "272.657 inwoners op 1 januari 2025" in page
    for suffix in (".pdf?op=2025-06-30", ".csv?op=2025-06-30&amp;formaat=excel", ".json?op=2025-06-30"):
        assert f'href="/gemeenten/44021/dossier{suffix}"' in page
    gemeente = client.get("/gemeenten/gent", params=DAY).text
    assert '<a href="/gemeenten/44021/dossier?op=2025-06-30">Dossier voor de gemeenteraad</a>' in gemeente
    assert client.get("/gemeenten/gent/dossier.xls").status_code == 404


def test_csv_and_excel_give_one_row_per_cooperation(client: TestClient) -> None:
    doc = dossier(client, "gent")
    plain = client.get("/gemeenten/gent/dossier.csv", params=DAY)
    rows = list(csv.DictReader(io.StringIO(plain.text)))
    assert len(rows) == doc["aantal"] and {r["gemeente"] for r in rows} == {"Gent"}
    tmvw = next(r for r in rows if r["samenwerking"] == "TMVW")
    share = by_name(doc)["TMVW"]["regiodecreet"]["aandeel_procent"]
    assert tmvw["regiodecreet_aandeel_procent"] == str(share) and "." in str(share)
    assert tmvw["inwoners_gemeente"] == "272657" and tmvw["inwoners_op"] == "2025-01-01"
    # the membership period under the API's names (Lidmaatschap.geldig_van/geldig_tot), as in the JSON twin
    period = by_name(doc)["TMVW"]["lidmaatschap"]
    assert (tmvw["geldig_van"], tmvw["geldig_tot"]) == (period["geldig_van"] or "", period["geldig_tot"] or "")
    assert "sinds" not in tmvw and "tot" not in tmvw
    excel = client.get("/gemeenten/gent/dossier.csv", params={**DAY, "formaat": "excel"})
    assert excel.content.startswith(b"\xef\xbb\xbf")
    assert 'filename="dossier-gent-2025-06-30-excel.csv"' in excel.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(excel.content.decode("utf-8-sig")), delimiter=";"))
    tmvw = next(r for r in rows if r["samenwerking"] == "TMVW")
    assert tmvw["regiodecreet_aandeel_procent"] == str(share).replace(".", ",")  # decimal comma


def test_the_pdf_has_numbered_a4_pages(client: TestClient) -> None:
    answer = client.get("/gemeenten/pajottegem/dossier.pdf", params=DAY)
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    assert 'filename="dossier-pajottegem-2025-06-30.pdf"' in answer.headers["content-disposition"]
    body = answer.content
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    objects = b"".join(_inflated(body))  # the page objects sit in compressed object streams
    sizes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", objects))
    assert sizes and all(abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1 for w, h in sizes)  # A4
    assert len(re.findall(rb"/Type\s*/Page\b", objects)) >= 3


def _inflated(pdf: bytes) -> list[bytes]:
    out = []
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(m.group(1)))
        except zlib.error:
            continue  # an image or a font
    return out


def test_findings_filter_by_municipality(client: TestClient) -> None:
    every = client.get("/aandachtspunten.json", params=DAY).json()["bevindingen"]
    gent = client.get("/aandachtspunten.json", params={**DAY, "gemeente": "44021"}).json()
    by_name_too = client.get("/aandachtspunten.json", params={**DAY, "gemeente": "gent"}).json()
    assert gent["bevindingen"] == by_name_too["bevindingen"] and gent["filters"]["gemeente"] == "44021"
    assert 0 < len(gent["bevindingen"]) < len(every)
    in_dossier = {e["lidmaatschap"]["organisatie"]["id"] for e in by_name(dossier(client, "gent")).values()}
    assert {f["bevinding"]["organisatie_id"] for f in gent["bevindingen"]} <= in_dossier
    assert "TMVW" in {f["organisatie_naam"] for f in gent["bevindingen"]}


def test_terms_of_each_form(data_dir: Path) -> None:
    reference: Reference = load(data_dir.parent / "reference")
    day = date(2025, 6, 30)
    pv = terms.term_of(reference, "projectvereniging", date(2019, 9, 1), None, day)
    assert (pv.state, pv.end) == (terms.ENDING, date(2025, 9, 1)) and "6 jaar" in pv.text
    dv = terms.term_of(reference, "dienstverlenende_vereniging", date(2000, 1, 1), None, day)
    assert (dv.state, dv.end, dv.confidence) == (terms.EXPIRED, date(2018, 1, 1), "middel")
    renewed = terms.term_of(reference, "dienstverlenende_vereniging", date(1964, 1, 1), date(2037, 6, 30), day)
    assert (renewed.state, renewed.end) == (terms.RUNNING, date(2037, 6, 30))
    ilv = terms.term_of(reference, "interlokale_vereniging", None, None, day)
    assert ilv.state == terms.BY_AGREEMENT and "jaarlijks" in ilv.text
    assert terms.term_of(reference, "opdrachthoudende_vereniging", None, None, day).state == terms.UNKNOWN


@pytest.fixture
def database_url(imported_copy_url: str) -> str:
    return imported_copy_url  # the engine fixture of the one test that writes: a copy of the imported register


@pytest.fixture(scope="module")
def base_url(imported_url: str) -> Iterator[str]:
    with live_server(imported_url) as url:
        yield url


@pytest.mark.parametrize("width", [390, 1280])
def test_the_infographic_in_a_browser_fits_and_passes_axe(browser: Browser, base_url: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="nl-BE", bypass_csp=True)
    page = context.new_page()
    page.goto(base_url + "/rechtsvormen")
    if width < 640:  # on a phone the figure would be too small to read: the cards say the same in words
        expect(page.locator("figure.infographic-figuur")).to_be_hidden()
        expect(page.locator("details.vormkaart").first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        context.close()
        return
    page.locator('svg.infographic a[href="/rechtsvormen/projectvereniging"]').focus()
    shot(page, f"rechtsvormen-infographic-{width}")
    page.locator("svg.infographic").screenshot(path=str(ARTIFACTS / f"rechtsvormen-infographic-svg-{width}.png"))
    wide = page.evaluate("document.documentElement.scrollWidth")
    offenders = page.evaluate(OFFENDERS)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    page.locator('svg.infographic a[href="/rechtsvormen/projectvereniging"]').click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Projectvereniging")
    context.close()
    assert serious == [], [(v["id"], v["help"], len(v["nodes"])) for v in serious]
    assert wide <= width, offenders


@pytest.mark.parametrize("width", [390, 1280])
def test_the_dossier_in_a_browser_fits_and_passes_axe(browser: Browser, base_url: str, width: int) -> None:
    """Pajottegem's dossier at phone and desktop width: nothing scrolls sideways, no serious axe violation,
    and the link from the gemeente page leads to it. Screenshots in test-artifacts/."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make test does)", pytrace=False)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="nl-BE", bypass_csp=True)
    page = context.new_page()
    page.goto(base_url + "/gemeenten/pajottegem?op=2025-06-30")
    page.get_by_role("link", name="Dossier voor de gemeenteraad").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Dossier Pajottegem: intergemeentelijke samenwerking op 30 juni 2025"
    )
    expect(page.get_by_role("heading", name="Fusiegeschiedenis")).to_be_visible()
    shot(page, f"dossier-pajottegem-{width}")
    page.screenshot(path=str(ARTIFACTS / f"dossier-pajottegem-{width}-full.png"), full_page=True)
    wide = page.evaluate("document.documentElement.scrollWidth")
    offenders = page.evaluate(OFFENDERS)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    context.close()
    assert serious == [], [(v["id"], v["help"], len(v["nodes"])) for v in serious]
    assert wide <= width, offenders


def test_every_csv_download_honours_its_filters(client: TestClient) -> None:
    def table(name: str, excel: bool = False, **asked: str) -> list[dict[str, str]]:
        answer = client.get(f"/data/{name}.csv", params={**DAY, **asked, **({"formaat": "excel"} if excel else {})})
        assert answer.status_code == 200, answer.text
        text = answer.content.decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(text), delimiter=";" if excel else ","))

    everything = table("lidmaatschappen")
    gent = table("lidmaatschappen", gemeente="44021")
    assert gent == [r for r in everything if r["gemeente_nis"] == "44021"] and 0 < len(gent) < len(everything) / 20
    assert len(table("lidmaatschappen", excel=True, gemeente="44021")) == len(gent)  # both dialects
    assert table("lidmaatschappen", gemeente="gent") == gent  # by name too
    answer = client.get("/data/lidmaatschappen.csv", params={**DAY, "gemeente": "44021", "formaat": "excel"})
    assert 'filename="lidmaatschappen-2025-06-30-44021-excel.csv"' in answer.headers["content-disposition"]
    # the organisations Gent is a member of are exactly those its memberships name
    organisations = table("organisaties", gemeente="44021")
    assert {r["id"] for r in organisations} == {r["organisatie_id"] for r in gent}
    assert {r["classificatie"] for r in table("organisaties", classificatie="projectvereniging")} == {
        "projectvereniging"
    }
    assert {r["laag"] for r in table("regios", laag="erfgoedcel")} == {"erfgoedcel"}
    assert [r["nis"] for r in table("gemeenten", gemeente="Gent")] == ["44021"]
    # the findings about what Gent takes part in: the same as /aandachtspunten?gemeente=44021
    findings = table("bevindingen", gemeente="44021")
    page = client.get("/aandachtspunten.json", params={**DAY, "gemeente": "44021"}).json()["bevindingen"]
    assert {(r["organisatie_id"], r["regel"]) for r in findings} == {
        (f["bevinding"]["organisatie_id"], f["bevinding"]["regel"]) for f in page
    }
    wrong = client.get("/data/lidmaatschappen.csv", params={"gemeente": "Atlantis"})
    assert wrong.status_code == 400 and "invalid-filter" in wrong.text
    described = client.get("/data/datapackage.json").json()["resources"]
    filters = {r["name"]: [f["name"] for f in r["filters"]] for r in described}
    assert filters["lidmaatschappen"] == ["gemeente", "organisatie", "laag", "rol"]
    assert "gemeente" in filters["organisaties"] and "gemeente" in filters["bevindingen"]


def test_accepted_dates_make_the_term_checkable_and_never_contradict(
    imported_copy_url: str, engine: Engine, data_dir: Path
) -> None:
    """Interleuven, founded 14 December 1964 (18 years would end in 1982), with a planned end of 31 December 2037
    accepted from its statutes: renewed, so in order, and the dossier of Leuven says until when."""
    with engine.connect() as conn:
        interleuven = queries.find_organisation(conn, "Interleuven").id
    with engine.begin() as conn:
        edit_id = store_edits.submit(
            conn,
            kind=EditKind.CHANGE_FIELD,
            target_kind="organisatie",
            target_id=interleuven,
            payload={"founding_date": "1964-12-14", "planned_end_date": "2037-12-31"},
            base={"founding_date": None, "planned_end_date": None},
            evidence_url="https://www.ejustice.just.fgov.be/tsv/example",
            evidence_date=date(2024, 3, 1),
        )
    publish(engine, data_dir, Review(edit_id, None))
    settings = Settings.from_env({"IGSATLAS_DATABASE_URL": imported_copy_url})
    with TestClient(create_app(settings)) as client:
        found = client.get("/samenwerkingsverbanden/interleuven.json", params=DAY).json()["organisatie"]["bevindingen"]
        rules = {f["regel"]: f for f in found}
        assert rules["looptijd-maximum"]["oordeel"] == rules["looptijd-einde"]["oordeel"] == "in-orde"
        assert "31 december 2037" in rules["looptijd-maximum"]["gecontroleerd"]
        assert not any("verstreken" in f["boodschap"] for f in found)
        for f in found:  # never certain of an article the reference does not confirm
            unconfirmed = any("niet bevestigd" in a or "niet gekend" in a for a in f["artikels"])
            assert not (unconfirmed and f["zekerheid"] == "hoog"), f
        leuven = dossier(client, "leuven")
        term = by_name(leuven)["Interleuven"]["termijn"]
        assert (term["toestand"], term["loopt_tot"], term["opgericht"]) == ("loopt", "2037-12-31", "1964-12-14")
        assert not any(u["samenwerking"] == "Interleuven" and "opgericht" in u["vraag"] for u in leuven["onbekend"])


def test_legal_forms_as_infographic_and_landscape_pdf(client: TestClient) -> None:
    page = client.get("/rechtsvormen").text
    svg = page[page.index('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1008 624" class="infographic"') :]
    svg = svg[: svg.index("</svg>")]
    assert '<title id="ig-titel">' in svg and '<desc id="ig-uitleg">' in svg  # its text alternative
    links = re.findall(r'<a href="(/rechtsvormen/[a-z-]+)">(.*?)</a>', svg)
    assert [href for href, _ in links] == [
        "/rechtsvormen/overleg",
        "/rechtsvormen/interlokale-vereniging",
        "/rechtsvormen/projectvereniging",
        "/rechtsvormen/dienstverlenende-vereniging",
        "/rechtsvormen/opdrachthoudende-vereniging",
        "/rechtsvormen/ov-private-deelname",
        "/rechtsvormen/welzijnsvereniging",
    ]
    box = re.sub(r"<[^>]+>", " ", dict(links)["/rechtsvormen/projectvereniging"])
    assert "Projectvereniging" in box and "Duur: Zes jaar;" in box and "Deelnemers: Gemeenten," in box
    # left and right of the middle: without and with legal personality
    x = {href: int(m) for href, m in re.findall(r'<a href="(/rechtsvormen/[a-z-]+)"><rect x="(\d+)"', svg)}
    middle = 120 + 2 * 204 + 3 * 12
    assert x["/rechtsvormen/overleg"] < middle < x["/rechtsvormen/projectvereniging"]
    answer = client.get("/rechtsvormen.pdf")
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF-")
    sizes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", b"".join(_inflated(answer.content))))
    assert sizes == {(b"841.889764", b"595.275591")}  # A4 landscape: the forms side by side
