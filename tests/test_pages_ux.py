"""What a user sees: honest gaps, nl-BE numbers and dates, the pages a public site has."""

from __future__ import annotations

import html
import itertools
import math
import re
from datetime import date

from starlette.testclient import TestClient

from igsatlas.documents.common import ROLE_LABELS
from igsatlas.domain.model import Role
from igsatlas.geo.maps import EMPTY, PALETTE
from igsatlas.web.formatting import day, number


def test_numbers_and_dates_are_written_the_belgian_way() -> None:
    assert number(19410) == "19.410"
    assert number(0.35) == "0,35"
    assert number(1234567.891, 1) == "1.234.567,9"
    assert number(None) == ""
    assert day(date(2026, 12, 1)) == "1 december 2026"
    assert day("2024-02") == "februari 2024"
    assert day("2025-01-01") == "1 januari 2025"
    assert day("undated") == "undated"


def test_a_layer_that_does_not_cover_a_municipality_says_so_on_its_page(client: TestClient) -> None:
    doc = client.get("/gemeenten/buggenhout.json?op=2025-06-30").json()
    gaps = {x["laag"]: (x["dekt"], x["van"]) for x in doc["lagen_niet_gekend"]}
    assert gaps == {"uitpas": (58, 285), "leader": (82, 285), "sportregio": (26, 285)}  # partial layers
    page = client.get("/gemeenten/buggenhout?op=2025-06-30").text
    assert "niet gekend (de laag dekt 58 van 285 gemeenten)" in page
    old = client.get("/gemeenten/buggenhout.json?op=2024-06-30").json()
    assert {x["laag"]: (x["dekt"], x["van"]) for x in old["lagen_niet_gekend"]}["uitpas"] == (58, 300)


def test_every_page_says_when_the_data_was_updated_and_links_the_public_pages(client: TestClient) -> None:
    page = client.get("/").text
    assert re.search(
        r"Gegevens bijgewerkt op \d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|"
        r"september|oktober|november|december) 20\d\d\.",
        page,
    )
    for path in ("/over", "/contact", "/toegankelijkheid", "/privacy", "/catalogus"):
        assert f'href="{path}"' in page
        assert client.get(path).status_code == 200
    about = client.get("/over").text
    assert "niet bevestigd" in about and "van 285" in about
    statement = client.get("/toegankelijkheid").text
    assert "WCAG 2.1" in statement and "gedeeltelijk" in statement


def test_the_menu_leads_to_every_part_of_the_atlas(client: TestClient) -> None:
    page = client.get("/gemeenten/gent").text
    menu = page.split('aria-label="Hoofdmenu"', 1)[1].split("</nav>", 1)[0]
    labels = re.findall(r">([^<]+)</a>", menu)
    assert labels == [
        "Gemeenten",
        "Samenwerkingsverbanden",
        "Lagen en thema's",
        "Rechtsvormen",
        "Cultuur",
        "Samenwerken",
        "Analyse",
        "Aandachtspunten",
        "Wijzigingen",
    ]
    assert 'href="/aandachtspunten"' in client.get("/analyse").text


def test_analysis_figures_use_decimal_commas(client: TestClient) -> None:
    page = client.get("/analyse/lagen?op=2025-06-30").text
    assert re.search(r"<td>1,00 <span", page) and not re.search(r"<td>\d\.\d\d <span", page)


def test_pages_have_a_breadcrumb_trail_to_the_start(client: TestClient) -> None:
    trails = {
        "/gemeenten/gent": ["Start", "Gemeenten", "Gent"],
        "/samenwerkingsverbanden/interleuven": ["Start", "Samenwerkingsverbanden", "Interleuven"],
        "/analyse/netwerk": ["Start", "Analyse", "Netwerk"],
        "/rechtsvormen/keuzehulp": ["Start", "Rechtsvormen", "Keuzehulp"],
    }
    for path, expected in trails.items():
        page = client.get(path).text
        nav = re.search(r'<nav class="kruimels" aria-label="Kruimelpad">(.*?)</nav>', page, re.S)
        assert nav, path
        labels = [re.sub(r"<[^>]+>", "", x).strip() for x in re.findall(r"<li>(.*?)</li>", nav.group(1))]
        assert labels == expected, (path, labels)
        assert 'aria-current="page"' in nav.group(1)


