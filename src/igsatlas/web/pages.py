"""Page handlers. Each serves the HTML page and, under the same path with .json, its JSON twin."""

from __future__ import annotations

import json
from datetime import date
from functools import partial
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from igsatlas.documents.common import finding, vintage
from igsatlas.documents.culture import culture_document
from igsatlas.documents.layer import LAYER_SINCE, layer_document, layers_document
from igsatlas.documents.lists import (
    Filters,
    home_document,
    municipalities_document,
    organisations_document,
    paged_list,
)
from igsatlas.documents.municipality import municipality_document
from igsatlas.documents.organisation import organisation_document
from igsatlas.documents.planner import planner_document
from igsatlas.documents.region import region_document, region_url
from igsatlas.documents.search import search_document, suggestions_document
from igsatlas.domain import classifications as cls
from igsatlas.errors import NotFoundError
from igsatlas.opendata.bulk import write_csv
from igsatlas.opendata.records import Uris
from igsatlas.store import queries, schema
from igsatlas.store.population import populations_on
from igsatlas.web import compression, forms, maps
from igsatlas.web.analysis_pages import AnalysisPages
from igsatlas.web.cache import REMADE_CHEAPLY, SESSION_COOKIE
from igsatlas.web.day_pages import DAY_MARK
from igsatlas.web.request_args import requested_day, strip_json, wants_json
from igsatlas.web.site import Site


def _region_of(conn: Any, slug: str) -> str | None:
    """The region page of an organisation record the atlas made for a layer region, else None."""
    org = conn.execute(
        select(schema.organisation.c.id, schema.organisation.c.classification).where(schema.organisation.c.slug == slug)
    ).first()
    if org is None or org.classification != cls.REGION.code:
        return None
    found = queries.regions_of_organisation(conn, org.id)
    return region_url(found[0].layer_id, found[0].key) if found else None


