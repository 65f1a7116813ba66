"""The planner (/samenwerken): what a group of municipalities would be as a cooperation. Population, area,
whether it is one piece, the referentieregio it lies in (Regiodecreet), the structures its members already
share and the existing cooperations with nearly the same members, the recognitions and DLB minimums it would
meet (the compliance rules, run on the group as if it were one), and a link into the legal-form wizard."""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from datetime import date
from typing import Any
from urllib.parse import urlencode

from igsatlas.analysis.fit import fit
from igsatlas.analysis.report import Analysis
from igsatlas.documents.common import finding, vintage
from igsatlas.documents.layer import layer_title
from igsatlas.geo.adjacency import pieces
from igsatlas.legal import rules
from igsatlas.legal.findings import Subject
from igsatlas.legal.reference import Reference

NEAR = 0.8  # Jaccard index from which an existing cooperation has "nearly the same" members
RECOGNITIONS = ("bovenlokale-cultuur-drempel", "erfgoedcel-drempel", "ioed-drempel")
# The forms the DLB offers municipalities, each checked for its minimum of participants.
FORMS = (
    ("interlokale_vereniging", "Interlokale vereniging"),
    ("projectvereniging", "Projectvereniging"),
    ("dienstverlenende_vereniging", "Dienstverlenende vereniging"),
    ("opdrachthoudende_vereniging", "Opdrachthoudende vereniging"),
)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def planner_document(
    analysis: Analysis,
    reference: Reference,
    day: date,
    chosen: list[str],
    borders: dict[str, set[str]],
    populations: dict[str, tuple[int, int]],
    areas: dict[str, float],
    errors: list[str] | None = None,
) -> dict[str, Any]:
    """``chosen``: NIS codes of the day; ``borders``: municipality -> the municipalities it borders; ``errors``:
    what was wrong with the names the visitor gave."""
    names = analysis.landscape.names
    group = frozenset(n for n in chosen if n in names)
    counted = [populations[n] for n in sorted(group) if n in populations]
    inhabitants = sum(p for p, _ in counted) if group and len(counted) == len(group) else None
    area = round(sum(areas.get(n, 0.0) for n in sorted(group)), 1)  # float sums in one order
    parts = pieces(set(group), borders)
    group_fit = fit(group, analysis.partition, analysis.regions) if group else None
    region_area: dict[str, float] = defaultdict(float)
    for nis, key in analysis.partition.items():
        region_area[key] += areas.get(nis, 0.0)
    shared = [
        s for s in analysis.cooperations if group and group <= s.members and (s.layer or s.family != "lokaal-bestuur")
    ]
    titles = analysis.landscape.layer_titles
    per_layer = Counter(
        (titles.get(s.layer) or layer_title(s.layer)) if s.layer else "samenwerkingsverband met rechtspersoonlijkheid"
        for s in shared
    )
    per_theme = Counter(t for s in shared for t in s.themes)
    near = sorted(
        (
            {
                "naam": s.name,
                "url": s.url,
                "overlap": round(_jaccard(group, s.members), 2),
                "laag": s.layer,
                "aantal_gemeenten": len(s.members),
            }
            for s in analysis.landscape.structures
            if group and len(s.members) >= 2 and _jaccard(group, s.members) >= NEAR
        ),
        key=lambda d: -float(d["overlap"]),  # type: ignore[arg-type]
    )
    subject = Subject(
        id="plan",
        name="de gekozen gemeenten",
        url="/samenwerken",
        kind="projectvereniging",
        form="projectvereniging",
        active=True,
        day=day,
        founded=None,
        municipalities={n: names[n] for n in group},
        layers=("bovenlokale-cultuur", "erfgoedcel", "ioed"),
        fit=group_fit,
        reference_region_km2=region_area.get(group_fit.best) if group_fit and group_fit.best else None,
        reference_region=analysis.region_name(group_fit.best) if group_fit else None,
        inhabitants=inhabitants,
        population_year=counted[0][1] if counted else None,
        area_km2=area,
        recognised=False,
    )
    checks = rules.run([subject], reference, {*RECOGNITIONS, "regiodecreet-referentieregio"}) if group else []
    minimums = []
    for form, label in FORMS:
        found = rules.run([dataclasses.replace(subject, form=form)], reference, {"minimum-gemeenten"}) if group else []
        minimums.append(
            {
                "vorm": label,
                "oordeel": found[0].status if found else "niet-te-controleren",
                "boodschap": found[0].message if found else "Kies eerst gemeenten.",
            }
        )
    around = sorted({n for m in group for n in borders.get(m, set())} - group, key=lambda n: names.get(n, n))
    wizard = urlencode({"partners": "gemeenten", "privaat": "nee"})
    return {
        "op": day.isoformat(),
        "gekozen": [{"nis": n, "naam": names[n]} for n in sorted(group, key=lambda n: names[n])],
        "aantal": len(group),
        "inwoners": inhabitants,
        "inwoners_jaar": counted[0][1] if counted else None,
        "oppervlakte_km2": area,
        "aaneengesloten": len(parts) <= 1,
        "delen": [[names[n] for n in sorted(p, key=lambda n: names[n])] for p in parts],
        "referentieregio": {
            "best": analysis.region_name(group_fit.best) if group_fit else None,
            "aandeel": group_fit.share if group_fit else None,
            "past": group_fit.verdict in ("binnen", "gelijk") if group_fit else None,
            "oordeel": group_fit.verdict if group_fit else None,
            "buiten": [names[n] for n in group_fit.spill] if group_fit else [],
            "leden_per_regio": {analysis.region_name(k): v for k, v in group_fit.regions.items()} if group_fit else {},
        },
        "gedeeld": {
            "aantal": len(shared),
            "per_laag": dict(per_layer.most_common()),
            "per_thema": dict(per_theme.most_common()),
            "samenwerkingen": [
                {"naam": s.name, "url": s.url, "laag": s.layer} for s in sorted(shared, key=lambda s: s.name)
            ],
        },
        "bijna_dezelfde": near,
        "erkenningen": [finding(f) for f in checks],
        "minimums": minimums,
        "buren": [{"nis": n, "naam": names.get(n, n), "inwoners": populations.get(n, (None, None))[0]} for n in around],
        "keuzehulp": f"/rechtsvormen/keuzehulp?{wizard}",
        "kaart": {"set": vintage(day)},
        "fouten": list(errors or []),
    }
