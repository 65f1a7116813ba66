"""The open data's two bulk paths, each next to its bare floor in the same run:

- the organisation list of /api/v1, every page cursor by cursor (limiet=1000), against serialising the same
  rows (the same dicts) with the json module. Measured twice: as an ASGI server runs the app (the app called
  directly, the next page's link read from the answer's tail: the API's own cost), and through Starlette's test
  client (which adds a thread hop per request and parses every answer in the same process). Each asked without
  compression (as the floor is), and gzipped as browsers and most harvesters ask;
- the full RDF dump (/data/igs-atlas.nt.gz, built cold), against serialising the same triples with pyoxigraph.

Prints the ratios. Usage: python bench/api.py [--runs N]  (needs make import)
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import time
from collections.abc import Callable
from datetime import date
from typing import Any

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


async def _get(app: Any, path: str, query: str, encoding: str) -> bytes:
    """One GET as an ASGI server makes it: the body of the answer (compressed if it is)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(b"host", b"127.0.0.1"), (b"accept-encoding", encoding.encode())],
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 50000),
    }
    asked, answered, parts = False, asyncio.Event(), []

    async def receive() -> dict[str, Any]:
        nonlocal asked
        if not asked:
            asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await answered.wait()  # the client stays until the answer is sent
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            parts.append(message.get("body", b""))

    await app(scope, receive, send)
    answered.set()
    return b"".join(parts)


async def as_served(app: Any, day: str, runs: int) -> dict[str, float]:
    """The best walk of the whole list per encoding, the app called as an ASGI server calls it."""

    async def walk(encoding: str) -> None:
        query: str | None = f"op={day}&limiet=1000"
        while query:
            body = await _get(app, "/api/v1/organisaties", query, encoding)
            if encoding == "gzip":
                body = gzip.decompress(body)
            following = json.loads(body[body.rindex(b'"volgende":') + 11 : -1])  # the link is the last field
            query = following.split("?", 1)[1] if following else None

    out = {}
    async with app.router.lifespan_context(app):
        while not json.loads(await _get(app, "/status.json", "", "identity"))["opgewarmd"]:
            await asyncio.sleep(0.1)  # measured once the warm-up's thread has built every state, as visitors meet it
        for encoding in ("identity", "gzip"):
            await walk(encoding)
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                await walk(encoding)
                times.append(time.perf_counter() - started)
            out[encoding] = min(times)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    settings = Settings.from_env()
    day = date.today().isoformat()
    with TestClient(create_app(settings)) as client:
        while not client.get("/status.json").json()["opgewarmd"]:
            time.sleep(0.1)  # measured once the warm-up's thread has built every state, as visitors meet it
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
        print(f"organisation list: {total} organisations; json.dumps of the same rows: {bare * 1000:.1f} ms")
        print(f"  through the test client, uncompressed: {api * 1000:.1f} ms = {api / bare:.1f}x")
        print(f"  first walk of the state (records made): {first_walk * 1000:.1f} ms = {first_walk / bare:.1f}x")
        print(f"  through the test client, gzipped: {zipped * 1000:.1f} ms; against json.dumps + gzip + gunzip +")
        print(f"  json.loads of the same rows ({bare_zipped * 1000:.1f} ms): {zipped / bare_zipped:.1f}x")
    served = asyncio.run(as_served(create_app(settings), day, args.runs))
    print(
        f"  as the server runs it, uncompressed: {served['identity'] * 1000:.1f} ms = {served['identity'] / bare:.1f}x"
    )
    print(f"  (goal <= 5x); gzipped: {served['gzip'] * 1000:.1f} ms = {served['gzip'] / bare:.1f}x")

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
