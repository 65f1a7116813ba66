"""The gemeente page: what a municipality takes part in on a day, with whom, and its history."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date
from typing import Any

from sqlalchemy import Connection

from igsatlas.documents.common import (
    MERGER_DAY,
    ROLE_LABELS,
    membership_clocks,
    membership_facts,
    municipality_brief,
    organisation_brief,
    vintage,
)
from igsatlas.documents.history import history
from igsatlas.documents.layer import domain_groups, layer_titles, not_yet, title_of
from igsatlas.documents.region import region_url
from igsatlas.domain import classifications as cls
from igsatlas.domain import theme_rules
from igsatlas.domain.model import Family, Municipality
from igsatlas.domain.policy_domains import layer_of_body, names_municipality
from igsatlas.domain.relations import Involvement
from igsatlas.store import queries, relations
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


def _item(i: Involvement, themes: dict[str, list[str]], registered: dict[str, Registration]) -> dict[str, Any]:
    doc = {
        **organisation_brief(i.organisation, i.classification),
        "themas": themes.get(i.organisation.id, []),
        "regio": {"laag": i.region.layer_id, "sleutel": i.region.key, "naam": i.region.name} if i.region else None,
        **membership_facts(i.membership),
        **membership_clocks([i.membership], registered),
    }
    if i.region is not None and i.organisation.classification == cls.REGION.code:
        doc["url"] = region_url(i.region.layer_id, i.region.key)  # a region the atlas made has its own page
    return doc


def _once(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per body: the AGB a municipality founded and takes part in is one row with both roles."""
    out: dict[str, dict[str, Any]] = {}
    for item in items:
        role = ROLE_LABELS.get(item["rol"], item["rol"])
        found = out.get(item["id"])
        if found is None:
            out[item["id"]] = {**item, "rollen": [role], "rol_tekst": role}
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


def _stand_ins(cooperations: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Layer -> the municipality's cooperations whose name shows they are the body behind a region of that layer
    ("Onroerend Erfgoeddienst Pajottenland" for the IOED layer), for layers whose sources do not list it."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in cooperations:
        layer = layer_of_body(c["naam"])
        if layer and c.get("status") != "niet-actief":
            out[layer].append({"naam": c["naam"], "url": c["url"]})
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
        regions = {(r["regio"]["naam"] if r["regio"] else r["naam"]): r for r in items}
        rows[layer_id] = {
            "laag": layer_id,
            "titel": titles[layer_id],
            "regio's": [
                {"naam": name, "url": r["url"], "afgeleid": r["afgeleid"], "brondatum": r["brondatum"]}
                for name, r in regions.items()
            ],
        }
    for x in absent:
        rows[x["laag"]] = {**x, "regio's": []}
    for x in unknown:
        if x["laag"] not in rows:
            rows[x["laag"]] = {**x, "regio's": [], "via_samenwerkingsverband": stand_ins.get(x["laag"], [])}
    return domain_groups(rows)


def _sorted_items(
    items: list[Involvement], themes: dict[str, list[str]], registered: dict[str, Registration]
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]]]:
    """The municipality's memberships as (layer -> regions, family -> bodies, zone kind -> zones)."""
    layers: dict[str, list[dict[str, Any]]] = defaultdict(list)
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    zones: dict[str, list[dict[str, Any]]] = {"politiezone": [], "hulpverleningszone": []}
    for i in items:
        doc = _item(i, themes, registered)
        if i.membership.layer_id:
            layers[i.membership.layer_id].append(doc)
            if i.membership.layer_id in zones and doc["id"] not in {z["id"] for z in zones[i.membership.layer_id]}:
                zones[i.membership.layer_id].append(doc)
            continue
        zone = zones.get(i.organisation.classification)
        if i.classification.family == Family.ZONE and zone is not None and doc["id"] not in {z["id"] for z in zone}:
            zone.append(doc)
        grouped[i.classification.family.value].append(doc)
    return layers, grouped, zones


def _zones_naming(conn: Connection, muni: Municipality, kind: str) -> list[dict[str, Any]]:
    """Zones of ``kind`` whose name lists the municipality ("PZ Pajottenland: Bever, Galmaarden, Gooik, ..."), for a
    day on which no source gives its zone (the police zone layer has the 2025 municipalities only)."""
    kinds = queries.classifications(conn)
    return [
        {**organisation_brief(o, kinds[o.classification]), "uit_de_naam": True}
        for o in queries.organisations(conn)
        if o.classification == kind and names_municipality(o.name, muni.name)
    ]


def municipality_document(conn: Connection, key: str, day: date, *, by_slug: bool = False) -> dict[str, Any]:
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
    inhabitants = queries.population_of(conn, muni, day) if exists else None

    registered = registrations(conn, "membership", [i.membership.id for i in items])
    layers, grouped, zones = _sorted_items(items, themes, registered)
    if exists and not zones["politiezone"]:
        zones["politiezone"] = _zones_naming(conn, muni, "politiezone")
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
        for label, kind in evidence.get(c["id"], []) or [("", "")]:
            strength = theme_rules.STRENGTH.get(kind, "zwak")
            by_theme[label].append(
                {"naam": c["naam"], "url": c["url"], "uit_naam": strength == "zwak", "zekerheid": strength}
            )
    themed = [{"thema": label, "samenwerkingen": items} for label, items in sorted(by_theme.items()) if label]
    ranked = sorted((nis for nis in counts if nis in on_day), key=lambda nis: (-counts[nis], on_day[nis].name))
    partners = [{**municipality_brief(on_day[nis]), "gedeeld": counts[nis]} for nis in ranked]  # ties by name
    unknown = _not_covered(conn, set(layers) | set(absent), day) if exists else []
    stand_ins = _stand_ins([*cooperations, *zones["politiezone"]])
    not_yet_there = [{"laag": x, "titel": titles[x], **(not_yet(x, day) or {})} for x in absent]
    sources = sorted({(d["bron"], d["brondatum"] or "") for ds in (*grouped.values(), *layers.values()) for d in ds})
    return {
        "op": day.isoformat(),
        "gemeente": municipality_brief(muni),
        "bestaat_op_deze_dag": exists,
        "inwoners": {"aantal": inhabitants[0], "op": f"{inhabitants[1]}-01-01"} if inhabitants else None,
        "nog_niet_opgericht": bool(muni.valid_from and day < muni.valid_from),
        "geschiedenis": history(conn, member_id=muni.organisation_id) if muni.organisation_id else [],
        "lblod_organisatie": organisation_brief(gemeente) if gemeente else None,
        "voorgangers": [municipality_brief(p) for p in before],
        "opvolger": municipality_brief(successor) if successor else None,
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
            "focus": [muni.nis, *[p["nis"] for p in partners]] if exists else [muni.nis],
            "gebieden": {nis: counts.get(nis, 0) for nis in on_day if on_day[nis].region == "Vlaanderen"},
            "zelf": muni.nis,
        },
        "bronnen": [{"bron": s, "datum": d or None} for s, d in sources],
    }
