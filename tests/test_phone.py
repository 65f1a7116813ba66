"""Pages a person reads in Dutch, on a phone, without contradictions (issue 25): what the pages say, on the real data.
The browser side (heights at 390 px, folding, unique ids) is in test_browser_phone.py."""

from __future__ import annotations

import re
from html import unescape

from starlette.testclient import TestClient

from igsatlas.domain.policy_domains import DOMAINS, by_domain


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def main_of(html: str) -> str:
    return html.split('<main id="inhoud">', 1)[1].split("</main>", 1)[0]


ENGLISH = ("PARTIAL", "LOWER CONFIDENCE", "DERIVED", "AMBIGUOUS", "approved by the Flemish Government")


def test_the_layers_page_is_dutch_and_grouped_by_domain(client: TestClient) -> None:
    page = client.get("/lagen").text
    main = main_of(page)
    for word in ENGLISH:
        assert word not in main
    text = text_of(main)
    # The four layers of this data release are titled from layers.csv's naam, not by their id.
    new = ("Toeristische regio's", "LEADER-gebieden", "Bibliotheeknetwerken", "Sportregio's en burensportdiensten")
    assert all(title in text for title in new)
    headings = re.findall(r'<h2 id="domein-[^"]+">([^<]+)</h2>', main)
    assert headings[:9] == [
        "Cultuur en erfgoed",
        "Veiligheid",
        "Zorg en welzijn",
        "Wonen",
        "Mobiliteit",
        "Streekontwikkeling en platteland",
        "Sport",
        "Bibliotheken",
        "Toerisme",
    ]
    assert "Nog niet in de atlas: woonwinkels." in text
    twin = client.get("/lagen.json").json()
    sport = next(d for d in twin["domeinen"] if d["sleutel"] == "sport")
    assert [x["titel"] for x in sport["lagen"]] == ["Sportregio's en burensportdiensten"]
    assert sum(len(d["lagen"]) for d in twin["domeinen"]) == len(twin["lagen"]) == 19


def test_a_layer_page_shows_the_dutch_texts(client: TestClient) -> None:
    main = main_of(client.get("/lagen/erfgoedcel").text)
    text = text_of(main)
    assert "goedgekeurd door de Vlaamse Regering op 9 oktober 2020" in text
    assert "approved by" not in text and 'lang="en"' not in main
    assert "Onvolledig: 23 erfgoedcellen met leden" in text
    leader = text_of(main_of(client.get("/lagen/leader").text))
    assert "<h1>LEADER-gebieden</h1>" in client.get("/lagen/leader").text
    assert "LOWER CONFIDENCE" not in leader and "PARTIAL" not in leader


def test_every_layer_lies_in_one_domain_and_an_unknown_layer_in_the_rest() -> None:
    named = [x for d in DOMAINS for x in d.layers]
    assert len(named) == len(set(named))
    groups = by_domain(["sportregio", "regenboog", "elz"])
    assert groups[-1] == (None, ["regenboog"])
    assert next(ids for d, ids in groups if d and d.key == "sport") == ["sportregio"]
