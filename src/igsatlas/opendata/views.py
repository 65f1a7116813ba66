"""The register's records as the typed models of models.py: pure conversions, no database and no cache.

The open register (register.py) finds the records of a day; these functions shape them for the API, the library
(``atlas.api``), ``igs show --json`` and the bulk downloads, so those cannot disagree.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any
from urllib.parse import quote

from igsatlas.analysis.fit import VERDICT_LABELS
from igsatlas.analysis.report import Analysis
from igsatlas.domain.classifications import organisation_path
from igsatlas.domain.identifiers import format_kbo
from igsatlas.domain.labels import ROLE_LABELS, description_of, title_of
from igsatlas.domain.model import Membership, Municipality, Organisation
from igsatlas.legal.reference import Reference
from igsatlas.legal.rules import Finding
from igsatlas.opendata import models as m
from igsatlas.state.view import RegisterView
from igsatlas.store.registration import Registration, iso_moment

LBLOD_MEMBERSHIP = "http://data.lblod.info/id/lidmaatschap/"
API = "/api/v1"
# How a theme is known, in the API's words (a derived theme says which rule found it).
EVIDENCE = {"source": "bron", "name": "naam", "layer": "laag", "classification": "soort", "name-rule": "naam"}


class Uris:
    """Linked-data URIs: the register's own where a record came from it, ours under the base URI otherwise."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")

    def organisation(self, o: Organisation) -> str:
        return o.uri or f"{self.base}/id/organisatie/{quote(o.id, safe='')}"

    def membership(self, ms: Membership) -> str:
        if ms.origin == "lblod":
            return LBLOD_MEMBERSHIP + ms.id
        return f"{self.base}/id/lidmaatschap/{quote(ms.id, safe='')}"

    def municipality(self, nis: str) -> str:
        return f"{self.base}/id/gemeente/{nis}"

    def layer(self, layer_id: str) -> str:
        return f"{self.base}/id/laag/{layer_id}"

    def region(self, layer_id: str, key: str) -> str:
        return f"{self.base}/id/regio/{layer_id}/{quote(key, safe='')}"

    def theme(self, uri: str) -> str:
        return uri

    def atlas(self) -> str:
        return f"{self.base}/id/atlas"


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _number(value: Any) -> float | None:
    try:
        found = float(value)
    except (TypeError, ValueError):
        return None
    return found if found == found else None  # NaN is not JSON


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
    kind = s.classifications.get(o.classification)
    # Built from the register's own typed records: no validation needed (the tests check the schema).
    return m.OrganisatieKort.model_construct(
        id=o.id,
        naam=o.name,
        classificatie=o.classification,
        classificatie_label=kind.label if kind else o.classification,
        familie=kind.family.value if kind else "overig",
        status=o.status.value if o.status else None,
        kbo=format_kbo(o.kbo) if o.kbo else None,
        uri=uris.organisation(o),
        url=organisation_path(o.classification, o.slug),
        api=f"{API}/organisaties/{quote(o.id, safe='')}",
    )


def municipality_brief(x: Municipality) -> m.GemeenteKort:
    return m.GemeenteKort.model_construct(nis=x.nis, naam=x.name, url=f"/gemeenten/{x.slug}")


def municipality(x: Municipality, uris: Uris) -> m.Gemeente:
    return m.Gemeente.model_construct(
        nis=x.nis,
        naam=x.name,
        url=f"/gemeenten/{x.slug}",
        provincie=x.province,
        gewest=x.region,
        geldig_van=_iso(x.valid_from),
        geldig_tot=_iso(x.valid_to),
        opvolger_nis=x.successor_nis,
        organisatie_id=x.organisation_id,
        in_set_2019_2024=x.in_set_2019_2024,
        in_set_2025=x.in_set_2025,
        uri=uris.municipality(x.nis),
        api=f"{API}/gemeenten/{x.nis}",
    )


