"""The whole register read once, for work that looks at every organisation on a day.

The landscape (analysis) and the compliance subjects need the members of nearly every organisation. Asking
the database for them once per register state costs about a second; reading every organisation, membership
and municipality once per content version and filtering by day in memory costs a few tens of milliseconds
per state. The answers are those of the SQL in store/relations.py (tested equal).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from sqlalchemy import Connection, select

from igsatlas.domain.model import Classification, Layer, Membership, Municipality, Organisation, Region
from igsatlas.domain.periods import Period
from igsatlas.domain.relations import Member
from igsatlas.store import queries
from igsatlas.store import schema as t
from igsatlas.store.relations import as_members


@dataclass(frozen=True)
class Snapshot:
    """Every organisation, membership, municipality, layer and region of the register, of every period."""

    organisations: dict[str, Organisation]
    memberships: dict[str, list[Membership]]  # organisation id -> its memberships (every period)
    municipalities: list[Municipality]  # by name
    classifications: dict[str, Classification]
    layers: list[Layer]  # by id
    regions: dict[str, list[Region]]  # layer id -> its regions, by name
    themes: dict[str, list[str]]  # organisation id -> theme labels
    _in_force_on: dict[date, list[tuple[Membership, Organisation]]] = field(default_factory=dict, compare=False)

    @classmethod
    def read(cls, conn: Connection) -> Snapshot:
        organisations = {o.id: o for o in queries.organisations(conn)}
        memberships: dict[str, list[Membership]] = defaultdict(list)
        for row in conn.execute(select(t.membership)):
            m = queries.to_membership(queries.fields_of(row, t.membership))
            memberships[m.organisation_id].append(m)
        regions: dict[str, list[Region]] = defaultdict(list)
        for row in conn.execute(select(t.region).order_by(t.region.c.name)):
            r = Region(**queries.fields_of(row, t.region))
            regions[r.layer_id].append(r)
        return cls(
            organisations=organisations,
            memberships=dict(memberships),
            municipalities=queries.all_municipalities(conn),
            classifications=queries.classifications(conn),
            layers=queries.layers(conn),
            regions=dict(regions),
            themes=queries.theme_labels(conn),
        )

    def municipalities_on(self, day: date, region: str | None = "Vlaanderen") -> list[Municipality]:
        """As queries.municipalities_on: the municipalities of ``day`` (of one region, or all), by name."""
        return [m for m in self.municipalities if m.period.contains(day) and (region is None or m.region == region)]

    def regions_of(self, layer_id: str) -> list[Region]:
        return self.regions.get(layer_id, [])

    @cached_property
    def _spans(self) -> list[tuple[Period, list[tuple[Membership, Period, Organisation, Period]]]]:
        """Per organisation its period and its memberships with theirs and their member's (made once)."""
        orgs = self.organisations
        return [
            (
                orgs[org_id].period,
                [(m, m.period, orgs[m.member_id], orgs[m.member_id].period) for m in found],
            )
            for org_id, found in self.memberships.items()
        ]

    def _in_force(self, day: date) -> list[tuple[Membership, Organisation]]:
        """Memberships in force on ``day`` whose organisation, member and named municipality exist that day
        (the condition of relations._effective); the last few days asked are kept."""
        found = self._in_force_on.get(day)
        if found is None:
            named = {m.nis for m in self.municipalities if m.period.contains(day)}
            found = [
                (m, member)
                for org_period, rows in self._spans
                if org_period.contains(day)
                for m, m_period, member, member_period in rows
                if m_period.contains(day)
                and member_period.contains(day)
                and (m.member_nis is None or m.member_nis in named)
            ]
            while len(self._in_force_on) >= 4:
                del self._in_force_on[next(iter(self._in_force_on))]
            self._in_force_on[day] = found
        return found

    def members_of_many(self, org_ids: Iterable[str], day: date) -> dict[str, list[Member]]:
        """As relations.members_of_many: organisation id -> its members on ``day``."""
        wanted = set(org_ids)
        pairs = ((ms, member) for ms, member in self._in_force(day) if ms.organisation_id in wanted)
        return as_members(pairs, self.municipalities_on(day, region=None))

    def layer_assignments(self, day: date) -> dict[str, dict[str, list[str]]]:
        """As relations.layer_assignment for every layer: layer id -> NIS code -> region keys on ``day``."""
        flemish = self.municipalities_on(day)
        key_of = {(r.organisation_id, r.layer_id): r.key for found in self.regions.values() for r in found}
        out: dict[str, dict[str, set[str]]] = {layer.id: {m.nis: set() for m in flemish} for layer in self.layers}
        for ms, _member in self._in_force(day):
            if ms.layer_id is None or ms.layer_id not in out:
                continue
            key = key_of.get((ms.organisation_id, ms.layer_id))
            of_layer = out[ms.layer_id]
            if key is not None and ms.member_nis in of_layer:
                of_layer[ms.member_nis].add(key)
        return {layer: {nis: sorted(keys) for nis, keys in found.items()} for layer, found in out.items()}
