"""Search the way people ask: ranked retrieval over an in-memory SQLite FTS5 index of the register (index.py),
with what everyday words mean (words.py) raising the entries they point at (ranking.py)."""

from igsatlas.search.index import Entry, Index, Term
from igsatlas.search.ranking import KIND_LABELS, KIND_ORDER, Hit, Reading, Results, read, search
from igsatlas.search.words import FILLERS, SYNONYMS, normalise

__all__ = [
    "FILLERS",
    "KIND_LABELS",
    "KIND_ORDER",
    "SYNONYMS",
    "Entry",
    "Hit",
    "Index",
    "Reading",
    "Results",
    "Term",
    "normalise",
    "read",
    "search",
]
