"""population/: inhabitants on 1 January per municipality (Statbel), one year or more.

``population/population.csv`` holds Statbel's figures for 2024 (on the 300 codes of 2019-2024) and 2025 (on the
285 codes of 2025). When the folder also holds Statbel's own file (``TF_SOC_POP_STRUCT_YYYY.txt``, or the
``.zip`` it is published in: pipe-separated, one row per municipality, sex, nationality, civil status and age,
``CD_REFNIS`` ... ``MS_POPULATION``), its rows are summed per municipality and replace that year's figures.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from igsatlas.domain.identifiers import nis_is_valid
from igsatlas.domain.model import Population
from igsatlas.errors import InputError, Location
from igsatlas.ingest.files import open_bytes, read_csv, require_utf8
from igsatlas.ingest.problems import Problems

FILE = "population/population.csv"
COLUMNS = ("nis", "name", "year", "population", "as_of", "source")
STATBEL = re.compile(r"^TF_SOC_POP_STRUCT_(\d{4})\.(txt|csv|zip)$")
STATBEL_COLUMNS = ("CD_REFNIS", "MS_POPULATION")
# REFNIS codes of the Flemish provinces (Antwerpen 1x, Vlaams-Brabant 23/24, West- and Oost-Vlaanderen 3x/4x,
# Limburg 7x): a code there that regions/municipalities.csv does not know is an error; other regions are skipped.
FLEMISH_PREFIXES = ("1", "23", "24", "3", "4", "7")


def _whole(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isdigit() else None


def _unknown(name: str, line: int, nis: str, problems: Problems) -> None:
    problems.reject(
        "population",
        "invalid-nis-code",
        Location(name, line, f"nis={nis!r}"),
        f"{nis!r} is not the NIS code of a known municipality.",
        "Use a population file on the codes of regions/municipalities.csv (2019-2024 or 2025).",
    )


def _from_csv(data_dir: Path, known_nis: set[str], problems: Problems) -> list[Population]:
    out = []
    for row in read_csv(data_dir / FILE, FILE, COLUMNS, key=("nis", "year")):
        nis, year, n = row["nis"].strip(), _whole(row["year"]), _whole(row["population"])
        if not nis_is_valid(nis) or year is None or n is None or row["as_of"].strip() != f"{year}-01-01":
            problems.reject(
                "population",
                "invalid-value",
                Location(FILE, row.line, f"nis={nis!r}"),
                f"nis {nis!r}, year {row['year']!r}, population {row['population']!r} or as_of {row['as_of']!r} "
                "is not valid.",
                "Each row needs a five-digit nis, a year, a whole-number population and as_of on 1 January.",
            )
            continue
        if nis not in known_nis:
            _unknown(FILE, row.line, nis, problems)
            continue
        source = f"Statbel, bevolking op 1 januari {year} ({FILE}; {row['source'].strip()})"
        out.append(Population(nis, year, n, source))
    return out


def _statbel_lines(path: Path, name: str) -> Iterator[tuple[int, list[str]]]:
    raw = open_bytes(path, name)
    if path.suffix == ".zip":
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as z:
                inner = [i for i in z.namelist() if i.lower().endswith((".txt", ".csv"))]
                if len(inner) != 1:
                    raise InputError(
                        f"the zip holds {len(inner)} text files; expected the one TF_SOC_POP_STRUCT file.",
                        code="invalid-input",
                        location=Location(name),
                        hint="Put Statbel's zip as published, or its .txt alone. Nothing was imported.",
                    )
                raw = z.read(inner[0])
        except (zipfile.BadZipFile, EOFError, OSError) as exc:
            raise InputError(
                f"the zip file is damaged or truncated ({exc}).",
                code="truncated-file",
                location=Location(name),
                hint="Download it again from Statbel. Nothing was imported.",
            ) from exc
    require_utf8(raw, name)
    text = raw.decode("utf-8").removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="|", strict=True)
    line = 1
    try:
        for values in reader:
            yield line, values
            line = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(
            f"cannot read the row ({exc}); the file looks truncated.",
            code="truncated-file",
            location=Location(name, line),
            hint="Download the file again from Statbel. Nothing was imported.",
        ) from exc


def _from_statbel(path: Path, year: int, known_nis: set[str], problems: Problems) -> list[Population]:
    """One figure per municipality: the sum of MS_POPULATION over its rows."""
    name = f"population/{path.name}"
    lines = _statbel_lines(path, name)
    header = next(lines, (1, []))[1]
    header = [h.strip() for h in header]
    missing = [c for c in STATBEL_COLUMNS if c not in header]
    if missing:
        raise InputError(
            f"the header lacks the column(s) {', '.join(missing)}.",
            code="missing-column",
            location=Location(name, 1),
            hint="Expected Statbel's pipe-separated TF_SOC_POP_STRUCT file with CD_REFNIS and MS_POPULATION. "
            "Nothing was imported.",
        )
    code_at, count_at = header.index("CD_REFNIS"), header.index("MS_POPULATION")
    totals: dict[str, int] = {}
    for line, values in lines:
        if not values:
            continue
        if len(values) != len(header):
            raise InputError(
                f"the row has {len(values)} fields where the header has {len(header)}; the file looks truncated.",
                code="truncated-file",
                location=Location(name, line),
                hint="Download the file again from Statbel. Nothing was imported.",
            )
        nis, n = values[code_at].strip(), _whole(values[count_at])
        if not nis_is_valid(nis) or n is None:
            problems.reject(
                "population",
                "invalid-value",
                Location(name, line, f"CD_REFNIS={nis!r}"),
                f"CD_REFNIS {nis!r} or MS_POPULATION {values[count_at]!r} is not valid.",
                "Each row needs a five-digit CD_REFNIS and a whole-number MS_POPULATION.",
            )
            continue
        if nis not in known_nis:
            if nis.startswith(FLEMISH_PREFIXES):
                _unknown(name, line, nis, problems)
            continue  # Brussels and Wallonia: not in the atlas
        totals[nis] = totals.get(nis, 0) + n
    if not totals:
        raise InputError(
            "the file holds no Flemish municipality.",
            code="empty-file",
            location=Location(name),
            hint="Use Statbel's file for the whole of Belgium. Nothing was imported.",
        )
    source = f"Statbel, bevolking op 1 januari {year} ({path.name}, som van MS_POPULATION per CD_REFNIS)"
    return [Population(nis, year, n, source) for nis, n in sorted(totals.items())]


def statbel_files(data_dir: Path) -> dict[int, Path]:
    """Statbel's own files in the population folder, by year (a .txt before a .zip of the same year)."""
    found: dict[int, Path] = {}
    folder = data_dir / "population"
    for path in sorted(folder.iterdir(), key=lambda p: p.suffix == ".zip") if folder.is_dir() else ():
        m = STATBEL.match(path.name)
        if m:
            found.setdefault(int(m.group(1)), path)
    return found


def parse(data_dir: Path, known_nis: set[str], problems: Problems) -> list[Population]:
    """Every year's figures; a year of Statbel's own file replaces that year of population.csv."""
    own = {year: _from_statbel(path, year, known_nis, problems) for year, path in statbel_files(data_dir).items()}
    rows = _from_csv(data_dir, known_nis, problems) if (data_dir / FILE).exists() or not own else []
    out = [p for p in rows if p.year not in own]
    for figures in own.values():
        out.extend(figures)
    return sorted(out, key=lambda p: (p.nis, p.year))
