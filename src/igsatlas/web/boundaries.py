"""The municipal boundary sets as the maps and the culture page need them: simplified outlines with names, the
area of each municipality, and which municipalities border each other. Made once per content version (about
1.3 s for both sets, outlines 1 s of it; the warm-up makes them again in the background after a write)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Engine

from igsatlas.geo.adjacency import neighbours
from igsatlas.geo.maps import Outline, outlines
from igsatlas.geo.shapes import area_km2
from igsatlas.store import queries
from igsatlas.web.clock import Clock

T = TypeVar("T")
Raw = dict[str, tuple[str, str]]  # NIS code -> (name, SVG path) of one boundary set


@dataclass
class Boundaries:
    engine: Engine
    clock: Clock
    _made: dict[tuple[str, str], tuple[str, Any]] = field(default_factory=dict)  # (what, vintage) -> (version, it)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def outlines(self, vintage: str) -> tuple[dict[str, Outline], dict[str, str]]:
        """Simplified municipal outlines and names of a boundary set."""
        return self._of("outlines", vintage, _outlines_and_names)

    def areas(self, vintage: str) -> dict[str, float]:
        """Area (km²) of each municipality of a boundary set."""
        return self._of("areas", vintage, lambda raw: {code: area_km2(path) for code, (_, path) in raw.items()})

    def borders(self, vintage: str) -> dict[str, set[str]]:
        """Which municipalities of a boundary set border each other."""
        return self._of("borders", vintage, lambda raw: neighbours({code: path for code, (_, path) in raw.items()}))

    def _of(self, what: str, vintage: str, make: Callable[[Raw], T]) -> T:
        version = self.clock.version()
        with self._lock:
            found = self._made.get((what, vintage))
            if found is None or found[0] != version:
                with self.engine.connect() as conn:
                    raw = queries.boundaries(conn, "gemeente", vintage)
                found = self._made[(what, vintage)] = (version, make(raw))
            made: T = found[1]
            return made


def _outlines_and_names(raw: Raw) -> tuple[dict[str, Outline], dict[str, str]]:
    return outlines({code: path for code, (_, path) in raw.items()}), {code: name for code, (name, _) in raw.items()}
