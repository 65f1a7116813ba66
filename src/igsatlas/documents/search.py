"""The search index from the register, and the search results document."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from igsatlas.documents.common import STATUS_LABELS, municipality_url, organisation_url
from igsatlas.documents.layer import layer_title, layer_titles
from igsatlas.documents.lists import cooperation_kind
from igsatlas.documents.region import region_url
from igsatlas.domain.model import Municipality
from igsatlas.search import KIND_LABELS, Entry, Index, Reading, normalise, search
from igsatlas.store import queries, relations
from igsatlas.store import schema as t

_QUALIFIER = re.compile(r"\s*\([^)]*\)")


def _municipality_names(m: Municipality) -> tuple[str, ...]:
    """Its name and Statbel's, without a qualifier such as '(Gent)' that would match the other municipality."""
    return tuple({normalise(m.name), normalise(_QUALIFIER.sub("", m.name_statbel or m.name))})


def search_entries(conn: Connection, today: date | None = None) -> Index:
    """Every municipality (of every period), deelgemeente and organisation, with the names and codes to find them
    by, what kind of thing each is, the municipalities it serves today and its themes."""
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
    entries = []
    places: dict[str, set[str]] = defaultdict(set)
    for m in munis:
        here = {m.nis, *([m.successor_nis] if m.successor_nis else [])}
        for name in _municipality_names(m):
            places[name] |= here
        successor = by_nis.get(m.successor_nis or "")
        span = (
            f"tot {m.valid_to.year - 1}, nu {successor.name}"
            if m.valid_to and successor
            else f"tot {m.valid_to.year - 1}"
            if m.valid_to
            else (f"sinds {m.valid_from.year}" if m.valid_from else "")
        )
        entries.append(
            Entry(
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
        )
    entries += _localities(conn, by_nis, places)
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
        entries.append(
            Entry(
                kind=cooperation_kind(o.classification, kind.family),
                title=o.name,
                detail=detail,
                url=region_url(*regions_of[o.id][0]) if own_region else organisation_url(o),
                names=tuple({normalise(n) for n in [o.name, *(names.get(o.id, []))] if n}),
                codes=tuple(c for c in (o.kbo, o.nis) if c),
                postcodes=(o.postcode,) if o.postcode else (),
                rank=0 if status == "actief" or (not status and o.valid_to is None) else 1,
                kinds=frozenset({o.classification, kind.family.value, *(f"laag:{x}" for x in layers)}),
                places=frozenset(served.get(o.id, set()) | ({o.nis} if o.nis else set())),
                themes=tuple(normalise(x) for x in themes.get(o.id, [])),
            )
        )
    return Index.of(entries, {k: frozenset(v) for k, v in places.items()})


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
    "politiezone": "politiezones",
    "hulpverleningszone": "hulpverleningszones (brandweer)",
    "ocmw": "OCMW's",
    "welzijnsvereniging": "welzijnsverenigingen",
    "igs": "intergemeentelijke samenwerkingsverbanden",
    "projectvereniging": "projectverenigingen",
    "dienstverlenende-vereniging": "dienstverlenende verenigingen",
    "opdrachthoudende-vereniging": "opdrachthoudende verenigingen",
    "interlokale-vereniging": "interlokale verenigingen",
    "autonoom-gemeentebedrijf": "autonome gemeentebedrijven",
}


def understood(r: Reading | None, index: Index | None = None) -> str | None:
    """How the atlas read a query of kinds, themes and a place, in words ("politiezones voor Gent")."""
    if r is None:
        return None
    place = r.place_words
    if index is not None:
        place = next(
            (e.title for e in index.entries if e.kind in ("gemeente", "plaats") and r.place_words in e.names), place
        )
    kinds = sorted({KIND_WORDS[k] for k in r.kinds if k in KIND_WORDS})
    if not kinds:
        kinds = sorted({layer_title(k.removeprefix("laag:")) for k in r.kinds if k.startswith("laag:")})
    what = ", ".join(kinds) or "samenwerkingsverbanden"
    if r.themes:
        what += " met thema " + ", ".join(f"'{x}'" for x in r.themes)
    if r.place:
        what += f" voor {place}"
    return what


def search_document(index: Index | list[Entry], text: str) -> dict[str, Any]:
    results = search(index, text)
    return {
        "zoekterm": results.query,
        "aantal": results.count,
        "gelezen_als": understood(results.reading, index if isinstance(index, Index) else None),
        "groepen": [
            {
                "soort": kind,
                "titel": KIND_LABELS[kind],
                "resultaten": [{"naam": h.entry.title, "soort": h.entry.detail, "url": h.entry.url} for h in hits],
            }
            for kind, hits in results.groups.items()
        ],
    }
