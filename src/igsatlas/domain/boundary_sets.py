"""The municipal boundary sets: which one shows the municipalities of a day."""

from __future__ import annotations

from datetime import date

MERGER_DAY = date(2025, 1, 1)  # the 2025 mergers: 300 municipalities became 285
BOUNDARY_SETS = ("2025", "2019")  # the municipal boundary sets: since the 2025 mergers, and 2019-2024


def vintage(day: date) -> str:
    """Which boundary set shows the municipalities of ``day``."""
    return "2025" if day >= MERGER_DAY else "2019"
