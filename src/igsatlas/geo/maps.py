"""Server-rendered SVG maps: areas with a name (title), an optional link, and a fill from a legend."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

from igsatlas.geo.coverage import simplify_together
from igsatlas.geo.shapes import label_point, parse_path, relative_path, signed_area

# Fills that differ visibly from each other and from EMPTY (at least 27 CIELAB units apart, lightness 45-88 so
# that a label with a white halo reads on each); text on the page never relies on colour alone.
PALETTE = (
    "#0077bb",
    "#ee8866",
    "#228833",
    "#eedd88",
    "#aa4499",
    "#66ccee",
    "#cc3311",
    "#009988",
    "#ee99aa",
    "#aaaa00",
    "#ee3377",
    "#997700",
    "#cc99ff",
    "#99cc99",
    "#ccccff",
)
SEQUENTIAL = ("#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b")
EMPTY = "#eeeeee"
FOCUS = "#d95f02"


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    fill: str
    href: str | None = None
    title: str | None = None  # tooltip text; defaults to the name


@dataclass(frozen=True)
class Outline:
    """A municipality's path simplified for the map scale, its box (decametres, y down), its area (square
    decametres) and a point inside it for a label."""

    path: str
    box: tuple[int, int, int, int]
    area: float = 0.0
    anchor: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Label:
    text: str
    at: tuple[int, int]


TOLERANCE = 24.0  # decametres: about as many points as a Douglas-Peucker of 120 m, a map of Flanders' scale
SMALLEST = 24  # decametres: rings narrower and lower than this are left out


def outlines(paths: Mapping[str, str], tolerance: float = TOLERANCE) -> dict[str, Outline]:
    """The outlines of a set of municipalities (code -> stored path), simplified together so that neighbours share
    each border point for point; box, area and label point come from the full boundary."""
    simplified = simplify_together(paths, tolerance)
    out = {}
    for code, path in paths.items():
        rings = parse_path(path)
        xs = [x for ring in rings for x, _ in ring]
        ys = [y for ring in rings for _, y in ring]
        out[code] = Outline(
            relative_path(simplified[code], 0, min_extent=SMALLEST),
            (min(xs), min(ys), max(xs), max(ys)),
            abs(sum(signed_area(r) for r in rings)),
            label_point(rings),
        )
    return out


def group_label(text: str, codes: Iterable[str], outlines: dict[str, Outline]) -> tuple[float, Label] | None:
    """A label for a group of areas (a region), with the group's area as its weight: placed in the member
    nearest to the group's area-weighted centre, so that it lies inside the region."""
    members = [outlines[c] for c in sorted(codes) if c in outlines and outlines[c].area]  # sums in one order
    if not members:
        return None
    total = sum(m.area for m in members)
    cx = sum(m.anchor[0] * m.area for m in members) / total
    cy = sum(m.anchor[1] * m.area for m in members) / total
    centre = min(members, key=lambda m: (m.anchor[0] - cx) ** 2 + (m.anchor[1] - cy) ** 2)
    return total, Label(text, centre.anchor)


def largest(candidates: Iterable[tuple[float, Label] | None]) -> list[Label]:
    """Labels in order of their weight, largest first."""
    return [label for _, label in sorted((c for c in candidates if c), key=lambda c: (-c[0], c[1].text))]


