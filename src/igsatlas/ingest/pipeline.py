"""The import: parse every source, reconcile them, and write the result in one transaction."""

from __future__ import annotations

import gc
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table

from igsatlas.domain import classifications as cls
from igsatlas.domain import edit_rules, kbo
from igsatlas.domain.edits import Conflict, Edit, EditState, apply_edits
from igsatlas.domain.model import Boundary, Dataset, Family, ImportIssue
from igsatlas.errors import ConflictError, InputError, InvalidArgumentError, Location
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
from igsatlas.ingest.report import ImportReport
from igsatlas.ingest.worker import in_worker
from igsatlas.store import edits as store_edits
from igsatlas.store import kbo as store_kbo
from igsatlas.store import schema, slugs
from igsatlas.store.changelog import TABLE_SOURCES, ChangeLog
from igsatlas.store.engine import create_schema
from igsatlas.store.lock import write_lock
from igsatlas.store.registration import ORIGIN_FILES
from igsatlas.store.sync import Plan, apply_deletes, apply_writes, patched, plan, rows_of, stored

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
    schema.locality: "locality",
    schema.theme: "theme",
    schema.organisation_theme: "organisation theme",
    schema.import_issue: "import issue",
}


@contextmanager
def _quiet(_label: str) -> Iterator[None]:
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
    step: Step = _quiet,
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
        schema.locality: list(data.localities),
        schema.theme: list(data.themes),
        schema.organisation_theme: list(data.organisation_themes),
        schema.import_issue: list(data.issues),
    }


@dataclass(frozen=True)
class Review:
    """An edit a reviewer accepts: it is published in the write that accepts it."""

    edit_id: int
    reviewer_id: int | None
    reason: str | None = None


def _id(edit: Edit) -> int:
    return edit.id


def acceptable(conn: Connection, edit_id: int) -> Edit:
    """The edit a reviewer accepts, if it still awaits review and its values are sound (edit_rules.py); else a
    clear refusal, and the edit stays as it was."""
    edit = store_edits.load(conn, edit_id)
    state = store_edits.state(conn, edit_id)
    if state != EditState.SUBMITTED:
        raise ConflictError(
            f"Wijziging {edit_id} werd intussen al beoordeeld ({state.value}).",
            code="edit-already-decided",
            hint="Open de wachtrij opnieuw om de beslissing te zien.",
        )
    found = edit_rules.problems(edit.payload)
    if found:
        raise InvalidArgumentError(
            f"Wijziging {edit_id} kan niet aanvaard worden: {edit_rules.summary(found)}",
            code="invalid-edit",
            hint="Wijs het voorstel af met deze reden; de indiener kan een verbeterd voorstel indienen.",
        )
    return edit


def compose(sources: Dataset, edits: list[Edit]) -> tuple[Dataset, list[Conflict]]:
    """The register: the sources plus the accepted edits, with the derived facts computed over the union."""
    data, conflicts = apply_edits(sources, edits)
    data.memberships.extend(reconcile.derive_successions(data))
    data.organisations = reconcile.assign_slugs(data.organisations)
    return data, conflicts


