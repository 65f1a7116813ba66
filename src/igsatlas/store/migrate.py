"""Schema migrations (Alembic): every schema change is a revision in store/migrations/versions/.

A database made before migrations existed (schema version 3, stamped in ``meta``) is recognised, stamped as
revision 0001 and upgraded in place, so nothing in it is lost.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, select
from sqlalchemy.exc import OperationalError

from igsatlas.errors import DatabaseError
from igsatlas.store.schema import meta

MIGRATIONS = Path(__file__).parent / "migrations"
BASELINE = "0001"  # the schema of the releases before migrations (schema version 3)
LEGACY_SCHEMA_VERSION = "3"


def _config(conn: Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    return cfg


def head() -> str:
    found = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert found is not None
    return found


def current(conn: Connection) -> str | None:
    """The revision the database is at: None for an empty database, BASELINE for a pre-migrations one."""
    revision = MigrationContext.configure(conn).get_current_revision()
    if revision is not None:
        return revision
    tables = set(inspect(conn).get_table_names())
    if "organisation" not in tables:
        return None
    legacy = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
    if legacy != LEGACY_SCHEMA_VERSION:
        raise DatabaseError(
            f"the database has schema version {legacy}, which no migration knows.",
            code="schema-mismatch",
            hint="Move the file aside and run `igs import` to build a new database from the data folder.",
        )
    return BASELINE


def upgrade(engine: Engine) -> None:
    """Apply every migration the database lacks, in one transaction."""
    try:
        with engine.begin() as conn:
            found = current(conn)
            if found == head():
                return
            cfg = _config(conn)
            if found == BASELINE and MigrationContext.configure(conn).get_current_revision() is None:
                command.stamp(cfg, BASELINE)
            command.upgrade(cfg, "head")
    except OperationalError as exc:
        raise DatabaseError(f"cannot open the database: {exc.orig}", code="database-unavailable") from exc
