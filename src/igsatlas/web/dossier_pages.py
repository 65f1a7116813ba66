"""/gemeenten/{slug}/dossier: the council's dossier as a printable page, and the same document as PDF
(WeasyPrint, from the same template), CSV (or a sheet for a Belgian Excel) and JSON."""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from igsatlas.documents.dossier import dossier_document
from igsatlas.errors import NotFoundError
from igsatlas.opendata.bulk import write_csv
from igsatlas.opendata.records import Uris
from igsatlas.web.downloads import excel_wanted
from igsatlas.web.pdf import html_to_pdf
from igsatlas.web.request_args import requested_day
from igsatlas.web.site import Site

TEMPLATE = "dossier.html"
CSV_HEADER = [
    "gemeente",
    "nis",
    "op",
    "rubriek",
    "samenwerking",
    "soort",
    "rechtsvorm",
    "kbo",
    "rol",
    "geldig_van",
    "geldig_tot",
    "opgericht",
    "termijn_maximum_jaren",
    "termijn_loopt_tot",
    "termijn_toestand",
    "regiodecreet_uiterste_datum",
    "regiodecreet_referentieregio",
    "regiodecreet_aandeel_procent",
    "afwijkingen",
    "themas",
    "partners",
    "inwoners_gemeente",
    "inwoners_op",
    "bronnen",
    "url",
]


def csv_rows(doc: dict[str, Any], *, excel: bool) -> list[list[Any]]:
    """One row per cooperation; with ``excel`` decimal numbers get a comma."""
    g, people = doc["gemeente"], doc["inwoners"] or {}
    rows = []
    for group in doc["rubrieken"]:
        for e in group["samenwerkingen"]:
            term, rd, ms = e["termijn"] or {}, e["regiodecreet"] or {}, e["lidmaatschap"]
            share = rd.get("aandeel_procent")
            rows.append(
                [
                    g["naam"],
                    g["nis"],
                    doc["op"],
                    group["titel"],
                    e["naam"],
                    e["soort"],
                    e["rechtsvorm"] or "",
                    ms["organisatie"]["kbo"] or "",
                    e["rol_tekst"] or "",
                    ms["geldig_van"] or "",
                    ms["geldig_tot"] or "",
                    e["opgericht"] or "",
                    term.get("maximum_jaren") or "",
                    term.get("loopt_tot") or "",
                    term.get("toestand") or "",
                    rd.get("uiterste_datum") or "",
                    rd.get("referentieregio") or "",
                    "" if share is None else (str(share).replace(".", ",") if excel else share),
                    "; ".join(f["titel"] for f in e["bevindingen"] if f["oordeel"] == "afwijking"),
                    "; ".join(e["themas"]),
                    e["partners"],
                    people.get("aantal", ""),
                    people.get("op", ""),
                    "; ".join(s["bron"] for s in e["bronnen"]),
                    e["link"],
                ]
            )
    return rows


class DossierPages:
    def __init__(self, site: Site, base_url: str, uris: Uris) -> None:
        self.site = site
        self.base_url = base_url.rstrip("/")
        self.uris = uris

    def document(self, slug: str, day: date) -> dict[str, Any]:
        register = self.site.states.register()
        with self.site.atlas.connect() as conn:
            return dossier_document(
                conn,
                slug,
                day,
                self.site.legal_reference(),
                register,
                lambda ids: self.site.states.checked_of(day, ids),
                self.uris,
            )

    def html(self, request: Request, doc: dict[str, Any], *, printed: bool = False) -> str:
        return self.site.render(request, TEMPLATE, doc, requested_day(request), pdf=printed)

    def page(self, request: Request) -> Response:
        """The page, or its .json, .csv or .pdf twin."""
        slug, kind = request.path_params["slug"], request.path_params.get("kind", "html")
        if kind not in ("html", "json", "csv", "pdf"):
            raise NotFoundError(
                "Dit bestand bestaat niet.", code="download-not-found", hint="Kies .pdf, .csv of .json."
            )
        day = requested_day(request)
        excel = excel_wanted(request) if kind == "csv" else False
        doc = self.document(slug, day)
        name = f"dossier-{doc['gemeente']['naam'].lower().replace(' ', '-')}-{day.isoformat()}"
        if kind == "json":
            return self.site.page(request, TEMPLATE, doc)
        if kind == "csv":
            body = write_csv(CSV_HEADER, csv_rows(doc, excel=excel), excel=excel)
            suffix = "-excel" if excel else ""
            return _attachment(body, "text/csv; charset=utf-8", f"{name}{suffix}.csv")
        if kind == "pdf":
            return _attachment(self.pdf(request, doc), "application/pdf", f"{name}.pdf")
        return self.site.page(request, TEMPLATE, doc)

    def pdf(self, request: Request, doc: dict[str, Any]) -> bytes:
        # links in a PDF leave the site: they carry the public address
        return html_to_pdf(self.html(request, doc, printed=True).replace('href="/', f'href="{self.base_url}/'))


def _attachment(body: bytes, media_type: str, name: str) -> Response:
    return Response(body, media_type=media_type, headers={"content-disposition": f'attachment; filename="{name}"'})
