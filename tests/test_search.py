"""Search with real queries the way people type them, and the first results they should get."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient


def first_results(client: TestClient, query: str) -> dict[str, list[tuple[str, str]]]:
    doc = client.get("/zoeken.json", params={"q": query}).json()
    return {g["soort"]: [(r["naam"], r["soort"]) for r in g["resultaten"]] for g in doc["groepen"]}


@pytest.mark.parametrize(
    ("query", "group", "expected"),
    [
        ("politie Gent", "samenwerkingsverband", "PZ Gent: Gent"),
        ("politiezone gent", "samenwerkingsverband", "PZ Gent: Gent"),
        ("brandweer gent", "samenwerkingsverband", "HVZ Brandweer Zone Centrum"),
        ("ocmw gent", "organisatie", "Gent"),
        ("zorgraad gent", "regio", "Gent"),
        ("eerstelijnszone aalst", "regio", "Regio Aalst"),
        ("water gent", "samenwerkingsverband", "TMVW"),
        ("afval leuven", "samenwerkingsverband", "EcoWerf"),
        ("brandweer moerbeke", "samenwerkingsverband", "HVZ Oost"),  # a former municipality: Lokeren now
    ],
)
def test_a_kind_or_theme_with_a_place_finds_what_serves_that_place(
    client: TestClient, query: str, group: str, expected: str
) -> None:
    found = first_results(client, query)
    assert found[group][0][0] == expected, found
    assert "gemeente" not in found or query.split()[-1].lower() not in {n.lower() for n, _ in found["gemeente"]}


def test_a_kind_alone_lists_every_body_of_that_kind(client: TestClient) -> None:
    police = first_results(client, "politie")["samenwerkingsverband"]
    assert sum(1 for _, detail in police if detail.startswith("Politiezone, actief")) == 97
    fire = first_results(client, "brandweer")["samenwerkingsverband"]
    assert sum(1 for _, detail in fire if detail.startswith("Hulpverleningszone, actief")) == 20
    doc = client.get("/zoeken.json", params={"q": "politie gent"}).json()
    assert doc["gelezen_als"] == "politiezones voor Gent"


def test_current_municipalities_come_before_merged_ones_and_deelgemeenten_are_found(client: TestClient) -> None:
    gent = first_results(client, "gent")
    assert gent["gemeente"][0][0] == "Gent"
    assert "Moerbeke" not in [n for n, _ in gent["gemeente"][:2]]  # not second for its Statbel name "(Gent)"
    assert first_results(client, "genk")["gemeente"][0][0] == "Genk"
    moerbeke = first_results(client, "moerbeke")["gemeente"][0]
    assert moerbeke == ("Moerbeke", "Gemeente, Oost-Vlaanderen, tot 2024, nu Lokeren")
    lembeek = first_results(client, "Lembeek")["plaats"][0]
    assert lembeek == ("Lembeek", "deelgemeente van Halle, postcode 1502")
    heverlee = first_results(client, "heverlee")["plaats"][0]
    assert heverlee[1] == "deelgemeente van Leuven, postcode 3001"
    aalst = first_results(client, "aalst")
    assert aalst["gemeente"][0][0] == "Aalst" and aalst["plaats"][0][1].startswith("deelgemeente van Sint-Truiden")
    page = client.get("/zoeken", params={"q": "Lembeek"}).text
    assert 'href="/gemeenten/halle"' in page


def test_regions_with_the_same_name_say_which_layer(client: TestClient) -> None:
    westhoek = [d for n, d in first_results(client, "westhoek")["regio"] if n == "Westhoek"]
    assert len(westhoek) == len(set(westhoek)) >= 3
    assert all(d.startswith("Regio van de laag ") for d in westhoek)
