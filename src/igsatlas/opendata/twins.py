"""Where the pages' JSON twins hold the API's models: the shared part of the one contract.

Every public page has a ``.json`` twin (documents/). The objects the twins share with the API (an organisation in
brief, a membership, a municipality, a finding, a region, a layer, a legal form, an analysis' result) are the
API's own models, serialised by the same code (records.py); what only a page needs stands beside them under names
of its own. The OpenAPI document (/api/v1/openapi.json) lists this map under ``x-paginatweelingen``, so a reader
of a twin knows which schema of ``components/schemas`` each part follows, and a test checks every twin against it.

A place is a path of keys; ``[]`` stands for every item of a list, ``*`` for every value of an object.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

# The twin's address (as the site routes it) -> place in the twin -> name of the model (components/schemas).
TWINS: dict[str, dict[str, str]] = {
    "/index.json": {"lagen[]": "Laag"},
    "/gemeenten.json": {"provincies[].gemeenten[]": "Gemeente"},
    "/gemeenten/{slug}.json": {
        "gemeente": "Gemeente",
        "lblod_organisatie": "OrganisatieKort",
        "voorgangers[]": "Gemeente",
        "opvolger": "Gemeente",
        "politiezone[].organisatie": "OrganisatieKort",
        "hulpverleningszone[].organisatie": "OrganisatieKort",
        "lagen.*[].lidmaatschap": "Lidmaatschap",
        "lagen.*[].regio": "RegioVan",
        "samenwerkingsverbanden[].lidmaatschap": "Lidmaatschap",
        "rubrieken[].leden[].lidmaatschap": "Lidmaatschap",
        "partners[].gemeente": "GemeenteKort",
        "lagen_per_domein[].lagen[].via_samenwerkingsverband[]": "OrganisatieKort",
        "lagen_per_domein[].lagen[].regio_links[].bron": "Bron",
        "bronnen[]": "Bron",
    },
    "/gemeenten/{slug}/dossier.json": {
        "gemeente": "Gemeente",
        "opvolger": "Gemeente",
        "rubrieken[].samenwerkingen[].lidmaatschap": "Lidmaatschap",
        "rubrieken[].samenwerkingen[].bevindingen[]": "Bevinding",
        "rubrieken[].samenwerkingen[].bronnen[]": "Bron",
        "bronnen[]": "Bron",
    },
    "/samenwerkingsverbanden.json": {"samenwerkingsverbanden[].organisatie": "OrganisatieKort"},
    "/organisaties.json": {"samenwerkingsverbanden[].organisatie": "OrganisatieKort"},
    "/samenwerkingsverbanden/{slug}.json": {
        "organisatie": "Organisatie",
        "leden[]": "Lidmaatschap",
        "leden_per_lid[].lid": "OrganisatieKort",
        "leden_per_lid[].gemeente": "GemeenteKort",
        "leden_per_lid[].bronnen[]": "Bron",
        "bronnen[]": "Bron",
    },
    "/organisaties/{slug}.json": {
        "organisatie": "Organisatie",
        "leden[]": "Lidmaatschap",
        "leden_per_lid[].lid": "OrganisatieKort",
        "bronnen[]": "Bron",
    },
    "/lagen.json": {"lagen[].laag": "Laag", "domeinen[].lagen[].laag": "Laag"},
    "/lagen/{layer}.json": {
        "laag": "Laag",
        "regios[].regio": "Regio",
        "regios[].gemeentelijst[]": "GemeenteKort",
        "niet_gedekt[]": "GemeenteKort",
        "in_meer_dan_een_regio[].gemeente": "GemeenteKort",
    },
    "/regios/{layer}/{key}.json": {
        "regio": "Regio",
        "laag": "Laag",
        "organisatie": "OrganisatieKort",
        "gemeenten[].gemeente": "GemeenteKort",
        "bronnen[]": "Bron",
    },
    "/cultuur.json": {
        "lagen[].laag": "Laag",
        "lagen[].samenwerkingen[].regels[]": "Bevinding",
        "netwerktypes[].lagen[]": "Laag",
    },
    "/aandachtspunten.json": {"bevindingen[].bevinding": "Bevinding", "afwijkingen[].bevinding": "Bevinding"},
    "/samenwerken.json": {"erkenningen[]": "Bevinding"},
    "/rechtsvormen.json": {"vormen[].rechtsvorm": "Rechtsvorm"},
    "/rechtsvormen/keuzehulp.json": {
        "advies.aanbevolen.rechtsvorm": "Rechtsvorm",
        "advies.alternatief.rechtsvorm": "Rechtsvorm",
    },
    "/rechtsvormen/{slug}.json": {"rechtsvorm": "Rechtsvorm"},
    "/analyse/{part}.json": {  # the parts without a model (gemeenten, hiaten) hold none of these places
        "structuren[].passing": "Passing",
        "cellen[].overeenkomst": "LaagOvereenkomst",
        "netwerk": "Netwerk",
    },
    # Twins with no object in common with the API (yet): their own documents, listed so nothing is forgotten.
    "/zoeken.json": {},
    "/analyse.json": {},
    "/wijzigingen.json": {},
    "/catalogus.json": {},
}


def found_at(doc: Any, place: str) -> Iterator[Any]:
    """Every object at ``place`` in ``doc`` (a null where an object may be absent is not yielded)."""
    values = [doc]
    for step in place.split("."):
        key, each = (step[:-2], True) if step.endswith("[]") else (step, False)
        found: list[Any] = []
        for value in values:
            if key == "*":
                found.extend(value.values())
            elif isinstance(value, dict) and key in value:
                found.append(value[key])
        if each:
            found = [item for items in found if items is not None for item in items]
        values = found
    yield from (v for v in values if v is not None)


def openapi_extension() -> dict[str, dict[str, str]]:
    """The map as the OpenAPI document gives it: each model as a reference into components/schemas."""
    return {
        twin: {place: f"#/components/schemas/{model}" for place, model in places.items()}
        for twin, places in TWINS.items()
    }
