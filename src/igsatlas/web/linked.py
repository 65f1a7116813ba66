"""Linked data on the pages' own URLs: Turtle, JSON-LD and N-Triples by content negotiation or by suffix
(.ttl, .jsonld, .nt), the URIs the atlas mints (/id/...), and the full N-Triples dump of any day."""

from __future__ import annotations

from datetime import date
from urllib.parse import unquote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from igsatlas.documents.common import organisation_url
from igsatlas.errors import NotFoundError
from igsatlas.opendata import rdf
from igsatlas.opendata.register import OpenRegister
from igsatlas.store import queries
from igsatlas.web.cache import with_vary
from igsatlas.web.request_args import day_parameter
from igsatlas.web.site import Site

# Pages that have a linked-data twin under the same URL.
NEGOTIATED = ("/samenwerkingsverbanden/", "/organisaties/", "/gemeenten/", "/lagen/")


class Negotiation:
    """Before the page cache: a request for RDF on a page URL (or /catalogus) is served by that page's suffixed
    twin, so the cache, which keys on the path, never hands Turtle to a browser; every negotiated page says it
    varies by Accept."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        negotiated = path == "/catalogus" or (path.startswith(NEGOTIATED) and path.count("/") == 2)
        if scope["type"] != "http" or not negotiated:
            await self.app(scope, receive, send)
            return
        if "." not in path.rsplit("/", 1)[1]:
            accept = dict(scope["headers"]).get(b"accept", b"").decode("latin-1")
            kind = rdf.wants(accept)
            if kind is not None:
                scope = {**scope, "path": f"{path}.{kind}", "raw_path": f"{path}.{kind}".encode()}

        async def vary(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": with_vary(list(message.get("headers", [])), b"Accept")}
            await send(message)

        await self.app(scope, receive, vary)


class Linked:
    def __init__(self, site: Site, register: OpenRegister) -> None:
        self.site = site
        self.register = register
        self._dumps: dict[tuple[object, ...], bytes] = {}

    def _day(self, request: Request) -> date | None:
        return day_parameter(request, "op")

    @staticmethod
    def _respond(body: bytes, kind: str) -> Response:
        _, media = rdf.FORMATS[kind]
        return Response(body, media_type=media, headers={"access-control-allow-origin": "*"})

    async def organisation(self, request: Request) -> Response:
        slug, kind = request.path_params["slug"], request.path_params["kind"]
        day = self._day(request)

        def build() -> bytes:
            s = self.register.snapshot(day)
            found = next((o for o in s.organisations.values() if o.slug == slug), None)
            if found is None:
                raise NotFoundError(
                    f"Er is geen samenwerkingsverband of organisatie '{slug}'" + (" op deze dag." if day else "."),
                    code="organisation-not-found",
                    hint="Zoek op naam, KBO-nummer of gemeente via de zoekfunctie.",
                )
            return rdf.serialise(rdf.Triples(s, self.register.uris).about_organisation(found), kind)

        return self._respond(await run_in_threadpool(build), kind)

    async def municipality(self, request: Request) -> Response:
        slug, kind = request.path_params["slug"], request.path_params["kind"]
        day = self._day(request)

        def build() -> bytes:
            with self.site.atlas.connect() as conn:
                found = queries.municipality_by_slug(conn, slug, day or date.today())
            s = self.register.snapshot(day)
            return rdf.serialise(rdf.Triples(s, self.register.uris).about_municipality(found), kind)

        return self._respond(await run_in_threadpool(build), kind)

    async def layer(self, request: Request) -> Response:
        layer_id, kind = request.path_params["layer"], request.path_params["kind"]
        day = self._day(request)

        def build() -> bytes:
            self.register.layer_model(layer_id)
            s = self.register.snapshot(day)
            return rdf.serialise(rdf.Triples(s, self.register.uris).about_layer(layer_id), kind)

        return self._respond(await run_in_threadpool(build), kind)

    def dump_bytes(self, day: date | None) -> bytes:
        key = self.register.state(day)
        found = self._dumps.get(key)
        if found is None:
            found = rdf.dump(self.register.snapshot(day), self.register.uris)
            self._dumps = {k: v for k, v in list(self._dumps.items())[-3:] if k[-1] == key[-1]}
            self._dumps[key] = found
        return found

    async def dump(self, request: Request) -> Response:
        """The register as gzipped N-Triples: everything with its periods, or ?op= the register of one day."""
        day = self._day(request)
        body = await run_in_threadpool(self.dump_bytes, day)
        name = f"igs-atlas-{day.isoformat()}.nt.gz" if day else "igs-atlas.nt.gz"
        return Response(
            body,
            media_type="application/gzip",
            headers={
                "content-disposition": f'attachment; filename="{name}"',
                "access-control-allow-origin": "*",
                "x-content-media-type": "application/n-triples",
            },
        )

    def identifier(self, request: Request) -> Response:
        """A URI the atlas minted: 303 to the page that describes it (which negotiates RDF by Accept). A plain
        function: the snapshot it reads may be built or read from the database, in the thread pool."""
        kind, key = request.path_params["kind"], unquote(request.path_params["key"])
        if kind == "registratie" and "/" in key:  # the atlas's record about one: the page that describes both
            kind, _, key = key.partition("/")
        s = self.register.snapshot(None)
        target: str | None = None
        if kind == "organisatie" and key in s.organisations:
            target = organisation_url(s.organisations[key])
        elif kind == "gemeente" and key in s.municipalities:
            target = f"/gemeenten/{s.municipalities[key].slug}"
        elif kind == "laag" and key in s.layers:
            target = f"/lagen/{key}"
        elif kind == "regio" and "/" in key:
            layer_id, _, region_key = key.partition("/")
            region = next((r for r in s.regions if r.layer_id == layer_id and r.key == region_key), None)
            if region is not None:
                target = organisation_url(s.organisations[region.organisation_id])
        elif kind == "lidmaatschap" and key in s.membership_by_id:
            target = organisation_url(s.organisations[s.membership_by_id[key].organisation_id])
        if target is None:
            raise NotFoundError(
                f"De URI /id/{kind}/{key} is niet gekend.", code="uri-not-found", hint="Zie /catalogus voor de data."
            )
        return RedirectResponse(target, status_code=303)
