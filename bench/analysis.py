"""Time and peak memory of the full patchwork analysis: Flanders from the register, and a generated landscape
the size of France (35,000 municipalities, 10,000 structures, 300,000 memberships).

Goals: Flanders under 1 s; France under 30 s and 2 GB. Each run also prints its ratio to a reference run in
the same process: one plain pass over every membership (building the member sets), the least any analysis
must do. Usage: python bench/analysis.py [--skip-flanders] [--municipalities 35000 --structures 10000
--memberships 300000]
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import time
from datetime import date

from igsatlas.analysis.landscape import Landscape, Structure
from igsatlas.analysis.report import full


def generated(municipalities: int, structures: int, memberships: int, seed: int = 7) -> Landscape:
    """Municipalities on a grid; layers of blocks; structures as compact neighbourhoods of random size."""
    rng = random.Random(seed)
    side = int(municipalities**0.5) + 1
    ids = [f"{i:06d}" for i in range(municipalities)]
    names = {m: f"Gemeente {m}" for m in ids}

    def cell(i: int) -> tuple[int, int]:
        return divmod(i, side)

    partitions = {}
    for layer, block in (("referentieregio", 48), ("vervoerregio", 40), ("elz", 20), ("politiezone", 9), ("thema", 30)):
        partitions[layer] = {m: (f"{layer}-{cell(i)[0] // block}-{cell(i)[1] // block}",) for i, m in enumerate(ids)}
    mean = memberships / structures
    out = []
    for k in range(structures):
        size = max(2, min(int(rng.expovariate(1 / mean)) + 1, 400))
        r0, c0 = divmod(rng.randrange(municipalities), side)
        radius = int((size**0.5) / 2) + 1
        block = [
            (r0 + dr) * side + (c0 + dc)
            for dr in range(-radius, radius + 1)
            for dc in range(-radius, radius + 1)
            if 0 <= r0 + dr < side and 0 <= c0 + dc < side and (r0 + dr) * side + (c0 + dc) < municipalities
        ]
        members = frozenset(ids[i] for i in rng.sample(block, min(size, len(block))))
        kind = rng.choice(("projectvereniging", "dienstverlenende-vereniging", "opdrachthoudende-vereniging"))
        out.append(Structure(f"s{k}", f"Structuur {k}", kind, "igs", members))
    return Landscape(date(2025, 6, 1), names, partitions, out, frozenset(partitions))


def reference_pass(landscape: Landscape) -> float:
    started = time.perf_counter()
    members_of: dict[str, list[str]] = {}
    for s in landscape.structures:
        for m in s.members:
            members_of.setdefault(m, []).append(s.id)
    return time.perf_counter() - started


def measure(landscape: Landscape) -> float:
    started = time.perf_counter()
    full(landscape)
    return time.perf_counter() - started


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_generated(municipalities: int, structures: int, memberships: int) -> None:
    """In a process of its own, so that its peak memory is its own."""
    landscape = generated(municipalities, structures, memberships)
    total = sum(len(s.members) for s in landscape.structures)
    before = peak_rss_mib()
    seconds = measure(landscape)
    ref = reference_pass(landscape)
    print(
        f"Generated: {len(landscape.names)} municipalities, {len(landscape.structures)} structures, {total} memberships"
    )
    print(
        f"  analysis {seconds:.2f} s (goal < 30 s); process peak RSS {peak_rss_mib():.0f} MiB, of which "
        f"{before:.0f} MiB before the analysis (goal < 2 GB); ratio to a bare pass {seconds / ref:.0f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-flanders", action="store_true")
    parser.add_argument("--generated-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--municipalities", type=int, default=35_000)
    parser.add_argument("--structures", type=int, default=10_000)
    parser.add_argument("--memberships", type=int, default=300_000)
    args = parser.parse_args()
    if not args.skip_flanders and not args.generated_only:
        from igsatlas.analysis.load import load
        from igsatlas.atlas import open_atlas

        with open_atlas() as atlas, atlas.connect() as conn:
            started = time.perf_counter()
            landscape = load(conn, date(2025, 6, 1))
            loading = time.perf_counter() - started
        seconds = measure(landscape)
        ref = reference_pass(landscape)
        print(
            f"Flanders: {len(landscape.names)} municipalities, {len(landscape.structures)} structures, "
            f"{sum(len(s.members) for s in landscape.structures)} memberships"
        )
        print(
            f"  load from the register {loading:.3f} s + analysis {seconds:.3f} s = {loading + seconds:.3f} s "
            f"(goal < 1 s); ratio of the analysis to a bare pass {seconds / ref:.0f}x"
        )
    if args.generated_only:
        run_generated(args.municipalities, args.structures, args.memberships)
        return
    sizes = [str(args.municipalities), str(args.structures), str(args.memberships)]
    command = [sys.executable, __file__, "--generated-only", "--municipalities", sizes[0]]
    subprocess.run([*command, "--structures", sizes[1], "--memberships", sizes[2]], check=True)


if __name__ == "__main__":
    main()
