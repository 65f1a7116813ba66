"""Ranked search: every word of a query contributes to an entry's score, none filters.

Each word is searched in the index (bm25 over weighted columns, see index.py); what the words mean raises
entries on top of that: a kind word ("politie", "ocmw") raises bodies of that kind, a place (a municipality of
either map, a former municipality, a deelgemeente, a region such as "Kempen" or a province) raises what serves
it, and most the place's own body of the kind named ("ocmw brugge": the OCMW of Brugge); a name said whole
comes first; what has ended comes after what is in force; a layer word alone puts the layer's page first.
"""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from collections.abc import Container, Iterable
from dataclasses import dataclass, field

from igsatlas.search.index import Entry, Index, Term
from igsatlas.search.words import EXPANSIONS, FILLERS, SYNONYMS, normalise

WORDS = "{name kind place theme}"  # the columns a word is looked for in (codes are digits: see _codes)
KIND_ORDER = ("laag", "gemeente", "plaats", "samenwerkingsverband", "regio", "organisatie")
KIND_LABELS = {
    "laag": "Thematische lagen",
    "gemeente": "Gemeenten",
    "plaats": "Deelgemeenten en plaatsen",
    "samenwerkingsverband": "Samenwerkingsverbanden",
    "regio": "Regio's van thematische lagen",
    "organisatie": "Andere organisaties",
}
_CODE = re.compile(r"[\s.\dBEbe-]+")
NAMED = 15.0  # the query (without fillers) is one of the entry's names
NAME_START = 5.0  # ... or the start of one
KIND = 10.0  # the entry is of the kind a word means first (half for what it means besides)
PLACE = 8.0  # the entry serves the place named (a share of it for a region)
OWN = 6.0  # ... and is that place's own body of the kind named
ENDED = 8.0  # taken off what has ended (a merged municipality named whole: only enough to follow today's)
EVERY_WORD = 4.0  # every word of the query matched
LAYER_ALONE = 30.0  # a layer's words alone: its page first


@dataclass
class Hit:
    entry: Entry
    score: float


@dataclass(frozen=True)
class Reading:
    """What the words of a query mean: kinds, a place, and the words read otherwise."""

    kinds: frozenset[str]
    place: frozenset[str]
    place_words: str
    rest: list[str]
    primary: frozenset[str] = frozenset()  # the kinds the kind words mean first
    themes: tuple[str, ...] = ()


@dataclass
class Results:
    query: str
    groups: dict[str, list[Hit]] = field(default_factory=dict)
    ranked: list[Hit] = field(default_factory=list)
    reading: Reading | None = None  # how a query of kinds and a place was read
    corrections: dict[str, str] = field(default_factory=dict)  # typed word -> the index word it was read as
    count: int = 0  # every entry found, of which ``ranked`` holds the best
    unknown: list[str] = field(default_factory=list)  # words the index does not hold, nor anything near them
    closest: bool = False  # no word was found: these are the entries whose names look most like the query


def read(index: Index, tokens: list[str]) -> Reading:
    """The place (longest name first: "sint pieters leeuw"), the kinds, and the rest of a query's words."""
    place: frozenset[str] = frozenset()
    place_words = ""
    used: set[int] = set()
    for size in range(min(4, len(tokens)), 0, -1):
        for i in range(len(tokens) - size + 1):
            span = " ".join(tokens[i : i + size])
            found = index.places.get(span) or index.regions.get(span)
            if not place and found and not used & set(range(i, i + size)):
                place, place_words = found, span
                used |= set(range(i, i + size))
    kinds: set[str] = set()
    primary: set[str] = set()
    rest: list[str] = []
    for i, t in enumerate(tokens):
        if i in used:
            continue
        if t in SYNONYMS:
            kinds |= set(SYNONYMS[t])
            primary.add(SYNONYMS[t][0])
        elif t not in FILLERS:
            rest.append(t)
    themes = tuple(w for t in rest for w in (t, *EXPANSIONS.get(t, ())) if w in index.theme_words)
    return Reading(frozenset(kinds), place, place_words, rest, frozenset(primary), themes)


def terms(index: Index, tokens: list[str]) -> list[Term]:
    """Each word as the index holds it; two words that the index holds as one ("dijk 92", "eco werf") are
    searched as that one word, or as the two side by side."""
    out: list[Term] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        last = i == len(tokens) - 1
        if not last and index.knows(t + tokens[i + 1]):
            out.append(Term(t + tokens[i + 1], (f'"{t + tokens[i + 1]}"', f'"{t} {tokens[i + 1]}"')))
            i += 2
            continue
        term = index.term(t, prefix=last or not index.knows(t))
        extra = [f'"{w}"' for w in EXPANSIONS.get(t, ())]
        if extra:
            term = Term(term.word, (*term.alternatives, *extra), term.corrected)
        out.append(term)
        i += 1
    return out


