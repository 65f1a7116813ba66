"""Pages kept per register state and shown for any day of it: rendered once for DAY_MARK, the requested day
written in as bytes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from igsatlas.web.formatting import day as format_day

# A page kept per register state is rendered for this day, which no fact of the register holds, and the requested
# day is written in where it stands (as ISO in links and forms, in words in the text).
DAY_MARK = date(9999, 12, 31)


@dataclass(frozen=True)
class DayPage:
    """A page rendered for DAY_MARK, kept as UTF-8 pieces around each place the day stands (as 9999-12-31 or
    in words), so that showing it for another day is one join of bytes, not a search of the whole page."""

    pieces: tuple[bytes, ...]  # the text between the marks: one more than marks
    in_words: tuple[bool, ...]  # per mark: the day in words (True) or as YYYY-MM-DD (False)

    @classmethod
    def of(cls, html: str) -> DayPage:
        words = format_day(DAY_MARK)
        parts = re.split(f"({re.escape(DAY_MARK.isoformat())}|{re.escape(words)})", html)
        return cls(tuple(p.encode() for p in parts[::2]), tuple(m == words for m in parts[1::2]))

    def show(self, day: date) -> bytes:
        iso, words = day.isoformat().encode(), format_day(day).encode()
        out = [self.pieces[0]]
        for in_words, piece in zip(self.in_words, self.pieces[1:], strict=True):
            out += (words if in_words else iso, piece)
        return b"".join(out)
