"""A small Organisatieportaal on loopback for the tests of `igs sync`: it speaks the public delta stream's protocol
(JSON:API datasets and distributions, /sync/public/files paging, /files/<id>/download) from fixture files made
here from the real snapshot (lblod/organisations.nt.gz + concepts.nt.gz), written as the producers write them."""

from __future__ import annotations

import gzip
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from igsatlas.ingest.opstream import format_moment, parse_moment

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
DUMP_SUBJECT = "http://data.lblod.info/datasets/delta-producer/dumps/PublicCacheGraphDump"
GRAPH = {"type": "uri", "value": "http://redpencil.data.gift/id/deltas/producer/public"}
# The codes the OP added on 2026-06-19 (config/migrations/2026/20260619100000-onboarding-new-org-types): in the
# public export scheme, so the dump holds them.
CODES = "http://data.vlaanderen.be/id/concept/"
NEW_CODES = {
    f"{CODES}BestuurseenheidClassificatieCode/3a2649ef-7345-4d3a-8709-f89fc9b44f58": "Interlokale vereniging",
    f"{CODES}BestuurseenheidClassificatieCode/b2133b86-24f0-44f0-9d10-5b4c7f944a9d": "Vervoerregioraad",
    f"{CODES}GeregistreerdeOrganisatieClassificatieCode/8392b885-a875-4b0d-b6a2-b52e53bda454": "Zorgraad",
    f"{CODES}GeregistreerdeOrganisatieClassificatieCode/b22948f9-e695-4f24-a530-b6bf3af3b37f": "Bosgroep",
    f"{CODES}GeregistreerdeOrganisatieClassificatieCode/f4e5bb57-1007-4397-828b-b34bbf1e760d": "Woonmaatschappij",
}
ILV_CODE = next(iter(NEW_CODES))
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def snapshot(data_dir: Path) -> list[ox.Triple]:
    out = []
    for name in ("organisations.nt.gz", "concepts.nt.gz"):
        out.extend(
            q.triple
            for q in ox.parse(gzip.decompress((data_dir / "lblod" / name).read_bytes()), format=ox.RdfFormat.N_TRIPLES)
        )
    for uri, label in NEW_CODES.items():
        s = ox.NamedNode(uri)
        out.append(ox.Triple(s, ox.NamedNode(RDF_TYPE), ox.NamedNode(f"{SKOS}Concept")))
        out.append(ox.Triple(s, ox.NamedNode(f"{SKOS}prefLabel"), ox.Literal(label)))
    return out


def turtle(triples: list[ox.Triple], every: int = 7) -> bytes:
    """As delta-producer-dump-file-publisher writes a dump: every literal a long string (newlines kept), the dot
    glued to the object, no language tags; every ``every``-th plain literal typed xsd:string, as n3 adds it."""
    lines = []
    for n, t in enumerate(triples):
        o = t.object
        if isinstance(o, ox.Literal):
            text = o.value.replace("\\", "\\\\").replace('"', '\\"')
            datatype = o.datatype.value
            if datatype == "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString":
                datatype = ""
            if datatype == XSD_STRING and n % every:
                datatype = ""
            obj = f'"""{text}"""' + (f"^^<{datatype}>" if datatype else "")
        else:
            obj = f"<{o.value}>"
        lines.append(f"<{t.subject.value}> <{t.predicate.value}> {obj}.")
    return ("\n".join(lines) + "\n").encode()


def term(value: str, kind: str = "uri", datatype: str | None = None) -> dict[str, str]:
    out = {"type": kind, "value": value}
    if datatype:
        out["datatype"] = datatype
    return out


def triple(s: str, p: str, o: dict[str, str] | str) -> dict[str, Any]:
    return {"subject": term(s), "predicate": term(p), "object": term(o) if isinstance(o, str) else o, "graph": GRAPH}


def literal(text: str, datatype: str | None = None) -> dict[str, str]:
    return term(text, "typed-literal" if datatype else "literal", datatype)


def of_term(t: ox.Triple) -> dict[str, Any]:
    o = t.object
    if isinstance(o, ox.Literal):
        dt = o.datatype.value
        obj = literal(o.value, None if dt == XSD_STRING else dt)
        if o.language:
            obj = {"type": "literal", "value": o.value, "xml:lang": o.language}
    else:
        obj = term(o.value)
    return triple(t.subject.value, t.predicate.value, obj)


@dataclass
class Served:
    id: str
    name: str
    created: str
    body: bytes


@dataclass
class Dataset:
    id: str
    released: str
    file_id: str | None  # None: its distribution is not there yet (a rotation under way)
    filename: str


