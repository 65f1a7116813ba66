"""What every page handler has at hand: the atlas, the templates, and the parts that keep work per content
version and per register state (each in a module of its own):

- ``clock``        the content version, the register state of a day, the day of the last change (web/clock.py)
- ``states``       the analysis and findings of a day, from its register state's work (web/register_states.py)
- ``boundaries``   outlines, areas and neighbours of the boundary sets (web/boundaries.py)
- ``search``       the search index of today (web/search_index.py)
- ``state_pages``  pages kept per register state, shown for any day of it (web/day_pages.py)
- ``warm_up``      builds all of the above in the background at start-up and after a write (web/warm_up.py)

Answers as a whole are kept by the page cache (web/cache.py) and by a reverse proxy in front (their ETag and
Cache-Control), not here."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from igsatlas.atlas import Atlas
from igsatlas.domain.boundary_sets import BOUNDARY_SETS
from igsatlas.ingest import publication
from igsatlas.legal.reference import Reference
from igsatlas.web import auth
from igsatlas.web.abbreviations import expand_first_use
from igsatlas.web.boundaries import Boundaries
from igsatlas.web.clock import Clock
from igsatlas.web.day_pages import StatePages
from igsatlas.web.formatting import FILTERS
from igsatlas.web.register_states import RegisterStates
from igsatlas.web.request_args import KNOWN_PARAMETERS, requested_day, wants_json
from igsatlas.web.search_index import SearchIndex
from igsatlas.web.visits import Visitors
from igsatlas.web.warm_up import WarmUp

HERE = Path(__file__).parent


@dataclass
class Site:
    atlas: Atlas
    reference: Reference | None = None
    data_dir: Path | None = None  # the data folder an acceptance composes from: its parse is warmed too
    visitors: Visitors = field(default_factory=Visitors)  # the warm-up gives way to them (web/visits.py)
    templates: Environment = field(init=False)
    clock: Clock = field(init=False)
    states: RegisterStates = field(init=False)
    boundaries: Boundaries = field(init=False)
    search: SearchIndex = field(init=False)
    state_pages: StatePages = field(init=False)
    warm_up: WarmUp = field(init=False)

    def __post_init__(self) -> None:
        engine = self.atlas.engine
        self.templates = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(["html", "svg"]),
            auto_reload=False,
        )
        self.templates.filters.update(FILTERS)
        self.clock = Clock(engine)
        self.states = RegisterStates(engine, self.clock, self.reference)
        self.boundaries = Boundaries(engine, self.clock)
        self.search = SearchIndex(engine, self.clock)
        self.state_pages = StatePages()
        self.warm_up = WarmUp(self.warm_steps, self.visitors)
        self.clock.on_change.append(self.warm_up.new_version)

    def legal_reference(self) -> Reference:
        """The legal forms and rules (the app always loads them; a Site made without them has no legal pages)."""
        return self.states.legal_reference()

    def warm_steps(self) -> Iterator[Callable[[], object]]:
        """What the warm-up builds, today's first: the templates, the search index, every register state's
        analysis and findings, the outlines, areas and neighbours of both boundary sets, and the parse of the
        data folder an acceptance composes the register from (ingest/publication.py)."""
        for name in self.templates.list_templates(extensions=["html"]):
            yield partial(self.templates.get_template, name)  # compiled here, not in a first view (20-40 ms each)
        yield self.search.entries
        if self.reference is not None:
            today = date.today()
            yield partial(self.states.checked, today)
            for vintage in BOUNDARY_SETS:
                for make in (self.boundaries.outlines, self.boundaries.areas, self.boundaries.borders):
                    yield partial(make, vintage)
            days = self.clock.change_days()
            for day in [days[0] - timedelta(days=1), *days] if days else []:
                if self.clock.state(day) != self.clock.state(today):
                    yield partial(self.states.checked, day)
        if self.data_dir is not None and self.data_dir.is_dir():
            yield partial(publication.sources, self.data_dir, self.atlas.engine)

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
            updated=self.clock.updated(),
            **extra,
        )
        return expand_first_use(html)
