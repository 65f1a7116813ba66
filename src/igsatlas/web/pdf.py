"""HTML to PDF with WeasyPrint, from the site's own templates: paged media (A4, page numbers) from the print
stylesheet; only the site's own /static/ files are read, nothing is fetched from any other site."""

from __future__ import annotations

from pathlib import Path
from typing import Any

STATIC = Path(__file__).parent / "static"


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # type: ignore[import-untyped]

    class LocalOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            name = url.split("/static/", 1)[1] if "/static/" in url else ""
            path = STATIC / name
            if not name or ".." in name or path.suffix != ".css" or not path.is_file():
                raise ValueError(f"not fetched: {url}")  # WeasyPrint logs it and goes on
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": "text/css; charset=utf-8"})

    return LocalOnly()


def html_to_pdf(html: str, *, landscape: bool = False) -> bytes:
    """The PDF of a page rendered for print (WeasyPrint loads Pango on first use, hence the late import);
    ``landscape`` for wide tables."""
    from weasyprint import CSS, HTML  # type: ignore[import-untyped]

    extra = [CSS(string="@page { size: A4 landscape !important; }")] if landscape else []
    return bytes(HTML(string=html, base_url="file:///", url_fetcher=_fetcher()).write_pdf(stylesheets=extra))
