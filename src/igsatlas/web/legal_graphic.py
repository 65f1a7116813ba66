"""The legal forms as an infographic, drawn on the server as SVG: each form placed by legal personality (left or
right) and management transfer (bottom or top), with its maximum duration and who may take part, each a link to
the form's page. The comparison table on the same page is its text alternative."""

from __future__ import annotations

from html import escape
from typing import Any

BOX_W, BOX_H, GAP = 204, 128, 12
MARGIN_X, MARGIN_Y = 120, 40
HALF_W, HALF_H = 2 * BOX_W + 3 * GAP, 2 * BOX_H + 3 * GAP  # a quarter holds two rows of two forms
WIDTH, HEIGHT = MARGIN_X + 2 * HALF_W, 2 * HALF_H + MARGIN_Y


def _yes(cell: dict[str, Any]) -> bool:
    """'Ja, publiekrechtelijk.', 'Overdracht van OCMW-taken': yes; 'Nee.' or not established: no."""
    return not str(cell["tekst"]).lower().startswith(("nee", "niet vastgesteld"))


def _short(text: str, limit: int) -> list[str]:
    """``text`` in lines of at most ``limit`` characters (two lines, the second cut with an ellipsis)."""
    words, lines, line = text.split(), [], ""
    for w in words:
        if len(line) + len(w) + 1 > limit and line:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    if len(lines) > 2:
        lines = [lines[0], lines[1][: limit - 1].rstrip(" ,;.") + "…"]
    return lines


def _box(form: dict[str, Any], x: int, y: int) -> str:
    duration = form["criteria"]["duur"]
    people = form["criteria"]["deelnemers"]
    lines = [
        *((t, "vorm", 16) for t in _short(form["titel"], 26)),
        *((t, "feit", 15) for t in _short("Duur: " + duration["tekst"], 30)),
        *((t, "feit", 15) for t in _short("Deelnemers: " + people["tekst"], 30)),
    ]
    rows, at = [], y + 4
    for i, (text, kind, height) in enumerate(lines):
        gap = 6 if i and (kind != lines[i - 1][1] or text.startswith("Deelnemers")) else 0
        at += height + gap
        rows.append(f'<text x="{x + 10}" y="{at}" class="{kind}">{escape(text)}</text>')
    return (  # its name is its visible text; the table below has every fact in full, with articles
        f'<a href="{form["rechtsvorm"]["url"]}">'
        f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="4" class="vak"/>' + "".join(rows) + "</a>"
    )


def infographic(doc: dict[str, Any]) -> str:
    """The SVG of the comparison document (documents.legal.comparison_document)."""
    half_w, half_h = HALF_W, HALF_H
    quadrants: dict[tuple[bool, bool], list[dict[str, Any]]] = {}
    for f in doc["vormen"]:
        key = (_yes(f["criteria"]["rechtspersoonlijkheid"]), _yes(f["criteria"]["beheersoverdracht"]))
        quadrants.setdefault(key, []).append(f)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" class="infographic" role="group" '
        'aria-labelledby="ig-titel ig-uitleg">',
        '<title id="ig-titel">De rechtsvormen geplaatst naar rechtspersoonlijkheid en beheersoverdracht</title>',
        '<desc id="ig-uitleg">Links de vormen zonder rechtspersoonlijkheid, rechts die met; onderaan zonder '
        "overdracht van beheer, bovenaan met. Elk vak noemt de duur en wie mag deelnemen en leidt naar de pagina "
        "van de vorm. De tabel hieronder zegt hetzelfde, met artikels en zekerheid.</desc>",
        "<style>.vak{fill:#f3f5f7;stroke:#0b4f8a}.vorm{font:600 13px sans-serif;fill:#0b4f8a}"
        ".feit{font:11px sans-serif;fill:#1a1a1a}.as{font:600 12px sans-serif;fill:#4a4a4a}"
        ".lijn{stroke:#c8c8c8;stroke-width:1}a:focus .vak{stroke:#d95f02;stroke-width:3}</style>",
        f'<line x1="{MARGIN_X + half_w}" y1="0" x2="{MARGIN_X + half_w}" y2="{HEIGHT - MARGIN_Y}" class="lijn"/>',
        f'<line x1="{MARGIN_X}" y1="{half_h}" x2="{WIDTH}" y2="{half_h}" class="lijn"/>',
        f'<text x="{MARGIN_X + 8}" y="{HEIGHT - 14}" class="as">Geen rechtspersoonlijkheid</text>',
        f'<text x="{MARGIN_X + half_w + 8}" y="{HEIGHT - 14}" class="as">Rechtspersoonlijkheid</text>',
        f'<text x="4" y="{half_h // 2}" class="as">Beheers-</text>',
        f'<text x="4" y="{half_h // 2 + 15}" class="as">overdracht</text>',
        f'<text x="4" y="{half_h + half_h // 2}" class="as">Geen beheers-</text>',
        f'<text x="4" y="{half_h + half_h // 2 + 15}" class="as">overdracht</text>',
    ]
    for (personality, transfer), forms in sorted(quadrants.items()):
        left = MARGIN_X + (half_w if personality else 0) + GAP
        top = (0 if transfer else half_h) + GAP
        for i, f in enumerate(forms[:4]):
            parts.append(_box(f, left + (i % 2) * (BOX_W + GAP), top + (i // 2) * (BOX_H + GAP)))
    parts.append("</svg>")
    return "".join(parts)
