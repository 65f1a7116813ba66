"""The LBLOD register snapshot (OSLO vocabulary): organisations, memberships and change events."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path

from igsatlas.domain import classifications as cls
from igsatlas.domain.identifiers import establishment_number_is_valid, kbo_is_valid, normalise_kbo
from igsatlas.domain.labels import UNNAMED
from igsatlas.domain.model import (
    ChangeEvent,
    ChangeEventParty,
    Classification,
    Family,
    Membership,
    Organisation,
    OrganisationName,
    Role,
    Status,
)
from igsatlas.domain.periods import plausible
from igsatlas.errors import InputError, Location
from igsatlas.ingest.files import UniqueKeys, read_bytes
from igsatlas.ingest.problems import Problems
from igsatlas.ingest.rdf import RDF_TYPE, Graph, parse_ntriples

ORG = "http://www.w3.org/ns/org#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
REGORG = "http://www.w3.org/ns/regorg#"
BESLUIT = "http://data.vlaanderen.be/ns/besluit#"
GENERIEK = "https://data.vlaanderen.be/ns/generiek#"
LOCN = "http://www.w3.org/ns/locn#"
ADRES = "https://data.vlaanderen.be/ns/adres#"
SCHEMA = "http://schema.org/"
MU_UUID = "http://mu.semte.ch/vocabularies/core/uuid"
EXT = "http://mu.semte.ch/vocabularies/ext/"
ORGANISATIE_GIFT = "http://lblod.data.gift/vocabularies/organisatie/"
DCT = "http://purl.org/dc/terms/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
REFNIS2025 = "http://vocab.belgif.be/auth/refnis2025/"
REFNIS2019 = "http://vocab.belgif.be/auth/refnis2019/"

ORGANISATION_CLASSES = (f"{ORG}Organization", f"{BESLUIT}Bestuurseenheid", f"{REGORG}RegisteredOrganization")
MEMBERSHIP = f"{ORG}Membership"
CHANGE_EVENT = f"{ORG}ChangeEvent"
# The only classes read() looks for: other rdf:type triples need not be read into its graph.
RECORD_CLASSES = (*ORGANISATION_CLASSES, MEMBERSHIP, CHANGE_EVENT)
# Every predicate read() looks at (tests/test_sync.py reads the whole snapshot with only these): the triples of
# other predicates change no record, and need not be read to read one again.
READ_PREDICATES = frozenset(
    {
        RDF_TYPE,
        MU_UUID,
        f"{ORG}classification",
        f"{ORG}hasPrimarySite",
        f"{ORG}siteAddress",
        f"{ORG}member",
        f"{ORG}organization",
        f"{ORG}role",
        f"{ORG}originalOrganization",
        f"{ORG}resultingOrganization",
        f"{REGORG}orgStatus",
        f"{REGORG}legalName",
        f"{SKOS}prefLabel",
        f"{SKOS}altLabel",
        f"{SKOS}notation",
        f"{SKOS}exactMatch",
        f"{BESLUIT}werkingsgebied",
        f"{DCT}spatial",
        f"{DCT}date",
        f"{DCT}description",
        f"{GENERIEK}gestructureerdeIdentificator",
        f"{GENERIEK}lokaleIdentificator",
        f"{LOCN}thoroughfare",
        f"{LOCN}postCode",
        f"{LOCN}adminUnitL2",
        f"{LOCN}fullAddress",
        f"{ADRES}Adresvoorstelling.huisnummer",
        f"{ADRES}Adresvoorstelling.busnummer",
        f"{ADRES}gemeentenaam",
        f"{ADRES}land",
        f"{SCHEMA}contactType",
        f"{SCHEMA}telephone",
        f"{SCHEMA}email",
        f"{EXT}werkingsgebiedNiveau",
        f"{EXT}resultingOrganization",
        f"{ORGANISATIE_GIFT}veranderingsgebeurtenisResultaat",
        f"{ORGANISATIE_GIFT}resulterendeStatus",
        RDFS_LABEL,
        "http://www.w3.org/ns/adms#identifier",
        "http://www.w3.org/2002/07/owl#sameAs",
        "https://data.vlaanderen.be/ns/organisatie#bestaatUit",
        "http://xmlns.com/foaf/0.1/page",
        "http://data.lblod.info/vocabularies/contacthub/typeWijziging",
    }
)
# Read only of the records themselves (RECORD_CLASSES), never of the resources they link to.
RECORD_PREDICATES = frozenset({RDF_TYPE, MU_UUID})
ORGANISATIONS_FILE = "lblod/organisations.nt.gz"
CONCEPTS_FILE = "lblod/concepts.nt.gz"
SOURCE = "LBLOD Organisatieportaal (Agentschap Binnenlands Bestuur), snapshot lblod/app-organization-portal@c133c4e"
SNAPSHOT_DATE = date(2026, 7, 24)
# Governing bodies are outside the atlas; skipping them at parse time halves the work.
SKIPPED_PREDICATES = (
    f"{BESLUIT}bestuurt",
    f"{GENERIEK}isTijdspecialisatieVan",
    "http://data.vlaanderen.be/ns/mandaat#bindingStart",
    "http://data.vlaanderen.be/ns/mandaat#bindingEinde",
)
# Governing bodies (and their versions in time) are outside the atlas: a third of the file.
SKIPPED_SUBJECTS = ("http://data.lblod.info/id/bestuursorganen/",)
STATUSES = {"Actief": Status.ACTIVE, "Niet Actief": Status.INACTIVE, "In oprichting": Status.FOUNDING}
ROLES = {
    "participant": Role.PARTICIPANT,
    "stichtend lid": Role.FOUNDER,
    "gerelateerd": Role.RELATED,
    "lid": Role.MEMBER,
}


@dataclass
class LblodData:
    classifications: list[Classification] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    names: list[OrganisationName] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    events: list[ChangeEvent] = field(default_factory=list)
    parties: list[ChangeEventParty] = field(default_factory=list)
    # NIS code -> organisation id, for every gemeente (2025 and 2019 codes of its werkingsgebied)
    gemeente_by_nis: dict[str, str] = field(default_factory=dict)
    # organisation id -> classification family, for reconciliation
    by_uri: dict[str, Organisation] = field(default_factory=dict)


@functools.cache  # read once per process: a sync reads a few records per delta file
def _known_invalid_kbo() -> dict[str, str]:
    text = resources.files("igsatlas.ingest").joinpath("known_issues.json").read_text("utf-8")
    return {e["subject"]: e["value"] for e in json.loads(text)["invalid_kbo"]}


def _date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        day = date.fromisoformat(text[:10])
    except ValueError:
        return None
    return day if plausible(day) else None


class _Reader:
    def __init__(
        self, graph: Graph, concepts: Graph, problems: Problems, source: str = SOURCE, source_date: date = SNAPSHOT_DATE
    ) -> None:
        self.g = graph
        self.c = concepts
        self.problems = problems
        self.source = source
        self.source_date = source_date
        self.known_invalid_kbo = _known_invalid_kbo()

    def concept_label(self, uri: str | None, lang: str = "nl") -> str | None:
        if uri is None:
            return None
        labels = self.c.all(uri, f"{SKOS}prefLabel") or self.g.all(uri, f"{SKOS}prefLabel")
        for label in labels:
            if self.c.languages.get((uri, f"{SKOS}prefLabel", label), lang) == lang:
                return label
        return labels[0] if labels else None

    def nis_codes(self, area: str | None) -> tuple[str | None, str | None]:
        """(2025 code, 2019 code) of a werkingsgebied."""
        nis25 = nis19 = None
        for match in self.g.all(area or "", f"{SKOS}exactMatch"):
            if match.startswith(REFNIS2025):
                nis25 = self.c.one(match, f"{SKOS}notation") or match.rsplit("/", 1)[1]
            elif match.startswith(REFNIS2019):
                nis19 = self.c.one(match, f"{SKOS}notation") or match.rsplit("/", 1)[1]
        return nis25, nis19

    def identifiers(self, uri: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for ident in self.g.all(uri, "http://www.w3.org/ns/adms#identifier"):
            kind = self.g.one(ident, f"{SKOS}notation")
            structured = self.g.one(ident, f"{GENERIEK}gestructureerdeIdentificator")
            value = self.g.one(structured or "", f"{GENERIEK}lokaleIdentificator")
            if kind and value:
                out[kind] = value.strip()
        return out

    def kbo(self, uri: str, value: str | None) -> tuple[str | None, str | None] | None:
        """(kbo, note), or None when the record is rejected."""
        if not value:
            return None, None
        digits = normalise_kbo(value)
        if kbo_is_valid(digits):
            return digits, None
        if establishment_number_is_valid(digits):
            return digits, "de bron geeft een vestigingseenheidsnummer, geen ondernemingsnummer"
        if self.known_invalid_kbo.get(uri) == value:
            return digits, "KBO-nummer uit de bron klopt niet (controlecijfer mod 97 faalt)"
        self.problems.reject(
            "organisation",
            "invalid-kbo-number",
            self.g.location(uri, None, f"organisation {uri}"),
            f"KBO number {value!r} fails its mod-97 check.",
            "Correct the number in the source, or, if the source really says so, add it to "
            "src/igsatlas/ingest/known_issues.json with the reason.",
        )
        return None

    def classification(self, uri: str) -> Classification | None:
        for code in self.g.all(uri, f"{ORG}classification"):
            label = self.concept_label(code)
            if label is None:
                self.problems.reject(
                    "organisation",
                    "dangling-reference",
                    self.g.location(uri, f"{ORG}classification", f"organisation {uri}"),
                    f"classification <{code}> is not in {CONCEPTS_FILE}.",
                    "Use the concepts file of the same snapshot as the organisations file.",
                )
                return None
            found = cls.classification_for(label, code)
            if found is not None:
                return found
            self.problems.reject(
                "organisation",
                "unknown-classification",
                self.g.location(uri, f"{ORG}classification", f"organisation {uri}"),
                f"classification {label!r} is not one IGS-atlas knows.",
                f"Known: {', '.join(cls.FAMILIES)}. Add it to domain/classifications.py with its family.",
            )
            return None
        self.problems.reject(
            "organisation",
            "missing-classification",
            self.g.location(uri, None, f"organisation {uri}"),
            "the organisation has no classification.",
            "Every organisation needs org:classification.",
        )
        return None

    def organisation(self, uri: str, classification: Classification) -> Organisation | None:
        g = self.g
        ids = self.identifiers(uri)
        kbo = self.kbo(uri, ids.get("KBO nummer"))
        if kbo is None:
            return None
        status_label = self.concept_label(g.one(uri, f"{REGORG}orgStatus"))
        ovo = ids.get("OVO-nummer")
        for same in g.all(uri, "http://www.w3.org/2002/07/owl#sameAs"):
            if ovo is None and "OVO" in same:
                ovo = same.rsplit("/", 1)[1]
        site = g.one(uri, f"{ORG}hasPrimarySite") or ""
        address = g.one(site, "https://data.vlaanderen.be/ns/organisatie#bestaatUit") or ""
        contact = next(
            (cp for cp in g.all(site, f"{ORG}siteAddress") if g.one(cp, f"{SCHEMA}contactType") == "Primary"),
            "",
        )
        area = g.one(uri, f"{BESLUIT}werkingsgebied") or g.one(uri, f"{DCT}spatial")
        nis25, nis19 = self.nis_codes(area)
        name = g.one(uri, f"{SKOS}prefLabel") or g.one(uri, f"{REGORG}legalName") or UNNAMED
        phone = g.one(contact, f"{SCHEMA}telephone")
        return Organisation(
            id=g.one(uri, MU_UUID) or uri.rsplit("/", 1)[1],
            slug="",  # assigned once all organisations are known (reconcile.assign_slugs)
            uri=uri,
            name=name.strip(),
            legal_name=g.one(uri, f"{REGORG}legalName"),
            classification=classification.code,
            status=STATUSES.get(status_label or ""),
            kbo=kbo[0],
            kbo_note=kbo[1],
            ovo=ovo,
            nis=(nis25 or nis19) if classification.family == Family.LOCAL_GOVERNMENT else None,
            street=g.one(address, f"{LOCN}thoroughfare"),
            house_number=g.one(address, f"{ADRES}Adresvoorstelling.huisnummer"),
            box=g.one(address, f"{ADRES}Adresvoorstelling.busnummer"),
            postcode=g.one(address, f"{LOCN}postCode"),
            address_municipality=g.one(address, f"{ADRES}gemeentenaam"),
            address_province=g.one(address, f"{LOCN}adminUnitL2"),
            country=g.one(address, f"{ADRES}land"),
            full_address=g.one(address, f"{LOCN}fullAddress"),
            phone=phone.removeprefix("tel:") if phone else None,
            email=(g.one(contact, f"{SCHEMA}email") or "").removeprefix("mailto:") or None,
            website=g.one(contact, "http://xmlns.com/foaf/0.1/page"),
            werkingsgebied=g.one(area or "", RDFS_LABEL),
            werkingsgebied_level=g.one(area or "", f"{EXT}werkingsgebiedNiveau"),
            valid_from=None,
            valid_to=None,
            source=self.source,
            origin="lblod",
            source_date=self.source_date,
        )


def parse(data_dir: Path, problems: Problems) -> LblodData:
    """The snapshot files of the data folder."""
    concepts = parse_ntriples(
        read_bytes(data_dir / CONCEPTS_FILE, CONCEPTS_FILE, check_encoding=False), CONCEPTS_FILE, languages=True
    )
    graph = parse_ntriples(
        read_bytes(data_dir / ORGANISATIONS_FILE, ORGANISATIONS_FILE, check_encoding=False),
        ORGANISATIONS_FILE,
        SKIPPED_PREDICATES,
        skip_subjects=SKIPPED_SUBJECTS,
    )
    return read(graph, concepts, problems)


def read(
    graph: Graph,
    concepts: Graph,
    problems: Problems,
    *,
    source: str = SOURCE,
    source_date: date = SNAPSHOT_DATE,
    require: bool = True,
) -> LblodData:
    """The register's records from its triples (the snapshot files, or what the OP's stream said last).
    ``require``: an empty register is an error (a partial graph of a few subjects may hold no organisation)."""
    organisations = sorted(graph.of_type(*ORGANISATION_CLASSES))
    if not organisations and require:
        raise InputError(
            "the register snapshot holds no organisations; the file is empty or not the LBLOD snapshot.",
            code="empty-file",
            location=Location(graph.name),
            hint="Replace it with a complete copy of the snapshot. Nothing was imported.",
        )
    reader = _Reader(graph, concepts, problems, source, source_date)
    out = LblodData()
    seen_classifications: dict[str, Classification] = {}
    ids, nis_codes = UniqueKeys(ORGANISATIONS_FILE), UniqueKeys(ORGANISATIONS_FILE)
    for uri in organisations:
        c = reader.classification(uri)
        org = reader.organisation(uri, c) if c is not None else None
        if c is None or org is None:
            continue
        line = functools.partial(graph.line_of, uri)  # looked up only for a duplicate
        ids.add(org.id, f"the organisation id (mu:uuid) {org.id!r}", f"{org.name} <{uri}>", line)
        if org.classification == cls.GEMEENTE and org.nis:
            nis_codes.add(org.nis, f"the NIS code {org.nis!r} of a gemeente", f"{org.name} <{uri}>", line)
        seen_classifications.setdefault(c.code, c)
        out.by_uri[uri] = org
        if org.classification == cls.GEMEENTE:
            area = graph.one(uri, f"{BESLUIT}werkingsgebied")
            for code in reader.nis_codes(area):
                if code:
                    out.gemeente_by_nis.setdefault(code, org.id)
        for alt in sorted(set(graph.all(uri, f"{SKOS}altLabel"))):
            if alt.strip() and alt.strip() != org.name:
                out.names.append(OrganisationName(org.id, alt.strip(), "alternatief", source))
    out.classifications = sorted(seen_classifications.values(), key=lambda c: c.code)
    _memberships(reader, out)
    _events(reader, out)
    out.organisations = list(out.by_uri.values())
    return out


def _memberships(reader: _Reader, out: LblodData) -> None:
    g = reader.g
    for uri in sorted(g.of_type(MEMBERSHIP)):
        member, organisation = g.one(uri, f"{ORG}member"), g.one(uri, f"{ORG}organization")
        role = ROLES.get(reader.concept_label(g.one(uri, f"{ORG}role")) or "")
        dangling = next((u for u in (member, organisation) if u not in out.by_uri), None)
        if member is None or organisation is None or dangling is not None or role is None:
            what = (
                f"refers to <{dangling}>, which is not an organisation in the file"
                if dangling
                else "lacks its member, organisation or a known role"
            )
            reader.problems.reject(
                "membership",
                "dangling-reference",
                g.location(uri, f"{ORG}member", f"membership {uri}"),
                f"the membership {what}.",
                "Use organisations and memberships from the same snapshot.",
            )
            continue
        out.memberships.append(
            Membership(
                id=g.one(uri, MU_UUID) or uri.rsplit("/", 1)[1],
                organisation_id=out.by_uri[organisation].id,
                member_id=out.by_uri[member].id,
                member_nis=None,
                role=role,
                valid_from=None,
                valid_to=None,
                source=reader.source,
                origin="lblod",
                source_date=reader.source_date,
                source_date_text=None,
                derived_from=None,
                layer_id=None,
                note=None,
            )
        )


def _events(reader: _Reader, out: LblodData) -> None:
    """Change events (mergers); they also give organisations their start and end days."""
    g = reader.g
    bounds: dict[str, dict[str, date]] = {}
    for uri in sorted(g.of_type(CHANGE_EVENT)):
        kind = reader.concept_label(g.one(uri, "http://data.lblod.info/vocabularies/contacthub/typeWijziging"))
        day = _date(g.one(uri, f"{DCT}date"))
        event_id = g.one(uri, MU_UUID) or uri.rsplit("/", 1)[1]
        originals = [o for o in g.all(uri, f"{ORG}originalOrganization") if o in out.by_uri]
        resulting = [o for o in g.all(uri, f"{ORG}resultingOrganization") if o in out.by_uri]
        statuses = {}
        for result in g.all(uri, f"{ORGANISATIE_GIFT}veranderingsgebeurtenisResultaat"):
            about = g.one(result, f"{EXT}resultingOrganization")
            status = STATUSES.get(reader.concept_label(g.one(result, f"{ORGANISATIE_GIFT}resulterendeStatus")) or "")
            if about:
                statuses[about] = status
        out.events.append(ChangeEvent(event_id, uri, kind or "onbekend", day, g.one(uri, f"{DCT}description")))
        for side, orgs in (("voor", originals), ("na", resulting)):
            for org_uri in sorted(set(orgs)):
                out.parties.append(ChangeEventParty(event_id, out.by_uri[org_uri].id, side, statuses.get(org_uri)))
        if kind == "Fusie" and day is not None:
            for o in set(originals) - set(resulting):
                bounds.setdefault(o, {})["valid_to"] = day
            for r in set(resulting) - set(originals):
                bounds.setdefault(r, {})["valid_from"] = day
    for uri, b in bounds.items():
        org = out.by_uri[uri]
        out.by_uri[uri] = Organisation(**{**org.__dict__, **b})
