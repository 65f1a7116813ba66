"""Home, the list of gemeenten, and the filterable lists of samenwerkingsverbanden and other organisations with
their paging and sorting."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Connection

from igsatlas.documents.common import STATUS_LABELS, Uris, municipality_record, organisation_brief, vintage
from igsatlas.documents.layer import layer_model, layer_titles
from igsatlas.domain import classifications as cls
from igsatlas.domain.model import Family
from igsatlas.errors import InvalidArgumentError
from igsatlas.store import queries, relations

# Bodies with legal personality (and zones); the regions the atlas made for its layers are on /lagen and /regios.
LISTED_FAMILIES = (Family.IGS, Family.OCMW_ASSOCIATION, Family.ZONE)
# A local government's own bodies (OCMW, AGB, provincie, district, ...): /organisaties. Gemeenten have their own pages.
OWN_BODY_FAMILIES = (Family.LOCAL_GOVERNMENT, Family.AUTONOMOUS, Family.OTHER)


STATUS_WORDS = (("actief", "actief"), ("in-oprichting", "in oprichting"), ("niet-actief", "niet meer actief"))


def status_count(statuses: Counter[str]) -> str:
    """What a count of one kind's bodies counts, in words: "16, status niet gekend"; "30 in het register: 25 actief,
    3 niet meer actief, 2 status niet gekend"; "0 in het register"."""
    total = sum(statuses.values())
    if not total:
        return "0 in het register"
    parts = [f"{statuses[code]} {words}" for code, words in STATUS_WORDS if statuses[code]]
    unknown = total - sum(statuses[code] for code, _ in STATUS_WORDS)
    if unknown:
        parts.append(f"{unknown} status niet gekend")
    if len(parts) > 1:
        return f"{total} in het register: {', '.join(parts)}"
    return f"{total}, status niet gekend" if unknown else parts[0]


def home_document(conn: Connection, day: date) -> dict[str, Any]:
    kinds = queries.classifications(conn)
    orgs = queries.organisations(conn)
    active = Counter(o.classification for o in orgs if o.status == "actief")
    statuses: dict[str, Counter[str]] = defaultdict(Counter)
    for o in orgs:
        statuses[o.classification][o.status.value if o.status else "onbekend"] += 1
    return {
        "op": day.isoformat(),
        "gemeenten": len(queries.municipalities_on(conn, day)),
        "actieve_samenwerkingsverbanden": sum(
            n for code, n in active.items() if kinds[code].family in (Family.IGS, Family.OCMW_ASSOCIATION)
        ),
        "rechtsvormen": [
            {
                "code": c.code,
                "label": c.label,
                "actief": active.get(c.code, 0),
                "in_het_register": sum(statuses[c.code].values()),
                "telling": status_count(statuses[c.code]),
            }
            for c in sorted(kinds.values(), key=lambda c: c.label)
            if c.family in (Family.IGS, Family.OCMW_ASSOCIATION, Family.ZONE)
        ],
        "lagen": [layer_model(x) for x in queries.layers(conn)],
        "kaart": {"set": vintage(day)},
    }


def municipalities_document(conn: Connection, day: date, uris: Uris) -> dict[str, Any]:
    """The municipalities of the day (the API's Gemeente) per province."""
    by_province: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in queries.municipalities_on(conn, day):
        by_province[m.province or "Onbekend"].append(municipality_record(m, uris))
    return {
        "op": day.isoformat(),
        "aantal": sum(len(v) for v in by_province.values()),
        "provincies": [{"provincie": p, "gemeenten": ms} for p, ms in sorted(by_province.items())],
    }


@dataclass(frozen=True)
class Filters:
    vorm: str | None = None  # classification code
    provincie: str | None = None
    status: str | None = None
    laag: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"vorm": self.vorm, "provincie": self.provincie, "status": self.status, "laag": self.laag}


