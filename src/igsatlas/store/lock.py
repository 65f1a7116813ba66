"""One writer at a time: imports and publications take this lock, so a second one waits, then refuses clearly.

PostgreSQL: a session-level advisory lock (every host sharing the database sees it). SQLite: an exclusive
``flock`` on a file next to the database.
"""

from __future__ import annotations

import fcntl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text

from igsatlas.errors import DatabaseError

LOCK_KEY = 0x1695A71A5  # an arbitrary, fixed advisory-lock number for IGS-atlas writes


def _busy(waited: float) -> DatabaseError:
    return DatabaseError(
        f"another import or publication is writing the register; waited {waited:.0f} s.",
        code="write-in-progress",
        hint="Wait until it has finished, then run the command again. Nothing was written.",
    )


@contextmanager
def write_lock(engine: Engine, wait_seconds: float = 60.0) -> Iterator[None]:
    started = time.monotonic()
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            while not conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY}).scalar():
                conn.rollback()
                if time.monotonic() - started > wait_seconds:
                    raise _busy(wait_seconds)
                time.sleep(0.2)
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
                conn.commit()
        return
    database = engine.url.database
    if not database or database == ":memory:":
        yield
        return
    path = Path(f"{database}.lock")
    with path.open("a") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() - started > wait_seconds:
                    raise _busy(wait_seconds) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
