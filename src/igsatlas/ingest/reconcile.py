"""Join the sources into one register: one record per municipality, regions linked to LBLOD organisations."""

from __future__ import annotations

import dataclasses
import hashlib
from collections import defaultdict
from datetime import date

from igsatlas.domain import classifications as cls
from igsatlas.domain.identifiers import bounded_id
from igsatlas.domain.model import (
    ChangeEventParty,
    Dataset,
    Family,
    ImportIssue,
    Layer,
    Membership,
    Municipality,
    Organisation,
    OrganisationName,
    Region,
    Role,
)
from igsatlas.domain.periods import in_words
from igsatlas.ingest.lblod import LblodData
from igsatlas.ingest.names import name_variants
from igsatlas.ingest.regions import MEMBERSHIPS_FILE, LayerRow

MUNICIPALITIES_FILE = "regions/municipalities.csv"
# Which LBLOD organisations a layer's regions may be: zones are zones; the cultural and heritage layers are IGS.
LINKABLE = {
    "politiezone": ("politiezone",),
    "hulpverleningszone": ("hulpverleningszone",),
    "bovenlokale-cultuur": "igs",
    "erfgoedcel": "igs",
    "ioed": "igs",
    "uitpas": "igs",
    "regionaal-landschap": "igs",
    "igs-woonbeleid": "igs",
}


def link_municipalities(
    municipalities: list[Municipality], lblod: LblodData
) -> tuple[list[Municipality], list[ImportIssue]]:
    """Give each municipality its LBLOD gemeente; add the Brussels municipalities that LBLOD has."""
    by_id = {o.id: o for o in lblod.organisations}
    continuing = {p.organisation_id for p in _parties(lblod, "voor")} & {
        p.organisation_id for p in _parties(lblod, "na")
    }
    linked = {m.nis: lblod.gemeente_by_nis.get(m.nis) for m in municipalities}
    issues = []
    out = []
    for m in municipalities:
        org_id = linked[m.nis]
        if org_id is None and m.successor_nis:
            # e.g. Hasselt 71022 -> 71072: the organisation that continues through the merger
            successor_org = linked.get(m.successor_nis)
            if successor_org in continuing:
                org_id = successor_org
        if org_id is None:
            issues.append(
                ImportIssue(
                    f"unmatched-municipality:{m.nis}",
                    MUNICIPALITIES_FILE,
                    None,
                    "unmatched-municipality",
                    f"{m.name} ({m.nis}) has no gemeente in the LBLOD snapshot.",
                )
            )
        out.append(dataclasses.replace(m, organisation_id=org_id))
    known = {m.nis for m in out}
    for nis, org_id in sorted(lblod.gemeente_by_nis.items()):
        org = by_id[org_id]
        if nis.startswith("21") and nis not in known and org.status is not None:
            out.append(
                Municipality(
                    nis=nis,
                    slug=cls.slugify(org.name),
                    name=org.name,
                    province=None,
                    region="Brussel",
                    valid_from=None,
                    valid_to=None,
                    successor_nis=None,
                    organisation_id=org_id,
                    in_set_2019_2024=True,
                    in_set_2025=True,
                    name_statbel=None,
                    source=org.source,
                )
            )
    return out, issues


def _parties(lblod: LblodData, side: str) -> list[ChangeEventParty]:
    return [p for p in lblod.parties if p.side == side]


def _candidates(lblod: LblodData) -> dict[str, dict[str, list[Organisation]]]:
    """classification group -> name key -> organisations, for linking regions."""
    igs_codes = {code for code, fam in ((cls.slugify(k), v) for k, v in cls.FAMILIES.items()) if fam == Family.IGS}
    alt: dict[str, list[str]] = defaultdict(list)
    for n in lblod.names:
        alt[n.organisation_id].append(n.name)
    out: dict[str, dict[str, list[Organisation]]] = defaultdict(lambda: defaultdict(list))
    for org in lblod.organisations:
        group = "igs" if org.classification in igs_codes else org.classification
        for name in [org.name, *alt[org.id]]:
            for key in name_variants(name):
                out[group][key].append(org)
    return out


def _pick(found: list[Organisation]) -> Organisation | None:
    """One organisation: the only one, or the only active one; None when still ambiguous."""
    unique = list({o.id: o for o in found}.values())
    if len(unique) > 1:
        unique = [o for o in unique if o.status == "actief"]
    return unique[0] if len(unique) == 1 else None


