"""Search the way people ask: accent- and case-insensitive, tolerant of hyphens, 'Sint'/'St.' and small typos
(rapidfuzz), and aware of what a word means.

A query can name a kind of body in everyday words ("politie", "brandweer", "ocmw", "intercommunale",
"eerstelijnszone", "zorgraad", "vervoerregio", "erfgoedcel"), a policy theme ("afval", "water"), and a place (a
municipality of either map, a former municipality, or a deelgemeente): "politie gent" finds the police zone that
serves Gent, "afval leuven" the waste cooperations Leuven is in, "Lembeek" the deelgemeente and its municipality.
Names, alternative names, KBO numbers (with or without dots), NIS codes and postcodes are found as before. Pure
functions over an index the web builds from the register.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

_ST = re.compile(r"\bst\b\.?\s*")
_NON_WORD = re.compile(r"[^a-z0-9]+")

KIND_ORDER = ("gemeente", "plaats", "samenwerkingsverband", "regio", "organisatie")
KIND_LABELS = {
    "gemeente": "Gemeenten",
    "plaats": "Deelgemeenten en plaatsen",
    "samenwerkingsverband": "Samenwerkingsverbanden",
    "regio": "Regio's van thematische lagen",
    "organisatie": "Andere organisaties",
}

# Everyday words -> the kinds they mean: a classification code, a family ("igs") or a layer ("laag:elz").
SYNONYMS: dict[str, frozenset[str]] = {
    word: frozenset(kinds)
    for words, kinds in (
        (("politie", "politiezone", "politiezones", "pz", "flik"), ("politiezone", "laag:politiezone")),
        (
            ("brandweer", "brandweerzone", "hulpverleningszone", "hulpverleningszones", "hvz", "ambulance"),
            ("hulpverleningszone", "laag:hulpverleningszone"),
        ),
        (("ocmw", "ocmws", "sociaal", "welzijn"), ("ocmw", "welzijnsvereniging")),
        (
            ("intercommunale", "intercommunales", "intergemeentelijk", "intergemeentelijke", "igs"),
            ("igs",),
        ),
        (("projectvereniging",), ("projectvereniging",)),
        (("dienstverlenende", "dienstverlenend"), ("dienstverlenende-vereniging",)),
        (("opdrachthoudende", "opdrachthoudend"), ("opdrachthoudende-vereniging",)),
        (("interlokale", "ilv"), ("interlokale-vereniging",)),
        (("agb", "gemeentebedrijf"), ("autonoom-gemeentebedrijf",)),
        (("eerstelijnszone", "eerstelijnszones", "elz", "zorgraad", "eerstelijn"), ("laag:elz",)),
        (("vervoerregio", "vervoerregios", "vervoer", "mobiliteit"), ("laag:vervoerregio",)),
        (("erfgoedcel", "erfgoedcellen"), ("laag:erfgoedcel",)),
        (("ioed", "onroerenderfgoeddienst", "erfgoeddienst"), ("laag:ioed",)),
        (("uitpas",), ("laag:uitpas",)),
        (("referentieregio", "referentieregios", "regiovorming"), ("laag:referentieregio",)),
        (("cultuur", "cultuurregio", "bovenlokale"), ("laag:bovenlokale-cultuur",)),
        (("woonmaatschappij", "woonmaatschappijen"), ("laag:woonmaatschappij",)),
        (("landschap", "regionaal"), ("laag:regionaal-landschap",)),
    )
    for word in words
}
# Words that only say "a region" or "a cooperation": ignored when the query names a kind or a place.
FILLERS = frozenset({"regio", "zone", "samenwerking", "samenwerkingsverband", "van", "de", "het", "in", "voor"})


def normalise(text: str) -> str:
    """'St.-Niklaas' -> 'sint niklaas'; 'Zwijndrecht (Antwerpen)' -> 'zwijndrecht antwerpen'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    ascii_text = _ST.sub("sint ", ascii_text)
    ascii_text = ascii_text.replace("'", "")
    return _NON_WORD.sub(" ", ascii_text).strip()


def within_edits(a: str, b: str, limit: int) -> bool:
    """Is the Levenshtein distance between a and b at most ``limit``?"""
    return Levenshtein.distance(a, b, score_cutoff=limit) <= limit


@dataclass(frozen=True)
class Entry:
    kind: str  # one of KIND_ORDER
    title: str
    detail: str  # what kind of thing, e.g. "Projectvereniging, actief"; for a region, which layer
    url: str
    names: tuple[str, ...]  # normalised names to match
    codes: tuple[str, ...] = ()  # KBO number, NIS code: exact matches
    postcodes: tuple[str, ...] = ()
    rank: int = 0  # lower first among equal scores (e.g. active before inactive, current before merged)
    kinds: frozenset[str] = frozenset()  # classification code, family, "laag:<id>" for a region
    places: frozenset[str] = frozenset()  # NIS codes of the municipalities it is or serves today
    themes: tuple[str, ...] = ()  # normalised labels of its policy themes


