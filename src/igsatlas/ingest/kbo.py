"""The KBO's own Open Data files (FOD Economie, "Cookbook KBO Open Data"): a full extract or an update extract.

A full extract is a folder (or the published ``KboOpenData_<nr>_<yyyy>_<mm>_Full.zip``) with ``meta.csv``,
``code.csv``, ``enterprise.csv``, ``denomination.csv`` and, optionally, ``address.csv``; an update extract holds
``code.csv`` whole and, for the other files, ``<name>_delete.csv`` (the entities whose rows go) and
``<name>_insert.csv`` (their rows as they are now). Comma-separated, values in double quotes, dates dd-mm-yyyy,
enterprise numbers written 0xxx.xxx.xxx.

The extracts hold every Belgian enterprise (about two million); only the rows of the numbers the atlas knows are
kept, but every row is checked, so that a truncated file, one in another encoding or a row with a code that
code.csv does not define stops the import with the file and the line, before anything is written.
"""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO

from igsatlas.domain.identifiers import normalise_kbo
from igsatlas.domain.kbo import ExtractId, KboEnterprise
from igsatlas.errors import InputError, Location

FULL, UPDATE = "full", "update"
CODE_COLUMNS = ("Category", "Code", "Language", "Description")
ENTERPRISE_COLUMNS = (
    "EnterpriseNumber",
    "Status",
    "JuridicalSituation",
    "TypeOfEnterprise",
    "JuridicalForm",
    "JuridicalFormCAC",
    "StartDate",
)
DENOMINATION_COLUMNS = ("EntityNumber", "Language", "TypeOfDenomination", "Denomination")
ADDRESS_COLUMNS = (
    "EntityNumber",
    "TypeOfAddress",
    "CountryNL",
    "CountryFR",
    "Zipcode",
    "MunicipalityNL",
    "MunicipalityFR",
    "StreetNL",
    "StreetFR",
    "HouseNumber",
    "Box",
    "ExtraAddressInfo",
    "DateStrikingOff",
)
ENTERPRISE_NUMBER = re.compile(r"^[01]\d{3}\.\d{3}\.\d{3}$")
NUMBER = re.compile(r"^(\d{4}|\d)(\.\d{3}){3}$|^[01]\d{3}\.\d{3}\.\d{3}$")
DAY = re.compile(r"^(\d{2})-(\d{2})-(\d{4})")
CODED = {  # enterprise.csv column -> its code table in code.csv
    "Status": "Status",
    "JuridicalSituation": "JuridicalSituation",
    "TypeOfEnterprise": "TypeOfEnterprise",
    "JuridicalForm": "JuridicalForm",
    "JuridicalFormCAC": "JuridicalForm",
}
LEGAL_NAME = "001"  # TypeOfDenomination: the name of the entity (maatschappelijke naam)
DUTCH = "2"  # Language code of Dutch in denomination.csv
SEAT = "REGO"  # TypeOfAddress: the registered seat (maatschappelijke zetel)
HINT = (
    "Download the extract again from https://kbopub.economie.fgov.be/kbo-open-data and unpack it whole, "
    "without opening and saving the CSV files in a spreadsheet. Nothing was imported."
)


def _error(name: str, line: int | None, message: str, code: str, hint: str = HINT) -> InputError:
    return InputError(message, code=code, location=Location(name, line), hint=hint)


class _Source:
    """The files of one extract: a folder, or the zip file the KBO publishes."""

    def __init__(self, path: Path, stack: ExitStack) -> None:
        self.path = path
        self.zip: zipfile.ZipFile | None = None
        self.names: dict[str, str] = {}  # lower-case file name -> its name in the folder or zip
        if path.is_file() and zipfile.is_zipfile(path):
            self.zip = stack.enter_context(zipfile.ZipFile(path))
            self.names = {Path(n).name.lower(): n for n in self.zip.namelist() if not n.endswith("/")}
        elif path.is_dir():
            self.names = {p.name.lower(): p.name for p in path.iterdir() if p.is_file()}
        else:
            raise _error(
                str(path),
                None,
                "this is neither a folder of KBO Open Data files nor the zip file of an extract.",
                "missing-file",
                "Pass the folder you unpacked the extract into, or the KboOpenData_..._Full.zip (or _Update.zip) "
                "itself. Nothing was imported.",
            )

    def has(self, name: str) -> bool:
        return name in self.names

    def label(self, name: str) -> str:
        return f"{self.path.name}/{self.names.get(name, name)}"

    def open(self, name: str) -> IO[bytes]:
        if self.zip is not None:
            return self.zip.open(self.names[name])
        return (self.path / self.names[name]).open("rb")


