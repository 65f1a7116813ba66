"""The organisation classifications of the register, grouped into families."""

from __future__ import annotations

import functools
import re
import unicodedata

from igsatlas.domain.model import Classification, Family

# Source label -> family. Every classification in the LBLOD snapshot is here; an unknown one is an error.
FAMILIES: dict[str, Family] = {
    "Gemeente": Family.LOCAL_GOVERNMENT,
    "OCMW": Family.LOCAL_GOVERNMENT,
    "Provincie": Family.LOCAL_GOVERNMENT,
    "District": Family.LOCAL_GOVERNMENT,
    "Projectvereniging": Family.IGS,
    "Dienstverlenende vereniging": Family.IGS,
    "Opdrachthoudende vereniging": Family.IGS,
    "Opdrachthoudende vereniging met private deelname": Family.IGS,
    # Registered by the Organisatieportaal itself since June-July 2026 (lblod/app-organization-portal migration
    # 20260619100000-onboarding-new-org-types): cooperation bodies of municipalities, with founders and
    # participants and a werkingsgebied. Grouped with the IGS, where users look for whom a municipality works with.
    "Interlokale vereniging": Family.IGS,
    "Vervoerregioraad": Family.IGS,
    "Zorgraad": Family.IGS,
    "Bosgroep": Family.IGS,
    "Woonmaatschappij": Family.IGS,
    "Welzijnsvereniging": Family.OCMW_ASSOCIATION,
    "Vereniging of vennootschap voor sociale dienstverlening": Family.OCMW_ASSOCIATION,
    "Woonzorgvereniging of woonzorgvennootschap": Family.OCMW_ASSOCIATION,
    "Ziekenhuisvereniging": Family.OCMW_ASSOCIATION,
    "Vereniging algemeen": Family.OCMW_ASSOCIATION,
    "Politiezone": Family.ZONE,
    "Hulpverleningszone": Family.ZONE,
    "Autonoom gemeentebedrijf": Family.AUTONOMOUS,
    "Autonoom provinciebedrijf": Family.AUTONOMOUS,
    "Autonome verzorgingsinstelling": Family.AUTONOMOUS,
    "PEVA gemeente": Family.AUTONOMOUS,
    "PEVA provincie": Family.AUTONOMOUS,
    "Agentschap Binnenlands Bestuur": Family.OTHER,
    "Vlaamse gemeenschapscommissie": Family.OTHER,
}

GEMEENTE = "gemeente"
REGION = Classification(code="regio", label="Regio van een thematische laag", family=Family.REGION)

# Cooperation structures: what "the cooperations a municipality takes part in" means.
COOPERATION_FAMILIES = (Family.IGS, Family.OCMW_ASSOCIATION, Family.ZONE, Family.REGION)


def slugify(text: str) -> str:
    """Lower case ASCII words joined by hyphens: 'Sint-Niklaas' -> 'sint-niklaas', 'Ieper (stad)' -> 'ieper-stad'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def organisation_path(classification: str, slug: str) -> str:
    """The page of a body: cooperations under /samenwerkingsverbanden, a local government's own bodies
    (OCMW, AGB, provincie, district, ...) under /organisaties."""
    space = "organisaties" if classification in OWN_BODY_CODES else "samenwerkingsverbanden"
    return f"/{space}/{slug}"


@functools.lru_cache(maxsize=1024)  # a snapshot names a few dozen; its 1,427 organisations ask 1,427 times
def classification_for(label: str, uri: str | None) -> Classification | None:
    family = FAMILIES.get(label)
    if family is None:
        return None
    return Classification(code=slugify(label), label=label, family=family, uri=uri)


# Layers whose regions are cooperations (a municipality works together with the others in its region),
# as opposed to planning and statistical layers (referentieregio, vervoerregio, eerstelijnszone, ...).
COOPERATION_LAYERS = frozenset(
    {
        "bovenlokale-cultuur",
        "erfgoedcel",
        "uitpas",
        "ioed",
        "regionaal-landschap",
        "igs-woonbeleid",
        "politiezone",
        "hulpverleningszone",
    }
)

# Bodies that are not cooperations: local governments, their autonomous agencies, and the rest.
OWN_BODY_FAMILIES = frozenset({Family.LOCAL_GOVERNMENT, Family.AUTONOMOUS, Family.OTHER})
OWN_BODY_CODES = frozenset(slugify(label) for label, family in FAMILIES.items() if family in OWN_BODY_FAMILIES)
