"""What the web needs at hand: the atlas, templates, and caches built once per process."""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import func, select
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from igsatlas.analysis.landscape import Landscape
from igsatlas.analysis.load import load as load_landscape
from igsatlas.analysis.report import Analysis
from igsatlas.atlas import Atlas
from igsatlas.documents.common import BOUNDARY_SETS
from igsatlas.documents.search import search_entries
from igsatlas.geo.adjacency import neighbours
from igsatlas.geo.maps import Outline, outlines
from igsatlas.geo.shapes import area_km2
from igsatlas.ingest import publication
from igsatlas.legal import compliance
from igsatlas.legal.reference import Reference
from igsatlas.legal.rules import Finding, Subject
from igsatlas.search import Index
from igsatlas.store import queries, schema, states
from igsatlas.store.engine import content_version
from igsatlas.store.snapshot import Snapshot
from igsatlas.web import auth
from igsatlas.web.abbreviations import expand_first_use
from igsatlas.web.day_pages import DayPage
from igsatlas.web.formatting import FILTERS
from igsatlas.web.request_args import KNOWN_PARAMETERS, requested_day, wants_json
from igsatlas.web.visits import Visitors

HERE = Path(__file__).parent
Checked = tuple[list[Subject], list[Finding], dict[str, str | None]]
STATE_PAGES = 128  # pages kept per state (about 180 kB each)
DAYS_KEPT = 16  # days whose analysis and findings are kept (a new day of a kept state is cheap to make)
STATES_KEPT = 32  # register states whose landscape and subjects are kept (the register has about ten)


