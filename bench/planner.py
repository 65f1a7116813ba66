"""The planner's answer (/samenwerken.json) for a group of 10 and of 40 municipalities, next to reading the
same rows (municipalities, population, boundaries) from the database in the same run.

Goal: under 100 ms for 40 municipalities. Usage: python bench/planner.py [--runs N]  (needs make import)
"""

from __future__ import annotations

import argparse
import time
from datetime import date

from starlette.testclient import TestClient

from igsatlas.config import Settings
from igsatlas.store import queries
from igsatlas.store.engine import make_engine
from igsatlas.store.population import populations_on
from igsatlas.web.app import create_app

DAY = date(2025, 6, 30)


def best(runs: int, work: object) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    settings = Settings.from_env()
    engine = make_engine(settings.database_url)
    with engine.connect() as conn:
        names = [m.name for m in queries.municipalities_on(conn, DAY) if m.province == "Vlaams-Brabant"]

    def rows() -> None:
        with engine.connect() as conn:
            queries.municipalities_on(conn, DAY)
            populations_on(conn, DAY)
            queries.boundaries(conn, "gemeente", "2025")

    reference = best(args.runs, rows)
    print(f"reading the rows it needs (municipalities, population, boundaries): {reference * 1000:.1f} ms")
    with TestClient(create_app(settings)) as client:
        client.get("/samenwerken.json", params={"op": DAY.isoformat()})  # the day's state: built once
        for size in (10, 40):
            params = [("gemeente", n) for n in names[:size]] + [("op", DAY.isoformat())]

            def answer(params: list[tuple[str, str]] = params) -> None:
                # a new query each time: the page cache must not answer
                client.get("/samenwerken.json", params=[*params, ("buren", str(time.perf_counter()))])

            took = best(args.runs, answer)
            print(
                f"planner for {size} municipalities: {took * 1000:.1f} ms, ratio {took / reference:.1f}x the rows "
                f"(goal under 100 ms for 40)"
            )
    engine.dispose()


if __name__ == "__main__":
    main()