def _lines(stream: IO[bytes], label: str) -> Iterator[str]:
    """The file's lines as text; a byte that is not UTF-8 stops with its line."""
    for number, raw in enumerate(stream, start=1):
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if b"\x00" in raw:
            raise _error(label, number, "the line holds a NUL byte: the file is damaged or not text.", "nul-byte")
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _error(
                label,
                number,
                f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; KBO Open Data files are UTF-8.",
                "wrong-encoding",
            ) from exc


def _rows(source: _Source, name: str, columns: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) of one CSV file of the extract, checked against the cookbook's columns."""
    label = source.label(name)
    with source.open(name) as stream:
        reader = csv.reader(_lines(stream, label), strict=True)
        try:
            header = next(reader)
        except StopIteration:
            raise _error(label, 1, "the file is empty.", "truncated-file") from None
        except csv.Error as exc:
            raise _error(label, 1, f"cannot read the header ({exc}).", "truncated-file") from exc
        missing = [c for c in columns if c not in header]
        if missing:
            raise _error(
                label,
                1,
                f"the header lacks the column(s) {', '.join(missing)}; this is not the KBO Open Data format "
                f"(expected {', '.join(columns)}).",
                "missing-column",
            )
        line = 2
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise _error(
                    label, line, f"cannot read the row ({exc}); the file looks truncated.", "truncated-file"
                ) from exc
            if values and len(values) != len(header):
                raise _error(
                    label,
                    line,
                    f"the row has {len(values)} fields where the header has {len(header)}; the file looks truncated.",
                    "truncated-file",
                )
            if values:
                yield line, dict(zip(header, values, strict=True))
            line = reader.line_num + 1


def parse_day(text: str) -> date | None:
    """A KBO date (dd-mm-yyyy, also the start of a timestamp 'dd-mm-yyyy hh:mm:ss'); None when it is not one."""
    m = DAY.match(text.strip())
    if m is None:
        return None
    try:
        return date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        return None


@dataclass
class Extract:
    """What one extract says about the enterprises the atlas knows."""

    kind: str  # full or update
    snapshot: ExtractId
    enterprises: dict[str, KboEnterprise] = field(default_factory=dict)  # number (10 digits) -> its facts now
    deleted: set[str] = field(default_factory=set)  # update: numbers whose enterprise row went
    names: dict[str, str] = field(default_factory=dict)  # number -> its legal name (Dutch where there is one)
    names_deleted: set[str] = field(default_factory=set)  # update: numbers whose names went
    addresses: dict[str, str] | None = None  # number -> its registered seat (None: no address file)
    addresses_deleted: set[str] = field(default_factory=set)
    rows: int = 0  # enterprise rows read (all of Belgium)


def _meta(source: _Source, fallback: Callable[[], date]) -> tuple[str | None, ExtractId]:
    if not source.has("meta.csv"):
        return None, ExtractId(None, fallback(), None)
    rows = [row for _, row in _rows(source, "meta.csv", ())]
    if rows and "Variable" in rows[0] and "Value" in rows[0]:  # the cookbook's key/value pairs
        values = {row["Variable"].strip(): row["Value"].strip() for row in rows}
    else:  # one row with a column per variable, as some tools rewrite it
        values = {k.strip(): v.strip() for k, v in (rows[0] if rows else {}).items()}
    day = parse_day(values.get("SnapshotDate", "")) or parse_day(values.get("ExtractTimestamp", ""))
    if day is None:
        raise _error(
            source.label("meta.csv"),
            None,
            f"neither SnapshotDate ({values.get('SnapshotDate')!r}) nor ExtractTimestamp "
            f"({values.get('ExtractTimestamp')!r}) is a date in the form dd-mm-yyyy.",
            "invalid-date",
        )
    number = values.get("ExtractNumber", "")
    kind = values.get("ExtractType", "").strip().lower() or None
    return kind, ExtractId(int(number) if number.isdigit() else None, day, values.get("ExtractTimestamp") or None)


