"""Search: accent- and case-insensitive, tolerant of hyphens, 'Sint'/'St.' and small typos.

Finds municipalities and organisations by name, alternative name, KBO number (with or without dots), NIS code
and postcode. Pure functions over an index the web builds from the register.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_ST = re.compile(r"\bst\b\.?\s*")
_NON_WORD = re.compile(r"[^a-z0-9]+")

KIND_ORDER = ("gemeente", "samenwerkingsverband", "regio", "organisatie")
KIND_LABELS = {
    "gemeente": "Gemeenten",
    "samenwerkingsverband": "Samenwerkingsverbanden",
    "regio": "Regio's van thematische lagen",
    "organisatie": "Andere organisaties",
}


def normalise(text: str) -> str:
    """'St.-Niklaas' -> 'sint niklaas'; 'Zwijndrecht (Antwerpen)' -> 'zwijndrecht antwerpen'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    ascii_text = _ST.sub("sint ", ascii_text)
    return _NON_WORD.sub(" ", ascii_text).strip()


def within_edits(a: str, b: str, limit: int) -> bool:
    """Is the Levenshtein distance between a and b at most ``limit``? (banded, stops early)"""
    if abs(len(a) - len(b)) > limit:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit


@dataclass(frozen=True)
class Entry:
    kind: str  # one of KIND_ORDER
    title: str
    detail: str  # what kind of thing, e.g. "Projectvereniging, actief"
    url: str
    names: tuple[str, ...]  # normalised names to match
    codes: tuple[str, ...] = ()  # KBO number, NIS code: exact matches
    postcodes: tuple[str, ...] = ()
    rank: int = 0  # lower first among equal scores (e.g. active before inactive)


@dataclass
class Hit:
    entry: Entry
    score: int


@dataclass
class Results:
    query: str
    groups: dict[str, list[Hit]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(len(h) for h in self.groups.values())


def _name_score(query: str, tokens: list[str], name: str) -> int:
    if name == query:
        return 100
    if name.startswith(query):
        return 85
    words = name.split()
    if all(any(w.startswith(t) for w in words) for t in tokens):
        return 75
    if query in name:
        return 60
    fuzzy = 0
    for t in tokens:
        limit = 1 if len(t) < 8 else 2
        if len(t) >= 4 and any(within_edits(t, w[: len(t) + limit], limit) or within_edits(t, w, limit) for w in words):
            fuzzy += 1
        elif not any(w.startswith(t) for w in words):
            return 0
    return 40 if fuzzy else 0


def search(entries: list[Entry], text: str, limit: int = 20) -> Results:
    query = normalise(text)
    results = Results(query=text.strip())
    if not query:
        return results
    digits = re.sub(r"\D", "", text) if re.fullmatch(r"[\s.\dBEbe-]+", text.strip()) else ""
    hits: list[Hit] = []
    tokens = query.split()
    for entry in entries:
        if digits:
            kbo = digits.zfill(10) if len(digits) == 9 else digits
            if kbo in entry.codes or digits in entry.codes:
                hits.append(Hit(entry, 100))
            elif digits in entry.postcodes:
                hits.append(Hit(entry, 90))
            continue
        score = max((_name_score(query, tokens, n) for n in entry.names), default=0)
        if score:
            hits.append(Hit(entry, score))
    hits.sort(key=lambda h: (-h.score, h.entry.rank, h.entry.title))
    for hit in hits:
        group = results.groups.setdefault(hit.entry.kind, [])
        if len(group) < limit:
            group.append(hit)
    results.groups = {k: results.groups[k] for k in KIND_ORDER if k in results.groups}
    return results
