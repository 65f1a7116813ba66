"""Periods: a start day and an optional end day, half-open [start, end). Either end may be unknown."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


# Every day the register holds lies in these years: the municipalities and their cooperations are younger, and
# a day a step before or after one (a page's neighbouring states, a year's table) stays a day Python can hold.
EARLIEST = date(1800, 1, 1)
LATEST = date(2200, 12, 31)


def plausible(day: date) -> bool:
    """Whether ``day`` lies in 1800-2200 (see EARLIEST and LATEST)."""
    return EARLIEST <= day <= LATEST


def in_words(day: date) -> str:
    """A day as a Belgian reader writes it: 2 december 2026 (the one helper; web/formatting.py uses it too)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class Period:
    """[start, end): ``start`` is the first day, ``end`` the first day no longer in the period.

    ``None`` means unknown (or open): an unknown start is treated as "since before anything we know",
    an unknown end as "still running". Pages show them as unknown, never as a guessed date.
    """

    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    def contains(self, day: date) -> bool:
        """Is ``day`` within the period? The one function that answers "valid on day X?"."""
        if self.start is not None and day < self.start:
            return False
        return not (self.end is not None and day >= self.end)

    @property
    def last_day(self) -> date | None:
        """The last day inside the period (end - 1 day), for display ("tot en met")."""
        if self.end is None:
            return None
        return date.fromordinal(self.end.toordinal() - 1)


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_day(text: str) -> date:
    """Parse a day written YYYY-MM-DD, strictly: not a number of seconds, not 20240630 or 2024-W26-1, which
    ``date.fromisoformat`` also takes. Raises ValueError with the text in the message. The one day parser of
    pages, API and CLI."""
    text = text.strip()
    try:
        if _DAY.fullmatch(text) is None:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a day in the form YYYY-MM-DD") from None


def partial_day(text: str) -> date | None:
    """The first day of a possibly partial source date ('2024', '2024-02', '2024-02-08'); None if undated."""
    text = text.strip()
    for size, suffix in ((10, ""), (7, "-01"), (4, "-01-01")):
        head = text[:size]
        if len(head) == size:
            try:
                day = date.fromisoformat(head + suffix)
            except ValueError:
                continue
            return day if plausible(day) else None
    return None