def membership(s: RegisterView, ms: Membership, uris: Uris) -> m.Lidmaatschap:
    nis = s.member_municipality.get(ms.id)
    muni = s.municipalities.get(nis) if nis else None
    return m.Lidmaatschap.model_construct(
        id=ms.id,
        uri=uris.membership(ms),
        organisatie=brief(s, s.organisations[ms.organisation_id], uris),
        lid=brief(s, s.organisations[ms.member_id], uris),
        gemeente=municipality_brief(muni) if muni else None,
        rol=ms.role.value,
        rol_label=ROLE_LABELS.get(ms.role.value, ms.role.value),
        geldig_van=_iso(ms.valid_from),
        geldig_tot=_iso(ms.valid_to),
        laag=ms.layer_id,
        afgeleid=ms.derived_from is not None,
        afgeleid_van=ms.derived_from,
        herkomst=ms.origin,
        bron=m.Bron.model_construct(bron=ms.source, datum=ms.source_date_text or _iso(ms.source_date)),
        opmerking=ms.note,
        bron_datum=_iso(ms.source_date),
        **registration(s.registered.memberships.get(ms.id), ("role", "valid_from", "valid_to")),
    )


# -- one organisation


def organisation(s: RegisterView, o: Organisation, uris: Uris, findings: list[Finding]) -> m.Organisatie:
    """The whole record of ``o`` on the snapshot's day, with the findings about it."""
    members = s.members_of.get(o.id, [])
    return m.Organisatie(
        **brief(s, o, uris).model_dump(),
        juridische_naam=o.legal_name,
        alternatieve_namen=s.names.get(o.id, []),
        ovo=o.ovo,
        adres=m.Adres(
            straat=o.street,
            huisnummer=o.house_number,
            bus=o.box,
            postcode=o.postcode,
            gemeente=o.address_municipality,
            provincie=o.address_province,
            land=o.country,
            volledig=o.full_address,
        ),
        telefoon=o.phone,
        email=o.email,
        website=o.website,
        werkingsgebied=o.werkingsgebied,
        geldig_van=_iso(o.valid_from),
        geldig_tot=_iso(o.valid_to),
        oprichtingsdatum=_iso(o.founding_date),
        geplande_einddatum=_iso(o.planned_end_date),
        herkomst=o.origin,
        bron=m.Bron(bron=o.source, datum=_iso(o.source_date)),
        themas=[
            m.ThemaKort(
                uri=x.theme_uri,
                label=s.themes[x.theme_uri].label if x.theme_uri in s.themes else x.theme_uri,
                bewijs=EVIDENCE.get(x.evidence_type, "naam"),
                bron=x.source,
            )
            for x in sorted(s.organisation_themes.get(o.id, []), key=lambda x: x.theme_uri)
        ],
        regio_van=[m.RegioVan(laag=r.layer_id, sleutel=r.key, naam=r.name) for r in s.regions_of.get(o.id, [])],
        aantal_leden=len({x.member_id for x in members}),
        bevindingen=[finding(x) for x in findings],
        bron_datum=_iso(o.source_date),
        **registration(s.registered.organisations.get(o.id), ("name", "status", "valid_from", "valid_to")),
    )


def finding(x: Finding) -> m.Bevinding:
    return m.Bevinding(
        regel=x.rule,
        titel=x.title,
        organisatie_id=x.subject,
        oordeel=x.status,
        ernst=x.severity,
        boodschap=x.message,
        gecontroleerd=x.checked,
        zekerheid=x.confidence,
        artikels=list(x.refs),
    )


# -- layers, regions, themes, classifications


def layers(s: RegisterView) -> list[m.Laag]:
    return [
        m.Laag(
            id=x.id,
            titel=title_of(x),
            beschrijving=description_of(x),
            rechtsgrond=x.rechtsgrond if x.beschrijving else x.legal_basis,
            aantal_regios=x.n_regions,
            aantal_gemeenten=x.n_municipalities,
            volledig=x.complete,
            volledigheid=x.volledigheid or x.completeness_note,
            bronnen=x.sources,
            url=f"/lagen/{x.id}",
            api=f"{API}/lagen/{x.id}",
        )
        for x in sorted(s.layers.values(), key=lambda x: x.id)
    ]


