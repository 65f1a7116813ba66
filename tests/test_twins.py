"""The one contract: every page's JSON twin holds the API's own models where it shares a fact with the API.

The OpenAPI document (/api/v1/openapi.json) says under x-paginatweelingen where each twin holds which schema; this
walks every twin with real slugs from the real data and validates every shared object against that schema."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from starlette.routing import Route
from starlette.testclient import TestClient

from igsatlas.opendata.twins import TWINS, found_at

# Every twin, with real addresses that together reach every place the contract names (a merged municipality has
# a successor, a merger municipality predecessors, Gooik's IOED a body named for it, publiq's regions overlap).
SAMPLES: dict[str, list[str]] = {
    "/index.json": ["/index.json"],
    "/gemeenten.json": ["/gemeenten.json?op=2025-06-30", "/gemeenten.json?op=2024-06-30"],
    "/gemeenten/{slug}.json": [
        "/gemeenten/gent.json?op=2025-06-01",
        "/gemeenten/melle.json?op=2025-06-30",
        "/gemeenten/merelbeke-melle.json?op=2025-06-30",
        "/gemeenten/gooik.json?op=2024-06-30",
    ],
    "/gemeenten/{slug}/dossier.json": [
        "/gemeenten/gent/dossier.json?op=2025-06-30",
        "/gemeenten/melle/dossier.json?op=2025-06-30",
    ],
    "/samenwerkingsverbanden.json": ["/samenwerkingsverbanden.json"],
    "/organisaties.json": ["/organisaties.json"],
    "/samenwerkingsverbanden/{slug}.json": [
        "/samenwerkingsverbanden/interleuven.json?op=2025-06-30",
        "/samenwerkingsverbanden/dijk92.json",
    ],
    "/organisaties/{slug}.json": ["/organisaties/brugge.json", "/organisaties/antwerpen-provincie.json"],
    "/lagen.json": ["/lagen.json"],
    "/lagen/{layer}.json": [
        "/lagen/erfgoedcel.json?op=2025-06-30",
        "/lagen/publiq-regio.json",
        "/lagen/referentieregio.json?op=2021-03-11",
    ],
    "/regios/{layer}/{key}.json": ["/regios/elz/amalo.json?op=2025-06-30", "/regios/erfgoedcel/de-merode.json"],
    "/cultuur.json": ["/cultuur.json?op=2025-06-01"],
    "/aandachtspunten.json": ["/aandachtspunten.json?op=2025-06-01"],
    "/samenwerken.json": ["/samenwerken.json?gemeente=Lennik&gemeente=Gooik&gemeente=Galmaarden"],
    "/zoeken.json": ["/zoeken.json?q=Gent"],
    "/rechtsvormen.json": ["/rechtsvormen.json"],
    "/rechtsvormen/keuzehulp.json": [
        "/rechtsvormen/keuzehulp.json",
        "/rechtsvormen/keuzehulp.json?doel=project&middelen=ja&overdracht=nee&privaat=nee&duur=kort"
        "&partners=gemeenten&erkenning=erfgoedcel",
    ],
    "/rechtsvormen/{slug}.json": ["/rechtsvormen/projectvereniging.json", "/rechtsvormen/welzijnsvereniging.json"],
    "/analyse.json": ["/analyse.json"],
    "/analyse/{part}.json": [
        "/analyse/passing.json",
        "/analyse/hiaten.json",
        "/analyse/lagen.json?op=2025-06-01",
        "/analyse/netwerk.json?op=2025-06-01",
    ],
    "/wijzigingen.json": ["/wijzigingen.json"],
    "/catalogus.json": ["/catalogus.json"],
}
NOT_A_PAGE_TWIN = {"/status.json", "/zoeken/suggesties.json", "/data/datapackage.json"}


@pytest.fixture(scope="module")
def spec(client: TestClient) -> dict[str, Any]:
    found: dict[str, Any] = client.get("/api/v1/openapi.json").json()
    return found


def test_every_twin_is_in_the_contract(client: TestClient, spec: dict[str, Any]) -> None:
    """The contract names every twin: the explicit .json routes, and the pages whose address takes .json."""
    explicit = {r.path for r in client.app.routes if isinstance(r, Route) and r.path.endswith(".json")}  # type: ignore[attr-defined]
    assert explicit - NOT_A_PAGE_TWIN <= set(TWINS)
    assert set(SAMPLES) == set(TWINS) == set(spec["x-paginatweelingen"])
    schemas = spec["components"]["schemas"]
    used = {ref.rsplit("/", 1)[1] for places in spec["x-paginatweelingen"].values() for ref in places.values()}
    assert used == {
        "Gemeente", "GemeenteKort", "OrganisatieKort", "Organisatie", "Lidmaatschap", "Bevinding", "Regio",
        "RegioVan", "Laag", "Bron", "Passing", "LaagOvereenkomst", "Netwerk",
        "Rechtsvorm",
    }  # fmt: skip
    assert used <= set(schemas)
    page = client.get("/api").text  # the API's reference page says it too, linked to each model
    assert "<td><code>/gemeenten/{slug}.json</code></td><td><code>gemeente</code></td>" in page
    assert '<td><code>samenwerkingsverbanden[].lidmaatschap</code></td><td><a href="#model-Lidmaatschap">' in page


def test_every_shared_object_of_every_twin_validates_against_the_api_schema(
    client: TestClient, spec: dict[str, Any]
) -> None:
    for twin, urls in SAMPLES.items():
        places = spec["x-paginatweelingen"][twin]
        seen: Counter[str] = Counter()
        for url in urls:
            answer = client.get(url)
            assert answer.status_code == 200, (url, answer.text[:300])
            doc = answer.json()
            for place, ref in places.items():
                validator = Draft202012Validator({"$ref": ref, "components": spec["components"]})
                for found in found_at(doc, place):
                    errors = [
                        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(found)
                    ]
                    assert errors == [], (url, place, errors[:3])
                    seen[place] += 1
        assert set(seen) == set(places), (twin, set(places) - set(seen))  # every place is reached


def test_twin_keys_have_one_meaning_and_no_apostrophe(client: TestClient) -> None:
    """The key regio's once meant a count, a list of regions and a list of keys: now each has a name of its own.
    (A map keyed by data, such as verdicts in words, is not a key name.)"""

    def keys(value: Any) -> set[str]:
        if isinstance(value, dict):
            return set(value) | {k for v in value.values() for k in keys(v)}
        if isinstance(value, list):
            return {k for v in value for k in keys(v)}
        return set()

    every = {k for urls in SAMPLES.values() for url in urls for k in keys(client.get(url).json())}
    assert not {k for k in every if "'" in k and " " not in k}
    assert {"aantal_regios", "regios", "regio_sleutels", "regio_links"} <= every
    assert not {"aandachtspunten", "andere_namen", "uitkomst", "gekoppeld_aan_lblod", "regio_in_lagen"} & every


def test_a_twin_and_the_api_give_the_same_objects(client: TestClient) -> None:
    """Gent's page twin and /api/v1 name its cooperations, its memberships and a finding the same way."""
    day = "2025-06-01"
    twin = client.get(f"/gemeenten/gent.json?op={day}").json()
    assert twin["gemeente"] == client.get(f"/api/v1/gemeenten/44021?op={day}").json()
    imewo = next(
        c["lidmaatschap"] for c in twin["samenwerkingsverbanden"] if c["lidmaatschap"]["organisatie"]["naam"] == "Imewo"
    )
    api = client.get(f"/api/v1/gemeenten/44021/lidmaatschappen?op={day}&limiet=1000").json()["resultaten"]
    assert imewo in api  # the very same object, period (geldig_van/geldig_tot), role and source included
    assert imewo["geldig_van"] is None and imewo["rol_label"] == "deelnemer"
    layer = client.get(f"/lagen/referentieregio.json?op={day}").json()
    regions = client.get(f"/api/v1/lagen/referentieregio/regios?op={day}").json()
    by_key = {r["sleutel"]: r for r in regions}
    for row in layer["regios"]:
        assert row["regio"] == {**by_key[row["regio"]["sleutel"]], "gemeenten": row["regio"]["gemeenten"]}
        assert sorted(row["regio"]["gemeenten"]) == sorted(by_key[row["regio"]["sleutel"]]["gemeenten"])
    assert layer["laag"] == client.get("/api/v1/lagen/referentieregio").json()
    finding = client.get(f"/aandachtspunten.json?op={day}&regel=minimum-gemeenten").json()["afwijkingen"][0]
    api_findings = client.get(f"/api/v1/bevindingen?op={day}&regel=minimum-gemeenten&limiet=1000").json()
    assert finding["bevinding"] in api_findings["resultaten"]


