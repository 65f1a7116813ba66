"""`igs kbo import`: read a KBO Open Data extract, keep what it says of the atlas's KBO numbers, and compose the
register with it, all in one transaction: the facts, the founding dates they give, the proposals where the KBO
and the register disagree, and the change log of each. A bad file stops before anything is written."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, select

from igsatlas.domain import kbo
from igsatlas.domain.identifiers import kbo_is_valid
from igsatlas.domain.model import Organisation
from igsatlas.errors import InputError, Location
from igsatlas.ingest import kbo as kbo_files
from igsatlas.ingest.opregister import stored_register
from igsatlas.ingest.pipeline import bump_content_version, run_import
from igsatlas.ingest.problems import Problems
from igsatlas.ingest.report import ImportReport
from igsatlas.ingest.sources import Step, build_dataset, quiet
from igsatlas.store import kbo as store_kbo
from igsatlas.store import queries, schema
from igsatlas.store.engine import create_schema
from igsatlas.store.sync import TableChange


@dataclass
class KboReport:
    kind: str
    source: str
    rows: int = 0  # enterprise rows in the extract (all of Belgium)
    known: int = 0  # distinct valid KBO numbers in the atlas
    found: int = 0  # of those, listed by the KBO after this extract
    not_in_kbo: list[tuple[str, str]] = field(default_factory=list)  # (number, organisation) the KBO does not list
    other: int = 0  # enterprises of the extract the atlas does not know
    facts: TableChange = field(default_factory=TableChange)
    founding_dates: int = 0  # organisations whose founding date comes from the KBO
    proposals: int = 0  # new disagreements put in the review queue
    already: bool = False  # an update extract imported before: nothing was done
    register: ImportReport = field(default_factory=ImportReport)
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        f = self.facts
        return bool(f.inserted or f.updated or f.removed or self.proposals or self.register.changed)


def _atlas_numbers(organisations: Iterable[Organisation]) -> dict[str, list[str]]:
    """Valid KBO number -> the names of the organisations that carry it."""
    out: dict[str, list[str]] = {}
    for o in organisations:
        if o.kbo and o.kbo_note is None and kbo_is_valid(o.kbo):
            out.setdefault(o.kbo, []).append(o.name)
    return out


def _in_order(last: dict[str, object] | None, extract: kbo_files.Extract, label: str) -> bool:
    """False when this update extract was imported before; an error when extracts would be applied out of order."""
    number = extract.snapshot.number
    before = last.get("nummer") if last else None
    if extract.kind == kbo_files.UPDATE and last is None:
        raise InputError(
            "this is an update extract, but no full extract was imported yet.",
            code="kbo-update-without-full",
            location=Location(label),
            hint="Import the latest full extract first (KboOpenData_<nr>_<yyyy>_<mm>_Full.zip), then the updates "
            "after it. Nothing was imported.",
        )
    if number is None or not isinstance(before, int):
        return True
    if extract.kind == kbo_files.UPDATE and number <= before:
        return False
    if extract.kind == kbo_files.UPDATE and number > before + 1:
        raise InputError(
            f"this update extract is number {number}, but the last one imported is {before}: "
            f"{', '.join(str(n) for n in range(before + 1, number))} would be skipped.",
            code="kbo-extract-gap",
            location=Location(label),
            hint="Import the missing update extracts in order, or the latest full extract. Nothing was imported.",
        )
    if extract.kind == kbo_files.FULL and number < before:
        raise InputError(
            f"this full extract is number {number}, older than number {before} imported already.",
            code="kbo-extract-older",
            location=Location(label),
            hint="Import the latest full extract. Nothing was imported.",
        )
    return True


KBO_FOLDER = "kbo"  # in the data folder: one extract, unpacked or as its zip, that `igs import` reads too


def extract_in(data_dir: Path) -> Path | None:
    """The KBO extract the data folder holds (``kbo/``, its files or one KboOpenData_*.zip), if any."""
    folder = data_dir / KBO_FOLDER
    if not folder.is_dir():
        return None
    zips = sorted(folder.glob("KboOpenData_*.zip"))
    if len(zips) == 1 and not (folder / "enterprise.csv").exists():
        return zips[0]
    return folder if any(folder.glob("enterprise*.csv")) else None


def _rejects(report: ImportReport, problems: Problems) -> None:
    """The records the data folder's parse rejected (--skip-invalid), in the register's report."""
    for reject in problems.rejects:
        report.rejected[reject.kind] = report.rejected.get(reject.kind, 0) + 1
    report.rejects = problems.rejects


def run_kbo_import(
    engine: Engine,
    data_dir: Path,
    path: Path,
    *,
    step: Step = quiet,
    with_register: bool = False,
    **options: Any,
) -> KboReport:
    """Import the extract at ``path`` and compose the register with it in one transaction. ``with_register``
    (`igs import`): write the register from the data folder even when the extract was imported before; ``options``
    go to run_import (skip_invalid, rebuild, allow_shrink)."""
    started = time.perf_counter()
    create_schema(engine)
    problems = Problems(skip_invalid=bool(options.pop("skip_invalid", False)))
    sources = build_dataset(data_dir, problems, step, stored_register(engine))
    numbers = _atlas_numbers(sources.organisations)  # the register being written: also a first import's
    with engine.connect() as conn:
        stored = store_kbo.facts(conn)
        last = store_kbo.last_extract(conn)
    with step("reading the KBO extract"):
        extract = kbo_files.parse(path, set(numbers))
    snapshot = extract.snapshot
    report = KboReport(extract.kind, snapshot.source, rows=extract.rows, known=len(numbers))
    if not _in_order(last, extract, path.name):
        report.already = True
        if with_register:
            report.register = run_import(engine, data_dir, sources=sources, step=step, **options)
            _rejects(report.register, problems)
        report.seconds = time.perf_counter() - started
        return report
    if extract.kind == kbo_files.FULL:
        facts = kbo.full_extract(stored, extract.enterprises, extract.names, extract.addresses, snapshot)
    else:
        facts = kbo.update_extract(
            stored,
            extract.enterprises,
            extract.deleted,
            extract.names,
            extract.names_deleted,
            extract.addresses or {},
            extract.addresses_deleted,
            snapshot,
        )
    listed = {n for n, e in facts.items() if e.listed}
    report.found = len(listed & set(numbers))
    report.not_in_kbo = sorted((n, ", ".join(sorted(names))) for n, names in numbers.items() if n not in listed)
    report.other = max(extract.rows - len(extract.enterprises), 0)

    def write(conn: Connection) -> None:
        report.facts = store_kbo.write(conn, facts, extract.kind, snapshot)
        found = kbo.proposals(queries.organisations(conn), facts, queries.classifications(conn).values())
        report.proposals = store_kbo.submit_proposals(conn, found)
        if report.facts.inserted or report.facts.updated or report.facts.removed or report.proposals:
            bump_content_version(conn)

    report.register = run_import(
        engine, data_dir, sources=sources, kbo_facts=facts, also=write, source=snapshot.source, step=step, **options
    )
    _rejects(report.register, problems)
    with engine.connect() as conn:
        o = schema.organisation
        report.founding_dates = len(
            [
                1
                for kbo_number, founded in conn.execute(select(o.c.kbo, o.c.founding_date))
                if kbo_number in facts and founded == facts[kbo_number].start_date
            ]
        )
    report.seconds = time.perf_counter() - started
    return report
