"""The search index from the register, and the search results document."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from igsatlas.documents.common import STATUS_LABELS, municipality_url, organisation_url
from igsatlas.documents.lists import cooperation_kind
from igsatlas.search import KIND_LABELS, Entry, normalise, search
from igsatlas.store import queries


def search_entries(conn: Connection) -> list[Entry]:
    """Every municipality (of every period) and every organisation, with the names and codes to find them by."""
    kinds = queries.classifications(conn)
    names = queries.all_names(conn)
    orgs = queries.organisations(conn)
    postcode_of = {o.id: o.postcode for o in orgs if o.postcode}
    entries = []
    for m in queries.all_municipalities(conn):
        span = f"tot {m.valid_to.year - 1}" if m.valid_to else (f"sinds {m.valid_from.year}" if m.valid_from else "")
        entries.append(
            Entry(
                kind="gemeente",
                title=m.name,
                detail=", ".join(x for x in ("Gemeente", m.province or m.region, span) if x),
                url=municipality_url(m),
                names=tuple({normalise(m.name), normalise(m.name_statbel or m.name)}),
                codes=(m.nis,),
                postcodes=(postcode_of[m.organisation_id],) if m.organisation_id in postcode_of else (),
                rank=0 if m.valid_to is None else 1,
            )
        )
    for o in orgs:
        if o.classification == "gemeente":
            continue
        kind = kinds[o.classification]
        status = STATUS_LABELS.get(o.status.value, "") if o.status else ""
        entries.append(
            Entry(
                kind=cooperation_kind(o.classification, kind.family),
                title=o.name,
                detail=", ".join(x for x in (kind.label, status) if x),
                url=organisation_url(o),
                names=tuple({normalise(n) for n in [o.name, *(names.get(o.id, []))] if n}),
                codes=tuple(c for c in (o.kbo, o.nis) if c),
                postcodes=(o.postcode,) if o.postcode else (),
                rank=0 if status == "actief" else 1,
            )
        )
    return entries


def search_document(entries: list[Entry], text: str) -> dict[str, Any]:
    results = search(entries, text)
    return {
        "zoekterm": results.query,
        "aantal": results.count,
        "groepen": [
            {
                "soort": kind,
                "titel": KIND_LABELS[kind],
                "resultaten": [{"naam": h.entry.title, "soort": h.entry.detail, "url": h.entry.url} for h in hits],
            }
            for kind, hits in results.groups.items()
        ],
    }
