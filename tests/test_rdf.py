"""The N-Triples reader: skipped subjects are checked but not read, and the result is what a plain read gives."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyoxigraph as ox
import pytest

from igsatlas.errors import InputError
from igsatlas.ingest import lblod
from igsatlas.ingest.rdf import _parts, parse_ntriples

GOVERNING_BODIES = "http://data.lblod.info/id/bestuursorganen/"


@pytest.fixture(scope="module")
def snapshot(data_dir: Path) -> bytes:
    return gzip.decompress((data_dir / lblod.ORGANISATIONS_FILE).read_bytes())


def _plain_read(data: bytes, skip_predicates: tuple[str, ...]) -> dict[str, dict[str, list[str]]]:
    """Every triple turned into values, then the skipped ones dropped: what the reader must equal."""
    out: dict[str, dict[str, list[str]]] = {}
    for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
        s, p = t.subject.value, t.predicate.value
        if p in skip_predicates or s.startswith(lblod.SKIPPED_SUBJECTS):
            continue
        out.setdefault(s, {}).setdefault(p, []).append(t.object.value)
    return out


def test_the_governing_bodies_of_the_snapshot_are_one_run_that_is_only_checked(snapshot: bytes) -> None:
    parts = _parts(snapshot, lblod.SKIPPED_SUBJECTS)
    assert [checked for *_, checked in parts] == [False, True, False]
    (_, first, _), (_, end, _), _ = parts
    assert snapshot.count(b"\n", 0, first) + 1 == 32_748  # the run's first line
    assert snapshot.count(b"\n", 0, end) == 95_701  # its last line
    assert snapshot.count(b"\n", first, end) == 62_954


def test_reading_with_the_checked_run_gives_what_a_plain_read_gives(snapshot: bytes) -> None:
    graph = parse_ntriples(snapshot, "x.nt", lblod.SKIPPED_PREDICATES, skip_subjects=lblod.SKIPPED_SUBJECTS)
    assert graph.subjects == _plain_read(snapshot, lblod.SKIPPED_PREDICATES)
    assert not any(s.startswith(GOVERNING_BODIES) for s in graph.subjects)
    assert len(graph.of_type(*lblod.ORGANISATION_CLASSES)) == 1_427
    assert len(graph.subjects) == 19_346


def test_an_unsorted_file_is_read_line_by_line(snapshot: bytes) -> None:
    """A governing body's line among other subjects: no run is skipped whole, the line is still passed over."""
    lines = snapshot.split(b"\n")
    body = next(i for i, line in enumerate(lines) if line.startswith(f"<{GOVERNING_BODIES}".encode()))
    moved = [lines[body], *lines[:body], *lines[body + 1 :]]
    data = b"\n".join([*moved[:20_000], moved[40_000], *moved[20_000:40_000], *moved[40_001:]])
    parts = _parts(data, lblod.SKIPPED_SUBJECTS)
    assert [checked for *_, checked in parts] == [False]
    graph = parse_ntriples(data, "x.nt", lblod.SKIPPED_PREDICATES, skip_subjects=lblod.SKIPPED_SUBJECTS)
    assert graph.subjects == _plain_read(data, lblod.SKIPPED_PREDICATES)


@pytest.mark.parametrize("line", [1, 3, 4, 6])
def test_a_damaged_line_is_named_in_any_part(line: int) -> None:
    body = f"<{GOVERNING_BODIES}b1> <http://example.org/p> <http://example.org/o> .\n".encode()
    other = b'<http://example.org/a> <http://example.org/p> "x" .\n'
    lines = [other, other, body, body, other, other]
    lines[line - 1] = lines[line - 1][:30] + b"\n"
    with pytest.raises(InputError) as caught:
        parse_ntriples(b"".join(lines), "x.nt", skip_subjects=(GOVERNING_BODIES,))
    assert caught.value.location is not None
    assert (caught.value.location.file, caught.value.location.line) == ("x.nt", line)
