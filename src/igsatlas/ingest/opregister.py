"""The register as the Organisatieportaal's stream said it last: records read from the stored triples, and
where `igs sync` stands (the dump it started from, the files applied, where to resume)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, Engine, inspect, select

from igsatlas.ingest import lblod
from igsatlas.ingest.changesets import Triple
from igsatlas.ingest.problems import Problems
from igsatlas.ingest.rdf import Graph, graph_of
from igsatlas.store import schema_sources, triples

STREAM = "public"
SOURCE = "LBLOD Organisatieportaal (Agentschap Binnenlands Bestuur), publieke delta-stroom"


@dataclass(frozen=True)
class SyncState:
    source_url: str
    dump_name: str
    dump_released: str
    resume_from: str  # UTC, milliseconds, Z
    last_file_id: str | None
    last_file_created: str | None
    last_applied_at: datetime | None
    last_asked_at: datetime | None

    @property
    def source_date(self) -> date:
        """The day the register's records are dated: that of the dump (stable between bootstraps, so a sync does
        not rewrite every record's date)."""
        return date.fromisoformat(self.dump_released[:10])


def state(conn: Connection) -> SyncState | None:
    t = schema_sources.sync_state
    if "sync_state" not in inspect(conn).get_table_names():
        return None
    row = conn.execute(select(t).where(t.c.stream == STREAM)).mappings().first()
    if row is None:
        return None
    return SyncState(**{k: v for k, v in row.items() if k != "stream"})


def save_state(conn: Connection, new: SyncState) -> None:
    t = schema_sources.sync_state
    conn.execute(t.delete().where(t.c.stream == STREAM))
    conn.execute(t.insert().values(stream=STREAM, **new.__dict__))


def graph(name: str, found: Iterable[tuple[str, str, str, str, str]]) -> Graph:
    """The triples' graph, its values in a stable order (as the snapshot's sorted lines give them)."""
    return graph_of(name, found)


def read_register(name: str, found: Iterable[Triple], source_date: date, problems: Problems) -> lblod.LblodData:
    g = graph(name, found)
    return lblod.read(g, g, problems, source=SOURCE, source_date=source_date)


def stored_register(engine: Engine, problems: Problems | None = None) -> lblod.LblodData | None:
    """The register from the stored triples once `igs sync` follows the stream; None before its first run."""
    with engine.connect() as conn:
        found = state(conn)
        if found is None:
            return None
        held = triples.everything(conn)
    return read_register(f"Organisatieportaal ({found.dump_name})", held, found.source_date, problems or Problems())


def fingerprint(engine: Engine) -> tuple[str | None, str | None]:
    """Changes whenever `igs sync` applies something: (dump, last file)."""
    with engine.connect() as conn:
        found = state(conn)
    return (found.dump_name, found.last_file_id) if found else (None, None)


def describe(engine: Engine, at: datetime) -> dict[str, object] | None:
    """Where the atlas stands against the Organisatieportaal, for /status.json (None before `igs sync` ran):
    the last delta file applied and its ``created``, when the stream was last asked, and the lag: the time
    since then, in which files may have been published that the atlas does not hold yet."""
    with engine.connect() as conn:
        found = state(conn)
    if found is None:
        return None
    asked = found.last_asked_at
    return {
        "bron": found.source_url,
        "dump": found.dump_name,
        "laatste_bestand": found.last_file_id,
        "laatste_bestand_aangemaakt": found.last_file_created,
        "laatst_toegepast": _stamp(found.last_applied_at),
        "laatst_gevraagd": _stamp(asked),
        "achterstand_seconden": round((at - asked).total_seconds()) if asked else None,
    }


def _stamp(moment: datetime | None) -> str | None:
    return f"{moment.isoformat(timespec='seconds')}Z" if moment else None
