"""Maps for the pages, drawn from our own boundaries: the data comes from the documents' "kaart" parts."""

from __future__ import annotations

from typing import Any

from igsatlas.geo.maps import (
    EMPTY,
    FOCUS,
    PALETTE,
    SEQUENTIAL,
    Area,
    Label,
    Outline,
    colour_groups,
    group_label,
    largest,
    render,
)

SHARED_BUCKETS = (
    (0, 0, EMPTY),
    (1, 2, SEQUENTIAL[1]),
    (3, 5, SEQUENTIAL[2]),
    (6, 10, SEQUENTIAL[3]),
    (11, 10**6, SEQUENTIAL[4]),
)
MEMBER = "#2171b5"
CAPITALS = ("Antwerpen", "Gent", "Brugge", "Leuven", "Hasselt", "Brussel")
REGION_NOTE = (
    "Regio's die aan elkaar grenzen, hebben een andere kleur; een kleur staat niet voor één regio. "
    "De namen van de grootste regio's staan op de kaart, alle regio's in de lijst hieronder."
)


def _by_size(codes: list[str], outlines: dict[str, Outline], names: dict[str, str]) -> list[Label]:
    """Municipality labels, largest first."""
    return largest((outlines[c].area, Label(names.get(c, c), outlines[c].anchor)) for c in codes if c in outlines)


def _legend_or_note(groups: dict[str, set[str]], legend: list[dict[str, str]]) -> dict[str, Any]:
    """A colour legend only where each group has a colour of its own; else a note that says what colour means."""
    if len(groups) <= len(PALETTE):
        return {"legende": legend}
    return {"legende": [x for x in legend if x["kleur"] == EMPTY], "noot": REGION_NOTE}


def _bucket(n: int) -> str:
    return next(colour for low, high, colour in SHARED_BUCKETS if low <= n <= high)


def municipality_map(
    doc: dict[str, Any], outlines: dict[str, Outline], names: dict[str, str], with_day: Any, **drawing: Any
) -> dict[str, Any]:
    kaart = doc["kaart"]
    me = kaart["zelf"]
    areas = []
    for nis in sorted(outlines):
        n = kaart["gebieden"].get(nis)
        if n is None:  # outside Flanders (Brussels): drawn for orientation, no link
            areas.append(Area(nis, names.get(nis, nis), EMPTY))
            continue
        if nis == me:
            areas.append(Area(nis, names.get(nis, nis), FOCUS, None, f"{names.get(nis, nis)} (deze gemeente)"))
            continue
        label = f"{names.get(nis, nis)}: {n} gedeelde samenwerking{'en' if n != 1 else ''}"
        areas.append(Area(nis, names.get(nis, nis), _bucket(n), with_day(f"/gemeenten/{nis}"), label))
    partners = [c for c in kaart["focus"] if c != me and kaart["gebieden"].get(c)]
    labels = [Label(names.get(me, me), outlines[me].anchor)] if me in outlines else []
    svg = render(
        areas,
        outlines,
        label=f"Kaart van {doc['gemeente']['naam']} en haar partners",
        focus=kaart["focus"],
        labels=labels + _by_size(partners, outlines, names),
        max_labels=10,
        **drawing,
    )
    legend = [{"kleur": FOCUS, "label": doc["gemeente"]["naam"]}] + [
        {
            "kleur": c,
            "label": "geen gedeelde samenwerking"
            if high == 0
            else f"{low} tot {high} gedeeld"
            if high < 10**6
            else f"{low} of meer gedeeld",
        }
        for low, high, c in SHARED_BUCKETS
    ]
    return {"svg": svg, "legende": legend}


def members_map(
    doc: dict[str, Any], outlines: dict[str, Outline], names: dict[str, str], with_day: Any, **drawing: Any
) -> dict[str, Any]:
    members = set(doc["kaart"]["leden"])
    areas = [
        Area(
            nis,
            names.get(nis, nis),
            MEMBER if nis in members else EMPTY,
            with_day(f"/gemeenten/{nis}") if nis in members else None,
            f"{names.get(nis, nis)}{' (lid)' if nis in members else ''}",
        )
        for nis in sorted(outlines)
    ]
    svg = render(
        areas,
        outlines,
        label=f"Kaart van de leden van {doc['organisatie']['naam']}",
        focus=members,
        labels=_by_size(sorted(members), outlines, names),
        max_labels=10,
        **drawing,
    )
    return {"svg": svg, "legende": [{"kleur": MEMBER, "label": "lid"}, {"kleur": EMPTY, "label": "geen lid"}]}