def write_dataset(
    engine: Engine,
    data: Dataset,
    report: ImportReport,
    *,
    source: str = "import",
    rebuild: bool = False,
    tables: tuple[Table, ...] = schema.CONTENT_TABLES,
    conflicts: list[Conflict] | None = None,
    also: Callable[[Connection], None] | None = None,
    allow_shrink: bool = False,
    changes_from: Dataset | None = None,
    via: str | None = None,
) -> None:
    """Make the tables hold exactly ``data``, in one transaction: all of it is written, or nothing.

    Every changed row is logged with its source in the same transaction. With ``rebuild`` every row is
    deleted and written afresh (the log still records only what differs); until the commit, readers see the
    old register, and a failure or a kill leaves it as it was. ``also`` writes more in the same transaction
    (the review of the edit being published). With ``changes_from`` (the register composed from the same sources
    without the edit being published) only what differs between it and ``data`` is written over the stored rows:
    a data file changed since the last import waits for the next import.
    """
    records = _records(data)
    log = ChangeLog.start(source, data.field_origins, via)
    desired = {table: rows_of(records[table]) for table in tables}
    before = None if changes_from is None else _records(changes_from)
    with engine.begin() as conn:
        existing = {table: stored(conn, table) for table in tables}
        if before is not None:
            desired = {t: patched(t, existing[t], rows_of(before[t]), desired[t]) for t in tables}
        plans = {table: plan(conn, table, desired[table], existing[table]) for table in tables}
        if not allow_shrink:
            refuse_shrinking(plans, desired)
        # Children are deleted first; organisations last, after the rows that pointed at one (a merge moves
        # them) were updated. An organisation about to go gives up its slug first, so another may take it.
        # A classification that goes (its last organisation went, as when `igs sync --rebootstrap` drops what
        # later files had added) is deleted after the organisations.
        parents = [t for t in (schema.organisation, schema.classification) if t in tables and not rebuild]
        for table in reversed(tables):
            if table not in parents:
                apply_deletes(conn, plans[table], log, everything=rebuild)
        if schema.organisation in parents:
            for key, _ in plans[schema.organisation].deletes:
                conn.execute(
                    schema.organisation.update().where(schema.organisation.c.id == key[0]).values(slug=f"~{key[0]}")
                )
        for table in tables:
            apply_writes(conn, plans[table], log, everything=rebuild, desired=desired[table] if rebuild else ())
            report.changes[KINDS[table]] = plans[table].change
        for table in parents:
            apply_deletes(conn, plans[table], log)
        if schema.organisation in tables:
            slugs.record(conn, data.organisations)  # an old address keeps answering (301 to the new one)
        if also is not None:
            also(conn)
        report.conflicts = store_edits.record_conflicts(conn, conflicts or [])
        log.write(conn)
        report.logged = len(log.entries)
        if report.changed or report.conflicts:
            bump_content_version(conn)


SHRINK_LIMIT = 0.05  # an import may not remove more than this share of a kind's rows from one source
SHRINK_MINIMUM = 20  # kinds with fewer rows are not guarded


def _origin_of(table: Table, row: Mapping[str, Any]) -> str | None:
    """Which input file a row comes from (None for rows the import derives or edits make)."""
    origin = row.get("origin")
    if isinstance(origin, str):
        return ORIGIN_FILES.get(origin)
    return TABLE_SOURCES.get(table.name)


def refuse_shrinking(plans: Mapping[Table, Plan], desired: Mapping[Table, Sequence[Mapping[str, Any]]]) -> None:
    """Stop an import that would remove more than SHRINK_LIMIT of what one input file gave last time: a file
    cut short or emptied by accident must not silently empty the register."""
    for table, p in plans.items():
        before = Counter(_origin_of(table, row) for row in p.existing)
        after = Counter(_origin_of(table, row) for row in desired[table])
        for origin, n in before.items():
            lost = n - after[origin]
            if origin is not None and n >= SHRINK_MINIMUM and lost > SHRINK_LIMIT * n:
                raise InputError(
                    f"this import would remove {lost:,} of the {n:,} {KINDS[table]} rows that came from this "
                    f"file last time ({lost / n:.0%}); the file looks cut short or emptied.",
                    code="import-shrinks",
                    location=Location(origin),
                    hint="Check the file against its source. If the source really removed them, run "
                    "`igs import --allow-shrink`. Nothing was imported.",
                )


def bump_content_version(conn: Connection) -> None:
    """Readers (every process's page cache and indexes) see that the register changed."""
    conn.execute(schema.meta.delete().where(schema.meta.c.key == "content_version"))
    conn.execute(schema.meta.insert().values(key="content_version", value=uuid.uuid4().hex))


