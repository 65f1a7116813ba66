"""The search index: SQLite FTS5 in an in-memory database of this process, built from the register's entries.

One row per entry, in weighted columns (name and alternative names; kind and its everyday words; the names of the
places it serves; its themes; its codes), every text folded by ``normalise`` (accents, case, 'St.', hyphens)
and tokenised by unicode61 with diacritics removed. bm25 ranks each query word's matches; the ranking (see
ranking.py) adds what the words mean. A word the index does not hold is corrected against the index's own
vocabulary (rapidfuzz), split in two ("waterlink") or joined with the next ("dijk 92").

The index lives in the web process, not in the atlas database: it is the same on SQLite and PostgreSQL, a query
costs no round trip, and it is rebuilt (tens of milliseconds) when the register or the day changes.
"""

from __future__ import annotations

import bisect
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from igsatlas.search.words import EXPANSIONS, kind_words, normalise

COMMON = 100  # a word in more entries than this (or 2% of them) is common: see Index.common
CANDIDATES = 300  # the best matches kept per query word (the ranking then adds what the words mean)
# bm25 weights of the columns: name, kind, place, theme, code.
WEIGHTS = (10.0, 3.0, 1.5, 3.0, 10.0)
COLUMNS = ("name", "kind", "place", "theme", "code")


@dataclass(frozen=True)
class Entry:
    kind: str  # one of KIND_ORDER (ranking.py)
    title: str
    detail: str  # what kind of thing, e.g. "Projectvereniging, actief"; for a region, which layer
    url: str
    names: tuple[str, ...]  # normalised names to match
    codes: tuple[str, ...] = ()  # KBO number, NIS code: exact matches
    postcodes: tuple[str, ...] = ()
    rank: int = 0  # 1 for what has ended (a merged municipality, a body no longer active): after what is in force
    kinds: frozenset[str] = frozenset()  # classification code, family, "laag:<id>" for a region
    places: frozenset[str] = frozenset()  # NIS codes of the municipalities it is or serves today
    themes: tuple[str, ...] = ()  # normalised labels of its policy themes
    place_names: tuple[str, ...] = ()  # normalised names of the places it serves (its place column)


@dataclass(frozen=True)
class Term:
    """What one query word is searched as: index words (whole or as a prefix), or a phrase of two."""

    word: str
    alternatives: tuple[str, ...]  # FTS5 phrases, already quoted
    corrected: str | None = None  # the index word a typo was read as


