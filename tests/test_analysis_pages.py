"""The /analyse pages, their JSON twins and downloads, and `igs analyse`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from igsatlas.cli import main


def test_overview_counts_regiodecreet_status(client: TestClient) -> None:
    doc = client.get("/analyse.json", params={"op": "2025-06-01"}).json()
    rd = doc["regiodecreet"]
    assert rd["past"] > 50 and rd["moet_passen"] > 50
    page = client.get("/analyse", params={"op": "2025-06-01"}).text
    assert f"<strong>{rd['moet_passen']}</strong> actieve PV/DV/OV overschrijden nog regiogrenzen" in page
    # The headline agrees with /aandachtspunten: dissolved bodies are left out, one-member ones counted apart.
    found = client.get(
        "/aandachtspunten.json", params={"op": "2025-06-01", "regel": "regiodecreet-referentieregio"}
    ).json()["bevindingen"]
    assert rd["moet_passen"] == sum(1 for f in found if f["bevinding"]["oordeel"] == "afwijking")
    assert rd["past"] + rd["past_met_een_lid"] == sum(1 for f in found if f["bevinding"]["oordeel"] == "in-orde")
    assert rd["niet_actief_weggelaten"] > 0 and "niet meer actieve niet meegeteld" in page
    assert "geen begin- of einddatum" in page


def test_merge_candidates_pair_only_comparable_bodies(client: TestClient) -> None:
    network = client.get("/analyse/netwerk.json", params={"op": "2025-06-01"}).json()
    pairs = network["paren"]  # the pages of netwerk.bijna_dezelfde_leden, in the same order
    assert pairs and len(pairs) == len(network["netwerk"]["bijna_dezelfde_leden"])
    rows = client.get("/analyse/passing.json", params={"op": "2025-06-01"}).json()["structuren"]
    by_url = {s["url"]: s for s in rows}
    for p, names in zip(pairs, network["netwerk"]["bijna_dezelfde_leden"], strict=True):
        a, b = by_url[p["a_url"]], by_url[p["b_url"]]
        assert (a["passing"]["naam"], b["passing"]["naam"]) == (names["a"], names["b"])
        assert a["familie"] == b["familie"], p
        assert a["familie"] != "regio" or a["passing"]["laag"] == b["passing"]["laag"], p


def test_fit_page_filters_and_csv(client: TestClient) -> None:
    doc = client.get(
        "/analyse/passing.json", params={"op": "2025-06-01", "soort": "projectvereniging", "oordeel": "over-grenzen"}
    ).json()
    assert doc["aantal"] > 0
    assert all(f["passing"]["soort"] == "projectvereniging" and f["buiten_beste_regio"] for f in doc["structuren"])
    assert all(f["regiodecreet"]["uiterlijk"] in ("2031-01-01", "2037-01-01") for f in doc["structuren"])
    download = client.get("/analyse/download/passing.csv", params={"op": "2025-06-01"})
    rows = list(csv.DictReader(io.StringIO(download.text)))
    interleuven = next(r for r in rows if r["naam"] == "Interleuven")
    assert interleuven["beste_referentieregio"] == "Oost-Brabant"


def test_layer_matrix_explains_and_scores(client: TestClient) -> None:
    doc = client.get("/analyse/lagen.json", params={"op": "2025-06-01"}).json()
    cell = next(
        c for c in doc["cellen"] if c["overeenkomst"]["laag_a"] == c["overeenkomst"]["laag_b"] == "referentieregio"
    )
    assert cell["overeenkomst"]["ari"] == 1.0 and cell["overeenkomst"]["nvi"] == 0.0 and cell["vi"] == 0.0
    page = client.get("/analyse/lagen", params={"op": "2025-06-01"}).text
    assert "Aangepaste Rand-index (ARI)" in page and "1,00 <span" in page  # a decimal comma (nl-BE)


def test_gaps_page_flags_partial_layers(client: TestClient) -> None:
    page = client.get("/analyse/hiaten", params={"op": "2025-06-01"}).text
    assert 'Erfgoedcellen</a> <span class="label-onvolledig">onvolledig</span>' in page
    assert "Hasselt: Regio Haspengouw, Regio Hasselt" in page
    assert "Bron van de laag: github:cultuurnet/uit-documentatie" in page


def test_network_page_and_graphml(client: TestClient) -> None:
    page = client.get("/analyse/netwerk", params={"op": "2025-06-01"}).text
    assert "Louvain" in page and "gemeenschap 1" in page
    graphml = client.get("/analyse/download/netwerk.graphml", params={"op": "2025-06-01"})
    assert graphml.headers["content-type"].startswith("application/graphml+xml")
    assert graphml.text.count("<node ") == 285
    svg = client.get("/kaart/analyse/netwerk.svg", params={"op": "2025-06-01"})
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.count("<path ") == 285 + 19
    assert "Gemeenschap 1</strong>" in page


def test_analysis_maps_and_their_svg(client: TestClient) -> None:
    overview = client.get("/analyse", params={"op": "2025-06-01"}).text
    assert "% van de samenwerkingen binnen de eigen referentieregio</title>" in overview
    page = client.get("/analyse/gemeenten", params={"op": "2025-06-01"}).text
    assert "verschillende partnergroepen</title>" in page
    for key in ("binnen-regio", "partnergroepen", "netwerk"):
        svg = client.get(f"/kaart/analyse/{key}.svg", params={"op": "2025-06-01"})
        assert svg.status_code == 200 and svg.text.count("<path ") == 285 + 19
    assert client.get("/kaart/analyse/horoscoop.svg").status_code == 404


def test_analysis_differs_before_and_after_the_mergers(client: TestClient) -> None:
    before = client.get("/analyse/gemeenten.json", params={"op": "2024-06-30"}).json()
    after = client.get("/analyse/gemeenten.json", params={"op": "2025-06-30"}).json()
    assert (len(before["gemeenten"]), len(after["gemeenten"])) == (300, 285)


def test_unknown_part_is_a_404(client: TestClient) -> None:
    assert client.get("/analyse/astrologie").status_code == 404
    assert client.get("/analyse/astrologie.json").json()["error"]["code"] == "analysis-not-found"


def test_igs_analyse(
    imported_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("IGSATLAS_DATABASE_URL", imported_url)
    assert (
        main(["analyse", "--on", "2025-06-01", "--part", "lagen", "--json", "--graphml", str(tmp_path / "n.graphml")])
        == 0
    )
    doc = json.loads(capsys.readouterr().out)
    assert "referentieregio" in doc["lagen"]
    assert (tmp_path / "n.graphml").read_text("utf-8").count("<node ") == 285
    assert main(["analyse", "--on", "2025-06-01"]) == 0
    assert "must still fit" in capsys.readouterr().out
