"""Search: relevance on the relevance set (tests/data/search-relevance.csv) and latency, as ratios in one run.

Relevance: precision at 1 and at 3, mean reciprocal rank (first 20 results) and the share of queries with no
result at all, over the ranked results as the page shows them.
Latency in process: p50 and p99 of the set's queries against the search index, next to a bare SQLite FTS5 bm25
query over the same names (an in-memory table, the words OR'd, the last one as a prefix), on today's index and on
a generated index ten times larger (every entry nine more times under a made-up name).
Through HTTP (uvicorn on loopback, like `igs serve`): each query asked for the first time against the same query
answered again from the page cache.
Goals (issue 24): top 3 >= 95%, empty < 2%, p99 <= 2 ms today and <= 5 ms at 10x, first HTTP query <= 3x cached.
Usage: python bench/search.py [--rounds 5] [--misses] [--postgresql URL]   (needs an imported database: make import, or
IGSATLAS_DATABASE_URL)
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from igsatlas.config import Settings
from igsatlas.documents.search import search_entries
from igsatlas.search import Index, normalise, search
from igsatlas.store.engine import make_engine

SET = Path(__file__).resolve().parents[1] / "tests" / "data" / "search-relevance.csv"
HTTP_QUERIES = 40


def relevance_set() -> list[tuple[str, set[str], str]]:
    with SET.open(encoding="utf-8") as f:
        return [(r["query"], set(r["expected"].split("|")), r["note"]) for r in csv.DictReader(f)]


def ranked_urls(index: Index, query: str) -> list[str]:
    """The result pages in the order the page shows them."""
    results = search(index, query)
    ranked = getattr(results, "ranked", None)
    hits = ranked if ranked is not None else [h for group in results.groups.values() for h in group]
    return [h.entry.url for h in hits]


def relevance(index: Index, cases: list[tuple[str, set[str], str]], show_misses: bool) -> dict[str, float]:
    p1 = p3 = rr = empty = 0.0
    for query, expected, note in cases:
        urls = ranked_urls(index, query)
        rank = next((i + 1 for i, u in enumerate(urls[:20]) if u in expected), 0)
        p1 += rank == 1
        p3 += 0 < rank <= 3
        rr += 1 / rank if rank else 0
        empty += not urls
        if show_misses and not 0 < rank <= 3:
            print(f"  miss: {query!r} ({note}): rank {rank or '-'}; top 3 {urls[:3]}")
    n = len(cases)
    return {"p@1": p1 / n, "p@3": p3 / n, "mrr": rr / n, "empty": empty / n}


def percentiles(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


def timed(run: Any, queries: list[str], rounds: int) -> tuple[float, float, float]:
    """p50 and p99 of every run of every query, and p99 over the queries of each one's median run (which a
    busy machine's preemptions move less)."""
    for q in queries:  # warm
        run(q)
    per_query: dict[str, list[float]] = {q: [] for q in queries}
    for _ in range(rounds):
        for q in queries:
            start = time.perf_counter()
            run(q)
            per_query[q].append((time.perf_counter() - start) * 1000)
    p50, p99 = percentiles([t for times in per_query.values() for t in times])
    return p50, p99, percentiles([statistics.median(times) for times in per_query.values()])[1]


def bare_fts(index: Index) -> Any:
    """A bare FTS5 table of the entries' names, and a bm25 query over it."""
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute("CREATE VIRTUAL TABLE names USING fts5(name, tokenize='unicode61 remove_diacritics 2')")
    db.executemany(
        "INSERT INTO names(rowid, name) VALUES (?, ?)", ((n, " ".join(e.names)) for n, e in enumerate(index.entries))
    )

    def run(query: str) -> list[int]:
        words = normalise(query).split()
        if not words:
            return []
        match = " OR ".join([*(f'"{w}"' for w in words[:-1]), f'"{words[-1]}"*'])
        sql = "SELECT rowid FROM names WHERE names MATCH ? ORDER BY bm25(names) LIMIT 20"
        return [r[0] for r in db.execute(sql, (match,))]

    return run


