"""Publishing an accepted edit: the register is composed again from the sources and every accepted edit.

The parsed sources are kept per process, keyed by the data folder's files (name, size, modification time), so
publishing an edit costs the composition and the write, not a new parse. They are parsed in a worker process and
handed back whole (10 MB, 0.2 s): the parse's own peak (the register's graph, some 110 MB) stays in the worker,
not in the server that keeps the sources for as long as it runs. They come back in pickled chunks of CHUNK
records, unpickled one at a time with a pause between: unpickling holds the interpreter lock, and the whole
Dataset at once (0.15-0.7 s) held up the server's cached pages as long.
"""

from __future__ import annotations

import dataclasses
import pickle
import threading
import time
from pathlib import Path

from sqlalchemy import Engine

from igsatlas.domain.model import Dataset
from igsatlas.ingest import opregister
from igsatlas.ingest.pipeline import Review, run_import
from igsatlas.ingest.problems import Problems
from igsatlas.ingest.report import ImportReport
from igsatlas.ingest.sources import build_dataset
from igsatlas.ingest.worker import in_worker

CHUNK = 2000  # records per pickle: the server's other threads wait at most one chunk's unpickling (a few ms)
_lock = threading.Lock()
Stamp = tuple[tuple[tuple[str, int, int], ...], tuple[str | None, str | None]]
_parsed: dict[tuple[Path, str], tuple[Stamp, Dataset]] = {}


def _fingerprint(data_dir: Path) -> tuple[tuple[str, int, int], ...]:
    files = sorted(p for p in data_dir.rglob("*") if p.is_file())
    return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files)


def sources(data_dir: Path, engine: Engine) -> Dataset:
    """The parsed data folder (with the register `igs sync` holds, once it follows the Organisatieportaal),
    parsed again only when a file changed or a sync applied something."""
    key = (data_dir.resolve(), str(engine.url))
    with _lock:
        stamp = (_fingerprint(key[0]), opregister.fingerprint(engine))
        found = _parsed.get(key)
        if found is None or found[0] != stamp:
            with in_worker(_parse, key[0], engine, daemon=False) as parsed:  # it starts a worker of its own
                found = (stamp, _unpacked(parsed()))
            _parsed[key] = found
        return found[1]


def _parse(data_dir: Path, engine: Engine) -> list[tuple[str, bytes]]:
    """In the worker: the data folder's sources, with the register `igs sync` holds, as (field, pickle) chunks."""
    engine.dispose(close=False)  # the pooled connections are the parent's: this process opens its own
    data = build_dataset(data_dir, Problems(), register=opregister.stored_register(engine))
    out = []
    for f in dataclasses.fields(data):
        value = getattr(data, f.name)
        if isinstance(value, list):
            out += [(f.name, pickle.dumps(value[i : i + CHUNK])) for i in range(0, len(value), CHUNK)]
        else:
            out.append((f.name, pickle.dumps(value)))
    return out


def _unpacked(chunks: list[tuple[str, bytes]]) -> Dataset:
    data = Dataset()
    for name, chunk in chunks:
        value = pickle.loads(chunk)
        if isinstance(value, list):
            getattr(data, name).extend(value)
        else:
            setattr(data, name, value)
        time.sleep(0)  # gives the interpreter lock to the server's other threads between chunks
    return data


def publish(engine: Engine, data_dir: Path, review: Review) -> ImportReport:
    """Accept an edit and write what it changes, in one transaction. The register is composed from the data
    folder with and without the edit; only the difference is written over the stored register, so a data file
    changed since the last import is not published under the edit's name (it waits for `igs import`)."""
    return run_import(
        engine, data_dir, sources=sources(data_dir, engine), source=f"edit:{review.edit_id}", accept=review
    )


def republish(engine: Engine, data_dir: Path, source: str, edit_id: int | None = None) -> ImportReport:
    """Write the register again after a review changed which edits apply (a conflict resolved); given the edit,
    only what its new review changes."""
    return run_import(engine, data_dir, sources=sources(data_dir, engine), source=source, only_edit=edit_id)
