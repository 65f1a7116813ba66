"""A GET whose client hangs up before its answer is dropped; one whose client waits is answered as always."""

from __future__ import annotations

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import Message

from igsatlas.web.abandoned import DropAbandoned


def _site(done: list[str]) -> DropAbandoned:
    async def slow(request: Request) -> Response:
        await anyio.sleep(0.3)  # a page that takes a while (on the event loop or waiting for a thread)
        done.append(request.url.path)
        return PlainTextResponse("klaar")

    return DropAbandoned(Starlette(routes=[Route("/traag", slow)]))


def _scope(method: str = "GET") -> dict[str, object]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": "/traag",
        "raw_path": b"/traag",
        "query_string": b"",
        "headers": [(b"host", b"atlas")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "root_path": "",
    }


def test_a_client_that_hangs_up_gets_no_further_work() -> None:
    done: list[str] = []
    sent: list[Message] = []
    messages: list[Message] = [{"type": "http.request", "body": b"", "more_body": False}, {"type": "http.disconnect"}]

    async def receive() -> Message:
        message = messages.pop(0)
        if message["type"] == "http.disconnect":
            await anyio.sleep(0.05)  # the client gives up while the page is being made
        return message

    async def send(message: Message) -> None:
        sent.append(message)

    async def main() -> None:
        with anyio.fail_after(5):
            await _site(done)(_scope(), receive, send)

    anyio.run(main)
    assert done == [] and sent == []


def test_a_client_that_waits_gets_its_answer() -> None:
    done: list[str] = []
    sent: list[Message] = []
    answered = anyio.Event()
    first = [True]

    async def receive() -> Message:
        if first[0]:
            first[0] = False
            return {"type": "http.request", "body": b"", "more_body": False}
        await answered.wait()  # as a server does: the disconnect comes once the answer is out
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            answered.set()

    async def main() -> None:
        with anyio.fail_after(5):
            await _site(done)(_scope(), receive, send)

    anyio.run(main)
    assert done == ["/traag"]
    assert sent[0]["status"] == 200 and sent[-1]["body"] == b"klaar"
