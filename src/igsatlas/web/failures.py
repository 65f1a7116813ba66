"""Unexpected errors: the Dutch error page (or the JSON error shape) with the security headers, instead of a
plain-text 500 that closes the connection. The error is logged without the request's query or form. A NUL
character in the address is refused before any handler sees it (PostgreSQL cannot store one), and so is an
address longer than MAX_URL_BYTES: no page of the site needs one, and its query is never parsed.

The HTTP server reads request heads of up to MAX_REQUEST_HEAD (uvicorn's h11 limit, passed by `igs serve`), so
an address between the two limits gets this 414 every time, not a 400 that depends on how the bytes arrived."""

from __future__ import annotations

import logging
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from igsatlas.errors import AtlasError, InvalidArgumentError, UriTooLongError
from igsatlas.web.formatting import number

log = logging.getLogger("igsatlas.web")
MAX_URL_BYTES = 16 * 1024  # path and query; the longest form (the planner with all 312 municipalities) is 5.8 kB
MAX_REQUEST_HEAD = 1024 * 1024  # the whole head the HTTP server buffers before answering 400


class ErrorPages:
    def __init__(self, app: ASGIApp, render: Callable[[Request, AtlasError], Response]) -> None:
        self.app = app
        self.render = render

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if "\x00" in scope.get("path", "") or b"%00" in scope.get("query_string", b"").lower():
            bad = InvalidArgumentError(
                "Het adres bevat een ongeldig teken (NUL).",
                code="invalid-character",
                hint="Controleer het adres; het mag geen %00 bevatten.",
            )
            await self.render(Request(scope), bad)(scope, receive, send)
            return
        if len(scope.get("raw_path") or b"") + len(scope.get("query_string", b"")) > MAX_URL_BYTES:
            scope = {**scope, "query_string": b""}  # the page that explains is rendered without the query
            long = UriTooLongError(
                f"Het adres is te lang: meer dan {number(MAX_URL_BYTES)} tekens.",
                hint="Kies minder filters, of begin opnieuw vanaf de pagina zonder de toevoegingen achter het '?'.",
            )
            await self.render(Request(scope), long)(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception:
            log.exception("unexpected error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            error = AtlasError(
                "Er ging iets mis aan onze kant. De fout is genoteerd.",
                code="internal-error",
                hint="Probeer het over een ogenblik opnieuw.",
            )
            response = self.render(Request(scope), error)
            await response(scope, receive, send)
