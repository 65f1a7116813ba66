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
    assert [x["laag"]["titel"] for x in sport["lagen"]] == ["Sportregio's en burensportdiensten"]
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


def test_a_municipality_page_starts_with_its_zones_then_its_cooperations_then_the_rest(client: TestClient) -> None:
    main = main_of(client.get("/gemeenten/gent").text)
    order = [main.index(f'id="{h}"') for h in ("h-zones", "h-samenwerking", "h-lagen", "h-partners", "h-bronnen")]
    assert order == sorted(order)
    # Ended bodies stand apart, folded, below today's.
    body = main[main.index('id="h-samenwerking"') : main.index('id="h-lagen"')]
    ended = body.index("Niet meer actief (2)")
    assert body.index(">Finiwo<") > ended and body.index(">Digipolis<") > ended
    assert "Intergemeentelijke samenwerkingsverbanden (7, en 2 niet meer actief)" in text_of(body)


def test_partners_are_ranked_by_what_they_share_and_the_rest_folded(client: TestClient) -> None:
    twin = client.get("/gemeenten/gooik.json", params={"op": "2024-06-30"}).json()
    shared = [p["gedeeld"] for p in twin["partners"]]
    assert shared == sorted(shared, reverse=True) and len(shared) > 200  # the Fluvius companies reach Limburg
    main = main_of(client.get("/gemeenten/gooik", params={"op": "2024-06-30"}).text)
    shown, folded = main.split('<ol class="partners kolomlijst" start="11">', 1)
    assert shown.count("gedeeld</li>") == 10
    assert "De andere " + str(len(shared) - 10) + " gemeenten, van meest naar minst gedeeld" in text_of(shown)
    assert twin["partners"][-1]["gemeente"]["naam"] in folded


def test_gooik_knows_its_ioed_and_its_police_zone(client: TestClient) -> None:
    """The IOED layer has no members for Pajottenland, but the register's Onroerend Erfgoeddienst Pajottenland
    names Gooik: the page shows that body, not 'niet gekend'. The police zone layer has the 2025 municipalities only;
    on 30 June 2024 the zone whose name lists Gooik is its zone, not 'onbekend'."""
    twin = client.get("/gemeenten/gooik.json", params={"op": "2024-06-30"}).json()
    assert [z["organisatie"]["naam"].replace("\xa0", " ") for z in twin["politiezone"]] == [
        "PZ Pajottenland: Bever, Galmaarden, Gooik, Herne, Lennik en Pepingen"
    ]
    culture = next(d for d in twin["lagen_per_domein"] if d["sleutel"] == "cultuur-en-erfgoed")
    ioed = next(x for x in culture["lagen"] if x["laag"] == "ioed")
    assert [c["naam"] for c in ioed["via_samenwerkingsverband"]] == ["Onroerend Erfgoeddienst Pajottenland"]
    main = text_of(main_of(client.get("/gemeenten/gooik", params={"op": "2024-06-30"}).text))
    assert "Politiezone PZ Pajottenland" in main and "Politiezone onbekend" not in main
    squeezed = re.sub(r"\s+", "", main)
    assert "(IOED):OnroerendErfgoeddienstPajottenland(samenwerkingsverbandinhetregister" in squeezed
    assert "(IOED):nietgekend" not in squeezed


def test_a_label_error_the_layer_notes_explain_is_corrected(client: TestClient) -> None:
    """publiq labels the region with key reg-waasland 'Regio Voeren' (layers.csv says so): Lochristi lies in Regio
    Waasland, the source's label beside it."""
    gaps = text_of(main_of(client.get("/analyse/hiaten").text))
    assert "Lochristi: Regio Meetjesland, Regio Waasland (in de bron: Regio Voeren)" in gaps
    assert "Regio Voeren," not in gaps


def test_dates_in_sentences_are_words(client: TestClient) -> None:
    twin = client.get("/samenwerkingsverbanden/onroerend-erfgoeddienst-pajottenland.json").json()
    notes = [n for m in twin["leden_per_lid"] for n in m["opmerkingen"]]
    assert "Afgeleid: rechtsopvolging na fusie op 1 januari 2025, van Gooik; ook van Herne" in notes


def test_culture_network_types_link_the_layers_that_exist(client: TestClient) -> None:
    twin = client.get("/cultuur.json").json()
    types = {n["type"]: n for n in twin["netwerktypes"]}
    assert [x["url"] for x in types["sport"]["lagen"]] == ["/lagen/sportregio"]
    assert [x["url"] for x in types["bibliotheken"]["lagen"]] == ["/lagen/bibliotheeknetwerk"]
    assert [x["id"] for x in types["streekontwikkeling en platteland"]["lagen"]] == [
        "streekwerking",
        "regionaal-landschap",
        "leader",
    ]
    assert types["wonen"]["nog_niet_in_de_atlas"] == ["woonwinkels"]
    main = main_of(client.get("/cultuur").text)
    assert '<a href="/lagen/toeristische-regio">Toeristische regio\'s</a>' in main.replace("&#39;", "'")


