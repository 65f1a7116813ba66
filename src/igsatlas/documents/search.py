"""The search index from the register, and the search results document."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from igsatlas.documents.common import STATUS_LABELS, municipality_url, organisation_url
from igsatlas.documents.layer import layer_title, layer_titles, title_of
from igsatlas.documents.lists import cooperation_kind
from igsatlas.documents.region import region_url
from igsatlas.domain.model import Municipality
from igsatlas.search import KIND_LABELS, SYNONYMS, Entry, Hit, Index, Reading, normalise, search
from igsatlas.search.words import LAYER_NAMES
from igsatlas.store import queries, relations
from igsatlas.store import schema as t

_QUALIFIER = re.compile(r"\s*\([^)]*\)")


def _layer_name(layer_id: str) -> str:
    """The layer's title; for a layer without one yet, its id as words ("toeristische-regio" -> "Toeristische
    regio"), never a code."""
    title = layer_title(layer_id)
    return title if title != layer_id else layer_id.replace("-", " ").capitalize()


def _municipality_names(m: Municipality) -> tuple[str, ...]:
    """Its name and Statbel's, without a qualifier such as '(Gent)' that would match the other municipality."""
    return tuple(dict.fromkeys([normalise(m.name), normalise(_QUALIFIER.sub("", m.name_statbel or m.name))]))


def search_entries(conn: Connection, today: date | None = None) -> Index:
    """Every municipality (of every period), deelgemeente, organisation and layer, with the names and codes to
    find them by, what kind of thing each is, the municipalities it serves on ``today`` and its themes."""
    day = today or date.today()
    kinds = queries.classifications(conn)
    names = queries.all_names(conn)
    orgs = queries.organisations(conn)
    munis = queries.all_municipalities(conn)
    by_nis = {m.nis: m for m in munis}
    postcode_of = {o.id: o.postcode for o in orgs if o.postcode}
    themes = queries.theme_labels(conn)
    titles = layer_titles(conn)
    layers_of: dict[str, list[str]] = defaultdict(list)
    regions_of: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in conn.execute(select(t.region.c.organisation_id, t.region.c.layer_id, t.region.c.key)):
        layers_of[r.organisation_id].append(r.layer_id)
        regions_of[r.organisation_id].append((r.layer_id, r.key))
    today_munis = queries.municipalities_on(conn, day, region=None)
    served = relations.municipal_members(conn, [o.id for o in orgs], day, today_munis)
    place_name = {m.nis: normalise(m.name) for m in munis}
    entries = []
    places: dict[str, set[str]] = defaultdict(set)
    for m in munis:
        here = {m.nis, *([m.successor_nis] if m.successor_nis else [])}
        for name in _municipality_names(m):
            places[name] |= here
        entries.append(_municipality(m, by_nis, postcode_of, here))
    entries += _localities(conn, by_nis, places)
    entries += _layers(conn)
    for o in orgs:
        if o.classification == "gemeente":
            continue
        kind = kinds[o.classification]
        status = STATUS_LABELS.get(o.status.value, "") if o.status else ""
        layers = sorted(set(layers_of.get(o.id, [])))
        if layers and o.classification == "regio":
            detail = "Regio van de laag " + ", ".join(titles[x] for x in layers)
        else:
            also = f"; regio van de laag {', '.join(titles[x] for x in layers)}" if layers else ""
            detail = ", ".join(x for x in (kind.label, status) if x) + also
        own_region = o.classification == "regio" and regions_of.get(o.id)
        serves = frozenset(served.get(o.id, set()) | ({o.nis} if o.nis else set()))
        entries.append(
            Entry(
                kind=cooperation_kind(o.classification, kind.family),
                title=o.name,
                detail=detail,
                url=region_url(*regions_of[o.id][0]) if own_region else organisation_url(o),
                names=tuple(dict.fromkeys(normalise(n) for n in [o.name, *(names.get(o.id, []))] if n)),  # name first
                codes=tuple(c for c in (o.kbo, o.nis) if c),
                postcodes=(o.postcode,) if o.postcode else (),
                rank=0 if status == "actief" or (not status and o.valid_to is None) else 1,
                kinds=frozenset({o.classification, kind.family.value, *(f"laag:{x}" for x in layers)}),
                places=serves,
                themes=tuple(normalise(x) for x in themes.get(o.id, [])),
                place_names=tuple(sorted({place_name[n] for n in serves if n in place_name})),
            )
        )
    frozen = {k: frozenset(v) for k, v in places.items()}
    return Index.of(entries, frozen, _regions(entries, today_munis, frozen), day)