class Pages:
    """The register's pages: home, search, municipalities, organisations, regions, layers, culture, the planner,
    the public information pages and every map as an SVG file. Handlers are plain functions, which Starlette runs
    in the page thread pool (see app.py); the gemeente page serves a known register state on the event loop."""

    def __init__(self, site: Site, analysis: AnalysisPages, uris: Uris) -> None:
        self.site = site
        self.analysis_pages = analysis
        self.uris = uris  # the linked-data URIs of the shared objects in the twins, as the API gives them

    def home(self, request: Request) -> Response:
        day = requested_day(request)
        with self.site.atlas.connect() as conn:
            doc = home_document(conn, day)
        extra: dict[str, Any] = {}
        if not wants_json(request):
            outlines, names = self.site.boundaries.outlines(doc["kaart"]["set"])
            extra["kaart"] = maps.overview_map(outlines, names, self.site.day_link(day))
        return self.site.page(request, "home.html", doc, **extra)

    def search(self, request: Request) -> Response:
        text = request.query_params.get("q", "")
        doc = search_document(self.site.search.entries(), text)
        only = [g["resultaten"] for g in doc["groepen"]]
        if not wants_json(request) and request.query_params.get("ga") and only and len(only[0]) >= 1:
            first = only[0][0]
            if doc["aantal"] == 1 or first["naam"].casefold() == text.strip().casefold():
                return RedirectResponse(self.site.day_link(requested_day(request))(first["url"]), status_code=303)
        return self.site.page(request, "search.html", doc)

    def suggestions(self, request: Request) -> Response:
        """The search box's suggestions while typing (JSON only; the search page works without them)."""
        text = request.query_params.get("q", "")[:200]
        return JSONResponse(suggestions_document(self.site.search.entries(), text))

    def municipalities(self, request: Request) -> Response:
        with self.site.atlas.connect() as conn:
            doc = municipalities_document(conn, requested_day(request), self.uris)
        return self.site.page(request, "municipalities.html", doc)

    async def municipality(self, request: Request) -> Response:
        """A gemeente page. The only page handler on the event loop: another day of a state already built is
        a join of bytes; everything else (today's page, a new state) is built in the thread pool. Every other
        handler here is a plain function, which Starlette runs in its (bounded) thread pool."""
        day = requested_day(request)
        slug = strip_json(request.path_params["slug"])
        if wants_json(request):
            return await run_in_threadpool(self._municipality_twin, slug, day)
        if day == date.today() or SESSION_COOKIE in request.cookies:
            html = await run_in_threadpool(self.municipality_html, request, slug, day, day)
            return HTMLResponse(html)
        key = ("gemeente", slug, self.site.clock.page_state(day, [since for since, _ in LAYER_SINCE.values()]))
        kept = self.site.state_pages.kept(key)
        if kept is None:  # built for this day's register state, shown for DAY_MARK (see web/day_pages.py)
            build = partial(self.municipality_html, request, slug, day, DAY_MARK)
            kept = await run_in_threadpool(self.site.state_pages.keep, key, build)
        headers = {REMADE_CHEAPLY.decode(): "1", "Vary": "Accept-Encoding"}
        if not compression.accepts_gzip(request):
            return HTMLResponse(kept.show(day), headers=headers)
        headers["Content-Encoding"] = "gzip"  # the middleware passes an answer already compressed
        return HTMLResponse(kept.show_gzip(day), headers=headers)  # a join of bytes: fine on the event loop

    def _municipality_twin(self, slug: str, day: date) -> Response:
        with self.site.atlas.connect() as conn:
            return JSONResponse(municipality_document(conn, slug, day, self.uris, by_slug=True))

    def municipality_html(self, request: Request, slug: str, day: date, shown: date) -> str:
        """The gemeente page of ``day`` as HTML, showing ``shown``: the day itself, or DAY_MARK for the page kept
        per register state (then the document's own day is the mark too)."""
        with self.site.atlas.connect() as conn:
            doc = municipality_document(conn, slug, day, self.uris, by_slug=True)
        if shown != day:
            doc["op"] = shown.isoformat()
        outlines, names = self.site.boundaries.outlines(doc["kaart"]["set"])
        with_day = self.site.day_link(shown)
        extra = {"kaart": maps.municipality_map(doc, outlines, names, with_day, shared="vorm")}  # see day_pages
        return self.site.render(request, "municipality.html", doc, shown, **extra)

    def organisations(self, request: Request) -> Response:
        """/samenwerkingsverbanden: the cooperations and zones, filtered, sorted and paged."""
        return self._listing(request, own=False)

    def own_bodies(self, request: Request) -> Response:
        """/organisaties: the OCMW's, autonomous agencies, provinces and districts (no cooperations)."""
        return self._listing(request, own=True)

    def _listing(self, request: Request, *, own: bool) -> Response:
        p = request.query_params
        filters = Filters(
            vorm=p.get("vorm") or None,
            provincie=p.get("provincie") or None,
            status=p.get("status") or None,
            laag=None if own else p.get("laag") or None,
        )
        with self.site.atlas.connect() as conn:
            doc = organisations_document(conn, requested_day(request), filters, self.uris, own=own)
        if wants_json(request):
            return self.site.page(request, "organisations.html", doc)
        return self.site.page(request, "organisations.html", doc, lijst=paged_list(doc, p))

    def organisation(self, request: Request) -> Response:
        day = requested_day(request)
        slug = strip_json(request.path_params["slug"])
        with self.site.atlas.connect() as conn:
            moved = _region_of(conn, slug)
            if moved is not None:  # a layer region the atlas made: it has its own page now
                target = moved + (".json" if wants_json(request) else "")
                return RedirectResponse(self.site.day_link(day)(target), status_code=301)
            doc = organisation_document(
                conn,
                slug,
                day,
                self.uris,
                by_slug=True,
                findings_of=lambda org_id: self.site.states.findings_of(day, org_id),
            )
        if doc["gemeente_url"] and not wants_json(request):
            return RedirectResponse(self.site.day_link(day)(doc["gemeente_url"]), status_code=301)
        home = doc["organisatie"]["url"]
        if not request.url.path.startswith(home.rsplit("/", 1)[0] + "/"):  # a body under the other URL space
            target = home + (".json" if wants_json(request) else "")
            return RedirectResponse(self.site.day_link(day)(target), status_code=301)
        extra: dict[str, Any] = {}
        if not wants_json(request):
            outlines, names = self.site.boundaries.outlines(doc["kaart"]["set"])
            extra["kaart"] = maps.members_map(doc, outlines, names, self.site.day_link(day))
        return self.site.page(request, "organisation.html", doc, **extra)

    def about(self, request: Request) -> Response:
        with self.site.atlas.connect() as conn:
            layers = [
                {"titel": x["titel"], "url": x["url"], "volledig": x["volledig"], "gemeenten": x["aantal_gemeenten"]}
                for x in (row["laag"] for row in layers_document(conn)["lagen"])
            ]
        return self.site.page(request, "about.html", {"titel": "Over de atlas", "lagen": layers})

    def contact(self, request: Request) -> Response:
        return self.site.page(request, "contact.html", {"titel": "Contact"})

    def accessibility(self, request: Request) -> Response:
        return self.site.page(request, "accessibility.html", {"titel": "Toegankelijkheidsverklaring"})

    def region(self, request: Request) -> Response:
        day = requested_day(request)
        layer_id, key = request.path_params["layer"], strip_json(request.path_params["key"])
        with self.site.atlas.connect() as conn:
            doc = region_document(conn, layer_id, key, day, self.uris)
        extra: dict[str, Any] = {}
        if not wants_json(request):
            outlines, names = self.site.boundaries.outlines(doc["kaart"]["set"])
            named = {**doc, "organisatie": {"naam": doc["regio"]["naam"]}}
            extra["kaart"] = maps.members_map(named, outlines, names, self.site.day_link(day))
        return self.site.page(request, "region.html", doc, **extra)

    def layers(self, request: Request) -> Response:
        with self.site.atlas.connect() as conn:
            doc = layers_document(conn)
        return self.site.page(request, "layers.html", doc)

    def layer_geojson(self, request: Request) -> Response:
        """A layer as GeoJSON (WGS84): one feature per municipality of the day, with its regions."""
        day = requested_day(request)
        layer_id = request.path_params["layer"]
        with self.site.atlas.connect() as conn:
            doc = layer_document(conn, layer_id, day, self.uris)
            names = doc["kaart"]["regionamen"]
            assignment = doc["kaart"]["toewijzing"]
            shapes = queries.boundary_geojson(conn, "gemeente", doc["kaart"]["set"], list(assignment))
        features = [
            f'{{"type":"Feature","id":"{nis}","geometry":{geometry},"properties":'
            + json.dumps(
                {
                    "nis": nis,
                    "naam": name,
                    "regio_sleutels": assignment[nis],
                    "regio_namen": [names.get(k, k) for k in assignment[nis]],
                },
                ensure_ascii=False,
            )
            + "}"
            for nis, (name, geometry) in sorted(shapes.items())
        ]
        meta = json.dumps(
            {
                "laag": layer_id,
                "op": day.isoformat(),
                "volledig": doc["laag"]["volledig"],
                "volledigheid": doc["laag"]["volledigheid"],
            },
            ensure_ascii=False,
        )
        body = '{"type":"FeatureCollection","metadata":' + meta + ',"features":[' + ",".join(features) + "]}"
        return Response(
            body,
            media_type="application/geo+json",
            headers={"Content-Disposition": f'attachment; filename="{layer_id}-{day.isoformat()}.geojson"'},
        )

    def layer(self, request: Request) -> Response:
        day = requested_day(request)
        layer_id = strip_json(request.path_params["layer"])
        with self.site.atlas.connect() as conn:
            doc = layer_document(conn, layer_id, day, self.uris)
        extra: dict[str, Any] = {}
        if not wants_json(request):
            outlines, names = self.site.boundaries.outlines(doc["kaart"]["set"])
            extra["kaart"] = maps.layer_map(doc, outlines, names, self.site.day_link(day))
        return self.site.page(request, "layer.html", doc, **extra)

    def culture(self, request: Request) -> Response:
        """/cultuur: the cultural cooperation landscape; .json and .csv (one row per partnership)."""
        day = requested_day(request)
        _, found, _ = self.site.states.checked(day)
        by_subject: dict[str, list[dict[str, Any]]] = {}
        for f in found:
            by_subject.setdefault(f.subject, []).append(finding(f))
        with self.site.atlas.connect() as conn:
            doc = culture_document(
                conn,
                day,
                by_subject,
                self.uris,
                self.site.boundaries.borders(vintage(day)),
                self.site.boundaries.areas(vintage(day)),
            )
        if request.url.path.endswith(".csv"):
            rows = [
                [
                    layer["laag"]["id"],
                    p["naam"],
                    p["aantal_gemeenten"],
                    p["inwoners"] if p["inwoners"] is not None else "",
                    p["inwoners_jaar"] or "",
                    p["oppervlakte_km2"],
                    "; ".join(r["naam"] for r in p["referentieregios"]),
                    p["rechtsvorm"] or "",
                    "; ".join(p["gemeenten"]),
                ]
                for layer in doc["lagen"]
                for p in layer["samenwerkingen"]
            ]
            header = [
                "laag",
                "samenwerking",
                "gemeenten",
                "inwoners",
                "inwoners_op_1_januari",
                "oppervlakte_km2",
                "referentieregios",
                "rechtsvorm",
                "leden",
            ]
            return Response(write_csv(header, rows), media_type="text/csv; charset=utf-8")
        extra: dict[str, Any] = {}
        if not wants_json(request):
            outlines, names = self.site.boundaries.outlines(doc["kaart"]["set"])
            # Five maps of the same outlines: the first holds them, the others use them; each map its own id.
            extra["kaarten"] = {
                layer["laag"]["id"]: maps.layer_map(
                    layer,
                    outlines,
                    names,
                    self.site.day_link(day),
                    map_id=f"kaart-{layer['laag']['id']}",
                    shared="vorm",
                    define=n == 0,
                )
                for n, layer in enumerate(doc["lagen"])
            }
            extra["samen"] = maps.choropleth(
                {k: float(v) for k, v in doc["culturele_lagen_per_gemeente"].items()},
                ((0, 1, "in geen culturele laag"), (1, 2, "in 1"), (2, 3, "in 2"), (3, 4, "in 3"), (4, 5, "in alle 4")),
                "culturele lagen",
                "Kaart: in hoeveel culturele lagen elke gemeente ligt",
                outlines,
                names,
                self.site.day_link(day),
                map_id="kaart-samen",
                shared="vorm",
                define=not doc["lagen"],
            )
        return self.site.page(request, "culture.html", doc, **extra)

    def planner(self, request: Request) -> Response:
        """/samenwerken?gemeente=...&gemeente=...[&buren=ja]: what the group would be as a cooperation."""
        day = requested_day(request)
        given = [g for g in request.query_params.getlist("gemeente") if g.strip()]
        analysis = self.site.states.analysis(day)
        with self.site.atlas.connect() as conn:
            municipalities = queries.municipalities_on(conn, day)
            populations = populations_on(conn, day)
        areas = self.site.boundaries.areas(vintage(day))
        errors = forms.FormErrors()
        chosen: list[str] = []
        for i, text in enumerate(given[:120]):
            m = forms.municipality(text, municipalities, day, f"Gemeente {i + 1}", errors, f"gemeente{i}")
            if m is not None and m.nis not in chosen:
                chosen.append(m.nis)
        borders = self.site.boundaries.borders(vintage(day))
        if request.query_params.get("buren") == "ja":
            chosen += sorted({n for c in chosen for n in borders.get(c, set())} - set(chosen))
        doc = planner_document(
            analysis,
            self.site.legal_reference(),
            day,
            chosen,
            borders,
            populations,
            areas,
            list(errors.messages.values()),
        )
        extra: dict[str, Any] = {}
        if not wants_json(request):
            outlines, names = self.site.boundaries.outlines(doc["kaart"]["set"])
            current = set(chosen)

            def toggle(nis: str) -> str:
                group = sorted(current ^ {nis})
                query = urlencode(
                    [("gemeente", n) for n in group] + ([("op", day.isoformat())] if day != date.today() else [])
                )
                return f"/samenwerken?{query}#resultaat"

            flemish = {m.nis for m in municipalities}
            extra["kaart"] = maps.planner_map(current, outlines, names, toggle, flemish)
            extra["kaart_download"] = "/kaart/samenwerken/groep.svg?" + urlencode(
                [("gemeente", n) for n in chosen] + ([("op", day.isoformat())] if day != date.today() else [])
            )
            extra["gemeentenamen"] = [m.name for m in municipalities]
        return self.site.page(request, "planner.html", doc, **extra)

    def map_svg(self, request: Request) -> Response:
        """Any page's map as a downloadable SVG file."""
        kind, key = request.path_params["kind"], request.path_params["key"]
        day = requested_day(request)
        link = self.site.day_link(day)
        if kind == "overzicht" and key == "vlaanderen":
            outlines, names = self.site.boundaries.outlines(vintage(day))
            return self._svg_file(maps.overview_map(outlines, names, link)["svg"], key, day.isoformat())
        if kind == "samenwerken" and key == "groep":  # the planner's group, by NIS code
            outlines, names = self.site.boundaries.outlines(vintage(day))
            chosen = {n for n in request.query_params.getlist("gemeente") if n in outlines}
            group = maps.planner_map(chosen, outlines, names, lambda nis: f"/gemeenten/{nis}", set(outlines))
            return self._svg_file(group["svg"], key, day.isoformat())
        if kind == "analyse":
            a = self.site.states.analysis(day)
            return self._svg_file(self.analysis_pages.analysis_map(key, a, day)["svg"], key, day.isoformat())
        if kind not in ("gemeenten", "samenwerkingsverbanden", "lagen"):
            raise NotFoundError("Deze kaart bestaat niet.", code="map-not-found", hint="Kies een kaart op een pagina.")
        with self.site.atlas.connect() as conn:
            if kind == "gemeenten":
                doc = municipality_document(conn, key, day, self.uris, by_slug=True)
                build = maps.municipality_map
            elif kind == "samenwerkingsverbanden":
                doc = organisation_document(conn, key, day, self.uris, by_slug=True)
                build = maps.members_map
            else:
                doc = layer_document(conn, key, day, self.uris)
                build = maps.layer_map
        outlines, names = self.site.boundaries.outlines(doc["kaart"]["set"])
        return self._svg_file(build(doc, outlines, names, link)["svg"], key, day.isoformat())

    @staticmethod
    def _svg_file(svg: str, key: str, day: str) -> Response:
        return Response(
            '<?xml version="1.0" encoding="UTF-8"?>\n' + svg,
            media_type="image/svg+xml",
            headers={"Content-Disposition": f'attachment; filename="kaart-{key}-{day}.svg"'},
        )
