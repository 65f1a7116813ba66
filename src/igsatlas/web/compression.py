"""Compression of answers. Pages from the page cache are compressed once, when they are stored; a page made
again for every request (another day of a register state, see REMADE_CHEAPLY) is compressed in pieces once,
when the state's page is kept, and the day written in between them (see web.day_pages)."""

from __future__ import annotations

from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.types import Message, Receive, Scope, Send

from igsatlas.opendata.conditional import accepts_gzip as accepts_gzip_header
from igsatlas.opendata.conditional import joined
from igsatlas.web.cache import with_vary

LEVEL = 6  # zlib's own default; Starlette's 9 took 29 ms for a 180 kB gemeente page, 6 about half of it
MINIMUM_SIZE = 1000  # smaller answers go as they are


def accepts_gzip(request: Request) -> bool:
    return accepts_gzip_header(joined(request.scope["headers"], b"accept-encoding"))


class GZip(GZipMiddleware):
    """Starlette's gzip decides by whether the first Accept-Encoding header contains the letters "gzip": it
    compresses for ``gzip;q=0`` (which refuses it) and not for ``*`` or ``GZIP`` (which accept it), and the page
    cache, which reads the header with its weights, would keep such an answer under the other encoding's key. So
    it is passed one plain header, ``gzip`` when the request accepts gzip and none when it does not; and the
    answer's Vary names Accept-Encoding once (Starlette adds it again to a Vary that already names it)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        others = [(k, v) for k, v in scope["headers"] if k != b"accept-encoding"]
        plain = (
            [(b"accept-encoding", b"gzip")] if accepts_gzip_header(joined(scope["headers"], b"accept-encoding")) else []
        )
        scope = {**scope, "headers": others + plain}

        async def once(message: Message) -> None:
            if message["type"] == "http.response.start" and any(k == b"vary" for k, _ in message.get("headers", [])):
                message = {**message, "headers": with_vary(list(message["headers"]))}
            await send(message)

        await super().__call__(scope, receive, once)
