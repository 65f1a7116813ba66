"""Publishing an accepted edit: the register is composed again from the sources and every accepted edit.

The parsed sources are kept per process, keyed by the data folder's files (name, size, modification time), so
publishing an edit costs the composition and the write, not a new parse.
"""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import Engine

from igsatlas.domain.model import Dataset
from igsatlas.ingest import opregister
from igsatlas.ingest.pipeline import Review, run_import
from igsatlas.ingest.problems import Problems
from igsatlas.ingest.report import ImportReport
from igsatlas.ingest.sources import build_dataset

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
            found = (stamp, build_dataset(key[0], Problems(), register=opregister.stored_register(engine)))
            _parsed[key] = found
        return found[1]


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
