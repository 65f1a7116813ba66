"""What the KBO (Kruispuntbank van Ondernemingen) says of the organisations the atlas knows by KBO-nummer, and how
it meets the register: its start date is the founding date where the atlas has none; where it disagrees with the
register or an accepted edit, a proposal goes to the review queue and nothing is overwritten.

Pure: no I/O. The facts come from the KBO Open Data extracts (ingest/kbo.py) and are kept in the database
(store/kbo.py) between imports; every import composes the register with them (ingest/pipeline.py).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from igsatlas.domain.model import Classification, Dataset, Family, Organisation, Status

SOURCE = "KBO Open Data"
ACTIVE = "AC"
# JuridicalSituation codes of an enterprise that simply exists: normale toestand, juridische oprichting,
# verlenging. Any other situation (ontbinding, vereffening, faillissement, fusie ...) is held against the register.
NORMAL_SITUATION = "000"  # normale toestand
ORDINARY_SITUATIONS = frozenset({NORMAL_SITUATION, "001", "002"})
PUBLIC_SEARCH = "https://kbopub.economie.fgov.be/kbopub/toonondernemingps.html?ondernemingsnummer="
_REGION = re.compile(r"\s*\((Vlaams|Waals|Brussels Hoofdstedelijk) Gewest\)\s*$")


@dataclass(frozen=True)
class ExtractId:
    """Which extract: its number (meta.csv ExtractNumber) and the day of the KBO's snapshot it holds."""

    number: int | None
    day: date
    timestamp: str | None = None

    @property
    def source(self) -> str:
        """'KBO Open Data, extract 150 van 2026-12-04': the source named beside every fact and in the change log."""
        numbered = f" {self.number}" if self.number is not None else ""
        return f"{SOURCE}, extract{numbered} van {self.day.isoformat()}"


@dataclass(frozen=True)
class KboEnterprise:
    """One enterprise as the latest extract read says it; field names equal the kbo_enterprise columns."""

    number: str  # ten digits, as organisation.kbo holds it
    status: str  # AC (the Open Data hold active enterprises only)
    status_label: str | None
    juridical_situation: str
    juridical_situation_label: str | None
    type_of_enterprise: str
    juridical_form: str | None
    juridical_form_label: str | None  # Dutch, from code.csv
    juridical_form_cac: str | None
    start_date: date
    name: str | None  # the legal name, in Dutch where there is one
    address: str | None  # the registered seat, when address.csv was read
    extract_number: int | None
    snapshot_date: date
    listed: bool = True  # False: a later extract no longer holds it (stopped or struck off)

    @property
    def source(self) -> str:
        return ExtractId(self.extract_number, self.snapshot_date).source

    @property
    def ended(self) -> bool:
        """The KBO says the enterprise stopped, is being dissolved or is no longer listed."""
        return not self.listed or self.status != ACTIVE or self.juridical_situation not in ORDINARY_SITUATIONS

    @property
    def ended_reason(self) -> str:
        if not self.listed:
            return "staat niet meer in KBO Open Data (stopgezet of geschrapt)"
        if self.status != ACTIVE:
            return f"status {self.status_label or self.status}"
        return f"juridische situatie {self.juridical_situation_label or self.juridical_situation}"

    @property
    def url(self) -> str:
        """The enterprise in the KBO's Public Search."""
        return PUBLIC_SEARCH + self.number


def form_key(label: str | None) -> str:
    """A legal form's name compared across sources: 'Dienstverlenende vereniging (Vlaams Gewest)' and the
    register's 'Dienstverlenende vereniging' are one form."""
    return _REGION.sub("", label or "").strip().casefold()


def full_extract(
    stored: Mapping[str, KboEnterprise],
    read: Mapping[str, KboEnterprise],
    names: Mapping[str, str],
    addresses: Mapping[str, str] | None,
    snapshot: ExtractId,
) -> dict[str, KboEnterprise]:
    """The facts after a full extract: what it holds; an enterprise it no longer holds stays, marked unlisted.
    ``addresses`` None: the extract had no address.csv, and the addresses known stay."""

    def address(n: str) -> str | None:
        if addresses is not None:
            return addresses.get(n)
        return stored[n].address if n in stored else None

    out = {n: dataclasses.replace(e, name=names.get(n), address=address(n)) for n, e in read.items()}
    for n, e in stored.items():
        if n not in out:
            out[n] = e if not e.listed else _unlisted(e, snapshot)
    return out