def test_a_layer_region_has_a_page_of_its_own_and_old_urls_redirect(client: TestClient) -> None:
    old = client.get("/samenwerkingsverbanden/amalo", follow_redirects=False)
    assert (old.status_code, old.headers["location"]) == (301, "/regios/elz/amalo")
    doc = client.get("/regios/elz/amalo.json?op=2025-06-30").json()
    assert doc["laag"]["titel"] == "Eerstelijnszones" and doc["organisatie"] is None
    assert len(doc["gemeenten"]) == 5 and len(doc["regio"]["gemeenten"]) == 5
    page = client.get("/regios/elz/amalo?op=2025-06-30").text
    assert "KBO-nummer niet bekend" not in page and "adres niet bekend" not in page
    assert 'href="https://github.com/provinciesincijfers/gebiedsniveaus/blob/' in page
    assert "Provincies in Cijfers, gemeente_elz.xls</a> (9 maart 2026)" in page
    layer = client.get("/lagen/elz.json").json()
    assert all(r["url"].startswith("/regios/elz/") for r in layer["regios"])
    listing = client.get("/samenwerkingsverbanden.json").json()
    assert not [o for o in listing["samenwerkingsverbanden"] if o["organisatie"]["classificatie"] == "regio"]
    assert client.get("/regios/elz/atlantis").status_code == 404


