"""Time the full import against a bare pyoxigraph parse of the same LBLOD file, in one process.

Prints each measurement (best of N) and the ratio full import / bare parse. Goal: at most 3x. Goal against the
floor below (reading the values and writing the rows, together): at most 2x.

Two floors are measured in the same run, as ratios to the same bare parse: reading the three values of every
triple through pyoxigraph (what any Python consumer of the parser pays), and SQLite alone executing the very
INSERTs of an import, with the same schema and pragmas, straight through sqlite3 (no Python work per row).
Usage: python bench/import.py [--runs N]
"""

from __future__ import annotations

import argparse
import gzip
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from sqlalchemy import event

from igsatlas.config import Settings
from igsatlas.ingest.pipeline import run_import
from igsatlas.store.engine import make_engine


def bare_parse(path: Path) -> int:
    """The reference: read, gunzip and parse every triple of the LBLOD file, keeping nothing."""
    with gzip.open(path, "rb") as f:
        return sum(1 for _ in ox.parse(f, format=ox.RdfFormat.N_TRIPLES))


def read_values(path: Path) -> int:
    """A floor: the bare parse plus reading subject, predicate and object of every triple as Python strings."""
    with gzip.open(path, "rb") as f:
        return sum(
            1
            for t in ox.parse(f, format=ox.RdfFormat.N_TRIPLES)
            if (t.subject.value, t.predicate.value, t.object.value)
        )


Statement = tuple[str, list[tuple[Any, ...]]]


def captured_inserts(data_dir: Path, database: Path) -> tuple[list[str], list[Statement]]:
    """The schema and the batched INSERTs (statement, parameter tuples) of one full import."""
    engine = make_engine(f"sqlite:///{database}")
    inserts: list[Statement] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, many: bool) -> None:
        # Every INSERT of rows, batched or single, so that the floor writes the same rows however the import
        # batches them (not the migrations' INSERT ... SELECT of nothing on a new database).
        if statement.startswith("INSERT") and parameters:
            inserts.append((statement, [tuple(p) for p in parameters] if many else [tuple(parameters)]))

    event.listen(engine, "before_cursor_execute", keep)
    run_import(engine, data_dir)
    engine.dispose()
    with sqlite3.connect(database) as conn:
        schema = [sql for (sql,) in conn.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL")]
    return schema, inserts


def sqlite_alone(schema: list[str], inserts: list[Statement], database: Path) -> float:
    """A floor: the import's INSERTs and its commit, executed by sqlite3 with the app's pragmas."""
    conn = sqlite3.connect(database, isolation_level=None)
    for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL"):
        conn.execute(f"PRAGMA {pragma}")
    for sql in schema:
        conn.execute(sql)
    started = time.perf_counter()
    conn.execute("BEGIN")
    for statement, parameters in inserts:
        conn.executemany(statement, parameters)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


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
    parse_times, import_times, value_times, sqlite_times = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        schema, inserts = captured_inserts(data_dir, Path(tmp) / "captured.sqlite3")
        for run in range(args.runs):
            started = time.perf_counter()
            triples = bare_parse(lblod)
            parse_times.append(time.perf_counter() - started)
            import_times.append(timed_import(data_dir, Path(tmp) / f"new-{run}.sqlite3"))
            started = time.perf_counter()
            read_values(lblod)
            value_times.append(time.perf_counter() - started)
            sqlite_times.append(sqlite_alone(schema, inserts, Path(tmp) / f"floor-{run}.sqlite3"))
        again = timed_import(data_dir, Path(tmp) / "new-0.sqlite3")  # everything unchanged
    parse_s, import_s = min(parse_times), min(import_times)
    values_s, sqlite_s = min(value_times), min(sqlite_times)
    rows = sum(len(p) for _, p in inserts)
    print(f"bare pyoxigraph parse of {lblod.name}: {triples} triples in {parse_s:.3f} s (best of {args.runs})")
    print(f"full import into a new SQLite database: {import_s:.3f} s (best of {args.runs})")
    print(f"second import, nothing changed: {again:.3f} s")
    print(f"ratio full import / bare parse: {import_s / parse_s:.2f}x (goal: at most 3x)")
    print(f"floor, reading every triple's values: {values_s:.3f} s = {values_s / parse_s:.2f}x")
    print(f"floor, SQLite alone writing the import's {rows:,} rows: {sqlite_s:.3f} s = {sqlite_s / parse_s:.2f}x")
    print(f"floor, the two together (before any reconciliation): {(values_s + sqlite_s) / parse_s:.2f}x")
    print(f"ratio full import / the two floors together: {import_s / (values_s + sqlite_s):.2f}x (goal: at most 2x)")


if __name__ == "__main__":
    main()
