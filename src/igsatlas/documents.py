"""JSON documents of the register's answers, shared by `igs show --json` and the web's .json twins."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from igsatlas.atlas import Atlas
from igsatlas.domain.identifiers import format_kbo
from igsatlas.domain.model import Family, Membership, Municipality, Organisation
from igsatlas.domain.relations import Involvement, Member
from igsatlas.store import queries

UNKNOWN = None  # unknown dates are null in JSON, never guessed


def _day(d: date | None) -> str | None:
    return d.isoformat() if d else UNKNOWN


def municipality_brief(m: Municipality) -> dict[str, Any]:
    return {
        "nis": m.nis,
        "naam": m.name,
        "provincie": m.province,
        "gewest": m.region,
        "geldig_van": _day(m.valid_from),
        "geldig_tot": _day(m.valid_to),
    }


def organisation_brief(o: Organisation) -> dict[str, Any]:
    return {
        "id": o.id,
        "naam": o.name,
        "classificatie": o.classification,
        "status": o.status.value if o.status else None,
        "kbo": format_kbo(o.kbo) if o.kbo else None,
    }


def membership_facts(ms: Membership) -> dict[str, Any]:
    return {
        "rol": ms.role.value,
        "sinds": _day(ms.valid_from),
        "tot": _day(ms.valid_to),
        "afgeleid": ms.derived_from is not None,
        "afgeleid_van": ms.derived_from,
        "laag": ms.layer_id,
        "bron": ms.source,
        "brondatum": ms.source_date_text or _day(ms.source_date),
        "opmerking": ms.note,
    }


def _involvement(i: Involvement) -> dict[str, Any]:
    return {
        **organisation_brief(i.organisation),
        "rechtsvorm": i.classification.label if i.classification.family == Family.IGS else None,
        "soort": i.classification.label,
        "regio": {"laag": i.region.layer_id, "sleutel": i.region.key} if i.region else None,
        **membership_facts(i.membership),
    }


def municipality_document(atlas: Atlas, name_or_nis: str, day: date) -> dict[str, Any]:
    with atlas.connect() as conn:
        muni = queries.find_municipality(conn, name_or_nis, day)
        items = queries.involvements(conn, muni, day) if muni.period.contains(day) else []
        successor = queries.municipality(conn, muni.successor_nis) if muni.successor_nis else None
        before = queries.predecessors(conn, muni.nis)
        gemeente = queries.organisation(conn, muni.organisation_id) if muni.organisation_id else None
    layers: dict[str, list[dict[str, Any]]] = defaultdict(list)
    zones: dict[str, list[dict[str, Any]]] = defaultdict(list)
    cooperations = []
    for i in items:
        doc = _involvement(i)
        if i.membership.layer_id:
            layers[i.membership.layer_id].append(doc)
        elif i.classification.family == Family.ZONE:
            zones[i.organisation.classification].append(doc)
        elif i.classification.family in (Family.IGS, Family.OCMW_ASSOCIATION):
            cooperations.append(doc)
    for zone in ("politiezone", "hulpverleningszone"):
        zones[zone].extend(x for x in layers.get(zone, []) if x["id"] not in {z["id"] for z in zones[zone]})
    return {
        "op": day.isoformat(),
        "gemeente": municipality_brief(muni),
        "bestaat_op_deze_dag": muni.period.contains(day),
        "lblod_organisatie": organisation_brief(gemeente) if gemeente else None,
        "voorgangers": [municipality_brief(p) for p in before],
        "opvolger": municipality_brief(successor) if successor else None,
        "politiezone": zones.get("politiezone", []),
        "hulpverleningszone": zones.get("hulpverleningszone", []),
        "lagen": dict(sorted(layers.items())),
        "samenwerkingsverbanden": cooperations,
    }


def _member(x: Member) -> dict[str, Any]:
    return {
        "lid": organisation_brief(x.organisation),
        "gemeente": municipality_brief(x.municipality) if x.municipality else None,
        **membership_facts(x.membership),
    }


def organisation_document(atlas: Atlas, text: str, day: date) -> dict[str, Any]:
    with atlas.connect() as conn:
        org = queries.find_organisation(conn, text)
        members = queries.members(conn, org.id, day)
        kinds = queries.classifications(conn)
    kind = kinds[org.classification]
    return {
        "op": day.isoformat(),
        "organisatie": {
            **organisation_brief(org),
            "uri": org.uri,
            "soort": kind.label,
            "familie": kind.family.value,
            "rechtsvorm": kind.label if kind.family == Family.IGS else None,
            "kbo_opmerking": org.kbo_note,
            "ovo": org.ovo,
            "nis": org.nis,
            "adres": org.full_address,
            "telefoon": org.phone,
            "email": org.email,
            "website": org.website,
            "werkingsgebied": org.werkingsgebied,
            "geldig_van": _day(org.valid_from),
            "geldig_tot": _day(org.valid_to),
            "bron": org.source,
            "brondatum": _day(org.source_date),
        },
        "leden": [_member(x) for x in members],
    }
