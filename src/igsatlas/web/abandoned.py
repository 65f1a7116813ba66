"""A page request whose client hangs up is dropped: work still queued for it (waiting for a thread of the page
pool) never starts, and what runs on the event loop stops at its next await. Under a flood, clients that
gave up therefore stop costing the ones still waiting.

Only GET and HEAD, whose body nobody reads: the request's messages are watched here, and the page sees an empty
body and then, should the client go, the disconnect.
"""

from __future__ import annotations

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

EMPTY_BODY: Message = {"type": "http.request", "body": b"", "more_body": False}


class DropAbandoned:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        gone = anyio.Event()
        given = False
        answered = False  # the last byte of the answer went out: a disconnect now is the normal end

        async def page_send(message: Message) -> None:
            nonlocal answered
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                answered = True

        async def page_receive() -> Message:
            nonlocal given
            if not given:
                given = True
                return EMPTY_BODY
            await gone.wait()
            return {"type": "http.disconnect"}

        async with anyio.create_task_group() as group:

            async def watch() -> None:
                while (await receive())["type"] != "http.disconnect":
                    pass
                gone.set()
                if not answered:
                    group.cancel_scope.cancel()

            group.start_soon(watch)
            await self.app(scope, page_receive, page_send)
            group.cancel_scope.cancel()
