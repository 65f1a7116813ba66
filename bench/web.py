"""Throughput and p99 of the gemeente page and the search endpoint under 32 concurrent connections on
loopback, next to a static file of the same size served by the same server, as ratios.

Answers are compressed as browsers ask for them; the ratio is then against the page's own bytes gzipped ahead
(the same size on the wire). With --plain nothing is compressed and the ratio is against the static file.
Goal: the gemeente page reaches at least 40% of that throughput, with p99 under 50 ms.
With --nginx the loads go through Debian's nginx on loopback, configured by docs/nginx/igs-atlas.conf (its proxy
cache in front of the atlas), and the baseline is the page's bytes gzipped ahead served by the same nginx with
gzip_static.
Usage: python bench/web.py [--connections 32] [--requests 3000] [--nginx]   (needs an imported database)
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path
from typing import Any

GEMEENTE = "/gemeenten/gent"
SEARCHES = [
    "sint nik",
    "gent",
    "interleuven",
    "brugge",
    "0205.774.810",
    "haviland",
    "leuven",
    "3000",
    "merelbeke",
    "pz",
]


def serve(port: int, static_dir: str) -> None:
    """Child process: the site plus a folder of static files, on one uvicorn server."""
    import uvicorn
    from starlette.staticfiles import StaticFiles

    from igsatlas.web.app import create_app
    from igsatlas.web.failures import MAX_REQUEST_HEAD

    app = create_app()
    app.mount("/bench-static", StaticFiles(directory=static_dir))
    app.mount("/bench-precompressed", Precompressed(Path(static_dir)))
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        h11_max_incomplete_event_size=MAX_REQUEST_HEAD,  # as `igs serve` runs it
    )


class Precompressed:
    """The gemeente page's own bytes answered from memory, gzipped ahead where the client accepts it, as a
    static server with precompressed files does (nginx's gzip_static): the same bytes on the wire as the page,
    and no work per request. The fair baseline for compressed answers; a file of 'x' compresses to almost
    nothing."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.bodies: tuple[bytes, bytes] | None = None

    async def __call__(self, scope: dict, receive: object, send: Any) -> None:
        if self.bodies is None:
            plain = (self.directory / "page.html").read_bytes()
            self.bodies = (plain, gzip.compress(plain, compresslevel=9, mtime=0))
        packed = b"gzip" in dict(scope["headers"]).get(b"accept-encoding", b"")
        body = self.bodies[1] if packed else self.bodies[0]
        headers = [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode())]
        if packed:
            headers += [(b"content-encoding", b"gzip"), (b"vary", b"Accept-Encoding")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


async def _read_body(reader: asyncio.StreamReader, head: bytes) -> None:
    """The body after ``head``: Content-Length bytes, or chunks (a compressed streamed file has no length)."""
    fields = dict(line.lower().split(b":", 1) for line in head.split(b"\r\n")[1:] if b":" in line)
    if b"content-length" in fields:
        await reader.readexactly(int(fields[b"content-length"]))
        return
    while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
        await reader.readexactly(size + 2)
    await reader.readuntil(b"\r\n")


async def _one_connection(
    port: int,
    paths: list[str],
    count: int,
    latencies: list[float],
    refused: list[int] | None = None,
    expect: str = "200",
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for i in range(count):
            path = paths[i % len(paths)]
            started = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n{ENCODING}\r\n".encode())
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            await _read_body(reader, head)
            if refused is not None and head.startswith(b"HTTP/1.1 429"):
                refused.append(1)  # the server turned the flood away: its answer is as quick as a page's
                continue
            if not head.startswith(f"HTTP/1.1 {expect}".encode()):
                raise RuntimeError(f"{path[:80]}: {head.splitlines()[0].decode()}, not {expect}")
            latencies.append(time.perf_counter() - started)
    finally:
        writer.close()


async def load(
    port: int, paths: list[str], connections: int, requests: int, expect: str = "200"
) -> tuple[float, float, float]:
    """(requests per second, median ms, p99 ms) for ``requests`` spread over ``connections``.

    Connection i starts at path i * per, so with as many paths as requests no two requests share a path."""
    latencies: list[float] = []
    per = max(1, requests // connections)
    started = time.perf_counter()
    await asyncio.gather(
        *(
            _one_connection(
                port,
                paths[(i * per) % len(paths) :] + paths[: (i * per) % len(paths)],
                per,
                latencies,
                expect=expect,
            )
            for i in range(connections)
        )
    )
    elapsed = time.perf_counter() - started
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return len(latencies) / elapsed, statistics.median(latencies) * 1000, p99 * 1000


ENCODING = "Accept-Encoding: gzip, deflate, br\r\n"  # what every browser sends; --plain leaves it out


def fetch(url: str, timeout: float) -> bytes:
    """One GET as the load's connections make it (with their Accept-Encoding)."""
    headers = dict([ENCODING.strip().split(": ", 1)]) if ENCODING else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=timeout) as answer:
        body: bytes = answer.read()
        return body


# The slowest pages found by requesting every kind of page for a new day of each register state (the culture
# page draws five maps; the lists hold every cooperation).
COLD_PAGES = (
    "/samenwerkingsverbanden/dijk92",
    "/analyse",
    "/aandachtspunten",
    "/cultuur",
    "/samenwerkingsverbanden",
    "/organisaties",
    "/gemeenten/antwerpen",
)
IGNORED_REQUESTS = 10_000
# 1,000 parameters (9 kB of query) are read and ignored; 10,000 (79 kB) are over the site's limit on an
# address (16 kB) and answered 414 without reading the query.
IGNORED_PARAMETERS = {1_000: "200", 10_000: "414"}


def cold_builds(base: str) -> list[tuple[str, float, float]]:
    """Time the first request of a page for a day of a state nobody asked for yet, then another day of it."""
    out = []
    for n, path in enumerate(COLD_PAGES):
        timings = []
        first = date(2023, 3, 10).toordinal() + 30 * n  # a day nobody asked for yet, and the day after it
        for day in (date.fromordinal(first), date.fromordinal(first + 1)):
            started = time.perf_counter()
            fetch(f"{base}{path}?op={day}", 60)
            timings.append(time.perf_counter() - started)
        out.append((path, timings[0], timings[1]))
    return out


async def under_flood(port: int, connections: int) -> tuple[float, int]:
    """p99 (ms) of a cached page for 4 connections while the others flood with ignored parameters and new days."""
    flood_paths = [f"/samenwerkingsverbanden?x={n}" for n in range(2000)]
    flood_paths += [f"/aandachtspunten?op={date.fromordinal(date(2023, 6, 1).toordinal() + n)}" for n in range(200)]
    latencies: list[float] = []
    refused: list[int] = []
    await asyncio.gather(
        _one_connection(port, [GEMEENTE], 300, latencies),
        _one_connection(port, [GEMEENTE], 300, latencies),
        _one_connection(port, [GEMEENTE], 300, latencies),
        _one_connection(port, [GEMEENTE], 300, latencies),
        *(_one_connection(port, flood_paths[i::connections], 40, [], refused) for i in range(connections - 4)),
    )
    latencies.sort()
    return latencies[int(len(latencies) * 0.99)] * 1000, len(refused)


def ignored_parameters(port: int, pid: int, connections: int, parameters: int, expect: str) -> float:
    """The server's peak RSS (MB) after requests that each carry many parameters the site does not read."""
    query = "&".join(f"p{n}={n}" for n in range(parameters))
    paths = [f"/samenwerkingsverbanden?{query}&n={n}" for n in range(IGNORED_REQUESTS)]
    asyncio.run(load(port, paths, connections, IGNORED_REQUESTS, expect))
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--plain", action="store_true", help="ask for uncompressed answers (browsers never do)")
    parser.add_argument("--nginx", action="store_true", help="measure through nginx with its proxy cache")
    parser.add_argument("--serve", nargs=2, metavar=("PORT", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(int(args.serve[0]), args.serve[1])
        return
    if args.plain:
        global ENCODING
        ENCODING = ""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with tempfile.TemporaryDirectory() as static_dir:
        child = subprocess.Popen([sys.executable, __file__, "--serve", str(port), static_dir], env=os.environ.copy())
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(200):
                try:
                    page = urllib.request.urlopen(base + GEMEENTE, timeout=5).read()  # its size, uncompressed
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                raise SystemExit("the server did not start; is the database imported (make import)?")
            while not json.loads(urllib.request.urlopen(base + "/status.json", timeout=5).read())["opgewarmd"]:
                time.sleep(0.1)  # measure the site as visitors meet it once every register state is built
            Path(static_dir, "same-size.html").write_bytes(b"x" * len(page))
            Path(static_dir, "page.html").write_bytes(page)
            fetch(base + GEMEENTE, 30)  # as the load asks for it (compressed): in the page cache before the load
            search_paths = ["/zoeken.json?q=" + urllib.request.quote(q) for q in SEARCHES]
            for path in search_paths:  # warm: the first request of each query fills the page cache
                fetch(base + path, 5)
            results = {}
            if args.nginx:
                results = through_nginx(port, static_dir, search_paths, args)
                child.terminate()
                child.wait(timeout=10)
                report(results, len(page), "precompressed", args)
                return
            # every request a different day: nothing comes from the page cache (the honest rendering cost)
            days = [f"{GEMEENTE}?op={date.fromordinal(date(2025, 1, 1).toordinal() + i)}" for i in range(400)]
            fetch(base + days[0], 30)  # the state's page is built once, then reused
            for name, paths, requests in (
                ("static file", ["/bench-static/same-size.html"], args.requests),
                ("precompressed", ["/bench-precompressed/"], args.requests),
                ("gemeente page", [GEMEENTE], args.requests),
                ("search endpoint", search_paths, args.requests),
                ("gemeente uncached", days, args.requests),
            ):
                results[name] = asyncio.run(load(port, paths, args.connections, requests))
            cold = cold_builds(base)
            flood, turned_away = asyncio.run(under_flood(port, args.connections))
            rss = [
                (n, status, ignored_parameters(port, child.pid, args.connections, n, status))
                for n, status in IGNORED_PARAMETERS.items()
            ]
        finally:
            child.terminate()
            child.wait(timeout=10)
    # Uncompressed, the file of 'x' is as large on the wire as the page; compressed it is a few hundred bytes, and
    # the page precompressed is the baseline with the page's own size on the wire.
    report(results, len(page), "static file" if args.plain else "precompressed", args)
    print("'static file' is a file of 'x' as large as the page; 'precompressed' the page's own bytes from memory,")
    print("gzipped ahead as nginx's gzip_static serves them.")
    print("'gemeente page' and 'search endpoint' are served from the page cache after the first request;")
    print("'gemeente uncached' asks for a different day of one register state each time: none is in the page")
    print("cache; the state's page (built by the first of them) gets the day written in.")
    for path, first, second in cold:
        print(
            f"cold build {path}: first day of a state {first * 1000:.0f} ms, "
            f"another day of that state {second * 1000:.0f} ms"
        )
    print(f"cached page p99 while another client floods ?x=<n> and new days: {flood:.1f} ms (goal: under 100 ms)")
    print(f"  the flood's requests turned away with 429 (beyond one client's share of the page pool): {turned_away}")
    for parameters, status, peak in rss:
        print(
            f"server peak RSS after {IGNORED_REQUESTS:,} requests with {parameters:,} ignored parameters each "
            f"(each answered {status}): {peak:.0f} MB (goal: under 300 MB)"
        )


def through_nginx(
    port: int, static_dir: str, search_paths: list[str], args: argparse.Namespace
) -> dict[str, tuple[float, float, float]]:
    """The loads through nginx (docs/nginx/igs-atlas.conf) in front of the atlas on ``port``."""
    from igsatlas.web import proxy

    page = Path(static_dir, "page.html").read_bytes()
    Path(static_dir, "page.html.gz").write_bytes(gzip.compress(page, compresslevel=9, mtime=0))
    static = f"location /bench-gzip-static/ {{ alias {static_dir}/; gzip_static on; }}"
    days = [f"{GEMEENTE}?op={date.fromordinal(date(2025, 1, 1).toordinal() + i)}" for i in range(400, 800)]
    with tempfile.TemporaryDirectory() as prefix, proxy.running(Path(prefix), f"127.0.0.1:{port}", static) as front:
        for path in [GEMEENTE, "/bench-gzip-static/page.html", *search_paths]:
            fetch(f"http://127.0.0.1:{front}{path}", 30)  # in nginx's cache before the load
        return {
            name: asyncio.run(load(front, paths, args.connections, args.requests))
            for name, paths in (
                ("precompressed", ["/bench-gzip-static/page.html"]),
                ("gemeente page", [GEMEENTE]),
                ("search endpoint", search_paths),
                ("gemeente uncached", days),
            )
        }


def report(results: dict[str, tuple[float, float, float]], size: int, base: str, args: argparse.Namespace) -> None:
    base_rps = results[base][0]
    print(f"{args.connections} connections, {args.requests} requests each run, page size {size} bytes")
    if args.nginx:
        print("through nginx (docs/nginx/igs-atlas.conf): its proxy cache in front of the atlas on loopback")
    print("compressed as browsers ask (gzip)" if not args.plain else "uncompressed (--plain)")
    for name, (rps, median, p99) in results.items():
        print(f"{name:17s} {rps:8.0f} req/s  median {median:6.1f} ms  p99 {p99:6.1f} ms  ratio {rps / base_rps:5.2f}")
    print(f"goal: gemeente page at least 0.40 of the throughput of the {base} (ratio 1.00), p99 under 50 ms")


if __name__ == "__main__":
    main()