def organisations_document(
    conn: Connection, day: date, filters: Filters, uris: Uris, *, own: bool = False
) -> dict[str, Any]:
    """The cooperations and zones, or (``own``) the local governments' own bodies, filtered: each the API's
    OrganisatieKort with what the list shows beside it."""
    kinds = queries.classifications(conn)
    titles = layer_titles(conn)
    layers = set(titles)
    families = OWN_BODY_FAMILIES if own else LISTED_FAMILIES
    listed = {c.code for c in kinds.values() if c.family in families and c.code != cls.GEMEENTE}
    if filters.vorm and filters.vorm not in listed:
        raise InvalidArgumentError(
            f"'{filters.vorm}' is geen rechtsvorm of soort in de lijst.",
            code="invalid-filter",
            hint="Kies een waarde uit de keuzelijst 'Rechtsvorm of soort'.",
        )
    if filters.status and filters.status not in STATUS_LABELS:
        raise InvalidArgumentError(
            f"'{filters.status}' is geen status.",
            code="invalid-filter",
            hint="Kies actief, niet-actief of in-oprichting.",
        )
    if filters.laag and filters.laag not in layers:
        raise InvalidArgumentError(
            f"'{filters.laag}' is geen laag.", code="invalid-filter", hint="Kies een laag uit de keuzelijst."
        )
    region_orgs: dict[str, set[str]] = defaultdict(set)
    for layer_id in layers:
        for r in queries.regions(conn, layer_id):
            region_orgs[r.organisation_id].add(layer_id)
    orgs = [
        o
        for o in queries.organisations(conn)
        if (o.classification in listed or (not own and o.id in region_orgs)) and o.classification != cls.REGION.code
    ]
    counts = relations.member_counts(conn, [o.id for o in orgs], day)
    themes = queries.theme_labels(conn)
    items = []
    for o in sorted(orgs, key=lambda o: (o.name.casefold(), o.id)):
        if filters.vorm and o.classification != filters.vorm:
            continue
        if filters.provincie and o.address_province != filters.provincie:
            continue
        if filters.status and (o.status.value if o.status else None) != filters.status:
            continue
        if filters.laag and filters.laag not in region_orgs.get(o.id, set()):
            continue
        kind = kinds[o.classification]
        items.append(
            {
                "organisatie": organisation_brief(o, kind, uris),
                "rechtsvorm": kind.label if kind.family == Family.IGS else None,
                "provincie": o.address_province,
                "leden": counts.get(o.id, 0),
                "lagen": sorted(region_orgs.get(o.id, set())),
                "themas": themes.get(o.id, []),
            }
        )
    return {
        "op": day.isoformat(),
        "pad": "/organisaties" if own else "/samenwerkingsverbanden",
        "titel": "Andere organisaties" if own else "Samenwerkingsverbanden",
        "filters": filters.as_dict(),
        "aantal": len(items),
        "keuzes": {
            "vorm": [{"code": c, "label": kinds[c].label} for c in sorted(listed, key=lambda c: kinds[c].label)],
            "provincie": sorted({o.address_province for o in orgs if o.address_province}),
            "status": [{"code": k, "label": v} for k, v in STATUS_LABELS.items()],
            "laag": [{"id": x, "titel": titles.get(x, x)} for x in sorted(layers)],
        },
        "samenwerkingsverbanden": items,
    }


def cooperation_kind(code: str, family: Family) -> str:
    return (
        "samenwerkingsverband"
        if family in (Family.IGS, Family.OCMW_ASSOCIATION, Family.ZONE)
        else ("regio" if code == cls.REGION.code else "organisatie")
    )


PAGE_SIZE = 50
SORTS = {
    "naam": lambda o: (o["organisatie"]["naam"].casefold(),),
    "soort": lambda o: (o["organisatie"]["classificatie_label"].casefold(), o["organisatie"]["naam"].casefold()),
    "leden": lambda o: (-o["leden"], o["organisatie"]["naam"].casefold()),
    "provincie": lambda o: ((o["provincie"] or "~").casefold(), o["organisatie"]["naam"].casefold()),
}


def paged_list(doc: dict[str, Any], params: Any) -> dict[str, Any]:
    """One page of the list (50 rows), sorted by a column the reader chose: works without JavaScript."""
    sort = params.get("sorteer") if params.get("sorteer") in SORTS else "naam"
    rows = sorted(doc["samenwerkingsverbanden"], key=SORTS[sort])
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    try:
        page = min(max(1, int(params.get("pagina") or 1)), pages)
    except ValueError:
        page = 1
    keep = {k: v for k, v in params.items() if k in ("vorm", "provincie", "status", "laag", "op") and v}

    def url(**changes: Any) -> str:
        return f"{doc['pad']}?" + urlencode({**keep, "sorteer": sort, **changes})

    return {
        "rijen": rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        "pagina": page,
        "paginas": pages,
        "van": (page - 1) * PAGE_SIZE + 1 if rows else 0,
        "tot": min(page * PAGE_SIZE, len(rows)),
        "sorteer": sort,
        "sorteer_url": {k: url(sorteer=k, pagina=1) for k in SORTS},
        "pagina_url": {n: url(pagina=n) for n in range(1, pages + 1)},
    }
