"""The invariant that lets a page be kept per register state (web/day_pages.py), checked on real pages: a gemeente
page reads the same on every day of its register state, except the requested day, which is put in afterwards."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from datetime import date

import pytest
from starlette.requests import Request

from igsatlas.atlas import Atlas
from igsatlas.config import Settings
from igsatlas.documents.layer import LAYER_SINCE
from igsatlas.legal import reference as legal_reference
from igsatlas.opendata.records import Uris
from igsatlas.store.engine import make_engine
from igsatlas.web.analysis_pages import AnalysisPages
from igsatlas.web.day_pages import DAY_MARK, DayPage
from igsatlas.web.formatting import day as format_day
from igsatlas.web.pages import Pages
from igsatlas.web.site import Site

# Two days of one register state each, neither a change day nor a day a layer starts: before the 2025 mergers
# (the state 2019 ... 2024, after the referentieregio's of 12 March 2021) and after them.
SAME_STATE = ((date(2021, 6, 15), date(2024, 11, 30)), (date(2025, 3, 3), date(2026, 9, 9)))
LINES = [since for since, _ in LAYER_SINCE.values()]


@pytest.fixture(scope="module")
def pages(imported_url: str) -> Iterator[Pages]:
    settings = Settings.from_env({"IGSATLAS_DATABASE_URL": imported_url})
    site = Site(Atlas(make_engine(imported_url)), reference=legal_reference.load(settings.reference_dir))
    yield Pages(site, AnalysisPages(site), Uris(settings.base_uri))
    site.atlas.close()


def asked(slug: str, day: date) -> Request:
    """The request of an anonymous visitor for the gemeente page of ``day``."""
    query = f"op={day.isoformat()}".encode()
    scope = {"type": "http", "method": "GET", "path": f"/gemeenten/{slug}", "query_string": query, "headers": []}
    return Request(scope)


def without_day(html: str, day: date) -> str:
    """The page with its requested day (as YYYY-MM-DD and in words) written as DAY_MARK."""
    return html.replace(day.isoformat(), DAY_MARK.isoformat()).replace(format_day(day), format_day(DAY_MARK))


@pytest.mark.parametrize("slug", ["gent", "buggenhout", "antwerpen"])
def test_a_gemeente_page_reads_the_same_on_every_day_of_its_state_but_the_day(pages: Pages, slug: str) -> None:
    for first, second in SAME_STATE:
        clock = pages.site.clock
        assert clock.page_state(first, LINES) == clock.page_state(second, LINES)  # one register state
        of_day = {d: pages.municipality_html(asked(slug, d), slug, d, d) for d in (first, second)}
        assert format_day(second) in of_day[second] and format_day(first) not in of_day[second]
        # the invariant: made for each day on its own, the two pages differ only in the day they show
        assert without_day(of_day[first], first) == without_day(of_day[second], second)
        # and so the page kept for the state (built by the first day's visitor) shows the second day rightly
        kept = DayPage.of(pages.municipality_html(asked(slug, first), slug, first, DAY_MARK))
        assert kept.show(second).decode() == of_day[second]
        assert gzip.decompress(kept.show_gzip(second)).decode() == of_day[second]
