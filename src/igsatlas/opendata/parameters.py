"""The API's parameters, paging and answers: the shapes every route of /api/v1 (opendata/api.py) shares."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from datetime import date
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from fastapi import Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, BeforeValidator

from igsatlas.domain.periods import parse_day
from igsatlas.errors import AtlasError
from igsatlas.opendata import models as m

T = TypeVar("T")
R = TypeVar("R")

# The site refuses a NUL character anywhere in an address (PostgreSQL cannot store one); the schema says so.
NO_NUL = "^[^\\x00]*$"
Key = Annotated[str, Path(pattern=NO_NUL, description="Sleutel / key")]


def text(description: str) -> Any:
    """A text filter: any text but a NUL character."""
    return Query(pattern=NO_NUL, description=description)


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": m.Fout, "description": "Ongeldige parameter / invalid parameter"},
    404: {"model": m.Fout, "description": "Niet gevonden / not found"},
}


def _strict_day(value: object) -> object:
    """A query's day through the pages' parser, before pydantic (which would read ``0`` as 1970-01-01)."""
    return parse_day(value) if isinstance(value, str) else value


Day = Annotated[
    date | None,
    BeforeValidator(_strict_day),
    Query(description="De dag (JJJJ-MM-DD); standaard vandaag / the day; default today"),
]
Registered = Annotated[
    date | None,
    BeforeValidator(_strict_day),
    Query(
        description="Registratietijd (JJJJ-MM-DD): zoals de atlas het had geregistreerd aan het einde van die dag "
        "(UTC); te combineren met `op`. Zonder: zoals de atlas het nu heeft. Vóór de eerste import: 404 "
        "`not-yet-registered` / registration time: as the atlas had recorded it at the end of that day",
    ),
]
Cursor = Annotated[
    str | None,
    Query(
        pattern=NO_NUL,
        description="Geef de resultaten na deze sleutel (de laatste van de vorige pagina; zie `volgende`) / "
        "results after this key (keyset paging)",
    ),
]
Limit = Annotated[int, Query(ge=1, le=1000, description="Resultaten per pagina (1-1000) / results per page")]


def paged(
    request: Request,
    items: Sequence[T],
    key: Callable[[T], str],
    convert: Callable[[T], R],
    after: str | None,
    limit: int,
    day: date | None,
    registered: date | None = None,
) -> m.Pagina[R]:
    """One page of ``items`` (sorted by ``key``), starting after the cursor's key."""
    keys = [key(x) for x in items]
    start = bisect_right(keys, after) if after else 0
    chunk = items[start : start + limit]
    following = None
    if start + limit < len(items):
        query = [(k, v) for k, v in request.query_params.multi_items() if k != "na"]
        query.append(("na", keys[start + limit - 1]))
        following = f"{request.url.path}?{urlencode(query)}"
    return m.Pagina[Any](
        op=day.isoformat() if day else None,
        geregistreerd_op=registered.isoformat() if registered else None,
        totaal=len(items),
        resultaten=[convert(x) for x in chunk],
        volgende=following,
    )


def as_json(model: BaseModel) -> Response:
    """A model as its JSON, serialised once by pydantic (the route's response_model documents the same shape)."""
    return Response(model.__pydantic_serializer__.to_json(model), media_type="application/json")  # bytes, not str


def error_response(error: AtlasError) -> JSONResponse:
    body = error.as_json()
    return JSONResponse(body, status_code=error.http_status)
