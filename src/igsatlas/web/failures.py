"""Unexpected errors: the Dutch error page (or the JSON error shape) with the security headers, instead of a
plain-text 500 that closes the connection. The error is logged without the request's query or form. A NUL
character in the address is refused before any handler sees it (PostgreSQL cannot store one)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from igsatlas.errors import AtlasError, InvalidArgumentError

log = logging.getLogger("igsatlas.web")


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
