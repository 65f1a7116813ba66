"""Compression of answers. Pages from the page cache are compressed once, when they are stored; a page made
again for every request (another day of a register state, see REMADE_CHEAPLY) is compressed in pieces once,
when the state's page is kept, and the day written in between them (see web.day_pages)."""

from __future__ import annotations

from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from igsatlas.opendata.conditional import accepts_gzip as accepts_gzip_header

LEVEL = 6  # zlib's own default; Starlette's 9 took 29 ms for a 180 kB gemeente page, 6 about half of it
MINIMUM_SIZE = 1000  # smaller answers go as they are


def accepts_gzip(request: Request) -> bool:
    return accepts_gzip_header(request.headers.get("accept-encoding", "").encode("latin-1"))


class GZip(GZipMiddleware):
    """Starlette's gzip, which compresses for any Accept-Encoding that names gzip, also for ``gzip;q=0`` (which
    refuses it): such a request is passed on without the header, so that it is answered as it is."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            asked = dict(scope["headers"]).get(b"accept-encoding")
            if asked is not None and b"gzip" in asked and not accepts_gzip_header(asked):
                scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k != b"accept-encoding"]}
        await super().__call__(scope, receive, send)
