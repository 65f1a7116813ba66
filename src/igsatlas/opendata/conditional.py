"""Conditional GET for the API: ETag, Last-Modified and Cache-Control on every answer, 304 when the client
already has it; and the answer gzipped for a client that accepts it, each body compressed once.

An answer's two representations (identity and gzip) carry ETags of their own (RFC 9110 8.8.3: a strong ETag names
one representation's bytes), both made from the body's hash. Compression costs more than building most answers
(800 kB of organisations: about 25 ms against 15 ms to build), and the API is asked for the same answers over and
over (a client walking the organisation list, a harvester every night), so the gzipped bytes are kept by the body's
hash, bounded in bytes: a changed body has another hash, so nothing kept can be stale."""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

from anyio import to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LEVEL = 6  # zlib's default, as the pages' (web/compression.py)
MINIMUM_SIZE = 1000  # smaller answers go as they are
IN_A_THREAD = 64 * 1024  # larger bodies are compressed off the event loop


class Compressed:
    """Gzipped bodies by the hash of their identity bytes, the least recently used dropped past ``max_bytes``."""

    def __init__(self, max_bytes: int = 32 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self.entries: OrderedDict[str, bytes] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    async def get(self, digest: str, body: bytes) -> bytes:
        with self.lock:
            found = self.entries.get(digest)
            if found is not None:
                self.entries.move_to_end(digest)
                return found
        if len(body) >= IN_A_THREAD:
            packed = await to_thread.run_sync(_compress, body)
        else:
            packed = _compress(body)
        if len(packed) <= self.max_bytes // 8:
            with self.lock:
                if digest not in self.entries:
                    self.entries[digest] = packed
                    self.size += len(packed)
                while self.size > self.max_bytes:
                    _, gone = self.entries.popitem(last=False)
                    self.size -= len(gone)
        return packed


def _compress(body: bytes) -> bytes:
    return gzip.compress(body, compresslevel=LEVEL, mtime=0)


class Conditional:
    """ETag (a hash of the body and its encoding), Last-Modified (the last write) and Cache-Control on every 200
    GET; 304 when the client already has it; gzip for a client that accepts it."""

    def __init__(self, app: ASGIApp, last_modified: Callable[[], Any]) -> None:
        self.app = app
        self.last_modified = last_modified
        self.compressed = Compressed()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        start: Message = {}
        parts: list[bytes] = []

        async def keep(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                parts.append(message.get("body", b""))

        # A HEAD is answered as the GET would be, less its body: the routes answer GET only (FastAPI), and the
        # HEAD's Content-Length, Content-Encoding and ETag are the GET's.
        await self.app({**scope, "method": "GET"}, receive, keep)
        headers = [(k, v) for k, v in start.get("headers", []) if k != b"content-length"]
        status = start.get("status", 500)
        asked = {name: joined(scope["headers"], name) for name in _ASKED if any(k == name for k, _ in scope["headers"])}
        content = parts[0] if len(parts) == 1 else b"".join(parts)  # one part: no copy of a large answer
        digest = hashlib.blake2b(content, digest_size=16).hexdigest()  # twice as fast as sha256 on large answers
        packing = (
            len(content) >= MINIMUM_SIZE
            and accepts_gzip(asked.get(b"accept-encoding", b""))
            and not any(k == b"content-encoding" for k, _ in headers)
        )
        if len(content) >= MINIMUM_SIZE:
            headers = _vary(headers)
        if packing:
            headers.append((b"content-encoding", b"gzip"))
        if status == 200:
            etag = f'"{digest}-gz"' if packing else f'"{digest}"'
            modified = self.last_modified()
            headers += [(b"etag", etag.encode()), (b"cache-control", b"public, max-age=60, must-revalidate")]
            if modified is not None:
                headers.append((b"last-modified", format_datetime(modified, usegmt=True).encode()))
            if _matches(asked.get(b"if-none-match"), etag) or (
                b"if-none-match" not in asked and _not_modified_since(asked.get(b"if-modified-since"), modified)
            ):
                not_modified = [(k, v) for k, v in headers if k != b"content-encoding"]
                await send({"type": "http.response.start", "status": 304, "headers": not_modified})
                await send({"type": "http.response.body", "body": b""})
                return
        if packing:
            content = await self.compressed.get(digest, content)
        headers.append((b"content-length", str(len(content)).encode()))
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else content})


def weighted(header: str) -> list[tuple[str, float]]:
    """The items of an Accept or Accept-Encoding header with their weights (RFC 9110 12.4.2), in their order,
    lower-cased; a weight that is not a number counts as 0."""
    out = []
    for part in header.split(","):
        name, _, params = part.partition(";")
        weight = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        out.append((name.strip().lower(), weight))
    return out


_ASKED = (b"accept-encoding", b"if-none-match", b"if-modified-since")


def joined(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes:
    """A request header's value, a header sent more than once read as one list (RFC 9110 5.3): Starlette's
    ``Headers.get`` reads the first, ``dict(scope["headers"])`` the last; every layer should read the same."""
    return b", ".join(v for k, v in headers if k == name)


def accepts_gzip(header: bytes) -> bool:
    """Whether an Accept-Encoding header accepts gzip (RFC 9110 12.5.3): named, or ``*``, with a weight above 0
    (``gzip;q=0`` refuses it)."""
    weights = dict(weighted(header.decode("latin-1")))
    return weights.get("gzip", weights.get("x-gzip", weights.get("*", 0.0))) > 0


def _vary(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The headers with Accept-Encoding named in their (one) Vary header."""
    named = [x.strip() for k, v in headers if k == b"vary" for x in v.split(b",") if x.strip()]
    if b"accept-encoding" not in {x.lower() for x in named}:
        named.append(b"Accept-Encoding")
    return [(k, v) for k, v in headers if k != b"vary"] + [(b"vary", b", ".join(named))]


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
