"""Reading input files so that every fault names the file and the line: missing, truncated, wrong encoding."""

from __future__ import annotations

import csv
import gzip
import io
import os
import zlib
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from igsatlas.errors import InputError, Location


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _fault(name: str, code: str, message: str, hint: str) -> InputError:
    return InputError(message, code=code, location=Location(name), hint=f"{hint} Nothing was imported.")


def open_bytes(path: Path, name: str) -> bytes:
    """The raw bytes of a data file, with a clear error for each way a file can be absent or unreadable."""
    if path.is_symlink() and not path.exists():
        raise _fault(
            name,
            "broken-link",
            f"the file is a link that leads nowhere or to itself ({path} -> {os.readlink(path)}).",
            "Replace the link with the file itself, or point it at an existing file.",
        )
    if path.is_dir():
        raise _fault(name, "not-a-file", f"this is a folder, not a file ({path}).", "Put the file itself there.")
    if not path.exists():
        raise _fault(
            name,
            "missing-file",
            f"the file is missing ({path}).",
            "Check IGSATLAS_DATA_DIR: it must point at the data folder with lblod/, regions/ and geo/.",
        )
    try:
        return path.read_bytes()
    except PermissionError:
        raise _fault(
            name,
            "unreadable-file",
            f"the file cannot be read: permission denied ({path}).",
            "Give the user that runs the import read access to it (chmod a+r).",
        ) from None
    except OSError as exc:
        raise _fault(name, "unreadable-file", f"the file cannot be read ({exc.strerror}).", "Check the file.") from None


def read_bytes(path: Path, name: str, *, check_encoding: bool = True) -> bytes:
    """The file's bytes (gunzipped for ``.gz``), checked to hold no NUL bytes and, with ``check_encoding``, to be
    UTF-8 text without a byte order mark. A caller whose parser rejects bad UTF-8 itself may skip that check and
    call ``require_utf8`` when the parser fails, for the same message."""
    raw = open_bytes(path, name)
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
    if check_encoding:
        require_utf8(raw, name)
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise InputError(
            "the file holds a NUL byte (0x00), which no text file may contain; it is damaged or not text.",
            code="nul-byte",
            location=Location(name, _line_of_offset(raw, nul)),
            hint="Replace it with a clean UTF-8 copy. Nothing was imported.",
        )
    return raw.removeprefix(b"\xef\xbb\xbf")


def require_utf8(raw: bytes, name: str) -> None:
    """Stop with the file, the line and the byte when ``raw`` is not UTF-8."""
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


def read_text(path: Path, name: str) -> str:
    """The file's text, decoded as UTF-8 (gunzipped first for ``.gz``)."""
    return read_bytes(path, name).decode("utf-8")


@dataclass(frozen=True)
class CsvRow:
    line: int
    values: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.values[key]


Line = int | None | Callable[[], int | None]


class UniqueKeys:
    """One check for every input: no two records of a file share a key. A second record with the key of an
    earlier one stops the import, naming the file, both lines (or records) and both rows, since nothing tells which
    of the two is right and the later one would silently replace the earlier."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.seen: dict[Hashable, tuple[Line, str | None, str]] = {}

    def add(self, key: Hashable, describe: str, shown: str, line: Line, record: str | None = None) -> None:
        """Note the record at ``line`` (a number, or a function that finds it, called only for a duplicate; or
        ``record``, for files without lines) shown as ``shown``; ``describe`` names its key in words."""
        earlier = self.seen.get(key)
        if earlier is None:
            self.seen[key] = (line, record, shown)
            return
        first_line, first_record, first = earlier
        line = line() if callable(line) else line
        where = first_record or f"line {first_line() if callable(first_line) else first_line}"
        here = record or f"line {line}"
        raise InputError(
            f"{describe} is the key of {where} already; a key may occur once.\n"
            f"  {where}: {_clip(first)}\n  {here}: {_clip(shown)}",
            code="duplicate-key",
            location=Location(self.name, line, record),
            hint=f"Keep one of the two (delete or correct {here} or {where}) and import again. Nothing was imported.",
        )


def _clip(text: str, width: int = 110) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


CsvKey = Sequence[str] | Callable[["CsvRow"], tuple[str, ...]]


def _key_of(key: CsvKey) -> tuple[Callable[[CsvRow], tuple[str, ...]], Callable[[tuple[str, ...]], str]]:
    """The key function and how to describe a key value, for column names or a function."""
    if callable(key):
        return key, lambda value: f"the key {' / '.join(value)}"
    columns = tuple(key)
    return (
        lambda row: tuple(row[c].strip() for c in columns),
        lambda value: ", ".join(f"{c} {v!r}" for c, v in zip(columns, value, strict=True)),
    )


def read_csv(path: Path, name: str, required: Sequence[str], key: CsvKey | None = None) -> Iterator[CsvRow]:
    """Rows of a UTF-8 CSV with a header; stops on a missing column, a short row, an unclosed quote, a row repeated
    exactly, or (given ``key``: columns, or a function of the row) a second row with the key of an earlier one."""
    keys = None if key is None else _key_of(key)
    unique = UniqueKeys(name)
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
    seen: dict[tuple[str, ...], int] = {}
    while True:
        try:
            values = next(reader)
        except StopIteration:
            if not seen:
                raise InputError(
                    "the file has a header but no rows.",
                    code="empty-file",
                    location=Location(name, 2),
                    hint="Replace it with a complete copy; a data file without rows would empty the register. "
                    "Nothing was imported.",
                ) from None
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
        exact = tuple(values)
        if exact in seen:
            raise InputError(
                f"the row repeats line {seen[exact]} exactly.",
                code="duplicate-row",
                location=Location(name, start),
                hint=f"Remove one of lines {seen[exact]} and {start}. Nothing was imported.",
            )
        seen[exact] = start
        row = CsvRow(start, dict(zip(header, values, strict=True)))
        if keys is not None:
            value = keys[0](row)
            unique.add(value, keys[1](value), ",".join(values), start)
        yield row
        start = reader.line_num + 1