def _municipality(
    m: Municipality, by_nis: dict[str, Municipality], postcode_of: dict[str, str], here: set[str]
) -> Entry:
    successor = by_nis.get(m.successor_nis or "")
    span = (
        f"tot {m.valid_to.year - 1}, nu {successor.name}"
        if m.valid_to and successor
        else f"tot {m.valid_to.year - 1}"
        if m.valid_to
        else (f"sinds {m.valid_from.year}" if m.valid_from else "")
    )
    return Entry(
        kind="gemeente",
        title=m.name,
        detail=", ".join(x for x in ("Gemeente", m.province or m.region, span) if x),
        url=municipality_url(m),
        names=_municipality_names(m),
        codes=(m.nis,),
        postcodes=(postcode_of[m.organisation_id],) if m.organisation_id in postcode_of else (),
        rank=0 if m.valid_to is None else 1,
        places=frozenset(here),
    )


# Layers whose regions are places people name ("Kempen", "Waasland", "Meetjesland", "Pajottenland").
PLACE_LAYERS = ("laag:referentieregio", "laag:streekwerking", "laag:toeristische-regio", "laag:elz")
_REGION_NOISE = re.compile(r"^(regio|lag?e?) |\b(verv|streekwerking|excl kustgemeenten)\b")


def _regions(
    entries: list[Entry], today: list[Municipality], places: dict[str, frozenset[str]]
) -> dict[str, frozenset[str]]:
    """Region and province names -> the municipalities of today in them (a municipality's own name wins)."""
    found: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        if e.kind == "regio" and e.kinds.intersection(PLACE_LAYERS):
            for name in e.names:
                key = " ".join(_REGION_NOISE.sub(" ", name).split())
                if key and key not in places:
                    found[key] |= e.places
    for m in today:
        if m.province:
            found[normalise(m.province)].add(m.nis)
    return {k: frozenset(v) for k, v in found.items() if v}


def _layers(conn: Connection) -> list[Entry]:
    """Each thematic layer, found by its title and the everyday words for it; its page lists its regions."""
    out = []
    for layer in queries.layers(conn):
        title = title_of(layer)
        words = [w for w, kinds in SYNONYMS.items() if f"laag:{layer.id}" in kinds]
        names = {normalise(title), normalise(layer.id), *LAYER_NAMES.get(layer.id, ()), *words}
        out.append(
            Entry(
                kind="laag",
                title=title,
                detail=f"Thematische laag, {layer.n_regions} regio's",
                url=f"/lagen/{layer.id}",
                names=tuple(sorted(names)),
                kinds=frozenset({f"laag:{layer.id}"}),
            )
        )
    return out


def _localities(conn: Connection, by_nis: dict[str, Municipality], places: dict[str, set[str]]) -> list[Entry]:
    """Deelgemeenten (postal localities) that are not the municipality itself: found by name and postcode."""
    out = []
    municipal_names = set(places)
    for row in conn.execute(select(t.locality).order_by(t.locality.c.name, t.locality.c.postcode)):
        muni = by_nis.get(row.nis_2025)
        if muni is None:
            continue
        key = normalise(row.name)
        if key not in municipal_names:  # "Aalst" is the municipality, not the village of Sint-Truiden
            places[key] |= {row.nis_2025, row.nis_2019}
        if key == normalise(muni.name):
            continue  # the municipality's own entry already answers
        out.append(
            Entry(
                kind="plaats",
                title=row.name,
                detail=f"deelgemeente van {muni.name}, postcode {row.postcode}",
                url=municipality_url(muni),
                names=(key,),
                postcodes=(row.postcode,),
                rank=0,
                places=frozenset({row.nis_2025, row.nis_2019}),
            )
        )
    return out


