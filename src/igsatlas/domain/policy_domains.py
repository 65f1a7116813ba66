"""The policy domains a visitor thinks in (culture, safety, care ...), which layers belong to each, and which kinds of
cooperation of each domain the atlas does not hold as a layer yet. The domains follow the OP/TIL overview
"Bovenlokale netwerken in Vlaanderen"; a layer no domain names falls under "andere lagen"."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class PolicyDomain:
    key: str
    title: str  # Dutch, lower case: "cultuur en erfgoed"
    layers: tuple[str, ...]  # layer ids, in the order a visitor reads them
    not_held: tuple[str, ...]  # kinds of cooperation of this domain that the atlas holds no layer of (Dutch)


DOMAINS = (
    PolicyDomain(
        "cultuur-en-erfgoed",
        "cultuur en erfgoed",
        ("bovenlokale-cultuur", "erfgoedcel", "ioed", "uitpas", "publiq-regio"),
        ("intergemeentelijke archiefwerking", "deeltijds kunstonderwijs over gemeentegrenzen heen"),
    ),
    PolicyDomain(
        "veiligheid",
        "veiligheid",
        ("politiezone", "hulpverleningszone"),
        ("samenwerking voor noodplanning", "GAS-bemiddeling en preventie in regioverband"),
    ),
    PolicyDomain(
        "zorg-en-welzijn",
        "zorg en welzijn",
        ("elz", "gezondheidsmakers"),
        ("zorgregio's", "welzijnsverenigingen als laag (ze staan wel als samenwerkingsverband in het register)"),
    ),
    PolicyDomain("wonen", "wonen", ("igs-woonbeleid", "woonmaatschappij"), ("woonwinkels",)),
    PolicyDomain(
        "mobiliteit", "mobiliteit", ("vervoerregio",), ("regionale mobiliteitsprojecten buiten de vervoerregio's",)
    ),
    PolicyDomain(
        "streekontwikkeling-en-platteland",
        "streekontwikkeling en platteland",
        ("streekwerking", "regionaal-landschap", "leader"),
        ("streekintercommunales als laag (ze staan wel als samenwerkingsverband in het register)",),
    ),
    PolicyDomain("sport", "sport", ("sportregio",), ("burensportdiensten buiten de vier gekende sportregio's",)),
    PolicyDomain(
        "bibliotheken",
        "bibliotheken",
        ("bibliotheeknetwerk",),
        ("een volledige lijst van bibliotheeknetwerken (geen enkele bron geeft er een)",),
    ),
    PolicyDomain("toerisme", "toerisme", ("toeristische-regio",), ("intergemeentelijke toerismediensten",)),
    PolicyDomain("bestuur", "bestuurlijke indeling", ("referentieregio",), ()),
)
OTHER = "andere lagen"


def domain_of(layer_id: str) -> PolicyDomain | None:
    return next((d for d in DOMAINS if layer_id in d.layers), None)


def by_domain(layer_ids: Iterable[str]) -> list[tuple[PolicyDomain | None, list[str]]]:
    """``layer_ids`` grouped by domain, in the domains' order and each domain's own order; None for the layers no
    domain names (last). A domain with none of the layers is still listed, with an empty list."""
    ids = list(layer_ids)
    out: list[tuple[PolicyDomain | None, list[str]]] = [(d, [x for x in d.layers if x in ids]) for d in DOMAINS]
    rest = [x for x in ids if domain_of(x) is None]
    if rest:
        out.append((None, rest))
    return out


# How a cooperation's name shows that it is the body behind a region of a layer, where the layer's sources do not
# list it (the register knows "Onroerend Erfgoeddienst Pajottenland" and its members; the IOED layer does not).
BODY_NAMES = {
    "ioed": re.compile(r"onroerend[ -]?erfgoed|\bIOED\b", re.IGNORECASE),
    "erfgoedcel": re.compile(r"\berfgoedcel", re.IGNORECASE),
    "politiezone": re.compile(r"^PZ\b|politiezone", re.IGNORECASE),
    "hulpverleningszone": re.compile(r"^HVZ\b|hulpverleningszone", re.IGNORECASE),
    "sportregio": re.compile(r"sportregio|burensportdienst", re.IGNORECASE),
    "bibliotheeknetwerk": re.compile(r"bibliothe(e)?k\w*netwerk", re.IGNORECASE),
}


def layer_of_body(name: str) -> str | None:
    """The layer whose regions a body of this name stands for, or None."""
    return next((layer for layer, pattern in BODY_NAMES.items() if pattern.search(name)), None)


def names_municipality(body_name: str, municipality: str) -> bool:
    """Does a body's name list the municipality ("PZ Pajottenland: Bever, Galmaarden, Gooik, ...")?"""
    return re.search(rf"(?<![\w-]){re.escape(municipality)}(?![\w-])", body_name) is not None