def run_import(
    engine: Engine,
    data_dir: Path,
    *,
    skip_invalid: bool = False,
    rebuild: bool = False,
    step: Step = _quiet,
    sources: Dataset | None = None,
    source: str = "import",
    accept: Review | None = None,
    lock_wait: float = 60.0,
    allow_shrink: bool = False,
    only_edit: int | None = None,
    also: Callable[[Connection], None] | None = None,
    via: str | None = None,
    kbo_facts: Mapping[str, kbo.KboEnterprise] | None = None,
) -> ImportReport:
    """Parse the data folder (or take ``sources`` already parsed), compose it with the accepted edits and
    write the register. One writer at a time (see store/lock.py). ``accept``: publish this edit, accepting
    it in the same transaction. ``accept`` or ``only_edit`` (an edit whose review just changed): write only what
    that edit changes, whatever else changed in the data folder since the last import. ``also``: write more in
    the same transaction (what `igs sync` applied). Once `igs sync` follows the Organisatieportaal, the register
    comes from what its stream said last, not from the data folder's snapshot. The KBO's facts (``kbo_facts``, else
    those stored by the last `igs kbo import`) give founding dates where the sources have none (domain/kbo.py)."""
    with without_cycle_collection():
        return _run_import(
            engine,
            data_dir,
            skip_invalid=skip_invalid,
            rebuild=rebuild,
            step=step,
            sources=sources,
            source=source,
            accept=accept,
            lock_wait=lock_wait,
            allow_shrink=allow_shrink,
            only_edit=only_edit,
            also=also,
            via=via,
            kbo_facts=kbo_facts,
        )


def _run_import(
    engine: Engine,
    data_dir: Path,
    *,
    skip_invalid: bool,
    rebuild: bool,
    step: Step,
    sources: Dataset | None,
    source: str,
    accept: Review | None,
    lock_wait: float,
    allow_shrink: bool,
    only_edit: int | None,
    also: Callable[[Connection], None] | None,
    via: str | None,
    kbo_facts: Mapping[str, kbo.KboEnterprise] | None,
) -> ImportReport:
    started = time.perf_counter()
    problems = Problems(skip_invalid=skip_invalid)
    if sources is None:
        from igsatlas.ingest.opregister import stored_register

        create_schema(engine)
        sources = build_dataset(data_dir, problems, step, stored_register(engine))
    report = ImportReport()
    with write_lock(engine, lock_wait):
        create_schema(engine)
        with engine.connect() as conn:
            edits = store_edits.accepted(conn)
            sources = kbo.apply(sources, store_kbo.facts(conn) if kbo_facts is None else kbo_facts)
            if accept is not None:
                edits.append(acceptable(conn, accept.edit_id))
                only_edit = accept.edit_id
            edited = None if only_edit is None else store_edits.load(conn, only_edit)
        data, conflicts = compose(sources, edits)
        before = None
        if edited is not None:  # the register as it was before this edit's review, from the same sources
            others = [e for e in edits if e.id != edited.id]
            before, _ = compose(sources, others if accept is not None else sorted([*others, edited], key=_id))
        extra = also
        if accept is not None:
            review = accept

            def extra(conn: Connection) -> None:
                store_edits.review(conn, review.edit_id, EditState.ACCEPTED, review.reviewer_id, review.reason)
                if also is not None:
                    also(conn)

        with step("writing the database"):
            write_dataset(
                engine,
                data,
                report,
                source=source,
                rebuild=rebuild,
                conflicts=conflicts,
                also=extra,
                allow_shrink=allow_shrink or edited is not None,
                changes_from=before,
                via=via,
            )
    for reject in problems.rejects:
        report.rejected[reject.kind] = report.rejected.get(reject.kind, 0) + 1
    report.rejects = problems.rejects
    report.seconds = time.perf_counter() - started
    return report
