"""Pieces shared by the documents: short forms of records, links, days."""

from __future__ import annotations

from datetime import date
from typing import Any

from igsatlas.domain.boundary_sets import BOUNDARY_SETS as BOUNDARY_SETS
from igsatlas.domain.boundary_sets import MERGER_DAY as MERGER_DAY
from igsatlas.domain.boundary_sets import vintage as vintage
from igsatlas.domain.classifications import organisation_path
from igsatlas.domain.identifiers import format_kbo
from igsatlas.domain.labels import ROLE_LABELS as ROLE_LABELS
from igsatlas.domain.model import Classification, Family, Membership, Municipality, Organisation

STATUS_LABELS = {"actief": "actief", "niet-actief": "niet actief", "in-oprichting": "in oprichting"}


def iso(d: date | None) -> str | None:
    """A day as ISO text; an unknown day stays null (shown as 'onbekend'), never a guess."""
    return d.isoformat() if d else None


def municipality_url(m: Municipality) -> str:
    return f"/gemeenten/{m.slug}"


def organisation_url(o: Organisation) -> str:
    return organisation_path(o.classification, o.slug)


def municipality_brief(m: Municipality) -> dict[str, Any]:
    return {
        "nis": m.nis,
        "naam": m.name,
        "provincie": m.province,
        "gewest": m.region,
        "geldig_van": iso(m.valid_from),
        "geldig_tot": iso(m.valid_to),
        "url": municipality_url(m),
    }


def organisation_brief(o: Organisation, kind: Classification | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": o.id,
        "naam": o.name,
        "classificatie": o.classification,
        "status": o.status.value if o.status else None,
        "kbo": format_kbo(o.kbo) if o.kbo else None,
        "url": organisation_url(o),
    }
    if kind is not None:
        doc["soort"] = kind.label
        doc["rechtsvorm"] = kind.label if kind.family == Family.IGS else None
    return doc


def membership_facts(ms: Membership) -> dict[str, Any]:
    return {
        "rol": ms.role.value,
        "sinds": iso(ms.valid_from),
        "tot": iso(ms.valid_to),
        "afgeleid": ms.derived_from is not None,
        "afgeleid_van": ms.derived_from,
        "laag": ms.layer_id,
        "bron": ms.source,
        "brondatum": ms.source_date_text or iso(ms.source_date),
        "opmerking": ms.note,
    }


_KIND_WORDS = {"ocmw": "OCMW", "peva": "PEVA", "agb": "AGB", "regio": "regio van een laag"}


def kind_label(code: str) -> str:
    """A classification code as words ('autonoom-gemeentebedrijf' -> 'Autonoom gemeentebedrijf')."""
    words = [_KIND_WORDS.get(w, w) for w in code.split("-")]
    text = " ".join(words)
    return text[0].upper() + text[1:] if text else text
