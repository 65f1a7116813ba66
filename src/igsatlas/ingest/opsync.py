"""`igs sync`: follow the Organisatieportaal's public delta stream.

Without sync state (or with ``rebootstrap``) the newest dump becomes the register's source, written like an
import. Then every delta file created since is applied, in order of ``created``, each in one transaction with
the new resume point: a kill leaves the atlas at a file boundary, and the next run goes on from there. A file
that cannot be read stops the run with its id, ``created`` and changeset; nothing of it is applied and later
files wait.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import Connection, Engine, select

from igsatlas.errors import InputError, Location, SourceError
from igsatlas.ingest import deltas, lblod, opregister
from igsatlas.ingest.changesets import Changeset, ChangesetError, parse_delta, parse_dump
from igsatlas.ingest.opregister import SyncState
from igsatlas.ingest.opstream import DeltaFile, Stream, dump_moment, format_moment, parse_moment
from igsatlas.ingest.pipeline import bump_content_version, run_import
from igsatlas.ingest.problems import Problems
from igsatlas.ingest.sources import build_dataset, without_cycle_collection
from igsatlas.ingest.worker import in_worker
from igsatlas.store import schema_sources, triples
from igsatlas.store.changelog import now
from igsatlas.store.engine import create_schema
from igsatlas.store.lock import write_lock

ONE_MS = timedelta(milliseconds=1)


@dataclass(frozen=True)
class FileReport:
    id: str
    name: str
    created: str
    changesets: int
    deleted: int
    inserted: int
    not_held: int
    repeated: int
    way: str  # "delta": only the records it names; "full": the whole register composed again
    seconds: float


@dataclass
class SyncReport:
    bootstrapped: str | None = None  # the dump's file name
    bootstrap_triples: int = 0
    files: list[FileReport] = field(default_factory=list)
    rejects: list[str] = field(default_factory=list)
    state: SyncState | None = None
    seconds: float = 0.0


Say = Callable[[str], None]


def _quiet(_text: str) -> None:
    return None


def run_sync(
    engine: Engine,
    data_dir: Path,
    stream: Stream,
    *,
    rebootstrap: bool = False,
    say: Say = _quiet,
) -> SyncReport:
    started = time.perf_counter()
    create_schema(engine)
    report = SyncReport()
    with engine.connect() as conn:
        current = opregister.state(conn)
    if current is not None and current.source_url != stream.base and not rebootstrap:
        raise SourceError(
            f"the atlas follows {current.source_url}, not {stream.base}.",
            code="sync-other-source",
            hint="Run `igs sync --rebootstrap` to follow the new address from its newest dump.",
        )
    if current is None or rebootstrap:
        bootstrap(engine, data_dir, stream, report, say)
    follow(engine, data_dir, stream, report, say)
    with engine.connect() as conn:
        report.state = opregister.state(conn)
    report.seconds = time.perf_counter() - started
    return report


def _read_dump(body: bytes, filename: str, source_date: date) -> tuple[lblod.LblodData, Problems, str]:
    """In a worker process: the dump's register, what reading it found wrong, and its triples packed for the
    table (store/triples.py)."""
    gc.disable()  # this process ends with the task: the cycle collector would only cost time (see pipeline.py)
    problems = Problems(skip_invalid=True)
    held = list(parse_dump(body, filename))
    register = opregister.read_register(filename, held, source_date, problems)
    return register, problems, triples.pack(held)


def bootstrap(engine: Engine, data_dir: Path, stream: Stream, report: SyncReport, say: Say = _quiet) -> None:
    """Load the newest dump as the register's source, through the import's write (change log, edits).

    The dump is parsed in a worker process while this one reads the data folder's other sources (two cores:
    the dump's parse and the CSV files take about as long)."""
    dump = stream.latest_dump()
    say(f"dump {dump.filename} ({len(dump.body):,} bytes, released {format_moment(dump.released)})")
    at = now()
    released = format_moment(dump.released)
    state = SyncState(
        source_url=stream.base,
        dump_name=dump.filename,
        dump_released=released,
        resume_from=format_moment(dump_moment(dump.filename, dump.released)),
        last_file_id=None,
        last_file_created=None,
        last_applied_at=at,
        last_asked_at=at,
    )
    problems = Problems(skip_invalid=True)
    packed = ""

    def register() -> lblod.LblodData:
        nonlocal packed
        found: lblod.LblodData
        dump_problems: Problems
        found, dump_problems, packed = read()
        problems.rejects.extend(dump_problems.rejects)
        return found

    with without_cycle_collection(), in_worker(_read_dump, dump.body, dump.filename, state.source_date) as read:
        sources = build_dataset(data_dir, problems, register=register)

    def also(conn: Connection) -> None:
        report.bootstrap_triples = triples.replace_all_packed(conn, packed)
        conn.execute(schema_sources.op_file.delete())
        _record(conn, f"dump:{dump.file_id}", dump.filename, released, 0, report.bootstrap_triples, state)

    via = f"Organisatieportaal {dump.filename}"
    run_import(engine, data_dir, sources=sources, source=via, also=also, via=via)
    report.bootstrapped = dump.filename
    report.rejects.extend(f"{dump.filename}: {r.render()}" for r in problems.rejects)


def _record(conn: Connection, file_id: str, name: str, created: str, changesets: int, n: int, st: SyncState) -> None:
    conn.execute(
        schema_sources.op_file.insert().values(
            id=file_id, name=name, created=created, applied_at=now(), changesets=changesets, triples=n
        )
    )
    opregister.save_state(conn, st)


def _applied(conn: Connection, ids: Sequence[str]) -> set[str]:
    f = schema_sources.op_file
    return set(conn.execute(select(f.c.id).where(f.c.id.in_(list(ids)))).scalars()) if ids else set()