def test_the_analyses_legal_forms_and_culture_twins_hold_the_api_s_very_objects(client: TestClient) -> None:
    """/analyse/passing, /analyse/lagen, /analyse/netwerk, /rechtsvormen (its forms, a form's page, the wizard's
    advice) and /cultuur hold what /api/v1 answers, not a look-alike (the schema check above would let a field with
    another value pass)."""
    day = "2025-06-01"
    fits = client.get(f"/analyse/passing.json?op={day}").json()["structuren"]
    api = client.get(f"/api/v1/analyses/passing?op={day}&limiet=1000").json()
    assert api["totaal"] == len(fits) and api["volgende"] is None
    assert sorted((f["passing"] for f in fits), key=lambda x: x["id"]) == api["resultaten"]
    assert {f["passing"]["oordeel_label"] for f in fits} >= {"overschrijdt de grenzen van referentieregio's"}
    cells = client.get(f"/analyse/lagen.json?op={day}").json()["cellen"]
    assert [c["overeenkomst"] for c in cells] == client.get(f"/api/v1/analyses/lagen?op={day}").json()
    network = client.get(f"/analyse/netwerk.json?op={day}").json()
    api_network = client.get(f"/api/v1/analyses/netwerk?op={day}").json()
    # the communities are left out: once in many runs two computations of a day gave other communities (a flake
    # of the seeded Louvain run, not of the twin); everything else is the API's very value
    communities = {"gemeenschappen", "gemeenschap_per_gemeente", "ari_met_referentieregio"}
    assert {k: v for k, v in network["netwerk"].items() if k not in communities} == {
        k: v for k, v in api_network.items() if k not in communities
    }
    assert network["netwerk"].keys() == api_network.keys()
    assert network["netwerk"]["gemeenschap_per_gemeente"].keys() == api_network["gemeenschap_per_gemeente"].keys()
    assert "ari" not in network["vergelijking_met_referentieregio"]  # one name: netwerk.ari_met_referentieregio
    culture = client.get(f"/cultuur.json?op={day}").json()
    layers = {x["id"]: x for x in client.get("/api/v1/lagen").json()}
    assert [x["laag"] for x in culture["lagen"]] == [layers[x["laag"]["id"]] for x in culture["lagen"]]
    assert all(x == layers[x["id"]] for n in culture["netwerktypes"] for x in n["lagen"])
    forms = {x["id"]: x for x in client.get("/api/v1/rechtsvormen").json()}
    assert all(
        f["rechtsvorm"] == forms[f["rechtsvorm"]["id"]] for f in client.get("/rechtsvormen.json").json()["vormen"]
    )
    assert client.get("/rechtsvormen/welzijnsvereniging.json").json()["rechtsvorm"] == forms["welzijnsvereniging"]
    advice = client.get(SAMPLES["/rechtsvormen/keuzehulp.json"][1]).json()["advies"]
    assert [advice[k]["rechtsvorm"] for k in ("aanbevolen", "alternatief")] == [
        forms["projectvereniging"],
        forms["dienstverlenende_vereniging"],
    ]