@dataclass(frozen=True)
class Index:
    entries: list[Entry]
    places: dict[str, frozenset[str]] = field(default_factory=dict)  # normalised place name -> NIS codes
    vocabulary: frozenset[str] = frozenset()  # every word of every name, for typo tolerance
    theme_words: frozenset[str] = frozenset()

    @classmethod
    def of(cls, entries: list[Entry], places: dict[str, frozenset[str]] | None = None) -> Index:
        words = frozenset(w for e in entries for name in e.names for w in name.split())
        themes = frozenset(w for e in entries for label in e.themes for w in label.split() if len(w) >= 4)
        return cls(entries, places or {}, words, themes)


@dataclass
class Hit:
    entry: Entry
    score: int


@dataclass
class Results:
    query: str
    groups: dict[str, list[Hit]] = field(default_factory=dict)
    reading: Reading | None = None  # how a query of kinds, themes and a place was read

    @property
    def count(self) -> int:
        return sum(len(h) for h in self.groups.values())


def _name_score(query: str, tokens: list[str], name: str, near: dict[str, frozenset[str]]) -> int:
    """How well a name answers the query; ``near`` holds, per token, the index's words within a few edits."""
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
        if any(w in near.get(t, ()) for w in words):
            fuzzy += 1
        elif not any(w.startswith(t) for w in words):
            return 0
    return 40 if fuzzy else 0


def near_words(tokens: list[str], vocabulary: frozenset[str]) -> dict[str, frozenset[str]]:
    """Per token of four letters or more: the words of the index within 1 edit (2 from eight letters), whole or
    as a prefix of the token's length ("interleuvn" -> "interleuven")."""
    out: dict[str, frozenset[str]] = {}
    for t in tokens:
        if len(t) < 4:
            continue
        limit = 1 if len(t) < 8 else 2
        out[t] = frozenset(
            w
            for w in vocabulary
            if (abs(len(w) - len(t)) <= limit and within_edits(t, w, limit))
            or (len(w) > len(t) and within_edits(t, w[: len(t) + limit], limit))
        )
    return out


@dataclass(frozen=True)
class Reading:
    """What the words of a query mean: kinds, themes, a place, and the words left for names."""

    kinds: frozenset[str]
    themes: tuple[str, ...]
    place: frozenset[str]
    place_words: str
    rest: list[str]


def read(index: Index, tokens: list[str], theme_words: frozenset[str]) -> Reading:
    place: frozenset[str] = frozenset()
    place_words = ""
    used: set[int] = set()
    for size in range(min(4, len(tokens)), 0, -1):  # the longest place name first ("sint pieters leeuw")
        for i in range(len(tokens) - size + 1):
            span = " ".join(tokens[i : i + size])
            if not place and span in index.places and not used & set(range(i, i + size)):
                place, place_words = index.places[span], span
                used |= set(range(i, i + size))
    kinds: set[str] = set()
    themes: list[str] = []
    rest: list[str] = []
    for i, t in enumerate(tokens):
        if i in used:
            continue
        if t in SYNONYMS:
            kinds |= SYNONYMS[t]
        elif len(t) >= 4 and any(w.startswith(t) for w in theme_words):
            themes.append(t)
        else:
            rest.append(t)
    return Reading(frozenset(kinds), tuple(themes), place, place_words, rest)


def _matches(entry: Entry, r: Reading) -> bool:
    if r.kinds and not entry.kinds & r.kinds:
        return False
    if r.themes and not all(any(t in label for label in entry.themes) for t in r.themes):
        return False
    return not (r.place and not entry.places & r.place)


def search(index: Index | list[Entry], text: str, limit: int = 20) -> Results:
    if isinstance(index, list):
        index = Index.of(index)
    query = normalise(text)
    results = Results(query=text.strip())
    if not query:
        return results
    digits = re.sub(r"\D", "", text) if re.fullmatch(r"[\s.\dBEbe-]+", text.strip()) else ""
    tokens = query.split()
    scores: dict[int, int] = {}
    entries = index.entries
    near = {} if digits else near_words(tokens, index.vocabulary)
    for n, entry in enumerate(entries):
        if digits:
            kbo = digits.zfill(10) if len(digits) == 9 else digits
            if kbo in entry.codes or digits in entry.codes:
                scores[n] = 100
            elif digits in entry.postcodes:
                scores[n] = 90
            continue
        score = max((_name_score(query, tokens, name, near) for name in entry.names), default=0)
        if score:
            scores[n] = score
    if not digits:
        r = read(index, tokens, index.theme_words)
        rest = [t for t in r.rest if t not in FILLERS]
        if (r.kinds or r.themes) and not rest:
            # "politie gent", "afval leuven", "brandweer": a kind or theme, maybe with a place
            for n, entry in enumerate(entries):
                if entry.kind not in ("gemeente", "plaats") and _matches(entry, r):
                    scores[n] = max(scores.get(n, 0), 95 if r.place else 70)
            results.reading = r
            if not r.place:
                limit = max(limit, 200)  # "politie": every police zone, not the first twenty
    hits = [Hit(entries[n], s) for n, s in scores.items()]
    hits.sort(key=lambda h: (-h.score, h.entry.rank, h.entry.title, h.entry.detail))
    for hit in hits:
        group = results.groups.setdefault(hit.entry.kind, [])
        if len(group) < limit:
            group.append(hit)
    results.groups = {k: results.groups[k] for k in KIND_ORDER if k in results.groups}
    return results
