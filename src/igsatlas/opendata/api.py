"""The versioned JSON API, /api/v1: typed models, cursor paging, one error shape, conditional GET, CORS.

FastAPI makes the OpenAPI 3.1 document (/api/v1/openapi.json) from the models; the site's /api page renders it
in Dutch with nothing loaded from other sites. Errors have the shape of models.Fout with a stable code.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware

from igsatlas.errors import AtlasError, InvalidArgumentError, NotFoundError, invalid_day
from igsatlas.opendata import models as m
from igsatlas.opendata import twins
from igsatlas.opendata.conditional import Conditional
from igsatlas.opendata.parameters import (
    ERRORS,
    Cursor,
    Day,
    Key,
    Limit,
    Registered,
    as_json,
    error_response,
    paged,
    text,
)
from igsatlas.opendata.register import Filters, OpenRegister

DESCRIPTION = """De open data van IGS-atlas: organisaties (intergemeentelijke samenwerking, zones, lokale besturen,
regio's van thematische lagen), gemeenten, lidmaatschappen, lagen, thema's, rechtsvormen, bevindingen, analyses
en het wijzigingslogboek. Elke lijst neemt `op` (de dag, JJJJ-MM-DD; standaard vandaag), filters, een vaste
volgorde en bladeren met een cursor (`na`, met de link `volgende`). Fouten hebben één vorm met een vaste code.

Twee klokken: `op` vraagt naar de geldigheid in de wereld (wat gold op die dag), `geregistreerd_op` (JJJJ-MM-DD)
naar de registratie: wat de atlas had geregistreerd aan het einde van die dag (UTC), met wat sindsdien in het
wijzigingslogboek kwam teruggedraaid. Samen: "wat zei de atlas, zoals hij op `geregistreerd_op` stond, dat gold op
`op`". `geregistreerd_op` werkt op `/organisaties/{id}`, `/organisaties/{id}/leden`,
`/gemeenten/{nis}/lidmaatschappen` en `/lidmaatschappen`; een dag vóór de eerste import geeft 404
`not-yet-registered`.

De JSON-tweeling van elke pagina van de site (hetzelfde adres met `.json`) gebruikt dezelfde modellen voor wat ze
met de API deelt (organisatie, lidmaatschap, gemeente, bevinding, regio, laag): `x-paginatweelingen` zegt waar.

The open data of IGS-atlas. Every list takes `op` (the day), filters, a stable order and cursor paging;
`geregistreerd_op` asks what the atlas had recorded at the end of a day (registration time). The JSON twin of every
page of the site (the same address with `.json`) uses these models for what it shares with the API:
`x-paginatweelingen` maps each twin's places to the schemas of `components/schemas`."""


def create_api(register: OpenRegister) -> FastAPI:
    api = FastAPI(
        title="IGS-atlas API",
        version="1.0.0",
        summary="Intergemeentelijke samenwerking in Vlaanderen als open data / Intermunicipal cooperation in Flanders",
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
        license_info={"name": "EUPL-1.2 (software); licentie per bron, zie /catalogus", "identifier": "EUPL-1.2"},
    )
    made = api.openapi

    def openapi() -> dict[str, Any]:
        """FastAPI's document (made once), with where the pages' twins hold its models (opendata/twins.py)."""
        doc = made()
        doc.setdefault("x-paginatweelingen", twins.openapi_extension())
        return doc

    api.openapi = openapi  # type: ignore[method-assign]

    @api.exception_handler(AtlasError)
    async def on_atlas_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, AtlasError)
        return error_response(exc)

    @api.exception_handler(RequestValidationError)
    async def on_invalid(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        first = exc.errors()[0] if exc.errors() else {}
        name = str((first.get("loc") or ("", "?"))[-1])
        if name in ("op", "geregistreerd_op"):
            error = invalid_day(name, str(first.get("input", "")))
        else:
            error = InvalidArgumentError(
                f"De parameter '{name}' heeft geen geldige waarde.",
                code="invalid-parameter",
                hint="Zie /api/v1/openapi.json voor wat de parameter aanvaardt.",
            )
        return error_response(error)

    @api.exception_handler(HTTPException)
    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        if exc.status_code == 405:
            error = AtlasError(
                f"Deze API aanvaardt geen {request.method}-verzoek op dit adres.",
                code="method-not-allowed",
                hint="De API is alleen-lezen: gebruik GET.",
            )
            error.http_status = 405
            response = error_response(error)
            response.headers.update(exc.headers or {})
            return response
        if exc.status_code == 404:
            return error_response(
                NotFoundError("Dit adres bestaat niet in de API.", code="not-found", hint="Zie /api/v1/openapi.json.")
            )
        error = AtlasError(str(exc.detail), code="http-error")
        error.http_status = exc.status_code
        return error_response(error)

    def brief_of(s: Any) -> Callable[[Any], m.OrganisatieKort]:
        return register.briefs(s)

    def membership_of(s: Any) -> Callable[[Any], m.Lidmaatschap]:
        return lambda x: register.membership_model(s, x)

    def today(day: date | None) -> date:
        return day or date.today()

    @api.get("/", summary="Overzicht / index", tags=["algemeen"])
    async def index() -> dict[str, Any]:
        return {
            "naam": "IGS-atlas API",
            "versie": "v1",
            "openapi": "/api/v1/openapi.json",
            "documentatie": "/api",
            "bronnen": [
                f"/api/v1/{x}"
                for x in (
                    "organisaties",
                    "gemeenten",
                    "lidmaatschappen",
                    "lagen",
                    "themas",
                    "classificaties",
                    "rechtsvormen",
                    "bevindingen",
                    "analyses/passing",
                    "analyses/lagen",
                    "analyses/netwerk",
                    "wijzigingen",
                )
            ],
        }

    @api.get("/organisaties", response_model=m.Pagina[m.OrganisatieKort], responses=ERRORS, tags=["organisaties"])
    def organisations(
        request: Request,
        op: Day = None,
        classificatie: Annotated[str | None, text("Code uit /api/v1/classificaties")] = None,
        familie: Annotated[str | None, text("igs, zone, regio, lokaal-bestuur, ...")] = None,
        status: Annotated[str | None, text("actief, niet-actief, in-oprichting")] = None,
        provincie: Annotated[str | None, text("Provincie van het adres")] = None,
        laag: Annotated[str | None, text("Regio's van deze laag")] = None,
        thema: Annotated[str | None, text("URI of naam van een beleidsthema")] = None,
        gemeente: Annotated[str | None, text("NIS-code: waar deze gemeente aan deelneemt")] = None,
        na: Cursor = None,
        limiet: Limit = 100,
    ) -> Any:
        """Organisaties op de dag, op id gesorteerd / organisations on the day, sorted by id."""
        day = today(op)
        f = Filters(classificatie, familie, status, provincie, laag, thema, gemeente)
        s, found = register.organisation_records(day, f)
        return as_json(paged(request, found, lambda o: o.id, brief_of(s), na, limiet, day))

    @api.get("/organisaties/{id}", response_model=m.Organisatie, responses=ERRORS, tags=["organisaties"])
    def organisation(id: Key, op: Day = None, geregistreerd_op: Registered = None) -> Any:
        """Alles over één organisatie, met haar bevindingen; met `geregistreerd_op` zoals de atlas ze toen had
        geregistreerd (dan zonder bevindingen) / one organisation, with its findings."""
        return as_json(register.organisation(id, today(op), geregistreerd_op))

    @api.get(
        "/organisaties/{id}/leden", response_model=m.Pagina[m.Lidmaatschap], responses=ERRORS, tags=["organisaties"]
    )
    def members(
        request: Request,
        id: Key,
        op: Day = None,
        geregistreerd_op: Registered = None,
        na: Cursor = None,
        limiet: Limit = 100,
    ) -> Any:
        """De leden van een organisatie op de dag / the members of an organisation (as recorded on
        ``geregistreerd_op`` when asked)."""
        day, registered = today(op), geregistreerd_op
        found = register.organisation(id, day, registered)
        s, rows = register.membership_records(day, organisatie=found.id, registered=registered)
        return as_json(paged(request, rows, lambda x: x.id, membership_of(s), na, limiet, day, registered))

    @api.get("/gemeenten", response_model=m.Pagina[m.Gemeente], responses=ERRORS, tags=["gemeenten"])
    def municipalities(
        request: Request,
        op: Day = None,
        provincie: Annotated[str | None, text("Provincie")] = None,
        gewest: Annotated[str | None, text("Vlaanderen of Brussel")] = None,
        na: Cursor = None,
        limiet: Limit = 100,
    ) -> Any:
        """Gemeenten op de dag, op NIS-code / municipalities on the day, by NIS code."""
        day = today(op)
        found = register.municipality_records(day, provincie, gewest)
        return as_json(paged(request, found, lambda x: x.nis, register.municipality_model, na, limiet, day))

    @api.get("/gemeenten/{nis}", response_model=m.Gemeente, responses=ERRORS, tags=["gemeenten"])
    def municipality(nis: Key, op: Day = None) -> Any:
        """Eén gemeente met haar namen en geldigheid / one municipality."""
        return register.municipality(nis, today(op))

    @api.get(
        "/gemeenten/{nis}/lidmaatschappen",
        response_model=m.Pagina[m.Lidmaatschap],
        responses=ERRORS,
        tags=["gemeenten"],
    )
    def involvements(
        request: Request,
        nis: Key,
        op: Day = None,
        geregistreerd_op: Registered = None,
        na: Cursor = None,
        limiet: Limit = 100,
    ) -> Any:
        """Waaraan de gemeente deelneemt op de dag / what the municipality takes part in (as recorded on
        ``geregistreerd_op`` when asked)."""
        day, registered = today(op), geregistreerd_op
        found = register.municipality(nis, day)
        s, rows = register.membership_records(day, gemeente=found.nis, registered=registered)
        return as_json(paged(request, rows, lambda x: x.id, membership_of(s), na, limiet, day, registered))

    @api.get("/lidmaatschappen", response_model=m.Pagina[m.Lidmaatschap], responses=ERRORS, tags=["lidmaatschappen"])
    def memberships(
        request: Request,
        op: Day = None,
        geregistreerd_op: Registered = None,
        organisatie: Annotated[str | None, text("Id van de organisatie")] = None,
        lid: Annotated[str | None, text("Id van het lid")] = None,
        gemeente: Annotated[str | None, text("NIS-code van de gemeente die lid is")] = None,
        laag: Annotated[str | None, text("Code van de laag")] = None,
        rol: Annotated[str | None, text("participant, stichtend-lid, gerelateerd, lid")] = None,
        na: Cursor = None,
        limiet: Limit = 100,
    ) -> Any:
        """Lidmaatschappen op de dag, te filteren / memberships on the day, filterable (as recorded on
        ``geregistreerd_op`` when asked)."""
        day, registered = today(op), geregistreerd_op
        s, rows = register.membership_records(
            day, organisatie=organisatie, lid=lid, gemeente=gemeente, laag=laag, rol=rol, registered=registered
        )
        return as_json(paged(request, rows, lambda x: x.id, membership_of(s), na, limiet, day, registered))

    @api.get("/lagen", response_model=list[m.Laag], tags=["lagen"])
    def layers() -> Any:
        """De thematische lagen en hoe volledig elk is / the thematic layers and how complete each is."""
        return register.layer_models()

    @api.get("/lagen/{laag}", response_model=m.Laag, responses=ERRORS, tags=["lagen"])
    def layer(laag: Key) -> Any:
        """Eén laag met haar bronnen en volledigheid / one layer, with its sources and completeness."""
        return register.layer_model(laag)

    @api.get("/lagen/{laag}/regios", response_model=list[m.Regio], responses=ERRORS, tags=["lagen"])
    def regions(laag: Key, op: Day = None) -> Any:
        """De regio's van een laag met hun gemeenten op de dag / the regions of a layer."""
        return register.region_models(laag, today(op))

    @api.get("/themas", response_model=list[m.Thema], tags=["thema's"])
    def themes() -> Any:
        """De 32 beleidsthema's van het register / the register's 32 policy themes."""
        return register.theme_models()

    @api.get("/classificaties", response_model=list[m.Classificatie], tags=["organisaties"])
    def classifications() -> Any:
        """De soorten organisaties met hun familie / the kinds of organisation and their family."""
        return register.classification_models()

    @api.get("/rechtsvormen", response_model=list[m.Rechtsvorm], tags=["rechtsvormen"])
    def legal_forms() -> Any:
        """De rechtsvormen met hun feiten, artikels en zekerheid / legal forms with facts, articles, confidence."""
        return register.legal_form_models()

    @api.get("/rechtsvormen/{id}", response_model=m.Rechtsvorm, responses=ERRORS, tags=["rechtsvormen"])
    def legal_form(id: Key) -> Any:
        """Eén rechtsvorm met zijn feiten, artikels en zekerheid / one legal form."""
        for x in register.legal_form_models():
            if x.id == id:
                return x
        raise NotFoundError(
            f"Er is geen rechtsvorm '{id}'.", code="legal-form-not-found", hint="Zie /api/v1/rechtsvormen."
        )

    @api.get("/bevindingen", response_model=m.Pagina[m.Bevinding], responses=ERRORS, tags=["bevindingen"])
    def findings(
        request: Request,
        op: Day = None,
        organisatie: Annotated[str | None, text("Id van de organisatie")] = None,
        regel: Annotated[str | None, text("Code van de regel")] = None,
        oordeel: Annotated[str | None, text("in-orde, afwijking, niet-te-controleren")] = None,
        na: Cursor = None,
        limiet: Limit = 100,
    ) -> Any:
        """Bevindingen van de nalevingscontrole op de dag / compliance findings on the day."""
        day = today(op)
        found = [
            x
            for x in register.findings(day)
            if (organisatie is None or x.subject == organisatie)
            and (regel is None or x.rule == regel)
            and (oordeel is None or x.status == oordeel)
        ]
        found.sort(key=lambda x: f"{x.subject}|{x.rule}")
        return as_json(
            paged(request, found, lambda x: f"{x.subject}|{x.rule}", register.finding_model, na, limiet, day)
        )

    @api.get("/analyses/passing", response_model=m.Pagina[m.Passing], responses=ERRORS, tags=["analyses"])
    def fits(request: Request, op: Day = None, na: Cursor = None, limiet: Limit = 100) -> Any:
        """Hoe elke structuur in de referentieregio's past / how each structure fits the reference regions."""
        day = today(op)
        return as_json(paged(request, register.fit_models(day), lambda x: x.id, lambda x: x, na, limiet, day))

    @api.get("/analyses/lagen", response_model=list[m.LaagOvereenkomst], responses=ERRORS, tags=["analyses"])
    def agreement(op: Day = None) -> Any:
        """Hoe goed de lagen met elkaar overeenkomen / how well the layers agree."""
        return register.agreement_models(today(op))

    @api.get("/analyses/netwerk", response_model=m.Netwerk, responses=ERRORS, tags=["analyses"])
    def network(op: Day = None) -> Any:
        """Het netwerk van gemeenten en zijn gemeenschappen / the network of municipalities and its communities."""
        return as_json(register.network_model(today(op)))

    @api.get("/wijzigingen", response_model=m.Pagina[m.Wijziging], responses=ERRORS, tags=["wijzigingen"])
    def changes(
        request: Request,
        na: Annotated[
            int, Query(ge=0, le=2_147_483_647, description="Na dit volgnummer / after this sequence number")
        ] = 0,
        limiet: Limit = 100,
    ) -> Any:
        """Het wijzigingslogboek, oudste eerst / the change log, oldest first."""
        rows = register.change_models(na, limiet + 1)
        following = None
        if len(rows) > limiet:
            rows = rows[:limiet]
            following = f"{request.url.path}?limiet={limiet}&na={rows[-1].id}"
        return as_json(
            m.Pagina[m.Wijziging](op=None, totaal=register.change_count(), resultaten=rows, volgende=following)
        )

    api.add_middleware(Conditional, last_modified=register.last_modified)
    api.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "HEAD", "OPTIONS"],
        allow_headers=["*"],
        expose_headers=["ETag", "Last-Modified"],
    )
    return api
