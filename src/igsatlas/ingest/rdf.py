"""N-Triples into a subject -> predicate -> values map, with line numbers for error messages."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from igsatlas.errors import InputError, Location
from igsatlas.ingest.files import require_utf8

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass
class Graph:
    """Triples grouped by subject. Literal values keep their language in ``languages``."""

    name: str  # file name for messages
    data: bytes  # the file's content, to find line numbers when something is wrong
    subjects: dict[str, dict[str, list[str]]]
    languages: dict[tuple[str, str, str], str]
    types: dict[str, set[str]]  # class -> the subjects of that rdf:type

    def one(self, subject: str, predicate: str) -> str | None:
        values = self.subjects.get(subject, {}).get(predicate)
        return values[0] if values else None

    def all(self, subject: str, predicate: str) -> list[str]:
        return self.subjects.get(subject, {}).get(predicate, [])

    def of_type(self, *classes: str) -> set[str]:
        return set().union(*(self.types.get(c, ()) for c in classes))

    def line_of(self, subject: str) -> int | None:
        """The line of the subject's first triple."""
        return self.location(subject).line

    def location(self, subject: str, predicate: str | None = None, record: str | None = None) -> Location:
        """Where the triple (or the first triple of the subject) stands in the file."""
        needle = f"<{subject}> <{predicate}>" if predicate else f"<{subject}> "
        pos = self.data.find(needle.encode())
        if pos < 0 and predicate:
            pos = self.data.find(f"<{subject}> ".encode())
        line = self.data.count(b"\n", 0, pos) + 1 if pos >= 0 else None
        return Location(self.name, line, record or subject)


def parse_ntriples(
    data: bytes,
    name: str,
    skip_predicates: Collection[str] = (),
    *,
    languages: bool = False,
    skip_subjects: tuple[str, ...] = (),
) -> Graph:
    """Parse N-Triples (UTF-8 bytes); a syntax error stops with the file and line.

    With ``languages``, the language tags of literals are kept (needed for multilingual code lists). Triples
    whose predicate is in ``skip_predicates`` or whose subject starts with one of ``skip_subjects`` are passed
    over (they are still parsed, so a syntax error anywhere is still found). A file sorted by subject holds
    each skipped subject prefix as one run of lines; such a run is only checked, never read into values.
    """
    subjects: dict[str, dict[str, list[str]]] = {}
    tags: dict[tuple[str, str, str], str] = {}
    types: dict[str, set[str]] = {}
    skip = frozenset(skip_predicates)
    line = 0  # lines before the part being parsed, for messages
    read = False
    try:
        for start, end, only_check in _parts(data, skip_subjects):
            part = data[start:end] if (start, end) != (0, len(data)) else data
            triples = ox.parse(part, format=ox.RdfFormat.N_TRIPLES)
            if only_check:
                for _ in triples:
                    read = True
            else:
                read = _read(triples, skip, skip_subjects, languages, subjects, tags, types) or read
            line += part.count(b"\n")
    except SyntaxError as exc:
        require_utf8(data, name)  # the reader may not have checked: name the byte, not the parser's column
        raise InputError(
            f"not valid N-Triples: {_without_position(exc.msg)}",
            code="invalid-rdf",
            location=Location(name, line + exc.lineno if exc.lineno is not None else None),
            hint="The file looks truncated or damaged; replace it with a complete copy. Nothing was imported.",
        ) from exc
    if not read:
        raise InputError(
            "the file holds no triples.",
            code="empty-file",
            location=Location(name),
            hint="Replace it with a complete copy of the snapshot. Nothing was imported.",
        )
    return Graph(name, data, subjects, tags, types)


_POSITION = re.compile(r"^Parser error (?:at|between) line \d+ column (\d+)(?: and line \d+ column \d+)?: ")


def _without_position(message: str) -> str:
    """The parser's message without its own line numbers (they count from the start of the part parsed, so only
    the location's line is the file's) and with control characters written out."""
    text = _POSITION.sub(lambda m: f"from column {m.group(1)}, ", message)
    return text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text


def _read(
    triples: ox.QuadParser,
    skip: frozenset[str],
    skip_subjects: tuple[str, ...],
    languages: bool,
    subjects: dict[str, dict[str, list[str]]],
    tags: dict[tuple[str, str, str], str],
    types: dict[str, set[str]],
) -> bool:
    """Read the triples into the maps; whether there was any."""
    any_triple = False
    for triple in triples:
        any_triple = True
        p = triple.predicate.value
        if p in skip:
            continue
        s = triple.subject.value
        if skip_subjects and s.startswith(skip_subjects):
            continue
        o = triple.object
        value = o.value
        preds = subjects.get(s)
        if preds is None:
            preds = subjects[s] = {}
        values = preds.get(p)
        if values is None:
            preds[p] = [value]
        else:
            values.append(value)
        if p == RDF_TYPE:
            types.setdefault(value, set()).add(s)
        if languages and isinstance(o, ox.Literal) and o.language:
            tags[(s, p, value)] = o.language
    return any_triple


def _parts(data: bytes, skip_subjects: tuple[str, ...]) -> list[tuple[int, int, bool]]:
    """The file as consecutive byte ranges (start, end, only_check): each run of whole lines whose subjects all
    start with one skipped prefix is to be checked only; the rest is to be read."""
    runs = []
    for prefix in skip_subjects:
        needle = b"\n<" + prefix.encode()
        if data.startswith(needle[1:]):
            first = 0
        elif (found := data.find(needle)) >= 0:
            first = found + 1
        else:
            continue
        last = max(data.rfind(needle) + 1, first)
        end = data.find(b"\n", last) + 1 or len(data)
        # Every line that starts in [first, end) starts with the prefix: the run holds nothing else.
        if data.count(needle, first, end - 1) == data.count(b"\n", first, end - 1):
            runs.append((first, end))
    parts, at = [], 0
    for first, end in sorted(runs):
        if first < at:  # overlapping runs (one prefix within another): read the second
            continue
        parts += [(at, first, False), (first, end, True)]
        at = end
    parts.append((at, len(data), False))
    return [p for p in parts if p[0] < p[1]] or [(0, len(data), False)]


def graph_of(name: str, triples: Iterable[tuple[str, str, str, str, str]]) -> Graph:
    """A Graph of triples already parsed: (subject, predicate, object, datatype, language); an IRI object has
    the datatype "@id". The values of a subject's predicate are in sorted order, as the snapshot's sorted lines
    give them, whatever the order of ``triples``; a literal that comes with several language tags keeps the last
    in sorted order."""
    subjects: dict[str, dict[str, list[str]]] = {}
    tags: dict[tuple[str, str, str], str] = {}
    types: dict[str, set[str]] = {}
    several: list[list[str]] = []
    tagged: dict[tuple[str, str, str], tuple[str, str]] = {}  # the (datatype, language) that gave the tag
    for s, p, o, datatype, lang in triples:
        preds = subjects.get(s)
        if preds is None:
            preds = subjects[s] = {}
        values = preds.get(p)
        if values is None:
            preds[p] = [o]
        else:
            if len(values) == 1:
                several.append(values)
            values.append(o)
        if p == RDF_TYPE:
            types.setdefault(o, set()).add(s)
        if lang and tagged.get((s, p, o), ("", "")) < (datatype, lang):
            tagged[(s, p, o)] = (datatype, lang)
            tags[(s, p, o)] = lang
    for values in several:
        values.sort()
    return Graph(name, b"", subjects, tags, types)
