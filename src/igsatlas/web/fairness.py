"""A fair share of the page pool per client: one client (one address) has at most CLIENT_PAGES requests in the
thread pool at once; a request beyond that gets 429 with Retry-After at once instead of queueing, so that a
client flooding uncached pages cannot make every other client wait behind it. Cached pages are served before
this (by the page cache) and are not counted."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from igsatlas.errors import TooManyRequestsError

CLIENT_PAGES = 2  # of the PAGE_THREADS threads that build pages, one client may hold this many


class FairShare:
    def __init__(self, limit: int = CLIENT_PAGES) -> None:
        self.limit = limit
        self.busy: defaultdict[str, int] = defaultdict(int)  # touched on the event loop only: no lock

    def wrap(self, handler: Callable[[Request], Response]) -> Callable[[Request], Awaitable[Response]]:
        """The handler run in the thread pool, within its client's share."""

        async def endpoint(request: Request) -> Response:
            client = request.client.host if request.client else ""
            if self.busy[client] >= self.limit:
                raise TooManyRequestsError(
                    "Uw verbinding vraagt veel pagina's tegelijk; deze kon niet meer worden gemaakt.",
                    code="too-many-pages",
                    hint="Wacht even en laad de pagina opnieuw.",
                )
            self.busy[client] += 1
            try:
                return await run_in_threadpool(handler, request)
            finally:
                self.busy[client] -= 1
                if not self.busy[client]:
                    del self.busy[client]

        endpoint.__wrapped__ = handler  # type: ignore[attr-defined]  # the handler itself (inspect.unwrap)
        endpoint.share = self  # type: ignore[attr-defined]  # which share it counts in (for monitoring, tests)
        return endpoint
