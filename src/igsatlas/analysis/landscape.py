"""The data the analysis needs for one day: municipalities, layer partitions and structures with members."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Structure:
    id: str
    name: str
    kind: str  # classification code, or "regio" for a layer region of its own
    family: str  # igs, ocmw-vereniging, zone, regio, ...
    members: frozenset[str]  # municipality ids (NIS codes)
    layer: str | None = None  # set when the structure is a region of a layer
    url: str | None = None
    themes: tuple[str, ...] = ()
    active: bool = True  # False for a body the register marks 'niet actief' (dissolved)


@dataclass
class Landscape:
    day: date | None
    names: dict[str, str]  # municipality id -> name
    partitions: dict[str, dict[str, tuple[str, ...]]]  # layer -> municipality -> region keys (usually one)
    structures: list[Structure] = field(default_factory=list)
    complete_layers: frozenset[str] = frozenset()
    region_names: dict[tuple[str, str], str] = field(default_factory=dict)  # (layer, key) -> name
    layer_sources: dict[str, str] = field(default_factory=dict)  # layer -> where its rows come from
    layer_titles: dict[str, str] = field(default_factory=dict)  # layer -> its Dutch title, where the data gives one

    @property
    def municipalities(self) -> list[str]:
        return sorted(self.names)

    def single(self, layer: str) -> dict[str, str]:
        """The municipalities of ``layer`` that lie in exactly one of its regions: municipality -> region."""
        return {m: keys[0] for m, keys in self.partitions.get(layer, {}).items() if len(keys) == 1}