def search(index: Index | list[Entry], text: str, limit: int = 20) -> Results:
    if isinstance(index, list):
        index = Index.of(index)
    results = Results(query=text.strip())
    query = normalise(text)
    if not query:
        return results
    if _CODE.fullmatch(text.strip()) and re.search(r"\d", text):
        scores = _codes(index, re.sub(r"\D", "", text))
    else:
        scores = _words(index, query, results)
        if not scores:  # not one word found: what looks most like it, said as such
            scores = index.closest(query)
            results.closest = bool(scores)
    r = results.reading
    if r and r.kinds and not r.rest and not r.place:
        limit = max(limit, 200)  # "politie": every police zone, not the first twenty
    best = heapq.nlargest(limit * 3, scores.items(), key=lambda x: (x[1], -x[0]))  # ties: the first entry
    hits = sorted(
        (Hit(index.entries[n], s) for n, s in best),
        key=lambda h: (-h.score, h.entry.rank, len(h.entry.title), h.entry.title, h.entry.detail, h.entry.url),
    )
    results.ranked = hits[: max(limit, 20)]
    results.count = len(scores)
    for hit in hits:
        group = results.groups.setdefault(hit.entry.kind, [])
        if len(group) < limit:
            group.append(hit)
    return results


def _codes(index: Index, digits: str) -> dict[int, float]:
    """A KBO number (with or without dots, 'BE', the leading zero), a NIS code or a postcode; a prefix of one
    while typing."""
    kbo = digits.zfill(10) if len(digits) in (9, 10) else None
    scores = {n: 100.0 for n in index.codes.get(kbo, [])} if kbo else {}
    for n in index.codes.get(digits, []):  # a postcode or NIS code: the municipality first, then what is there
        scores.setdefault(n, 95.0 if index.entries[n].kind in ("gemeente", "plaats") else 90.0)
    if not scores and len(digits) >= 3:
        scores = {n: s for n, s in index.match([f'code : "{digits}"*'])}
    return scores


class Serving:
    """The entries serving a place: a set for a municipality or two, asked one entry at a time for a region
    (whose set could hold thousands)."""

    def __init__(self, index: Index, place: frozenset[str]) -> None:
        self.index, self.place = index, place
        self.known = set().union(*(index.by_place.get(nis, ()) for nis in place)) if len(place) <= 4 else None

    def __contains__(self, n: object) -> bool:
        if self.known is not None:
            return n in self.known
        return bool(self.place) and isinstance(n, int) and self.index.serves(n, self.place)

    def among(self, candidates: set[int]) -> Iterable[int]:
        if self.known is not None:
            return candidates & self.known
        return (n for n in candidates if self.index.serves(n, self.place))


@dataclass
class Meaning:
    """The entries a query's meaning points at, as sets of entry numbers (cheap to ask per candidate)."""

    primary: set[int]  # of a kind the kind words mean first
    kinds: set[int]  # of any kind they mean
    themed: set[int]  # with a theme named
    served: Serving  # serving the place named
    cover: list[Container[int]]  # per query word: the entries that answer it by what they are

    @classmethod
    def of(cls, index: Index, r: Reading, words: list[str]) -> Meaning:
        def of_kinds(kinds: Iterable[str]) -> set[int]:
            return set().union(*(index.by_kind.get(k, ()) for k in kinds))

        themed = set().union(*(index.by_theme.get(w, ()) for w in r.themes))
        served = Serving(index, r.place)
        where = r.place_words.split()
        cover: list[Container[int]] = [
            of_kinds(SYNONYMS[w]) if w in SYNONYMS else served if w in where else themed if w in r.themes else set()
            for w in words
        ]
        return cls(of_kinds(r.primary), of_kinds(r.kinds), themed, served, cover)


