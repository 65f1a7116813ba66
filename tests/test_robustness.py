"""The site under odd requests: unknown parameters, HEAD, wrong methods, NUL characters, unexpected errors."""

from __future__ import annotations

from datetime import date

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, Router
from starlette.testclient import TestClient

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
    site = next(r for r in client.app.routes if getattr(r, "path", "") == "/aanmelden").endpoint.__self__.site  # type: ignore[attr-defined]
    assert site.state(date(2025, 3, 3)) == site.state(date(2025, 3, 4))
    assert site.state(date(2024, 12, 31)) != site.state(date(2025, 1, 1))  # the mergers
    # work built for one day of a state serves another, with the requested day put in
    first = client.get("/aandachtspunten.json", params={"op": "2025-03-03"}).json()
    second = client.get("/aandachtspunten.json", params={"op": "2025-03-04"}).json()
    assert first["op"] == "2025-03-03" and second["op"] == "2025-03-04"
    assert len(first["afwijkingen"]) == len(second["afwijkingen"])
    checked = " ".join(f["gecontroleerd"] for f in second["afwijkingen"])
    assert "als lid op 4 maart 2025" in checked and "3 maart 2025" not in checked
