"""Abbreviations are written out on their first use in a page, and only there."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from igsatlas.web.abbreviations import expand_first_use


def test_the_first_use_is_written_out_and_markup_is_left_alone() -> None:
    html = (
        "<html><head><title>DLB</title></head><body><p>art. 396 DLB en art. 397 DLB</p>"
        '<a href="/x?DLB=1" title="DLB">KBO-nummer</a><option>DLB</option><script>var DLB;</script>'
        "<p>DLBX en XDLB blijven</p></body></html>"
    )
    out = expand_first_use(html)
    assert out.count("<abbr") == 2
    assert (
        '<p>art. 396 <abbr title="Decreet over het lokaal bestuur (22 december 2017)">DLB</abbr> en art. 397 DLB</p>'
        in out
    )
    assert '<abbr title="Kruispuntbank van Ondernemingen">KBO</abbr>-nummer' in out
    assert "<title>DLB</title>" in out and '/x?DLB=1" title="DLB"' in out and "<option>DLB</option>" in out
    assert "DLBX en XDLB" in out
    already = expand_first_use('<p><abbr title="eigen">PEVA</abbr> en PEVA</p>')
    assert already.count("<abbr") == 1


def test_the_legal_pages_write_out_dlb_and_dis(client: TestClient) -> None:
    page = client.get("/rechtsvormen").text
    found = {word: title for title, word in re.findall(r'<abbr title="([^"]+)">([A-Z]+)</abbr>', page)}
    assert found["DLB"].startswith("Decreet over het lokaal bestuur")
    assert found["DIS"].startswith("decreet van 6 juli 2001")
    assert len(re.findall(r">DLB</abbr>", page)) == 1
    wizard = client.get(
        "/rechtsvormen/keuzehulp?doel=project&middelen=ja&overdracht=nee&privaat=nee&duur=kort&partners=gemeenten&erkenning=erfgoedcel"
    ).text
    assert ">DLB</abbr>" in wizard


def test_maps_set_aside_change_nothing() -> None:
    """The maps are taken out before the walk and put back after: the result is the walk over the whole page."""
    from igsatlas.web.abbreviations import _expand

    page = (
        "<main><p>Een map</p><svg><title>IGS</title><svg><text>DLB</text></svg><a href='/x'><path/></a></svg>"
        "<p>IGS en de DLB</p><svg viewBox='0 0 1 1'><text>OCMW</text></svg><p>OCMW</p></main>"
    )
    assert expand_first_use(page) == _expand(page)
    assert expand_first_use(page).count("<abbr") == 3 and "<text>DLB</text>" in expand_first_use(page)
    broken = "<p>IGS</p><svg><text>DLB</text><p>DLB</p>"  # an svg never closed: the walk as before
    assert expand_first_use(broken) == _expand(broken)
    own = "<p>IGS</p><svg></svg><svg><text>KBO</text></svg><p>KBO</p>"  # an empty svg of the page's own
    assert expand_first_use(own) == _expand(own)


@pytest.mark.parametrize(
    "path", ["/gemeenten/gent", "/cultuur", "/lagen/erfgoedcel", "/samenwerken?gemeente=Lennik&gemeente=Gooik"]
)
def test_pages_with_maps_are_expanded_as_by_the_whole_walk(client: TestClient, path: str) -> None:
    from igsatlas.web.abbreviations import _expand

    html = client.get(path).text
    assert html.count("<svg") >= 1 and "<abbr" in html
    plain = html.replace("<abbr title=", "<span title=").replace("</abbr>", "</span>")  # as before the walk
    assert expand_first_use(plain) == _expand(plain)