def _codes(source: _Source) -> dict[tuple[str, str], str]:
    """(category, code) -> its Dutch description (French when there is no Dutch one)."""
    if not source.has("code.csv"):
        raise _error(source.label("code.csv"), None, "the extract has no code.csv.", "missing-file")
    described: dict[tuple[str, str], dict[str, str]] = {}
    for _, row in _rows(source, "code.csv", CODE_COLUMNS):
        key = (row["Category"].strip(), row["Code"].strip())
        described.setdefault(key, {})[row["Language"].strip().upper()] = row["Description"].strip()
    out = {key: d.get("NL") or d.get("FR") or next(iter(d.values())) for key, d in described.items()}
    if not out:
        raise _error(source.label("code.csv"), 2, "code.csv has no codes.", "truncated-file")
    return out


def _enterprise(
    label: str, line: int, row: dict[str, str], codes: dict[tuple[str, str], str], snapshot: ExtractId
) -> KboEnterprise:
    number = row["EnterpriseNumber"].strip()
    if not ENTERPRISE_NUMBER.match(number):
        raise _error(
            label,
            line,
            f"EnterpriseNumber {number!r} is not an enterprise number in the form 0xxx.xxx.xxx.",
            "invalid-kbo-number",
        )
    for column, category in CODED.items():
        value = row[column].strip()
        if value and (category, value) not in codes:
            raise _error(
                label,
                line,
                f"{column} {value!r} of {number} is not a code of category {category} in code.csv.",
                "unknown-code",
                "Take code.csv from the same extract as the other files (an update extract brings the whole "
                "code table). Nothing was imported.",
            )
    start = parse_day(row["StartDate"])
    if start is None:
        raise _error(
            label, line, f"StartDate {row['StartDate']!r} of {number} is not a date dd-mm-yyyy.", "invalid-date"
        )

    def label_of(category: str, column: str) -> str | None:
        value = row[column].strip()
        return codes.get((category, value)) if value else None

    return KboEnterprise(
        number=normalise_kbo(number),
        status=row["Status"].strip(),
        status_label=label_of("Status", "Status"),
        juridical_situation=row["JuridicalSituation"].strip(),
        juridical_situation_label=label_of("JuridicalSituation", "JuridicalSituation"),
        type_of_enterprise=row["TypeOfEnterprise"].strip(),
        juridical_form=row["JuridicalForm"].strip() or None,
        juridical_form_label=label_of("JuridicalForm", "JuridicalForm"),
        juridical_form_cac=row["JuridicalFormCAC"].strip() or None,
        start_date=start,
        name=None,
        address=None,
        extract_number=snapshot.number,
        snapshot_date=snapshot.day,
    )


def _numbers(source: _Source, name: str) -> Iterator[str]:
    """The numbers a delete file names (its one column: EnterpriseNumber or EntityNumber)."""
    for line, row in _rows(source, name, ()):
        column = next((c for c in ("EnterpriseNumber", "EntityNumber") if c in row), None)
        value = row[column].strip() if column else ""
        if not NUMBER.match(value):
            raise _error(
                source.label(name),
                line,
                f"{value!r} is not an enterprise or establishment number (column EnterpriseNumber or EntityNumber).",
                "invalid-kbo-number",
            )
        yield normalise_kbo(value)


def _names(source: _Source, name: str, wanted: set[str]) -> dict[str, str]:
    """Number -> its legal name, in Dutch where there is one."""
    found: dict[str, tuple[int, str]] = {}
    for line, row in _rows(source, name, DENOMINATION_COLUMNS):
        number = normalise_kbo(row["EntityNumber"])
        if number not in wanted or row["TypeOfDenomination"].strip() != LEGAL_NAME:
            continue
        text = row["Denomination"].strip()
        if not text:
            raise _error(source.label(name), line, f"the name of {row['EntityNumber']} is empty.", "invalid-value")
        rank = 0 if row["Language"].strip() == DUTCH else 1
        if number not in found or rank < found[number][0]:
            found[number] = (rank, text)
    return {n: text for n, (_, text) in found.items()}


