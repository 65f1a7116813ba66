"""Conditional GET for the API: ETag, Last-Modified and Cache-Control on every answer, 304 when the client
already has it."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class Conditional:
    """ETag (a hash of the body), Last-Modified (the last write) and Cache-Control on every 200 GET; 304 when the
    client already has it."""

    def __init__(self, app: ASGIApp, last_modified: Callable[[], Any]) -> None:
        self.app = app
        self.last_modified = last_modified

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        start: Message = {}
        body = bytearray()

        async def keep(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                body.extend(message.get("body", b""))

        await self.app(scope, receive, keep)
        headers = [(k, v) for k, v in start.get("headers", []) if k != b"content-length"]
        status = start.get("status", 500)
        if status == 200:
            etag = '"' + hashlib.sha256(bytes(body)).hexdigest()[:32] + '"'
            modified = self.last_modified()
            headers += [(b"etag", etag.encode()), (b"cache-control", b"public, max-age=60, must-revalidate")]
            if modified is not None:
                headers.append((b"last-modified", format_datetime(modified, usegmt=True).encode()))
            asked = dict(scope["headers"])
            if _matches(asked.get(b"if-none-match"), etag) or (
                b"if-none-match" not in asked and _not_modified_since(asked.get(b"if-modified-since"), modified)
            ):
                await send({"type": "http.response.start", "status": 304, "headers": headers})
                await send({"type": "http.response.body", "body": b""})
                return
        headers.append((b"content-length", str(len(body)).encode()))
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else bytes(body)})


def _matches(header: bytes | None, etag: str) -> bool:
    if not header:
        return False
    wanted = {x.strip().removeprefix("W/") for x in header.decode("latin-1").split(",")}
    return "*" in wanted or etag in wanted


def _not_modified_since(header: bytes | None, modified: Any) -> bool:
    if not header or modified is None:
        return False
    try:
        since = parsedate_to_datetime(header.decode("latin-1"))
    except (TypeError, ValueError):
        return False
    return bool(modified.replace(microsecond=0) <= since)
