"""Compression of answers. Pages from the page cache are compressed once, when they are stored; a page made
again for every request (another day of a register state, see REMADE_CHEAPLY) is compressed in pieces once,
when the state's page is kept, and the day written in between them (see web.day_pages)."""

from __future__ import annotations

from starlette.requests import Request

LEVEL = 6  # zlib's own default; Starlette's 9 took 29 ms for a 180 kB gemeente page, 6 about half of it
MINIMUM_SIZE = 1000  # smaller answers go as they are


def accepts_gzip(request: Request) -> bool:
    return "gzip" in request.headers.get("accept-encoding", "")
