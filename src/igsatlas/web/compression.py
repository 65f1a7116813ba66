"""Compression of answers. Pages from the page cache are compressed once, when they are stored; a page made
again for every request (another day of a register state, see REMADE_CHEAPLY) is compressed for every request,
so it takes the fast level, in a worker thread (zlib lets go of the interpreter while it works)."""

from __future__ import annotations

import gzip

from starlette.requests import Request

LEVEL = 6  # zlib's own default; Starlette's 9 took 29 ms for a 180 kB gemeente page, 6 about half of it
FAST_LEVEL = 1  # as nginx's default: 2.7 ms for that page, 13% larger than level 9
MINIMUM_SIZE = 1000  # smaller answers go as they are


def accepts_gzip(request: Request) -> bool:
    return "gzip" in request.headers.get("accept-encoding", "")


def gzip_fast(body: bytes) -> bytes:
    """``body`` as a gzip member at FAST_LEVEL (no timestamp: the same page gives the same bytes)."""
    return gzip.compress(body, compresslevel=FAST_LEVEL, mtime=0)
