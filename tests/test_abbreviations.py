"""Abbreviations are written out on their first use in a page, and only there."""

from __future__ import annotations

import re

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
