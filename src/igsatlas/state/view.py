"""The register read into memory once: the one read view of the register, or of the part in force on one day.

``RegisterView.read`` reads everything (every period) in a handful of queries; ``view.on(day)`` is the register
of one day, filtered in memory by the one rule (state.rule), and is what the API's lists, the RDF dump and the
bulk downloads shape. The landscape (analysis) and the compliance subjects ask the whole view for the members of
nearly every organisation on a day: filtering in memory costs a few tens of milliseconds per state where asking
the database costs about a second. The answers are those of the SQL of store/relations.py (tests/test_state.py).
The registration clock makes views of the same class (state.registration).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, select

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
from igsatlas.domain.relations import Member
from igsatlas.state.rule import membership_in_force
from igsatlas.store import queries
from igsatlas.store import schema as t
from igsatlas.store.registration import Registered, registered
from igsatlas.store.relations import as_members

DAYS_KEPT = 4  # views of single days kept by a view of every period (the last days asked)


@dataclass
class RegisterView:
    """Organisations, municipalities and memberships (of one day, or of every period when ``day`` is None) with
    what shaping them needs: classifications, layers, regions, themes and names."""

    day: date | None
    organisations: dict[str, Organisation]
    classifications: dict[str, Classification]
    municipalities: dict[str, Municipality]  # by NIS code
    memberships: list[Membership]  # sorted by id
    layers: dict[str, Layer]  # by id, in id order
    regions: list[Region]  # by layer and key
    themes: dict[str, Theme]  # by URI
    organisation_themes: dict[str, list[OrganisationTheme]]
    theme_labels: dict[str, list[str]]  # organisation id -> theme labels
    names: dict[str, list[str]]  # the register's alternative names (skos:altLabel)
    region_names: dict[str, list[str]]  # the names regions sources use
    # When the atlas recorded each organisation and membership, and from which file (registration time)
    registered: Registered = field(default_factory=Registered)
    # Derived in __post_init__:
    member_municipality: dict[str, str] = field(default_factory=dict)  # membership id -> NIS code of a municipal member
    members_of: dict[str, list[Membership]] = field(default_factory=dict)  # organisation id -> its memberships
    memberships_of: dict[str, list[Membership]] = field(default_factory=dict)  # member id -> its memberships
    regions_of: dict[str, list[Region]] = field(default_factory=dict)  # organisation id -> the regions it is
    membership_by_id: dict[str, Membership] = field(default_factory=dict)
    _days: dict[date, RegisterView] = field(default_factory=dict, compare=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    def __post_init__(self) -> None:
        by_org = self.municipal_nis()
        members_of: dict[str, list[Membership]] = defaultdict(list)
        memberships_of: dict[str, list[Membership]] = defaultdict(list)
        member_municipality: dict[str, str] = {}
        for ms in self.memberships:
            members_of[ms.organisation_id].append(ms)
            memberships_of[ms.member_id].append(ms)
            nis = ms.member_nis if ms.member_nis else by_org.get(ms.member_id)
            if nis:
                member_municipality[ms.id] = nis
        regions_of: dict[str, list[Region]] = defaultdict(list)
        for r in self.regions:
            regions_of[r.organisation_id].append(r)
        self.members_of, self.memberships_of, self.regions_of = dict(members_of), dict(memberships_of), dict(regions_of)
        self.member_municipality = member_municipality
        self.membership_by_id = {ms.id: ms for ms in self.memberships}

    @classmethod
    def read(cls, conn: Connection) -> RegisterView:
        """The whole register, every period."""
        organisations = {o.id: o for o in queries.organisations(conn)}
        memberships = [
            queries.to_membership(queries.fields_of(row, t.membership))
            for row in conn.execute(select(t.membership).order_by(t.membership.c.id))
        ]
        regions = [
            Region(**queries.fields_of(r, t.region))
            for r in conn.execute(select(t.region).order_by(t.region.c.layer_id, t.region.c.key))
        ]
        organisation_themes: dict[str, list[OrganisationTheme]] = defaultdict(list)
        for row in conn.execute(select(t.organisation_theme)):
            found = OrganisationTheme(**queries.fields_of(row, t.organisation_theme))
            organisation_themes[found.organisation_id].append(found)
        return cls(
            day=None,
            organisations=organisations,
            classifications=queries.classifications(conn),
            municipalities={m.nis: m for m in queries.all_municipalities(conn)},
            memberships=memberships,
            layers={x.id: x for x in queries.layers(conn)},
            regions=regions,
            themes={x.uri: Theme(x.uri, x.label) for x in conn.execute(select(t.theme))},
            organisation_themes=dict(organisation_themes),
            theme_labels=queries.theme_labels(conn),
            names=_names(conn, "alternatief"),
            region_names=_names(conn, "regionaam"),
            registered=registered(conn),
        )

    def with_records(
        self,
        organisations: dict[str, Organisation],
        municipalities: dict[str, Municipality],
        memberships: list[Membership],
        classifications: dict[str, Classification],
    ) -> RegisterView:
        """This view (of every period) with other records: the register as it stood at another moment."""
        return self._holding(
            None, organisations, classifications, municipalities, sorted(memberships, key=lambda ms: ms.id)
        )

    def _holding(
        self,
        day: date | None,
        organisations: dict[str, Organisation],
        classifications: dict[str, Classification],
        municipalities: dict[str, Municipality],
        memberships: list[Membership],
    ) -> RegisterView:
        """A view of these records sharing this view's layers, themes, names and registrations (one place, so a
        field added to the view cannot be forgotten in one of the views made from it)."""
        return RegisterView(
            day=day,
            organisations=organisations,
            classifications=classifications,
            municipalities=municipalities,
            memberships=memberships,
            layers=self.layers,
            regions=[r for r in self.regions if r.organisation_id in organisations],
            themes=self.themes,
            organisation_themes=self.organisation_themes,
            theme_labels=self.theme_labels,
            names=self.names,
            region_names=self.region_names,
            registered=self.registered,
        )

    def on(self, day: date) -> RegisterView:
        """The register in force on ``day`` (state.rule), from this view of every period; the last few days
        asked are kept."""
        if self.day is not None:
            if self.day == day:
                return self
            raise ValueError(f"a view of {self.day} has no other day in it")
        with self._lock:
            found = self._days.get(day)
        if found is not None:
            return found
        municipalities = {m.nis: m for m in self.municipalities.values() if m.period.contains(day)}
        municipal = {m.organisation_id for m in municipalities.values() if m.organisation_id}
        organisations = {k: o for k, o in self.organisations.items() if o.period.contains(day)}
        memberships = [
            ms
            for ms in self.memberships
            if membership_in_force(
                ms,
                organisations.get(ms.organisation_id),
                organisations.get(ms.member_id),
                municipalities,
                municipal,
                day,
            )
        ]
        found = self._holding(day, organisations, self.classifications, municipalities, memberships)
        with self._lock:
            while len(self._days) >= DAYS_KEPT:
                del self._days[next(iter(self._days))]
            self._days[day] = found
        return found

    # -- questions about one day, asked of the view of every period (analysis, compliance, dossiers)

    def municipal_nis(self) -> dict[str, str]:
        """The LBLOD gemeente organisation id -> the NIS code of the municipality it stands for in the view (the
        latest one, in a view of every period)."""
        ordered = sorted(self.municipalities.values(), key=lambda m: m.valid_to or date.max)
        return {m.organisation_id: m.nis for m in ordered if m.organisation_id}

    def municipal_organisations(self) -> dict[str, Municipality]:
        """The LBLOD gemeente organisation id -> the municipality it stands for in the view."""
        return {org_id: self.municipalities[nis] for org_id, nis in self.municipal_nis().items()}

    def municipalities_on(self, day: date, region: str | None = "Vlaanderen") -> list[Municipality]:
        """As queries.municipalities_on: the municipalities of ``day`` (of one region, or all), by name."""
        found = [
            m for m in self.municipalities.values() if m.period.contains(day) and (region is None or m.region == region)
        ]
        return sorted(found, key=lambda m: (m.name, m.nis))

    def regions_in(self, layer_id: str) -> list[Region]:
        """The regions of a layer, by name."""
        return sorted((r for r in self.regions if r.layer_id == layer_id), key=lambda r: (r.name, r.key))

    def members_of_many(self, org_ids: Iterable[str], day: date) -> dict[str, list[Member]]:
        """As relations.members_of_many: organisation id -> its members on ``day``."""
        s = self.on(day)
        pairs = ((ms, s.organisations[ms.member_id]) for i in set(org_ids) for ms in s.members_of.get(i, []))
        return as_members(pairs, list(s.municipalities.values()))

    def layer_assignments(self, day: date) -> dict[str, dict[str, list[str]]]:
        """As relations.layer_assignment for every layer: layer id -> NIS code -> region keys on ``day``."""
        s = self.on(day)
        flemish = self.municipalities_on(day)
        key_of = {(r.organisation_id, r.layer_id): r.key for r in self.regions}
        out: dict[str, dict[str, set[str]]] = {layer: {m.nis: set() for m in flemish} for layer in self.layers}
        for ms in s.memberships:
            if ms.layer_id is None or ms.layer_id not in out:
                continue
            key = key_of.get((ms.organisation_id, ms.layer_id))
            of_layer = out[ms.layer_id]
            if key is not None and ms.member_nis in of_layer:
                of_layer[ms.member_nis].add(key)
        return {layer: {nis: sorted(keys) for nis, keys in found.items()} for layer, found in out.items()}


def _names(conn: Connection, kind: str) -> dict[str, list[str]]:
    n = t.organisation_name
    out: dict[str, list[str]] = defaultdict(list)
    for oid, name in conn.execute(select(n.c.organisation_id, n.c.name).where(n.c.kind == kind)):
        out[oid].append(name)
    return {k: sorted(v) for k, v in out.items()}
