"""The register as this process sees it: its content version, the register state of a day, and the day it last
changed. Every write stamps a new content version (store/engine.py); this process reads it at most once a second,
and at once after a write of its own, so that every cache keyed by it (the page cache, the per-state work) starts
afresh within a second of a write made anywhere."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine, func, select

from igsatlas.state import days as states
from igsatlas.store import schema
from igsatlas.store.engine import content_version

READ_EVERY = 1.0  # seconds: how stale the content version may be (a write elsewhere shows within this time)


@dataclass
class Clock:
    engine: Engine
    on_change: list[Callable[[], None]] = field(default_factory=list)  # run when a new content version is seen
    _version: tuple[str, float] = ("", 0.0)  # (the version, when it was read)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _days: tuple[str, list[date]] = ("", [])  # the change days, per content version
    _updated: tuple[str, date | None] = ("-", None)

    def version(self) -> str:
        """The register's content version, read from the database at most once a second."""
        if time.monotonic() - self._version[1] > READ_EVERY:
            with self._lock:  # one reader at a time, so that the version seen never goes back
                if time.monotonic() - self._version[1] > READ_EVERY:
                    found = content_version(self.engine)
                    changed = bool(self._version[0]) and found != self._version[0]
                    self._version = (found, time.monotonic())
                    if changed:
                        for listener in self.on_change:
                            listener()
        return self._version[0]

    def written(self) -> None:
        """This process has just published a write: read the content version now, not within the second, so that
        the reviewer's next page (and this process's page cache) already shows it."""
        with self._lock:
            self._version = (self._version[0], float("-inf"))
        self.version()

    def change_days(self) -> list[date]:
        """The days on which the register changes (state/days.py), per content version."""
        version = self.version()
        if self._days[0] != version:
            with self.engine.connect() as conn:
                self._days = (version, states.change_days(conn))
        return self._days[1]

    def state(self, day: date) -> tuple[int, str]:
        """(the register state of ``day``, the content version): equal for days that see the same register."""
        version = self.version()
        return states.state_of(self.change_days(), day), version

    def page_state(self, day: date, extra_days: Iterable[date] = ()) -> tuple[int, str, tuple[bool, ...]]:
        """The state of ``day`` for a page that also depends on ``extra_days`` (days a page draws a line at)."""
        return (*self.state(day), tuple(day >= d for d in extra_days))

    def updated(self) -> date | None:
        """The day the register last changed (an import or a published edit), per content version."""
        version = self.version()
        if self._updated[0] != version:
            with self.engine.connect() as conn:
                found = conn.execute(select(func.max(schema.change_log.c.at))).scalar()
            self._updated = (version, found.date() if found else None)
        return self._updated[1]
