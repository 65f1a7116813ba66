"""Ranking on small indexes made here (no imported register): what each word adds, and that no word filters."""

from __future__ import annotations

from datetime import date

import pytest

from igsatlas.search import Entry, Index, normalise, search

GENT, LEUVEN, BRUGGE, GOOIK, PAJOTTEGEM, GEEL, MOL = "44021", "24062", "31005", "23024", "23106", "13008", "13040"


def body(title: str, url: str, kinds: set[str], places: set[str] = frozenset(), **more: object) -> Entry:  # type: ignore[assignment]
    kind = more.pop("kind", "samenwerkingsverband")
    detail = more.pop("detail", "Samenwerkingsverband, actief")
    names = more.pop("names", (normalise(title),))
    return Entry(
        kind=str(kind),
        title=title,
        detail=str(detail),
        url=url,
        names=tuple(names),  # type: ignore[arg-type]
        kinds=frozenset(kinds),
        places=frozenset(places),
        **more,  # type: ignore[arg-type]
    )


def town(name: str, nis: str, *, rank: int = 0, now: str | None = None) -> Entry:
    here = {nis, now} if now else {nis}
    slug = normalise(name).replace(" ", "-")
    return body(name, f"/gemeenten/{slug}", set(), here, kind="gemeente", detail="Gemeente", codes=(nis,), rank=rank)


@pytest.fixture(scope="module")
def index() -> Index:
    entries = [
        town("Gent", GENT),
        town("Leuven", LEUVEN),
        town("Brugge", BRUGGE),
        town("Gooik", GOOIK, rank=1, now=PAJOTTEGEM),
        town("Pajottegem", PAJOTTEGEM),
        town("Sint-Niklaas", "46021"),
        body("PZ Gent: Gent", "/s/pz-gent", {"politiezone", "zone"}, {GENT}),
        body("PZ Gent-Oud", "/s/pz-gent-oud", {"politiezone", "zone"}, {GENT}, rank=1),
        body("HVZ Oost-Vlaams-Brabant", "/s/hvz-ovb", {"hulpverleningszone", "zone"}, {LEUVEN}),
        body("HVZ Centrum", "/s/hvz-centrum", {"hulpverleningszone", "zone"}, {GENT}),
        body("Brugge", "/o/brugge", {"ocmw", "lokaal-bestuur"}, {BRUGGE}, kind="organisatie", detail="OCMW, actief"),
        body("Mintus (Zorgvereniging Brugge)", "/s/mintus", {"welzijnsvereniging"}, {BRUGGE}),
        body("Audio", "/s/audio", {"welzijnsvereniging"}, {BRUGGE, GENT}),
        body("Interleuven", "/s/interleuven", {"dienstverlenende-vereniging", "igs"}, {LEUVEN}, codes=("0205774810",)),
        body("TMVW", "/s/tmvw", {"opdrachthoudende-vereniging", "igs"}, {GENT}, themes=("distributie water",)),
        body("IOK Afvalbeheer", "/s/iok", {"opdrachthoudende-vereniging", "igs"}, {GEEL, MOL}, themes=("afval",)),
        body("IVAGO", "/s/ivago", {"opdrachthoudende-vereniging", "igs"}, {GENT}, themes=("afval",)),
        body("Water-link", "/s/water-link", {"opdrachthoudende-vereniging", "igs"}, {"11002"}),
        body("Dijk92", "/s/dijk92", {"projectvereniging", "igs"}, {"42006"}),
        body("PZ Pajottenland", "/s/pz-pajottenland", {"politiezone", "zone"}, {PAJOTTEGEM}),
        body("Kempen", "/r/referentieregio/kempen", {"regio", "laag:referentieregio"}, {GEEL, MOL}, kind="regio"),
        body(
            "Erfgoedcellen",
            "/lagen/erfgoedcel",
            {"laag:erfgoedcel"},
            kind="laag",
            names=("erfgoedcellen", "erfgoedcel"),
        ),
        body("Erfgoedcel Gent", "/r/erfgoedcel/gent", {"regio", "laag:erfgoedcel"}, {GENT}, kind="regio"),
    ]
    places = {"gent": frozenset({GENT}), "leuven": frozenset({LEUVEN}), "brugge": frozenset({BRUGGE})}
    places |= {"gooik": frozenset({GOOIK, PAJOTTEGEM}), "pajottegem": frozenset({PAJOTTEGEM})}
    places |= {"sint niklaas": frozenset({"46021"})}
    return Index.of(entries, places, {"kempen": frozenset({GEEL, MOL})}, date(2025, 6, 30))


