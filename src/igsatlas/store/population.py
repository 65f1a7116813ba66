"""Inhabitants of the municipalities on a day, from the yearly counts on 1 January (Statbel): the count of the
year in force, with the predecessors a merger joined after that count added in."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import Connection, select

from igsatlas.domain.model import Municipality
from igsatlas.store import schema as t
from igsatlas.store.queries import all_municipalities, municipalities_on, predecessors


def population_year_for(years: Iterable[int], day: date) -> int | None:
    """The count to use on ``day``: the newest taken on or before it (1 January), else the oldest there is."""
    known = sorted(set(years))
    if not known:
        return None
    fitting = [y for y in known if date(y, 1, 1) <= day]
    return fitting[-1] if fitting else known[0]


def _population_counts(conn: Connection, nis: Sequence[str] | None = None) -> dict[int, dict[str, int]]:
    """year -> NIS code -> inhabitants on 1 January (of every municipality, or of ``nis`` only)."""
    q = select(t.population.c.nis, t.population.c.year, t.population.c.inhabitants)
    if nis is not None:
        q = q.where(t.population.c.nis.in_(list(nis)))
    counts: dict[int, dict[str, int]] = {}
    for code, year, n in conn.execute(q):
        counts.setdefault(year, {})[code] = n
    return counts


def _population(
    m: Municipality, merged: Iterable[Municipality], of_year: dict[str, int], year: int, day: date
) -> int | None:
    """The inhabitants of ``m`` on ``day`` from the counts of ``year``. Predecessors merged in after that count
    are not yet in the municipality's own figure: their counts are added (all mergers joined whole ones)."""
    counted_apart = [
        x.nis for x in merged if not x.period.contains(day) and (x.valid_to is None or x.valid_to > date(year, 1, 1))
    ]
    parts = [*counted_apart, m.nis] if m.nis in of_year or not counted_apart else counted_apart
    return sum(of_year[p] for p in parts) if all(p in of_year for p in parts) else None


def populations_on(conn: Connection, day: date) -> dict[str, tuple[int, int]]:
    """NIS code -> (inhabitants, year of the count) for the municipalities of ``day``.

    Every municipality of the day gets the same year: the newest count on or before ``day`` (else the oldest).
    A municipality that absorbed others after that count (a 2025 municipality and only a 2024 count) gets the
    sum of the municipalities it was formed from."""
    counts = _population_counts(conn)
    year = population_year_for(counts, day)
    if year is None:
        return {}
    predecessors: dict[str, list[Municipality]] = {}
    for x in all_municipalities(conn):
        if x.successor_nis:
            predecessors.setdefault(x.successor_nis, []).append(x)
    out: dict[str, tuple[int, int]] = {}
    for m in municipalities_on(conn, day, region=None):
        n = _population(m, predecessors.get(m.nis, ()), counts[year], year, day)
        if n is not None:
            out[m.nis] = (n, year)
    return out


def population_of(conn: Connection, m: Municipality, day: date) -> tuple[int, int] | None:
    """(inhabitants, year of the count) of one municipality on ``day``: the same figure as populations_on."""
    years = [y for (y,) in conn.execute(select(t.population.c.year).distinct())]
    year = population_year_for(years, day)
    merged = predecessors(conn, m.nis)
    counts = _population_counts(conn, [m.nis, *(x.nis for x in merged)]).get(year or 0, {})
    n = _population(m, merged, counts, year, day) if year is not None else None
    return (n, year) if n is not None and year is not None else None