def _words(index: Index, query: str, results: Results) -> dict[int, float]:
    found = terms(index, query.split())
    results.corrections = {t.word: t.corrected for t in found if t.corrected}
    results.unknown = [t.word for t in found if not t.alternatives and t.word not in SYNONYMS]
    words = [t.corrected or t.word for t in found]
    r = read(index, words)
    results.reading = r if (r.kinds or r.place) else None
    m = Meaning.of(index, r, words)
    scores, matched = _matches(index, r, found, m)
    wanted = " ".join(w for w in words if w not in FILLERS) or query
    layer_alone = bool(r.kinds) and not r.rest and not r.place
    place_only = bool(r.place) and not r.kinds and not r.themes and not r.rest
    needed = [i for i, w in enumerate(words) if w not in FILLERS]
    for n in list(scores):
        e = index.entries[n]
        got = matched.get(n, ())
        s = scores[n] + (EVERY_WORD if all(i in got or n in m.cover[i] for i in needed) else 0.0)
        named = wanted in e.names or query in e.names
        if named:  # a municipality before a village of the same name elsewhere ("moerbeke")
            s += NAMED + (1.5 if e.kind == "gemeente" else 0.0)
        elif any(name.startswith(wanted) for name in e.names):
            s += NAME_START
        elif " " in wanted and _names(e, wanted):
            s += NAME_START  # all the words, in their order, inside a name
        if e.kind != "laag":  # a layer's page comes first for its words alone, not beside a place
            s += _meaning(n, e, r, m, place_only)
        elif layer_alone and n in m.kinds:
            s += LAYER_ALONE
        scores[n] = s - (0.0 if not e.rank else 1.0 if e.kind == "gemeente" and named else ENDED)
    _served_not_the_place(index, r, m, scores)
    return scores


def _matches(index: Index, r: Reading, found: list[Term], m: Meaning) -> tuple[dict[int, float], dict[int, set[int]]]:
    """bm25 of each word's matches, summed, and which words each entry matched. A kind word, a place or a filler
    is read for its meaning (see _meaning); in the index it counts only as a word of a name, and little when the
    query says more. What is of the kind or theme named and serves the place named is a candidate whatever its
    name ("brandweer leuven": HVZ Oost-Vlaams-Brabant)."""
    scores: dict[int, float] = defaultdict(float)
    matched: dict[int, set[int]] = defaultdict(set)
    meant = bool(r.kinds or r.themes)
    where = set(r.place_words.split())
    place_only = bool(r.place) and not meant and not r.rest
    common: list[tuple[int, Term, bool, float]] = []
    for i, t in enumerate(found):
        word = t.corrected or t.word
        named = word in FILLERS or word in SYNONYMS or word in where
        weight = 0.3 if word in FILLERS or (word in where and not place_only) or (meant and word in SYNONYMS) else 1.0
        column = "name" if named else WORDS
        if not t.alternatives:
            continue
        if index.common(word) and len(found) > 1:  # "vereniging", "regio": it only tells entries found otherwise
            common.append((i, t, named, weight))
            continue
        for n, score in index.match(t.alternatives, column=column):
            scores[n] += weight * score
            matched[n].add(i)
    if meant and (r.place or not r.rest):
        of_kind = (m.primary if not r.place else m.kinds) | m.themed
        for n in m.served.among(of_kind) if r.place else of_kind:
            scores.setdefault(n, 0.0)
    if place_only:  # a former municipality or a deelgemeente: the municipality of today too
        for nis in r.place:
            for n in index.towns.get(nis, ()):
                if not index.entries[n].rank:
                    scores[n] += NAME_START
                    matched[n].update(range(len(found)))
    for i, t, named, weight in common:
        for n in scores:
            if index.holds(n, t.alternatives, names_only=named):
                scores[n] += weight
                matched[n].add(i)
    return scores, matched


def _meaning(n: int, e: Entry, r: Reading, m: Meaning, place_only: bool) -> float:
    """What the kind words, the themes and the place add to an entry."""
    s = KIND if n in m.primary else KIND / 2 if n in m.kinds else 0.0
    themed = n in m.themed
    if themed:
        s += KIND
    serves = r.place and not place_only and e.kind not in ("gemeente", "plaats")
    if serves and (n in m.served or (not e.places and _names(e, r.place_words))):
        s += PLACE * max(0.5, len(e.places & r.place) / len(r.place)) if len(r.place) > 2 else PLACE
        if (themed or n in m.kinds) and (r.place_words in e.names or (e.places and e.places <= r.place)):
            s += OWN
    return s


def _names(e: Entry, words: str) -> bool:
    """Does one of the entry's names hold these words (whole)?"""
    return any(f" {words} " in f" {name} " for name in e.names)


def _served_not_the_place(index: Index, r: Reading, m: Meaning, scores: dict[int, float]) -> None:
    """'politie gent': when a body of the kind named serves the place, the place itself is not an answer;
    'water leuven', when none does: the place's page first."""
    if not ((r.kinds or r.themes) and r.place):
        return
    places = [n for n in scores if index.entries[n].kind in ("gemeente", "plaats")]
    if any(
        (n in m.kinds or n in m.themed)
        and (n in m.served or (not index.entries[n].places and _names(index.entries[n], r.place_words)))
        for n in scores
    ):
        for n in places:
            del scores[n]
    else:  # nothing of that kind serves it: the place's own page, which lists what does
        for n in places:
            if r.place_words in index.entries[n].names:
                scores[n] += NAMED
