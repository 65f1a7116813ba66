"""What the compliance rules look at: every organisation of a checked form, and every cultural, heritage and
IOED region, on one day, from the register."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import Connection

from igsatlas.analysis.report import Analysis
from igsatlas.domain.boundary_sets import vintage
from igsatlas.domain.classifications import organisation_path
from igsatlas.geo.shapes import area_km2
from igsatlas.legal.findings import Subject
from igsatlas.legal.reference import FORM_OF_CLASSIFICATION
from igsatlas.state.view import RegisterView
from igsatlas.store import queries
from igsatlas.store.population import populations_on

CHECKED_LAYERS = ("bovenlokale-cultuur", "erfgoedcel", "ioed")


def build(conn: Connection, analysis: Analysis, day: date, register: RegisterView) -> list[Subject]:
    """The subjects of ``day``; ``register`` is the whole register read once."""
    orgs = list(register.organisations.values())
    layers_of: dict[str, list[str]] = defaultdict(list)
    for layer in CHECKED_LAYERS:
        for r in register.regions_in(layer):
            layers_of[r.organisation_id].append(layer)
    chosen = [o for o in orgs if o.classification in FORM_OF_CLASSIFICATION or o.id in layers_of]
    members = register.members_of_many([o.id for o in chosen], day)
    structures = {s.id: s for s in analysis.landscape.structures}
    names = analysis.landscape.names
    populations = populations_on(conn, day)
    areas = {code: area_km2(path) for code, (_, path) in queries.boundaries(conn, "gemeente", vintage(day)).items()}
    region_area: dict[str, float] = defaultdict(float)
    for nis, key in analysis.partition.items():
        region_area[key] += areas.get(nis, 0.0)
    ioed_sets = {s.members for s in analysis.landscape.structures if s.id in layers_of and "ioed" in layers_of[s.id]}
    themes = register.theme_labels
    out = []
    for o in chosen:
        structure = structures.get(o.id)
        municipal = sorted(structure.members) if structure else []
        counted = [populations[n] for n in municipal if n in populations]
        fit = analysis.fit_of(o.id)
        out.append(
            Subject(
                id=o.id,
                name=o.name,
                url=organisation_path(o.classification, o.slug),
                kind=o.classification,
                form=FORM_OF_CLASSIFICATION.get(o.classification),
                active=o.status is None or o.status == "actief",
                day=day,
                founded=o.founding_date or o.valid_from,
                planned_end=o.planned_end_date,
                municipalities={n: names[n] for n in municipal},
                member_kinds={m.organisation.name: m.organisation.classification for m in members.get(o.id, [])},
                themes=tuple(themes.get(o.id, [])),
                layers=tuple(layers_of.get(o.id, [])),
                fit=fit,
                reference_region_km2=region_area.get(fit.best) if fit and fit.best else None,
                reference_region=analysis.region_name(fit.best) if fit else None,
                inhabitants=sum(n for n, _ in counted) if municipal and len(counted) == len(municipal) else None,
                population_year=max((y for _, y in counted), default=None),
                area_km2=round(sum(areas.get(n, 0.0) for n in municipal), 1) if municipal else None,
                same_members_as_ioed=bool(structure) and structure.members in ioed_sets,  # type: ignore[union-attr]
            )
        )
    return out
