"""regions/layers.csv and regions/memberships.csv: thematic layers and which municipality is in which region."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from igsatlas.domain.identifiers import nis_is_valid
from igsatlas.domain.model import Layer, Municipality
from igsatlas.domain.periods import partial_day
from igsatlas.errors import Location
from igsatlas.ingest.files import CsvRow, read_csv
from igsatlas.ingest.problems import Problems

LAYERS_FILE = "regions/layers.csv"
MEMBERSHIPS_FILE = "regions/memberships.csv"
LAYER_COLUMNS = (
    "layer",
    "description",
    "legal_basis",
    "n_regions",
    "n_municipalities",
    "n_rows",
    "unresolved_rows",
    "count_scope",
    "sources",
    "completeness_note",
    "naam",
    "beschrijving",
    "rechtsgrond",
    "volledigheid",
)
MEMBERSHIP_COLUMNS = (
    "layer",
    "region_id",
    "region_name",
    "municipality_name",
    "municipality_nis",
    "as_of",
    "source",
    "resolution_note",
)
# English words the sources' compilers wrote into region names (in brackets), and their Dutch: the names are shown.
REGION_NAME_WORDS = (
    (re.compile(r"\(name cut off in source\)"), "(naam afgebroken in de bron)"),
    (re.compile(r"\(now "), "(nu "),
    (re.compile(r"\(formerly "), "(vroeger "),
    (re.compile(r"\bpart of "), "deel van "),
    (re.compile(r"\(provincial "), "(provinciale "),
)
# A label error the source's note explains: "source labels this region 'Regio Voeren' but its key is reg-waasland".
MISLABELLED = re.compile(r"source labels this region '([^']+)' but its key is reg-([a-z-]+)")
# The day the 2025 municipality set replaced the 2019-2024 set.
SET_SWITCH = date(2025, 1, 1)


@dataclass(frozen=True)
class LayerRow:
    """One membership row of a layer, with the period its snapshot speaks for."""

    line: int
    layer: str
    region_key: str
    region_name: str
    municipality_name: str
    nis: str | None
    as_of_text: str
    as_of: date | None
    source: str
    note: str | None
    valid_from: date | None
    valid_to: date | None


def parse_layers(data_dir: Path, problems: Problems, municipalities_2025: int) -> list[Layer]:
    """Layers; one is complete when its note says so or its counted municipalities cover the 2025 set."""
    out = []
    for row in read_csv(data_dir / LAYERS_FILE, LAYERS_FILE, LAYER_COLUMNS, key=("layer",)):
        try:
            counts = [int(row[c]) for c in ("n_regions", "n_municipalities", "n_rows", "unresolved_rows")]
        except ValueError:
            problems.reject(
                "layer",
                "invalid-value",
                Location(LAYERS_FILE, row.line, f"layer {row['layer']}"),
                "a count column is not a whole number.",
                "n_regions, n_municipalities, n_rows and unresolved_rows must be whole numbers.",
            )
            continue
        note = row["completeness_note"].strip()
        out.append(
            Layer(
                id=row["layer"].strip(),
                description=row["description"].strip(),
                legal_basis=row["legal_basis"].strip() or None,
                n_regions=counts[0],
                n_municipalities=counts[1],
                n_rows=counts[2],
                unresolved_rows=counts[3],
                count_scope=row["count_scope"].strip(),
                sources=row["sources"].strip(),
                completeness_note=note,
                complete=note.lower().startswith("complete") or counts[1] >= municipalities_2025,
                naam=row["naam"].strip() or None,
                beschrijving=row["beschrijving"].strip() or None,
                rechtsgrond=row["rechtsgrond"].strip() or None,
                volledigheid=row["volledigheid"].strip() or None,
            )
        )
    return out


def membership_key(row: CsvRow) -> tuple[str, ...]:
    """One row per layer, region, municipality and source snapshot (a source, in one municipality set)."""
    head = row["resolution_note"].split(".", 1)[0].removesuffix(", DERIVED")
    return (
        row["layer"].strip(),
        row["region_id"].strip(),
        row["municipality_nis"].strip() or row["municipality_name"].strip(),
        row["source"].strip(),
        head if head in ("2019-2024 set", "2025 set") else "",
    )


def dutch_region_name(name: str, note: str = "") -> str:
    """A region name with the compilers' English words in brackets in Dutch ("(now X)" -> "(nu X)"), and a label
    error the row's note explains corrected after the region's key, the source's label beside it."""
    wrong = MISLABELLED.search(note)
    if wrong and wrong.group(1) == name:
        return f"Regio {wrong.group(2).replace('-', ' ').title()} (in de bron: {name})"
    for pattern, dutch in REGION_NAME_WORDS:
        name = pattern.sub(dutch, name)
    return name


