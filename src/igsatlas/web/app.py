"""The web application. For now: a home page with the register's counts, and its JSON twin."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from igsatlas.atlas import Atlas
from igsatlas.config import Settings
from igsatlas.domain.periods import parse_day
from igsatlas.errors import AtlasError, InvalidArgumentError
from igsatlas.store import queries
from igsatlas.store.engine import make_engine, require_schema

HERE = Path(__file__).parent


def _day(request: Request) -> date:
    text = request.query_params.get("op")
    if not text:
        return date.today()
    try:
        return parse_day(text)
    except ValueError:
        raise InvalidArgumentError(
            f"?op={text} is geen geldige dag.",
            code="invalid-day",
            hint="Gebruik de vorm JJJJ-MM-DD, bv. 2024-06-30.",
        ) from None


def home_document(atlas: Atlas, day: date) -> dict[str, Any]:
    with atlas.connect() as conn:
        kinds = queries.counts_by_classification(conn)
        municipalities = len(queries.municipalities_on(conn, day))
        layers = queries.layers(conn)
    per_kind: dict[str, int] = {}
    for _code, label, status, n in kinds:
        if status == "actief":
            per_kind[label] = per_kind.get(label, 0) + n
    return {
        "op": day.isoformat(),
        "gemeenten": municipalities,
        "actieve_organisaties_per_soort": per_kind,
        "lagen": [{"id": x.id, "volledig": x.complete, "volledigheid": x.completeness_note} for x in layers],
    }


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    engine = make_engine(settings.database_url)
    require_schema(engine)
    atlas = Atlas(engine)
    templates = Environment(
        loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]), auto_reload=False
    )

    def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(templates.get_template(name).render(**context), status_code=status)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        engine.dispose()

    async def home(request: Request) -> Response:
        doc = home_document(atlas, _day(request))
        return page("home.html", doc=doc)

    async def home_json(request: Request) -> Response:
        return JSONResponse(home_document(atlas, _day(request)))

    async def error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, AtlasError)
        if request.url.path.endswith(".json"):
            return JSONResponse(exc.as_json(), status_code=exc.http_status)
        return page("error.html", status=exc.http_status, error=exc)

    return Starlette(
        routes=[
            Route("/", home),
            Route("/index.json", home_json),
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ],
        exception_handlers={AtlasError: error},
        lifespan=lifespan,
    )