def update_extract(
    stored: Mapping[str, KboEnterprise],
    read: Mapping[str, KboEnterprise],
    deleted: set[str],
    names: Mapping[str, str],
    names_deleted: set[str],
    addresses: Mapping[str, str],
    addresses_deleted: set[str],
    snapshot: ExtractId,
) -> dict[str, KboEnterprise]:
    """The facts after an update extract: its deletes first, then its inserts (as the cookbook prescribes)."""
    out = dict(stored)
    for n in deleted & set(out):
        out[n] = _unlisted(out[n], snapshot)
    for n, e in read.items():
        old = stored.get(n)
        out[n] = dataclasses.replace(
            e,
            name=old.name if old and n not in names_deleted else None,
            address=old.address if old and n not in addresses_deleted else None,
        )
    for n in set(out) & (names_deleted | set(names)):
        out[n] = dataclasses.replace(out[n], name=names.get(n))
    for n in set(out) & (addresses_deleted | set(addresses)):
        out[n] = dataclasses.replace(out[n], address=addresses.get(n))
    return out


def _unlisted(e: KboEnterprise, snapshot: ExtractId) -> KboEnterprise:
    return dataclasses.replace(e, listed=False, extract_number=snapshot.number, snapshot_date=snapshot.day)


def _founding_applies(org: Organisation, families: Mapping[str, Family]) -> bool:
    """A KBO start date is a cooperation's founding date; a municipality's, OCMW's or province's is not asked."""
    return families.get(org.classification) not in (Family.LOCAL_GOVERNMENT, Family.REGION)


def apply(data: Dataset, facts: Mapping[str, KboEnterprise]) -> Dataset:
    """The sources with the KBO's start dates as founding dates, where the register has none and does not start
    the organisation on another day; ``data`` is not changed. The field's source is the extract."""
    if not facts:
        return data
    families = {c.code: c.family for c in data.classifications}
    origins = dict(data.field_origins)
    organisations = []
    for org in data.organisations:
        e = facts.get(org.kbo or "") if org.kbo_note is None else None
        if (
            e is not None
            and org.founding_date is None
            and org.valid_from in (None, e.start_date)
            and _founding_applies(org, families)
        ):
            org = dataclasses.replace(org, founding_date=e.start_date)
            origins[(org.id, "founding_date")] = e.source
        organisations.append(org)
    return dataclasses.replace(data, organisations=organisations, field_origins=origins)


@dataclass(frozen=True)
class Proposal:
    """A change the KBO suggests where it disagrees with the register: a reviewer decides."""

    organisation_id: str
    field: str  # status, founding_date, classification
    value: Any  # as an edit's payload holds it
    base: Any  # what the register says now
    note: str
    enterprise: KboEnterprise


def proposals(
    organisations: Iterable[Organisation],
    facts: Mapping[str, KboEnterprise],
    classifications: Iterable[Classification],
) -> list[Proposal]:
    """Where the KBO and the register (sources plus accepted edits) disagree on status, start or legal form."""
    kinds = {c.code: c for c in classifications}
    by_form = {form_key(c.label): c.code for c in kinds.values()}
    families = {code: c.family for code, c in kinds.items()}
    out = []
    for org in organisations:
        e = facts.get(org.kbo or "") if org.kbo_note is None else None
        if e is None:
            continue
        said = f"{e.source}: {e.name or org.name} ({e.number})"
        if e.ended and org.status == Status.ACTIVE:
            note = f"{said} {e.ended_reason}; het register zegt actief."
            out.append(Proposal(org.id, "status", Status.INACTIVE.value, org.status.value, note, e))
        if (
            org.founding_date is None
            and org.valid_from is not None
            and org.valid_from != e.start_date
            and _founding_applies(org, families)
        ):
            note = (
                f"{said} begon op {e.start_date.isoformat()}; het register laat de organisatie beginnen op "
                f"{org.valid_from.isoformat()}."
            )
            out.append(Proposal(org.id, "founding_date", e.start_date.isoformat(), None, note, e))
        form = by_form.get(form_key(e.juridical_form_label))
        if form is not None and form != org.classification and families.get(org.classification) == Family.IGS:
            note = f"{said} heeft de rechtsvorm {e.juridical_form_label}; het register zegt {org.classification}."
            out.append(Proposal(org.id, "classification", form, org.classification, note, e))
    return out
