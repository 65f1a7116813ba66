"""Linked data in the vocabulary the register itself uses (OSLO: org, besluit, regorg, generiek, skos, prov, dct).

An LBLOD consumer reads it without a mapping: organisations and memberships that came from the register keep
their LBLOD URIs, classifications, statuses and roles are the register's own concepts, and a KBO number is an
adms:Identifier with a generiek:GestructureerdeIdentificator as in the register. What the atlas adds (layer
regions, published interlokale verenigingen, derived memberships) gets URIs under the base-URI setting, and
every membership carries its source and date (dct:source, dct:date) and, when derived, prov:wasDerivedFrom.

Two clocks stay apart. Valid time is on the organisation (prov:startedAtTime, prov:invalidatedAtTime) and the
membership (org:memberDuring); the day a source attests a membership is its dct:date. Registration time (when the
atlas recorded the record, from which file or edit, until when) is on the atlas's record about it, a
dcat:CatalogRecord (foaf:primaryTopic, and foaf:isPrimaryTopicOf back): dct:created and prov:generatedAtTime,
dct:source, dct:modified (the newest change of a fact it shows) and prov:invalidatedAtTime once it is gone.
"""

from __future__ import annotations

import functools
import gzip
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from urllib.parse import quote

import pyoxigraph as ox

from igsatlas.domain.labels import UNNAMED
from igsatlas.domain.model import Membership, Municipality, Organisation
from igsatlas.opendata.conditional import weighted
from igsatlas.opendata.records import LBLOD_MEMBERSHIP, Uris
from igsatlas.state.view import RegisterView
from igsatlas.store.registration import FACTS, Registration, iso_moment

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
PREFIXES = {
    "org": "http://www.w3.org/ns/org#",
    "besluit": "http://data.vlaanderen.be/ns/besluit#",
    "regorg": "http://www.w3.org/ns/regorg#",
    "generiek": "https://data.vlaanderen.be/ns/generiek#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dct": "http://purl.org/dc/terms/",
    "adms": "http://www.w3.org/ns/adms#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "m8g": "http://data.europa.eu/m8g/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": XSD,
    "ext": "http://mu.semte.ch/vocabularies/ext/",
    "mu": "http://mu.semte.ch/vocabularies/core/",
}
ROLE_URIS = {
    "participant": "http://data.lblod.info/id/rollen/2152eb830b1143bfb97a7dd9596d6c63",
    "gerelateerd": "http://data.lblod.info/id/rollen/4ec7d5c39bdc4e84b4174379b9e22ad8",
    "stichtend-lid": "http://data.lblod.info/id/rollen/73d5e1cf250d42fab15926771f07505a",
    "lid": "http://data.lblod.info/id/rollen/93c48754610c45e6bd9a894d2720a53d",
}
STATUS_URIS = {
    "actief": "http://lblod.data.gift/concepts/63cc561de9188d64ba5840a42ae8f0d6",
    "niet-actief": "http://lblod.data.gift/concepts/d02c4e12bf88d2fdf5123b07f29c9311",
    "in-oprichting": "http://lblod.data.gift/concepts/abf4fee82019f88cf122f986830621ab",
}
REGISTERED = "http://data.vlaanderen.be/id/concept/GeregistreerdeOrganisatieClassificatieCode/"
REFNIS = {"2025": "http://vocab.belgif.be/auth/refnis2025/", "2019": "http://vocab.belgif.be/auth/refnis2019/"}
KBO_NOTATION = "KBO nummer"
FORMATS = {
    "ttl": (ox.RdfFormat.TURTLE, "text/turtle; charset=utf-8"),
    "jsonld": (ox.RdfFormat.JSON_LD, "application/ld+json"),
    "nt": (ox.RdfFormat.N_TRIPLES, "application/n-triples"),
}
MEDIA_TYPES = {"text/turtle": "ttl", "application/ld+json": "jsonld", "application/n-triples": "nt"}


def _n(prefix: str, local: str) -> ox.NamedNode:
    return ox.NamedNode(PREFIXES[prefix] + local)


TYPE = ox.NamedNode(RDF + "type")
PREF_LABEL, ALT_LABEL = _n("skos", "prefLabel"), _n("skos", "altLabel")


def _text(value: str) -> ox.Literal:
    return ox.Literal(value)


def _day(value: date) -> ox.Literal:
    return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))


@functools.lru_cache(maxsize=256)
def _moment(value: datetime) -> ox.Literal:
    """A moment of the change log as xsd:dateTime (one literal per moment: a write has one moment for all)."""
    return ox.Literal(iso_moment(value), datatype=ox.NamedNode(XSD + "dateTime"))