def build_regions(
    layers: list[Layer], rows: list[LayerRow], lblod: LblodData
) -> tuple[list[Region], list[Organisation], list[OrganisationName], list[ImportIssue]]:
    candidates = _candidates(lblod)
    by_region: dict[tuple[str, str], list[LayerRow]] = defaultdict(list)
    for row in rows:
        by_region[(row.layer, row.region_key)].append(row)
    regions, orgs, names, issues = [], [], [], []
    layer_ids = {layer.id for layer in layers}
    zones_of = _zones_by_municipality(lblod)
    claimed: set[str] = set()
    for (layer_id, key), region_rows in sorted(by_region.items()):
        assert layer_id in layer_ids
        latest = max(region_rows, key=lambda r: (r.as_of is not None, r.as_of or r.as_of_text, r.line))
        all_names = sorted({r.region_name for r in region_rows})
        linked: Organisation | None = None
        spec = LINKABLE.get(layer_id)
        if spec is not None:
            groups = [spec] if isinstance(spec, str) else list(spec)
            found = [
                org
                for name in all_names
                for k in name_variants(name, key)
                for group in groups
                for org in candidates[group].get(k, [])
            ]
            linked = _pick(found)
            if linked is None and layer_id in zones_of:
                # LBLOD relates each zone to one municipality: link when exactly one active zone fits
                nis_codes = {r.nis for r in region_rows}
                near = [z for n in nis_codes for z in zones_of[layer_id].get(n or "", [])]
                linked = _pick([z for z in near if z.id not in claimed and z.status == "actief"])
            if linked is not None:
                claimed.add(linked.id)
            else:
                issues.append(
                    ImportIssue(
                        f"unlinked-region:{layer_id}/{key}",
                        MEMBERSHIPS_FILE,
                        latest.line,
                        "unlinked-region",
                        f"region {layer_id}/{key} ({latest.region_name}) matches "
                        f"{'several' if found else 'no'} LBLOD organisation(s); it is kept as a region of its own.",
                    )
                )
        if linked is None:
            org_id = region_organisation_id(layer_id, key)
            orgs.append(_region_organisation(org_id, latest))
        else:
            org_id = linked.id
        regions.append(Region(layer_id, key, latest.region_name, org_id, linked is not None))
        for name in all_names:
            if linked is not None or name != latest.region_name:
                names.append(OrganisationName(org_id, name, "regionaam", latest.source))
    return regions, orgs, _unique_names(names), issues


def _zones_by_municipality(lblod: LblodData) -> dict[str, dict[str, list[Organisation]]]:
    """zone classification -> NIS code -> the LBLOD zones related ('gerelateerd') to that municipality."""
    by_id = {o.id: o for o in lblod.organisations}
    out: dict[str, dict[str, list[Organisation]]] = {
        "politiezone": defaultdict(list),
        "hulpverleningszone": defaultdict(list),
    }
    for m in lblod.memberships:
        zone, gemeente = by_id[m.member_id], by_id[m.organisation_id]
        if zone.classification in out and gemeente.classification == cls.GEMEENTE and gemeente.nis:
            out[zone.classification][gemeente.nis].append(zone)
    return out


def _unique_names(names: list[OrganisationName]) -> list[OrganisationName]:
    return list({(n.organisation_id, n.name): n for n in names}.values())


def _region_organisation(org_id: str, row: LayerRow) -> Organisation:
    return Organisation.bare(org_id, row.region_name, cls.REGION.code, row.source, "regions", source_date=row.as_of)


# ``derived_from`` of a layer row that the data's compiler derived through the merger map (its note starts
# "2025 set, DERIVED."): not stated by the source, so shown as derived like the succession we derive ourselves.
COMPILER_DERIVED = "bron:fusiekaart"


def _row_digest(row: LayerRow) -> str:
    """A short digest of a layer row's source, date and municipality set: the same row, the same id."""
    head = (row.note or "").split(".", 1)[0]
    text = "\x1f".join((row.source, row.as_of_text, head, row.municipality_name))
    return hashlib.sha1(text.encode()).hexdigest()[:10]


def layer_memberships(
    rows: list[LayerRow], regions: list[Region], municipalities: list[Municipality]
) -> list[Membership]:
    """One membership per region, municipality and period; a second source stating the same membership is
    named in its note ("Ook vermeld in ...") instead of making a second membership."""
    region_org = {(r.layer_id, r.key): r.organisation_id for r in regions}
    org_of = {m.nis: m.organisation_id for m in municipalities}
    out: dict[tuple[object, ...], Membership] = {}
    for row in rows:
        member = org_of.get(row.nis or "")
        if member is None or row.nis is None:
            continue
        derived = COMPILER_DERIVED if (row.note or "").startswith("2025 set, DERIVED.") else None
        same = (row.layer, row.region_key, row.nis, row.valid_from, row.valid_to, derived)
        first = out.get(same)
        if first is not None:
            also = f"Ook vermeld in {row.source} ({row.as_of_text or 'zonder datum'})"
            out[same] = dataclasses.replace(first, note=f"{first.note}; {also}" if first.note else also)
            continue
        # Stable across imports: what the row says, not where in the file it stands.
        out[same] = Membership(
            id=f"laag:{row.layer}:{row.region_key}:{row.nis}:{_row_digest(row)}",
            organisation_id=region_org[(row.layer, row.region_key)],
            member_id=member,
            member_nis=row.nis,
            role=Role.MEMBER,
            valid_from=row.valid_from,
            valid_to=row.valid_to,
            source=row.source,
            source_date=row.as_of,
            source_date_text=row.as_of_text,
            derived_from=derived,
            layer_id=row.layer,
            note=row.note,
            origin="regions",
        )
    return list(out.values())


