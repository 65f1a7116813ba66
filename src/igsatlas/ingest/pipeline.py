"""The import: the parsed sources (ingest/sources.py) composed with the accepted edits and written in one
transaction."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table

from igsatlas.domain import edit_rules, kbo
from igsatlas.domain.edits import Conflict, Edit, EditState, apply_edits
from igsatlas.domain.model import Dataset
from igsatlas.errors import ConflictError, InputError, InvalidArgumentError, Location
from igsatlas.ingest import (
    reconcile,
)
from igsatlas.ingest.problems import Problems
from igsatlas.ingest.report import ImportReport
from igsatlas.ingest.sources import Step, build_dataset, quiet, without_cycle_collection
from igsatlas.store import edits as store_edits
from igsatlas.store import kbo as store_kbo
from igsatlas.store import schema, slugs
from igsatlas.store.changelog import TABLE_SOURCES, ChangeLog
from igsatlas.store.engine import create_schema
from igsatlas.store.lock import write_lock
from igsatlas.store.registration import ORIGIN_FILES
from igsatlas.store.sync import Plan, apply_deletes, apply_writes, patched, plan, rows_of, stored

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
    step: Step = quiet,
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