@functools.lru_cache(maxsize=256)
def _plain(value: str) -> ox.Literal:
    return ox.Literal(value)


TOPIC_OF, TOPIC, RECORD = _n("foaf", "isPrimaryTopicOf"), _n("foaf", "primaryTopic"), _n("dcat", "CatalogRecord")
CREATED, GENERATED, MODIFIED = _n("dct", "created"), _n("prov", "generatedAtTime"), _n("dct", "modified")
SOURCE, INVALIDATED = _n("dct", "source"), _n("prov", "invalidatedAtTime")


def registration(
    me: ox.NamedNode, record: str, found: Registration | None, facts: tuple[str, ...]
) -> Iterator[ox.Triple]:
    """The atlas's record about ``me``: when it was registered, from which source, until when (registration time,
    never the valid period of ``me`` itself)."""
    if found is None:
        return
    rec = ox.NamedNode(record)
    since = _moment(found.since.at)
    yield ox.Triple(me, TOPIC_OF, rec)
    yield ox.Triple(rec, TYPE, RECORD)
    yield ox.Triple(rec, TOPIC, me)
    yield ox.Triple(rec, CREATED, since)
    yield ox.Triple(rec, GENERATED, since)
    yield ox.Triple(rec, SOURCE, _plain(found.since.source))
    if found.facts:
        newest = max(found.of(c).at for c in facts)
        if newest > found.since.at:
            yield ox.Triple(rec, MODIFIED, _moment(newest))
    if found.until is not None:
        yield ox.Triple(rec, INVALIDATED, _moment(found.until))