def assign_slugs(organisations: list[Organisation]) -> list[Organisation]:
    """A unique, stable URL slug per organisation: the name; on a clash, the active one keeps it and the
    others get their classification, then a short id, appended."""
    order = sorted(organisations, key=lambda o: (o.status != "actief", o.classification == "regio", o.name, o.id))
    taken: set[str] = set()
    slugs: dict[str, str] = {}
    for o in order:
        base = cls.slugify(o.name) or "organisatie"
        for candidate in (base, f"{base}-{o.classification}", f"{base}-{o.id[:8]}", f"{base}-{o.id}"):
            if candidate not in taken:
                break
        taken.add(candidate)
        slugs[o.id] = candidate
    return [dataclasses.replace(o, slug=slugs[o.id]) for o in organisations]


Heir = tuple[str, str | None]  # (organisation id, NIS code when the source named a municipality)


def _successor_organisations(data: Dataset, orgs: dict[str, Organisation]) -> dict[str, list[str]]:
    """organisation -> the organisations of the same kind it merged into (from the change events)."""
    resulting: dict[str, list[str]] = defaultdict(list)
    for p in data.event_parties:
        if p.side == "na":
            resulting[p.event_id].append(p.organisation_id)
    out: dict[str, list[str]] = defaultdict(list)
    for p in data.event_parties:
        if p.side == "voor":
            for r in resulting[p.event_id]:
                if r != p.organisation_id and orgs[r].classification == orgs[p.organisation_id].classification:
                    out[p.organisation_id].append(r)
    return out


def _heirs(
    m: Membership, orgs: dict[str, Organisation], by_nis: dict[str, Municipality], successors: dict[str, list[str]]
) -> tuple[date, list[Heir]] | None:
    """The day the member ended in a merger and who takes over, or None when the member did not merge."""
    if m.member_nis is not None:
        muni = by_nis[m.member_nis]
        if muni.successor_nis is None or muni.valid_to is None:
            return None
        heir = by_nis[muni.successor_nis].organisation_id
        return muni.valid_to, [(heir, muni.successor_nis)] if heir else []
    member = orgs[m.member_id]
    if member.valid_to is None:
        return None
    return member.valid_to, [(s, None) for s in successors.get(m.member_id, [])]


def derive_successions(data: Dataset) -> list[Membership]:
    """From the day of a merger the successor takes over its predecessors' memberships (legal succession).

    Only memberships of cooperation structures still running on that day are carried over, only where the
    successor has no membership of its own there on that day, and each derived membership names the one it
    comes from (or, when several predecessors were members, all of them in its note).
    """
    orgs = {o.id: o for o in data.organisations}
    families = {c.code: c.family for c in data.classifications}
    by_nis = {m.nis: m for m in data.municipalities}
    successors = _successor_organisations(data, orgs)
    own_by_org = {(m.member_id, m.organisation_id) for m in data.memberships if m.member_nis is None}
    own_by_nis: dict[tuple[str | None, str], list[Membership]] = defaultdict(list)
    for m in data.memberships:
        own_by_nis[(m.member_nis, m.organisation_id)].append(m)
    derived: dict[tuple[str, str, str | None], Membership] = {}
    for m in data.memberships:
        target = orgs[m.organisation_id]
        found = _heirs(m, orgs, by_nis, successors)
        if families.get(target.classification) not in cls.COOPERATION_FAMILIES or found is None:
            continue
        day, heirs = found
        if (m.valid_to is not None and m.valid_to <= day) or (target.valid_to is not None and target.valid_to <= day):
            continue  # the membership or the structure ended before the merger
        for heir_org, heir_nis in heirs:
            key = (heir_org, m.organisation_id, heir_nis)
            if heir_nis is None and (heir_org, m.organisation_id) in own_by_org:
                continue
            if heir_nis is not None and any(o.period.contains(day) for o in own_by_nis[(heir_nis, m.organisation_id)]):
                continue
            if key in derived:
                first = derived[key]
                derived[key] = dataclasses.replace(first, note=f"{first.note}; ook van {_who(m, orgs, by_nis)}")
                continue
            derived[key] = dataclasses.replace(
                m,
                id=f"opvolging:{heir_nis or heir_org}:{m.id}",
                member_id=heir_org,
                member_nis=heir_nis,
                valid_from=max(day, m.valid_from) if m.valid_from else day,
                derived_from=m.id,
                origin="derived",
                note=f"Afgeleid: rechtsopvolging na fusie op {in_words(day)}, van {_who(m, orgs, by_nis)}",
            )
    return list(derived.values())


def region_organisation_id(layer_id: str, key: str) -> str:
    """The id of the organisation the atlas makes for a region no LBLOD organisation stands for: "regio-{layer}-{key}",
    shortened with a digest of the whole where it would not fit the column (a long region key of a new layer)."""
    return bounded_id(f"regio-{layer_id}-{key}")


def _who(m: Membership, orgs: dict[str, Organisation], by_nis: dict[str, Municipality]) -> str:
    return by_nis[m.member_nis].name if m.member_nis else orgs[m.member_id].name