def follow(engine: Engine, data_dir: Path, stream: Stream, report: SyncReport, say: Say = _quiet) -> None:
    """Apply every delta file created after the resume point, page after page."""
    while True:
        with engine.connect() as conn:
            state = opregister.state(conn)
        assert state is not None
        # Files created in the same millisecond may straddle a page: ask from 1 ms before, skip what we have.
        page = stream.files_since(parse_moment(state.resume_from) - ONE_MS)
        with engine.begin() as conn:
            t = schema_sources.sync_state
            conn.execute(t.update().where(t.c.stream == opregister.STREAM).values(last_asked_at=now()))
            done = _applied(conn, [f.id for f in page])
        todo = [f for f in page if f.id not in done]
        if not todo:
            return
        for f in todo:
            report.files.append(apply_file(engine, data_dir, stream, f, report, say))


def _unreadable(f: DeltaFile, message: str, index: int | None) -> InputError:
    where = f"changeset {index}" if index is not None else "the file"
    return InputError(
        f"delta file {f.id} (created {f.created_text}): {where}: {message}",
        code="invalid-delta-file",
        location=Location(f.name or f.id, None, f"{where}, created {f.created_text}"),
        hint="Nothing of this file was applied and later files wait. Report it to the Organisatieportaal "
        "(Agentschap Binnenlands Bestuur); `igs sync --rebootstrap` starts again from the newest dump.",
    )


def apply_file(
    engine: Engine, data_dir: Path, stream: Stream, f: DeltaFile, report: SyncReport, say: Say = _quiet
) -> FileReport:
    started = time.perf_counter()
    try:
        body = stream.download(f.id)
    except SourceError as exc:
        raise SourceError(
            f"delta file {f.id} (created {f.created_text}) could not be downloaded: {exc.message}",
            code=exc.code,
            hint="Nothing of it was applied and later files wait; run `igs sync` again later.",
        ) from None
    try:
        changesets = parse_delta(body)
    except ChangesetError as exc:
        raise _unreadable(f, str(exc), exc.index) from None
    try:
        applied, way = apply_quickly(engine, f, changesets), "delta"
    except deltas.NeedsFull as why:
        say(f"{f.name or f.id}: the whole register is composed again ({why})")
        applied, way = apply_fully(engine, data_dir, f, changesets, report), "full"
    done = FileReport(
        f.id,
        f.name,
        f.created_text,
        len(changesets),
        len(applied.deleted),
        len(applied.inserted),
        applied.not_held,
        applied.repeated,
        way,
        time.perf_counter() - started,
    )
    say(
        f"{f.name or f.id} (created {f.created_text}): {done.changesets} changesets, -{done.deleted} +{done.inserted}"
        f" triples ({done.way}, {done.seconds * 1000:.0f} ms)"
        + (f"; {done.not_held} deletes of triples the atlas did not hold (ignored)" if done.not_held else "")
        + (f"; {done.repeated} inserts of triples it held already" if done.repeated else "")
    )
    return done


def _next_state(conn: Connection, f: DeltaFile) -> SyncState:
    state = opregister.state(conn)
    assert state is not None
    if f.id in _applied(conn, [f.id]):
        raise SourceError(f"delta file {f.id} was applied meanwhile by another run.", code="sync-in-progress")
    at = now()
    return SyncState(
        **{
            **state.__dict__,
            "resume_from": max(state.resume_from, f.created_text, key=parse_moment),
            "last_file_id": f.id,
            "last_file_created": f.created_text,
            "last_applied_at": at,
        }
    )


def _source(f: DeltaFile) -> str:
    return f"Organisatieportaal {f.name or f.id}"


def apply_quickly(engine: Engine, f: DeltaFile, changesets: Sequence[Changeset]) -> deltas.Applied:
    """The file's triples and the records they name, in one transaction with the resume point."""
    with without_cycle_collection(), write_lock(engine, 60.0), engine.begin() as conn:
        state = _next_state(conn, f)
        applied = deltas.apply_triples(conn, changesets)
        deltas.recompose(conn, applied, state, _source(f))
        _record(
            conn, f.id, f.name, f.created_text, len(changesets), len(applied.deleted) + len(applied.inserted), state
        )
        if applied.changed:
            bump_content_version(conn)
        return applied


def apply_fully(
    engine: Engine, data_dir: Path, f: DeltaFile, changesets: Sequence[Changeset], report: SyncReport
) -> deltas.Applied:
    """The file's triples, and the register composed again from all of them (as an import), in one transaction."""
    with engine.connect() as conn:
        held = {t.key: t for t in triples.everything(conn)}
        state = opregister.state(conn)
    assert state is not None
    for cs in changesets:
        for t in cs.deletes:
            held.pop(t.key, None)
        for t in cs.inserts:
            held.setdefault(t.key, t)
    problems = Problems(skip_invalid=True)
    register = opregister.read_register(f.name or f.id, held.values(), state.source_date, problems)
    sources = build_dataset(data_dir, problems, register=register)
    out = deltas.Applied()

    def also(conn: Connection) -> None:
        new_state = _next_state(conn, f)
        found = deltas.apply_triples(conn, changesets)
        out.deleted, out.inserted, out.not_held, out.repeated = (
            found.deleted,
            found.inserted,
            found.not_held,
            found.repeated,
        )
        _record(
            conn, f.id, f.name, f.created_text, len(changesets), len(found.deleted) + len(found.inserted), new_state
        )

    run_import(engine, data_dir, sources=sources, source=_source(f), also=also, allow_shrink=True, via=_source(f))
    report.rejects.extend(f"{f.name or f.id}: {r.render()}" for r in problems.rejects)
    return out
