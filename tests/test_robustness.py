"""The site under odd requests: unknown parameters, HEAD, wrong methods, NUL characters, unexpected errors."""

from __future__ import annotations

import csv
import inspect
import socket
from datetime import date

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, Router
from starlette.testclient import TestClient

from conftest import DATA_DIR, igs_serve
from igsatlas.errors import AtlasError
from igsatlas.web.failures import ErrorPages
from igsatlas.web.headers import SecurityHeaders


def test_unknown_parameters_are_not_echoed(client: TestClient) -> None:
    page = client.get("/samenwerkingsverbanden", params={"vorm": "projectvereniging", "x": "<b>1</b>", "y": "2"})
    assert page.status_code == 200
    assert 'name="x"' not in page.text and 'name="y"' not in page.text
    assert 'name="vorm" value="projectvereniging"' in page.text


def test_head_is_served_like_get(client: TestClient) -> None:
    get = client.get("/gemeenten/gent")
    head = client.head("/gemeenten/gent")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]


def test_a_wrong_method_gets_405_with_allow(client: TestClient) -> None:
    answer = client.post("/gemeenten/gent")
    assert answer.status_code == 405
    assert "GET" in answer.headers["allow"]
    assert "Niet toegestaan" in answer.text and "method-not-allowed" in answer.text


def test_a_nul_character_in_the_address_is_refused_clearly(client: TestClient) -> None:
    for path in ("/gemeenten/gent%00", "/samenwerkingsverbanden/x%00y", "/zoeken?q=%00"):
        answer = client.get(path)
        assert answer.status_code == 400, path
        assert "ongeldig teken" in answer.text


IGNORED = "&".join(f"p{n}={n}" for n in range(10_000))  # 78,889 bytes of parameters no page reads
SOME_IGNORED = IGNORED[:30_000]  # within what the test client sends (64 kB), over the site's limit


def test_an_address_that_is_too_long_is_refused_before_its_query_is_read(client: TestClient) -> None:
    page = client.get(f"/samenwerkingsverbanden?{SOME_IGNORED}")
    assert page.status_code == 414
    assert "Het adres is te lang: meer dan 16.384 tekens." in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert "p2999" not in page.text
    api = client.get(f"/api/v1/organisaties?{SOME_IGNORED}")
    assert api.status_code == 414
    assert api.json()["error"]["code"] == "uri-too-long"


def test_the_longest_form_of_the_site_stays_under_the_limit(client: TestClient) -> None:
    """The planner with every municipality the data names, old and new (5.8 kB of query)."""
    with (DATA_DIR / "regions" / "municipalities.csv").open(encoding="utf-8") as f:
        names = [row["name_nl"] for row in csv.DictReader(f)]
    assert len(names) == 312
    page = client.get("/samenwerken", params=[*(("gemeente", n) for n in names), ("buren", "ja")])
    assert page.status_code == 200
    assert "Wingene" in page.text


def test_igs_serve_gives_the_same_414_however_the_bytes_arrive(imported_url: str) -> None:
    """`igs serve` reads the whole head (up to MAX_REQUEST_HEAD), so the site, not the parser's buffer, answers:
    sent whole or in pieces of 1 kB, the request gets the Dutch 414 and the connection stays open."""
    with igs_serve(imported_url) as port:
        conn = socket.create_connection(("127.0.0.1", port), timeout=30)
        request = f"GET /samenwerkingsverbanden?{IGNORED} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
        with conn, conn.makefile("rb") as answer:
            for piece in (len(request), 1024):
                for start in range(0, len(request), piece):
                    conn.sendall(request[start : start + piece])
                status = answer.readline()
                headers = {}
                while (line := answer.readline()) not in (b"\r\n", b""):
                    name, _, value = line.decode().partition(":")
                    headers[name.lower()] = value.strip()
                body = answer.read(int(headers["content-length"]))
                assert status.startswith(b"HTTP/1.1 414"), (piece, status)
                assert b"Het adres is te lang" in body


def test_an_unexpected_error_gets_the_dutch_page_with_the_security_headers() -> None:
    async def broken(request: Request) -> Response:
        raise RuntimeError("boom")

    def render(request: Request, error: AtlasError) -> Response:
        return Response(f"<h1>Er ging iets mis</h1><p>{error.message}</p>", status_code=500, media_type="text/html")

    # the handlers' router as the app wraps it (inside the app's own middleware)
    app = SecurityHeaders(ErrorPages(Router(routes=[Route("/", broken)]), render=render))
    client = TestClient(app, raise_server_exceptions=False)
    answer = client.get("/")
    assert answer.status_code == 500
    assert "Er ging iets mis aan onze kant" in answer.text
    assert "default-src 'self'" in answer.headers["content-security-policy"]
    assert answer.headers.get("connection") != "close"


def test_days_that_see_the_same_register_share_its_state(client: TestClient) -> None:
    login = next(r for r in client.app.routes if getattr(r, "path", "") == "/aanmelden").endpoint
    site = inspect.unwrap(login).__self__.site  # type: ignore[attr-defined]
    assert site.clock.state(date(2025, 3, 3)) == site.clock.state(date(2025, 3, 4))
    assert site.clock.state(date(2024, 12, 31)) != site.clock.state(date(2025, 1, 1))  # the mergers
    # work built for one day of a state serves another, with the requested day put in
    first = client.get("/aandachtspunten.json", params={"op": "2025-03-03"}).json()
    second = client.get("/aandachtspunten.json", params={"op": "2025-03-04"}).json()
    assert first["op"] == "2025-03-03" and second["op"] == "2025-03-04"
    assert len(first["afwijkingen"]) == len(second["afwijkingen"])
    checked = " ".join(f["bevinding"]["gecontroleerd"] for f in second["afwijkingen"])
    assert "als lid op 4 maart 2025" in checked and "3 maart 2025" not in checked
