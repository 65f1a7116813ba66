"""The minimal site: the register's counts in Dutch, with a JSON twin and coded errors."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from igsatlas.config import Settings
from igsatlas.web.app import create_app


@pytest.fixture(scope="module")
def client(imported_url: str) -> Iterator[TestClient]:
    settings = Settings.from_env({"IGSATLAS_DATABASE_URL": imported_url})
    with TestClient(create_app(settings)) as c:
        yield c


def test_home_shows_the_counts_in_dutch(client: TestClient) -> None:
    page = client.get("/", params={"op": "2024-12-31"})
    assert page.status_code == 200
    assert '<html lang="nl-BE">' in page.text
    assert "<strong>300</strong> Vlaamse gemeenten" in page.text
    assert "uitpas</strong> (onvolledig)" in page.text
    after = client.get("/", params={"op": "2025-01-01"})
    assert "<strong>285</strong> Vlaamse gemeenten" in after.text


def test_home_json_twin_has_the_same_numbers(client: TestClient) -> None:
    doc = client.get("/index.json", params={"op": "2025-01-01"}).json()
    assert doc["gemeenten"] == 285
    assert doc["actieve_organisaties_per_soort"]["Projectvereniging"] == 70


def test_bad_day_is_a_dutch_400_page_and_a_coded_json_error(client: TestClient) -> None:
    page = client.get("/", params={"op": "gisteren"})
    assert page.status_code == 400
    assert "geen geldige dag" in page.text
    twin = client.get("/index.json", params={"op": "gisteren"})
    assert twin.status_code == 400
    assert twin.json()["error"]["code"] == "invalid-day"


def test_static_assets_are_served_by_us(client: TestClient) -> None:
    css = client.get("/static/site.css")
    assert css.status_code == 200
    assert "font-family" in css.text
    assert "http" not in client.get("/").text.split("<main", 1)[0].replace('lang="nl-BE"', "")
