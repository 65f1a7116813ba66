"""Server-rendered SVG maps: areas with a name (title), an optional link, and a fill from a legend."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape

from igsatlas.geo.shapes import parse_path, relative_path

# Distinguishable fills (colour-blind safe first; text on the page never relies on colour alone).
PALETTE = (
    "#4477aa",
    "#ee6677",
    "#228833",
    "#ccbb44",
    "#66ccee",
    "#aa3377",
    "#bbbbbb",
    "#ee8866",
    "#44bb99",
    "#99ddff",
    "#ffaabb",
    "#eedd88",
    "#77aadd",
    "#aaaa00",
    "#dd7788",
    "#117755",
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
    """A municipality's path simplified for the map scale, and its box (decametres, y down)."""

    path: str
    box: tuple[int, int, int, int]


@lru_cache(maxsize=4096)
def outline(svg_path: str, tolerance: float = 12.0) -> Outline:
    rings = parse_path(svg_path)
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    return Outline(relative_path(rings, tolerance, min_extent=tolerance * 2), (min(xs), min(ys), max(xs), max(ys)))


def render(
    areas: Sequence[Area],
    outlines: dict[str, Outline],
    *,
    label: str,
    focus: Iterable[str] = (),
    margin: int = 300,
    map_id: str = "kaart",
) -> str:
    """An inline SVG: one <path> per area, wrapped in a link where it has one, zoomed on ``focus``."""
    focus = [c for c in focus if c in outlines] or list(outlines)
    x0 = min(outlines[c].box[0] for c in focus) - margin
    y0 = min(outlines[c].box[1] for c in focus) - margin
    x1 = max(outlines[c].box[2] for c in focus) + margin
    y1 = max(outlines[c].box[3] for c in focus) + margin
    width, height = x1 - x0, y1 - y0
    stroke = max(width, height) / 900
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{map_id}" class="kaart" viewBox="{x0} {y0} {width} {height}" '
        f'role="group" aria-label="{escape(label)}" preserveAspectRatio="xMidYMid meet">',
        f"<style>path{{stroke:#fff;stroke-width:{stroke:.1f};stroke-linejoin:round}}"
        f"a:focus path,a:hover path{{stroke:#000;stroke-width:{3 * stroke:.1f}}}</style>",
    ]
    for area in areas:
        shape = outlines.get(area.code)
        if shape is None or not shape.path:
            continue
        title = escape(area.title or area.name)
        path = f'<path d="{shape.path}" fill="{area.fill}"><title>{title}</title></path>'
        if area.href:
            out.append(f'<a href="{escape(area.href)}" aria-label="{title}">{path}</a>')
        else:
            out.append(path)
    out.append("</svg>")
    return "".join(out)


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
