"""Visitors first: while a request that reached the site's handlers is being answered, the background warm-up
(which rebuilds every register state after a write) waits before its next step (Site._give_way). Answers from
the page cache never get here and do not count."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from igsatlas.web.site import Site


class Visits:
    def __init__(self, app: ASGIApp, site: Site) -> None:
        self.app = app
        self.site = site

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with self.site.visit():
            await self.app(scope, receive, send)
