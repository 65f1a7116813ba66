"""The open data's two bulk paths, each next to its bare floor in the same run:

- the organisation list of /api/v1, every page cursor by cursor (limiet=1000), against serialising the same
  rows (the same dicts) with the json module; asked without compression (as the floor is), and asked gzipped as
  browsers and most harvesters ask, against the same floor plus gzip and gunzip of its bytes (the client in the
  same process decompresses what it is sent);
- the full RDF dump (/data/igs-atlas.nt.gz, built cold), against serialising the same triples with pyoxigraph.

Prints the ratios. Usage: python bench/api.py [--runs N]  (needs make import)
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from collections.abc import Callable
from datetime import date

import pyoxigraph as ox
from starlette.testclient import TestClient

from igsatlas.config import Settings
from igsatlas.opendata import rdf
from igsatlas.opendata.register import OpenRegister
from igsatlas.store.engine import make_engine
from igsatlas.web.app import create_app


def best(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    settings = Settings.from_env()
    day = date.today().isoformat()
    with TestClient(create_app(settings)) as client:
        first = client.get(f"/api/v1/organisaties?op={day}&limiet=1000").json()

        def walk(encoding: str = "identity") -> int:
            url, n = f"/api/v1/organisaties?op={day}&limiet=1000", 0
            while url:
                page = client.get(url, headers={"accept-encoding": encoding}).json()
                n += len(page["resultaten"])
                url = page["volgende"]
            return n

        started = time.perf_counter()
        total = walk()  # the first walk of the register state: its records are made
        first_walk = time.perf_counter() - started
        rows = [o for page in (first,) for o in page["resultaten"]]
        url = first["volgende"]
        while url:
            page = client.get(url).json()
            rows += page["resultaten"]
            url = page["volgende"]
        api = best(args.runs, walk)
        zipped = best(args.runs, lambda: walk("gzip"))

        def bare_json() -> bytes:
            return json.dumps({"resultaten": rows}, ensure_ascii=False).encode()

        def bare_gzip() -> object:
            return json.loads(gzip.decompress(gzip.compress(bare_json(), compresslevel=6)))

        bare = best(args.runs, bare_json)
        bare_zipped = best(args.runs, bare_gzip)
        print(f"organisation list: {total} organisations in {api * 1000:.1f} ms, cursor by cursor, uncompressed")
        print(f"  json.dumps of the same rows: {bare * 1000:.1f} ms; ratio {api / bare:.1f}x (goal <= 5x)")
        print(f"  first walk of the state (records made): {first_walk * 1000:.1f} ms = {first_walk / bare:.1f}x")
        print(f"  gzipped: {zipped * 1000:.1f} ms; against json.dumps + gzip + gunzip + json.loads of the same rows")
        print(f"  ({bare_zipped * 1000:.1f} ms): ratio {zipped / bare_zipped:.1f}x")

    engine = make_engine(settings.database_url)
    register = OpenRegister(engine, base_uri=settings.base_uri)
    snapshot = register.snapshot(None)
    triples = list(rdf.Triples(snapshot, register.uris).everything())

    def cold_dump() -> bytes:
        fresh = OpenRegister(engine, base_uri=settings.base_uri)  # nothing cached: the snapshot is read again
        return rdf.dump(fresh.snapshot(None), fresh.uris)

    dump = best(args.runs, cold_dump)
    floor = best(args.runs, lambda: gzip.compress(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"", mtime=0))
    print(f"RDF dump: {len(triples)} triples in {dump * 1000:.0f} ms (cold: database, triples, sort, gzip)")
    print(f"  pyoxigraph serialise + gzip of the same triples: {floor * 1000:.0f} ms; ratio {dump / floor:.1f}x")
    engine.dispose()


if __name__ == "__main__":
    main()
