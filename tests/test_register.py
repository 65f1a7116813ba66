"""The register built from the real data: counts, layers, identities and time."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from conftest import layer_rows
from igsatlas.atlas import Atlas
from igsatlas.domain.identifiers import ORGANISATION_ID_LENGTH
from igsatlas.store import queries

BEFORE, AFTER = date(2024, 6, 30), date(2025, 6, 30)


def readme_counts(data_dir: Path) -> dict[tuple[str, str], int]:
    """The table 'Counts per classification and status' of lblod/README.md."""
    text = (data_dir / "lblod" / "README.md").read_text("utf-8")
    section = text.split("## Counts per classification and status", 1)[1].split("\n\n", 2)[1]
    counts = {}
    for line in section.splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        counts[(cells[0], cells[1])] = int(cells[2])
    return counts


def test_counts_per_classification_equal_the_lblod_readme(atlas: Atlas, data_dir: Path) -> None:
    expected = readme_counts(data_dir)
    assert len(expected) == 38
    status_label = {
        "actief": "Actief",
        "niet-actief": "Niet Actief",
        "in-oprichting": "In oprichting",
        None: "(none)",
    }
    with atlas.connect() as conn:
        found = {
            (label, status_label[status]): n
            for code, label, status, n in queries.counts_by_classification(conn, origin="lblod")
        }
    assert found == expected


@pytest.mark.parametrize(("day", "count"), [(date(2024, 12, 31), 300), (date(2025, 1, 1), 285)])
def test_flemish_municipalities_per_day(atlas: Atlas, day: date, count: int) -> None:
    assert len(atlas.municipalities(day)) == count


def test_brussels_municipalities_are_there_too(atlas: Atlas) -> None:
    brussels = atlas.municipalities(AFTER, region="Brussel")
    assert len(brussels) == 19
    assert "Elsene" in {m.name for m in brussels}


@pytest.mark.parametrize("layer", ["referentieregio", "vervoerregio", "elz", "politiezone"])
def test_every_municipality_in_exactly_one_region_in_2025(atlas: Atlas, layer: str) -> None:
    assignment = atlas.layer_assignment(layer, date(2025, 6, 1))
    assert len(assignment) == 285
    assert Counter(len(keys) for keys in assignment.values()) == {1: 285}


@pytest.mark.parametrize("layer", ["referentieregio", "vervoerregio", "elz"])
def test_two_snapshot_layers_cover_the_300_of_2024(atlas: Atlas, layer: str) -> None:
    assignment = atlas.layer_assignment(layer, date(2024, 6, 1))
    assert Counter(len(keys) for keys in assignment.values()) == {1: 300}


def test_layer_regions_follow_the_snapshot_of_their_years(atlas: Atlas) -> None:
    # Ranst moved from ELZ Pallieterland to Voorkempen between the two snapshots.
    ranst = atlas.municipality("Ranst").nis
    assert atlas.layer_assignment("elz", BEFORE)[ranst] != atlas.layer_assignment("elz", AFTER)[ranst]
    # Kruibeke was in vervoerregio Waasland; as part of Beveren-Kruibeke-Zwijndrecht it is in Antwerpen.
    assert atlas.layer_assignment("vervoerregio", BEFORE)["46013"] == ["waasland"]
    assert atlas.layer_assignment("vervoerregio", AFTER)["46030"] == ["antwerpen"]


def test_gent_lies_in_its_regions(atlas: Atlas) -> None:
    regions = {
        c.membership.layer_id: c.region.key
        for c in atlas.cooperations("Gent", date(2025, 6, 1))
        if c.region is not None
    }
    assert regions["referentieregio"] == "regio-gent"
    assert regions["vervoerregio"] == "gent"
    assert regions["elz"] == "gent"
    assert regions["politiezone"] == "pz-gent"
    assert regions["hulpverleningszone"] == "centrum"


def test_police_zone_region_is_the_lblod_zone(atlas: Atlas) -> None:
    regions = {r.key: r for r in atlas.regions("politiezone")}
    gent = atlas.organisation(regions["pz-gent"].organisation_id)
    assert gent.classification == "politiezone"
    assert gent.uri is not None and gent.uri.startswith("http://data.lblod.info/")
    assert sum(r.linked for r in regions.values()) >= 95
    members = {m.municipality.name for m in atlas.members(gent.id, AFTER) if m.municipality}
    assert members == {"Gent"}
    carma = next(r for r in regions.values() if r.key == "pz-carma")
    assert {m.municipality.name for m in atlas.members(carma.organisation_id, AFTER) if m.municipality} >= {
        "Genk",
        "As",
        "Oudsbergen",
        "Zutendaal",
        "Houthalen-Helchteren",
        "Bocholt",
        "Bree",
        "Kinrooi",
    }


def test_all_emergency_zones_are_linked(atlas: Atlas) -> None:
    assert all(r.linked for r in atlas.regions("hulpverleningszone"))
    assert len(atlas.regions("hulpverleningszone")) == 20


def test_old_and_new_municipality_codes_are_one_gemeente(atlas: Atlas) -> None:
    # Hasselt 71022 absorbed Kortessem and became 71072; LBLOD keeps one organisation for both.
    old, new = atlas.municipality("71022"), atlas.municipality("71072")
    assert old.organisation_id == new.organisation_id is not None
    assert atlas.municipality("Hasselt", BEFORE).nis == "71022"
    assert atlas.municipality("Hasselt", AFTER).nis == "71072"


def test_members_differ_across_the_2025_mergers(atlas: Atlas) -> None:
    before = {m.municipality.name: m for m in atlas.members("Haviland", BEFORE) if m.municipality}
    after = {m.municipality.name: m for m in atlas.members("Haviland", AFTER) if m.municipality}
    assert {"Galmaarden", "Gooik", "Herne"} <= set(before)
    assert "Pajottegem" not in before
    assert not {"Galmaarden", "Gooik", "Herne"} & set(after)
    pajottegem = after["Pajottegem"].membership
    assert pajottegem.derived_from is not None
    assert pajottegem.valid_from == date(2025, 1, 1)
    assert "Galmaarden" in (pajottegem.note or "")


def test_new_municipality_takes_over_its_predecessors_cooperations(atlas: Atlas) -> None:
    assert atlas.cooperations("Pajottegem", BEFORE) == []
    after = atlas.cooperations("Pajottegem", AFTER)
    igs = {c.organisation.name for c in after if c.classification.family == "igs"}
    assert {"Haviland", "Cipal"} <= igs
    assert all(c.derived for c in after if c.classification.family == "igs")


def test_merged_municipality_has_nothing_after_its_merger(atlas: Atlas) -> None:
    assert atlas.cooperations("Galmaarden", AFTER) == []
    assert len(atlas.cooperations("Galmaarden", BEFORE)) >= 10


def test_old_layer_rows_are_shown_for_the_successor(atlas: Atlas) -> None:
    # Bovenlokale cultuur lists the pre-2025 municipalities; Lokeren (46029) inherits Moerbeke's rows.
    after = atlas.cooperations("Nazareth-De Pinte", AFTER)
    derived_layers = {c.membership.layer_id for c in after if c.derived and c.membership.layer_id}
    assert derived_layers, "expected layer memberships derived from De Pinte and Nazareth"


def test_lookup_by_kbo_with_or_without_dots(atlas: Atlas) -> None:
    assert atlas.organisation("0205.774.810").name == "Interleuven"
    assert atlas.organisation("0205774810").name == "Interleuven"


def test_known_source_defects_are_kept_and_flagged(atlas: Atlas) -> None:
    stub = atlas.organisation("894c9265-c1fe-4db3-a5d7-104f34f2cf18")
    assert stub.kbo == "0680397589"
    assert stub.kbo_note is not None and "mod 97" in stub.kbo_note
    assert stub.status is None


def test_unknown_dates_stay_unknown(atlas: Atlas) -> None:
    for m in atlas.members("Interleuven", AFTER):
        assert m.membership.valid_from is None
        assert m.membership.valid_to is None


def test_stats_lists_what_could_not_be_matched(atlas: Atlas) -> None:
    with atlas.connect() as conn:
        issues = queries.import_issues(conn)
    codes = Counter(i.code for i in issues)
    assert codes["unresolved-municipality"] == sum(int(r["unresolved_rows"]) for r in layer_rows()) == 26
    assert any("Lovendegem" in i.message for i in issues)
    assert all(re.match(r"^[a-z-]+$", i.code) for i in issues)


def test_rows_the_data_compiler_derived_are_shown_as_derived(atlas: Atlas) -> None:
    # regions/memberships.csv writes the cultural layers on the old municipalities; its 2025 rows are derived.
    after = [c for c in atlas.cooperations("Pajottegem", AFTER) if c.membership.layer_id]
    compiled = [c for c in after if (c.membership.note or "").startswith("2025 set, DERIVED.")]
    assert compiled, "expected rows the compiler derived through the merger map"
    assert all(c.derived and c.membership.derived_from == "bron:fusiekaart" for c in compiled)
    stated = [c for c in atlas.cooperations("Gent", AFTER) if c.membership.layer_id == "referentieregio"]
    assert stated and not any(c.derived for c in stated)


def test_every_organisation_id_fits_its_column(atlas: Atlas) -> None:
    """The schema holds ids of up to 80 characters (PostgreSQL enforces it); a layer region's name can be longer."""
    with atlas.connect() as conn:
        ids = [o.id for o in queries.organisations(conn)]
    assert max(map(len, ids)) <= ORGANISATION_ID_LENGTH
    assert any(i.startswith("regio-bibliotheeknetwerk-regiobib-bonheiden-duffel-lier-putte") for i in ids)
