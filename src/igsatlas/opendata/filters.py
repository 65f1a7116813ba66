"""The filters of the bulk CSV tables (/data/{table}.csv?gemeente=44021): which each table takes, what each
means, and keeping only the rows they ask for. The data package lists them per table."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from igsatlas.errors import InvalidArgumentError
from igsatlas.state.view import RegisterView

Row = list[object]


@dataclass(frozen=True)
class Filter:
    name: str  # the query parameter
    column: str  # the column it compares with, or the column holding the organisation for ``gemeente``
    description: str
    member: bool = False  # gemeente on an organisation: keep the organisations the municipality is a member of


def _column(name: str, column: str, nl: str) -> Filter:
    return Filter(name, column, nl)


GEMEENTE = "NIS-code of naam van een gemeente"
BY_TABLE: dict[str, tuple[Filter, ...]] = {
    "organisaties": (
        _column("classificatie", "classificatie", "soort (code), bv. projectvereniging"),
        _column("familie", "familie", "groep van soorten, bv. igs"),
        _column("status", "status", "actief, niet-actief, in-oprichting"),
        _column("provincie", "adres_provincie", "provincie van het adres"),
        Filter("gemeente", "id", f"{GEMEENTE}: de organisaties waarvan ze lid is", member=True),
    ),
    "gemeenten": (_column("provincie", "provincie", "provincie"), _column("gemeente", "nis", GEMEENTE)),
    "lidmaatschappen": (
        _column("gemeente", "gemeente_nis", f"{GEMEENTE}: haar lidmaatschappen"),
        _column("organisatie", "organisatie_id", "id van de organisatie: haar leden"),
        _column("laag", "laag", "code van de laag"),
        _column("rol", "rol", "participant, stichtend-lid, gerelateerd, lid"),
    ),
    "lagen": (_column("laag", "id", "code van de laag"),),
    "regios": (
        _column("laag", "laag", "code van de laag"),
        Filter("gemeente", "organisatie_id", f"{GEMEENTE}: de regio's waarin ze ligt", member=True),
    ),
    "bevindingen": (
        _column("organisatie", "organisatie_id", "id van de organisatie"),
        _column("regel", "regel", "code van de regel"),
        _column("oordeel", "oordeel", "in-orde, afwijking, niet-te-controleren"),
        Filter("gemeente", "organisatie_id", f"{GEMEENTE}: bevindingen over wat ze deelneemt", member=True),
    ),
}
NAMES = sorted({f.name for fs in BY_TABLE.values() for f in fs})


def _nis_codes(s: RegisterView, value: str) -> set[str]:
    """The NIS codes ``value`` names: a code, or a municipality's name (any case)."""
    if value in s.municipalities:
        return {value}
    wanted = value.strip().casefold()
    found = {m.nis for m in s.municipalities.values() if m.name.casefold() == wanted}
    if not found:
        raise InvalidArgumentError(
            f"?gemeente={value} is geen gemeente van deze dag.",
            code="invalid-filter",
            hint="Geef een NIS-code (bv. 44021) of de naam van een gemeente die op die dag bestaat.",
        )
    return found


def _member_of(s: RegisterView, codes: set[str]) -> set[str]:
    """The organisations with one of ``codes`` as a municipal member."""
    return {s.membership_by_id[m].organisation_id for m, nis in s.member_municipality.items() if nis in codes}


def keeper(table: str, columns: list[str], s: RegisterView, asked: Mapping[str, str]) -> Callable[[Row], bool] | None:
    """A test that keeps the rows of ``table`` the asked filters allow (None: no filter asked)."""
    tests: list[tuple[int, set[str]]] = []
    for f in BY_TABLE.get(table, ()):
        value = (asked.get(f.name) or "").strip()
        if not value:
            continue
        allowed = _nis_codes(s, value) if f.name == "gemeente" else {value}
        if f.member:
            allowed = _member_of(s, allowed)
        tests.append((columns.index(f.column), {a.casefold() for a in allowed}))
    if not tests:
        return None
    return lambda row: all(str(row[i] or "").casefold() in allowed for i, allowed in tests)
