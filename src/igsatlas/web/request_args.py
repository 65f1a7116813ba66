"""What a request asks for: the query parameters the site reads, the day, and whether it wants JSON."""

from __future__ import annotations

from datetime import date

from starlette.requests import Request

from igsatlas.domain.periods import parse_day
from igsatlas.errors import invalid_day
from igsatlas.legal.wizard import QUESTION_IDS

# The query parameters the site reads; others are ignored, never echoed, and left out of the cache key.
KNOWN_PARAMETERS = frozenset(
    {"op", "q", "ga", "vorm", "provincie", "status", "laag", "regel", "oordeel", "soort", "over", "volgende"}
    | {"van", "tot", "gemeente", "organisatie", "thema", "volg", "email", "token", "buren", "set", "formaat"}
    | {"pagina", "sorteer", "wat", "classificatie", "familie", "rol", "geregistreerd_op", "vergelijk_met"}
    | set(QUESTION_IDS)
)


def day_parameter(request: Request, name: str) -> date | None:
    """A day given as ?name=YYYY-MM-DD, None when absent; a clear Dutch error when it is not a day."""
    text = request.query_params.get(name)
    if not text:
        return None
    try:
        return parse_day(text)
    except ValueError:
        raise invalid_day(name, text) from None


def requested_day(request: Request) -> date:
    return day_parameter(request, "op") or date.today()


def wants_json(request: Request) -> bool:
    return request.url.path.endswith(".json") or request.url.path.startswith("/api/")


def strip_json(value: str) -> str:
    return value.removesuffix(".json")
