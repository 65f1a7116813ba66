"""Reconciliation on constructed cases: name keys, municipalities to LBLOD gemeenten, regions to LBLOD
organisations, slugs, and legal succession through mergers (the real-data cases are in test_register.py)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from igsatlas.domain import classifications as cls
from igsatlas.domain.model import (
    ChangeEventParty,
    Dataset,
    Layer,
    Membership,
    Municipality,
    Organisation,
    Role,
    Status,
)
from igsatlas.ingest.lblod import LblodData
from igsatlas.ingest.names import name_key, name_variants
from igsatlas.ingest.reconcile import assign_slugs, build_regions, derive_successions, link_municipalities
from igsatlas.ingest.regions import LayerRow

MERGER = date(2025, 1, 1)
PV = cls.classification_for("Projectvereniging", None)
GEMEENTE = cls.classification_for("Gemeente", None)
assert PV is not None and GEMEENTE is not None


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("PZ Assenede/Evergem", "assenedeevergem"),
        ("PZ Assenede - Evergem", "assenedeevergem"),
        ("Politiezone ASSENEDE-EVERGEM", "assenedeevergem"),
        ("Erfgoedcel Kempens Karakter", "kempenskarakter"),
        ("Brandweer Zone Centrum", "centrum"),
        ("Zuidrand & Pajottenland", "zuidrandenpajottenland"),
        ("IGS Leie en Schelde", "leieenschelde"),
        ("Cultuurregio Meetjesland: de regio", "meetjesland"),  # what follows a colon is a description
        ("Erfgoedcel Mechelen (kunststad)", "mechelen"),  # words in brackets are no part of the key
        ("Sint-Niklaas", "sintniklaas"),
        ("Herk-de-Stad", "herkdestad"),
        ("Zelé", "zele"),  # accents fall away
        ("Politiezone", ""),  # only generic words: no key
    ],
)
def test_a_name_key_keeps_the_distinctive_words_only(written: str, key: str) -> None:
    assert name_key(written) == key


def test_name_variants_take_each_alternative_in_brackets_and_the_slug() -> None:
    assert name_variants("CO7 (CultuurOverleg Zeven)") == {"co7", "cultuuroverlegzeven"}
    assert name_variants("Westhoek (later IJzer en Polder; formerly Vleteren)", "west-hoek") == {
        "westhoek",
        "ijzerenpolder",
        "vleteren",
    }
    assert name_variants("Erfgoedcel", "erfgoedcel") == set()  # nothing distinctive: matches nothing


def _org(id: str, name: str, classification: str = "projectvereniging", **known: object) -> Organisation:
    return Organisation.bare(id, name, classification, "test", "lblod", **{"status": Status.ACTIVE, **known})


def _municipality(nis: str, name: str, *, to: date | None = None, successor: str | None = None) -> Municipality:
    return Municipality(
        nis=nis,
        slug=cls.slugify(name),
        name=name,
        province="Limburg",
        region="Vlaanderen",
        valid_from=None,
        valid_to=to,
        successor_nis=successor,
        organisation_id=None,
        in_set_2019_2024=to is not None or nis != "71072",
        in_set_2025=to is None,
        name_statbel=None,
        source="test",
    )


def test_a_municipality_gets_its_gemeente_or_the_one_that_continues_through_its_merger() -> None:
    hasselt, genk = _org("hasselt", "Hasselt", "gemeente"), _org("genk", "Genk", "gemeente")
    lblod = LblodData(
        organisations=[hasselt, genk],
        gemeente_by_nis={"71072": "hasselt", "71016": "genk"},
        # Hasselt 71022 merged into Hasselt 71072 and the gemeente goes on; Genk 71016 took part in no merger
        parties=[ChangeEventParty("fusie", "hasselt", "voor", None), ChangeEventParty("fusie", "hasselt", "na", None)],
    )
    municipalities = [
        _municipality("71022", "Hasselt", to=MERGER, successor="71072"),
        _municipality("71072", "Hasselt"),
        _municipality("71016", "Genk"),
        _municipality("71099", "Nergensdorp", to=MERGER, successor="71016"),  # its successor did not go on
    ]
    linked, issues = link_municipalities(municipalities, lblod)
    assert {m.nis: m.organisation_id for m in linked} == {
        "71022": "hasselt",
        "71072": "hasselt",
        "71016": "genk",
        "71099": None,
    }
    assert [(i.code, i.message) for i in issues] == [
        ("unmatched-municipality", "Nergensdorp (71099) has no gemeente in the LBLOD snapshot.")
    ]


def _row(layer: str, key: str, name: str, nis: str, line: int = 2) -> LayerRow:
    return LayerRow(line, layer, key, name, "X", nis, "2024", date(2024, 1, 1), "https://example.org", None, None, None)


def _layer(id: str) -> Layer:
    return Layer(id, "", None, 1, 1, 1, 0, "", "", "", False)


def test_a_region_links_to_the_one_active_organisation_of_its_name_or_stays_a_region_of_its_own() -> None:
    lblod = LblodData(
        organisations=[
            _org("kerf-oud", "k.ERF", status=Status.INACTIVE),
            _org("kerf", "Erfgoedcel k.ERF"),
            _org("zuid-a", "Zuidrand"),
            _org("zuid-b", "De Zuidrand"),  # another key: not a candidate
            _org("twee-a", "Tweeling"),
            _org("twee-b", "IGS Tweeling"),  # two active organisations with one key: ambiguous
        ]
    )
    rows = [
        _row("erfgoedcel", "kerf", "Erfgoedcel k.ERF", "13001"),
        _row("erfgoedcel", "zuidrand", "Erfgoedcel Zuidrand", "23002"),
        _row("uitpas", "tweeling", "UiTPAS Tweeling", "44021", line=7),
        _row("vervoerregio", "gent", "Gent", "44021"),  # a planning layer: never linked
    ]
    layers = [_layer(x) for x in ("erfgoedcel", "uitpas", "vervoerregio")]
    regions, own, _, issues = build_regions(layers, rows, lblod)
    assert {(r.layer_id, r.key): (r.organisation_id, r.linked) for r in regions} == {
        ("erfgoedcel", "kerf"): ("kerf", True),
        ("erfgoedcel", "zuidrand"): ("zuid-a", True),
        ("uitpas", "tweeling"): ("regio-uitpas-tweeling", False),
        ("vervoerregio", "gent"): ("regio-vervoerregio-gent", False),
    }
    assert {o.id for o in own} == {"regio-uitpas-tweeling", "regio-vervoerregio-gent"}
    assert [(i.code, i.line) for i in issues] == [("unlinked-region", 7)]
    assert "matches several LBLOD organisation(s)" in issues[0].message


def test_on_a_slug_clash_the_active_organisation_keeps_the_name() -> None:
    orgs = [
        _org("b-old", "Haviland", status=Status.INACTIVE),
        _org("a-new", "Haviland"),
        _org("c-region", "Haviland", "regio"),
        _org("d-old2", "Haviland", status=Status.INACTIVE),
    ]
    slugs = {o.id: o.slug for o in assign_slugs(orgs)}
    assert slugs == {
        "a-new": "haviland",
        "c-region": "haviland-regio",
        "b-old": "haviland-projectvereniging",
        "d-old2": "haviland-d-old2",
    }


def _membership(id: str, org: str, member: str, nis: str | None, **period: date | None) -> Membership:
    return Membership(
        id=id,
        organisation_id=org,
        member_id=member,
        member_nis=nis,
        role=Role.PARTICIPANT,
        valid_from=period.get("start"),
        valid_to=period.get("end"),
        source="test",
        source_date=None,
        source_date_text=None,
        derived_from=None,
        layer_id=None,
        note=None,
        origin="lblod",
    )


def _landscape(*memberships: Membership, extra: list[Organisation] | None = None) -> Dataset:
    """Borsbeek (11007) and Wommelgem (11052) merged into Antwerpen (11002) on 1 January 2025 (constructed)."""
    municipalities = [
        dataclasses.replace(_municipality("11002", "Antwerpen"), organisation_id="antwerpen"),
        dataclasses.replace(
            _municipality("11007", "Borsbeek", to=MERGER, successor="11002"), organisation_id="borsbeek"
        ),
        dataclasses.replace(
            _municipality("11052", "Wommelgem", to=MERGER, successor="11002"), organisation_id="wommelgem"
        ),
    ]
    orgs = [_org(m.organisation_id or "", m.name, "gemeente") for m in municipalities]
    orgs += [_org("igs", "Igean"), _org("stopped", "Gestopt", valid_to=date(2024, 6, 1))]
    return Dataset(
        classifications=[PV, GEMEENTE, cls.REGION],
        municipalities=municipalities,
        organisations=orgs + (extra or []),
        memberships=list(memberships),
    )


def test_the_successor_takes_over_a_membership_from_the_day_of_the_merger() -> None:
    data = _landscape(_membership("m1", "igs", "borsbeek", "11007"))
    [derived] = derive_successions(data)
    assert (derived.member_id, derived.member_nis, derived.organisation_id) == ("antwerpen", "11002", "igs")
    assert (derived.valid_from, derived.valid_to, derived.derived_from, derived.origin) == (
        MERGER,
        None,
        "m1",
        "derived",
    )
    assert derived.note == "Afgeleid: rechtsopvolging na fusie op 1 januari 2025, van Borsbeek"


def test_two_predecessors_give_one_derived_membership_naming_both() -> None:
    data = _landscape(
        _membership("m1", "igs", "borsbeek", "11007"),
        _membership("m2", "igs", "wommelgem", "11052", start=date(2020, 1, 1)),
    )
    [derived] = derive_successions(data)
    assert derived.derived_from == "m1"
    assert derived.note == "Afgeleid: rechtsopvolging na fusie op 1 januari 2025, van Borsbeek; ook van Wommelgem"


@pytest.mark.parametrize(
    "why",
    ["successor already a member", "membership ended before", "structure ended before", "not a cooperation"],
)
def test_no_succession_where_the_law_gives_none(why: str) -> None:
    borsbeek = _membership("m1", "igs", "borsbeek", "11007")
    cases = {
        "successor already a member": [borsbeek, _membership("own", "igs", "antwerpen", "11002")],
        "membership ended before": [dataclasses.replace(borsbeek, valid_to=date(2023, 1, 1))],
        "structure ended before": [dataclasses.replace(borsbeek, organisation_id="stopped")],
        "not a cooperation": [dataclasses.replace(borsbeek, organisation_id="wommelgem")],
    }
    assert derive_successions(_landscape(*cases[why])) == []


def test_a_membership_that_ends_after_the_merger_passes_on_until_its_end() -> None:
    end = date(2026, 1, 1)
    [derived] = derive_successions(_landscape(_membership("m1", "igs", "borsbeek", "11007", end=end)))
    assert (derived.valid_from, derived.valid_to) == (MERGER, end)


def test_an_organisation_merged_by_a_change_event_passes_its_memberships_to_the_result() -> None:
    """Two projectverenigingen merge (LBLOD change event); a membership of the old one in a structure passes on."""
    old = _org("pv-old", "Oud", valid_to=date(2024, 7, 1))
    new = _org("pv-new", "Nieuw")
    data = _landscape(_membership("m1", "igs", "pv-old", None), extra=[old, new])
    data.event_parties = [
        ChangeEventParty("e1", "pv-old", "voor", None),
        ChangeEventParty("e1", "pv-new", "na", Status.ACTIVE),
    ]
    [derived] = derive_successions(data)
    assert (derived.member_id, derived.member_nis, derived.valid_from) == ("pv-new", None, date(2024, 7, 1))
    data.memberships.append(_membership("m2", "igs", "pv-new", None))  # already a member in its own right
    assert derive_successions(data) == []
