"""The laag page: all regions of a thematic layer, their members, and the municipalities it does not cover."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, func, select

from igsatlas.documents.common import Uris, municipality_brief, organisation_url, vintage
from igsatlas.domain.labels import LAYER_DESCRIPTIONS as LAYER_DESCRIPTIONS
from igsatlas.domain.labels import LAYER_TITLES as LAYER_TITLES
from igsatlas.domain.labels import description_of as description_of
from igsatlas.domain.labels import layer_title as layer_title
from igsatlas.domain.labels import title_of as title_of
from igsatlas.domain.model import Layer, Municipality
from igsatlas.domain.policy_domains import OTHER, by_domain
from igsatlas.opendata import records
from igsatlas.store import queries, relations
from igsatlas.store import schema as t


def layer_titles(conn: Connection) -> dict[str, str]:
    """Layer id -> its Dutch title, for every layer of the register."""
    return {x.id: title_of(x) for x in queries.layers(conn)}


# The first day of a layer, where its legal basis in regions/layers.csv names one; before it the layer did not
# exist and its regions are not shown. The other layers' sources give no start: their pages say so instead.
LAYER_SINCE: dict[str, tuple[date, str]] = {
    "referentieregio": (
        date(2021, 3, 12),
        "de beslissing van de Vlaamse Regering van 12 maart 2021 over de referentieregio's",
    ),
    "bovenlokale-cultuur": (
        date(2020, 1, 1),
        "de erkenning van de 19 IGS cultuur voor 2020-2025 (eind 2019)",
    ),
}


def not_yet(layer_id: str | None, day: date) -> dict[str, str] | None:
    """Why a layer did not exist on ``day`` (its first day and the basis for it), or None."""
    since = LAYER_SINCE.get(layer_id or "")
    if since is None or day >= since[0]:
        return None
    return {"sinds": since[0].isoformat(), "grond": since[1]}


def domain_groups(items: dict[str, Any]) -> list[dict[str, Any]]:
    """``items`` (layer id -> what a page shows of it) grouped by policy domain, each domain with the kinds of
    cooperation the atlas does not hold yet; domains with nothing to show and nothing missing are left out."""
    return [
        {
            "sleutel": d.key if d else "andere",
            "titel": d.title if d else OTHER,
            "lagen": [items[x] for x in ids],
            "nog_niet_in_de_atlas": list(d.not_held) if d else [],
        }
        for d, ids in by_domain(items)
        if ids or (d and d.not_held)
    ]


def layer_model(x: Layer) -> dict[str, Any]:
    """A layer: the API's Laag."""
    return records.layer(x, title_of(x), description_of(x)).model_dump(mode="json")


def layers_document(conn: Connection) -> dict[str, Any]:
    """Every layer (the API's Laag), with whether its completeness note is in Dutch."""
    lagen: list[dict[str, Any]] = [
        {"laag": layer_model(x), "volledigheid_nl": x.volledigheid is not None} for x in queries.layers(conn)
    ]
    return {"lagen": lagen, "domeinen": domain_groups({x["laag"]["id"]: x for x in lagen})}


def layer_document(
    conn: Connection, layer_id: str, day: date, uris: Uris, municipalities: list[Municipality] | None = None
) -> dict[str, Any]:
    """``municipalities``: the Flemish municipalities of ``day``, where the caller has them (the culture page
    makes four layer documents). Each region is the API's Regio; its municipalities in brief stand beside it."""
    layer = queries.layer(conn, layer_id)
    absent = not_yet(layer_id, day)
    regions = [] if absent else queries.regions(conn, layer_id)
    flemish = municipalities if municipalities is not None else queries.municipalities_on(conn, day)
    assignment = relations.layer_assignment(conn, layer_id, day, flemish)
    if absent:  # no region yet: every municipality is without one, and that is the whole story
        assignment = {nis: [] for nis in assignment}
    munis = {m.nis: m for m in flemish}
    members: dict[str, list[str]] = defaultdict(list)
    for nis, keys in assignment.items():
        for key in keys:
            members[key].append(nis)
    orgs = queries.organisations_by_id(conn, (r.organisation_id for r in regions))
    region_docs: list[dict[str, Any]] = []
    for r in regions:
        nis_codes = sorted(members.get(r.key, []), key=lambda n: munis[n].name)
        org = orgs[r.organisation_id]
        region_docs.append(
            {
                "regio": records.region(r, nis_codes, uris).model_dump(mode="json"),
                "url": f"/regios/{layer_id}/{quote(r.key, safe='')}",
                "organisatie_url": organisation_url(org) if r.linked else None,
                "gemeentelijst": [municipality_brief(munis[n]) for n in nis_codes],
            }
        )
    by_key = {r["regio"]["sleutel"]: r for r in region_docs}
    dated = conn.execute(
        select(func.min(t.membership.c.source_date), func.max(t.membership.c.source_date)).where(
            t.membership.c.layer_id == layer_id
        )
    ).first()
    earliest = dated[0] if dated else None
    uncovered = sorted((munis[n] for n, keys in assignment.items() if not keys), key=lambda m: m.name)
    doubles = sorted((munis[n] for n, keys in assignment.items() if len(keys) > 1), key=lambda m: m.name)
    return {
        "op": day.isoformat(),
        "laag": layer_model(layer),
        "laag_details": {
            "beschrijving_bron": layer.description,
            "rechtsgrond_nl": layer.beschrijving is not None,
            "volledigheid_nl": layer.volledigheid is not None,
            "telling": layer.count_scope,
            "gegevens_van": earliest.isoformat() if earliest else None,
            "ouder_dan_de_gegevens": bool(earliest and day < earliest) and absent is None,
            "bestond_nog_niet": absent,
        },
        "regios": region_docs,
        "niet_gedekt": [municipality_brief(m) for m in uncovered],
        "in_meer_dan_een_regio": [
            {
                "gemeente": municipality_brief(m),
                "regio_sleutels": assignment[m.nis],
                "regio_links": [
                    {"naam": by_key[k]["regio"]["naam"], "url": by_key[k]["url"]}
                    for k in assignment[m.nis]
                    if k in by_key
                ],
            }
            for m in doubles
        ],
        "kaart": {
            "set": vintage(day),
            "titel": title_of(layer),
            "toewijzing": {n: keys for n, keys in assignment.items() if keys},
            "regionamen": {r.key: r.name for r in regions},
        },
    }
