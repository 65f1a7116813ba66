"""The page cache: the same page is served again until the register's content version changes."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from igsatlas.web.cache import REMADE_CHEAPLY, ResponseCache, known_query


def build(version: list[str]) -> tuple[TestClient, list[int]]:
    calls = [0]

    async def page(request: Request) -> Response:
        calls[0] += 1
        if request.query_params.get("fout"):
            return PlainTextResponse("niet gevonden", status_code=404)
        if request.query_params.get("op"):  # a day of a state already built: cheaper to make again than to keep
            return PlainTextResponse(f"dag, oproep {calls[0]}", headers={REMADE_CHEAPLY.decode(): "1"})
        return PlainTextResponse(f"versie {version[0]}, oproep {calls[0]}")

    app = Starlette(routes=[Route("/", page)])
    cache = ResponseCache(app, version=lambda: version[0], known={"op", "fout"})
    cache_client = TestClient(cache)  # type: ignore[arg-type]
    return cache_client, calls


def test_pages_are_served_from_the_cache_until_the_version_changes() -> None:
    version = ["a"]
    client, calls = build(version)
    assert client.get("/").text == "versie a, oproep 1"
    assert client.get("/").text == "versie a, oproep 1"
    assert calls[0] == 1
    assert client.get("/?op=2024-06-30").text == "dag, oproep 2"  # another query is another page
    again = client.get("/?op=2024-06-30")
    assert again.text == "dag, oproep 3" and REMADE_CHEAPLY.decode() not in again.headers  # made again, not kept
    version[0] = "b"
    assert client.get("/").text == "versie b, oproep 4"


def test_errors_are_not_cached() -> None:
    client, calls = build(["a"])
    assert client.get("/?fout=1").status_code == 404
    assert client.get("/?fout=1").status_code == 404
    assert calls[0] == 2


def test_unknown_parameters_do_not_fill_the_cache() -> None:
    assert known_query(b"x=1&vorm=pv&y=2&op=2024-06-30", {"vorm", "op"}) == "vorm=pv&op=2024-06-30"
    served = []

    async def page(request: Request) -> Response:
        served.append(request.url.query)
        return Response("pagina", media_type="text/html")

    app = Starlette(routes=[Route("/p", page)])
    cached = TestClient(ResponseCache(app, version=lambda: "1", known={"op"}))
    for n in range(50):
        assert cached.get("/p", params={"x": str(n)}).text == "pagina"
    assert len(served) == 1  # one entry for all fifty ignored parameters


def test_the_cache_is_bounded_in_bytes() -> None:
    async def page(request: Request) -> Response:
        return Response("x" * 100_000, media_type="text/html")

    cache = ResponseCache(Starlette(routes=[Route("/{n}", page)]), version=lambda: "1", known=(), max_bytes=2_000_000)
    client = TestClient(cache)
    for n in range(100):
        client.get(f"/{n}")
    assert cache.size <= 2_000_000 and len(cache.entries) < 100


def test_a_page_carries_an_etag_of_its_key_and_a_conditional_get_answers_304_without_building_it() -> None:
    version = ["a"]
    client, calls = build(version)
    first = client.get("/")
    tag = first.headers["etag"]
    assert tag.startswith('W/"') and first.headers["cache-control"] == "public, max-age=30, must-revalidate"
    assert "Accept-Encoding" in first.headers["vary"]
    again = client.get("/", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    day = client.get("/?op=2024-06-30")  # a day made again per request still has its own tag
    assert day.headers["etag"] != tag
    assert client.get("/?op=2024-06-30", headers={"If-None-Match": day.headers["etag"]}).status_code == 304
    assert calls[0] == 2  # neither 304 looked the page up or built it
    assert client.get("/", headers={"If-None-Match": '"other", ' + tag.removeprefix("W/")}).status_code == 304
    version[0] = "b"  # a write: the old tag no longer matches
    changed = client.get("/", headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.text == "versie b, oproep 3" and changed.headers["etag"] != tag


def test_errors_and_signed_in_pages_carry_no_public_validators() -> None:
    client, _ = build(["a"])
    missing = client.get("/?fout=1")
    assert missing.status_code == 404 and "etag" not in missing.headers
    assert "public" not in missing.headers.get("cache-control", "")
    client.cookies.set("igs_sessie", "x")
    signed_in = client.get("/")
    assert signed_in.headers["cache-control"] == "private, no-cache" and "etag" not in signed_in.headers
