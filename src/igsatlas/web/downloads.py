"""Bulk downloads and the catalogue: CSV tables (standard or for a Belgian Excel), the data package, GeoJSON of
municipalities and of a cooperation's members, the analysis tables as CSV, and /catalogus (DCAT-AP)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from igsatlas.documents.common import BOUNDARY_SETS, vintage
from igsatlas.errors import InvalidArgumentError, NotFoundError
from igsatlas.opendata import bulk, catalogue, filters, package, rdf
from igsatlas.opendata.register import OpenRegister
from igsatlas.store import queries
from igsatlas.web.request_args import day_parameter, requested_day
from igsatlas.web.site import Site


def excel_wanted(request: Request) -> bool:
    """?formaat=excel: semicolons and a byte-order mark, as a Belgian Excel expects."""
    wanted = request.query_params.get("formaat", "")
    if wanted not in ("", "csv", "excel"):
        raise InvalidArgumentError(
            f"?formaat={wanted} is geen gekend formaat.",
            code="invalid-format",
            hint="Laat ?formaat weg (komma's, UTF-8) of kies ?formaat=excel (puntkomma's, voor Excel).",
        )
    return wanted == "excel"


def _csv(body: bytes, name: str) -> Response:
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"', "access-control-allow-origin": "*"},
    )


def _feature(key: str, geometry: str, properties: dict[str, Any]) -> str:
    return (
        f'{{"type":"Feature","id":{json.dumps(key)},"geometry":{geometry},"properties":'
        + json.dumps(properties, ensure_ascii=False)
        + "}"
    )


def _geojson(features: list[str], meta: dict[str, Any], name: str) -> Response:
    body = (
        '{"type":"FeatureCollection","metadata":'
        + json.dumps(meta, ensure_ascii=False)
        + ',"features":['
        + ",".join(features)
        + "]}"
    )
    return Response(
        body,
        media_type="application/geo+json",
        headers={"content-disposition": f'attachment; filename="{name}"', "access-control-allow-origin": "*"},
    )


def _split(text: str) -> dict[str, str]:
    """'Dutch / English' into its two halves (the English one is marked as such on the page)."""
    nl, _, en = (text or "").partition(" / ")
    return {"nl": nl.strip(), "en": en.strip()}


def reference_document(openapi: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document as the /api page shows it: every address with its parameters, every model with its
    fields, each explained in Dutch with the English beside it, and where the pages' twins hold those models."""
    paths = []
    for path, operations in openapi["paths"].items():
        op = operations.get("get")
        if op is None:
            continue
        ok = op.get("responses", {}).get("200", {}).get("content", {}).get("application/json", {}).get("schema", {})
        ref = ok.get("$ref") or ok.get("items", {}).get("$ref") or ""
        paths.append(
            {
                "pad": path,
                **_split(op.get("description") or op.get("summary") or ""),
                "parameters": [
                    {
                        "naam": x["name"],
                        "waar": "pad" if x["in"] == "path" else "vraag",
                        **_split(x.get("description", "")),
                    }
                    for x in op.get("parameters", [])
                ],
                "model": ref.rsplit("/", 1)[-1] or None,
            }
        )
    models = [
        {
            "naam": name,
            "uitleg": schema.get("description", ""),
            "velden": [
                {"naam": k, **_split(v.get("description", ""))} for k, v in schema.get("properties", {}).items()
            ],
        }
        for name, schema in sorted(openapi["components"]["schemas"].items())
        if "ValidationError" not in name
    ]
    twins = [
        {"adres": twin, "plaatsen": [{"plaats": p, "model": ref.rsplit("/", 1)[-1]} for p, ref in places.items()]}
        for twin, places in openapi.get("x-paginatweelingen", {}).items()
        if places
    ]
    return {"info": openapi["info"], "adressen": paths, "modellen": models, "tweelingen": twins}


