"""The samenwerkingsverband page: any organisation, its identifiers, themes, members and their regions."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import Connection

from igsatlas.documents.common import (
    STATUS_LABELS,
    iso,
    membership_facts,
    municipality_brief,
    municipality_url,
    organisation_brief,
    vintage,
)
from igsatlas.domain import classifications as cls
from igsatlas.domain.model import Family
from igsatlas.domain.relations import Member
from igsatlas.store import queries, relations


def _member(x: Member) -> dict[str, Any]:
    return {
        "lid": organisation_brief(x.organisation),
        "gemeente": municipality_brief(x.municipality) if x.municipality else None,
        **membership_facts(x.membership),
    }


def organisation_document(conn: Connection, org_id_or_slug: str, day: date, *, by_slug: bool = False) -> dict[str, Any]:
    org = (
        queries.organisation_by_slug(conn, org_id_or_slug)
        if by_slug
        else queries.find_organisation(conn, org_id_or_slug)
    )
    kinds = queries.classifications(conn)
    kind = kinds[org.classification]
    members = relations.members(conn, org.id, day)
    municipal = [m for m in members if m.municipality is not None]
    reference = relations.layer_assignment(conn, "referentieregio", day)
    region_names = {r.key: r.name for r in queries.regions(conn, "referentieregio")}
    per_region = Counter(key for m in municipal for key in reference.get(m.municipality.nis, []))  # type: ignore[union-attr]
    regions_of = [
        {"sleutel": key, "naam": region_names.get(key, key), "gemeenten": n, "url": "/lagen/referentieregio"}
        for key, n in per_region.most_common()
    ]
    themes = queries.themes_of(conn, org.id)
    gemeente = queries.municipality_of_organisation(conn, org.id, day) if org.classification == cls.GEMEENTE else None
    in_layers = [
        {"laag": r.layer_id, "sleutel": r.key, "naam": r.name, "url": f"/lagen/{r.layer_id}"}
        for r in queries.regions_of_organisation(conn, org.id)
    ]
    sources = sorted(
        {(m.membership.source, m.membership.source_date_text or iso(m.membership.source_date) or "") for m in members}
    )
    return {
        "op": day.isoformat(),
        "organisatie": {
            **organisation_brief(org, kind),
            "uri": org.uri,
            "familie": kind.family.value,
            "is_igs": kind.family == Family.IGS,
            "status_label": STATUS_LABELS.get(org.status.value) if org.status else None,
            "kbo_opmerking": org.kbo_note,
            "ovo": org.ovo,
            "nis": org.nis,
            "andere_namen": queries.alternative_names(conn, org.id),
            "adres": org.full_address,
            "telefoon": org.phone,
            "email": org.email,
            "website": org.website,
            "werkingsgebied": org.werkingsgebied,
            "werkingsgebied_niveau": org.werkingsgebied_level,
            "geldig_van": iso(org.valid_from),
            "geldig_tot": iso(org.valid_to),
            "bron": org.source,
            "brondatum": iso(org.source_date),
        },
        "gemeente_url": municipality_url(gemeente) if gemeente else None,
        "themas": [
            {
                "thema": label,
                "bewijs": t.evidence_type,
                "toelichting": t.evidence,
                "bron": t.source,
                "brondatum": t.source_date_text,
            }
            for label, t in themes
        ],
        "regio_in_lagen": in_layers,
        "leden": [_member(x) for x in members],
        "aantal_gemeenten": len({m.municipality.nis for m in municipal}),  # type: ignore[union-attr]
        "referentieregios_van_leden": regions_of,
        "kaart": {
            "set": vintage(day),
            "leden": sorted({m.municipality.nis for m in municipal}),  # type: ignore[union-attr]
        },
        "bronnen": [{"bron": org.source, "datum": iso(org.source_date)}]
        + [{"bron": s, "datum": d or None} for s, d in sources if s != org.source],
    }
