"""A response cache for anonymous GET (and HEAD) pages: the register only changes through a write (an import or
a published edit), so a page is the same for the same path, known query parameters, day and register version.
Every write stamps a new content version; the cache reads it as the site does (at most once a second, at once after
a write of its own process) and starts afresh when it changes. Unknown query parameters are left out of the key,
so they cannot fill the cache; the cache is bounded in bytes. Signed-in requests and responses that set a cookie
or say no-store are never stored, nor pages that say they are cheaper to make again than to keep (REMADE_CHEAPLY:
a day of a register state already built).

The key is also what the web outside the process needs: every anonymous page answered 200 carries an ETag made
from its key (path, known parameters, day, encoding, content version) and ``Cache-Control: public`` with a short
max-age, so a browser or a reverse proxy in front (README, "Behind a reverse proxy") keeps it and asks again with
If-None-Match; that answer is a 304 decided from the key alone, before any page is looked up or built."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection
from datetime import date
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from igsatlas.opendata.conditional import accepts_gzip, joined

SESSION_COOKIE = "igs_sessie"  # the same name as web/auth.py's; kept here so the cache imports nothing of it

Key = tuple[str, str, str, bool, str]
# Static files are served as they are; the API and the dumps keep their own per-state work and send ETags.
UNCACHED = ("/static/", "/api/", "/data/")
# A response header by which a page says it is cheaper to make again than to keep; never sent on.
REMADE_CHEAPLY = b"x-igs-remade-cheaply"
# Anonymous pages: kept by browsers and shared caches for half a minute, then asked again with If-None-Match.
# A write (an import or a published edit) shows through such a cache within that time.
PUBLIC = b"public, max-age=30, must-revalidate"
# Signed-in pages name the visitor: never kept by a shared cache.
PRIVATE = b"private, no-cache"


def entity_tag(key: Key) -> bytes:
    """A weak ETag for a page's key: the same key gives the same page (weak, because a compressed body's bytes
    may differ while its content does not)."""
    digest = hashlib.blake2b(repr(key).encode(), digest_size=12).hexdigest()
    return f'W/"{digest}"'.encode()


def matches(header: bytes | None, tag: bytes) -> bool:
    """If-None-Match against a weak tag (RFC 9110 13.1.2: weak comparison)."""
    if not header:
        return False
    wanted = {x.strip().removeprefix(b"W/") for x in header.split(b",")}
    return b"*" in wanted or tag.removeprefix(b"W/") in wanted


def with_vary(headers: list[tuple[bytes, bytes]], *names: bytes) -> list[tuple[bytes, bytes]]:
    """One Vary header naming what it named and ``names``, each once (a proxy such as nginx reads only one)."""
    named: list[bytes] = []
    for k, v in headers:
        if k == b"vary":
            for x in v.split(b","):
                if x.strip() and x.strip().lower() not in {n.lower() for n in named}:
                    named.append(x.strip())
    for name in names:
        if name.lower() not in {x.lower() for x in named}:
            named.append(name)
    return [(k, v) for k, v in headers if k != b"vary"] + [(b"vary", b", ".join(named))]


def _with_headers(message: Message, extra: list[tuple[bytes, bytes]]) -> Message:
    names = {k for k, _ in extra}
    kept = [(k, v) for k, v in message.get("headers", []) if k not in names]
    return {**message, "headers": kept + extra}


def known_query(query_string: bytes, known: Collection[str]) -> str:
    """The query with only the parameters the site reads, in their order."""
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    return urlencode([(k, v) for k, v in pairs if k in known])


class ResponseCache:
    def __init__(
        self,
        app: ASGIApp,
        version: Callable[[], str],
        known: Collection[str],
        max_entries: int = 4096,
        max_bytes: int = 64 * 1024 * 1024,
    ) -> None:
        self.app = app
        self.version = version
        self.known = frozenset(known)
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.entries: OrderedDict[Key, tuple[int, list[Message]]] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()
        self.seen_version = ""

    def current_version(self) -> str:
        """The content version as the site reads it (at most once a second, or at once after its own write)."""
        found = self.version()
        if found != self.seen_version:
            with self.lock:
                self.entries.clear()
                self.size = 0
            self.seen_version = found
        return self.seen_version

    def _store(self, key: Key, messages: list[Message]) -> None:
        size = sum(len(m.get("body", b"")) for m in messages) + 512
        if size > self.max_bytes // 16:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            self.size -= old[0] if old else 0
            self.entries[key] = (size, messages)
            self.size += size
            while self.entries and (len(self.entries) > self.max_entries or self.size > self.max_bytes):
                _, (gone, _) = self.entries.popitem(last=False)
                self.size -= gone

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope.get("method")
        if scope["type"] != "http" or method not in ("GET", "HEAD") or scope["path"].startswith(UNCACHED):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if SESSION_COOKIE.encode() in headers.get(b"cookie", b""):
            # A signed-in page is never stored, nor served from what anonymous visitors were given.
            await self.app(scope, receive, _private(send))
            return
        gzip_ok = accepts_gzip(joined(scope["headers"], b"accept-encoding"))
        query = known_query(scope["query_string"], self.known)
        key: Key = (scope["path"], query, date.today().isoformat(), gzip_ok, self.current_version())
        tag = entity_tag(key)
        validators = [(b"etag", tag), (b"cache-control", PUBLIC)]
        if matches(joined(scope["headers"], b"if-none-match"), tag):
            not_modified = with_vary(validators, b"Accept-Encoding")
            await send({"type": "http.response.start", "status": 304, "headers": not_modified})
            await send({"type": "http.response.body", "body": b""})
            return
        with self.lock:
            cached = self.entries.get(key)
            if cached is not None:
                self.entries.move_to_end(key)
        if cached is not None:
            for message in cached[1]:
                if method == "HEAD" and message["type"] == "http.response.body":
                    message = {**message, "body": b""}
                await send(message)
            return
        messages: list[Message] = []
        cheap = False

        async def keep(message: Message) -> None:
            nonlocal cheap
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                if any(k == REMADE_CHEAPLY for k, _ in headers):
                    cheap = True
                    message = {**message, "headers": [(k, v) for k, v in headers if k != REMADE_CHEAPLY]}
                if message.get("status") == 200 and not _is_private(message):
                    message = _with_headers(message, validators)
                    message["headers"] = with_vary(message["headers"], b"Accept-Encoding")
            if method == "HEAD":
                cheap = True  # a HEAD's empty body is never kept
            if not cheap:
                messages.append(message)
            await send(message)

        await self.app(scope, receive, keep)
        start = messages[0] if messages else {}
        if start.get("type") == "http.response.start" and start.get("status") == 200 and not _is_private(start):
            self._store(key, messages)


def _is_private(start: Message) -> bool:
    return any(
        k == b"set-cookie" or (k == b"cache-control" and (b"no-store" in v or b"private" in v))
        for k, v in start.get("headers", [])
    )


def _private(send: Send) -> Send:
    """Marks a signed-in answer private unless it says how it may be kept already."""

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start" and not any(
            k == b"cache-control" for k, _ in message.get("headers", [])
        ):
            message = _with_headers(message, [(b"cache-control", PRIVATE)])
        await send(message)

    return wrapped