class Triples:
    """Builds the triples of a snapshot's records."""

    def __init__(self, snapshot: RegisterView, uris: Uris) -> None:
        self.s = snapshot
        self.uris = uris
        self.municipal = snapshot.municipal_organisations()

    def classification_uri(self, code: str) -> str:
        kind = self.s.classifications.get(code)
        return kind.uri if kind and kind.uri else f"{self.uris.base}/id/concept/classificatie/{code}"

    def organisation(self, o: Organisation) -> Iterator[ox.Triple]:
        me = ox.NamedNode(self.uris.organisation(o))
        yield ox.Triple(me, TYPE, _n("org", "Organization"))
        kind_uri = self.classification_uri(o.classification)
        family = (
            self.s.classifications[o.classification].family.value if o.classification in self.s.classifications else ""
        )
        if kind_uri.startswith(REGISTERED):
            yield ox.Triple(me, TYPE, _n("regorg", "RegisteredOrganization"))
        elif family != "regio":
            yield ox.Triple(me, TYPE, _n("besluit", "Bestuurseenheid"))
        yield ox.Triple(me, _n("mu", "uuid"), _text(o.id))
        yield ox.Triple(me, _n("org", "classification"), ox.NamedNode(kind_uri))
        if o.name != UNNAMED:  # the register gives no name: publish none rather than our placeholder
            yield ox.Triple(me, PREF_LABEL, _text(o.name))
        if o.legal_name:
            yield ox.Triple(me, _n("regorg", "legalName"), _text(o.legal_name))
        for alt in self.s.names.get(o.id, []):
            yield ox.Triple(me, ALT_LABEL, _text(alt))
        for alt in self.s.region_names.get(o.id, []):  # the name a layer's source uses: for search, not display
            yield ox.Triple(me, _n("skos", "hiddenLabel"), _text(alt))
        if o.status is not None:
            yield ox.Triple(me, _n("regorg", "orgStatus"), ox.NamedNode(STATUS_URIS[o.status.value]))
        if o.kbo:
            ident = ox.NamedNode(f"{self.uris.base}/id/identificator/{_safe(o.id)}/kbo")
            value = ox.NamedNode(f"{self.uris.base}/id/identificator/{_safe(o.id)}/kbo/waarde")
            yield ox.Triple(me, _n("adms", "identifier"), ident)
            yield ox.Triple(ident, TYPE, _n("adms", "Identifier"))
            yield ox.Triple(ident, _n("skos", "notation"), _text(KBO_NOTATION))
            yield ox.Triple(ident, _n("generiek", "gestructureerdeIdentificator"), value)
            yield ox.Triple(value, TYPE, _n("generiek", "GestructureerdeIdentificator"))
            yield ox.Triple(value, _n("generiek", "lokaleIdentificator"), _text(o.kbo))
        if o.website:
            yield ox.Triple(me, _n("foaf", "page"), _text(o.website))
        if o.valid_from:
            yield ox.Triple(me, _n("prov", "startedAtTime"), _day(o.valid_from))
        if o.valid_to:
            yield ox.Triple(me, _n("prov", "invalidatedAtTime"), _day(o.valid_to))
        yield ox.Triple(me, _n("dct", "source"), _source(o.source))
        if o.uri is None:
            yield ox.Triple(me, _n("prov", "wasAttributedTo"), ox.NamedNode(self.uris.atlas()))
        muni = self.municipal.get(o.id)
        if muni is not None:
            yield ox.Triple(me, _n("besluit", "werkingsgebied"), ox.NamedNode(self.uris.municipality(muni.nis)))
        for r in self.s.regions_of.get(o.id, []):
            yield ox.Triple(me, _n("dct", "spatial"), ox.NamedNode(self.uris.region(r.layer_id, r.key)))
        record = f"{self.uris.base}/id/registratie/organisatie/{_safe(o.id)}"
        yield from registration(me, record, self.s.registered.organisations.get(o.id), FACTS["organisation"])

    def membership(self, ms: Membership) -> Iterator[ox.Triple]:
        me = ox.NamedNode(self.uris.membership(ms))
        yield ox.Triple(me, TYPE, _n("org", "Membership"))
        yield ox.Triple(me, _n("mu", "uuid"), _text(ms.id))
        yield ox.Triple(
            me, _n("org", "member"), ox.NamedNode(self.uris.organisation(self.s.organisations[ms.member_id]))
        )
        yield ox.Triple(
            me,
            _n("org", "organization"),
            ox.NamedNode(self.uris.organisation(self.s.organisations[ms.organisation_id])),
        )
        yield ox.Triple(me, _n("org", "role"), ox.NamedNode(ROLE_URIS[ms.role.value]))
        if ms.valid_from or ms.valid_to:
            period = ox.NamedNode(f"{me.value}/periode")
            yield ox.Triple(me, _n("org", "memberDuring"), period)
            yield ox.Triple(period, TYPE, _n("m8g", "PeriodOfTime"))
            if ms.valid_from:
                yield ox.Triple(period, _n("dcat", "startDate"), _day(ms.valid_from))
            if ms.valid_to:
                yield ox.Triple(period, _n("dcat", "endDate"), _day(ms.valid_to))
        yield ox.Triple(me, _n("dct", "source"), _source(ms.source))
        when = ms.source_date.isoformat() if ms.source_date else ms.source_date_text
        if when:
            yield ox.Triple(me, _n("dct", "date"), _day(ms.source_date) if ms.source_date else _text(when))
        if ms.layer_id:
            yield ox.Triple(me, _n("dct", "isPartOf"), ox.NamedNode(self.uris.layer(ms.layer_id)))
        if ms.derived_from:
            source = self.s.membership_by_id.get(ms.derived_from)
            target = self.uris.membership(source) if source else ms.derived_from
            yield ox.Triple(me, _n("prov", "wasDerivedFrom"), _iri_or_text(target))
        if ms.origin != "lblod":
            yield ox.Triple(me, _n("prov", "wasAttributedTo"), ox.NamedNode(self.uris.atlas()))
        if ms.note:
            yield ox.Triple(me, _n("skos", "note"), _text(ms.note))
        record = f"{self.uris.base}/id/registratie/lidmaatschap/{_safe(ms.id)}"
        yield from registration(me, record, self.s.registered.memberships.get(ms.id), FACTS["membership"])

    def municipality(self, x: Municipality) -> Iterator[ox.Triple]:
        me = ox.NamedNode(self.uris.municipality(x.nis))
        yield ox.Triple(me, TYPE, _n("prov", "Location"))
        yield ox.Triple(me, _n("rdfs", "label"), _text(x.name))
        yield ox.Triple(me, _n("ext", "werkingsgebiedNiveau"), _text("Gemeente"))
        yield ox.Triple(me, _n("skos", "exactMatch"), ox.NamedNode(REFNIS["2025" if x.in_set_2025 else "2019"] + x.nis))
        if x.valid_from:
            yield ox.Triple(me, _n("prov", "startedAtTime"), _day(x.valid_from))
        if x.valid_to:
            yield ox.Triple(me, _n("prov", "invalidatedAtTime"), _day(x.valid_to))
        if x.successor_nis:
            yield ox.Triple(me, _n("dct", "isReplacedBy"), ox.NamedNode(self.uris.municipality(x.successor_nis)))

    def layers(self) -> Iterator[ox.Triple]:
        for layer in self.s.layers.values():
            me = ox.NamedNode(self.uris.layer(layer.id))
            yield ox.Triple(me, TYPE, _n("skos", "ConceptScheme"))
            yield ox.Triple(me, PREF_LABEL, _text(layer.id))
            yield ox.Triple(me, _n("dct", "description"), _text(layer.description))
            yield ox.Triple(me, _n("dct", "source"), _text(layer.sources))
        for r in self.s.regions:
            me = ox.NamedNode(self.uris.region(r.layer_id, r.key))
            yield ox.Triple(me, TYPE, _n("skos", "Concept"))
            yield ox.Triple(me, TYPE, _n("prov", "Location"))
            yield ox.Triple(me, PREF_LABEL, _text(r.name))
            yield ox.Triple(me, _n("skos", "notation"), _text(r.key))
            yield ox.Triple(me, _n("skos", "inScheme"), ox.NamedNode(self.uris.layer(r.layer_id)))

    def everything(self) -> Iterator[ox.Triple]:
        for o in sorted(self.s.organisations.values(), key=lambda o: o.id):
            yield from self.organisation(o)
        for ms in self.s.memberships:
            yield from self.membership(ms)
        for x in sorted(self.s.municipalities.values(), key=lambda x: x.nis):
            yield from self.municipality(x)
        yield from self.layers()

    def about_organisation(self, o: Organisation) -> Iterator[ox.Triple]:
        """An organisation, its memberships both ways, and the names of the other ends."""
        yield from self.organisation(o)
        others: set[str] = set()
        for ms in [*self.s.members_of.get(o.id, []), *self.s.memberships_of.get(o.id, [])]:
            yield from self.membership(ms)
            others.update((ms.member_id, ms.organisation_id))
        for other in sorted(others - {o.id}):
            found = self.s.organisations[other]
            yield ox.Triple(ox.NamedNode(self.uris.organisation(found)), PREF_LABEL, _text(found.name))

    def about_municipality(self, x: Municipality) -> Iterator[ox.Triple]:
        yield from self.municipality(x)
        if x.organisation_id and x.organisation_id in self.s.organisations:
            yield from self.about_organisation(self.s.organisations[x.organisation_id])
        for ms in self.s.memberships:
            if ms.member_nis == x.nis:
                yield from self.membership(ms)

    def about_layer(self, layer_id: str) -> Iterator[ox.Triple]:
        own, regions = self.uris.layer(layer_id), f"{self.uris.base}/id/regio/{layer_id}/"
        for t in self.layers():
            subject = str(getattr(t.subject, "value", ""))
            if subject == own or subject.startswith(regions):
                yield t
        for ms in self.s.memberships:
            if ms.layer_id == layer_id:
                yield from self.membership(ms)


