"""What changed in the register: /wijzigingen (with JSON, CSV and Atom) and a feed for each municipality,
cooperation, layer and theme page."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine
from starlette.requests import Request
from starlette.responses import Response

from igsatlas.config import Settings
from igsatlas.documents import changes as change_docs
from igsatlas.documents import registered as registered_docs
from igsatlas.documents.changes import Filters
from igsatlas.documents.feeds import atom
from igsatlas.documents.layer import layer_titles, title_of
from igsatlas.errors import InvalidArgumentError
from igsatlas.opendata.register import OpenRegister
from igsatlas.store import queries
from igsatlas.web.request_args import day_parameter
from igsatlas.web.site import Site


class Changes:
    def __init__(self, site: Site, engine: Engine, settings: Settings, register: OpenRegister) -> None:
        self.site = site
        self.engine = engine
        self.settings = settings
        self.register = register  # its views of the registration clock, shared with the API

    def _filters(self, request: Request) -> Filters:
        p = request.query_params
        soort = p.get("soort") or None
        if soort and soort not in change_docs.KIND_LABELS:
            raise InvalidArgumentError(f"Onbekende soort wijziging '{soort}'.", code="invalid-argument")
        return Filters(
            gemeente=p.get("gemeente") or None,
            organisatie=p.get("organisatie") or None,
            laag=p.get("laag") or None,
            thema=p.get("thema") or None,
            soort=soort,
        )

    def _changes(self, request: Request, f: Filters) -> dict[str, Any]:
        van, tot = day_parameter(request, "van"), day_parameter(request, "tot")
        if (van is None) != (tot is None) or (van and tot and tot < van):
            raise InvalidArgumentError(
                "Geef een begin- en een einddag, de einddag niet vóór de begindag.",
                code="invalid-period",
                hint="Bijvoorbeeld ?van=2024-06-30&tot=2025-06-30.",
            )
        with self.engine.connect() as conn:
            doc: dict[str, Any] = {
                "filters": f.as_dict(),
                "soorten": [{"code": k, "label": v} for k, v in change_docs.KIND_LABELS.items()],
                "lagen": [layer.id for layer in queries.layers(conn)],
                "laagtitels": layer_titles(conn),
                "eerste_import": change_docs.first_import_summary(conn),
                "wijzigingen": change_docs.log_entries(conn, f),
                "tussen": change_docs.between(conn, f, van, tot) if van and tot else None,
                "geregistreerd": self._said(request, conn, f),
            }
        return doc

    def _said(self, request: Request, conn: Connection, f: Filters) -> dict[str, Any] | None:
        """What the atlas said at the end of ?geregistreerd_op= about ?op= (default: that same day), compared
        with what it says at the end of ?vergelijk_met= (default: today)."""
        registered = day_parameter(request, "geregistreerd_op")
        if registered is None:
            return None
        compared = day_parameter(request, "vergelijk_met") or date.today()
        valid = day_parameter(request, "op") or registered
        orgs, members = change_docs.subjects(conn, f)
        then, later = self.register.view(valid, registered), self.register.view(valid, compared)
        return registered_docs.said(
            then,
            later,
            registered=registered,
            compared=compared,
            orgs=orgs,
            members=members,
            subject=change_docs.subject_name(conn, f),
        )

    def changes(self, request: Request) -> Response:
        """A plain function: the query and the page are built in the thread pool."""
        f = self._filters(request)
        doc = self._changes(request, f)
        path = request.url.path
        if path.endswith(".csv"):
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(["id", "datum", "soort", "wat", "organisatie", "bron"])
            for e in doc["wijzigingen"]:
                writer.writerow([e["id"], e["datum"], e["soort"], e["wat"], e["organisatie"], e["bron"]])
            return Response(out.getvalue(), media_type="text/csv; charset=utf-8")
        if path.endswith(".atom"):
            return self._feed("Wijzigingen in de IGS-atlas", "/wijzigingen", "alles", doc["wijzigingen"], request)
        return self.site.page(request, "changes.html", doc, feed=f"/wijzigingen.atom?{request.url.query}")

    def _feed(self, title: str, page: str, key: str, entries: list[dict[str, Any]], request: Request) -> Response:
        body = atom(
            title,
            self.settings.base_url,
            request.url.path + (f"?{request.url.query}" if request.url.query else ""),
            page,
            key,
            entries,
            self.site.clock.updated(),
        )
        return Response(body, media_type="application/atom+xml; charset=utf-8")

    def feed_of(self, request: Request) -> Response:
        """/gemeenten/{slug}.atom, /samenwerkingsverbanden/{slug}.atom (and /organisaties/), /lagen/{layer}.atom,
        /themas/{thema}.atom."""
        kind = request.url.path.split("/")[1]
        key = request.path_params["key"]
        with self.engine.connect() as conn:
            if kind == "gemeenten":
                muni = queries.municipality_by_slug(conn, key, date.today())
                f, title = Filters(gemeente=muni.nis), f"Wijzigingen voor {muni.name}"
            elif kind in ("samenwerkingsverbanden", "organisaties"):
                org = queries.organisation_by_slug(conn, key)
                f, title = Filters(organisatie=org.slug), f"Wijzigingen van {org.name}"
            elif kind == "lagen":
                f, title = Filters(laag=key), f"Wijzigingen in de laag {title_of(queries.layer(conn, key))}"
            else:
                f, title = Filters(thema=key), f"Wijzigingen in het thema {key}"
            entries = change_docs.log_entries(conn, f)
        return self._feed(title, f"/{kind}/{key}", f"{kind}:{key}", entries, request)
