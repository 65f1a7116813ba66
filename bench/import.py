"""Time the full import against a bare pyoxigraph parse of the same LBLOD file, in one process.

Prints each measurement (best of N) and the ratio full import / bare parse. Goal: at most 3x.
Usage: python bench/import.py [--runs N]
"""

from __future__ import annotations

import argparse
import gzip
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from igsatlas.config import Settings
from igsatlas.ingest.pipeline import run_import
from igsatlas.store.engine import make_engine


def bare_parse(path: Path) -> int:
    """The reference: read, gunzip and parse every triple of the LBLOD file, keeping nothing."""
    with gzip.open(path, "rb") as f:
        return sum(1 for _ in ox.parse(f, format=ox.RdfFormat.N_TRIPLES))


def timed_import(data_dir: Path, database: Path) -> float:
    """A full import (parse, reconcile, geometry, write) into the SQLite file ``database``."""
    engine = make_engine(f"sqlite:///{database}")
    started = time.perf_counter()
    run_import(engine, data_dir)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data_dir = Settings.from_env().require_data_dir()
    lblod = data_dir / "lblod" / "organisations.nt.gz"
    parse_times, import_times = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            started = time.perf_counter()
            triples = bare_parse(lblod)
            parse_times.append(time.perf_counter() - started)
            import_times.append(timed_import(data_dir, Path(tmp) / f"new-{run}.sqlite3"))
        again = timed_import(data_dir, Path(tmp) / "new-0.sqlite3")  # everything unchanged
    parse_s, import_s = min(parse_times), min(import_times)
    print(f"bare pyoxigraph parse of {lblod.name}: {triples} triples in {parse_s:.3f} s (best of {args.runs})")
    print(f"full import into a new SQLite database: {import_s:.3f} s (best of {args.runs})")
    print(f"second import, nothing changed: {again:.3f} s")
    print(f"ratio full import / bare parse: {import_s / parse_s:.2f}x (goal: at most 3x)")


if __name__ == "__main__":
    main()
