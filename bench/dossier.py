"""The council's dossier of Antwerpen (the municipality with the most cooperations and regions): the page cold
and its PDF, next to rendering the same HTML alone and WeasyPrint on that HTML alone, in the same process.

Cold: a day nobody asked for yet (the page cache cannot answer). "First" is the first request of a fresh
process (the register read and the day's analysis and findings built too); "page" is a new day of a register
state already built. Goals: the page under 300 ms, the PDF under 3 s.

Usage: python bench/dossier.py [--runs N] [--slug antwerpen]  (needs make import)
"""

from __future__ import annotations

import argparse
import time
from datetime import date, timedelta

from starlette.testclient import TestClient

from igsatlas.config import Settings
from igsatlas.web.app import create_app
from igsatlas.web.pdf import html_to_pdf

FIRST_DAY = date(2025, 3, 1)  # a register state without a change day for weeks after it


def timed(work: object) -> float:
    """CPU seconds of this process (all its threads): on a shared machine the wall clock mostly measures the
    neighbours; the wall time is printed beside it."""
    started, wall = time.process_time(), time.perf_counter()
    work()  # type: ignore[operator]
    WALL.append(time.perf_counter() - wall)
    return time.process_time() - started


WALL: list[float] = []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--slug", default="antwerpen")
    args = parser.parse_args()
    days = iter(FIRST_DAY + timedelta(days=i) for i in range(200))
    settings = Settings.from_env()
    with TestClient(create_app(settings)) as client:
        base = f"/gemeenten/{args.slug}/dossier"

        def get(suffix: str = "") -> bytes:
            answer = client.get(base + suffix, params={"op": next(days).isoformat()})
            assert answer.status_code == 200, answer.text[:300]
            return answer.content

        first = timed(get)
        html = get().decode("utf-8")
        pages = [timed(get) for _ in range(args.runs)]
        json_twin = [timed(lambda: get(".json")) for _ in range(args.runs)]
        html_to_pdf(html)  # WeasyPrint and its fonts loaded once, as in a server that printed before
        alone = [timed(lambda: html_to_pdf(html)) for _ in range(args.runs)]
        pdfs = [timed(lambda: get(".pdf")) for _ in range(args.runs)]
    page, pdf, weasy = min(pages), min(pdfs), min(alone)
    print(
        "CPU time of the process below; wall clock on this machine meanwhile: "
        f"{min(WALL) * 1000:.0f}-{max(WALL) * 1000:.0f} ms"
    )
    print(f"dossier {args.slug}: first request of a fresh process {first * 1000:.0f} ms")
    print(
        f"dossier page cold (new day, state built): {page * 1000:.0f} ms (goal < 300 ms); "
        f"JSON {min(json_twin) * 1000:.0f} ms"
    )
    print(f"WeasyPrint on the same HTML alone: {weasy * 1000:.0f} ms")
    print(
        f"dossier PDF cold: {pdf * 1000:.0f} ms (goal < 3 s) = {pdf / page:.1f}x the HTML page, "
        f"{pdf / weasy:.2f}x WeasyPrint alone"
    )


if __name__ == "__main__":
    main()