def layer_map(
    doc: dict[str, Any], outlines: dict[str, Outline], names: dict[str, str], with_day: Any, **drawing: Any
) -> dict[str, Any]:
    assignment: dict[str, list[str]] = doc["kaart"]["toewijzing"]
    groups: dict[str, set[str]] = {}
    for nis, keys in assignment.items():
        groups.setdefault(keys[0], set()).add(nis)
    colours = colour_groups(groups, outlines)
    region_name: dict[str, str] = doc["kaart"]["regionamen"]
    areas = []
    for nis in sorted(outlines):
        keys = assignment.get(nis, [])
        if not keys:
            areas.append(Area(nis, names.get(nis, nis), EMPTY, None, f"{names.get(nis, nis)}: geen regio in deze laag"))
            continue
        regions = ", ".join(region_name.get(k, k) for k in keys)
        areas.append(
            Area(
                nis,
                names.get(nis, nis),
                colours[keys[0]],
                with_day(f"/gemeenten/{nis}"),
                f"{names.get(nis, nis)}: {regions}",
            )
        )
    labels = largest(group_label(region_name.get(k, k), codes, outlines) for k, codes in groups.items())
    svg = render(areas, outlines, label=f"Kaart van de laag {doc['kaart']['titel']}", labels=labels, **drawing)
    legend = [{"kleur": colours[key], "label": name} for key, name in region_name.items() if key in colours]
    legend.append({"kleur": EMPTY, "label": "niet gedekt"})
    return {"svg": svg, **_legend_or_note(groups, legend)}


def overview_map(outlines: dict[str, Outline], names: dict[str, str], with_day: Any) -> dict[str, Any]:
    areas = [Area(nis, names.get(nis, nis), SEQUENTIAL[1], with_day(f"/gemeenten/{nis}")) for nis in sorted(outlines)]
    by_name = {name: nis for nis, name in names.items()}
    labels = [Label(n, outlines[by_name[n]].anchor) for n in CAPITALS if by_name.get(n) in outlines]
    return {"svg": render(areas, outlines, label="Kaart van de Vlaamse gemeenten", labels=labels), "legende": []}


def community_map(
    doc: dict[str, Any], outlines: dict[str, Outline], names: dict[str, str], with_day: Any
) -> dict[str, Any]:
    community: dict[str, int] = doc["gemeenschap_per_gemeente"]
    groups: dict[str, set[str]] = {}
    for nis, c in community.items():
        groups.setdefault(str(c), set()).add(nis)
    colours = colour_groups(groups, outlines)
    areas = [
        Area(
            nis,
            names.get(nis, nis),
            colours[str(community[nis])],
            with_day(f"/gemeenten/{nis}"),
            f"{names.get(nis, nis)}: gemeenschap {community[nis] + 1}",
        )
        if nis in community
        else Area(nis, names.get(nis, nis), EMPTY)
        for nis in sorted(outlines)
    ]
    labels = largest(group_label(f"gemeenschap {int(k) + 1}", codes, outlines) for k, codes in groups.items())
    svg = render(areas, outlines, label="Kaart van de gemeenschappen in het samenwerkingsnetwerk", labels=labels)
    legend = [
        {"kleur": colours[str(c)], "label": f"gemeenschap {c + 1} ({len(groups[str(c)])} gemeenten)"}
        for c in sorted({int(k) for k in groups})
    ]
    return {"svg": svg, **_legend_or_note(groups, legend)}


def choropleth(
    values: dict[str, float],
    buckets: tuple[tuple[float, float, str], ...],
    unit: str,
    label: str,
    outlines: dict[str, Outline],
    names: dict[str, str],
    with_day: Any,
    **drawing: Any,
) -> dict[str, Any]:
    """Municipalities shaded by a value in ``buckets`` ((low, high, label) with low <= v < high); ``drawing``:
    render's map_id, shared and define."""

    def colour(v: float) -> str:
        for i, (low, high, _) in enumerate(buckets):
            if low <= v < high:
                return SEQUENTIAL[min(i + 1, len(SEQUENTIAL) - 1)]
        return SEQUENTIAL[-1]

    areas = [
        Area(
            nis,
            names.get(nis, nis),
            colour(values[nis]),
            with_day(f"/gemeenten/{nis}"),
            f"{names.get(nis, nis)}: {values[nis]:g} {unit}",
        )
        if nis in values
        else Area(nis, names.get(nis, nis), EMPTY)
        for nis in sorted(outlines)
    ]
    legend = [
        {"kleur": SEQUENTIAL[min(i + 1, len(SEQUENTIAL) - 1)], "label": text} for i, (_, _, text) in enumerate(buckets)
    ]
    return {"svg": render(areas, outlines, label=label, **drawing), "legende": legend}


def planner_map(
    chosen: set[str], outlines: dict[str, Outline], names: dict[str, str], toggle: Any, flemish: set[str]
) -> dict[str, Any]:
    """Every Flemish municipality is a link that adds it to the group or takes it out (``toggle(nis)``)."""
    areas = [
        Area(
            nis,
            names.get(nis, nis),
            MEMBER if nis in chosen else EMPTY,
            toggle(nis) if nis in flemish else None,
            f"{names.get(nis, nis)}: {'gekozen, klik om weg te laten' if nis in chosen else 'klik om toe te voegen'}",
        )
        for nis in sorted(outlines)
    ]
    svg = render(
        areas,
        outlines,
        label="Kaart: kies de gemeenten van de samenwerking",
        labels=_by_size(sorted(chosen), outlines, names),
    )
    return {"svg": svg, "legende": [{"kleur": MEMBER, "label": "gekozen"}, {"kleur": EMPTY, "label": "niet gekozen"}]}
