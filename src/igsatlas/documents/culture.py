"""The cultural cooperation landscape (/cultuur): the IGS cultuur, erfgoedcellen, IOED's and UiTPAS regions,
each partnership with its members, inhabitants, area, referentieregio's, the other cultural layers it nearly
coincides with, its legal form where the register knows the body behind it, and the recognition rules ahead;
the municipalities each layer leaves out, with how complete the layer is; and the legal forms culture uses."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date
from typing import Any

from sqlalchemy import Connection

from igsatlas.documents.common import Uris, organisation_url, vintage
from igsatlas.documents.layer import layer_document, layer_model
from igsatlas.domain.model import Layer, Municipality
from igsatlas.domain.policy_domains import by_domain, layer_of_body
from igsatlas.geo.shapes import area_km2
from igsatlas.store import queries, relations
from igsatlas.store.population import populations_on

CULTURE_LAYERS = ("bovenlokale-cultuur", "erfgoedcel", "ioed", "uitpas")
# The recognition rules of each layer's partnerships (the Regiodecreet's fit applies to all of them).
LAYER_RULES = {
    "bovenlokale-cultuur": ("bovenlokale-cultuur-drempel", "regiodecreet-referentieregio"),
    "erfgoedcel": ("erfgoedcel-drempel", "regiodecreet-referentieregio"),
    "ioed": ("ioed-drempel", "regiodecreet-referentieregio"),
    "uitpas": ("regiodecreet-referentieregio",),
}
NEARLY = 0.8  # Jaccard index from which two regions "nearly coincide"
CULTURAL_THEME = re.compile(r"cultu|erfgoed|bibliothe|vrije tijd", re.IGNORECASE)


def network_types(layers: list[Layer]) -> list[dict[str, Any]]:
    """The network types of the OP/TIL overview "Bovenlokale netwerken in Vlaanderen" (the policy domains), each
    with the layers the atlas holds of it (the API's Laag) and the kinds it does not hold yet."""
    by_id = {x.id: x for x in layers}
    out = []
    for d, ids in by_domain(by_id):
        if d is None or (not d.not_held and not ids):
            continue
        held = [by_id[x] for x in ids]
        out.append(
            {
                "type": d.title,
                "lagen": [layer_model(x) for x in held],
                "nog_niet_in_de_atlas": list(d.not_held),
                "status": "nee" if not held else "ja" if all(x.complete for x in held) and not d.not_held else "deels",
            }
        )
    return out


def _bodies_outside_layers(
    conn: Connection, day: date, municipalities: list[Municipality], behind: set[str]
) -> dict[str, list[dict[str, Any]]]:
    """Layer -> the register's active bodies whose name shows they are a region of it ("Onroerend Erfgoeddienst
    Pajottenland" for the IOED layer) but that no region of the layer stands for, with their municipalities."""
    named = {
        org_id: layer
        for org_id, name in queries.active_names(conn)
        if org_id not in behind and (layer := layer_of_body(name)) in CULTURE_LAYERS
    }
    found = {o.id: (named[o.id], o) for o in queries.organisations_by_id(conn, named).values()}
    members = relations.municipal_members(conn, set(found), day, municipalities)
    names = {m.nis: m.name for m in municipalities}
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for org_id, (layer, o) in sorted(found.items(), key=lambda kv: (kv[1][1].name, kv[0])):
        nis = members.get(org_id, set())
        if nis:
            out[layer].append(
                {
                    "naam": o.name,
                    "url": organisation_url(o),
                    "gemeenten": sorted(names[n] for n in nis if n in names),
                    "nis": nis,
                }
            )
    return out


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


# The population thresholds of the sector decrees (legal-forms.json, sector_decrees): from 2027 for IGS cultuur.
THRESHOLDS = {"bovenlokale-cultuur": 85_000, "erfgoedcel": 85_000, "ioed": 100_000}


def _closing(
    members: set[str],
    shortfall: int,
    covered: set[str],
    borders: dict[str, set[str]],
    populations: dict[str, tuple[int, int]],
    names: dict[str, str],
) -> list[dict[str, Any]]:
    """Neighbouring municipalities in no partnership of this kind, largest first, until the shortfall is closed."""
    around = {n for m in members for n in borders.get(m, set())} - members - covered
    out, total = [], 0
    for n in sorted(around, key=lambda n: (-populations.get(n, (0, 0))[0], names.get(n, ""), n)):
        if total >= shortfall or n not in names:
            break
        inhabitants = populations.get(n, (0, 0))[0]
        total += inhabitants
        out.append({"nis": n, "naam": names[n], "inwoners": inhabitants})
    return out  # every neighbour there is, even when together they do not close the gap


def culture_document(
    conn: Connection,
    day: date,
    findings: dict[str, list[dict[str, Any]]],
    uris: Uris,
    borders: dict[str, set[str]] | None = None,
    areas: dict[str, float] | None = None,
) -> dict[str, Any]:
    """``findings``: organisation id -> its findings of the day (the API's Bevinding), for the recognition rules;
    ``borders``: which municipalities border each other, to name the neighbours that would close a shortfall;
    ``areas``: each municipality's km² in the day's boundary set (computed from the boundaries if not given)."""
    populations = populations_on(conn, day)
    if areas is None:
        boundaries = queries.boundaries(conn, "gemeente", vintage(day))
        areas = {code: area_km2(path) for code, (_, path) in boundaries.items()}
    municipalities = queries.municipalities_on(conn, day)
    reference = relations.layer_assignment(conn, "referentieregio", day, municipalities)
    reference_names = {r.key: r.name for r in queries.regions(conn, "referentieregio")}
    kinds = queries.classifications(conn)
    region_orgs = {(layer, r.key): r.organisation_id for layer in CULTURE_LAYERS for r in queries.regions(conn, layer)}
    orgs = queries.organisations_by_id(conn, region_orgs.values())
    layers = {layer: layer_document(conn, layer, day, uris, municipalities) for layer in CULTURE_LAYERS}
    member_sets = {
        (layer, r["regio"]["sleutel"]): set(r["regio"]["gemeenten"]) for layer, d in layers.items() for r in d["regios"]
    }
    behind = set(region_orgs.values())
    bodies_outside = _bodies_outside_layers(conn, day, municipalities, behind)
    out_layers = []
    forms: Counter[str] = Counter()
    day_names = {m.nis: m.name for m in municipalities}
    for layer, d in layers.items():
        covered_here = {n for r in d["regios"] for n in member_sets[(layer, r["regio"]["sleutel"])]}
        partnerships = []
        for row in d["regios"]:
            r = row["regio"]
            nis = member_sets[(layer, r["sleutel"])]
            if not nis:
                continue
            org = orgs[region_orgs[(layer, r["sleutel"])]]
            form = kinds[org.classification].label if org.classification != "regio" else None
            if form:
                forms[form] += 1
            known = [populations[n] for n in sorted(nis) if n in populations]
            refs = Counter(k for n in nis for k in reference.get(n, []))
            # most municipalities first; among equals by name, so that every process lists them alike
            by_count = sorted(refs.items(), key=lambda kc: (-kc[1], reference_names.get(kc[0], kc[0]), kc[0]))
            shared = [
                {
                    "laag": other,
                    "regio": next(x["regio"]["naam"] for x in layers[other]["regios"] if x["regio"]["sleutel"] == key),
                    "overlap": round(_jaccard(nis, members), 2),
                    "valt_samen": _jaccard(nis, members) >= NEARLY,
                }
                for (other, key), members in member_sets.items()
                if other != layer and members and _jaccard(nis, members) >= 0.5
            ]
            partnerships.append(
                {
                    "sleutel": r["sleutel"],
                    "naam": r["naam"],
                    "url": row["url"],
                    "aantal_gemeenten": len(nis),
                    "gemeenten": [g["naam"] for g in row["gemeentelijst"]],
                    "inwoners": sum(p for p, _ in known) if len(known) == len(nis) else None,
                    "inwoners_jaar": known[0][1] if known else None,
                    "oppervlakte_km2": round(sum(areas.get(n, 0.0) for n in sorted(nis)), 1),
                    "referentieregios": [{"naam": reference_names.get(k, k), "gemeenten": c} for k, c in by_count],
                    "andere_culturele_lagen": shared,
                    "rechtsvorm": form,
                    "regels": [f for f in findings.get(org.id, []) if f["regel"] in LAYER_RULES[layer]],
                }
            )
            inhabitants = partnerships[-1]["inwoners"]
            threshold = THRESHOLDS.get(layer)
            verdicts = {f["regel"]: f["oordeel"] for f in partnerships[-1]["regels"]}
            # an IOED may also pass on its area: its population falls short only when its rule says so
            short = layer != "ioed" or verdicts.get("ioed-drempel") == "afwijking"
            if threshold and short and inhabitants is not None and inhabitants < threshold:
                shortfall = threshold - inhabitants
                helpers = _closing(nis, shortfall, covered_here, borders or {}, populations, day_names)
                partnerships[-1]["drempel_inwoners"] = threshold
                partnerships[-1]["tekort_inwoners"] = shortfall
                partnerships[-1]["buren_die_het_tekort_dichten"] = helpers
                partnerships[-1]["dicht_het_tekort"] = sum(h["inwoners"] for h in helpers) >= shortfall
        bodies = bodies_outside.get(layer, [])
        in_bodies = {n for body in bodies for n in body["nis"]}
        out_layers.append(
            {
                "laag": d["laag"],  # the API's Laag (id, titel, volledig, volledigheid, url ...)
                "samenwerkingen": partnerships,
                "niet_gedekt": [g["naam"] for g in d["niet_gedekt"] if g["nis"] not in in_bodies],
                "uit_het_register": [{k: v for k, v in body.items() if k != "nis"} for body in bodies],
                "kaart": d["kaart"],
            }
        )
    themed = queries.theme_labels(conn)
    for org_id, labels in themed.items():
        cooperation = orgs.get(org_id)
        if cooperation is None or kinds[cooperation.classification].family.value != "igs":
            continue
        if any(CULTURAL_THEME.search(label) for label in labels):
            forms[kinds[cooperation.classification].label] += 1
    covered: Counter[str] = Counter()  # in how many of the cultural layers each municipality lies
    for layer, d in layers.items():
        for n in {n for r in d["regios"] for n in member_sets[(layer, r["regio"]["sleutel"])]}:
            covered[n] += 1
    behind_regions = set(region_orgs.values())
    others: list[dict[str, Any]] = sorted(
        (
            {
                "naam": o.name,
                "url": organisation_url(o),
                "vorm": kinds[o.classification].label,
                "themas": [t for t in themed.get(o.id, []) if CULTURAL_THEME.search(t)],
            }
            for o in orgs.values()
            if kinds[o.classification].family.value == "igs"
            and o.status != "niet-actief"
            and any(CULTURAL_THEME.search(t) for t in themed.get(o.id, []))
            and o.id not in behind_regions
        ),
        key=lambda d: (str(d["naam"]), str(d["url"])),
    )
    return {
        "andere_culturele_samenwerkingen": others,
        "op": day.isoformat(),
        "lagen": out_layers,
        "rechtsvormen": [{"vorm": f, "aantal": n} for f, n in sorted(forms.items(), key=lambda fn: (-fn[1], fn[0]))],
        "netwerktypes": network_types(queries.layers(conn)),
        "culturele_lagen_per_gemeente": {m.nis: covered.get(m.nis, 0) for m in municipalities},
        "kaart": {"set": vintage(day)},
    }
