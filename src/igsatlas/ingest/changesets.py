"""The Organisatieportaal's delta files and dump as triples: terms normalised so that equal facts compare equal.

A delta file is a JSON array of changesets ``{"inserts": [...], "deletes": [...]}``; each triple's terms use the
SPARQL 1.1 JSON results encoding (mu-semtech/delta-notifier). A literal typed ``xsd:string`` is the plain
literal; language tags are unreliable in the stream, so a triple is keyed without its language; the ``graph``
of a triple is always the stream's publication graph and is ignored.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from igsatlas.domain.triples import IRI as IRI
from igsatlas.domain.triples import Triple as Triple
from igsatlas.errors import InputError, Location
from igsatlas.ingest.lblod import SKIPPED_PREDICATES, SKIPPED_SUBJECTS

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_PLAIN = frozenset({XSD_STRING, RDF_LANGSTRING, ""})
_SKIP_PREDICATES = frozenset(SKIPPED_PREDICATES)


@dataclass(frozen=True)
class Changeset:
    deletes: list[Triple]
    inserts: list[Triple]


def kept(triple: Triple) -> bool:
    """The atlas keeps what the import reads: governing bodies are outside it."""
    return triple.predicate not in _SKIP_PREDICATES and not triple.subject.startswith(SKIPPED_SUBJECTS)


def _term(term: Any, where: str) -> tuple[str, str, str]:
    if not isinstance(term, dict) or "value" not in term:
        raise ValueError(f"{where} is not an RDF term with a value")
    kind = term.get("type")
    value = term["value"]
    if kind == "uri":
        if not isinstance(value, str) or not value:
            raise ValueError(f"{where} is an IRI without a value")
        return value, IRI, ""
    if kind == "bnode":
        return f"_:{value}", IRI, ""
    if kind in ("literal", "typed-literal"):
        lang = term.get("xml:lang") or term.get("lang") or ""
        datatype = term.get("datatype") or ""
        if not isinstance(datatype, str) or not isinstance(lang, str):
            raise ValueError(f"{where} has a datatype or language that is not text")
        # The producer casts values with String(value) (numbers may come as numbers): do the same.
        text = value if isinstance(value, str) else json.dumps(value) if isinstance(value, bool) else str(value)
        return text, "" if datatype in _PLAIN else datatype, lang
    raise ValueError(f"{where} has type {kind!r}; expected uri, literal or typed-literal")


def _triple(raw: Any, where: str) -> Triple:
    if not isinstance(raw, dict):
        raise ValueError(f"{where} is not an object with subject, predicate and object")
    s, s_kind, _ = _term(raw.get("subject"), f"{where}'s subject")
    p, p_kind, _ = _term(raw.get("predicate"), f"{where}'s predicate")
    if s_kind != IRI or p_kind != IRI:
        raise ValueError(f"{where} has a literal as subject or predicate")
    o, datatype, lang = _term(raw.get("object"), f"{where}'s object")
    return Triple(s, p, o, datatype, lang)


class ChangesetError(ValueError):
    """A delta file that cannot be understood; ``index`` is the changeset (None: the file as a whole)."""

    def __init__(self, message: str, index: int | None) -> None:
        super().__init__(message)
        self.index = index


def parse_delta(body: bytes) -> list[Changeset]:
    """A delta file's changesets, every triple checked: a fault anywhere raises ChangesetError."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ChangesetError(f"not JSON: {exc}", None) from exc
    if not isinstance(data, list):
        raise ChangesetError("not a JSON array of changesets", None)
    out = []
    for i, raw in enumerate(data):
        if not isinstance(raw, dict):
            raise ChangesetError("a changeset is not an object with inserts and deletes", i)
        parts: dict[str, list[Triple]] = {}
        for name in ("deletes", "inserts"):
            items = raw.get(name, [])
            if not isinstance(items, list):
                raise ChangesetError(f"{name} is not an array", i)
            try:
                parts[name] = [t for n, r in enumerate(items) if kept(t := _triple(r, f"{name}[{n}]"))]
            except ValueError as exc:
                raise ChangesetError(str(exc), i) from exc
        out.append(Changeset(parts["deletes"], parts["inserts"]))
    return out


def parse_dump(body: bytes, name: str) -> Iterator[Triple]:
    """The dump's triples (Turtle with long strings, as delta-producer-dump-file-publisher writes it)."""
    try:
        for quad in ox.parse(body, format=ox.RdfFormat.TURTLE):
            # What the atlas does not keep is passed by before its terms are read (a third of the dump).
            if quad.predicate.value in _SKIP_PREDICATES:
                continue
            t = _from_oxigraph(quad)
            if kept(t):
                yield t
    except SyntaxError as exc:
        raise InputError(
            f"the dump is not valid Turtle: {exc.msg}",
            code="invalid-rdf",
            location=Location(name, exc.lineno),
            hint="The download looks cut short or damaged; run `igs sync` again later. Nothing was changed.",
        ) from exc


def _from_oxigraph(quad: Any) -> Triple:
    o = quad.object
    if isinstance(o, ox.Literal):
        datatype = o.datatype.value
        return Triple(
            quad.subject.value if isinstance(quad.subject, ox.NamedNode) else f"_:{quad.subject.value}",
            quad.predicate.value,
            o.value,
            "" if datatype in _PLAIN else datatype,
            o.language or "",
        )
    value = o.value if isinstance(o, ox.NamedNode) else f"_:{o.value}"
    subject = quad.subject.value if isinstance(quad.subject, ox.NamedNode) else f"_:{quad.subject.value}"
    return Triple(subject, quad.predicate.value, value, IRI)
