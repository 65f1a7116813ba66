"""The DCAT-AP catalogue (/catalogus): each dataset (the register, each layer, the analysis, the findings) and each
distribution (CSV, GeoJSON, RDF, API) with publisher, licence per source, temporal coverage and last change.

The licence of the LBLOD snapshot is not established (its README says so): the catalogue says so too, instead of
claiming one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

import pyoxigraph as ox

from igsatlas.opendata.rdf import TYPE
from igsatlas.opendata.register import OpenRegister

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
XSD = "http://www.w3.org/2001/XMLSchema#"
EUPL = "https://joinup.ec.europa.eu/licence/european-union-public-licence-eupl-v12"
STATBEL = "http://statbel.fgov.be/en/statistics/opendata/licence/"


@dataclass(frozen=True)
class Distribution:
    key: str
    title: str
    url: str
    media_type: str
    format: str


@dataclass(frozen=True)
class Dataset:
    key: str
    title: str
    description: str
    licence: str  # a URI, or a sentence when it is not established
    licence_confirmed: bool
    sources: str
    complete: bool | None
    distributions: tuple[Distribution, ...]
    themes: tuple[str, ...] = field(default=())


def datasets(reg: OpenRegister) -> list[Dataset]:
    lblod_licence = (
        "Niet bevestigd: de bron (lblod/app-organization-portal) draagt alleen een MIT-licentie voor de software; "
        "hergebruik met naamsvermelding 'Agentschap Binnenlands Bestuur, Organisatieportaal'."
    )
    register = Dataset(
        "register",
        "Register van intergemeentelijke samenwerking",
        "Organisaties, gemeenten en lidmaatschappen, met bron en datum van elk feit.",
        lblod_licence,
        False,
        "Organisatieportaal (LBLOD), regiolagen, publieke webpagina's, redactie",
        None,
        (
            Distribution("api", "JSON-API (OpenAPI 3.1)", "/api/v1/organisaties", "application/json", "JSON"),
            Distribution("openapi", "OpenAPI-document", "/api/v1/openapi.json", "application/json", "JSON"),
            Distribution("rdf", "N-Triples, gzip (alle periodes)", "/data/igs-atlas.nt.gz", "application/gzip", "RDF"),
            Distribution("package", "Data Package (CSV)", "/data/datapackage.json", "application/json", "JSON"),
            *(
                Distribution(name, f"{name}.csv", f"/data/{name}.csv", "text/csv", "CSV")
                for name in ("organisaties", "gemeenten", "lidmaatschappen")
            ),
            Distribution(
                "gemeenten-geo",
                "Gemeentegrenzen 2025 (GeoJSON)",
                "/gemeenten.geojson",
                "application/geo+json",
                "GeoJSON",
            ),
        ),
    )
    out = [register]
    for layer in reg.layer_models():
        out.append(
            Dataset(
                f"laag-{layer.id}",
                f"Laag: {layer.titel}",
                layer.beschrijving,
                "Licentie per bron van de laag (zie bronnen); naamsvermelding gevraagd.",
                False,
                layer.bronnen,
                layer.volledig,
                (
                    Distribution("geo", "GeoJSON", f"/lagen/{layer.id}.geojson", "application/geo+json", "GeoJSON"),
                    Distribution("ttl", "Turtle", f"/lagen/{layer.id}.ttl", "text/turtle", "RDF"),
                    Distribution("api", "JSON-API", f"/api/v1/lagen/{layer.id}/regios", "application/json", "JSON"),
                ),
            )
        )
    out.append(
        Dataset(
            "analyse",
            "Analyse van het lappendeken",
            "Passing met de referentieregio's, overeenkomst tussen lagen, hiaten en netwerk.",
            EUPL,
            True,
            "Berekend door IGS-atlas uit het register",
            None,
            (
                Distribution("passing", "passing.csv", "/analyse/download/passing.csv", "text/csv", "CSV"),
                Distribution("lagen", "lagen.csv", "/analyse/lagen.csv", "text/csv", "CSV"),
                Distribution("hiaten", "hiaten.csv", "/analyse/hiaten.csv", "text/csv", "CSV"),
                Distribution("api", "JSON-API", "/api/v1/analyses/passing", "application/json", "JSON"),
            ),
        )
    )
    out.append(
        Dataset(
            "bevindingen",
            "Nalevingscontrole",
            "Elke regel van de rechtsvormen nagegaan voor elke organisatie, met artikels en zekerheid.",
            EUPL,
            True,
            "Berekend door IGS-atlas uit het register en de juridische referentie",
            None,
            (
                Distribution("csv", "bevindingen.csv", "/data/bevindingen.csv", "text/csv", "CSV"),
                Distribution("api", "JSON-API", "/api/v1/bevindingen", "application/json", "JSON"),
            ),
        )
    )
    return out


def triples(reg: OpenRegister, base_url: str, modified: datetime | None) -> Iterator[ox.Triple]:
    """The catalogue in DCAT-AP."""

    def n(ns: str, local: str) -> ox.NamedNode:
        return ox.NamedNode(ns + local)

    base = base_url.rstrip("/")
    catalogue = ox.NamedNode(f"{reg.uris.base}/id/catalogus")
    publisher = ox.NamedNode(reg.uris.atlas())
    yield ox.Triple(catalogue, TYPE, n(DCAT, "Catalog"))
    yield ox.Triple(catalogue, n(DCT, "title"), ox.Literal("IGS-atlas", language="nl"))
    yield ox.Triple(
        catalogue,
        n(DCT, "description"),
        ox.Literal("Open data over intergemeentelijke samenwerking in Vlaanderen.", language="nl"),
    )
    yield ox.Triple(catalogue, n(DCT, "publisher"), publisher)
    yield ox.Triple(catalogue, n(FOAF, "homepage"), ox.NamedNode(f"{base}/"))
    yield ox.Triple(publisher, TYPE, n(FOAF, "Agent"))
    yield ox.Triple(publisher, n(FOAF, "name"), ox.Literal("IGS-atlas"))
    when = ox.Literal(modified.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=n(XSD, "dateTime")) if modified else None
    if when is not None:
        yield ox.Triple(catalogue, n(DCT, "modified"), when)
    for d in datasets(reg):
        ds = ox.NamedNode(f"{reg.uris.base}/id/dataset/{d.key}")
        yield ox.Triple(catalogue, n(DCAT, "dataset"), ds)
        yield ox.Triple(ds, TYPE, n(DCAT, "Dataset"))
        yield ox.Triple(ds, n(DCT, "title"), ox.Literal(d.title, language="nl"))
        yield ox.Triple(ds, n(DCT, "description"), ox.Literal(d.description, language="nl"))
        yield ox.Triple(ds, n(DCT, "publisher"), publisher)
        yield ox.Triple(ds, n(DCT, "source"), ox.Literal(d.sources))
        if d.licence_confirmed:
            yield ox.Triple(ds, n(DCT, "license"), ox.NamedNode(d.licence))
        else:
            yield ox.Triple(ds, n(DCT, "rights"), ox.Literal(d.licence, language="nl"))
        if when is not None:
            yield ox.Triple(ds, n(DCT, "modified"), when)
        period = ox.NamedNode(f"{ds.value}/periode")
        yield ox.Triple(ds, n(DCT, "temporal"), period)
        yield ox.Triple(period, TYPE, n(DCT, "PeriodOfTime"))
        yield ox.Triple(period, n(DCAT, "startDate"), ox.Literal("2019-01-01", datatype=n(XSD, "date")))
        for dist in d.distributions:
            node = ox.NamedNode(f"{ds.value}/distributie/{dist.key}")
            yield ox.Triple(ds, n(DCAT, "distribution"), node)
            yield ox.Triple(node, TYPE, n(DCAT, "Distribution"))
            yield ox.Triple(node, n(DCT, "title"), ox.Literal(dist.title))
            yield ox.Triple(node, n(DCAT, "accessURL"), ox.NamedNode(base + dist.url))
            yield ox.Triple(node, n(DCAT, "mediaType"), ox.Literal(dist.media_type))
            yield ox.Triple(node, n(DCT, "format"), ox.Literal(dist.format))
            if d.licence_confirmed:
                yield ox.Triple(node, n(DCT, "license"), ox.NamedNode(d.licence))