def regions(s: RegisterView, layer_id: str, uris: Uris) -> list[m.Regio]:
    members: dict[str, set[str]] = {}
    for ms in s.memberships:
        nis = s.member_municipality.get(ms.id)
        if ms.layer_id == layer_id and nis:
            members.setdefault(ms.organisation_id, set()).add(nis)
    return [
        m.Regio(
            laag=r.layer_id,
            sleutel=r.key,
            naam=r.name,
            organisatie_id=r.organisation_id,
            gekoppeld=r.linked,
            gemeenten=sorted(members.get(r.organisation_id, set())),
            uri=uris.region(r.layer_id, r.key),
        )
        for r in s.regions
        if r.layer_id == layer_id
    ]


def themes(s: RegisterView) -> list[m.Thema]:
    counts = Counter(x.theme_uri for found in s.organisation_themes.values() for x in found)
    return [
        m.Thema(uri=x.uri, label=x.label, aantal_organisaties=counts.get(x.uri, 0))
        for x in sorted(s.themes.values(), key=lambda x: x.label)
    ]


def classifications(s: RegisterView) -> list[m.Classificatie]:
    counts = Counter(o.classification for o in s.organisations.values())
    return [
        m.Classificatie(code=c.code, label=c.label, familie=c.family.value, uri=c.uri, aantal=counts.get(c.code, 0))
        for c in sorted(s.classifications.values(), key=lambda c: c.code)
    ]


# -- the legal guide


def legal_forms(reference: Reference) -> list[m.Rechtsvorm]:
    out = []
    for form in reference.forms.values():
        facts = [
            m.Feit(
                sleutel=key,
                waarde=fact.value,
                artikels=[
                    m.Artikel(artikel=r.article, wet=r.law, bevestigd=r.confirmed, label=r.label()) for r in fact.refs
                ],
                bronnen=list(fact.sources),
                zekerheid=fact.confidence,
                bevestigd=fact.confirmed,
                opmerking=fact.note,
            )
            for key, fact in form.facts.items()
        ]
        out.append(
            m.Rechtsvorm(
                id=form.id,
                naam=form.name,
                categorie=form.category,
                feiten=facts,
                url=f"/rechtsvormen/{form.id.replace('_', '-')}",
            )
        )
    return sorted(out, key=lambda x: x.id)


# -- analyses


def fits(a: Analysis) -> list[m.Passing]:
    return [
        m.Passing(
            id=f["id"],
            naam=f["naam"],
            soort=f["soort"],
            laag=f["laag"],
            leden=f["leden"],
            beste_regio=f["beste_regio"],
            aandeel_in_beste_regio=f["aandeel_in_beste_regio"],
            oordeel=f["oordeel"],
            oordeel_label=VERDICT_LABELS[f["oordeel"]],
        )
        for f in sorted(a.fits(), key=lambda f: f["id"])
    ]


def agreements(a: Analysis) -> list[m.LaagOvereenkomst]:
    return [
        m.LaagOvereenkomst(
            laag_a=c["a"],
            laag_b=c["b"],
            gedeelde_gemeenten=c["gedeeld"],
            ari=_number(c["ari"]),
            nvi=_number(c["nvi"]),
        )
        for c in a.layer_matrix()["cellen"]
    ]


def network(a: Analysis) -> m.Netwerk:
    doc = a.network()
    return m.Netwerk(
        gemeenten=doc["gemeenten"],
        verbindingen=int(doc["verbindingen"]),
        gemeenschappen=doc["gemeenschappen"],
        gemeenschap_per_gemeente={k: int(v) for k, v in doc["gemeenschap_per_gemeente"].items()},
        ari_met_referentieregio=_number(doc["vergelijking_met_referentieregio"]["ari"]),
        bijna_dezelfde_leden=[
            m.BijnaDezelfde(a=x["a"], b=x["b"], jaccard=float(x["jaccard"])) for x in doc["bijna_dezelfde_leden"]
        ],
    )
