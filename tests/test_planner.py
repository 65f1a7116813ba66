"""/samenwerken: what a group of municipalities would be as a cooperation, from the real data."""

from __future__ import annotations

from starlette.testclient import TestClient


def plan(client: TestClient, *names: str, day: str | None = None, **extra: str) -> dict:  # type: ignore[type-arg]
    params = [("gemeente", n) for n in names] + ([("op", day)] if day else []) + list(extra.items())
    answer = client.get("/samenwerken.json", params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def test_the_same_group_before_and_after_its_merger(client: TestClient, statbel: dict[tuple[str, int], int]) -> None:
    before = plan(client, "Galmaarden", "Gooik", "Herne", day="2024-06-30")
    after = plan(client, "Pajottegem", day="2025-06-30")
    # each day takes the newest count on or before it: 1 January 2024 for the three, 2025 for Pajottegem
    assert before["inwoners"] == sum(statbel[(g, 2024)] for g in ("Galmaarden", "Gooik", "Herne")) == 25_283
    assert after["inwoners"] == statbel[("Pajottegem", 2025)] == 25_287
    assert (before["inwoners_jaar"], after["inwoners_jaar"]) == (2024, 2025)
    assert before["referentieregio"]["best"] == after["referentieregio"]["best"] == "Halle-Vilvoorde"
    assert before["aaneengesloten"] and before["referentieregio"]["past"]


def test_a_group_across_two_referentieregios_names_who_lies_outside(client: TestClient) -> None:
    doc = plan(client, "Lennik", "Aalst", "Denderleeuw", day="2025-06-30")
    ref = doc["referentieregio"]
    assert not ref["past"] and ref["best"] == "Denderregio" and ref["buiten"] == ["Lennik"]
    regiodecreet = next(f for f in doc["erkenningen"] if f["regel"] == "regiodecreet-referentieregio")
    assert regiodecreet["oordeel"] == "afwijking"


def test_a_group_that_is_not_one_piece_says_so(client: TestClient) -> None:
    doc = plan(client, "Gent", "Brugge", "Beernem", day="2025-06-30")
    assert not doc["aaneengesloten"]
    assert sorted(map(sorted, doc["delen"])) == [["Beernem", "Brugge"], ["Gent"]]
    page = client.get("/samenwerken", params=[("gemeente", "Gent"), ("gemeente", "Brugge")]).text
    assert "de groep bestaat uit 2 delen" in page


def test_thresholds_shared_structures_and_neighbours(client: TestClient) -> None:
    doc = plan(client, "Lennik", "Gooik", day="2024-06-30")
    culture = next(f for f in doc["erkenningen"] if f["regel"] == "bovenlokale-cultuur-drempel")
    assert culture["oordeel"] == "afwijking" and doc["inwoners"] < 85_000  # two small municipalities
    assert {m["vorm"]: m["oordeel"] for m in doc["minimums"]}["Interlokale vereniging"] == "in-orde"
    assert doc["gedeeld"]["aantal"] >= 5  # police zone, emergency zone, Haviland, ...
    with_neighbours = plan(client, "Lennik", day="2025-06-30", buren="ja")
    assert "Pajottegem" in {g["naam"] for g in with_neighbours["gekozen"]}
    assert with_neighbours["aantal"] > 3


def test_nearly_the_same_cooperation_is_named_so_nobody_founds_a_second(client: TestClient) -> None:
    dijk92 = client.get("/cultuur.json", params={"op": "2025-06-01"}).json()
    members = next(
        p["gemeenten"]
        for layer in dijk92["lagen"]
        if layer["laag"]["id"] == "bovenlokale-cultuur"
        for p in layer["samenwerkingen"]
        if "Dijk" in p["naam"]
    )
    doc = plan(client, *members, day="2025-06-01")
    assert any("Dijk" in s["naam"] and s["overlap"] == 1.0 for s in doc["bijna_dezelfde"])


def test_an_unknown_name_is_named_in_dutch(client: TestClient) -> None:
    doc = plan(client, "Lennik", "Atlantis")
    assert doc["aantal"] == 1 and any("Atlantis" in f for f in doc["fouten"])
