"""How a set of municipalities fits the reference regions (referentieregio's) of the Regiodecreet.

For a structure with members M and a partition into regions, the best-matching region R is the one holding
most members (ties: the one missing fewest of its own municipalities, then by key). Then:
- share = |M in R| / |M|; spill-over = M outside R; missing = R's municipalities not in M;
- verdict: "gelijk" (M equals R), "binnen" (M lies within R), "over-grenzen" (M crosses regions),
  "onbekend" (no member lies in any region).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

# Regiodecreet: projectverenigingen, dienstverlenende and opdrachthoudende verenigingen must fit one
# referentieregio by this day; for waste the deadline is later.
REGIODECREET_FORMS = frozenset(
    {
        "projectvereniging",
        "dienstverlenende-vereniging",
        "opdrachthoudende-vereniging",
        "opdrachthoudende-vereniging-met-private-deelname",
    }
)
DEADLINE = date(2031, 1, 1)
WASTE_DEADLINE = date(2037, 1, 1)
WASTE_THEME = "Afval en/of recyclage"

VERDICT_LABELS = {
    "gelijk": "valt samen met één referentieregio",
    "binnen": "ligt binnen één referentieregio",
    "over-grenzen": "overschrijdt de grenzen van referentieregio's",
    "onbekend": "geen leden in een referentieregio",
}


@dataclass(frozen=True)
class Fit:
    members: int
    regions: dict[str, int]  # region -> members in it
    best: str | None
    share: float  # members inside the best region / members placed in a region
    spill: tuple[str, ...]  # members outside the best region
    missing: tuple[str, ...]  # municipalities of the best region that are not members
    verdict: str


def region_members(partition: dict[str, str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for municipality, region in partition.items():
        out[region].add(municipality)
    return out


def fit(members: frozenset[str], partition: dict[str, str], regions: dict[str, set[str]]) -> Fit:
    placed = [m for m in members if m in partition]
    counts = Counter(partition[m] for m in placed)
    if not counts:
        return Fit(len(members), {}, None, 0.0, (), (), "onbekend")
    best = min(counts, key=lambda r: (-counts[r], len(regions[r] - members), r))
    spill = tuple(sorted(m for m in placed if partition[m] != best))
    missing = tuple(sorted(regions[best] - members))
    if spill:
        verdict = "over-grenzen"
    elif missing:
        verdict = "binnen"
    else:
        verdict = "gelijk"
    regions_held = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))  # most members first, then by key
    return Fit(len(members), regions_held, best, round(counts[best] / len(placed), 4), spill, missing, verdict)


def regiodecreet(kind: str, themes: tuple[str, ...], verdict: str) -> dict[str, str] | None:
    """The Regiodecreet status of a PV/DV/OV: fits, or must fit by the deadline (2037 for waste)."""
    if kind not in REGIODECREET_FORMS:
        return None
    deadline = WASTE_DEADLINE if WASTE_THEME in themes else DEADLINE
    if verdict in ("gelijk", "binnen"):
        status = "past"
    elif verdict == "over-grenzen":
        status = "moet-passen"
    else:
        status = "onbekend"
    return {"status": status, "uiterlijk": deadline.isoformat(), "afval": str(WASTE_THEME in themes).lower()}