def _addresses(source: _Source, name: str, wanted: set[str]) -> dict[str, str]:
    """Number -> the address of its registered seat, as one line."""
    out: dict[str, str] = {}
    for _, row in _rows(source, name, ADDRESS_COLUMNS):
        number = normalise_kbo(row["EntityNumber"])
        if number not in wanted or row["TypeOfAddress"].strip() != SEAT or row["DateStrikingOff"].strip():
            continue
        street = " ".join(p for p in (row["StreetNL"] or row["StreetFR"], row["HouseNumber"]) if p.strip())
        if row["Box"].strip():
            street += f" bus {row['Box'].strip()}"
        place = " ".join(p.strip() for p in (row["Zipcode"], row["MunicipalityNL"] or row["MunicipalityFR"]) if p)
        out[number] = ", ".join(p for p in (street.strip(), place.strip()) if p)
    return out


def _file_day(source: _Source, names: Iterable[str]) -> Callable[[], date]:
    def day() -> date:
        if source.zip is not None:
            y, m, d, *_ = source.zip.getinfo(source.names[next(iter(names))]).date_time
            return date(y, m, d)
        return date.fromtimestamp((source.path / source.names[next(iter(names))]).stat().st_mtime)

    return day


def parse(path: Path, wanted: set[str]) -> Extract:
    """Read the extract at ``path`` (a folder or zip); keep what it says about the numbers in ``wanted``."""
    with ExitStack() as stack:
        source = _Source(path, stack)
        update = source.has("enterprise_insert.csv") or source.has("enterprise_delete.csv")
        if not update and not source.has("enterprise.csv"):
            raise _error(
                source.label("enterprise.csv"),
                None,
                "the extract has neither enterprise.csv (a full extract) nor enterprise_insert.csv and "
                "enterprise_delete.csv (an update extract).",
                "missing-file",
                "Pass the folder or zip of a KBO Open Data extract. Nothing was imported.",
            )
        first = "enterprise_insert.csv" if update else "enterprise.csv"
        declared, snapshot = _meta(source, _file_day(source, [first]))
        kind = UPDATE if update else FULL
        if declared is not None and declared != kind:
            raise _error(
                source.label("meta.csv"),
                None,
                f"meta.csv says ExtractType {declared!r}, but the files are those of a {kind} extract.",
                "mixed-extract",
                "Unpack each extract into a folder of its own. Nothing was imported.",
            )
        codes = _codes(source)
        extract = Extract(kind, snapshot)
        if update:
            for required in ("enterprise_insert.csv", "enterprise_delete.csv"):
                if not source.has(required):
                    raise _error(source.label(required), None, "the update extract lacks this file.", "missing-file")
            extract.deleted = set(_numbers(source, "enterprise_delete.csv")) & wanted
        elif not source.has("denomination.csv"):
            raise _error(source.label("denomination.csv"), None, "the full extract lacks this file.", "missing-file")
        name = "enterprise_insert.csv" if update else "enterprise.csv"
        for line, row in _rows(source, name, ENTERPRISE_COLUMNS):
            extract.rows += 1
            found = _enterprise(source.label(name), line, row, codes, snapshot)
            if found.number in wanted:
                extract.enterprises[found.number] = found
        suffix = "_insert.csv" if update else ".csv"
        if source.has(f"denomination{suffix}"):
            extract.names = _names(source, f"denomination{suffix}", wanted)
        if source.has(f"address{suffix}"):
            extract.addresses = _addresses(source, f"address{suffix}", wanted)
        if update and source.has("denomination_delete.csv"):
            extract.names_deleted = set(_numbers(source, "denomination_delete.csv")) & wanted
        if update and source.has("address_delete.csv"):
            extract.addresses_deleted = set(_numbers(source, "address_delete.csv")) & wanted
        return extract