KIND_WORDS = {
    "politiezone": ("politiezones", "/lagen/politiezone"),
    "hulpverleningszone": ("hulpverleningszones (brandweer)", "/lagen/hulpverleningszone"),
    "ocmw": ("OCMW's", "/organisaties?vorm=ocmw"),
    "welzijnsvereniging": ("welzijnsverenigingen", "/samenwerkingsverbanden?vorm=welzijnsvereniging"),
    "igs": ("intergemeentelijke samenwerkingsverbanden", "/samenwerkingsverbanden"),
    "projectvereniging": ("projectverenigingen", "/samenwerkingsverbanden?vorm=projectvereniging"),
    "dienstverlenende-vereniging": (
        "dienstverlenende verenigingen",
        "/samenwerkingsverbanden?vorm=dienstverlenende-vereniging",
    ),
    "opdrachthoudende-vereniging": (
        "opdrachthoudende verenigingen",
        "/samenwerkingsverbanden?vorm=opdrachthoudende-vereniging",
    ),
    "interlokale-vereniging": ("interlokale verenigingen", "/samenwerkingsverbanden?vorm=interlokale-vereniging"),
    "autonoom-gemeentebedrijf": ("autonome gemeentebedrijven", "/organisaties?vorm=autonoom-gemeentebedrijf"),
    "autonoom-provinciebedrijf": ("autonome provinciebedrijven", "/organisaties?vorm=autonoom-provinciebedrijf"),
    "ziekenhuisvereniging": ("ziekenhuisverenigingen", "/samenwerkingsverbanden?vorm=ziekenhuisvereniging"),
    "district": ("districten", "/organisaties?vorm=district"),
    "provincie": ("provincies", "/organisaties?vorm=provincie"),
}


def kinds_named(r: Reading | None) -> list[dict[str, str]]:
    """The list pages of the kinds a query named: 'politie' -> the police zones' layer."""
    if r is None:
        return []
    found = {KIND_WORDS[k] for k in r.primary if k in KIND_WORDS}
    found |= {(_layer_name(k[5:]), f"/lagen/{k[5:]}") for k in r.primary if k.startswith("laag:")}
    return [{"naam": name, "url": url} for name, url in sorted(found)]


def understood(r: Reading | None, index: Index | None = None, unknown: list[str] | None = None) -> str | None:
    """How the atlas read a query of kinds and a place, in words ("politiezones voor Gent")."""
    if r is None:
        return None
    place = r.place_words
    if index is not None:
        place = index.place_titles.get(r.place_words, place.title())
    what = ", ".join(sorted(name for name in (KIND_WORDS.get(k, ("",))[0] for k in r.primary) if name))
    if not what:
        what = ", ".join(sorted(_layer_name(k[5:]) for k in r.primary if k.startswith("laag:")))
    what = what or "samenwerkingsverbanden"
    rest = [x for x in r.rest if x not in (unknown or [])]
    if rest:
        what += " met " + " ".join(f"\u2018{x}\u2019" for x in rest)
    if r.place:
        what += f" voor {place}"
    return what


def _result(h: Hit) -> dict[str, str]:
    return {"naam": h.entry.title, "soort": h.entry.detail, "url": h.entry.url}


def search_document(index: Index | list[Entry], text: str) -> dict[str, Any]:
    """The results, best first and by kind; what was read; "bedoelde u" when a word was corrected; and the list
    pages of the kinds named, so that a search never ends with nothing to follow."""
    results = search(index, text)
    meant = " ".join(results.corrections.get(w, w) for w in normalise(text).split()) if results.corrections else None
    order = sorted(results.groups, key=lambda kind: -results.groups[kind][0].score)
    return {
        "zoekterm": results.query,
        "aantal": results.count,
        "gelezen_als": understood(results.reading, index if isinstance(index, Index) else None, results.unknown),
        "onbekend": results.unknown,
        "bedoelde_u": meant,
        "dichtstbij": results.closest,
        "soorten": kinds_named(results.reading),
        "resultaten": [_result(h) for h in results.ranked[:10]],
        "groepen": [
            {"soort": kind, "titel": KIND_LABELS[kind], "resultaten": [_result(h) for h in results.groups[kind]]}
            for kind in order
        ],
    }


SUGGESTIONS = 8


def suggestions_document(index: Index, text: str) -> dict[str, Any]:
    """The best few results while someone types (for the search box's list of suggestions)."""
    results = search(index, text, limit=SUGGESTIONS)
    return {
        "zoekterm": results.query,
        "suggesties": [_result(h) for h in results.ranked[:SUGGESTIONS]],
    }