def _snapshot(layer: str, source: str, note: str) -> str:
    """Rows of one layer that come from one source snapshot share this key."""
    if source.startswith("github:"):
        return source.split(":", 2)[1]  # owner/repo@commit
    head = note.split(".", 1)[0]
    if head in ("2019-2024 set", "2025 set", "2025 set, DERIVED"):
        return head.removesuffix(", DERIVED")
    return f"{layer}:pages"


def _municipality_set(codes: set[str], by_nis: dict[str, Municipality], key: str) -> str | None:
    """Which municipality set a snapshot is written in: '2019', '2025', or None when it cannot tell."""
    if key == "2019-2024 set":
        return "2019"
    if key == "2025 set":
        return "2025"
    if any(not by_nis[c].in_set_2025 for c in codes):
        return "2019"
    if any(not by_nis[c].in_set_2019_2024 for c in codes):
        return "2025"
    return None


def _valid_rows(
    data_dir: Path, layers: list[Layer], by_nis: dict[str, Municipality], problems: Problems
) -> tuple[list[CsvRow], list[tuple[int, str]]]:
    """Rows that name a known layer, a region and a known NIS code; and (line, message) of rows the source
    itself left without a NIS code."""
    known_layers = {layer.id for layer in layers}
    kept, unresolved = [], []
    for row in read_csv(data_dir / MEMBERSHIPS_FILE, MEMBERSHIPS_FILE, MEMBERSHIP_COLUMNS, key=membership_key):
        layer, nis = row["layer"].strip(), row["municipality_nis"].strip()
        where = Location(MEMBERSHIPS_FILE, row.line, f"{layer}/{row['region_id']}")
        if layer not in known_layers:
            problems.reject(
                "layer membership",
                "unknown-layer",
                where,
                f"layer {layer!r} is not a known layer.",
                f"Known layers: {', '.join(sorted(known_layers))}. Add it to {LAYERS_FILE} or correct the name.",
            )
        elif not row["region_id"].strip():
            problems.reject(
                "layer membership", "missing-value", where, "region_id is empty.", "Give the region's slug."
            )
        elif not nis:
            unresolved.append(
                (
                    row.line,
                    f"{layer}/{row['region_id']}: {row['municipality_name']!r} has no NIS code in the "
                    f"source ({row['resolution_note'] or 'no note'})",
                )
            )
        elif not nis_is_valid(nis) or nis not in by_nis:
            problems.reject(
                "layer membership",
                "invalid-nis-code",
                where,
                f"municipality_nis {nis!r} is not a NIS code of regions/municipalities.csv.",
                "Use a five-digit NIS code from municipalities.csv, or leave it empty with a resolution_note.",
            )
        else:
            kept.append(row)
    return kept, unresolved


def parse_memberships(
    data_dir: Path, layers: list[Layer], municipalities: list[Municipality], problems: Problems
) -> tuple[list[LayerRow], list[tuple[int, str]]]:
    """Layer rows with the period their snapshot speaks for, plus the rows the source left unresolved."""
    by_nis = {m.nis: m for m in municipalities}
    kept, unresolved = _valid_rows(data_dir, layers, by_nis, problems)

    def snapshot(row: CsvRow) -> tuple[str, str]:
        return row["layer"].strip(), _snapshot(row["layer"].strip(), row["source"], row["resolution_note"])

    codes: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in kept:
        codes[snapshot(row)].add(row["municipality_nis"].strip())
    sets = {k: _municipality_set(c, by_nis, k[1]) for k, c in codes.items()}
    both = {layer for (layer, _), s in sets.items() if s == "2019"} & {
        layer for (layer, _), s in sets.items() if s == "2025"
    }
    out = []
    for row in kept:
        layer = row["layer"].strip()
        municipality_set = sets[snapshot(row)]
        # Where a layer has a snapshot for each municipality set, each speaks for its own years.
        out.append(
            LayerRow(
                line=row.line,
                layer=layer,
                region_key=row["region_id"].strip(),
                region_name=dutch_region_name(row["region_name"].strip(), row["resolution_note"]),
                municipality_name=row["municipality_name"].strip(),
                nis=row["municipality_nis"].strip(),
                as_of_text=row["as_of"].strip(),
                as_of=partial_day(row["as_of"]),
                source=row["source"].strip(),
                note=row["resolution_note"].strip() or None,
                valid_from=SET_SWITCH if layer in both and municipality_set == "2025" else None,
                valid_to=SET_SWITCH if layer in both and municipality_set == "2019" else None,
            )
        )
    return out, unresolved
