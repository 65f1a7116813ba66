"""Abbreviations written out on their first use in a page: the first occurrence in the page's text becomes
<abbr title="...">, so a reader (and a screen reader) learns what DLB or IOED stands for."""

from __future__ import annotations

import re
from html import escape

# The abbreviations of this field that a page may use, with what they stand for (docs/glossary.md).
ABBREVIATIONS = {
    "DLB": "Decreet over het lokaal bestuur (22 december 2017)",
    "DIS": "decreet van 6 juli 2001 houdende de intergemeentelijke samenwerking (opgeheven)",
    "IGS": "intergemeentelijke samenwerking",
    "OCMW": "openbaar centrum voor maatschappelijk welzijn",
    "AGB": "autonoom gemeentebedrijf",
    "APB": "autonoom provinciebedrijf",
    "PEVA": "privaatrechtelijk extern verzelfstandigd agentschap",
    "KBO": "Kruispuntbank van Ondernemingen",
    "NIS": "Nationaal Instituut voor de Statistiek, nu Statbel",
    "OVO": "Organisatie Vlaamse Overheid: het nummer in Wegwijs",
    "IOED": "intergemeentelijke onroerenderfgoeddienst",
    "ELZ": "eerstelijnszone",
    "ILV": "interlokale vereniging",
    "PV": "projectvereniging",
    "DV": "dienstverlenende vereniging",
    "OV": "opdrachthoudende vereniging",
    "HVZ": "hulpverleningszone",
    "PZ": "politiezone",
    "LBLOD": "Lokale Besluiten als Gelinkte Open Data: het register van Agentschap Binnenlands Bestuur",
    "CSV": "kommagescheiden bestand, te openen in een rekenblad",
    "SVG": "vectorafbeelding",
}
_WORD = re.compile(r"(?<![\w-])(" + "|".join(sorted(ABBREVIATIONS, key=len, reverse=True)) + r")(?!\w)")
_TAG = re.compile(r"(<[^>]*>)")
# Text inside these is not touched: it is not shown as text, cannot hold markup, or is already expanded.
_SKIP = frozenset({"head", "script", "style", "title", "abbr", "option", "textarea", "svg", "code", "pre"})
_NAME = re.compile(r"</?([a-zA-Z0-9]+)")


_EMPTY_SVG = "<svg></svg>"  # where a map was set aside


def _without_svg(html: str) -> tuple[str, list[str]]:
    """The page with each outermost <svg>...</svg> (a map: most of a page's bytes, never touched) replaced by an
    empty <svg></svg>, and those elements in order, to be put back."""
    out, kept, at = [], [], 0
    while (start := html.find("<svg", at)) >= 0:
        depth, end = 0, start
        while True:  # to the </svg> that closes this one, past any nested <svg>
            opening, closing = html.find("<svg", end + 1), html.find("</svg>", end + 1)
            if closing < 0:
                return html, []  # not well formed: leave the page to the tag by tag walk
            if 0 <= opening < closing:
                depth, end = depth + 1, opening
            elif depth:
                depth, end = depth - 1, closing
            else:
                end = closing + len("</svg>")
                break
        out += [html[at:start], _EMPTY_SVG]
        kept.append(html[start:end])
        at = end
    out.append(html[at:])
    return "".join(out), kept


def expand_first_use(html: str) -> str:
    """The page with the first occurrence of each known abbreviation in its visible text wrapped in <abbr>.

    The maps are set aside first (their text is never touched, and they are most of a page's bytes)."""
    stripped, maps = _without_svg(html) if _EMPTY_SVG not in html else (html, [])
    if not maps:
        return _expand(html)
    pieces = _expand(stripped).split(_EMPTY_SVG)  # _expand adds only <abbr>: one piece more than maps
    return "".join(p for pair in zip(pieces, [*maps, ""], strict=True) for p in pair)


def _expand(html: str) -> str:
    seen: set[str] = set()
    skipping: list[str] = []
    parts = _TAG.split(html)
    for i, part in enumerate(parts):
        if i % 2:  # a tag
            name = _NAME.match(part)
            if name is None or part.endswith("/>"):
                continue
            tag = name.group(1).lower()
            if tag in _SKIP:
                if part.startswith("</"):
                    if skipping and skipping[-1] == tag:
                        skipping.pop()
                else:
                    skipping.append(tag)
            continue
        if skipping and skipping[-1] == "abbr":  # written out by the template itself
            seen.update(_WORD.findall(part))
        if skipping or not part.strip() or len(seen) == len(ABBREVIATIONS):
            continue

        def wrap(match: re.Match[str]) -> str:
            word = match.group(1)
            if word in seen:
                return word
            seen.add(word)
            return f'<abbr title="{escape(ABBREVIATIONS[word])}">{word}</abbr>'

        parts[i] = _WORD.sub(wrap, part)
    return "".join(parts)
