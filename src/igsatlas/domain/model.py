"""The register's records: plain dataclasses, one per thing the atlas knows.

Field names match the database columns one to one (see store/schema.py), so the importer and the read
queries share these types. Periods are stored as two nullable days, half-open: [valid_from, valid_to).
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from datetime import date
from enum import StrEnum
from typing import Any

from igsatlas.domain.periods import Period


class Status(StrEnum):
    ACTIVE = "actief"
    INACTIVE = "niet-actief"
    FOUNDING = "in-oprichting"


class Role(StrEnum):
    PARTICIPANT = "participant"
    FOUNDER = "stichtend-lid"
    RELATED = "gerelateerd"
    MEMBER = "lid"


class Family(StrEnum):
    """What kind of thing a classification is, for grouping on pages and in queries."""

    LOCAL_GOVERNMENT = "lokaal-bestuur"  # gemeente, OCMW, provincie, district
    IGS = "igs"  # the DLB cooperation forms with legal personality
    OCMW_ASSOCIATION = "ocmw-vereniging"  # welzijnsvereniging and the associations under private law
    ZONE = "zone"  # politiezone, hulpverleningszone
    REGION = "regio"  # a region of a thematic layer that is not an LBLOD organisation
    AUTONOMOUS = "verzelfstandigd"  # AGB, APB, autonome verzorgingsinstelling
    OTHER = "overig"


@dataclass(frozen=True)
class Classification:
    code: str  # slug, e.g. "projectvereniging"
    label: str  # as the source writes it, e.g. "Projectvereniging"
    family: Family
    uri: str | None = None


@dataclass(frozen=True)
class Municipality:
    nis: str
    slug: str  # from the name; shared over time by e.g. Hasselt 71022 and 71072 (resolved by day)
    name: str
    province: str | None
    region: str  # "Vlaanderen" or "Brussel"
    valid_from: date | None
    valid_to: date | None  # first day no longer valid (exclusive)
    successor_nis: str | None
    organisation_id: str | None
    in_set_2019_2024: bool
    in_set_2025: bool
    name_statbel: str | None
    source: str

    @property
    def period(self) -> Period:
        return Period(self.valid_from, self.valid_to)


@dataclass(frozen=True)
class Organisation:
    id: str
    slug: str  # unique, stable, for URLs: /samenwerkingsverbanden/interleuven
    uri: str | None
    name: str
    legal_name: str | None
    classification: str
    status: Status | None
    kbo: str | None
    kbo_note: str | None  # set when the source's KBO number fails its check (a known source defect)
    ovo: str | None
    nis: str | None
    street: str | None
    house_number: str | None
    box: str | None
    postcode: str | None
    address_municipality: str | None
    address_province: str | None
    country: str | None
    full_address: str | None
    phone: str | None
    email: str | None
    website: str | None
    werkingsgebied: str | None
    werkingsgebied_level: str | None
    valid_from: date | None
    valid_to: date | None
    source: str
    source_date: date | None
    founding_date: date | None = None  # only from accepted edits: LBLOD has no founding dates
    planned_end_date: date | None = None  # the end the statutes set, from accepted edits
    origin: str = "import"  # lblod, regions, published, edit:<id>

    @property
    def period(self) -> Period:
        return Period(self.valid_from, self.valid_to)

    @classmethod
    def bare(cls, id: str, name: str, classification: str, source: str, origin: str, **known: Any) -> Organisation:
        """An organisation the atlas knows only by name, kind and source (no address, KBO or contact)."""
        empty: dict[str, Any] = {f.name: None for f in fields(cls) if f.default is MISSING}
        empty.update(id=id, slug="", name=name, classification=classification, source=source, origin=origin)
        return cls(**{**empty, **known})


@dataclass(frozen=True)
class OrganisationName:
    organisation_id: str
    name: str
    kind: str  # "alternatief" (LBLOD altLabel) or "regionaam" (the name a regions source uses)
    source: str


@dataclass(frozen=True)
class Membership:
    id: str
    organisation_id: str
    member_id: str
    member_nis: str | None  # the municipality the source names, where it names one by NIS code
    role: Role
    valid_from: date | None
    valid_to: date | None
    source: str
    source_date: date | None
    source_date_text: str | None  # the date exactly as the source gives it ('2024-02', 'undated')
    derived_from: str | None  # id of the membership this one was derived from (legal succession)
    layer_id: str | None  # set when the membership comes from a thematic layer
    note: str | None
    origin: str = "import"  # lblod, regions, published, edit:<id>, derived

    @property
    def period(self) -> Period:
        return Period(self.valid_from, self.valid_to)


@dataclass(frozen=True)
class Layer:
    id: str
    description: str
    legal_basis: str | None
    n_regions: int
    n_municipalities: int
    n_rows: int
    unresolved_rows: int
    count_scope: str
    sources: str
    completeness_note: str
    complete: bool  # the completeness note says the layer covers every municipality
    # The Dutch texts for the public: title, description, legal basis (None where no source states one), completeness.
    naam: str | None = None
    beschrijving: str | None = None
    rechtsgrond: str | None = None
    volledigheid: str | None = None


@dataclass(frozen=True)
class Region:
    """A region of a thematic layer; it is an organisation (an LBLOD one where they could be linked)."""

    layer_id: str
    key: str  # the stable slug of the regions data (region_id)
    name: str
    organisation_id: str
    linked: bool  # True when the region is an LBLOD organisation, False when the atlas made its own record


@dataclass(frozen=True)
class ChangeEvent:
    id: str
    uri: str
    kind: str  # "Fusie", "Stadstitel"
    date: date | None
    description: str | None


@dataclass(frozen=True)
class ChangeEventParty:
    event_id: str
    organisation_id: str
    side: str  # "voor" (original) or "na" (resulting)
    resulting_status: Status | None


@dataclass(frozen=True)
class Boundary:
    kind: str  # "gemeente" or "provincie"
    vintage: str  # "2025" or "2019"
    code: str  # NIS code
    name: str
    svg_path: str  # Lambert 72 metres, y flipped, rounded to 10 m
    geojson: str  # WGS84 geometry (GeoJSON geometry object)
    min_x: float
    min_y: float
    max_x: float
    max_y: float


@dataclass(frozen=True)
class Population:
    """Inhabitants of a municipality (by its NIS code of that year) on 1 January of ``year`` (Statbel)."""

    nis: str
    year: int
    inhabitants: int
    source: str


@dataclass(frozen=True)
class Locality:
    """A postal locality (deelgemeente, district or the municipality itself) and the municipality it lies in."""

    postcode: str
    name: str  # the Dutch name (locality_nl)
    nis_2025: str
    nis_2019: str
    source: str


@dataclass(frozen=True)
class Theme:
    uri: str
    label: str


@dataclass(frozen=True)
class OrganisationTheme:
    """A policy theme of an IGS, with how we know it: read in a source, or only inferred from the name."""

    organisation_id: str
    theme_uri: str
    evidence_type: str  # "source" or "name" (the data file), or derived: "layer", "classification", "name-rule"
    evidence: str | None
    source: str | None
    source_date_text: str | None


@dataclass(frozen=True)
class ImportIssue:
    """Something the importer kept but could not fully resolve; listed by `igs stats`."""

    id: str
    source: str
    line: int | None
    code: str
    message: str


@dataclass
class Dataset:
    """Everything one import produces, before it is written."""

    classifications: list[Classification] = field(default_factory=list)
    municipalities: list[Municipality] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    names: list[OrganisationName] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    layers: list[Layer] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)
    events: list[ChangeEvent] = field(default_factory=list)
    event_parties: list[ChangeEventParty] = field(default_factory=list)
    boundaries: list[Boundary] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    populations: list[Population] = field(default_factory=list)
    localities: list[Locality] = field(default_factory=list)
    organisation_themes: list[OrganisationTheme] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    # (organisation or membership id, field) -> the edit that set the field ("edit:12"): its source, not the row's
    field_origins: dict[tuple[str, str], str] = field(default_factory=dict)
