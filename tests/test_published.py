"""Cooperations that public pages name (published/cooperations.csv): interlokale verenigingen and others."""

from __future__ import annotations

from datetime import date

from starlette.testclient import TestClient

from igsatlas.atlas import Atlas
from igsatlas.store import queries

DAY = date(2024, 6, 30)


def _members(atlas: Atlas, name: str, day: date = DAY) -> set[str]:
    return {m.municipality.name for m in atlas.members(name, day) if m.municipality}


def test_sportregio_pajottenland_is_one_ilv_with_its_ten_municipalities(atlas: Atlas) -> None:
    org = atlas.organisation("ILV Sportregio Pajottenland")
    assert org.classification == "interlokale-vereniging"
    assert org.origin == "published"
    members = _members(atlas, "ILV Sportregio Pajottenland")
    assert len(members) == 10
    assert {"Galmaarden", "Gooik", "Herne", "Lennik", "Affligem"} <= members
    # from 2025 Galmaarden, Gooik and Herne pass to Pajottegem
    after = _members(atlas, "ILV Sportregio Pajottenland", date(2025, 6, 30))
    assert "Pajottegem" in after and "Galmaarden" not in after


def test_name_variants_are_one_organisation_with_alternative_names(atlas: Atlas) -> None:
    with atlas.connect() as conn:
        noorderkempen = queries.find_organisation(conn, "Sportregio Noorderkempen")
        assert queries.find_organisation(conn, "SRNK ILV").id == noorderkempen.id
        assert queries.find_organisation(conn, "Sportregio Noorderkempen ILV").id == noorderkempen.id
    # one page calls it an ILV: the form is stated, so it is used
    assert noorderkempen.classification == "interlokale-vereniging"


def test_a_cooperation_the_note_says_has_ended_is_shown_as_ended(atlas: Atlas) -> None:
    westhoek = atlas.organisation("interlokale vereniging Westhoekpersoneel")
    assert westhoek.status == "niet-actief" and westhoek.valid_to == date(2018, 1, 1)
    midwest = atlas.organisation("Interlokale Vereniging (ILV) Associatie Midwest")
    assert midwest.classification == "interlokale-vereniging" and midwest.status == "niet-actief"


def test_no_form_stated_means_no_guess(atlas: Atlas) -> None:
    assert atlas.organisation("Hartje Hageland Oost").classification == "rechtsvorm-niet-vermeld"


def test_cooperations_the_register_holds_are_linked_not_doubled(atlas: Atlas) -> None:
    with atlas.connect() as conn:
        issues = [i for i in queries.import_issues(conn) if i.code == "linked-to-existing"]
        kempens = queries.find_organisation(conn, "Kempens Karakter")
    assert kempens.origin == "lblod"
    assert any(i.message.startswith("Kempens Karakter ->") for i in issues)
    assert len(issues) == 7


def test_published_ilvs_are_found_under_every_written_name(client: TestClient) -> None:
    for query, expected in (
        ("Sportregio Pajottenland", "/samenwerkingsverbanden/ilv-sportregio-pajottenland"),
        ("SRNK", "/samenwerkingsverbanden/sportregio-noorderkempen"),
        ("Associatie Midwest", "/samenwerkingsverbanden/interlokale-vereniging-ilv-associatie-midwest"),
    ):
        found = client.get("/zoeken.json", params={"q": query}).json()
        urls = [r["url"] for r in found["resultaten"]]  # best first, as the page lists them
        assert expected in urls[:3], (query, urls[:5])


def test_a_published_membership_says_where_and_when_it_was_published(client: TestClient) -> None:
    doc = client.get("/samenwerkingsverbanden/ilv-sportregio-pajottenland.json", params={"op": "2024-06-30"}).json()
    text = str(doc)
    assert "Gepubliceerd op de website van" in text
    assert "ongedateerde pagina bewijst deelname ooit, niet vandaag" in text or "bewijst deelname op" in text
