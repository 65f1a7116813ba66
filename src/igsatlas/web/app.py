"""The web application: Dutch pages, their JSON twins, maps, and coded errors."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.convertors import Convertor, register_url_convertor
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from igsatlas.atlas import Atlas
from igsatlas.config import Settings
from igsatlas.errors import AtlasError, MethodNotAllowedError, NotFoundError
from igsatlas.ingest import opregister
from igsatlas.legal import reference as legal_reference
from igsatlas.opendata.api import create_api
from igsatlas.opendata.records import Uris
from igsatlas.opendata.register import OpenRegister
from igsatlas.store.changelog import now
from igsatlas.store.engine import make_engine, require_schema
from igsatlas.web import access_log, compression
from igsatlas.web.abandoned import DropAbandoned
from igsatlas.web.account_pages import AccountPages
from igsatlas.web.analysis_pages import AnalysisPages
from igsatlas.web.cache import ResponseCache
from igsatlas.web.changes_pages import Changes
from igsatlas.web.dossier_pages import DossierPages
from igsatlas.web.downloads import Downloads
from igsatlas.web.editing import Editing
from igsatlas.web.failures import ErrorPages
from igsatlas.web.fairness import FairShare
from igsatlas.web.follow import Follow
from igsatlas.web.headers import SecurityHeaders
from igsatlas.web.legal_pages import LegalPages
from igsatlas.web.linked import Linked, Negotiation
from igsatlas.web.moved import current_address
from igsatlas.web.newsletter_pages import Newsletter
from igsatlas.web.pages import Pages
from igsatlas.web.proxies import TrustedProxies
from igsatlas.web.request_args import KNOWN_PARAMETERS, wants_json
from igsatlas.web.reviewing import Reviewing
from igsatlas.web.site import HERE, Site
from igsatlas.web.visits import Visits


class RdfKind(Convertor[str]):
    """The suffixes of the linked-data twins: .ttl, .jsonld, .nt."""

    regex = "ttl|jsonld|nt"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("rdf", RdfKind())


class RowId(Convertor[int]):
    """A row number in a path: 1 to 9 digits, so that it fits every database's integer (a longer number is no
    route, and answers 404 instead of an overflow in the database driver)."""

    regex = "[0-9]{1,9}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


register_url_convertor("id", RowId())


PAGE_THREADS = 4  # threads that build pages at once, per process: pages are Python work, and two cores run it


def fair_shares(routes: list[BaseRoute]) -> list[BaseRoute]:
    """Every route with a plain-function handler (page work, run in the thread pool) within its client's share."""
    share = FairShare()
    out: list[BaseRoute] = []
    for route in routes:
        if isinstance(route, Route) and not inspect.iscoroutinefunction(route.endpoint):
            route = Route(route.path, share.wrap(route.endpoint), methods=route.methods, name=route.name)
        out.append(route)
    return out


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    engine = make_engine(settings.database_url)
    require_schema(engine)
    site = Site(Atlas(engine), reference=legal_reference.load(settings.reference_dir), data_dir=settings.data_dir)
    analysis_pages = AnalysisPages(site)
    uris = Uris(settings.base_uri)
    pages = Pages(site, analysis_pages, uris)
    legal_pages = LegalPages(site)
    dossiers = DossierPages(site, settings.base_url, uris)
    editing = Editing(site, engine, settings.data_dir)
    reviewing = Reviewing(site, engine, settings.data_dir)
    account_pages = AccountPages(site, engine, settings.data_dir)
    follow = Follow(site, engine, settings, editing)
    register = OpenRegister(
        engine,
        base_uri=settings.base_uri,
        reference=site.reference,
        analysis=site.states.analysis,
        findings=lambda day: site.states.checked(day)[1],
        version=site.clock.version,
        whole=site.states.register,  # one copy of the whole register per process
    )
    changes = Changes(site, engine, settings, register)
    newsletter = Newsletter(site, engine, settings, editing)
    api = create_api(register)
    linked = Linked(site, register)
    downloads = Downloads(site, register, settings.base_url, api.openapi)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        # Page work runs in the thread pool; few threads, so that a flood of uncached pages cannot starve the
        # event loop (which serves cached pages) of the interpreter.
        to_thread.current_default_thread_limiter().total_tokens = PAGE_THREADS
        access_log.install()  # no address or mail token in the access log
        # Build every register state (analysis and findings) before a visitor asks for one, and after each write.
        site.warm_up.start()
        yield
        site.warm_up.stop()  # its connections go back to the pool before the pool is closed
        engine.dispose()

    def error_page(request: Request, error: AtlasError) -> Response:
        if wants_json(request):
            return JSONResponse(error.as_json(), status_code=error.http_status)
        html = site.templates.get_template("error.html").render(
            error=error, day="", today="", link=lambda u: u, path=request.url.path, query={}
        )
        return Response(html, status_code=error.http_status, media_type="text/html")

    async def on_atlas_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, AtlasError)
        if exc.code == "organisation-not-found" and request.method in ("GET", "HEAD"):
            moved_to = await run_in_threadpool(current_address, engine, request.url.path, request.url.query)
            if moved_to is not None:
                return RedirectResponse(moved_to, status_code=301)
        response = error_page(request, exc)
        if exc.http_status == 429:
            response.headers["Retry-After"] = "1"
        return response

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if exc.status_code == 404:
            return error_page(
                request,
                NotFoundError(
                    "Deze pagina bestaat niet.", code="page-not-found", hint="Zoek verder vanaf de startpagina."
                ),
            )
        if exc.status_code == 405:
            response = error_page(
                request,
                MethodNotAllowedError(
                    f"Deze pagina aanvaardt geen {request.method}-verzoek.",
                    code="method-not-allowed",
                    hint="Open de pagina gewoon in de browser, of gebruik een formulier van de site.",
                ),
            )
            response.headers.update(exc.headers or {})
            return response
        error = AtlasError(str(exc.detail), code="http-error")
        error.http_status = exc.status_code
        return error_page(request, error)

    async def status(_request: Request) -> Response:
        """For a load balancer or a monitor: the database answers, its content version, and whether every
        register state is built yet (never cached)."""
        version = await run_in_threadpool(site.clock.version)
        failure = site.warm_up.failure
        body: dict[str, object] = {
            "status": "ok",
            "inhoudsversie": version,
            "opgewarmd": site.warm_up.warmed.is_set() and failure is None,
            "toestanden_klaar": await run_in_threadpool(site.states.states_built),
            "organisatieportaal": await run_in_threadpool(opregister.describe, site.atlas.engine, now()),
        }
        if failure is not None:
            body["opwarmfout"] = failure  # the states are built by the pages that need them, and fail there
        return JSONResponse(body, headers={"Cache-Control": "no-store"})

    def organisation_pages(space: str) -> list[BaseRoute]:
        """The pages of one organisation, the same in both URL spaces (cooperations and own bodies)."""
        return [
            Route(f"{space}/{{key}}.atom", changes.feed_of),
            Route(f"{space}/{{slug}}/wijzig", editing.organisation_edit, methods=["GET", "POST"]),
            Route(f"{space}/{{slug}}.{{kind:rdf}}", linked.organisation),
            Route(f"{space}/{{slug}}.geojson", downloads.members_geojson),
            Route(f"{space}/{{slug}}", pages.organisation),
        ]

    routes = [
        Route("/", pages.home),
        Route("/status.json", status),
        Route("/index.json", pages.home),
        Route("/favicon.ico", lambda request: RedirectResponse("/static/favicon.svg", status_code=301)),
        Route("/zoeken", pages.search),
        Route("/zoeken.json", pages.search),
        Route("/zoeken/suggesties.json", pages.suggestions),
        Route("/gemeenten", pages.municipalities),
        Route("/gemeenten.json", pages.municipalities),
        Route("/gemeenten/{key}.atom", changes.feed_of),
        Route("/gemeenten.geojson", downloads.municipalities_geojson),
        Route("/gemeenten/{slug}.{kind:rdf}", linked.municipality),
        Route("/gemeenten/{slug}/dossier", dossiers.page),
        Route("/gemeenten/{slug}/dossier.{kind}", dossiers.page),
        Route("/gemeenten/{slug}", pages.municipality),
        Route("/samenwerkingsverbanden", pages.organisations),
        Route("/samenwerkingsverbanden.json", pages.organisations),
        Route("/samenwerkingsverbanden/nieuw", editing.organisation_new, methods=["GET", "POST"]),
        *organisation_pages("/samenwerkingsverbanden"),
        Route("/organisaties", pages.own_bodies),
        Route("/organisaties.json", pages.own_bodies),
        *organisation_pages("/organisaties"),
        Route("/lagen", pages.layers),
        Route("/lagen.json", pages.layers),
        Route("/lagen/{layer}.geojson", pages.layer_geojson),
        Route("/lagen/{key}.atom", changes.feed_of),
        Route("/themas/{key}.atom", changes.feed_of),
        Route("/lagen/{layer}.{kind:rdf}", linked.layer),
        Route("/lagen/{layer}", pages.layer),
        Route("/regios/{layer}/{key}", pages.region),
        Route("/id/{kind}/{key:path}", linked.identifier),
        Route("/data/igs-atlas.nt.gz", linked.dump),
        Route("/data/datapackage.json", downloads.package),
        Route("/data/{name}.csv", downloads.table),
        Route("/catalogus", downloads.catalogue),
        Route("/catalogus.json", downloads.catalogue),
        Route("/catalogus.ttl", downloads.catalogue),
        Route("/catalogus.jsonld", downloads.catalogue),
        Route("/catalogus.nt", downloads.catalogue),
        Route("/api", downloads.api_reference),
        Route("/kaart/{kind:str}/{key:str}.svg", pages.map_svg),
        Route("/rechtsvormen", legal_pages.legal_forms),
        Route("/rechtsvormen.json", legal_pages.legal_forms),
        Route("/rechtsvormen.csv", legal_pages.legal_forms_csv),
        Route("/rechtsvormen.pdf", legal_pages.legal_forms),
        Route("/rechtsvormen/keuzehulp", legal_pages.wizard),
        Route("/rechtsvormen/keuzehulp.json", legal_pages.wizard),
        Route("/rechtsvormen/{slug}", legal_pages.legal_form),
        Route("/samenwerken", pages.planner),
        Route("/samenwerken.json", pages.planner),
        Route("/cultuur", pages.culture),
        Route("/cultuur.json", pages.culture),
        Route("/cultuur.csv", pages.culture),
        Route("/aandachtspunten", legal_pages.findings),
        Route("/aandachtspunten.json", legal_pages.findings),
        Route("/analyse", analysis_pages.analysis),
        Route("/analyse.json", analysis_pages.analysis),
        Route("/analyse/download/{file}", analysis_pages.analysis_download),
        Route("/analyse/{part}.csv", downloads.analysis_csv),
        Route("/analyse/{part}", analysis_pages.analysis),
        Route("/wijzigingen", changes.changes),
        Route("/wijzigingen.json", changes.changes),
        Route("/wijzigingen.csv", changes.changes),
        Route("/wijzigingen.atom", changes.changes),
        Route("/nieuwsbrief", follow.signup, methods=["GET", "POST"]),
        Route("/nieuwsbrief/bevestig", follow.confirm),
        Route("/nieuwsbrief/voorkeuren", follow.preferences, methods=["GET", "POST"]),
        Route("/nieuwsbrief/afmelden", follow.unsubscribe, methods=["GET", "POST"]),
        Route("/nieuwsbrief/archief", newsletter.archive),
        Route("/nieuwsbrief/archief/{issue_id:id}", newsletter.archived),
        Route("/redactie/nieuwsbrief", newsletter.editorial, methods=["GET", "POST"]),
        Route("/redactie/nieuwsbrief/{issue_id:id}", newsletter.editorial_issue, methods=["GET", "POST"]),
        Route("/privacy", follow.privacy),
        Route("/over", pages.about),
        Route("/contact", pages.contact),
        Route("/toegankelijkheid", pages.accessibility),
        Route("/aanmelden", account_pages.login, methods=["GET", "POST"]),
        Route("/afmelden", account_pages.logout, methods=["POST"]),
        Route("/meld-een-fout", editing.report, methods=["GET", "POST"]),
        Route("/redactie", reviewing.queue),
        Route("/redactie/wijzigingen/{edit_id:id}", reviewing.queue_item, methods=["GET", "POST"]),
        Route("/beheer/accounts", account_pages.accounts_page, methods=["GET", "POST"]),
        Mount("/api/v1", app=api),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    return Starlette(
        routes=fair_shares(routes),
        middleware=[
            Middleware(TrustedProxies, networks=settings.trusted_proxies),
            Middleware(DropAbandoned),
            Middleware(SecurityHeaders),
            Middleware(ErrorPages, render=error_page),
            Middleware(Negotiation),
            # One reader of the content version for the cache and the pages: were they to read it apart, a page
            # built from the old register could be kept under the new version's key.
            Middleware(ResponseCache, version=site.clock.version, known=KNOWN_PARAMETERS),
            Middleware(compression.GZip, minimum_size=compression.MINIMUM_SIZE, compresslevel=compression.LEVEL),
            Middleware(Visits, visitors=site.visitors),  # inside the page cache: only the requests that make work count
        ],
        exception_handlers={AtlasError: on_atlas_error, HTTPException: on_http_error},
        lifespan=lifespan,
    )
