"""The register's records as the contract's models: the one place where a record becomes its model.

The API (views.py), ``igs show --json``, the library and the pages' JSON twins (documents/) all shape an
organisation in brief, a municipality, a membership, a finding, a region, a layer, a legal form and the analyses'
results (a structure's fit, two layers' agreement, the network) here, so a fact has one name and one shape
everywhere. Pure conversions: no database, no cache, no snapshot.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import quote

from igsatlas.analysis.fit import VERDICT_LABELS
from igsatlas.domain.classifications import organisation_path
from igsatlas.domain.identifiers import format_kbo
from igsatlas.domain.labels import ROLE_LABELS as ROLE_LABELS
from igsatlas.domain.model import (
    Classification,
    Layer,
    Membership,
    Municipality,
    Organisation,
    OrganisationTheme,
    Region,
)
from igsatlas.legal.findings import Finding
from igsatlas.legal.reference import Form
from igsatlas.opendata import models as m

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


def iso(d: date | None) -> str | None:
    """A day as ISO text; an unknown day stays null, never a guess."""
    return d.isoformat() if d else None


def organisation_brief(o: Organisation, kind: Classification | None, uris: Uris) -> m.OrganisatieKort:
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
        geldig_van=iso(x.valid_from),
        geldig_tot=iso(x.valid_to),
        opvolger_nis=x.successor_nis,
        organisatie_id=x.organisation_id,
        in_set_2019_2024=x.in_set_2019_2024,
        in_set_2025=x.in_set_2025,
        uri=uris.municipality(x.nis),
        api=f"{API}/gemeenten/{x.nis}",
    )


def source(ms: Membership) -> m.Bron:
    return m.Bron.model_construct(bron=ms.source, datum=ms.source_date_text or iso(ms.source_date))


def membership(
    ms: Membership,
    organisation: m.OrganisatieKort,
    member: m.OrganisatieKort,
    gemeente: Municipality | None,
    uris: Uris,
    **extra: Any,
) -> m.Lidmaatschap:
    """``gemeente``: the municipality that is the member, as it was on the day (None for another member);
    ``extra``: the API's registration fields (views.registration), where the caller knows them."""
    return m.Lidmaatschap.model_construct(
        id=ms.id,
        uri=uris.membership(ms),
        organisatie=organisation,
        lid=member,
        gemeente=municipality_brief(gemeente) if gemeente else None,
        rol=ms.role.value,
        rol_label=ROLE_LABELS.get(ms.role.value, ms.role.value),
        geldig_van=iso(ms.valid_from),
        geldig_tot=iso(ms.valid_to),
        laag=ms.layer_id,
        afgeleid=ms.derived_from is not None,
        afgeleid_van=ms.derived_from,
        herkomst=ms.origin,
        bron=source(ms),
        opmerking=ms.note,
        **extra,
    )


def theme(label: str, x: OrganisationTheme) -> m.ThemaKort:
    return m.ThemaKort.model_construct(
        uri=x.theme_uri, label=label, bewijs=EVIDENCE.get(x.evidence_type, "naam"), bron=x.source
    )


def organisation(
    o: Organisation,
    brief: m.OrganisatieKort,
    *,
    names: list[str],
    themes: list[tuple[str, OrganisationTheme]],
    regions: list[Region],
    members: int,
    findings: list[Finding],
    **extra: Any,
) -> m.Organisatie:
    """The whole record of ``o`` on a day: ``themes`` as (label, evidence), ``members`` how many it has;
    ``extra``: the API's registration fields (views.registration), where the caller knows them."""
    return m.Organisatie(
        **brief.model_dump(),
        juridische_naam=o.legal_name,
        alternatieve_namen=names,
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
        geldig_van=iso(o.valid_from),
        geldig_tot=iso(o.valid_to),
        oprichtingsdatum=iso(o.founding_date),
        geplande_einddatum=iso(o.planned_end_date),
        herkomst=o.origin,
        bron=m.Bron(bron=o.source, datum=iso(o.source_date)),
        themas=[theme(label, x) for label, x in sorted(themes, key=lambda t: t[1].theme_uri)],
        regio_van=[region_of(r) for r in regions],
        aantal_leden=members,
        bevindingen=[finding(x) for x in findings],
        **extra,
    )


def finding(x: Finding) -> m.Bevinding:
    return m.Bevinding.model_construct(
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


def region_of(r: Region) -> m.RegioVan:
    return m.RegioVan.model_construct(laag=r.layer_id, sleutel=r.key, naam=r.name)


def region(r: Region, municipalities: list[str], uris: Uris) -> m.Regio:
    """``municipalities``: the NIS codes of the region's municipalities on the day."""
    return m.Regio.model_construct(
        laag=r.layer_id,
        sleutel=r.key,
        naam=r.name,
        organisatie_id=r.organisation_id,
        gekoppeld=r.linked,
        gemeenten=municipalities,
        uri=uris.region(r.layer_id, r.key),
    )


def layer(x: Layer, title: str, description: str) -> m.Laag:
    """``title`` and ``description``: the layer's Dutch words (documents/layer.py knows them)."""
    return m.Laag.model_construct(
        id=x.id,
        titel=title,
        beschrijving=description,
        rechtsgrond=x.rechtsgrond if x.beschrijving else x.legal_basis,
        aantal_regios=x.n_regions,
        aantal_gemeenten=x.n_municipalities,
        volledig=x.complete,
        volledigheid=x.volledigheid or x.completeness_note,
        bronnen=x.sources,
        url=f"/lagen/{x.id}",
        api=f"{API}/lagen/{x.id}",
    )


def legal_form(form: Form) -> m.Rechtsvorm:
    """A legal form of the reference with its facts, their articles and how sure they are."""
    return m.Rechtsvorm(
        id=form.id,
        naam=form.name,
        categorie=form.category,
        feiten=[
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
        ],
        url=f"/rechtsvormen/{form.id.replace('_', '-')}",
    )


# -- the analyses: their rows as analysis/report.py gives them


def number(value: Any) -> float | None:
    """A measure as a number; one that cannot be computed (None, NaN) is null, since NaN is not JSON."""
    try:
        found = float(value)
    except (TypeError, ValueError):
        return None
    return found if found == found else None


def fit(f: Mapping[str, Any]) -> m.Passing:
    """One row of ``Analysis.fits()``: how a structure fits the reference regions."""
    return m.Passing(
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


def layer_agreement(cell: Mapping[str, Any]) -> m.LaagOvereenkomst:
    """One cell of ``Analysis.layer_matrix()``: how well two layers agree."""
    return m.LaagOvereenkomst(
        laag_a=cell["a"],
        laag_b=cell["b"],
        gedeelde_gemeenten=cell["gedeeld"],
        ari=number(cell["ari"]),
        nvi=number(cell["nvi"]),
    )


def network(doc: Mapping[str, Any]) -> m.Netwerk:
    """``Analysis.network()``: the network of municipalities and its communities."""
    return m.Netwerk(
        gemeenten=doc["gemeenten"],
        verbindingen=int(doc["verbindingen"]),
        gemeenschappen=doc["gemeenschappen"],
        gemeenschap_per_gemeente={k: int(v) for k, v in doc["gemeenschap_per_gemeente"].items()},
        ari_met_referentieregio=number(doc["vergelijking_met_referentieregio"]["ari"]),
        bijna_dezelfde_leden=[
            m.BijnaDezelfde(a=x["a"], b=x["b"], jaccard=float(x["jaccard"])) for x in doc["bijna_dezelfde_leden"]
        ],
    )