def test_the_long_list_is_paged_and_sortable_without_javascript(client: TestClient) -> None:
    doc = client.get("/samenwerkingsverbanden.json").json()
    first = client.get("/samenwerkingsverbanden?sorteer=leden").text
    assert f"<caption>{doc['aantal']} samenwerkingsverbanden en zones, 1 tot 50 getoond</caption>" in first
    counts = [int(n) for n in re.findall(r"<td>[^<]*</td><td>(\d+)</td><td>[^<]*</td></tr>", first)]
    assert len(counts) == 50 and counts == sorted(counts, reverse=True)
    assert counts[0] == max(o["leden"] for o in doc["samenwerkingsverbanden"])
    last_page = -(-doc["aantal"] // 50)
    last = client.get(f"/samenwerkingsverbanden?sorteer=leden&pagina={last_page}").text
    assert 'rel="next"' not in last and 'rel="prev"' in last
    assert client.get("/samenwerkingsverbanden?pagina=abc").status_code == 200  # a bad page number shows page 1


def test_a_layer_says_when_a_day_lies_before_its_sources(client: TestClient) -> None:
    old = client.get("/lagen/elz.json?op=2018-01-01").json()["laag_details"]
    assert old["ouder_dan_de_gegevens"] and old["gegevens_van"] == "2024-01-31"
    assert "beschrijven de toestand van 31 januari 2024 en later" in client.get("/lagen/elz?op=2018-01-01").text
    assert not client.get("/lagen/elz.json").json()["laag_details"]["ouder_dan_de_gegevens"]


def test_a_local_governments_own_bodies_live_apart_from_the_cooperations(client: TestClient) -> None:
    moved = client.get("/samenwerkingsverbanden/brugge", follow_redirects=False)
    assert (moved.status_code, moved.headers["location"]) == (301, "/organisaties/brugge")
    back = client.get("/organisaties/interleuven?op=2025-06-30", follow_redirects=False)
    assert (back.status_code, back.headers["location"]) == (301, "/samenwerkingsverbanden/interleuven?op=2025-06-30")
    page = client.get("/organisaties/brugge").text
    assert "<h1>OCMW Brugge</h1>" in page and "Andere organisaties" in page
    own = client.get("/organisaties.json").json()
    kinds = {o["organisatie"]["classificatie"] for o in own["samenwerkingsverbanden"]}
    assert {"ocmw", "autonoom-gemeentebedrijf", "provincie", "district"} <= kinds
    assert not kinds & {"politiezone", "hulpverleningszone", "projectvereniging", "gemeente", "regio"}
    assert sum(o["organisatie"]["classificatie"] == "ocmw" for o in own["samenwerkingsverbanden"]) == 319
    cooperations = client.get("/samenwerkingsverbanden.json").json()["samenwerkingsverbanden"]
    kinds = {o["organisatie"]["classificatie"] for o in cooperations}
    assert not kinds & {"ocmw", "autonoom-gemeentebedrijf", "provincie"}
    assert all(o["organisatie"]["url"].startswith("/organisaties/") for o in own["samenwerkingsverbanden"])
    gent = client.get("/gemeenten/gent").text
    assert 'href="/organisaties/agb-erfgoed-gent"' in gent and 'href="/samenwerkingsverbanden/agb-' not in gent
    assert client.get("/organisaties/brugge.ttl").headers["content-type"].startswith("text/turtle")


def _lab(colour: str) -> tuple[float, float, float]:
    """sRGB hex -> CIELAB (D65), to measure how far apart two fills look."""

    def linear(c: float) -> float:
        return ((c + 0.055) / 1.055) ** 2.4 if c > 0.04045 else c / 12.92

    r, g, b = (linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    x, y, z = (
        (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
        0.2126 * r + 0.7152 * g + 0.0722 * b,
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
    )

    def f(v: float) -> float:
        return v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def _legend(page: str) -> list[tuple[str, str]]:
    legend = re.search(r'<ul class="legende" aria-label="Legende">(.*?)</ul>', page, re.S)
    return (
        re.findall(r'background:(#[0-9a-f]{6})" aria-hidden="true"></span>([^<]+)</li>', legend.group(1))
        if legend
        else []
    )


def test_maps_name_their_largest_regions_and_legends_use_colours_that_differ(client: TestClient) -> None:
    layer = client.get("/lagen/elz").text
    names = re.search(r'<g class="namen" aria-hidden="true"[^>]*>(.*?)</g>', layer, re.S)
    assert names, "the layer map has no labels"
    labels = re.findall(r"<text [^>]*>([^<]+)</text>", names.group(1))
    assert 8 <= len(labels) <= 16 and {"Westhoek", "Kempenland", "Maasland"} <= set(labels), labels
    # 56 regions share 15 colours: the page says a colour is not a region instead of a legend of lookalikes
    assert "een kleur staat niet voor één regio" in layer and [label for _, label in _legend(layer)] == ["niet gedekt"]
    home = client.get("/").text
    assert {"Antwerpen", "Gent", "Brugge", "Leuven", "Hasselt"} <= set(re.findall(r"<text [^>]*>([^<]+)</text>", home))
    gent = client.get("/gemeenten/gent").text
    assert re.search(r"<g class=\"namen\"[^>]*><text [^>]*>Gent</text>", gent), "the municipality itself comes first"
    for path in ("/analyse/netwerk", "/lagen/vervoerregio", "/gemeenten/gent", "/analyse", "/analyse/gemeenten"):
        legend = _legend(client.get(path).text)
        assert len(legend) >= 2, path
        colours = [c for c, _ in legend]
        assert len(set(colours)) == len(colours), (path, legend)
        closest = min(math.dist(_lab(a), _lab(b)) for a, b in itertools.combinations(colours, 2))
        assert closest >= 14, (path, closest)
    fills = [*PALETTE, EMPTY]
    assert min(math.dist(_lab(a), _lab(b)) for a, b in itertools.combinations(fills, 2)) >= 25
    referentie = [c for c, _ in _legend(client.get("/lagen/referentieregio").text)]
    assert len(referentie) == 16 and len(set(referentie)) == 16  # 15 regions, each its own colour, and 'niet gedekt'


ENGLISH = {
    "the", "and", "with", "from", "which", "this", "that", "were", "been", "unknown", "missing", "error", "found",
    "covers", "only", "both", "left", "out", "single", "source", "not", "for", "are", "page", "layer", "region",
    "yes", "none", "true", "false", "members", "municipalities",
}  # fmt: skip
# Dutch words written with a hyphen: they are words, not codes
DUTCH_COMPOUNDS = {"niet-bindend", "bpost-postcodelijst", "cultureel-erfgoedconvenant", "e-mailadres"}


def _visible_dutch_text(page: str) -> str:
    """What a reader sees as Dutch text: without scripts, styles, maps, code, form options' values, and the
    parts marked as English (lang="en") or as code."""
    page = re.sub(r"<(script|style|svg|code|pre|head)[^>]*>.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r'<([a-z]+)[^>]*lang="en"[^>]*>.*?</\1>', " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_no_page_shows_a_code_or_english_outside_marked_quotations(client: TestClient) -> None:
    layers = [x["laag"]["id"] for x in client.get("/lagen.json").json()["lagen"]]
    paths = [
        "/", "/gemeenten/gent", "/gemeenten/buggenhout?op=2024-06-30", "/samenwerkingsverbanden/interleuven",
        "/samenwerkingsverbanden/dijk92", "/organisaties/brugge", "/regios/elz/amalo", "/analyse", "/analyse/passing",
        "/analyse/lagen", "/analyse/gemeenten", "/analyse/hiaten", "/analyse/netwerk", "/samenwerkingsverbanden",
        "/organisaties", "/rechtsvormen", "/rechtsvormen/projectvereniging",
        "/rechtsvormen/keuzehulp?doel=project&middelen=ja&overdracht=nee&privaat=nee&duur=kort&partners=gemeenten",
        "/aandachtspunten", "/zoeken?q=westhoek", "/wijzigingen", "/nieuwsbrief", "/cultuur", "/over", "/catalogus",
        "/lagen", "/bestaat-niet", "/lagen/atlantis", *[f"/lagen/{x}" for x in layers],
        "/gemeenten/pajottegem/dossier?op=2025-06-30",
    ]  # fmt: skip
    problems = {}
    for path in paths:
        text = _visible_dutch_text(client.get(path).text)
        codes = set(re.findall(r"(?<![\w@./-])[a-z]+(?:-[a-z]+)+(?![\w@./-])", text)) - DUTCH_COMPOUNDS
        english = {w for w in re.findall(r"(?<![\w-])[A-Za-z]+(?![\w-])", text) if w.lower() in ENGLISH}
        codes |= set(re.findall(r"(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-])", text))  # a day is written in words
        if codes or english:
            problems[path] = (sorted(codes)[:5], sorted(english)[:5])
    wrong_method = _visible_dutch_text(client.post("/gemeenten/gent").text)
    assert not {w for w in re.findall(r"[A-Za-z]+", wrong_method) if w.lower() in ENGLISH}
    assert problems == {}
    # the API reference documents codes (they are its subject), but its prose is Dutch, the English marked
    api = _visible_dutch_text(client.get("/api").text)
    assert not {w for w in re.findall(r"(?<![\w-])[A-Za-z]+(?![\w-])", api) if w.lower() in ENGLISH - {"none"}}


def test_a_layer_is_not_shown_for_days_before_it_existed(client: TestClient) -> None:
    old = client.get("/gemeenten/buggenhout.json?op=2018-01-01").json()
    assert "referentieregio" not in old["lagen"] and "bovenlokale-cultuur" not in old["lagen"]
    assert {x["laag"]: x["sinds"] for x in old["lagen_nog_niet"]} == {
        "referentieregio": "2021-03-12",
        "bovenlokale-cultuur": "2020-01-01",
    }
    assert "referentieregio" in client.get("/gemeenten/buggenhout.json?op=2021-03-12").json()["lagen"]
    assert "bestond nog niet: sinds 12 maart 2021" in client.get("/gemeenten/buggenhout?op=2018-01-01").text
    layer = client.get("/lagen/referentieregio.json?op=2021-03-11").json()
    assert layer["regios"] == [] and layer["laag_details"]["bestond_nog_niet"]["sinds"] == "2021-03-12"
    assert "Deze laag bestond op 11 maart 2021 nog niet" in client.get("/lagen/referentieregio?op=2021-03-11").text
    assert len(client.get("/lagen/referentieregio.json?op=2021-03-12").json()["regios"]) == 15
    region = client.get("/regios/referentieregio/denderregio.json?op=2018-01-01").json()
    assert region["gemeenten"] == [] and region["laag_bestond_nog_niet"]


def test_a_role_reads_the_same_on_the_pages_and_in_the_api(client: TestClient) -> None:
    assert set(ROLE_LABELS) == {r.value for r in Role}
    api = client.get("/api/v1/lidmaatschappen?rol=participant&limiet=5").json()
    assert api["resultaten"] and {x["rol_label"] for x in api["resultaten"]} == {"deelnemer"}
    gent = client.get("/gemeenten/gent.json").json()
    words = {w for s in gent["rubrieken"] for x in s["leden"] for w in x["rollen"]}
    assert "deelnemer" in words and "participant" not in words
