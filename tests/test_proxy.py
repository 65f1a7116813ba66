"""The atlas behind a real nginx (Debian's package) on loopback, configured by docs/nginx/igs-atlas.conf as the
README tells operators: anonymous pages are kept by the proxy and revalidated with If-None-Match; signed-in
visitors pass by it."""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import live_server
from igsatlas.web import proxy


@contextmanager
def nginx_in_front(upstream: str, prefix: Path, extra: str = "") -> Iterator[str]:
    with proxy.running(prefix, upstream, extra) as port:
        yield f"http://127.0.0.1:{port}"


def get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()


@pytest.fixture(scope="module")
def upstream(imported_url: str) -> Iterator[str]:
    with live_server(imported_url) as url:
        yield url


def test_nginx_keeps_anonymous_pages_and_revalidates_them_with_a_304(upstream: str, tmp_path: Path) -> None:
    # Expire at once (instead of after the atlas's 30 s) so that the revalidation can be seen in a test.
    expire = "proxy_ignore_headers Cache-Control; proxy_cache_valid 200 1s;"
    with nginx_in_front(upstream.removeprefix("http://"), tmp_path / "nginx", expire) as proxy:
        status, first, body = get(proxy + "/gemeenten/gent")
        assert status == 200 and first["x-cache-status"] == "MISS" and "Gent" in body.decode()
        _, second, again = get(proxy + "/gemeenten/gent")
        assert second["x-cache-status"] == "HIT" and again == body and second["etag"] == first["etag"]
        time.sleep(2.2)  # nginx counts validity in whole seconds
        _, third, revalidated = get(proxy + "/gemeenten/gent")
        assert third["x-cache-status"] == "REVALIDATED" and revalidated == body  # the atlas answered 304
        _, own, _ = get(upstream + "/gemeenten/gent")
        assert own["etag"] == first["etag"] and own["cache-control"] == "public, max-age=30, must-revalidate"
        _, signed_in, _ = get(proxy + "/gemeenten/gent", Cookie="igs_sessie=niet-geldig")
        assert signed_in["x-cache-status"] == "BYPASS"


def test_nginx_honours_the_atlas_cache_control_as_documented(upstream: str, tmp_path: Path) -> None:
    with nginx_in_front(upstream.removeprefix("http://"), tmp_path / "nginx") as proxy:
        statuses = [get(proxy + "/lagen/erfgoedcel.json")[1]["x-cache-status"] for _ in range(3)]
        assert statuses == ["MISS", "HIT", "HIT"]  # kept for the 30 s the atlas allows
        gzip_answer = get(proxy + "/lagen/erfgoedcel.json", **{"Accept-Encoding": "gzip"})[1]
        assert gzip_answer.get("content-encoding") == "gzip" and "Accept-Encoding" in gzip_answer["vary"]
