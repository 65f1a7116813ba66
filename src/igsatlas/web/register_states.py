"""The analysis and the compliance findings of a day, made from the work of its register state.

The register is the same on every day of a state (state/days.py), so what is slow to make is made once per
state: the landscape (about 0.2 s) and the rules' subjects (about 0.4 s), both from the whole register read once
per content version (about 0.3 s). What names the day is made per day from them, cheaply: the analysis (about
20 ms) and the findings (about 15 ms), kept for the last days asked for, because several pages of a day and
every API answer about an organisation read the day's whole findings."""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Engine

from igsatlas.analysis.landscape import Landscape
from igsatlas.analysis.load import load as load_landscape
from igsatlas.analysis.report import Analysis
from igsatlas.legal import compliance
from igsatlas.legal.findings import Finding, Subject
from igsatlas.legal.reference import Reference
from igsatlas.state.view import RegisterView
from igsatlas.web.clock import Clock

T = TypeVar("T")
Checked = tuple[list[Subject], list[Finding], dict[str, str | None]]
Subjects = tuple[list[Subject], dict[str, str | None]]
DAYS_KEPT = 16  # days whose analysis and findings are kept
STATES_KEPT = 32  # register states whose landscape and subjects are kept (the register has about ten)


@dataclass
class RegisterStates:
    engine: Engine
    clock: Clock
    reference: Reference | None = None  # the legal forms and rules: a site made without them has no findings
    _register: tuple[str, RegisterView] | None = None
    _register_lock: threading.Lock = field(default_factory=threading.Lock)
    # Per register state (the key is Clock.state's): built once per state.
    _landscapes: OrderedDict[tuple[int, str], Landscape] = field(default_factory=OrderedDict)
    _subjects: OrderedDict[tuple[int, str], Subjects] = field(default_factory=OrderedDict)
    # Per day and content version: cheap to make from a state's work.
    _analyses: OrderedDict[tuple[date, str], Analysis] = field(default_factory=OrderedDict)
    _checks: OrderedDict[tuple[date, str], Checked] = field(default_factory=OrderedDict)
    _lock: threading.RLock = field(default_factory=threading.RLock)  # all of the above: never on the event loop

    def register(self) -> RegisterView:
        """The whole register read once per content version, for the analyses and findings of any day."""
        version = self.clock.version()
        with self._register_lock:
            if self._register is None or self._register[0] != version:
                with self.engine.connect() as conn:
                    self._register = (version, RegisterView.read(conn))
            return self._register[1]

    def _remember(self, store: OrderedDict[Any, T], key: Any, build: Callable[[], T], keep: int) -> T:
        """Build once per key (under the lock, off the event loop); keep the ``keep`` most recent."""
        with self._lock:
            found = store.get(key)
            if found is None:
                found = store[key] = build()
                while len(store) > keep:
                    store.popitem(last=False)
            else:
                store.move_to_end(key)
            return found

    def landscape(self, day: date) -> Landscape:
        """The landscape of the register state of ``day`` (its ``day`` is the first day it was asked for)."""

        def build() -> Landscape:
            register = self.register()
            with self.engine.connect() as conn:
                return load_landscape(conn, day, register)

        return self._remember(self._landscapes, self.clock.state(day), build, STATES_KEPT)

    def analysis(self, day: date) -> Analysis:
        """The analysis of a day: the landscape of its register state, with the day put in."""

        def build() -> Analysis:
            landscape = self.landscape(day)
            return Analysis(landscape if landscape.day == day else dataclasses.replace(landscape, day=day))

        return self._remember(self._analyses, (day, self.clock.version()), build, DAYS_KEPT)

    def legal_reference(self) -> Reference:
        """The legal forms and rules (the app always loads them; a Site made without them has no legal pages)."""
        assert self.reference is not None, "this site was made without the legal reference"
        return self.reference

    def subjects(self, day: date) -> Subjects:
        """The compliance subjects of the register state of ``day`` (built once per state)."""

        def build() -> Subjects:
            register = self.register()
            with self.engine.connect() as conn:
                found: Subjects = compliance.subjects_of(conn, self.analysis(day), day, register)
                return found

        return self._remember(self._subjects, self.clock.state(day), build, STATES_KEPT)

    def checked(self, day: date) -> Checked:
        """Compliance findings of a day: the subjects of its register state, the rules run for the day."""
        reference = self.legal_reference()

        def build() -> Checked:
            return compliance.check_subjects(self.subjects(day), reference, day)

        return self._remember(self._checks, (day, self.clock.version()), build, DAYS_KEPT)

    def findings_of(self, day: date, subject_id: str) -> list[Finding]:
        """One organisation's findings on a day: taken from the day's checks when they are built, else its own
        rules run alone (the rules look at one subject at a time), so that its page does not wait for every
        organisation's checks on a day nobody asked for yet."""
        return self.checked_of(day, {subject_id})[1]

    def checked_of(self, day: date, ids: set[str]) -> tuple[list[Subject], list[Finding]]:
        """The subjects among ``ids`` and their findings on a day (see findings_of)."""
        built = self._checks.get((day, self.clock.version()))
        if built is not None:
            return [s for s in built[0] if s.id in ids], [f for f in built[1] if f.subject in ids]
        subjects, provinces = self.subjects(day)
        own = ([s for s in subjects if s.id in ids], provinces)
        return compliance.check_subjects(own, self.legal_reference(), day)[:2]

    def states_built(self) -> int:
        """How many register states of the current content version have their landscape and subjects built."""
        version = self.clock.version()
        with self._lock:
            return len({key for key in self._landscapes if key[1] == version} & set(self._subjects))
