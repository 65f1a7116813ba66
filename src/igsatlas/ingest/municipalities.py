"""regions/municipalities.csv: the 300 municipalities of 2019-2024, the 285 of 2025, and the merger map."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from igsatlas.domain.classifications import slugify
from igsatlas.domain.identifiers import nis_is_valid
from igsatlas.domain.model import Municipality
from igsatlas.domain.periods import EARLIEST, LATEST, plausible
from igsatlas.errors import Location
from igsatlas.ingest.files import CsvRow, read_csv
from igsatlas.ingest.problems import Problems

FILE = "regions/municipalities.csv"
COLUMNS = (
    "nis_code",
    "name_nl",
    "province",
    "valid_from",
    "valid_to",
    "merged_into_nis",
    "in_set_2019_2024",
    "in_set_2025",
    "name_statbel",
    "source",
)
# Statbel's first recorded date: a lower bound of the records, not a founding date, so it means "unknown".
STATBEL_EPOCH = date(1970, 1, 1)


def _flag(row: CsvRow, column: str, problems: Problems) -> bool | None:
    value = row[column].strip()
    if value in ("yes", "no"):
        return value == "yes"
    problems.reject(
        "municipality",
        "invalid-value",
        Location(FILE, row.line, f"NIS {row['nis_code']}"),
        f"{column} is {value!r}; expected yes or no.",
        f"Write yes or no in column {column}.",
    )
    return None


def _day(row: CsvRow, column: str, problems: Problems) -> date | bool | None:
    """The day in ``column``, None when empty, False when invalid (already reported)."""
    value = row[column].strip()
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = None
    if day is not None and plausible(day):
        return day
    problems.reject(
        "municipality",
        "invalid-date",
        Location(FILE, row.line, f"NIS {row['nis_code']}"),
        f"{column} is {value!r}, not a day between {EARLIEST.year} and {LATEST.year}.",
        f"Write {column} as YYYY-MM-DD, a day between {EARLIEST.year} and {LATEST.year}.",
    )
    return False


def parse(data_dir: Path, problems: Problems) -> list[Municipality]:
    rows = list(read_csv(data_dir / FILE, FILE, COLUMNS, key=("nis_code",)))
    codes = {r["nis_code"].strip() for r in rows}
    out: list[Municipality] = []
    for row in rows:
        nis = row["nis_code"].strip()
        where = Location(FILE, row.line, f"NIS {nis or '?'}")
        if not nis_is_valid(nis):
            problems.reject(
                "municipality",
                "invalid-nis-code",
                where,
                f"nis_code {nis!r} is not a five-digit NIS code.",
                "Use the REFNIS code of the municipality (five digits, e.g. 44021 for Gent).",
            )
            continue
        successor = row["merged_into_nis"].strip() or None
        if successor is not None and successor not in codes:
            problems.reject(
                "municipality",
                "dangling-reference",
                where,
                f"merged_into_nis {successor!r} is not a NIS code in this file.",
                "Add the municipality it merged into, or correct merged_into_nis.",
            )
            continue
        start, end = _day(row, "valid_from", problems), _day(row, "valid_to", problems)
        old, new = _flag(row, "in_set_2019_2024", problems), _flag(row, "in_set_2025", problems)
        if start is False or end is False or old is None or new is None or not row["name_nl"].strip():
            if not row["name_nl"].strip():
                problems.reject("municipality", "missing-value", where, "name_nl is empty.", "Give the Dutch name.")
            continue
        out.append(
            Municipality(
                nis=nis,
                slug=slugify(row["name_nl"]),
                name=row["name_nl"].strip(),
                province=row["province"].strip() or None,
                region="Vlaanderen",
                valid_from=None if start in (None, STATBEL_EPOCH) else start,  # type: ignore[arg-type]
                # the file gives the last day; we store the first day no longer valid
                valid_to=end + timedelta(days=1) if isinstance(end, date) else None,
                successor_nis=successor,
                organisation_id=None,
                in_set_2019_2024=old,
                in_set_2025=new,
                name_statbel=row["name_statbel"].strip() or None,
                source=row["source"].strip(),
            )
        )
    return out
