"""Creating engines: SQLite with sensible pragmas, PostgreSQL through psycopg 3."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from igsatlas.errors import DatabaseError
from igsatlas.store.schema import meta


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; creates the folder of an SQLite file. No connection is made yet."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed, pool_pre_ping=True)


def create_schema(engine: Engine) -> None:
    """Bring the database to the newest schema with the migrations (see store/migrate.py)."""
    from igsatlas.store.migrate import upgrade

    upgrade(engine)


def content_version(engine: Engine) -> str:
    """The version the last changing write stamped ('' before any)."""
    with engine.connect() as conn:
        return conn.execute(select(meta.c.value).where(meta.c.key == "content_version")).scalar() or ""


def require_schema(engine: Engine) -> None:
    """Fail with a clear message when the database has not been imported yet."""
    try:
        tables = set(inspect(engine).get_table_names())
    except OperationalError as exc:
        raise DatabaseError(f"cannot open the database: {exc.orig}", code="database-unavailable") from exc
    if "organisation" not in tables:
        raise DatabaseError(
            "the database is empty: nothing has been imported yet.",
            code="database-empty",
            hint="Run `igs import` (or `make run`) to build it from the data folder.",
        )
