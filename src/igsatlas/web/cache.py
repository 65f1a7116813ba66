"""A response cache for anonymous GET pages: the register only changes through a write (an import or a published
edit), so a page is the same for the same path, query, day and register version. Every write stamps a new
content version; the cache reads it at most once a second and starts afresh when it changes. Signed-in requests
and responses that set a cookie or say no-store are never stored."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import date

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = "igs_sessie"  # the same name as web/auth.py's; kept here so the cache imports nothing of it

Key = tuple[str, bytes, str, bool, str]


class ResponseCache:
    def __init__(self, app: ASGIApp, version: Callable[[], str], max_entries: int = 2048) -> None:
        self.app = app
        self.version = version
        self.max_entries = max_entries
        self.entries: OrderedDict[Key, list[Message]] = OrderedDict()
        self.lock = threading.Lock()
        self.seen_version = ""
        self.checked_at = 0.0

    def current_version(self) -> str:
        now = time.monotonic()
        if now - self.checked_at > 1.0:
            self.checked_at = now
            found = self.version()
            if found != self.seen_version:
                with self.lock:
                    self.entries.clear()
                self.seen_version = found
        return self.seen_version

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if SESSION_COOKIE.encode() in headers.get(b"cookie", b""):
            # A signed-in page is never stored, nor served from what anonymous visitors were given.
            await self.app(scope, receive, send)
            return
        gzip_ok = b"gzip" in headers.get(b"accept-encoding", b"")
        key: Key = (scope["path"], scope["query_string"], date.today().isoformat(), gzip_ok, self.current_version())
        with self.lock:
            cached = self.entries.get(key)
            if cached is not None:
                self.entries.move_to_end(key)
        if cached is not None:
            for message in cached:
                await send(message)
            return
        messages: list[Message] = []

        async def keep(message: Message) -> None:
            messages.append(message)
            await send(message)

        await self.app(scope, receive, keep)
        start = messages[0] if messages else {}
        private = any(
            k == b"set-cookie" or (k == b"cache-control" and b"no-store" in v) for k, v in start.get("headers", [])
        )
        if start.get("type") == "http.response.start" and start.get("status") == 200 and not private:
            with self.lock:
                self.entries[key] = messages
                while len(self.entries) > self.max_entries:
                    self.entries.popitem(last=False)
