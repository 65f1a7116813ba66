"""Time a reviewer's first acceptance in a process: with the data folder parsed by the site's warm-up (as
`igs serve` does now) against a cold process that parses it during the acceptance. All in one process, on an
SQLite file in a temporary folder with the real data imported.

Goal: the warm first acceptance under 1 s, and well under the cold one.
Usage: python bench/accept.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date

from igsatlas.config import Settings
from igsatlas.domain.edits import EditKind
from igsatlas.ingest import publication
from igsatlas.ingest.pipeline import Review, run_import
from igsatlas.store import edits, queries
from igsatlas.store.engine import make_engine


def main() -> int:
    data_dir = Settings.from_env({}).require_data_dir()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/bench.sqlite3")
        run_import(engine, data_dir)
        with engine.begin() as conn:
            target = queries.find_organisation(conn, "Interleuven").id
            ids = [
                edits.submit(
                    conn,
                    kind=EditKind.CHANGE_FIELD,
                    target_kind="organisatie",
                    target_id=target,
                    payload={"founding_date": f"19{50 + n}-06-01"},
                    base={"founding_date": None if n == 0 else f"19{49 + n}-06-01"},
                    evidence_url="https://www.ejustice.just.fgov.be/tsv/example",
                    evidence_date=date(2024, 3, 1),
                )
                for n in range(2)
            ]
        publication._parsed.clear()  # a process that has accepted nothing yet and did not warm up
        start = time.perf_counter()
        publication.publish(engine, data_dir, Review(ids[0], None))
        cold = time.perf_counter() - start
        publication._parsed.clear()
        start = time.perf_counter()
        publication.sources(data_dir, engine)  # what the site's warm-up does in the background
        parse = time.perf_counter() - start
        start = time.perf_counter()
        publication.publish(engine, data_dir, Review(ids[1], None))
        warm = time.perf_counter() - start
        engine.dispose()
    print(f"first acceptance, cold process: {cold:.2f} s (of which the parse of the data folder ~{parse:.2f} s)")
    print(f"first acceptance after the warm-up: {warm:.2f} s; warm/cold = {warm / cold:.2f}")
    return 0 if warm < 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
