"""Reading input files so that every fault names the file and the line: missing, truncated, wrong encoding."""

from __future__ import annotations

import csv
import gzip
import io
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from igsatlas.errors import InputError, Location


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def read_bytes(path: Path, name: str) -> bytes:
    """The file's bytes (gunzipped for ``.gz``), checked to be UTF-8 without a byte order mark."""
    if not path.is_file():
        raise InputError(
            f"the file is missing ({path}).",
            code="missing-file",
            location=Location(name),
            hint="Check IGSATLAS_DATA_DIR: it must point at the data folder with lblod/, regions/ and geo/.",
        )
    raw = path.read_bytes()
    if path.suffix == ".gz":
        try:
            raw = gzip.decompress(raw)
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise InputError(
                f"the gzip file is damaged or truncated ({exc}).",
                code="truncated-file",
                location=Location(name),
                hint="Replace it with a complete copy of the snapshot. Nothing was imported.",
            ) from exc
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = _line_of_offset(raw, exc.start)
        raise InputError(
            f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; the file must be UTF-8 encoded.",
            code="wrong-encoding",
            location=Location(name, line),
            hint="Save the file as UTF-8 (not Latin-1 or Windows-1252) and import again. Nothing was imported.",
        ) from exc
    return raw.removeprefix(b"\xef\xbb\xbf")


def read_text(path: Path, name: str) -> str:
    """The file's text, decoded as UTF-8 (gunzipped first for ``.gz``)."""
    return read_bytes(path, name).decode("utf-8")


@dataclass(frozen=True)
class CsvRow:
    line: int
    values: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.values[key]


def read_csv(path: Path, name: str, required: Sequence[str]) -> Iterator[CsvRow]:
    """Rows of a UTF-8 CSV with a header; stops on a missing column, a short row or an unclosed quote."""
    text = read_text(path, name)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(
            "the file is empty.",
            code="truncated-file",
            location=Location(name, 1),
            hint="Replace it with a complete copy. Nothing was imported.",
        ) from None
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(
            f"the header lacks the column(s) {', '.join(missing)}.",
            code="missing-column",
            location=Location(name, 1),
            hint=f"Expected columns: {', '.join(required)}. Nothing was imported.",
        )
    start = 2
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(
                f"cannot read the row ({exc}); the file looks truncated or has an unclosed quote.",
                code="truncated-file",
                location=Location(name, start),
                hint="Replace it with a complete copy. Nothing was imported.",
            ) from exc
        if not values:
            start = reader.line_num + 1
            continue
        if len(values) != len(header):
            raise InputError(
                f"the row has {len(values)} fields where the header has {len(header)}; "
                "the file looks truncated or a value has an unquoted comma.",
                code="truncated-file",
                location=Location(name, start),
                hint="Replace it with a complete copy, or quote the value. Nothing was imported.",
            )
        yield CsvRow(start, dict(zip(header, values, strict=True)))
        start = reader.line_num + 1
