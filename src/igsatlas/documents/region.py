"""The page of a region of a thematic layer: its layer, its municipalities on the day, the organisation behind it
(when there is one) and its sources. A region is not a legal person: its page shows no empty KBO or address."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection

from igsatlas.documents.common import Uris, iso, municipality_brief, organisation_brief, vintage
from igsatlas.documents.layer import layer_model, layer_titles, not_yet, title_of
from igsatlas.domain import classifications as cls
from igsatlas.domain.model import Region
from igsatlas.errors import NotFoundError
from igsatlas.opendata import records
from igsatlas.store import queries, relations


def region_url(layer_id: str, key: str) -> str:
    return f"/regios/{layer_id}/{quote(key, safe='')}"


def find_region(conn: Connection, layer_id: str, key: str) -> Region:
    layer = queries.layer(conn, layer_id)  # an unknown layer is layer-not-found
    found = next((r for r in queries.regions(conn, layer_id) if r.key == key), None)
    if found is None:
        raise NotFoundError(
            f"De laag {title_of(layer)} heeft geen regio '{key}'.",
            code="region-not-found",
            hint=f"Kies een regio op /lagen/{layer_id}.",
        )
    return found


def region_document(conn: Connection, layer_id: str, key: str, day: date, uris: Uris) -> dict[str, Any]:
    """The region (the API's Regio), its layer (Laag), the organisation behind it and its municipalities."""
    region = find_region(conn, layer_id, key)
    layer = queries.layer(conn, layer_id)
    org = queries.organisation(conn, region.organisation_id)
    assert org is not None
    kinds = queries.classifications(conn)
    absent = not_yet(layer_id, day)
    members = [] if absent else [m for m in relations.members(conn, org.id, day) if m.membership.layer_id == layer_id]
    munis = sorted(
        {m.municipality.nis: m.municipality for m in members if m.municipality}.values(), key=lambda m: m.name
    )
    sources = sorted(
        {(m.membership.source, m.membership.source_date_text or iso(m.membership.source_date) or "") for m in members}
    )
    titles = layer_titles(conn)
    same_name = [
        {"laag": r.layer_id, "titel": titles[r.layer_id], "naam": r.name, "url": region_url(r.layer_id, r.key)}
        for other in queries.layers(conn)
        if other.id != layer_id
        for r in queries.regions(conn, other.id)
        if r.name.casefold() == region.name.casefold()
    ]
    behind = org if org.classification != cls.REGION.code else None
    return {
        "op": day.isoformat(),
        "regio": records.region(region, [m.nis for m in munis], uris).model_dump(mode="json"),
        "url": region_url(layer_id, region.key),
        "laag": layer_model(layer),
        "laag_bestond_nog_niet": absent,
        "organisatie": organisation_brief(behind, kinds[behind.classification], uris) if behind else None,
        "gemeenten": [
            {
                "gemeente": municipality_brief(m),
                "afgeleid": any(x.membership.derived_from for x in members if x.municipality == m),
            }
            for m in munis
        ],
        "zelfde_naam_in_andere_lagen": same_name,
        "bronnen": [{"bron": s, "datum": d or None} for s, d in sources],
        "kaart": {"set": vintage(day), "leden": [m.nis for m in munis]},
    }
