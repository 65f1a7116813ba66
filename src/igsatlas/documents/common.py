"""Pieces shared by the documents: the shared objects as the API's models (records.py), links, days."""

from __future__ import annotations

from datetime import date
from typing import Any

from igsatlas.domain.classifications import organisation_path
from igsatlas.domain.model import Classification, Membership, Municipality, Organisation
from igsatlas.legal.rules import Finding
from igsatlas.opendata import records
from igsatlas.opendata.records import ROLE_LABELS as ROLE_LABELS  # the role in words, for the editing forms
from igsatlas.opendata.records import Uris as Uris
from igsatlas.opendata.records import iso as iso

MERGER_DAY = date(2025, 1, 1)
STATUS_LABELS = {"actief": "actief", "niet-actief": "niet actief", "in-oprichting": "in oprichting"}


BOUNDARY_SETS = ("2025", "2019")  # the municipal boundary sets: since the 2025 mergers, and 2019-2024


def vintage(day: date) -> str:
    """Which boundary set shows the municipalities of ``day``."""
    return "2025" if day >= MERGER_DAY else "2019"


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
) -> dict[str, Any]:
    """A membership with its period, role and source: the API's Lidmaatschap."""
    return records.membership(
        ms,
        records.organisation_brief(organisation, kinds.get(organisation.classification), uris),
        records.organisation_brief(member, kinds.get(member.classification), uris),
        gemeente,
        uris,
    ).model_dump(mode="json")


def finding(f: Finding) -> dict[str, Any]:
    """A compliance finding: the API's Bevinding."""
    return records.finding(f).model_dump(mode="json")


_KIND_WORDS = {"ocmw": "OCMW", "peva": "PEVA", "agb": "AGB", "regio": "regio van een laag"}


def kind_label(code: str) -> str:
    """A classification code as words ('autonoom-gemeentebedrijf' -> 'Autonoom gemeentebedrijf')."""
    words = [_KIND_WORDS.get(w, w) for w in code.split("-")]
    text = " ".join(words)
    return text[0].upper() + text[1:] if text else text