def _safe(text: str) -> str:
    return quote(text, safe="")


def _iri_or_text(value: str) -> ox.NamedNode | ox.Literal:
    return ox.NamedNode(value) if value.startswith(("http://", "https://")) else ox.Literal(value)


def _source(value: str) -> ox.NamedNode | ox.Literal:
    return _iri_or_text(value) if " " not in value else ox.Literal(value)


def serialise(triples: Iterable[ox.Triple], kind: str) -> bytes:
    """Triples as Turtle (with the register's prefixes), JSON-LD or N-Triples."""
    fmt, _ = FORMATS[kind]
    if kind == "ttl":
        return bytes(ox.serialize(triples, format=fmt, prefixes=PREFIXES) or b"")
    out = bytes(ox.serialize(triples, format=fmt) or b"")
    if kind == "jsonld":  # with the prefixes as the context, so a reader sees org:, besluit:, ...
        expanded = json.loads(out)
        return json.dumps({"@context": PREFIXES, "@graph": expanded}, ensure_ascii=False).encode()
    return out


def dump(snapshot: RegisterView, uris: Uris) -> bytes:
    """The whole snapshot as gzipped N-Triples, sorted (the same register gives the same bytes)."""
    lines = sorted(set(serialise(Triples(snapshot, uris).everything(), "nt").splitlines()))
    return gzip.compress(b"\n".join(lines) + b"\n", mtime=0)


def wants(accept: str) -> str | None:
    """The RDF format an Accept header prefers over HTML, or None."""
    best: tuple[float, str] | None = None
    for media, q in weighted(accept):
        kind = MEDIA_TYPES.get(media)
        if media in ("text/html", "application/xhtml+xml", "*/*"):
            kind = "html"
        if kind and (best is None or q > best[0]):
            best = (q, kind)
    return best[1] if best and best[1] != "html" else None


__all__ = ["LBLOD_MEMBERSHIP", "Triples", "dump", "serialise", "wants"]
