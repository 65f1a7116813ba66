"""Pages kept per register state and shown for any day of it: rendered once for DAY_MARK, the requested day
written in as bytes, compressed or not.

The invariant that makes this right: a page kept per state reads the same on every day of its register state,
except the requested day, which is put in afterwards (as YYYY-MM-DD in links and forms, in words in the text).
Its key names everything else the page depends on: the register state and content version of the day
(web/clock.py), and the days the page draws a line at (a layer's first day). A page that shows anything else
derived from the day (its year, "three days ago", a date range around it) breaks it and must not be kept here;
tests/test_day_pages.py renders real gemeente pages for two days of one state and checks it. Today's page, a
signed-in visitor's page and the JSON twins are made per request, not kept.

Why it is kept at all (bench/web.py, ratios against the page's bytes precompressed in the same run): another
day of a known state serves at 0.46x in-process and 0.22x through nginx; made per day instead, behind the same
page cache and nginx, 0.04x and 0.01x (p99 near 5 s), and the first visit of a new day takes 210 ms, not 20 ms.

Compressed, the day is written in without compressing anything per request. When the page is kept, each piece
of text between two days is compressed on its own, as raw deflate blocks that end on a byte boundary, with the
text before it as zlib's dictionary, in which every day written as YYYY-MM-DD stands as ten NUL bytes. The
page's text holds no NUL, so no match that zlib finds reaches into a day; and a YYYY-MM-DD day is ten bytes
long whatever the day, so every match's distance holds in the page of any day. A day in words has no fixed
length: the piece after it starts with no dictionary. Per request the pieces are joined with each day as a
stored (uncompressed) block between them, in one gzip member."""

from __future__ import annotations

import re
import struct
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from igsatlas.web import compression
from igsatlas.web.formatting import day as format_day

# A page kept per register state is rendered for this day, which no fact of the register holds, and the requested
# day is written in where it stands (as ISO in links and forms, in words in the text).
DAY_MARK = date(9999, 12, 31)

_ISO_LENGTH = len(DAY_MARK.isoformat())
_DAY_IN_WINDOW = b"\x00" * _ISO_LENGTH  # stands for a YYYY-MM-DD day in the dictionary: nothing else matches it
_WINDOW = 16384  # how much text before a piece is its dictionary: 32 kB compresses 0.5% better, in twice the time
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name, no timestamp, unknown system
_LAST_BLOCK = b"\x03\x00"  # an empty final block (fixed codes): what zlib writes to end a flushed stream


def _stored(data: bytes) -> bytes:
    """``data`` as a deflate stored block, not the last (it follows a flush, so it starts on a byte boundary)."""
    return b"\x00" + struct.pack("<HH", len(data), len(data) ^ 0xFFFF) + data


def _deflated(pieces: tuple[bytes, ...], in_words: tuple[bool, ...]) -> tuple[bytes, ...]:
    """Each piece compressed for its place in the page: see the module's docstring."""
    safe = not any(b"\x00" in piece for piece in pieces)  # else no piece gets a dictionary: larger, still right
    out, window = [], b""
    for n, piece in enumerate(pieces):
        if n:
            window = (window + _DAY_IN_WINDOW)[-_WINDOW:] if safe and not in_words[n - 1] else b""
        if not piece:
            out.append(b"")
            continue
        squeezer = (
            zlib.compressobj(compression.LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS, zdict=window)
            if window
            else zlib.compressobj(compression.LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
        )
        out.append(squeezer.compress(piece) + squeezer.flush(zlib.Z_SYNC_FLUSH))
        window = (window + piece)[-_WINDOW:]
    return tuple(out)


@dataclass(frozen=True)
class DayPage:
    """A page rendered for DAY_MARK, kept as UTF-8 pieces around each place the day stands (as 9999-12-31 or
    in words), so that showing it for another day is one join of bytes, not a search of the whole page."""

    pieces: tuple[bytes, ...]  # the text between the marks: one more than marks
    in_words: tuple[bool, ...]  # per mark: the day in words (True) or as YYYY-MM-DD (False)
    deflated: tuple[bytes, ...]  # per piece: compressed for its place (see the module's docstring)

    @classmethod
    def of(cls, html: str) -> DayPage:
        words = format_day(DAY_MARK)
        parts = re.split(f"({re.escape(DAY_MARK.isoformat())}|{re.escape(words)})", html)
        pieces = tuple(p.encode() for p in parts[::2])
        in_words = tuple(m == words for m in parts[1::2])
        return cls(pieces, in_words, _deflated(pieces, in_words))

    def _marks(self, day: date) -> tuple[bytes, bytes]:
        return day.isoformat().encode(), format_day(day).encode()

    def show(self, day: date) -> bytes:
        iso, words = self._marks(day)
        out = [self.pieces[0]]
        for in_words, piece in zip(self.in_words, self.pieces[1:], strict=True):
            out += (words if in_words else iso, piece)
        return b"".join(out)

    def show_gzip(self, day: date) -> bytes:
        """The page for ``day`` as one gzip member, of the pieces compressed when the page was kept: a join of
        bytes and a checksum (about 0.2 ms for a gemeente page of 200 kB)."""
        iso, words = self._marks(day)  # isoformat always gives ten bytes (0999-01-01)
        blocks = (_stored(iso), _stored(words))
        out = [_GZIP_HEADER, self.deflated[0]]
        for in_words, deflated in zip(self.in_words, self.deflated[1:], strict=True):
            out += (blocks[in_words], deflated)
        page = self.show(day)
        out += (_LAST_BLOCK, struct.pack("<II", zlib.crc32(page), len(page) & 0xFFFFFFFF))
        return b"".join(out)


STATE_PAGES = 128  # pages kept (about 180 kB each, in pieces and compressed)


@dataclass
class StatePages:
    """Pages built once per register state, to be shown for any day of it. A key holds the page's register
    state as Clock.page_state gives it (state, content version, days the page draws a line at) last."""

    _kept: OrderedDict[Any, DayPage] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _building: threading.Lock = field(default_factory=threading.Lock)  # one build at a time

    def kept(self, key: Any) -> DayPage | None:
        """The page of ``key`` if it is built (cheap: fine on the event loop)."""
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
        return found

    def keep(self, key: Any, build: Callable[[], str]) -> DayPage:
        """The page of ``key``, built by ``build`` (the page rendered for DAY_MARK) if it is not kept yet.
        Building touches the database: call it off the event loop."""
        with self._building:  # who asks meanwhile waits for the build, and does not build it again
            found = self.kept(key)
            if found is not None:
                return found
            found = DayPage.of(build())
            with self._lock:
                if self._kept and next(reversed(self._kept))[-1][1] != key[-1][1]:
                    self._kept.clear()  # a write made a new content version: the pages kept are stale
                self._kept[key] = found
                while len(self._kept) > STATE_PAGES:
                    self._kept.popitem(last=False)
        return found
