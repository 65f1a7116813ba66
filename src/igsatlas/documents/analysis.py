"""The /analyse pages: the patchwork measured for a day, each part with its explanation."""

from __future__ import annotations

from collections import Counter
from typing import Any

from igsatlas.analysis.fit import VERDICT_LABELS
from igsatlas.analysis.report import Analysis
from igsatlas.documents.common import kind_label
from igsatlas.documents.layer import layer_title

PARTS = ("passing", "lagen", "gemeenten", "hiaten", "netwerk")


def overview(a: Analysis) -> dict[str, Any]:
    fits = a.fits()
    active = {s.id for s in a.landscape.structures if s.active}
    # The Regiodecreet headline counts the bodies that exist and work on the day: dissolved ones are left out,
    # as on /aandachtspunten; a one-member body "fits" trivially and is counted apart.
    rd_fits = [f for f in fits if f["regiodecreet"] and f["id"] in active]
    rd = Counter(f["regiodecreet"]["status"] for f in rd_fits)
    single = sum(1 for f in rd_fits if f["regiodecreet"]["status"] == "past" and f["leden"] <= 1)
    gaps = a.gaps()
    return {
        "op": a.landscape.day.isoformat() if a.landscape.day else None,
        "structuren": len(fits),
        "samenwerkingen": len(a.cooperations),
        "oordelen": {VERDICT_LABELS[k]: n for k, n in Counter(f["oordeel"] for f in fits).most_common()},
        "regiodecreet": {
            "past": rd.get("past", 0) - single,
            "past_met_een_lid": single,
            "moet_passen": rd.get("moet-passen", 0),
            "onbekend": rd.get("onbekend", 0),
            "niet_actief_weggelaten": sum(1 for f in fits if f["regiodecreet"] and f["id"] not in active),
        },
        "binnen_een_regio_met_een_lid": sum(
            1 for f in fits if f["oordeel"] in ("gelijk", "binnen") and f["leden"] <= 1
        ),
        "lagen_met_hiaten": sum(1 for g in gaps if g["niet_gedekt"] or g["in_twee_of_meer_regios"]),
        "onderdelen": [{"id": p, "url": f"/analyse/{p}"} for p in PARTS],
    }


def fits_document(a: Analysis, soort: str | None, oordeel: str | None) -> dict[str, Any]:
    fits = [{**f, "soort_label": kind_label(f["soort"])} for f in a.fits()]
    if soort:
        fits = [f for f in fits if f["soort"] == soort]
    if oordeel:
        fits = [f for f in fits if f["oordeel"] == oordeel]
    kinds = sorted({f["soort"] for f in a.fits()})
    return {
        "op": a.landscape.day.isoformat() if a.landscape.day else None,
        "referentielaag": a.reference,
        "filters": {"soort": soort, "oordeel": oordeel},
        "keuzes": {
            "soort": [{"code": k, "label": kind_label(k)} for k in kinds],
            "oordeel": [{"code": k, "label": v} for k, v in VERDICT_LABELS.items()],
        },
        "aantal": len(fits),
        "structuren": fits,
    }


def _title(a: Analysis, layer_id: str) -> str:
    return a.landscape.layer_titles.get(layer_id) or layer_title(layer_id)


def layers_document(a: Analysis) -> dict[str, Any]:
    matrix = a.layer_matrix()
    return {**matrix, "titels": {layer: _title(a, layer) for layer in matrix["lagen"]}}


def municipalities_document(a: Analysis) -> dict[str, Any]:
    rows = a.municipalities()
    return {"op": a.landscape.day.isoformat() if a.landscape.day else None, "gemeenten": rows}


def gaps_document(a: Analysis) -> dict[str, Any]:
    return {
        "op": a.landscape.day.isoformat() if a.landscape.day else None,
        "lagen": [{**g, "titel": _title(a, g["laag"])} for g in a.gaps()],
    }


def network_document(a: Analysis) -> dict[str, Any]:
    doc = a.network()
    members: dict[int, list[str]] = {}
    for nis, c in doc["gemeenschap_per_gemeente"].items():
        members.setdefault(c, []).append(a.landscape.names[nis])
    listing = [{"nummer": c + 1, "gemeenten": sorted(members[c])} for c in sorted(members)]
    return {"op": a.landscape.day.isoformat() if a.landscape.day else None, **doc, "gemeenschappen_lijst": listing}
