"""The analysis of the patchwork: /analyse and its parts (each with its JSON twin), their maps and downloads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from igsatlas.analysis.report import Analysis
from igsatlas.documents import analysis as analysis_docs
from igsatlas.documents.common import vintage
from igsatlas.errors import NotFoundError
from igsatlas.opendata.bulk import write_csv
from igsatlas.web import maps
from igsatlas.web.request_args import requested_day, strip_json, wants_json
from igsatlas.web.site import Site

SHARE_BUCKETS = ((0, 20, "minder dan 20%"), (20, 40, "20 tot 40%"), (40, 60, "40 tot 60%"), (60, 101, "60% of meer"))
GROUP_BUCKETS = ((0, 10, "minder dan 10"), (10, 15, "10 tot 15"), (15, 20, "15 tot 20"), (20, 10**6, "20 of meer"))


class AnalysisPages:
    def __init__(self, site: Site) -> None:
        self.site = site

    def analysis(self, request: Request) -> Response:
        """/analyse and its parts; each with a JSON twin."""
        day = requested_day(request)
        part = strip_json(request.path_params.get("part", ""))
        a = self.site.states.analysis(day)
        p = request.query_params
        pages: dict[str, tuple[str, Callable[[], dict[str, Any]], str | None]] = {
            "": ("analysis.html", lambda: analysis_docs.overview(a), "binnen-regio"),
            "passing": (
                "analysis_fit.html",
                lambda: analysis_docs.fits_document(a, p.get("soort") or None, p.get("oordeel") or None),
                None,
            ),
            "lagen": ("analysis_layers.html", lambda: analysis_docs.layers_document(a), None),
            "gemeenten": (
                "analysis_municipalities.html",
                lambda: analysis_docs.municipalities_document(a),
                "partnergroepen",
            ),
            "hiaten": ("analysis_gaps.html", lambda: analysis_docs.gaps_document(a), None),
            "netwerk": ("analysis_network.html", lambda: analysis_docs.network_document(a), "netwerk"),
        }
        if part not in pages:
            raise NotFoundError(
                f"Er is geen analyse '{part}'.", code="analysis-not-found", hint="Kies een onderdeel op /analyse."
            )
        template, build, map_key = pages[part]
        extra: dict[str, Any] = {}
        if map_key and not wants_json(request):
            extra["kaart"] = self.analysis_map(map_key, a, day)
        return self.site.page(request, template, build(), **extra)

    def analysis_map(self, key: str, a: Analysis, day: date) -> dict[str, Any]:
        """The maps of the analysis pages: 'binnen-regio', 'partnergroepen' and 'netwerk'."""
        outlines, names = self.site.boundaries.outlines(vintage(day))
        link = self.site.day_link(day)
        if key == "netwerk":
            return maps.community_map(analysis_docs.network_document(a)["netwerk"], outlines, names, link)
        rows = a.municipalities()
        if key == "binnen-regio":
            share = {
                r["nis"]: round(100 * r["binnen_eigen_referentieregio"] / r["samenwerkingen"])
                for r in rows
                if r["samenwerkingen"]
            }
            return maps.choropleth(
                share,
                SHARE_BUCKETS,
                "% van de samenwerkingen binnen de eigen referentieregio",
                "Kaart: aandeel van de samenwerkingen van elke gemeente dat binnen haar referentieregio blijft",
                outlines,
                names,
                link,
            )
        if key == "partnergroepen":
            return maps.choropleth(
                {r["nis"]: r["verschillende_partnergroepen"] for r in rows},
                GROUP_BUCKETS,
                "verschillende partnergroepen",
                "Kaart: aantal verschillende partnergroepen per gemeente",
                outlines,
                names,
                link,
            )
        raise NotFoundError("Deze kaart bestaat niet.", code="map-not-found", hint="Kies een kaart op een pagina.")

    def analysis_download(self, request: Request) -> Response:
        day = requested_day(request)
        a = self.site.states.analysis(day)
        name = request.path_params["file"]
        if name == "netwerk.graphml":
            body, media = a.graphml().encode(), "application/graphml+xml"
        elif name == "passing.csv":
            rows = [
                [
                    f["naam"],
                    f["soort"],
                    f["leden"],
                    f["beste_regio"] or "",
                    f["aandeel_in_beste_regio"],
                    f["oordeel"],
                    (f["regiodecreet"] or {}).get("status", ""),
                    (f["regiodecreet"] or {}).get("uiterlijk", ""),
                    "; ".join(f["buiten_beste_regio"]),
                    "; ".join(f["ontbrekend_uit_beste_regio"]),
                ]
                for f in a.fits()
            ]
            body = write_csv(
                [
                    "naam",
                    "soort",
                    "leden",
                    "beste_referentieregio",
                    "aandeel",
                    "oordeel",
                    "regiodecreet",
                    "uiterlijk",
                    "buiten_regio",
                    "ontbrekend",
                ],
                rows,
            )
            media = "text/csv; charset=utf-8"
        elif name == "gemeenten.csv":
            rows = [list(m.values()) for m in a.municipalities()]
            body = write_csv(list(a.municipalities()[0].keys()), rows)
            media = "text/csv; charset=utf-8"
        else:
            raise NotFoundError(
                "Dit bestand bestaat niet.", code="download-not-found", hint="Kies een download op /analyse."
            )
        return Response(
            body,
            media_type=media,
            headers={"Content-Disposition": f'attachment; filename="{day.isoformat()}-{name}"'},
        )