class Downloads:
    def __init__(
        self, site: Site, register: OpenRegister, base_url: str, openapi: Callable[[], dict[str, Any]]
    ) -> None:
        self.site = site
        self.register = register
        self.base_url = base_url
        self.openapi = openapi

    def api_reference(self, request: Request) -> Response:
        return self.site.page(request, "api.html", reference_document(self.openapi()))

    def table(self, request: Request) -> Response:
        t = bulk.table(request.path_params["name"])
        day = day_parameter(request, "op") or date.today()
        excel = excel_wanted(request)
        asked = {k: v for k, v in request.query_params.items() if k in filters.NAMES and v}
        body = bulk.csv_bytes(self.register, t, day, excel=excel, asked=asked)
        part = "".join(f"-{v}" for _, v in sorted(asked.items()) if v.isalnum())
        return _csv(body, f"{t.name}-{day.isoformat()}{part}{'-excel' if excel else ''}.csv")

    def package(self, request: Request) -> Response:
        """datapackage.json for a day: the tables with their schema, size and SHA-256."""
        asked = day_parameter(request, "op")
        day = asked or date.today()

        def build() -> dict[str, Any]:
            files = {t.name: bulk.csv_bytes(self.register, t, day) for t in bulk.TABLES}
            return package.descriptor(self.register, day, files, query=f"?op={day.isoformat()}")

        doc = build()
        return JSONResponse(doc, headers={"access-control-allow-origin": "*"})

    def municipalities_geojson(self, request: Request) -> Response:
        """The municipalities of a boundary set (?set=2025 or 2019) in WGS84, with NIS code, name and province."""
        vintage = request.query_params.get("set", "2025")
        if vintage not in BOUNDARY_SETS:
            raise InvalidArgumentError(
                f"?set={vintage} is geen grenzenset.", code="invalid-set", hint="Kies ?set=2025 of ?set=2019."
            )
        with self.site.atlas.connect() as conn:
            names = queries.boundaries(conn, "gemeente", vintage)
            shapes = queries.boundary_geojson(conn, "gemeente", vintage, list(names))
            munis = {m.nis: m for m in queries.all_municipalities(conn)}
        features = [
            _feature(
                nis,
                geometry,
                {"nis": nis, "naam": name, "provincie": munis[nis].province if nis in munis else None},
            )
            for nis, (name, geometry) in sorted(shapes.items())
        ]
        meta = {"set": vintage, "crs": "WGS84 (EPSG:4326)", "bron": "geo/ (gemeentegrenzen)"}
        return _geojson(features, meta, f"gemeenten-{vintage}.geojson")

    def members_geojson(self, request: Request) -> Response:
        """A cooperation's municipal members on the day as GeoJSON, each with its role and source."""
        day = requested_day(request)
        slug = request.path_params["slug"]
        s = self.register.snapshot(day)
        org = next((o for o in s.organisations.values() if o.slug == slug), None)
        if org is None:
            raise NotFoundError(
                f"Er is geen samenwerkingsverband of organisatie '{slug}' op deze dag.",
                code="organisation-not-found",
                hint="Zoek op naam via de zoekfunctie.",
            )
        members = {
            s.member_municipality[ms.id]: ms for ms in s.members_of.get(org.id, []) if ms.id in s.member_municipality
        }
        boundary_set = vintage(day)
        with self.site.atlas.connect() as conn:
            shapes = queries.boundary_geojson(conn, "gemeente", boundary_set, list(members))
        features = [
            _feature(
                nis,
                geometry,
                {
                    "nis": nis,
                    "naam": name,
                    "rol": members[nis].role.value,
                    "afgeleid": members[nis].derived_from is not None,
                    "bron": members[nis].source,
                },
            )
            for nis, (name, geometry) in sorted(shapes.items())
        ]
        meta = {"organisatie": org.name, "id": org.id, "op": day.isoformat(), "set": boundary_set}
        return _geojson(features, meta, f"{slug}-{day.isoformat()}.geojson")

    def analysis_csv(self, request: Request) -> Response:
        """The tables of /analyse/lagen and /analyse/hiaten as CSV."""
        part = request.path_params["part"]
        day = requested_day(request)
        excel = excel_wanted(request)
        a = self.site.states.analysis(day)
        if part == "lagen":
            header = ["laag_a", "laag_b", "gedeelde_gemeenten", "ari", "nvi"]
            rows = [[c["a"], c["b"], c["gedeeld"], c["ari"], c["nvi"]] for c in a.layer_matrix()["cellen"]]
        elif part == "hiaten":
            header = ["laag", "volledig_volgens_bron", "aantal_niet_gedekt", "niet_gedekt", "in_twee_of_meer_regios"]
            rows = [
                [
                    g["laag"],
                    "true" if g["volledig_volgens_bron"] else "false",
                    len(g["niet_gedekt"]),
                    "; ".join(g["niet_gedekt"]),
                    "; ".join(d["gemeente"] for d in g["in_twee_of_meer_regios"]),
                ]
                for g in a.gaps()
            ]
        else:
            raise NotFoundError("Dit bestand bestaat niet.", code="download-not-found", hint="Zie /catalogus.")
        if excel:  # decimal commas, as a Belgian Excel reads numbers
            rows = [[str(v).replace(".", ",") if isinstance(v, float) else v for v in row] for row in rows]
        return _csv(bulk.write_csv(header, rows, excel=excel), f"{part}-{day.isoformat()}.csv")

    def catalogue(self, request: Request) -> Response:
        """/catalogus as an HTML page, or as Turtle, JSON-LD or N-Triples (suffix, or Accept via Negotiation)."""
        path = request.url.path
        kind = next((k for k in rdf.FORMATS if path.endswith(f".{k}")), None)  # Accept is turned into a suffix
        modified = self.register.last_modified()
        if kind is not None:
            body = rdf.serialise(catalogue.triples(self.register, self.base_url, modified), kind)
            return Response(body, media_type=rdf.FORMATS[kind][1], headers={"vary": "Accept"})
        doc = {
            "bijgewerkt": modified.strftime("%Y-%m-%d %H:%M") if modified else None,
            "datasets": [
                {
                    "titel": d.title,
                    "beschrijving": d.description,
                    "licentie": d.licence,
                    "licentie_bevestigd": d.licence_confirmed,
                    "bronnen": d.sources,
                    "volledig": d.complete,
                    "distributies": [
                        {"titel": x.title, "url": x.url, "formaat": x.format, "mediatype": x.media_type}
                        for x in d.distributions
                    ],
                }
                for d in catalogue.datasets(self.register)
            ],
        }
        response = self.site.page(request, "catalogue.html", doc)
        response.headers["vary"] = "Accept"
        return response
