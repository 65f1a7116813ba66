"""The /analyse pages: the patchwork measured for a day, each part with its explanation."""

from __future__ import annotations

from collections import Counter
from typing import Any

from igsatlas.analysis.fit import VERDICT_LABELS
from igsatlas.analysis.report import Analysis
from igsatlas.documents.common import kind_label
from igsatlas.documents.layer import layer_title
from igsatlas.opendata import records

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


# What a row of /analyse/passing shows beside the API's Passing (which holds the rest of Analysis.fits()).
FIT_DETAILS = ("familie", "url", "leden_per_regio", "buiten_beste_regio", "ontbrekend_uit_beste_regio", "regiodecreet")


def fits_document(a: Analysis, soort: str | None, oordeel: str | None) -> dict[str, Any]:
    """Each structure as ``{"passing": Passing, "soort_label", ...FIT_DETAILS}``: the API's model and the page's
    own facts beside it."""
    fits = a.fits()
    rows = [
        {
            "passing": records.fit(f).model_dump(mode="json"),
            "soort_label": kind_label(f["soort"]),
            **{k: f[k] for k in FIT_DETAILS},
        }
        for f in fits
        if (not soort or f["soort"] == soort) and (not oordeel or f["oordeel"] == oordeel)
    ]
    kinds = sorted({f["soort"] for f in fits})
    return {
        "op": a.landscape.day.isoformat() if a.landscape.day else None,
        "referentielaag": a.reference,
        "filters": {"soort": soort, "oordeel": oordeel},
        "keuzes": {
            "soort": [{"code": k, "label": kind_label(k)} for k in kinds],
            "oordeel": [{"code": k, "label": v} for k, v in VERDICT_LABELS.items()],
        },
        "aantal": len(rows),
        "structuren": rows,
    }


def _title(a: Analysis, layer_id: str) -> str:
    return a.landscape.layer_titles.get(layer_id) or layer_title(layer_id)


def layers_document(a: Analysis) -> dict[str, Any]:
    """Each pair of layers as ``{"overeenkomst": LaagOvereenkomst, "vi"}`` (the variation of information in bits
    is the page's own)."""
    matrix = a.layer_matrix()
    return {
        "lagen": matrix["lagen"],
        "volledig": matrix["volledig"],
        "cellen": [
            {"overeenkomst": records.layer_agreement(c).model_dump(mode="json"), "vi": c["vi"]}
            for c in matrix["cellen"]
        ],
        "titels": {layer: _title(a, layer) for layer in matrix["lagen"]},
    }


def municipalities_document(a: Analysis) -> dict[str, Any]:
    rows = a.municipalities()
    return {"op": a.landscape.day.isoformat() if a.landscape.day else None, "gemeenten": rows}


def gaps_document(a: Analysis) -> dict[str, Any]:
    return {
        "op": a.landscape.day.isoformat() if a.landscape.day else None,
        "lagen": [{**g, "titel": _title(a, g["laag"])} for g in a.gaps()],
    }


def network_document(a: Analysis) -> dict[str, Any]:
    """``netwerk`` is the API's Netwerk; beside it the page's own facts: the comparison with the referentieregio's
    apart from its ARI (``netwerk.ari_met_referentieregio``), the pages and member counts of each pair of
    ``netwerk.bijna_dezelfde_leden`` (``paren``, in the same order), the heaviest links and the communities'
    municipalities by name."""
    doc = a.network()
    model = records.network(doc)
    members: dict[int, list[str]] = {}
    for nis, c in model.gemeenschap_per_gemeente.items():
        members.setdefault(c, []).append(a.landscape.names[nis])
    listing = [{"nummer": c + 1, "gemeenten": sorted(members[c])} for c in sorted(members)]
    return {
        "op": a.landscape.day.isoformat() if a.landscape.day else None,
        "netwerk": model.model_dump(mode="json"),
        "vergelijking_met_referentieregio": {
            k: v for k, v in doc["vergelijking_met_referentieregio"].items() if k != "ari"
        },
        "paren": [
            {"a_url": x["a_url"], "b_url": x["b_url"], "leden_a": x["leden_a"], "leden_b": x["leden_b"]}
            for x in doc["bijna_dezelfde_leden"]
        ],
        "gewichten_top": doc["gewichten_top"],
        "gemeenschappen_lijst": listing,
    }
