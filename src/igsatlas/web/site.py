"""What the web needs at hand: the atlas, templates, and caches built once per process."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from igsatlas.analysis.load import load as load_landscape
from igsatlas.analysis.report import Analysis
from igsatlas.atlas import Atlas
from igsatlas.documents.search import search_entries
from igsatlas.domain.periods import parse_day
from igsatlas.errors import InvalidArgumentError
from igsatlas.geo.maps import Outline, outline
from igsatlas.legal import compliance
from igsatlas.legal.reference import Reference
from igsatlas.legal.rules import Finding, Subject
from igsatlas.legal.wizard import QUESTION_IDS
from igsatlas.search import Entry
from igsatlas.store import queries
from igsatlas.store.engine import content_version
from igsatlas.web import auth

HERE = Path(__file__).parent
# The query parameters the site reads; others are ignored, never echoed, and left out of the cache key.
KNOWN_PARAMETERS = frozenset(
    {"op", "q", "ga", "vorm", "provincie", "status", "laag", "regel", "oordeel", "soort", "over", "volgende"}
    | {"van", "tot", "gemeente", "organisatie", "thema", "volg", "email", "token"}
    | set(QUESTION_IDS)
)
Checked = tuple[list[Subject], list[Finding], dict[str, str | None]]


def day_parameter(request: Request, name: str) -> date | None:
    """A day given as ?name=YYYY-MM-DD, None when absent; a clear Dutch error when it is not a day."""
    text = request.query_params.get(name)
    if not text:
        return None
    try:
        return parse_day(text)
    except ValueError:
        raise InvalidArgumentError(
            f"?{name}={text} is geen geldige dag.",
            code="invalid-day",
            hint="Gebruik de vorm JJJJ-MM-DD, bv. 2024-06-30.",
        ) from None


def requested_day(request: Request) -> date:
    return day_parameter(request, "op") or date.today()


def wants_json(request: Request) -> bool:
    return request.url.path.endswith(".json")


def strip_json(value: str) -> str:
    return value.removesuffix(".json")


@dataclass
class Site:
    atlas: Atlas
    templates: Environment = field(init=False)
    _outlines: dict[tuple[str, str], tuple[dict[str, Outline], dict[str, str]]] = field(default_factory=dict)
    _entries: tuple[str, list[Entry]] | None = None
    reference: Reference | None = None
    _analyses: dict[tuple[date, str], Analysis] = field(default_factory=dict)
    _checks: dict[tuple[date, str], Checked] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)  # outlines and search index (quick to build)
    _day_lock: threading.Lock = field(default_factory=threading.Lock)  # per-day work (a second): never on the loop

    def __post_init__(self) -> None:
        self.templates = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(["html", "svg"]),
            auto_reload=False,
        )

    def outlines(self, vintage: str) -> tuple[dict[str, Outline], dict[str, str]]:
        """Simplified municipal outlines and names of a boundary set, built on first use and again after a write."""
        key = (vintage, content_version(self.atlas.engine))
        with self._lock:
            if key not in self._outlines:
                with self.atlas.connect() as conn:
                    raw = queries.boundaries(conn, "gemeente", vintage)
                self._outlines = {k: v for k, v in self._outlines.items() if k[1] == key[1]}
                self._outlines[key] = (
                    {code: outline(path) for code, (_, path) in raw.items()},
                    {code: name for code, (name, _) in raw.items()},
                )
            return self._outlines[key]

    def entries(self) -> list[Entry]:
        """The search index of the register as it is now: rebuilt after every write."""
        version = content_version(self.atlas.engine)
        with self._lock:
            if self._entries is None or self._entries[0] != version:
                with self.atlas.connect() as conn:
                    self._entries = (version, search_entries(conn))
            return self._entries[1]

    def _per_day(self, store: dict[tuple[date, str], Any], day: date, build: Callable[[Connection], Any]) -> Any:
        """Build once per process, day and register version; keep a few days."""
        version = content_version(self.atlas.engine)
        with self._day_lock:
            found = store.get((day, version))
            if found is None:
                if len(store) > 16:
                    store.clear()
                with self.atlas.connect() as conn:
                    found = build(conn)
                store[(day, version)] = found
            return found

    def analysis(self, day: date) -> Analysis:
        """The analysis of a day."""
        result: Analysis = self._per_day(self._analyses, day, lambda conn: Analysis(load_landscape(conn, day)))
        return result

    def checked(self, day: date) -> Checked:
        """Compliance findings of a day."""
        assert self.reference is not None
        reference = self.reference
        analysis = self.analysis(day)
        result: Checked = self._per_day(
            self._checks, day, lambda conn: compliance.check(conn, analysis, reference, day)
        )
        return result

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
        day = requested_day(request)
        visitor = auth.visitor(request, self.atlas.engine) if auth.SESSION_COOKIE in request.cookies else None
        html = self.templates.get_template(template).render(
            visitor=visitor,
            doc=doc,
            day=day.isoformat(),
            today=date.today().isoformat(),
            link=self.day_link(day),
            path=request.url.path,
            query={k: v for k, v in request.query_params.items() if k in KNOWN_PARAMETERS},
            **extra,
        )
        return HTMLResponse(html, status_code=status)
