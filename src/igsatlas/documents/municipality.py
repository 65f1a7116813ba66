"""The gemeente page: what a municipality takes part in on a day, with whom, and its history."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection

from igsatlas.documents.common import (
    MERGER_DAY,
    Uris,
    membership,
    membership_clocks,
    municipality_brief,
    municipality_record,
    organisation_brief,
    organisation_url,
    vintage,
)
from igsatlas.documents.history import history
from igsatlas.documents.layer import domain_groups, layer_titles, not_yet, title_of
from igsatlas.documents.region import region_url
from igsatlas.domain import classifications as cls
from igsatlas.domain import theme_rules
from igsatlas.domain.model import Classification, Family, Municipality, Organisation
from igsatlas.domain.policy_domains import layer_of_body, names_municipality
from igsatlas.domain.relations import Involvement
from igsatlas.opendata import records
from igsatlas.store import queries, relations
from igsatlas.store.population import population_of
from igsatlas.store.registration import Registration, registrations

SECTIONS = (
    (Family.IGS, "Intergemeentelijke samenwerkingsverbanden"),
    (Family.OCMW_ASSOCIATION, "OCMW-verenigingen en verenigingen van sociale dienstverlening"),
    (Family.ZONE, "Politie- en hulpverleningszones"),
    (Family.AUTONOMOUS, "Verzelfstandigde entiteiten"),
    (Family.REGION, "Regio's van thematische lagen"),
    (Family.LOCAL_GOVERNMENT, "Andere besturen"),
    (Family.OTHER, "Overige"),
)


def is_cooperation(i: Involvement) -> bool:
    """Does this membership make the municipality work together with the other members?"""
    if i.membership.layer_id is not None:
        return i.membership.layer_id in cls.COOPERATION_LAYERS
    return i.classification.family in (Family.IGS, Family.OCMW_ASSOCIATION, Family.ZONE)


def partner_counts(
    conn: Connection, muni: Municipality, items: list[Involvement], day: date, municipalities: list[Municipality]
) -> Counter[str]:
    """NIS code -> how many cooperations the municipality shares with it on ``day``."""
    org_ids = {i.organisation.id for i in items if is_cooperation(i)}
    counts: Counter[str] = Counter()
    for members in relations.municipal_members(conn, org_ids, day, municipalities).values():
        counts.update(members - {muni.nis})
    return counts


@dataclass(frozen=True)
class _Context:
    """What every item of the page needs: the municipality, its member records, the kinds, themes and URIs, and
    when the atlas recorded each membership."""

    muni: Municipality
    members: dict[str, Organisation]
    kinds: dict[str, Classification]
    themes: dict[str, list[str]]
    uris: Uris
    registered: dict[str, Registration]


def _item(i: Involvement, c: _Context) -> dict[str, Any]:
    """One membership of the municipality (the API's Lidmaatschap) with what only the page shows beside it."""
    ms = i.membership
    made = i.region is not None and i.organisation.classification == cls.REGION.code
    clocks = membership_clocks([ms], c.registered)
    return {
        "lidmaatschap": membership(ms, i.organisation, c.members[ms.member_id], c.muni, c.kinds, c.uris, c.registered),
        # a region the atlas made has its own page
        "link": region_url(i.region.layer_id, i.region.key) if made and i.region else organisation_url(i.organisation),
        "themas": c.themes.get(i.organisation.id, []),
        "regio": records.region_of(i.region).model_dump(mode="json") if i.region else None,
        "rechtsvorm": i.classification.label if i.classification.family == Family.IGS else None,
        # the two clocks in words (valid time, registration time), and the newest day a source attests it
        "klokken": clocks["klokken"],
        "in_het_register": clocks["in_het_register"],
        "volgens_een_bron": clocks["volgens_een_bron"],
    }


def body(item: dict[str, Any]) -> dict[str, Any]:
    """The organisation (the API's OrganisatieKort) an item of the page is a membership of."""
    found: dict[str, Any] = item["lidmaatschap"]["organisatie"]
    return found


def _once(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per body: the AGB a municipality founded and takes part in is one row with both roles."""
    out: dict[str, dict[str, Any]] = {}
    for item in items:
        role = item["lidmaatschap"]["rol_label"]
        key = body(item)["id"]
        found = out.get(key)
        if found is None:
            out[key] = {**item, "rollen": [role], "rol_tekst": role}
        elif role not in found["rollen"]:
            found["rollen"].append(role)
            found["rol_tekst"] = ", ".join(found["rollen"])
    return list(out.values())


_OLD_SET = re.compile(r"\((\d+) of 300 in the 2019-2024 set\)")


def _not_covered(conn: Connection, present: set[str], day: date) -> list[dict[str, Any]]:
    """The layers that name no region for this municipality, with how many municipalities each does cover."""
    out = []
    old = day < MERGER_DAY
    for layer in queries.layers(conn):
        if layer.id in present:
            continue
        found = _OLD_SET.search(layer.count_scope) if old else None
        covered = int(found.group(1)) if found else layer.n_municipalities
        total = 300 if old else 285
        out.append(
            {
                "laag": layer.id,
                "titel": title_of(layer),
                "dekt": min(covered, total),
                "van": total,
                "volledig": layer.complete,
            }
        )
    return out


def _stand_ins(bodies: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Layer -> the municipality's cooperations (OrganisatieKort) whose name shows they are the body behind a
    region of that layer ("Onroerend Erfgoeddienst Pajottenland" for the IOED layer), for layers whose sources do
    not list it."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for b in bodies:
        layer = layer_of_body(b["naam"])
        if layer and b["status"] != "niet-actief":
            out[layer].append(b)
    return out


def _layer_rows(
    layers: dict[str, list[dict[str, Any]]],
    titles: dict[str, str],
    absent: list[dict[str, Any]],
    unknown: list[dict[str, Any]],
    stand_ins: dict[str, list[dict[str, Any]]],
) -> list[dict[str, Any]]:
    """Every layer with what it says of the municipality, grouped by policy domain: its regions, or that the layer
    did not exist yet, or that the register knows the body behind it, or that the layer does not know."""
    rows: dict[str, dict[str, Any]] = {}
    for layer_id, items in layers.items():
        regions = {(r["regio"]["naam"] if r["regio"] else body(r)["naam"]): r for r in items}
        rows[layer_id] = {
            "laag": layer_id,
            "titel": titles[layer_id],
            "regio_links": [
                {
                    "naam": name,
                    "url": r["link"],
                    "afgeleid": r["lidmaatschap"]["afgeleid"],
                    "bron": r["lidmaatschap"]["bron"],
                }
                for name, r in regions.items()
            ],
        }
    for x in absent:
        rows[x["laag"]] = {**x, "regio_links": []}
    for x in unknown:
        if x["laag"] not in rows:
            rows[x["laag"]] = {**x, "regio_links": [], "via_samenwerkingsverband": stand_ins.get(x["laag"], [])}
    return domain_groups(rows)


def _sorted_items(
    items: list[Involvement], context: _Context
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]]]:
    """The municipality's memberships as (layer -> regions, family -> bodies, zone kind -> zones); a zone is
    {"organisatie": OrganisatieKort, "uit_de_naam": false}."""
    layers: dict[str, list[dict[str, Any]]] = defaultdict(list)
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    zones: dict[str, list[dict[str, Any]]] = {"politiezone": [], "hulpverleningszone": []}
    for i in items:
        doc = _item(i, context)
        entry = {"organisatie": body(doc), "uit_de_naam": False}
        if i.membership.layer_id:
            layers[i.membership.layer_id].append(doc)
            found = zones.get(i.membership.layer_id)
            if found is not None and i.organisation.id not in {z["organisatie"]["id"] for z in found}:
                found.append(entry)
            continue
        zone = zones.get(i.organisation.classification)
        fresh = zone is not None and i.organisation.id not in {z["organisatie"]["id"] for z in zone}
        if i.classification.family == Family.ZONE and zone is not None and fresh:
            zone.append(entry)
        grouped[i.classification.family.value].append(doc)
    return layers, grouped, zones


def _zones_naming(conn: Connection, muni: Municipality, kind: str, uris: Uris) -> list[dict[str, Any]]:
    """Zones of ``kind`` whose name lists the municipality ("PZ Pajottenland: Bever, Galmaarden, Gooik, ..."), for a
    day on which no source gives its zone (the police zone layer has the 2025 municipalities only)."""
    kinds = queries.classifications(conn)
    return [
        {"organisatie": organisation_brief(o, kinds[o.classification], uris), "uit_de_naam": True}
        for o in queries.organisations(conn)
        if o.classification == kind and names_municipality(o.name, muni.name)
    ]


def municipality_document(
    conn: Connection, key: str, day: date, uris: Uris, *, by_slug: bool = False
) -> dict[str, Any]:
    """``key`` is a URL slug or NIS code (``by_slug``, for the web) or a name or NIS code (the CLI)."""
    muni = queries.municipality_by_slug(conn, key, day) if by_slug else queries.find_municipality(conn, key, day)
    exists = muni.period.contains(day)
    everything = relations.involvements(conn, muni, day)
    items = [i for i in everything if not not_yet(i.membership.layer_id, day)]
    absent = sorted({i.membership.layer_id for i in everything if i not in items and i.membership.layer_id})
    themes = queries.theme_labels(conn)
    titles = layer_titles(conn)
    successor = queries.municipality(conn, muni.successor_nis) if muni.successor_nis else None
    before = queries.predecessors(conn, muni.nis)
    gemeente = queries.organisation(conn, muni.organisation_id) if muni.organisation_id else None
    municipalities = queries.municipalities_on(conn, day, region=None)
    counts = partner_counts(conn, muni, items, day, municipalities) if exists else Counter()
    on_day = {m.nis: m for m in municipalities}
    inhabitants = population_of(conn, muni, day) if exists else None

    kinds = queries.classifications(conn)
    member_records = queries.organisations_by_id(conn, {i.membership.member_id for i in items})
    registered = registrations(conn, "membership", [i.membership.id for i in items])
    layers, grouped, zones = _sorted_items(items, _Context(muni, member_records, kinds, themes, uris, registered))
    if exists and not zones["politiezone"]:
        zones["politiezone"] = _zones_naming(conn, muni, "politiezone", uris)
    sections: list[dict[str, Any]] = [
        {"familie": family.value, "titel": title, "leden": _once(grouped[family.value])}
        for family, title in SECTIONS
        if grouped.get(family.value)
    ]
    # The two clocks most cooperations share ("lid sinds: niet gekend · in het register sinds ... (OP)"), said once
    shared = Counter(c["klokken"] for s in sections if s["familie"] not in ("regio", "zone") for c in s["leden"])
    cooperations = [d for f in (Family.IGS, Family.OCMW_ASSOCIATION) for d in grouped.get(f.value, [])]
    evidence = queries.theme_evidence(conn)
    by_theme: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in cooperations:
        for label, kind in evidence.get(body(c)["id"], []) or [("", "")]:
            strength = theme_rules.STRENGTH.get(kind, "zwak")
            by_theme[label].append(
                {"naam": body(c)["naam"], "url": c["link"], "uit_naam": strength == "zwak", "zekerheid": strength}
            )
    themed = [{"thema": label, "samenwerkingen": items} for label, items in sorted(by_theme.items()) if label]
    ranked = sorted((nis for nis in counts if nis in on_day), key=lambda nis: (-counts[nis], on_day[nis].name))
    partners: list[dict[str, Any]] = [
        {"gemeente": municipality_brief(on_day[nis]), "gedeeld": counts[nis]}
        for nis in ranked  # ties by name
    ]
    unknown = _not_covered(conn, set(layers) | set(absent), day) if exists else []
    stand_ins = _stand_ins([*map(body, cooperations), *(z["organisatie"] for z in zones["politiezone"])])
    not_yet_there = [{"laag": x, "titel": titles[x], **(not_yet(x, day) or {})} for x in absent]
    sources = sorted(
        {
            (d["lidmaatschap"]["bron"]["bron"], d["lidmaatschap"]["bron"]["datum"] or "")
            for ds in (*grouped.values(), *layers.values())
            for d in ds
        }
    )
    return {
        "op": day.isoformat(),
        "gemeente": municipality_record(muni, uris),
        "bestaat_op_deze_dag": exists,
        "inwoners": {"aantal": inhabitants[0], "op": f"{inhabitants[1]}-01-01"} if inhabitants else None,
        "nog_niet_opgericht": bool(muni.valid_from and day < muni.valid_from),
        "geschiedenis": history(conn, member_id=muni.organisation_id) if muni.organisation_id else [],
        "lblod_organisatie": organisation_brief(gemeente, kinds.get(gemeente.classification), uris)
        if gemeente
        else None,
        "voorgangers": [municipality_record(p, uris) for p in before],
        "opvolger": municipality_record(successor, uris) if successor else None,
        "politiezone": zones["politiezone"],
        "hulpverleningszone": zones["hulpverleningszone"],
        "lagen": dict(sorted(layers.items())),
        "laagtitels": {layer_id: titles[layer_id] for layer_id in layers},
        "lagen_niet_gekend": unknown,
        "lagen_nog_niet": not_yet_there,
        "lagen_per_domein": _layer_rows(layers, titles, not_yet_there, unknown, stand_ins),
        "samenwerkingsverbanden": cooperations,
        "rubrieken": sections,
        "klokken_samenwerkingen": shared.most_common(1)[0][0] if shared else None,
        "per_thema": themed,
        "zonder_thema": by_theme.get("", []),
        "partners": partners,
        "kaart": {
            "set": vintage(day),
            "focus": [muni.nis, *[p["gemeente"]["nis"] for p in partners]] if exists else [muni.nis],
            "gebieden": {nis: counts.get(nis, 0) for nis in on_day if on_day[nis].region == "Vlaanderen"},
            "zelf": muni.nis,
        },
        "bronnen": [{"bron": s, "datum": d or None} for s, d in sources],
    }
