"""Time `igs sync`: applying one delta file, on the register and on one ten times larger; the bootstrap against
`igs import`. All in one process, on SQLite files in a temporary folder.

- A delta file of 10 changesets of 100 triples (50 deletes and 50 inserts each: the websites and phone numbers of
  500 contact points, as the stream sends contact-data updates). Goal: at most 50 ms.
- The same file on a register ten times larger (generated: every stored triple and organisation row copied
  nine times under other URIs). Goal: at most 1.5x the first: the cost follows the delta, not the register.
- The bootstrap from a dump of the snapshot (Turtle as the producer writes it, over HTTP on loopback) against
  `igs import` of the same data. Goal: at most 1x.
Usage: python bench/sync.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, literal, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from igsatlas.config import Settings
from igsatlas.ingest import deltas
from igsatlas.ingest.changesets import IRI, parse_delta
from igsatlas.ingest.opstream import DeltaFile, Stream, parse_moment
from igsatlas.ingest.opsync import SyncReport, apply_quickly, bootstrap
from igsatlas.ingest.pipeline import run_import
from igsatlas.store import schema, schema_sources, triples
from igsatlas.store.engine import make_engine
from opstream_peer import Peer, moment, serve, snapshot, triple, turtle
from opstream_peer import literal as lit

PAGE = "http://xmlns.com/foaf/0.1/page"
PHONE = "http://schema.org/telephone"


def contact_points(engine: Engine) -> list[tuple[str, str, str]]:
    """(contact point, predicate, value) of 500 websites and phone numbers the register holds."""
    t = schema_sources.op_triple
    with engine.connect() as conn:
        rows = conn.execute(
            select(t.c.subject, t.c.predicate, t.c.object)
            .where(t.c.predicate.in_([PAGE, PHONE]), t.c.subject.not_like("%-copy%"))
            .order_by(t.c.subject, t.c.predicate)
        ).all()
    return [tuple(r) for r in rows[:500]]  # type: ignore[misc]


def delta_file(points: list[tuple[str, str, str]], run: int) -> bytes:
    """10 changesets of 50 deletes and 50 inserts: each value moves from its run-1 form to its run form."""
    changesets = []
    for i in range(10):
        part = points[i * 50 : (i + 1) * 50]
        changesets.append(
            {
                "deletes": [triple(s, p, lit(v if run == 0 else f"{v}#{run - 1}")) for s, p, v in part],
                "inserts": [triple(s, p, lit(f"{v}#{run}")) for s, p, v in part],
            }
        )
    return json.dumps(changesets).encode()


def record_of(conn: Connection, org: str) -> list[triples.Row]:
    """Every stored triple of an organisation and of what it links to, down to three links (not through types,
    codes or other organisations), whatever the sync reads of them."""
    found: list[triples.Row] = []
    frontier, seen = {org}, {org}
    for _ in range(deltas.DEPTH + 1):
        level = triples.of_subjects(conn, frontier)
        found.extend(level)
        frontier = {o for _, p, o, d, _ in level if d == IRI and p not in deltas.NOT_FOLLOWED} - seen
        seen |= frontier
    return found


def healing_file(engine: Engine, points: list[tuple[str, str, str]], run: int) -> bytes:
    """10 changesets about 10 organisations, as healing republishes them: each 99 triples of one organisation's
    record (itself, its site, address, contact points, identifiers) inserted again, and its website changed."""
    changesets = []
    with engine.connect() as conn:
        for contact, predicate, value in [p for p in points if p[1] == PAGE][:10]:
            site = next(iter(triples.referrers(conn, {contact})))
            org = next(iter(triples.referrers(conn, {site})))
            around = [t for t in record_of(conn, org) if "/concept" not in t[0] and t[1] != PAGE]
            again = [triple(s, p, lit(o)) for s, p, o, d, _ in sorted(around) if d == ""][:99]
            changesets.append(
                {
                    "deletes": [triple(contact, predicate, lit(value if run == 0 else f"{value}#{run - 1}"))],
                    "inserts": [*again, triple(contact, predicate, lit(f"{value}#{run}"))],
                }
            )
    return json.dumps(changesets).encode()


def apply_runs(engine: Engine, runs: int, label: str, healing: bool = False) -> float:
    points = contact_points(engine)
    best = float("inf")
    for run in range(runs):
        created = f"2026-09-01T1{int(healing)}:00:{run:02d}.000Z"
        f = DeltaFile(f"bench-{label}-{healing}-{run}", f"delta-{created}-0.json", parse_moment(created), created)
        body = healing_file(engine, points, run) if healing else delta_file(points, run)
        changesets = parse_delta(body)
        started = time.perf_counter()
        applied = apply_quickly(engine, f, changesets)
        best = min(best, time.perf_counter() - started)
        assert applied.changes["organisation"].updated > 0, applied.changes
    return best


def grow(engine: Engine, times: int) -> None:
    """Copy every stored triple and organisation row ``times - 1`` times under other URIs and ids."""
    t, o = schema_sources.op_triple, schema.organisation
    with engine.begin() as conn:
        for k in range(1, times):
            tail = f"-copy{k}"
            conn.execute(
                t.insert().from_select(
                    [c.name for c in t.columns],
                    select(
                        t.c.key + literal(tail),
                        t.c.subject + literal(tail),
                        t.c.predicate,
                        t.c.object,
                        t.c.datatype,
                        t.c.lang,
                        t.c.ref + literal(tail),
                    ).where(t.c.subject.not_like("%-copy%")),
                )
            )
            columns = [
                (c + literal(tail)) if c.name in ("id", "slug", "uri") else c
                for c in o.columns  # type: ignore[operator]
            ]
            conn.execute(
                o.insert().from_select([c.name for c in o.columns], select(*columns).where(o.c.id.not_like("%-copy%")))
            )


def timed(fn: Any) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    data_dir = Settings.from_env().require_data_dir()
    peer = Peer()
    peer.add_dump(
        "bench", moment("2026-09-01T04:11:00.000"), "dump-bench", turtle(snapshot(data_dir)), "20260901041100000"
    )
    with tempfile.TemporaryDirectory() as tmp, serve(peer) as url:
        imported = make_engine(f"sqlite:///{tmp}/imported.sqlite3")
        synced = make_engine(f"sqlite:///{tmp}/synced.sqlite3")
        t_import = timed(lambda: run_import(imported, data_dir))
        t_boot = timed(lambda: bootstrap(synced, data_dir, Stream(url), SyncReport()))
        print(f"igs import:            {t_import:6.2f} s")
        print(f"bootstrap from a dump: {t_boot:6.2f} s  ({t_boot / t_import:.2f}x the import; goal <= 1x)")
        small = apply_runs(synced, args.runs, "1x")
        heal = apply_runs(synced, args.runs, "1x", healing=True)
        print(f"delta file, 10 x 100 triples over ~250 organisations: {small * 1000:6.1f} ms (goal <= 50 ms)")
        print(f"delta file, 10 x 100 triples over 10 organisations:   {heal * 1000:6.1f} ms (goal <= 50 ms)")
        grow(synced, 10)
        large = apply_runs(synced, args.runs, "10x")
        large_heal = apply_runs(synced, args.runs, "10x", healing=True)
        print(f"the same on a register ten times larger:  {large * 1000:6.1f} ms ({large / small:.2f}x; goal <= 1.5x)")
        print(f"                                          {large_heal * 1000:6.1f} ms ({large_heal / heal:.2f}x)")
        imported.dispose()
        synced.dispose()


if __name__ == "__main__":
    main()
