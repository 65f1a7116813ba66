"""Pieces shared by the documents: short forms of records, links, days."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from igsatlas.domain.boundary_sets import BOUNDARY_SETS as BOUNDARY_SETS
from igsatlas.domain.boundary_sets import MERGER_DAY as MERGER_DAY
from igsatlas.domain.boundary_sets import vintage as vintage
from igsatlas.domain.classifications import organisation_path
from igsatlas.domain.identifiers import format_kbo
from igsatlas.domain.labels import ROLE_LABELS as ROLE_LABELS
from igsatlas.domain.model import Classification, Family, Membership, Municipality, Organisation
from igsatlas.domain.periods import in_words
from igsatlas.store.registration import DERIVED, Recorded, Registration, iso_moment

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


# The file or edit a registration came from, in a word a page can show in brackets.
SOURCE_WORDS = {
    "lblod/organisations.nt.gz": "OP",
    "regions/memberships.csv": "regiolaag",
    "published/cooperations.csv": "publieke webpagina",
    DERIVED: "afgeleid bij de fusie",
}


def source_word(source: str) -> str:
    """``lblod/organisations.nt.gz`` -> "OP", ``edit:12`` -> "redactie, wijziging 12"."""
    if source.startswith("edit:"):
        return f"redactie, wijziging {source.split(':', 1)[1]}"
    if source.startswith("Organisatieportaal "):
        return "OP"
    return SOURCE_WORDS.get(source, source)


def _recorded(found: Recorded) -> str:
    return f"{in_words(found.at.date())} ({source_word(found.source)})"


def membership_clocks(memberships: Sequence[Membership], registered: Mapping[str, Registration]) -> dict[str, Any]:
    """The two clocks of one member's memberships, kept apart: when it held (valid time, or "niet gekend") and
    when and whence the atlas recorded it (registration time), in the sentence a page shows ("lid sinds: niet
    gekend · in het register sinds 24 juli 2026 (OP)"); and, between the two, the newest day a source attests it
    ("lid volgens een bron van 13 december 2023")."""
    starts = [ms.valid_from for ms in memberships]
    ends = [ms.valid_to for ms in memberships]
    attested = max((ms.source_date for ms in memberships if ms.source_date), default=None)
    found = [registered[ms.id] for ms in memberships if ms.id in registered]
    first = min(found, key=lambda r: r.since.at) if found else None
    parts = [
        f"lid sinds {in_words(min(d for d in starts if d))}" if all(starts) and starts else "lid sinds: niet gekend"
    ]
    if ends and all(ends):
        parts.append(f"lid tot {in_words(max(d for d in ends if d))}")
    registration = []
    if first is not None:
        registration.append(f"in het register sinds {_recorded(first.since)}")
        dated = max((r.of(c) for r in found for c in ("valid_from", "valid_to")), key=lambda x: x.at)
        if dated.at > first.since.at:  # the days came later, from another source (an accepted edit)
            registration.append(f"datums in het register sinds {_recorded(dated)}")
    gone = [r.until for r in found if r.until]
    return {
        "in_het_register": " · ".join(registration) or None,
        "volgens_een_bron": f"lid volgens een bron van {in_words(attested)}" if attested else None,
        "bron_datum": iso(attested),
        "geregistreerd_sinds": first.since.iso() if first else None,
        "geregistreerd_bron": first.since.source if first else None,
        "geregistreerd_tot": iso_moment(max(gone)) if gone and len(gone) == len(found) else None,
        "klokken": " · ".join(parts + registration),
    }


_KIND_WORDS = {"ocmw": "OCMW", "peva": "PEVA", "agb": "AGB", "regio": "regio van een laag"}


def kind_label(code: str) -> str:
    """A classification code as words ('autonoom-gemeentebedrijf' -> 'Autonoom gemeentebedrijf')."""
    words = [_KIND_WORDS.get(w, w) for w in code.split("-")]
    text = " ".join(words)
    return text[0].upper() + text[1:] if text else text
