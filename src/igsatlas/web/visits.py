"""Visitors first: while a request that reached the site's handlers is being answered, the background warm-up
(which rebuilds every register state after a write, each step holding the interpreter for 0.2-0.5 s) waits
before its next step, so that a page asked for just after a write is not slowed down by it. Answers from the
page cache never get here and do not count."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from starlette.types import ASGIApp, Receive, Scope, Send

GIVE_WAY_SECONDS = 1.0  # the longest the warm-up waits for visitors before each of its steps


class Visitors:
    """How many visitors' requests are being answered now."""

    def __init__(self, give_way_seconds: float = GIVE_WAY_SECONDS) -> None:
        self.give_way_seconds = give_way_seconds
        self._count = 0
        self._quiet = threading.Condition()

    @contextmanager
    def visit(self) -> Iterator[None]:
        with self._quiet:
            self._count += 1
        try:
            yield
        finally:
            with self._quiet:
                self._count -= 1
                if not self._count:
                    self._quiet.notify_all()

    def give_way(self, stopping: threading.Event) -> None:
        """Wait while visitors are being answered, at most ``give_way_seconds`` (a steady stream of visitors
        does not stop background work) or until ``stopping`` is set. Call it holding no lock a visitor may
        need."""
        with self._quiet:
            self._quiet.wait_for(lambda: not self._count or stopping.is_set(), timeout=self.give_way_seconds)

    def wake(self) -> None:
        """Let a waiting give_way look again (at a stop)."""
        with self._quiet:
            self._quiet.notify_all()


class Visits:
    """The ASGI middleware that counts the requests reaching the handlers."""

    def __init__(self, app: ASGIApp, visitors: Visitors) -> None:
        self.app = app
        self.visitors = visitors

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with self.visitors.visit():
            await self.app(scope, receive, send)