@dataclass
class Index:
    entries: list[Entry]
    places: dict[str, frozenset[str]] = field(default_factory=dict)  # place name -> NIS codes (municipalities)
    regions: dict[str, frozenset[str]] = field(default_factory=dict)  # region or province name -> NIS codes
    day: date | None = None  # the day "in force" was read on
    _db: sqlite3.Connection = field(init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    vocabulary: list[str] = field(init=False, repr=False)  # sorted
    _words: frozenset[str] = field(init=False, repr=False)
    _by_length: dict[int, list[str]] = field(init=False, repr=False)
    codes: dict[str, list[int]] = field(init=False, repr=False)
    theme_words: frozenset[str] = field(init=False, repr=False)
    frequency: dict[str, int] = field(init=False, repr=False)  # index word -> entries holding it
    _name_words: list[frozenset[str]] = field(init=False, repr=False)
    _words_of: list[frozenset[str]] = field(init=False, repr=False)
    by_kind: dict[str, set[int]] = field(init=False, repr=False)
    by_place: dict[str, set[int]] = field(init=False, repr=False)
    by_theme: dict[str, set[int]] = field(init=False, repr=False)
    towns: dict[str, list[int]] = field(init=False, repr=False)  # NIS code -> the municipality's entries
    place_titles: dict[str, str] = field(init=False, repr=False)  # a place's folded name -> its title

    @classmethod
    def of(
        cls,
        entries: list[Entry],
        places: dict[str, frozenset[str]] | None = None,
        regions: dict[str, frozenset[str]] | None = None,
        day: date | None = None,
    ) -> Index:
        return cls(list(entries), places or {}, regions or {}, day)

    def __post_init__(self) -> None:
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(
            f"CREATE VIRTUAL TABLE entry USING fts5({', '.join(COLUMNS)}, tokenize='unicode61 remove_diacritics 2')"
        )
        rows = [(n, *_columns(e)) for n, e in enumerate(self.entries)]
        self._name_words = [frozenset(row[1].split()) for row in rows]
        self._words_of = [frozenset(" ".join(row[1:5]).split()) for row in rows]
        self._db.executemany(f"INSERT INTO entry(rowid, {', '.join(COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?)", rows)
        self._db.execute("CREATE VIRTUAL TABLE entry_words USING fts5vocab(entry, row)")
        self.frequency = dict(self._db.execute("SELECT term, doc FROM entry_words"))
        words = {w for row in rows for text in row[1:5] for w in str(text).split()}
        words |= {w for name in [*self.places, *self.regions] for w in name.split()}
        self.vocabulary = sorted(words)
        self._words = frozenset(words)
        self.theme_words = frozenset(w for e in self.entries for label in e.themes for w in label.split() if len(w) > 3)
        self._by_length = defaultdict(list)
        for w in self.vocabulary:
            self._by_length[len(w)].append(w)
        self.codes = defaultdict(list)
        self.by_kind, self.by_place, self.by_theme = defaultdict(set), defaultdict(set), defaultdict(set)
        self.towns = defaultdict(list)
        self.place_titles = {}
        for n, e in enumerate(self.entries):
            for code in {*e.codes, *e.postcodes}:
                self.codes[code].append(n)
            for k in e.kinds:
                self.by_kind[k].add(n)
            if e.kind not in ("gemeente", "plaats", "laag"):
                for nis in e.places:
                    self.by_place[nis].add(n)
            for w in {w for label in e.themes for w in label.split()}:
                self.by_theme[w].add(n)
            if e.kind == "gemeente" and e.codes:
                self.towns[e.codes[0]].append(n)
            if e.kind in ("gemeente", "plaats"):
                for name in e.names:
                    self.place_titles.setdefault(name, e.title)

    def knows(self, word: str) -> bool:
        return word in self._words

    def starts(self, prefix: str) -> bool:
        """Does an index word start with ``prefix``?"""
        i = bisect.bisect_left(self.vocabulary, prefix)
        return i < len(self.vocabulary) and self.vocabulary[i].startswith(prefix)

    def term(self, word: str, *, prefix: bool) -> Term:
        """How to search one query word: as it is, as a prefix while typing, split in two, or corrected."""
        if self.knows(word):
            return Term(word, (f'"{word}"', f'"{word}"*') if prefix and len(word) > 1 else (f'"{word}"',))
        if prefix and len(word) >= 2 and self.starts(word):
            return Term(word, (f'"{word}"*',))
        split = self._split(word)
        if split:
            return Term(word, (f'"{split}"',))
        near = [] if word in EXPANSIONS else self.nearest(word)
        if near:
            return Term(word, tuple(f'"{w}"' for w in near), corrected=near[0])
        return Term(word, ())

    def _split(self, word: str) -> str | None:
        for i in range(3, len(word) - 2):
            if self.knows(word[:i]) and self.knows(word[i:]):
                return f"{word[:i]} {word[i:]}"
        return None

    def nearest(self, word: str) -> list[str]:
        """The index word closest to ``word`` within 1 edit (2 from eight letters), if any."""
        if len(word) < 4 or not word.isalpha():
            return []
        limit = 1 if len(word) < 8 else 2
        candidates = [w for n in range(len(word) - limit, len(word) + limit + 1) for w in self._by_length.get(n, [])]
        found = process.extract(word, candidates, scorer=Levenshtein.distance, score_cutoff=limit, limit=5)
        # the nearest; among as near, the word more entries hold ("kortijk": Kortrijk, not the village Kortijs)
        ranked = sorted(found, key=lambda x: (x[1], -self.frequency.get(x[0], 0), x[0]))
        return [w for w, _, _ in ranked[:1]]

    def closest(self, query: str, limit: int = 10) -> dict[int, float]:
        """The entries whose name looks most like the query, when no word of it matched (rapidfuzz WRatio)."""
        names = [" ".join(e.names) for e in self.entries]
        found = process.extract(query, names, scorer=fuzz.WRatio, limit=limit, score_cutoff=50)
        return {n: score / 10 for _, score, n in found}

    def match(
        self, alternatives: Iterable[str], limit: int = CANDIDATES, column: str | None = None
    ) -> list[tuple[int, float]]:
        """The ``limit`` best entries matching any of the phrases (in ``column`` only, when given), with their
        bm25 score (higher is better)."""
        expr = " OR ".join(alternatives)
        if column:
            expr = f"{column} : ({expr})"
        bm25 = f"bm25(entry, {', '.join(map(str, WEIGHTS))})"
        sql = f"SELECT rowid, -{bm25} FROM entry WHERE entry MATCH ? ORDER BY {bm25} LIMIT ?"
        with self._lock:
            return self._db.execute(sql, (expr, limit)).fetchall()

    def common(self, word: str) -> bool:
        """Is the word in so many entries that it says little (bm25 gives it almost nothing)?"""
        return self.frequency.get(word, 0) > max(COMMON, len(self.entries) // 50)

    def holds(self, n: int, alternatives: Iterable[str], *, names_only: bool) -> bool:
        """Does entry ``n`` hold one of the phrases (in its names only, or in any word column)? For a common
        word, asked of the few candidates other words found rather than of the index."""
        words = self._name_words[n] if names_only else self._words_of[n]
        for phrase in alternatives:
            text = phrase.rstrip("*").strip('"')
            if phrase.endswith("*"):
                if any(w.startswith(text) for w in words):
                    return True
            elif all(w in words for w in text.split()):
                return True
        return False

    def serves(self, n: int, place: frozenset[str]) -> bool:
        """Does entry ``n`` (a body or region, not a municipality) serve one of the municipalities ``place``?"""
        e = self.entries[n]
        return e.kind not in ("gemeente", "plaats", "laag") and not e.places.isdisjoint(place)


def _columns(e: Entry) -> tuple[str, str, str, str, str]:
    label = normalise(e.detail.split(",")[0].split(";")[0]) if e.kind != "plaats" else ""
    kind = " ".join(dict.fromkeys([*label.split(), *kind_words(e.kinds)]))
    return (
        " ".join(e.names),
        kind,
        " ".join(e.place_names),
        " ".join(e.themes),
        " ".join((*e.codes, *e.postcodes)),
    )