@dataclass
class Site:
    atlas: Atlas
    templates: Environment = field(init=False)
    _outlines: dict[tuple[str, str], tuple[dict[str, Outline], dict[str, str]]] = field(default_factory=dict)
    _entries: tuple[tuple[str, date], Index] | None = None
    _register: tuple[str, Snapshot] | None = None
    # Per boundary set as the database holds it (see _of_boundaries): (vintage, digest of its paths) -> ...
    _borders: dict[tuple[str, str], dict[str, set[str]]] = field(default_factory=dict)
    _areas: dict[tuple[str, str], dict[str, float]] = field(default_factory=dict)
    _boundary_digests: dict[str, tuple[str, str]] = field(default_factory=dict)  # vintage -> (version, digest)
    reference: Reference | None = None
    data_dir: Path | None = None  # the data folder an acceptance composes from: its parse is warmed too
    # Per register state (see store/states.py): the landscape and the rules' subjects, built once per state.
    _landscapes: OrderedDict[tuple[int, str], Landscape] = field(default_factory=OrderedDict)
    _subjects_by_state: OrderedDict[tuple[int, str], Any] = field(default_factory=OrderedDict)
    # Per day, cheap to make from a state's work: the analysis and the findings (their texts name the day).
    _analyses: OrderedDict[tuple[date, str], Analysis] = field(default_factory=OrderedDict)
    _checks: OrderedDict[tuple[date, str], Checked] = field(default_factory=OrderedDict)
    _days: tuple[str, list[date]] = ("", [])
    _version: tuple[str, float] = ("", 0.0)
    _updated: tuple[str, date | None] = ("-", None)
    _state_pages: OrderedDict[Any, DayPage] = field(default_factory=OrderedDict)  # see per_state
    _lock: threading.Lock = field(default_factory=threading.Lock)  # outlines, areas and neighbours
    _entries_lock: threading.Lock = field(default_factory=threading.Lock)  # the search index
    _register_lock: threading.Lock = field(default_factory=threading.Lock)  # the register read whole
    _day_lock: threading.RLock = field(default_factory=threading.RLock)  # per-state and per-day work: never on the loop
    _stopping: threading.Event = field(default_factory=threading.Event)
    _warm_lock: threading.Lock = field(default_factory=threading.Lock)
    _warm_thread: threading.Thread | None = None
    _warm_again: bool = False
    _version_lock: threading.Lock = field(default_factory=threading.Lock)
    _building: threading.Lock = field(default_factory=threading.Lock)  # state pages are built one at a time
    warmed: threading.Event = field(default_factory=threading.Event)  # set when the warm-up has ended
    warm_failure: str | None = None  # why the last warm-up failed (the process keeps serving)
    visitors: Visitors = field(default_factory=Visitors)  # the warm-up gives way to them (web/visits.py)

    def __post_init__(self) -> None:
        self.templates = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(["html", "svg"]),
            auto_reload=False,
        )
        self.templates.filters.update(FILTERS)

    def outlines(self, vintage: str) -> tuple[dict[str, Outline], dict[str, str]]:
        """Simplified municipal outlines and names of a boundary set, built on first use and again after a write."""
        key = (vintage, self.version())
        with self._lock:
            if key not in self._outlines:
                with self.atlas.connect() as conn:
                    raw = queries.boundaries(conn, "gemeente", vintage)
                self._outlines = {k: v for k, v in self._outlines.items() if k[1] == key[1]}
                self._outlines[key] = (
                    outlines({code: path for code, (_, path) in raw.items()}),
                    {code: name for code, (name, _) in raw.items()},
                )
            return self._outlines[key]

    def areas(self, vintage: str) -> dict[str, float]:
        """Area (km²) of each municipality of a boundary set."""
        found: dict[str, float] = self._of_boundaries(
            vintage, self._areas, lambda paths: {code: area_km2(path) for code, path in paths.items()}
        )
        return found

    def borders(self, vintage: str) -> dict[str, set[str]]:
        """Which municipalities of a boundary set border each other."""
        found: dict[str, set[str]] = self._of_boundaries(vintage, self._borders, neighbours)
        return found

    def _of_boundaries(self, vintage: str, store: dict[tuple[str, str], Any], make: Callable[..., Any]) -> Any:
        """``make(paths)`` (code -> boundary path) of a boundary set as the database holds it now: made on first
        use; after a write the paths are read again (a few ms) and ``make`` runs again only if they changed."""
        version = self.version()
        with self._lock:
            paths = None
            known = self._boundary_digests.get(vintage)
            if known is None or known[0] != version:
                paths = self._boundary_paths(vintage)
                digest = hashlib.blake2b(repr(sorted(paths.items())).encode(), digest_size=16).hexdigest()
                known = self._boundary_digests[vintage] = (version, digest)
            key = (vintage, known[1])
            if key not in store:
                for stale in [k for k in store if k[0] == vintage]:
                    del store[stale]
                store[key] = make(paths if paths is not None else self._boundary_paths(vintage))
            return store[key]

    def _boundary_paths(self, vintage: str) -> dict[str, str]:
        with self.atlas.connect() as conn:
            return {code: path for code, (_, path) in queries.boundaries(conn, "gemeente", vintage).items()}

    def entries(self) -> Index:
        """The search index of the register as it is today: rebuilt after every write (a new content version)
        and when the day changes (what is in force, and whom a body serves, is read for the day)."""
        key = (self.version(), date.today())
        with self._entries_lock:
            if self._entries is None or self._entries[0] != key:
                with self.atlas.connect() as conn:
                    self._entries = (key, search_entries(conn, key[1]))
            return self._entries[1]

    def register(self) -> Snapshot:
        """The whole register read once per content version, for the analyses and findings of any day."""
        version = self.version()
        with self._register_lock:
            if self._register is None or self._register[0] != version:
                with self.atlas.connect() as conn:
                    self._register = (version, Snapshot.read(conn))
            return self._register[1]

    def version(self) -> str:
        """The register's content version, read from the database at most once a second (like the page cache)."""
        if time.monotonic() - self._version[1] > 1.0:
            with self._version_lock:  # one reader at a time, so that the version seen never goes back
                if time.monotonic() - self._version[1] > 1.0:
                    found = content_version(self.atlas.engine)
                    changed = bool(self._version[0]) and found != self._version[0]
                    self._version = (found, time.monotonic())
                    if changed:
                        gc.unfreeze()  # what the old version held may go now
                        if self._warm_thread is not None:  # this site warms up: build the new states too
                            self.start_warm_up()
        return self._version[0]

    def written(self) -> None:
        """This process has just published a write: read the content version now, not within the second, so that
        the reviewer's next page (and this process's page cache) already shows it."""
        with self._version_lock:
            self._version = (self._version[0], float("-inf"))
        self.version()

    def page_state(self, day: date, extra_days: Iterable[date] = ()) -> tuple[int, str, tuple[bool, ...]]:
        """The state of ``day`` for a page that also depends on ``extra_days`` (days a page draws a line at)."""
        return (*self.state(day), tuple(day >= d for d in extra_days))

    def state(self, day: date) -> tuple[int, str]:
        """(the register state of ``day``, the content version): equal for days that see the same register."""
        version = self.version()
        if self._days[0] != version:
            with self.atlas.connect() as conn:
                self._days = (version, states.change_days(conn))
        return states.state_of(self._days[1], day), version

    def _remember(self, store: OrderedDict[Any, Any], key: Any, build: Callable[[], Any], keep: int) -> Any:
        """Build once per key (under the per-day lock, off the event loop); keep the ``keep`` most recent."""
        with self._day_lock:
            found = store.get(key)
            if found is None:
                found = build()
                store[key] = found
                while len(store) > keep:
                    store.popitem(last=False)
            else:
                store.move_to_end(key)
            return found

    def _landscape(self, day: date) -> Landscape:
        def build() -> Landscape:
            register = self.register()
            with self.atlas.connect() as conn:
                return load_landscape(conn, day, register)

        result: Landscape = self._remember(self._landscapes, self.state(day), build, STATES_KEPT)
        return result

    def analysis(self, day: date) -> Analysis:
        """The analysis of a day: the landscape of its register state, with the day put in."""
        version = self.version()

        def build() -> Analysis:
            landscape = self._landscape(day)
            return Analysis(landscape if landscape.day == day else dataclasses.replace(landscape, day=day))

        result: Analysis = self._remember(self._analyses, (day, version), build, DAYS_KEPT)
        return result

    def legal_reference(self) -> Reference:
        """The legal forms and rules (the app always loads them; a Site made without them has no legal pages)."""
        assert self.reference is not None, "this site was made without the legal reference"
        return self.reference

    def _subjects(self, day: date) -> Any:
        """The compliance subjects of the register state of ``day`` (built once per state)."""

        def subjects_of() -> Any:
            register = self.register()
            with self.atlas.connect() as conn:
                return compliance.subjects_of(conn, self.analysis(day), day, register)

        return self._remember(self._subjects_by_state, self.state(day), subjects_of, STATES_KEPT)

    def checked(self, day: date) -> Checked:
        """Compliance findings of a day: the subjects of its register state, the rules run for the day."""
        reference = self.legal_reference()
        version = self.version()

        def build() -> Checked:
            return compliance.check_subjects(self._subjects(day), reference, day)

        result: Checked = self._remember(self._checks, (day, version), build, DAYS_KEPT)
        return result

    def findings_of(self, day: date, subject_id: str) -> list[Finding]:
        """One organisation's findings on a day: taken from the day's checks when they are built, else its own
        rules run alone (the rules look at one subject at a time), so that its page does not wait for every
        organisation's checks on a day nobody asked for yet."""
        return self.checked_of(day, {subject_id})[1]

    def checked_of(self, day: date, ids: set[str]) -> tuple[list[Subject], list[Finding]]:
        """The subjects among ``ids`` and their findings on a day (see findings_of)."""
        built = self._checks.get((day, self.version()))
        if built is not None:
            return [s for s in built[0] if s.id in ids], [f for f in built[1] if f.subject in ids]
        subjects, provinces = self._subjects(day)
        own = ([s for s in subjects if s.id in ids], provinces)
        return compliance.check_subjects(own, self.legal_reference(), day)[:2]

    def start_warm_up(self) -> None:
        """Build every register state in a background thread: at start-up, and again after each write (the site
        then knows the warm-up is its job). A write during a warm-up makes it run once more."""
        with self._warm_lock:
            if self._stopping.is_set():  # a write seen while stopping: its states are the next process's job
                return
            if self._warm_thread is not None and self._warm_thread.is_alive():
                self._warm_again = True
                return
            self.warmed.clear()
            self._warm_thread = threading.Thread(target=self._warm_loop, name="igs-warm-up", daemon=True)
            self._warm_thread.start()

    def states_built(self) -> int:
        """How many register states of the current content version have their landscape and subjects built."""
        version = self.version()
        with self._day_lock:
            return len({key for key in self._landscapes if key[1] == version} & set(self._subjects_by_state))

    def _warm_loop(self) -> None:
        while True:
            self._warm_again = False
            self.warm_up()
            with self._warm_lock:
                if not self._warm_again or self._stopping.is_set():
                    return

    def warm_up(self) -> None:
        """Every register state's analysis and findings, today's first, and the outlines, areas and neighbours
        of both boundary sets, built so that no visitor waits for one (a failure here only leaves it to the first
        visit). Stops early when the site stops."""
        try:
            self._warm()
            # What the warm-up built lives as long as this content version: the cyclic collector need not walk
            # it on every full collection (a walk of it takes about 0.1 s, felt as a randomly slow page). A new
            # content version unfreezes it (see version), so that what the old one held can be collected.
            gc.collect()
            gc.freeze()
            self.warm_failure = None
        except Exception as exc:  # the page that needs it will build it again and show the error there
            logging.getLogger("igsatlas.web").exception("warming up the register states failed")
            self.warm_failure = f"{type(exc).__name__}: {exc}"  # /status.json says so: not warmed, and why
        finally:
            self.warmed.set()

    def _warm(self) -> None:
        self.visitors.give_way(self._stopping)
        for name in self.templates.list_templates(extensions=["html"]):
            self.templates.get_template(name)  # compiled once here, not in a visitor's first view (20-40 ms each)
        self.visitors.give_way(self._stopping)
        self.entries()  # the search index of this version and day: the first search after a write need not wait
        if self.reference is not None:
            today = date.today()
            self.visitors.give_way(self._stopping)
            self.checked(today)
            for vintage in BOUNDARY_SETS:
                for make in (self.outlines, self.areas, self.borders):
                    self.visitors.give_way(self._stopping)
                    make(vintage)
            days = self._days[1]
            for day in [days[0] - timedelta(days=1), *days] if days else []:
                if self._stopping.is_set():
                    return
                if self.state(day) != self.state(today):
                    self.visitors.give_way(self._stopping)
                    self.checked(day)
        if self.data_dir is not None and self.data_dir.is_dir() and not self._stopping.is_set():
            # The parsed data folder an acceptance composes the register from (ingest/publication.py): parsed
            # here, once per process and data folder, so that the first acceptance does not pay for it.
            self.visitors.give_way(self._stopping)
            publication.sources(self.data_dir, self.atlas.engine)

    def stop(self) -> None:
        """The site is stopping: background work ends at its next step (and gives its connections back)."""
        self._stopping.set()
        self.visitors.wake()
        thread = self._warm_thread
        if thread is not None:
            thread.join(timeout=120)

    def day_link(self, day: date) -> Callable[[str], str]:
        """Links that keep the day being looked at (no parameter for today)."""
        if day == date.today():
            return lambda url: url
        query = urlencode({"op": day.isoformat()})
        return lambda url: f"{url}{'&' if '?' in url else '?'}{query}"

    def page(
        self, request: Request, template: str, doc: dict[str, Any], *, status: int = 200, **extra: Any
    ) -> Response:
        if wants_json(request):
            return JSONResponse(doc, status_code=status)
        return HTMLResponse(self.render(request, template, doc, requested_day(request), **extra), status_code=status)

    def render(self, request: Request, template: str, doc: dict[str, Any], day: date, **extra: Any) -> str:
        """A page as HTML, showing ``day`` (the requested day, or DAY_MARK for a page kept per state)."""
        visitor = auth.visitor(request, self.atlas.engine) if auth.SESSION_COOKIE in request.cookies else None
        html = self.templates.get_template(template).render(
            visitor=visitor,
            doc=doc,
            day=day.isoformat(),
            today=date.today().isoformat(),
            link=self.day_link(day),
            path=request.url.path,
            query={k: v for k, v in request.query_params.items() if k in KNOWN_PARAMETERS},
            updated=self.updated(),
            **extra,
        )
        return expand_first_use(html)

    def built_for_state(self, key: Any) -> DayPage | None:
        """The page of ``key`` if its state's page is built (cheap: fine on the event loop)."""
        with self._lock:
            found = self._state_pages.get(key)
            if found is not None:
                self._state_pages.move_to_end(key)
        return found

    def per_state(self, key: Any, build: Callable[[], str]) -> DayPage:
        """A page built once per register state, to be shown for any day of it: ``build`` renders it with
        DAY_MARK in place of the day (the register is the same on every day of a state). Building touches the
        database: call it off the event loop."""
        with self._building:  # one build per page at a time: who asks meanwhile waits for it, not builds again
            found = self.built_for_state(key)
            if found is not None:
                return found
            found = DayPage.of(build())
            with self._lock:
                if self._state_pages and next(reversed(self._state_pages))[1][1] != key[1][1]:
                    self._state_pages.clear()  # a write made a new content version: the old pages are stale
                self._state_pages[key] = found
                while len(self._state_pages) > STATE_PAGES:
                    self._state_pages.popitem(last=False)
        return found

    def updated(self) -> date | None:
        """The day the register last changed (an import or a published edit), per content version."""
        version = self.version()
        if self._updated[0] != version:
            with self.atlas.connect() as conn:
                found = conn.execute(select(func.max(schema.change_log.c.at))).scalar()
            self._updated = (version, found.date() if found else None)
        return self._updated[1]
