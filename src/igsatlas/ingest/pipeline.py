"""The import: parse every source, reconcile them, and write the result in one transaction."""

from __future__ import annotations

import multiprocessing
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from sqlalchemy import Engine

from igsatlas.domain import classifications as cls
from igsatlas.domain.model import Boundary, Dataset, ImportIssue, Population
from igsatlas.ingest import geometry, lblod, municipalities, population, reconcile, regions, themes
from igsatlas.ingest.problems import Problems
from igsatlas.ingest.report import ImportReport
from igsatlas.store import schema
from igsatlas.store.engine import create_schema, drop_schema, schema_version
from igsatlas.store.sync import apply_deletes, apply_writes, plan, rows_of

Step = Callable[[str], AbstractContextManager[None]]

# table -> the name of the kind of record in reports
KINDS = {
    schema.classification: "classification",
    schema.layer: "layer",
    schema.organisation: "organisation",
    schema.organisation_name: "organisation name",
    schema.region: "region",
    schema.municipality: "municipality",
    schema.membership: "membership",
    schema.change_event: "change event",
    schema.change_event_party: "change event party",
    schema.boundary: "boundary",
    schema.population: "population",
    schema.theme: "theme",
    schema.organisation_theme: "organisation theme",
    schema.import_issue: "import issue",
}


@contextmanager
def _quiet(_label: str) -> Iterator[None]:
    yield


def _read_geometry(data_dir: Path, skip_invalid: bool) -> tuple[list[Boundary], list[Population], Problems]:
    """Boundaries and population, independent of the other sources: read in a worker process."""
    problems = Problems(skip_invalid=skip_invalid)
    return geometry.parse(data_dir, None, problems), population.parse(data_dir, None, problems), problems


def build_dataset(data_dir: Path, problems: Problems, step: Step = _quiet) -> Dataset:
    """Parse and reconcile all sources into the records to store. Raises InputError on bad input.

    The shapefiles are read in a forked worker while this process parses the LBLOD graph (two cores, about
    half a second saved); their NIS codes are checked here once the municipalities are known.
    """
    context = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        geo = pool.submit(_read_geometry, data_dir, problems.skip_invalid)
        data = _build_register(data_dir, problems, step)
        with step("boundaries and population"):
            boundaries, populations, geo_problems = geo.result()
    problems.rejects.extend(geo_problems.rejects)
    known = {m.nis for m in data.municipalities}
    data.boundaries = geometry.known_only(boundaries, known, problems)
    data.populations = [p for p in populations if p.nis in known]
    return data


def _build_register(data_dir: Path, problems: Problems, step: Step) -> Dataset:
    with step("LBLOD register (RDF)"):
        register = lblod.parse(data_dir, problems)
    with step("municipalities and layers"):
        munis = municipalities.parse(data_dir, problems)
        layers = regions.parse_layers(data_dir, problems, sum(1 for m in munis if m.in_set_2025))
        rows, unresolved = regions.parse_memberships(data_dir, layers, munis, problems)
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
        data.memberships.extend(reconcile.derive_successions(data))
        data.organisations = reconcile.assign_slugs(data.organisations)
        data.themes, data.organisation_themes = themes.parse(
            data_dir, {o.uri: o.id for o in register.organisations if o.uri}, problems
        )
    return data


def _records(data: Dataset) -> dict[object, list[object]]:
    return {
        schema.classification: list(data.classifications),
        schema.layer: list(data.layers),
        schema.organisation: list(data.organisations),
        schema.organisation_name: list(data.names),
        schema.region: list(data.regions),
        schema.municipality: list(data.municipalities),
        schema.membership: list(data.memberships),
        schema.change_event: list(data.events),
        schema.change_event_party: list(data.event_parties),
        schema.boundary: list(data.boundaries),
        schema.population: list(data.populations),
        schema.theme: list(data.themes),
        schema.organisation_theme: list(data.organisation_themes),
        schema.import_issue: list(data.issues),
    }


def write_dataset(engine: Engine, data: Dataset, report: ImportReport) -> None:
    """Make the tables hold exactly ``data``, in one transaction: all of it is written, or nothing."""
    records = _records(data)
    with engine.begin() as conn:
        plans = {table: plan(conn, table, rows_of(records[table])) for table in schema.CONTENT_TABLES}
        for table in reversed(schema.CONTENT_TABLES):
            apply_deletes(conn, table, plans[table][2])
        for table in schema.CONTENT_TABLES:
            inserts, updates, _, change = plans[table]
            apply_writes(conn, table, inserts, updates)
            report.changes[KINDS[table]] = change
        if report.changed:
            # Readers (the web's page cache) see that the register changed.
            conn.execute(schema.meta.delete().where(schema.meta.c.key == "content_version"))
            conn.execute(schema.meta.insert().values(key="content_version", value=uuid.uuid4().hex))


def run_import(
    engine: Engine,
    data_dir: Path,
    *,
    skip_invalid: bool = False,
    step: Step = _quiet,
) -> ImportReport:
    started = time.perf_counter()
    problems = Problems(skip_invalid=skip_invalid)
    data = build_dataset(data_dir, problems, step)
    report = ImportReport()
    if schema_version(engine) not in (None, schema.SCHEMA_VERSION):
        # Everything in the database is derived from the data folder, so a rebuild loses nothing.
        drop_schema(engine)
        report.rebuilt = True
    create_schema(engine)
    with step("writing the database"):
        write_dataset(engine, data, report)
    for reject in problems.rejects:
        report.rejected[reject.kind] = report.rejected.get(reject.kind, 0) + 1
    report.rejects = problems.rejects
    report.seconds = time.perf_counter() - started
    return report