def first(index: Index, query: str, n: int = 1) -> list[str]:
    return [h.entry.url for h in search(index, query).ranked[:n]]


def test_a_kind_word_with_a_place_finds_what_serves_it_whatever_its_name(index: Index) -> None:
    assert first(index, "brandweer leuven") == ["/s/hvz-ovb"]
    assert first(index, "politie gent") == ["/s/pz-gent"]  # in force before the ended zone
    assert first(index, "politie gent", 2)[1] == "/s/pz-gent-oud"


def test_a_kind_word_with_a_city_puts_the_citys_own_body_of_that_kind_first(index: Index) -> None:
    found = first(index, "ocmw brugge", 3)
    assert found[0] == "/o/brugge" and "/s/mintus" in found  # the OCMW, then the care associations


def test_an_extra_word_raises_or_lowers_but_never_empties(index: Index) -> None:
    assert first(index, "intercommunale interleuven") == ["/s/interleuven"]
    assert first(index, "igs interleuven leuven") == ["/s/interleuven"]
    assert first(index, "interleuven onbestaandwoord") == ["/s/interleuven"]


def test_themes_and_regions_are_read_for_what_they_mean(index: Index) -> None:
    assert first(index, "water gent") == ["/s/tmvw"]
    assert first(index, "afval gent") == ["/s/ivago"]
    assert first(index, "afval kempen") == ["/s/iok"]  # a region that is no municipality is a place


def test_a_theme_nothing_serves_there_leads_to_the_places_own_page(index: Index) -> None:
    assert first(index, "water leuven") == ["/gemeenten/leuven"]
    assert "/gemeenten/gent" not in first(index, "politie gent", 10)  # the zone answers; the city is no answer


def test_a_former_municipality_leads_to_todays(index: Index) -> None:
    assert first(index, "gooik", 2) == ["/gemeenten/gooik", "/gemeenten/pajottegem"]
    assert first(index, "politie gooik") == ["/s/pz-pajottenland"]


def test_a_layer_word_alone_puts_the_layer_page_first_and_beside_a_place_the_region(index: Index) -> None:
    assert first(index, "erfgoedcel") == ["/lagen/erfgoedcel"]
    assert first(index, "erfgoedcellen") == ["/lagen/erfgoedcel"]
    assert first(index, "erfgoedcel gent") == ["/r/erfgoedcel/gent"]


@pytest.mark.parametrize(
    ("query", "url"),
    [
        ("interleuvn", "/s/interleuven"),  # a letter dropped
        ("intreleuven", "/s/interleuven"),  # two swapped
        ("interle", "/s/interleuven"),  # typing
        ("INTERLEUVEN", "/s/interleuven"),
        ("St.-Niklaas", "/gemeenten/sint-niklaas"),
        ("st niklaas", "/gemeenten/sint-niklaas"),
        ("Sint Niklaas", "/gemeenten/sint-niklaas"),
        ("waterlink", "/s/water-link"),  # one word for two
        ("dijk 92", "/s/dijk92"),  # two words for one
        ("0205.774.810", "/s/interleuven"),
        ("BE 205 774 810", "/s/interleuven"),
        ("44021", "/gemeenten/gent"),
    ],
)
def test_what_people_type_is_folded_corrected_and_completed(index: Index, query: str, url: str) -> None:
    assert first(index, query) == [url]


def test_a_corrected_word_is_said_and_a_query_of_unknown_words_gets_the_closest_names(index: Index) -> None:
    results = search(index, "interleuvn")
    assert results.corrections == {"interleuvn": "interleuven"}
    assert first(index, "ivagoo gnt zzq") == ["/s/ivago"]
    closest = search(index, "oostvlaamsbrabnt")
    assert closest.closest and closest.ranked[0].entry.url == "/s/hvz-ovb"
    assert search(index, "qqqqqq").count == 0  # the page then links to the lists (see test_search.py)


def test_a_kind_alone_lists_every_body_of_that_kind_after_its_layer(index: Index) -> None:
    found = [h.entry.url for h in search(index, "politie").ranked]
    assert set(found) >= {"/s/pz-gent", "/s/pz-gent-oud", "/s/pz-pajottenland"}
    assert found.index("/s/pz-gent") < found.index("/s/pz-gent-oud")  # in force first
