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


def expand_first_use(html: str) -> str:
    """The page with the first occurrence of each known abbreviation in its visible text wrapped in <abbr>."""
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
