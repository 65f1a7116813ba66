"""The register in force on one day (or all of it), loaded once into memory for the open data.

A snapshot is the input of the API's lists, the RDF dump and the bulk downloads: every organisation,
municipality and membership of the day with what they need (classifications, names, themes, regions), read in
a handful of queries. ``day=None`` holds everything the register knows, every period included.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, select

from igsatlas.domain import classifications as cls
from igsatlas.domain.model import (
    Classification,
    Layer,
    Membership,
    Municipality,
    Organisation,
    OrganisationTheme,
    Region,
    Theme,
)
from igsatlas.domain.periods import Period
from igsatlas.store import queries
from igsatlas.store import schema as t
from igsatlas.store.registration import Registered, registered


@dataclass
class Snapshot:
    day: date | None
    organisations: dict[str, Organisation]
    classifications: dict[str, Classification]
    municipalities: dict[str, Municipality]  # by NIS code
    memberships: list[Membership]  # sorted by id
    member_municipality: dict[str, str]  # membership id -> NIS code of the municipal member
    layers: dict[str, Layer]
    regions: list[Region]
    themes: dict[str, Theme]
    organisation_themes: dict[str, list[OrganisationTheme]]
    names: dict[str, list[str]]  # the register's alternative names (skos:altLabel)
    region_names: dict[str, list[str]]  # the names regions sources use
    members_of: dict[str, list[Membership]] = field(default_factory=dict)
    memberships_of: dict[str, list[Membership]] = field(default_factory=dict)  # member id -> its memberships
    regions_of: dict[str, list[Region]] = field(default_factory=dict)
    membership_by_id: dict[str, Membership] = field(default_factory=dict)
    # When the atlas recorded each organisation and membership, and from which file (registration time)
    registered: Registered = field(default_factory=Registered)

    def __post_init__(self) -> None:
        members_of: dict[str, list[Membership]] = defaultdict(list)
        memberships_of: dict[str, list[Membership]] = defaultdict(list)
        for ms in self.memberships:
            members_of[ms.organisation_id].append(ms)
            memberships_of[ms.member_id].append(ms)
        regions_of: dict[str, list[Region]] = defaultdict(list)
        for r in self.regions:
            regions_of[r.organisation_id].append(r)
        self.members_of, self.memberships_of, self.regions_of = dict(members_of), dict(memberships_of), dict(regions_of)
        self.membership_by_id = {ms.id: ms for ms in self.memberships}

    def municipal_organisations(self) -> dict[str, Municipality]:
        """The LBLOD gemeente organisation id -> the municipality it stands for in the snapshot."""
        out: dict[str, Municipality] = {}
        for m in sorted(self.municipalities.values(), key=lambda m: m.valid_to or date.max):
            if m.organisation_id:
                out[m.organisation_id] = m
        return out


def _in_force(day: date | None, start: date | None, end: date | None) -> bool:
    """In force on ``day`` (every period when ``day`` is None): the one rule, ``Period.contains``."""
    return day is None or Period(start, end).contains(day)


def load(conn: Connection, day: date | None, known: Registered | None = None) -> Snapshot:
    """The register of ``day`` (None: all of it, every period), with the registrations (``known``: as read
    already for the same register version)."""
    organisations = {o.id: o for o in queries.organisations(conn) if _in_force(day, o.valid_from, o.valid_to)}
    municipalities = {m.nis: m for m in queries.all_municipalities(conn) if _in_force(day, m.valid_from, m.valid_to)}
    by_org = {m.organisation_id: m.nis for m in sorted(municipalities.values(), key=lambda m: m.valid_to or date.max)}
    memberships: list[Membership] = []
    member_municipality: dict[str, str] = {}
    for row in conn.execute(select(t.membership).order_by(t.membership.c.id)):
        ms = queries.to_membership(queries.fields_of(row, t.membership))
        org, member = organisations.get(ms.organisation_id), organisations.get(ms.member_id)
        if org is None or member is None or not _in_force(day, ms.valid_from, ms.valid_to):
            continue
        nis = ms.member_nis if ms.member_nis else by_org.get(member.id)
        if day is not None and ms.member_nis and ms.member_nis not in municipalities:
            continue  # names a municipality that did not exist that day
        if day is not None and member.classification == cls.GEMEENTE and nis is None:
            continue  # a gemeente that did not exist that day
        memberships.append(ms)
        if nis:
            member_municipality[ms.id] = nis
    themes = {x.uri: Theme(x.uri, x.label) for x in conn.execute(select(t.theme))}
    organisation_themes: dict[str, list[OrganisationTheme]] = defaultdict(list)
    for row in conn.execute(select(t.organisation_theme)):
        found = OrganisationTheme(**queries.fields_of(row, t.organisation_theme))
        organisation_themes[found.organisation_id].append(found)
    regions = [
        Region(**queries.fields_of(r, t.region))
        for r in conn.execute(select(t.region).order_by(t.region.c.layer_id, t.region.c.key))
    ]
    return Snapshot(
        day=day,
        organisations=organisations,
        classifications=queries.classifications(conn),
        municipalities=municipalities,
        memberships=memberships,
        member_municipality=member_municipality,
        layers={x.id: x for x in queries.layers(conn)},
        regions=[r for r in regions if r.organisation_id in organisations],
        themes=themes,
        organisation_themes=dict(organisation_themes),
        names=_names(conn, "alternatief"),
        region_names=_names(conn, "regionaam"),
        registered=known if known is not None else registered(conn),
    )


def _names(conn: Connection, kind: str) -> dict[str, list[str]]:
    n = t.organisation_name
    out: dict[str, list[str]] = defaultdict(list)
    for oid, name in conn.execute(select(n.c.organisation_id, n.c.name).where(n.c.kind == kind)):
        out[oid].append(name)
    return {k: sorted(v) for k, v in out.items()}
