"""The whole analysis of a landscape, as one JSON-ready document per part."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from igsatlas.analysis import network as net
from igsatlas.analysis.fit import VERDICT_LABELS, Fit, fit, regiodecreet, region_members
from igsatlas.analysis.landscape import Landscape, Structure
from igsatlas.analysis.partition import agreement
from igsatlas.domain.classifications import COOPERATION_LAYERS

REFERENCE = "referentieregio"
COOPERATION_FAMILIES = ("igs", "ocmw-vereniging", "zone")


def is_cooperation(s: Structure) -> bool:
    """Structures in which municipalities work together (not planning regions, not a municipality's own AGB)."""
    if s.layer is not None and s.family == "regio":
        return s.layer in COOPERATION_LAYERS
    return s.family in COOPERATION_FAMILIES or (s.layer in COOPERATION_LAYERS)


@dataclass
class Analysis:
    landscape: Landscape
    reference: str = REFERENCE

    def __post_init__(self) -> None:
        self.partition = self.landscape.single(self.reference)
        self.regions = region_members(self.partition)
        self.cooperations = [s for s in self.landscape.structures if is_cooperation(s)]
        self._fits = {s.id: fit(s.members, self.partition, self.regions) for s in self.landscape.structures}

    def fit_of(self, structure_id: str) -> Fit | None:
        return self._fits.get(structure_id)

    def region_name(self, key: str | None, layer: str | None = None) -> str | None:
        if key is None:
            return None
        return self.landscape.region_names.get((layer or self.reference, key), key)

    def fits(self) -> list[dict[str, Any]]:
        out = []
        names = self.landscape.names
        for s in self.landscape.structures:
            f = self._fits[s.id]
            out.append(
                {
                    "id": s.id,
                    "naam": s.name,
                    "soort": s.kind,
                    "familie": s.family,
                    "laag": s.layer,
                    "url": s.url,
                    "leden": f.members,
                    "beste_regio": self.region_name(f.best),
                    "aandeel_in_beste_regio": f.share,
                    "leden_per_regio": {
                        self.region_name(k): n
                        for k, n in sorted(
                            f.regions.items(), key=lambda kv: (-kv[1], str(self.region_name(kv[0])), kv[0])
                        )
                    },
                    "buiten_beste_regio": [names[m] for m in f.spill],
                    "ontbrekend_uit_beste_regio": [names[m] for m in f.missing],
                    "oordeel": f.verdict,
                    "oordeel_tekst": VERDICT_LABELS[f.verdict],
                    "regiodecreet": regiodecreet(s.kind, s.themes, f.verdict),
                }
            )
        return out

    def layer_matrix(self) -> dict[str, Any]:
        layers = sorted(self.landscape.partitions)
        singles = {layer: self.landscape.single(layer) for layer in layers}
        cells = []
        for a in layers:
            for b in layers:
                agr = agreement(singles[a], singles[b])
                cells.append({"a": a, "b": b, "gedeeld": agr.shared, "ari": agr.ari, "vi": agr.vi, "nvi": agr.nvi})
        return {"lagen": layers, "volledig": sorted(self.landscape.complete_layers), "cellen": cells}

    def municipalities(self) -> list[dict[str, Any]]:
        structures_of: dict[str, list[Structure]] = defaultdict(list)
        for s in self.cooperations:
            for m in s.members:
                structures_of[m].append(s)
        out = []
        for m in self.landscape.municipalities:
            mine = structures_of.get(m, [])
            own = self.partition.get(m)
            inside = sum(
                1 for s in mine if self._fits[s.id].verdict in ("gelijk", "binnen") and self._fits[s.id].best == own
            )
            partner_sets = {s.members for s in mine if len(s.members) > 1}
            out.append(
                {
                    "nis": m,
                    "naam": self.landscape.names[m],
                    "samenwerkingen": len(mine),
                    "lagen": sum(1 for p in self.landscape.partitions.values() if m in p),
                    "verschillende_partnergroepen": len(partner_sets),
                    "binnen_eigen_referentieregio": inside,
                    "referentieregio": self.region_name(own),
                }
            )
        return out

    def gaps(self) -> list[dict[str, Any]]:
        names = self.landscape.names
        out = []
        for layer, part in sorted(self.landscape.partitions.items()):
            complete = layer in self.landscape.complete_layers
            uncovered = sorted(names[m] for m in names if m not in part)
            doubles = sorted(
                (
                    {"gemeente": names[m], "regio_namen": [self.region_name(k, layer) for k in keys]}
                    for m, keys in part.items()
                    if len(keys) > 1 and m in names
                ),
                key=lambda d: str(d["gemeente"]),
            )
            out.append(
                {
                    "laag": layer,
                    "volledig_volgens_bron": complete,
                    "niet_gedekt": uncovered,
                    "in_twee_of_meer_regios": doubles,
                    "ernst": "fout" if complete and (uncovered or doubles) else ("let-op" if doubles else "info"),
                    "bron": self.landscape.layer_sources.get(layer),
                }
            )
        return out

    def network(self, threshold: float = 0.8) -> dict[str, Any]:
        graph = net.build(self.landscape, self.cooperations)
        community = net.communities(graph)
        names = self.landscape.names
        agr = agreement({m: str(c) for m, c in community.items()}, self.partition)
        pairs = net.near_duplicates(self.landscape, self.cooperations, threshold)
        return {
            "gemeenten": len(graph.nodes),
            "verbindingen": graph.edges,
            "gemeenschappen": len(set(community.values())),
            "gemeenschap_per_gemeente": community,
            "vergelijking_met_referentieregio": {"gedeeld": agr.shared, "ari": agr.ari, "vi": agr.vi, "nvi": agr.nvi},
            "bijna_dezelfde_leden": [
                {
                    "a": a.name,
                    "a_url": a.url,
                    "b": b.name,
                    "b_url": b.url,
                    "jaccard": j,
                    "leden_a": len(a.members),
                    "leden_b": len(b.members),
                }
                for a, b, j in pairs
            ],
            "gewichten_top": [
                {"a": names[graph.nodes[i]], "b": names[graph.nodes[j]], "gedeeld": float(w)}
                for i, j, w in _top_edges(graph, 20)
            ],
        }

    def graphml(self) -> str:
        graph = net.build(self.landscape, self.cooperations)
        return net.graphml(graph, self.landscape.names, net.communities(graph))


def _top_edges(graph: net.Network, count: int) -> list[tuple[int, int, float]]:
    """The ``count`` heaviest links, heaviest first (a partial sort: there can be millions)."""
    upper = sparse.triu(graph.weights, k=1).tocoo()
    if upper.nnz == 0:
        return []
    top = np.argpartition(-upper.data, min(count, upper.nnz) - 1)[:count]
    top = top[np.lexsort((upper.col[top], upper.row[top], -upper.data[top]))]
    return [(int(upper.row[k]), int(upper.col[k]), float(upper.data[k])) for k in top]


def full(landscape: Landscape) -> dict[str, Any]:
    a = Analysis(landscape)
    return {
        "op": landscape.day.isoformat() if landscape.day else None,
        "passing": a.fits(),
        "lagen": a.layer_matrix(),
        "gemeenten": a.municipalities(),
        "hiaten": a.gaps(),
        "netwerk": a.network(),
    }
