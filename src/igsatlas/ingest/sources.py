"""The sources of an import, parsed and reconciled into one Dataset: the municipalities, layers and their
members, the register (the data folder's LBLOD snapshot or what `igs sync` holds), the published pages,
places, themes, population and boundaries. Nothing is written here (ingest/pipeline.py writes)."""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from igsatlas.domain import classifications as cls
from igsatlas.domain.model import Boundary, Dataset, Family, ImportIssue
from igsatlas.ingest import (
    geometry,
    lblod,
    municipalities,
    places,
    population,
    published,
    reconcile,
    regions,
    themes,
)
from igsatlas.ingest.names import name_key
from igsatlas.ingest.problems import Problems
from igsatlas.ingest.worker import in_worker

Step = Callable[[str], AbstractContextManager[None]]


@contextmanager
def quiet(_label: str) -> Iterator[None]:
    yield


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    """An import builds a few million objects (the register's triples, records and rows) and frees them by
    reference counting; the cycle collector's passes over them find nothing and cost a fifth of the import.
    It is paused while the import runs, and left as it was."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _read_geometry(data_dir: Path, skip_invalid: bool) -> tuple[list[Boundary], Problems]:
    """Boundaries, independent of the other sources: read in a worker process."""
    problems = Problems(skip_invalid=skip_invalid)
    return geometry.parse(data_dir, None, problems), problems


def build_dataset(
    data_dir: Path,
    problems: Problems,
    step: Step = quiet,
    register: lblod.LblodData | Callable[[], lblod.LblodData] | None = None,
) -> Dataset:
    """Parse and reconcile all sources into the records to store. Raises InputError on bad input.

    ``register``: the register's records when they come from elsewhere than the data folder's snapshot (what
    `igs sync` holds from the Organisatieportaal's stream), or what gives them once the other files are read
    (a dump being read in a worker process meanwhile).

    The shapefiles are read in a worker process while this process parses the other sources (two cores,
    about half a second saved); their NIS codes are checked here once the municipalities are known.
    """
    with in_worker(_read_geometry, data_dir, problems.skip_invalid) as geo:
        data = _build_register(data_dir, problems, step, register)
        known = {m.nis for m in data.municipalities}
        with step("population"):
            data.populations = population.parse(data_dir, known, problems)
        with step("boundaries"):
            boundaries, geo_problems = geo()
    problems.rejects.extend(geo_problems.rejects)
    data.boundaries = geometry.known_only(boundaries, known, problems)
    return data


def _build_register(
    data_dir: Path, problems: Problems, step: Step, given: lblod.LblodData | Callable[[], lblod.LblodData] | None
) -> Dataset:
    # The small files first: a fault in one is reported before the register snapshot is parsed.
    with step("municipalities and layers"):
        munis = municipalities.parse(data_dir, problems)
        layers = regions.parse_layers(data_dir, problems, sum(1 for m in munis if m.in_set_2025))
        rows, unresolved = regions.parse_memberships(data_dir, layers, munis, problems)
    with step("LBLOD register (RDF)"):
        if given is None:
            register = lblod.parse(data_dir, problems)
        else:
            register = given if isinstance(given, lblod.LblodData) else given()
    with step("reconciling sources"):
        munis, issues = reconcile.link_municipalities(munis, register)
        region_list, region_orgs, region_names, region_issues = reconcile.build_regions(layers, rows, register)
        data = Dataset(
            classifications=[*register.classifications, cls.REGION],
            municipalities=munis,
            organisations=[*register.organisations, *region_orgs],
            names=[*register.names, *region_names],
            memberships=[*register.memberships],
            layers=layers,
            regions=region_list,
            events=register.events,
            event_parties=register.parties,
            issues=[
                *issues,
                *region_issues,
                *(
                    ImportIssue(f"unresolved:{line}", regions.MEMBERSHIPS_FILE, line, "unresolved-municipality", msg)
                    for line, msg in unresolved
                ),
            ],
        )
        data.memberships.extend(reconcile.layer_memberships(rows, region_list, munis))
        _add_published(data_dir, data, problems)
        data.localities = places.parse(data_dir, {m.nis for m in munis}, problems)
        data.themes, data.organisation_themes = themes.parse(
            data_dir, {o.uri: o.id for o in register.organisations if o.uri}, problems
        )
        data.organisation_themes += themes.derived(
            data.themes, data.organisation_themes, data.organisations, data.classifications, region_list, layers
        )
    return data


def _known_records(data: Dataset) -> dict[str, list[published.Known]]:
    """Name key -> the organisations (not local governments, not the atlas's own region records) and the layer
    regions of that name."""
    families = {c.code: c.family for c in data.classifications}
    skip = {
        o.id for o in data.organisations if families.get(o.classification) in (Family.LOCAL_GOVERNMENT, Family.REGION)
    }
    found = [(o.name, published.Known(o.id, None)) for o in data.organisations if o.id not in skip]
    found += [(n.name, published.Known(n.organisation_id, None)) for n in data.names if n.organisation_id not in skip]
    found += [(r.name, published.Known(r.organisation_id, r.layer_id)) for r in data.regions]
    out: dict[str, list[published.Known]] = defaultdict(list)
    for name, known in found:
        key = name_key(name)
        if key and known not in out[key]:
            out[key].append(known)
    return out


def _add_published(data_dir: Path, data: Dataset, problems: Problems) -> None:
    """Cooperations that public pages name: new organisations, or names and members of existing ones."""
    found = published.parse(
        data_dir,
        data.municipalities,
        _known_records(data),
        {m.nis: m.organisation_id for m in data.municipalities},
        problems,
    )
    data.classifications.extend([published.ILV, published.UNSTATED])
    data.organisations.extend(found.organisations)
    # A linked record keeps its own members; the pages add only the members it lacks.
    own = {(m.organisation_id, m.member_id) for m in data.memberships}
    data.memberships.extend(m for m in found.memberships if (m.organisation_id, m.member_id) not in own)
    present = {(n.organisation_id, n.name) for n in data.names} | {(o.id, o.name) for o in data.organisations}
    for n in found.names:
        if (n.organisation_id, n.name) not in present:
            present.add((n.organisation_id, n.name))
            data.names.append(n)
    data.issues.extend(found.issues)
    data.issues.extend(
        ImportIssue(f"published-linked:{name}", published.FILE, None, "linked-to-existing", f"{name} -> {org}")
        for name, org in sorted(found.linked.items())
    )
