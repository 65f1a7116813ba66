"""The legal guide's pages: the comparison of the legal forms (also as CSV), one form, the wizard, and the
findings of the compliance rules on the register (/aandachtspunten). Each has its JSON twin."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from igsatlas.documents import legal as legal_docs
from igsatlas.opendata.bulk import write_csv
from igsatlas.web.legal_graphic import infographic
from igsatlas.web.pdf import html_to_pdf
from igsatlas.web.request_args import requested_day, strip_json
from igsatlas.web.site import Site


class LegalPages:
    def __init__(self, site: Site) -> None:
        self.site = site

    def legal_forms(self, request: Request) -> Response:
        """/rechtsvormen with its infographic, and its .json and .pdf (landscape A4) twins."""
        with self.site.atlas.connect() as conn:
            doc = legal_docs.comparison_document(conn, self.site.legal_reference())
        if request.url.path.endswith(".pdf"):
            drawn = infographic(doc)
            html = self.site.render(request, "legal_forms.html", doc, requested_day(request), infographic=drawn)
            return Response(
                html_to_pdf(html, landscape=True),
                media_type="application/pdf",
                headers={"content-disposition": 'attachment; filename="rechtsvormen.pdf"'},
            )
        return self.site.page(request, "legal_forms.html", doc, infographic=infographic(doc))

    def legal_forms_csv(self, request: Request) -> Response:
        with self.site.atlas.connect() as conn:
            doc = legal_docs.comparison_document(conn, self.site.legal_reference())
        header = ["criterium", *(f["titel"] for f in doc["vormen"])]
        rows = []
        for c in doc["criteria"]:
            cells = [f["criteria"][c["id"]] for f in doc["vormen"]]
            rows.append([c["label"], *(f"{x['tekst']} [{'; '.join(x['artikels'])}]" for x in cells)])
        return Response(
            write_csv(header, rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="rechtsvormen.csv"'},
        )

    def legal_form(self, request: Request) -> Response:
        slug = strip_json(request.path_params["slug"])
        with self.site.atlas.connect() as conn:
            doc = legal_docs.form_document(conn, self.site.legal_reference(), slug)
        return self.site.page(request, "legal_form.html", doc)

    def wizard(self, request: Request) -> Response:
        doc = legal_docs.wizard_document(self.site.legal_reference(), request.query_params)
        return self.site.page(request, "wizard.html", doc)

    def findings(self, request: Request) -> Response:
        day = requested_day(request)
        subjects, findings, province = self.site.states.checked(day)
        p = request.query_params
        doc = legal_docs.findings_document(
            findings,
            subjects,
            day,
            p.get("regel") or None,
            province,
            p.get("provincie") or None,
            p.get("vorm") or None,
            p.get("gemeente") or None,
        )
        return self.site.page(request, "findings.html", doc)
