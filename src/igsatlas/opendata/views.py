"""The register's records as the typed models of models.py: pure conversions, no database and no cache.

The open register (register.py) finds the records of a day; these functions shape them for the API, the library
(``atlas.api``), ``igs show --json`` and the bulk downloads, so those cannot disagree. One record becomes its model
in records.py, which the pages' JSON twins use too.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from igsatlas.analysis.report import Analysis
from igsatlas.domain.labels import description_of, title_of
from igsatlas.domain.model import Membership, Organisation
from igsatlas.legal.findings import Finding
from igsatlas.legal.reference import Reference
from igsatlas.opendata import models as m
from igsatlas.opendata import records
from igsatlas.opendata.records import Uris
from igsatlas.state.view import RegisterView
from igsatlas.store.registration import Registration, iso_moment

# Dutch names of the facts whose registration is told apart (store/registration.py FACTS)
FACT_NAMES = {"name": "naam", "status": "status", "role": "rol", "valid_from": "geldig_van", "valid_to": "geldig_tot"}


def registration(found: Registration | None, columns: tuple[str, ...]) -> dict[str, Any]:
    """The registration fields of an organisation or membership (all null for a record the log does not name)."""
    if found is None:
        return {
            "geregistreerd_sinds": None,
            "geregistreerd_bron": None,
            "geregistreerd_tot": None,
            "geregistreerd_per_feit": None,
        }
    facts = {FACT_NAMES[c]: found.of(c) for c in columns}
    return {
        "geregistreerd_sinds": found.since.iso(),
        "geregistreerd_bron": found.since.source,
        "geregistreerd_tot": iso_moment(found.until) if found.until else None,
        "geregistreerd_per_feit": {
            k: m.Registratie.model_construct(sinds=r.iso(), bron=r.source) for k, r in facts.items()
        },
    }


# -- short forms


def brief(s: RegisterView, o: Organisation, uris: Uris) -> m.OrganisatieKort:
    return records.organisation_brief(o, s.classifications.get(o.classification), uris)


def membership(s: RegisterView, ms: Membership, uris: Uris) -> m.Lidmaatschap:
    nis = s.member_municipality.get(ms.id)
    muni = s.municipalities.get(nis) if nis else None
    organisation = brief(s, s.organisations[ms.organisation_id], uris)
    return records.membership(
        ms,
        organisation,
        brief(s, s.organisations[ms.member_id], uris),
        muni,
        uris,
        bron_datum=records.iso(ms.source_date),
        **registration(s.registered.memberships.get(ms.id), ("role", "valid_from", "valid_to")),
    )


# -- one organisation


def organisation(s: RegisterView, o: Organisation, uris: Uris, findings: list[Finding]) -> m.Organisatie:
    """The whole record of ``o`` on the snapshot's day, with the findings about it."""
    members = s.members_of.get(o.id, [])
    return records.organisation(
        o,
        brief(s, o, uris),
        names=s.names.get(o.id, []),
        themes=[
            (s.themes[x.theme_uri].label if x.theme_uri in s.themes else x.theme_uri, x)
            for x in s.organisation_themes.get(o.id, [])
        ],
        regions=s.regions_of.get(o.id, []),
        members=len({x.member_id for x in members}),
        findings=findings,
        bron_datum=records.iso(o.source_date),
        **registration(s.registered.organisations.get(o.id), ("name", "status", "valid_from", "valid_to")),
    )


# -- layers, regions, themes, classifications


def layers(s: RegisterView) -> list[m.Laag]:
    return [records.layer(x, title_of(x), description_of(x)) for x in sorted(s.layers.values(), key=lambda x: x.id)]


def regions(s: RegisterView, layer_id: str, uris: Uris) -> list[m.Regio]:
    members: dict[str, set[str]] = {}
    for ms in s.memberships:
        nis = s.member_municipality.get(ms.id)
        if ms.layer_id == layer_id and nis:
            members.setdefault(ms.organisation_id, set()).add(nis)
    return [
        records.region(r, sorted(members.get(r.organisation_id, set())), uris)
        for r in s.regions
        if r.layer_id == layer_id
    ]


def themes(s: RegisterView) -> list[m.Thema]:
    counts = Counter(x.theme_uri for found in s.organisation_themes.values() for x in found)
    return [
        m.Thema(uri=x.uri, label=x.label, aantal_organisaties=counts.get(x.uri, 0))
        for x in sorted(s.themes.values(), key=lambda x: (x.label, x.uri))
    ]


def classifications(s: RegisterView) -> list[m.Classificatie]:
    counts = Counter(o.classification for o in s.organisations.values())
    return [
        m.Classificatie(code=c.code, label=c.label, familie=c.family.value, uri=c.uri, aantal=counts.get(c.code, 0))
        for c in sorted(s.classifications.values(), key=lambda c: c.code)
    ]


# -- the legal guide


def legal_forms(reference: Reference) -> list[m.Rechtsvorm]:
    return sorted((records.legal_form(form) for form in reference.forms.values()), key=lambda x: x.id)


# -- analyses


def fits(a: Analysis) -> list[m.Passing]:
    return [records.fit(f) for f in sorted(a.fits(), key=lambda f: f["id"])]


def agreements(a: Analysis) -> list[m.LaagOvereenkomst]:
    return [records.layer_agreement(c) for c in a.layer_matrix()["cellen"]]


def network(a: Analysis) -> m.Netwerk:
    return records.network(a.network())
