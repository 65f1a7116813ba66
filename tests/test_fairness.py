"""One client cannot hold more than its share of the page pool: beyond it, 429 at once; other clients go on."""

from __future__ import annotations

import threading

import anyio
import pytest
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.testclient import TestClient

from igsatlas.errors import TooManyRequestsError
from igsatlas.web.fairness import CLIENT_PAGES, FairShare


def _request(host: str) -> Request:
    return Request(
        {"type": "http", "method": "GET", "path": "/", "headers": [], "client": (host, 1), "query_string": b""}
    )


def test_a_client_beyond_its_share_is_refused_and_others_are_not() -> None:
    release = threading.Event()
    started = threading.Semaphore(0)

    def page(request: Request) -> Response:
        started.release()
        release.wait(5)
        return PlainTextResponse("klaar")

    share = FairShare()
    endpoint = share.wrap(page)
    answers: list[str] = []

    async def ask(host: str) -> None:
        answers.append(f"{host}:{(await endpoint(_request(host))).status_code}")

    async def main() -> None:
        async with anyio.create_task_group() as group:
            for _ in range(CLIENT_PAGES):
                group.start_soon(ask, "10.0.0.1")
            for _ in range(CLIENT_PAGES):
                await anyio.to_thread.run_sync(started.acquire)  # both are in the pool now
            with pytest.raises(TooManyRequestsError):
                await endpoint(_request("10.0.0.1"))
            group.start_soon(ask, "10.0.0.2")  # another client still gets a thread
            await anyio.to_thread.run_sync(started.acquire)
            release.set()
        assert share.busy == {}  # every slot given back

    anyio.run(main)
    assert sorted(answers) == ["10.0.0.1:200"] * CLIENT_PAGES + ["10.0.0.2:200"]


def test_the_refusal_is_a_dutch_429_with_retry_after(client: TestClient) -> None:
    endpoint = next(r for r in client.app.routes if getattr(r, "path", "") == "/over").endpoint  # type: ignore[attr-defined]
    share: FairShare = endpoint.share
    assert client.get("/over").status_code == 200
    share.limit = 0  # as if this client already had its share in the pool
    try:
        refused = client.get("/over", params={"op": "2011-11-11"})  # a day nobody asked: not in the page cache
        refused_json = client.get("/samenwerkingsverbanden.json", params={"op": "2011-11-12"})
    finally:
        share.limit = CLIENT_PAGES
    assert refused.status_code == 429 and refused.headers["retry-after"] == "1"
    assert "veel pagina&#39;s tegelijk" in refused.text and 'lang="nl-BE"' in refused.text
    assert refused_json.status_code == 429 and refused_json.json()["error"]["code"] == "too-many-pages"
    assert client.get("/over").status_code == 200
