"""Name keys for matching the same organisation across sources ('PZ Assenede/Evergem' = 'PZ Assenede - Evergem')."""

from __future__ import annotations

import re
import unicodedata

# Words that say what kind of thing something is, not which one it is.
GENERIC_WORDS = frozenset(
    [
        "pz",
        "hvz",
        "politiezone",
        "hulpverleningszone",
        "brandweerzone",
        "brandweer",
        "zone",
        "projectvereniging",
        "pv",
        "igs",
        "erfgoedcel",
        "cultuurregio",
        "ioed",
        "uitpas",
        "streekvereniging",
        "intergemeentelijke",
        "kunststad",
    ]
)
_PARENS = re.compile(r"\(([^)]*)\)")
_WORD = re.compile(r"[a-z0-9]+")


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def name_key(text: str) -> str:
    """Lower-case ASCII letters and digits of the distinctive words, run together ('' if none)."""
    text = _ascii(text.split(":", 1)[0]).replace("&", " en ")
    text = _PARENS.sub(" ", text)
    return "".join(w for w in _WORD.findall(text) if w not in GENERIC_WORDS)


def name_variants(name: str, slug: str | None = None) -> set[str]:
    """Keys for a name, for each alternative written in brackets ('CO7 (CultuurOverleg Zeven)'), and the slug."""
    keys = {name_key(name)}
    for inner in _PARENS.findall(name):
        for part in re.split(r"[;,]", inner):
            part = re.sub(r"^\s*(later|formerly|fr:)\s*", "", part.strip(), flags=re.IGNORECASE)
            keys.add(name_key(part))
    if slug:
        keys.add(name_key(slug.replace("-", " ")))
    keys.discard("")
    return keys