@dataclass
class Peer:
    """What the server holds; tests change it between runs."""

    datasets: list[Dataset] = field(default_factory=list)
    files: dict[str, Served] = field(default_factory=dict)  # every downloadable file (dumps and deltas)
    deltas: list[str] = field(default_factory=list)  # ids of the delta files, listed by /sync/public/files
    page_size: int = 1000
    broken: dict[str, int] = field(default_factory=dict)  # path -> status to answer
    broken_once: dict[str, int] = field(default_factory=dict)  # path -> status to answer the next time only
    html: bool = False  # answer the website's HTML instead of JSON
    slow: dict[str, float] = field(default_factory=dict)  # file id -> seconds to wait before answering
    asked: list[str] = field(default_factory=list)  # every path asked, in order

    def add_delta(self, file_id: str, created: str, changesets: Any) -> None:
        body = changesets if isinstance(changesets, bytes) else json.dumps(changesets, indent=2).encode()
        name = f"delta-{created}-0.json"
        self.files[file_id] = Served(file_id, name, created, body)
        self.deltas.append(file_id)

    def add_dump(self, dataset_id: str, released: str, file_id: str | None, body: bytes, stamp: str) -> None:
        filename = f"dump-public-{stamp}-{dataset_id}.ttl"
        if file_id is not None:
            self.files[file_id] = Served(file_id, filename, released, body)
        self.datasets.append(Dataset(dataset_id, released, file_id, filename))


def _handler(peer: Peer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: Any) -> None:
            return None

        def _send(self, status: int, body: bytes, kind: str = "application/vnd.api+json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with suppress(BrokenPipeError, ConnectionResetError):  # the client gave up waiting (a timeout test)
                self.wfile.write(body)

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            peer.asked.append(self.path)
            if url.path in peer.broken:
                return self._send(peer.broken[url.path], b"", "text/plain")
            if url.path in peer.broken_once:
                return self._send(peer.broken_once.pop(url.path), b"", "text/plain")
            if peer.html:
                return self._send(200, b"<!DOCTYPE html><html><body>Organisatieportaal</body></html>", "text/html")
            parts = url.path.strip("/").split("/")
            if url.path == "/datasets":
                return self._datasets(query)
            if len(parts) == 3 and parts[0] == "datasets" and parts[2] == "distributions":
                return self._distributions(parts[1], query)
            if len(parts) == 3 and parts[0] == "files" and parts[2] == "download":
                served = peer.files.get(parts[1])
                if parts[1] in peer.slow:
                    time.sleep(peer.slow[parts[1]])
                return (
                    self._send(404, b"") if served is None else self._send(200, served.body, "application/octet-stream")
                )
            if url.path == "/sync/public/files":
                return self._files(query)
            return self._send(404, b"")

        def _datasets(self, query: dict[str, str]) -> None:
            wanted = query.get("filter[subject]", "").lower()
            found = [d for d in peer.datasets if wanted and wanted in DUMP_SUBJECT.lower()]
            if query.get("sort") == "-release-date":
                found.sort(key=lambda d: parse_moment(d.released), reverse=True)
            data = [
                {
                    "type": "datasets",
                    "id": d.id,
                    "attributes": {"release-date": d.released, "subject": DUMP_SUBJECT},
                    "relationships": {"distributions": {"links": {"related": f"/datasets/{d.id}/distributions"}}},
                }
                for d in found
            ]
            self._send(200, json.dumps({"data": data}).encode())

        def _distributions(self, dataset_id: str, query: dict[str, str]) -> None:
            d = next((x for x in peer.datasets if x.id == dataset_id), None)
            if d is None or d.file_id is None:
                return self._send(200, json.dumps({"data": []}).encode())
            item: dict[str, Any] = {"type": "distributions", "id": f"dist-{d.id}", "attributes": {}}
            answer: dict[str, Any] = {"data": [item]}
            if query.get("include") == "subject":
                item["relationships"] = {"subject": {"data": {"type": "files", "id": d.file_id}}}
                answer["included"] = [{"type": "files", "id": d.file_id, "attributes": {"filename": d.filename}}]
            self._send(200, json.dumps(answer).encode())

        def _files(self, query: dict[str, str]) -> None:
            if "since" not in query:
                return self._send(200, b'{"data": []}', "application/json")
            try:
                since = parse_moment(query["since"])
            except ValueError:
                return self._send(500, b"Internal Server Error", "text/plain")
            listed = sorted(
                (peer.files[i] for i in peer.deltas if parse_moment(peer.files[i].created) > since),
                key=lambda f: parse_moment(f.created),
            )[: peer.page_size]
            data = [{"type": "files", "id": f.id, "attributes": {"name": f.name, "created": f.created}} for f in listed]
            self._send(200, json.dumps({"data": data}).encode(), "application/json")

    return Handler


@contextmanager
def serve(peer: Peer) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(peer))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def moment(text: str) -> str:
    """'2026-08-01T10:00:00.123' -> the stream's form, UTC with Z."""
    return format_moment(datetime.fromisoformat(text).replace(tzinfo=UTC))