def test_long_analysis_lists_are_summarised_and_folded_with_nothing_lost(client: TestClient) -> None:
    twin = client.get("/analyse/passing.json").json()
    page = main_of(client.get("/analyse/passing").text)
    crossing = [f for f in twin["structuren"] if f["passing"]["oordeel"] == "over-grenzen"]
    assert f"{len(crossing)} overschrijdt de grenzen van referentieregio's" in text_of(page)
    shown = page.split("<details><summary>De andere", 1)[0]
    assert shown.count("<tr><td>") == 20  # the first twenty that cross borders, the rest folded
    assert page.count("<tr><td>") == twin["aantal"]  # every organisation is still on the page
    # A long list of municipalities outside the best region is folded behind its count, none left out.
    cipal = next(f for f in crossing if f["passing"]["naam"] == "Cipal")
    outside = cipal["buiten_beste_regio"]
    assert len(outside) > 3 and f"<summary>{len(outside)} gemeenten</summary>{', '.join(outside)}</details>" in page
    findings = client.get("/aandachtspunten.json").json()
    page = main_of(client.get("/aandachtspunten").text)
    assert page.count('<details class="regel">') == len({f["bevinding"]["titel"] for f in findings["afwijkingen"]})
    squeezed = re.sub(r"\s+", "", text_of(page))
    assert all(re.sub(r"\s+", "", f["organisatie_naam"]) in squeezed for f in findings["afwijkingen"])


def test_the_home_page_counts_say_what_they_count(client: TestClient) -> None:
    twin = client.get("/.json").json() if client.get("/.json").status_code == 200 else None
    page = text_of(main_of(client.get("/").text))
    assert "Interlokale vereniging (0 actief)" not in page
    assert "Interlokale vereniging (15 in het register: 4 niet meer actief, 11 status niet gekend)" in page
    assert "Hulpverleningszone (20 actief)" in page
    assert twin is None or "telling" in twin["rechtsvormen"][0]


def test_status_count_in_words() -> None:
    from collections import Counter

    from igsatlas.documents.lists import status_count

    assert status_count(Counter({"onbekend": 16})) == "16, status niet gekend"
    assert status_count(Counter({"actief": 20})) == "20 actief"
    assert status_count(Counter({"actief": 25, "niet-actief": 3, "onbekend": 2})) == (
        "30 in het register: 25 actief, 3 niet meer actief, 2 status niet gekend"
    )
    assert status_count(Counter()) == "0 in het register"


def test_an_unknown_article_is_said_once(client: TestClient) -> None:
    for path in (
        "/rechtsvormen",
        "/rechtsvormen/keuzehulp?doel=project&middelen=nee&overdracht=nee&privaat=nee&duur=kort&partners=gemeenten&erkenning=erfgoedcel",
    ):
        page = client.get(path).text
        cells = re.findall(r'<span class="artikels">(.*?)</span>(.*?)</(?:td|dd)>', page, re.S)
        assert cells, path
        assert not [c for c in cells if "niet gekend" in c[0] and "niet bevestigd" in c[0] + c[1]], path
    assert "artikel niet gekend" in client.get("/rechtsvormen").text


def test_a_new_group_does_not_pass_the_culture_threshold_through_the_transitional_rule(client: TestClient) -> None:
    """Four small municipalities below 85,000 inhabitants: a recognised IGS cultuur may go on until 2032, but a new
    group is not recognised yet, so the planner says it falls short."""
    params = [("gemeente", n) for n in ("Lennik", "Gooik", "Galmaarden", "Herne")] + [("op", "2024-06-30")]
    doc = client.get("/samenwerken.json", params=params).json()
    culture = next(f for f in doc["erkenningen"] if f["regel"] == "bovenlokale-cultuur-drempel")
    assert doc["inwoners"] < 85_000 and doc["aantal"] == 4
    assert culture["oordeel"] == "afwijking"
    assert "geldt alleen voor erkende samenwerkingen" in culture["boodschap"]


def test_themes_come_with_their_evidence_and_its_strength(client: TestClient) -> None:
    haviland = text_of(main_of(client.get("/samenwerkingsverbanden/haviland").text))
    assert "Streekontwikkeling sterk bewijs: uit een gelezen bron" in haviland
    twin = client.get("/gemeenten/gent.json").json()
    weak = [c["naam"] for t in twin["per_thema"] for c in t["samenwerkingen"] if c["uit_naam"]]
    page = text_of(main_of(client.get("/gemeenten/gent").text))
    assert not weak or "(zwak bewijs: alleen uit de naam)" in page
    assert (
        "met sterk bewijs uit een gelezen bron, met middel bewijs afgeleid uit een laag waarvan de samenwerking de "
        "regio is of uit haar soort, of met zwak bewijs alleen uit de naam"
    ) in page
    medium = [c["naam"] for t in twin["per_thema"] for c in t["samenwerkingen"] if c["zekerheid"] == "middel"]
    assert not medium or "(middel bewijs: afgeleid uit een laag of uit de soort)" in page


def test_a_long_region_key_still_makes_an_id_that_fits_the_column() -> None:
    from igsatlas.ingest.reconcile import region_organisation_id

    short = region_organisation_id("elz", "amalo")
    long = region_organisation_id("bibliotheeknetwerk", "regiobib-bonheiden-duffel-lier-putte-sint-katelijne-waver")
    assert short == "regio-elz-amalo"
    assert len(long) <= 80 and long.startswith("regio-bibliotheeknetwerk-regiobib-bonheiden")
    assert long != region_organisation_id("bibliotheeknetwerk", "regiobib-bonheiden-duffel-lier-putte-sint-katelijne-w")