def render(
    areas: Sequence[Area],
    outlines: dict[str, Outline],
    *,
    label: str,
    focus: Iterable[str] = (),
    margin: int = 300,
    map_id: str = "kaart",
    labels: Sequence[Label] = (),
    max_labels: int = 16,
    shared: str | None = None,
    define: bool = True,
) -> str:
    """An inline SVG: one <path> per area, wrapped in a link where it has one, zoomed on ``focus``; then the
    ``labels`` (most important first) that fit in the view without overlapping one placed before.

    With ``shared`` (an id prefix) the outlines are paths with ids in <defs> and each area is a <use> of its
    outline: several maps on one page draw the same outlines once (the first with ``define``, the others
    without), and the geometry is one run of text without links or days, which a page kept per register state
    compresses once (see web.day_pages). Files to download keep their paths inline (older tools lack <use>)."""
    focus = [c for c in focus if c in outlines]
    # A map of all Flanders is wide (CSS class "breed"); on a phone every map fits the width, its names hidden in
    # favour of the list beside it.
    whole = not focus
    focus = focus or list(outlines)
    x0 = min(outlines[c].box[0] for c in focus) - margin
    y0 = min(outlines[c].box[1] for c in focus) - margin
    x1 = max(outlines[c].box[2] for c in focus) + margin
    y1 = max(outlines[c].box[3] for c in focus) + margin
    width, height = x1 - x0, y1 - y0
    stroke = max(width, height) / 900
    kind = "kaart breed" if whole and width > 1.6 * height else "kaart"
    shape = "use" if shared else "path"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{map_id}" class="{kind}" viewBox="{x0} {y0} {width} {height}" '
        f'role="group" aria-label="{escape(label)}" preserveAspectRatio="xMidYMid meet">',
        f"<style>#{map_id} {shape}{{stroke:#fff;stroke-width:{stroke:.1f};stroke-linejoin:round}}"
        f"#{map_id} a:focus {shape},#{map_id} a:hover {shape}{{stroke:#000;stroke-width:{3 * stroke:.1f}}}</style>",
    ]
    drawn = [a for a in areas if a.code in outlines and outlines[a.code].path]
    if shared and define:
        out.append("<defs>")
        out.extend(f'<path id="{shared}-{c}" d="{outlines[c].path}"/>' for c in sorted(outlines) if outlines[c].path)
        out.append("</defs>")
    for area in drawn:
        title = escape(area.title or area.name)
        if shared:
            path = f'<use href="#{shared}-{area.code}" fill="{area.fill}"><title>{title}</title></use>'
        else:
            path = f'<path d="{outlines[area.code].path}" fill="{area.fill}"><title>{title}</title></path>'
        if area.href:
            out.append(f'<a href="{escape(area.href)}" aria-label="{title}">{path}</a>')
        else:
            out.append(path)
    out.extend(_labels(labels, (x0, y0, x1, y1), max_labels))
    out.append("</svg>")
    return "".join(out)


def _labels(labels: Sequence[Label], view: tuple[int, int, int, int], most: int) -> list[str]:
    """Text with a white halo; hidden from screen readers, which read each area's own name."""
    x0, y0, x1, y1 = view
    size = max(x1 - x0, y1 - y0) / 60
    placed: list[tuple[float, float, float, float]] = []
    out: list[str] = []
    for label in labels:
        if len(placed) >= most:
            break
        x, y = label.at
        half = 0.3 * size * len(label.text)
        box = (x - half, y - size, x + half, y + 0.4 * size)
        if box[0] < x0 or box[2] > x1 or box[1] < y0 or box[3] > y1:
            continue
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
            continue
        placed.append(box)
        out.append(f'<text x="{x}" y="{y}">{escape(label.text)}</text>')
    if not out:
        return []
    head = (
        f'<g class="namen" aria-hidden="true" pointer-events="none" font-family="sans-serif" font-size="{size:.0f}" '
        f'text-anchor="middle" fill="#111" stroke="#fff" stroke-width="{size / 5:.0f}" paint-order="stroke" '
        'stroke-linejoin="round">'
    )
    return [head, *out, "</g>"]


def touching(outlines: dict[str, Outline], groups: dict[str, set[str]], gap: int = 20) -> dict[str, set[str]]:
    """Which groups (e.g. regions) have member areas whose boxes touch: a cheap neighbourhood for colouring."""
    owner = {code: g for g, codes in groups.items() for code in codes if code in outlines}
    codes = list(owner)
    near: dict[str, set[str]] = {g: set() for g in groups}
    for i, a in enumerate(codes):
        ax0, ay0, ax1, ay1 = outlines[a].box
        for b in codes[i + 1 :]:
            if owner[a] == owner[b]:
                continue
            bx0, by0, bx1, by1 = outlines[b].box
            if ax0 - gap <= bx1 and bx0 - gap <= ax1 and ay0 - gap <= by1 and by0 - gap <= ay1:
                near[owner[a]].add(owner[b])
                near[owner[b]].add(owner[a])
    return near


def colour_groups(groups: dict[str, set[str]], outlines: dict[str, Outline]) -> dict[str, str]:
    """A palette colour per group, different from its neighbours' where the palette allows."""
    near = touching(outlines, groups)
    colours: dict[str, str] = {}
    uses = dict.fromkeys(PALETTE, 0)
    for g in sorted(groups, key=lambda g: (-len(near[g]), g)):
        taken = {colours[n] for n in near[g] if n in colours}
        free = [c for c in PALETTE if c not in taken] or list(PALETTE)
        colour = min(free, key=lambda c: uses[c])  # the least used: neighbours differ, colours spread
        colours[g] = colour
        uses[colour] += 1
    return colours