def postgresql_fts(index: Index, url: str) -> Any:
    """The same names in PostgreSQL's full text search (a GIN-indexed tsvector, ts_rank), one round trip a
    query: what the index would cost in the database instead of in the process. Leaves nothing behind."""
    import psycopg

    db = psycopg.connect(url, autocommit=True)
    db.execute("CREATE TEMPORARY TABLE bench_names (id int PRIMARY KEY, doc tsvector)")
    with db.cursor().copy("COPY bench_names (id, doc) FROM STDIN") as copy:
        for n, e in enumerate(index.entries):
            copy.write_row((n, " ".join(sorted({w for name in e.names for w in name.split()}))))
    db.execute("CREATE INDEX ON bench_names USING gin (doc)")
    db.execute("ANALYZE bench_names")
    sql = (
        "SELECT id FROM bench_names WHERE doc @@ to_tsquery('simple', %(q)s) "
        "ORDER BY ts_rank(doc, to_tsquery('simple', %(q)s)) DESC LIMIT 20"
    )

    def run(query: str) -> list[Any]:
        words = normalise(query).split()
        return db.execute(sql, {"q": " | ".join(f"{w}:*" for w in words)}).fetchall() if words else []

    return run


def ten_times(index: Index) -> Index:
    """Every entry, and nine more copies of it under made-up names and addresses."""
    made = list(index.entries)
    for copy in range(1, 10):
        for n, e in enumerate(index.entries):
            tag = f"kopie{copy}x{n}"
            made.append(
                dataclasses.replace(
                    e,
                    title=f"{e.title} {tag}",
                    url=f"{e.url}-{tag}",
                    names=tuple(f"{name} {tag}" for name in e.names),
                    codes=(),
                    postcodes=(),
                )
            )
    return Index.of(made, index.places)


def latency(label: str, index: Index, queries: list[str], rounds: int, postgresql: str | None) -> None:
    ours = timed(lambda q: search(index, q), queries, rounds)
    bare = timed(bare_fts(index), queries, rounds)
    if postgresql:
        pg = timed(postgresql_fts(index, postgresql), queries, rounds)
        print(f"{label}: bare PostgreSQL tsvector query p50 {pg[0]:.3f} ms, p99 of medians {pg[2]:.3f} ms")
    print(
        f"{label}: {len(index.entries)} entries; search p50 {ours[0]:.3f} ms, p99 {ours[1]:.3f} ms "
        f"(of medians {ours[2]:.3f}); bare FTS5 p50 {bare[0]:.3f} ms, p99 {bare[1]:.3f} ms (of medians "
        f"{bare[2]:.3f}); ratio p50 {ours[0] / bare[0]:.1f}x, p99 of medians {ours[2] / bare[2]:.1f}x"
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def get(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as r:
        r.read()
    return (time.perf_counter() - start) * 1000


def http(queries: list[str], database_url: str) -> None:
    port = free_port()
    env = {**os.environ, "IGSATLAS_PORT": str(port), "IGSATLAS_DATABASE_URL": database_url}
    server = subprocess.Popen([sys.executable, "-m", "igsatlas.cli", "serve"], env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                get(base + "/zoeken?q=warm")
                break
            except OSError:
                time.sleep(0.1)
        for _ in range(600):  # the warm-up builds every register state; measure after it, as a visitor would
            with urllib.request.urlopen(base + "/status.json", timeout=30) as r:
                if json.loads(r.read())["opgewarmd"]:
                    break
            time.sleep(0.5)
        first, again = [], []
        for q in queries:
            url = f"{base}/zoeken?{urllib.parse.urlencode({'q': q})}"
            first.append(get(url))
            again.append(get(url))
        f50, f99 = percentiles(first)
        a50 = statistics.median(again)
        print(
            f"HTTP /zoeken, {len(queries)} queries: first time p50 {f50:.2f} ms (p99 {f99:.2f}); "
            f"from the page cache p50 {a50:.2f} ms; ratio {f50 / a50:.1f}x"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--misses", action="store_true", help="list the queries not found in the top 3")
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--postgresql", metavar="URL", help="also time PostgreSQL full text search over the names")
    args = parser.parse_args()
    settings = Settings.from_env()
    engine = make_engine(settings.database_url)
    start = time.perf_counter()
    with engine.connect() as conn:
        index = search_entries(conn)
    built = (time.perf_counter() - start) * 1000
    cases = relevance_set()
    r = relevance(index, cases, args.misses)
    print(
        f"relevance, {len(cases)} queries: p@1 {r['p@1']:.1%}, p@3 {r['p@3']:.1%}, MRR {r['mrr']:.3f}, "
        f"empty {r['empty']:.1%}"
    )
    print(f"index built from the register in {built:.0f} ms")
    queries = [q for q, _, _ in cases]
    latency("today", index, queries, args.rounds, args.postgresql)
    latency("10x", ten_times(index), queries, max(1, args.rounds // 2), args.postgresql)
    if not args.no_http:
        http(queries[:HTTP_QUERIES], settings.database_url)


if __name__ == "__main__":
    main()
