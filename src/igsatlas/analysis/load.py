"""The landscape of one day, from the register."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import Connection

from igsatlas.analysis.landscape import Landscape, Structure
from igsatlas.domain.classifications import organisation_path
from igsatlas.domain.model import Family, Status
from igsatlas.state.view import RegisterView

ANALYSED_FAMILIES = (Family.IGS, Family.OCMW_ASSOCIATION, Family.ZONE, Family.REGION, Family.AUTONOMOUS, Family.OTHER)


def load(conn: Connection, day: date, register: RegisterView | None = None) -> Landscape:
    """The landscape of ``day``, from ``register`` (the whole register read once) or read from ``conn``."""
    if register is None:
        register = RegisterView.read(conn)
    municipalities = register.municipalities_on(day)
    names = {m.nis: m.name for m in municipalities}
    layers = list(register.layers.values())
    partitions = {
        layer: {n: tuple(k) for n, k in found.items() if k} for layer, found in register.layer_assignments(day).items()
    }
    region_names = {(layer.id, r.key): r.name for layer in layers for r in register.regions_in(layer.id)}
    layer_of: dict[str, str] = {}
    for layer in layers:
        for r in register.regions_in(layer.id):
            layer_of.setdefault(r.organisation_id, layer.id)
    kinds = register.classifications
    orgs = register.organisations
    themes = register.theme_labels
    candidates = [o.id for o in orgs.values() if kinds[o.classification].family in ANALYSED_FAMILIES]
    members: dict[str, set[str]] = defaultdict(set)
    for org_id, found in register.members_of_many(candidates, day).items():
        for m in found:
            if m.municipality is not None and m.municipality.nis in names:
                members[org_id].add(m.municipality.nis)
    structures = [
        Structure(
            id=org_id,
            name=orgs[org_id].name,
            kind=orgs[org_id].classification,
            family=kinds[orgs[org_id].classification].family.value,
            members=frozenset(found),
            layer=layer_of.get(org_id),
            url=organisation_path(orgs[org_id].classification, orgs[org_id].slug),
            themes=tuple(sorted(themes.get(org_id, []))),
            active=orgs[org_id].status != Status.INACTIVE,
        )
        for org_id, found in sorted(members.items(), key=lambda kv: (orgs[kv[0]].name, kv[0]))
        if found
    ]
    return Landscape(
        day=day,
        names=names,
        partitions=partitions,
        structures=structures,
        complete_layers=frozenset(layer.id for layer in layers if layer.complete),
        region_names=region_names,
        layer_sources={layer.id: layer.sources for layer in layers},
        layer_titles={layer.id: layer.naam for layer in layers if layer.naam},
    )
