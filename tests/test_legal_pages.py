"""The legal-form guide on the real register: comparison, form pages, wizard, findings, and `igs check`."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape

import pytest
from starlette.testclient import TestClient

from igsatlas.cli import main

DAY = {"op": "2025-06-01"}


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_comparison_side_by_side_with_articles_and_counts(client: TestClient) -> None:
    doc = client.get("/rechtsvormen.json").json()
    forms = {f["rechtsvorm"]["id"]: f for f in doc["vormen"]}
    api = {x["id"]: x for x in client.get("/api/v1/rechtsvormen").json()}
    assert all(f["rechtsvorm"] == api[k] for k, f in forms.items())  # the API's very Rechtsvorm
    assert forms["projectvereniging"]["titel"] == "Projectvereniging"  # the page's name; the reference's is
    assert forms["projectvereniging"]["rechtsvorm"]["naam"] == "Projectvereniging (PV)"  # rechtsvorm.naam
    assert forms["projectvereniging"]["in_register_actief"] == 70
    assert forms["dienstverlenende_vereniging"]["in_register_actief"] == 25
    pv = forms["projectvereniging"]["criteria"]
    assert pv["duur"]["tekst"].startswith("Zes jaar")
    assert pv["duur"]["bevestigd"] is False  # only the repealed DIS article is confirmed
    assert pv["rechtspersoonlijkheid"]["bevestigd"] is True
    page = text_of(client.get("/rechtsvormen").text)
    assert "artikel niet bevestigd" in page and "Beheersoverdracht" in page
    rows = list(csv.reader(io.StringIO(client.get("/rechtsvormen.csv").text)))
    assert rows[0][3] == "Projectvereniging" and len(rows) == 11


def test_form_page_lists_the_registered_cooperations(client: TestClient) -> None:
    doc = client.get("/rechtsvormen/projectvereniging.json").json()
    assert doc["rechtsvorm"] == client.get("/api/v1/rechtsvormen/projectvereniging").json()
    assert doc["rechtsvorm"]["url"] == "/rechtsvormen/projectvereniging" and doc["titel"] == "Projectvereniging"
    assert doc["in_register"]["actief"] == 70
    assert "Projectvereniging de Merode" in {o["naam"] for o in doc["in_register"]["lijst"]}
    assert client.get("/rechtsvormen/bvba").status_code == 404


def test_wizard_result_has_a_shareable_url(client: TestClient) -> None:
    answers = {
        "doel": "project",
        "middelen": "ja",
        "overdracht": "nee",
        "privaat": "nee",
        "duur": "kort",
        "partners": "gemeenten",
        "erkenning": "erfgoedcel",
    }
    doc = client.get("/rechtsvormen/keuzehulp.json", params=answers).json()
    assert doc["advies"]["aanbevolen"]["rechtsvorm"]["id"] == "projectvereniging"
    assert doc["advies"]["alternatief"]["rechtsvorm"]["id"] == "dienstverlenende_vereniging"
    assert doc["advies"]["alternatief"]["titel"] == "Dienstverlenende vereniging"
    page = text_of(client.get("/rechtsvormen/keuzehulp", params=answers).text)
    assert "Aanbevolen: Projectvereniging" in page and "Tweede keus: Dienstverlenende vereniging" in page
    assert client.get("/rechtsvormen/keuzehulp", params={**answers, "duur": "eeuwig"}).status_code == 400


def test_findings_page_filters_by_rule(client: TestClient) -> None:
    doc = client.get("/aandachtspunten.json", params={**DAY, "regel": "minimum-gemeenten"}).json()
    names = {f["organisatie_naam"] for f in doc["afwijkingen"]}
    assert {"PV Grensland", "Jeugdregio Noorderkempen"} <= names
    assert all(f["bevinding"]["regel"] == "minimum-gemeenten" for f in doc["bevindingen"])
    rules = {r["id"]: r for r in doc["regels"]}
    term = client.get("/aandachtspunten.json", params={**DAY, "regel": "looptijd-maximum"}).json()
    assert {r["id"]: r for r in term["regels"]}["looptijd-maximum"][
        "niet_te_controleren"
    ] == 151 + 3  # + 2 PV, 1 OV published
    assert rules["minimum-gemeenten"]["afwijkingen"] == len(doc["afwijkingen"])


def test_regiodecreet_findings_use_the_fit(client: TestClient) -> None:
    doc = client.get("/aandachtspunten.json", params={**DAY, "regel": "regiodecreet-referentieregio"}).json()
    imewo = next(f["bevinding"] for f in doc["afwijkingen"] if f["organisatie_naam"] == "Imewo")
    assert "Regio Gent" in imewo["gecontroleerd"] and "1 januari 2031" in imewo["gecontroleerd"]
    fit = client.get("/analyse/passing.json", params=DAY).json()
    crossing = {
        f["passing"]["id"] for f in fit["structuren"] if (f["regiodecreet"] or {}).get("status") == "moet-passen"
    }
    flagged = {f["url"] for f in doc["afwijkingen"]}
    listed = client.get("/samenwerkingsverbanden.json", params=DAY).json()["samenwerkingsverbanden"]
    by_id = {o["organisatie"]["id"]: o["organisatie"] for o in listed}
    # the rule flags exactly the PV/DV/OV not known to be inactive that the analysis finds crossing regions
    assert flagged == {by_id[i]["url"] for i in crossing if by_id[i]["status"] != "niet-actief"}
    assert any(by_id[i]["status"] != "actief" for i in crossing)


def test_sector_thresholds_on_real_regions(client: TestClient) -> None:
    doc = client.get("/aandachtspunten.json", params={**DAY, "regel": "ioed-drempel"}).json()
    nete = next(f["bevinding"] for f in doc["bevindingen"] if f["organisatie_naam"] == "IOED Land van Nete en Aa")
    assert nete["oordeel"] == "afwijking"
    assert "88.238 inwoners op 1 januari 2025" in nete["gecontroleerd"]  # Statbel, six municipalities


def test_cooperation_page_shows_its_findings(client: TestClient) -> None:
    twin = client.get("/samenwerkingsverbanden/pv-grensland.json", params=DAY).json()
    rules = {f["regel"]: f for f in twin["organisatie"]["bevindingen"]}
    assert rules["minimum-gemeenten"]["oordeel"] == "afwijking"
    assert rules["looptijd-maximum"]["oordeel"] == "niet-te-controleren"
    page = text_of(client.get("/samenwerkingsverbanden/pv-grensland", params=DAY).text)
    assert "Aandachtspunten" in page
    assert "Kan niet controleren: het register kent geen oprichtingsdatum of geplande einddatum." in page


def test_igs_check_exits_non_zero_on_serious_findings(
    imported_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("IGSATLAS_DATABASE_URL", imported_url)
    assert main(["check", "--on", "2025-06-01", "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["ernstig"] >= 3
    assert main(["check", "--org", "Interleuven", "--on", "2025-06-01"]) == 0
    assert "0 deviations" in capsys.readouterr().out
    assert main(["check", "--org", "PV Grensland", "--on", "2025-06-01"]) == 1
    assert main(["check", "--rule", "astrologie"]) == 1
    assert "error [unknown-rule]" in capsys.readouterr().err
