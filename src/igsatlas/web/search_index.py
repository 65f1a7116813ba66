"""The search index of the register as it is today (about 0.7 s to build): built again after every write (a new
content version) and when the day changes (what is in force, and whom a body serves, is read for the day)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine

from igsatlas.documents.search import search_entries
from igsatlas.search import Index
from igsatlas.web.clock import Clock


@dataclass
class SearchIndex:
    engine: Engine
    clock: Clock
    _built: tuple[tuple[str, date], Index] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def entries(self) -> Index:
        key = (self.clock.version(), date.today())
        with self._lock:
            if self._built is None or self._built[0] != key:
                with self.engine.connect() as conn:
                    self._built = (key, search_entries(conn, key[1]))
            return self._built[1]
