"""Pieces shared by the documents: the shared objects as the API's models (records.py), links, days."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from igsatlas.domain.boundary_sets import BOUNDARY_SETS as BOUNDARY_SETS
from igsatlas.domain.boundary_sets import MERGER_DAY as MERGER_DAY
from igsatlas.domain.boundary_sets import vintage as vintage
from igsatlas.domain.classifications import organisation_path
from igsatlas.domain.labels import ROLE_LABELS as ROLE_LABELS
from igsatlas.domain.model import Classification, Membership, Municipality, Organisation
from igsatlas.domain.periods import in_words
from igsatlas.legal.findings import Finding
from igsatlas.opendata import records
from igsatlas.opendata.records import Uris as Uris
from igsatlas.opendata.records import iso as iso
from igsatlas.opendata.views import registration as registration_fields
from igsatlas.store.registration import DERIVED, Recorded, Registration, iso_moment

STATUS_LABELS = {"actief": "actief", "niet-actief": "niet actief", "in-oprichting": "in oprichting"}


def municipality_url(m: Municipality) -> str:
    return f"/gemeenten/{m.slug}"


def organisation_url(o: Organisation) -> str:
    return organisation_path(o.classification, o.slug)


# The shared objects of the page twins: the API's own models (opendata/models.py), serialised as the API serialises
# them. A page adds what only it needs beside such an object, under names of its own, never inside it.


def municipality_brief(m: Municipality) -> dict[str, Any]:
    """A municipality in brief: the API's GemeenteKort."""
    return records.municipality_brief(m).model_dump(mode="json")


def municipality_record(m: Municipality, uris: Uris) -> dict[str, Any]:
    """A municipality with its period and successor: the API's Gemeente."""
    return records.municipality(m, uris).model_dump(mode="json")


def organisation_brief(o: Organisation, kind: Classification | None, uris: Uris) -> dict[str, Any]:
    """An organisation in brief: the API's OrganisatieKort."""
    return records.organisation_brief(o, kind, uris).model_dump(mode="json")


def membership(
    ms: Membership,
    organisation: Organisation,
    member: Organisation,
    gemeente: Municipality | None,
    kinds: dict[str, Classification],
    uris: Uris,
    registered: Mapping[str, Registration],
) -> dict[str, Any]:
    """A membership with its period, role and source, and when the atlas recorded it (``registered``, by
    membership id): the API's Lidmaatschap."""
    return records.membership(
        ms,
        records.organisation_brief(organisation, kinds.get(organisation.classification), uris),
        records.organisation_brief(member, kinds.get(member.classification), uris),
        gemeente,
        uris,
        bron_datum=iso(ms.source_date),
        **registration_fields(registered.get(ms.id), ("role", "valid_from", "valid_to")),
    ).model_dump(mode="json")


def finding(f: Finding) -> dict[str, Any]:
    """A compliance finding: the API's Bevinding."""
    return records.finding(f).model_dump(mode="json")


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
