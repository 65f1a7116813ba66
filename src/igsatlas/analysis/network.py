"""The cooperation network: municipalities linked by the cooperations they share.

The weighted graph is W = B·Bᵀ for the municipality-by-structure incidence matrix B (sparse), so it scales to
tens of thousands of municipalities. Communities come from the Louvain method (igraph's multilevel, with a
fixed seed so the result is repeatable). Near-duplicate structures are pairs whose member sets have a
Jaccard similarity of at least a threshold, from the sparse product Bᵀ·B.

Every process gives the same communities for the same register: the nodes are the municipalities in NIS order,
the edges come in matrix order, and igraph draws from a random generator of its own, seeded, under a lock (igraph's
generator is global: two threads, or anything else drawing from Python's ``random``, must not share it).
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import igraph
import numpy as np
from scipy import sparse

from igsatlas.analysis.landscape import Landscape, Structure

_IGRAPH_RANDOM = threading.Lock()  # igraph's random generator is one for the whole process


@dataclass(frozen=True)
class Network:
    nodes: list[str]  # municipality ids, in matrix order
    weights: sparse.csr_matrix  # symmetric, zero diagonal: shared structures per pair

    @property
    def edges(self) -> int:
        return int(self.weights.nnz // 2)


def incidence(landscape: Landscape, structures: list[Structure]) -> tuple[list[str], sparse.csr_matrix]:
    nodes = landscape.municipalities
    index = {m: i for i, m in enumerate(nodes)}
    rows, cols = [], []
    for j, s in enumerate(structures):
        for m in s.members:
            i = index.get(m)
            if i is not None:
                rows.append(i)
                cols.append(j)
    data = np.ones(len(rows), dtype=np.float32)
    matrix = sparse.csr_matrix((data, (rows, cols)), shape=(len(nodes), len(structures)))
    return nodes, matrix


def build(landscape: Landscape, structures: list[Structure]) -> Network:
    nodes, b = incidence(landscape, structures)
    w = (b @ b.T).tocsr()
    w.setdiag(0)
    w.eliminate_zeros()
    return Network(nodes, w)


def communities(network: Network, seed: int = 1) -> dict[str, int]:
    """Louvain communities: municipality id -> community number (largest community first)."""
    upper = sparse.triu(network.weights, k=1).tocoo()
    graph = igraph.Graph(n=len(network.nodes), edges=np.column_stack([upper.row, upper.col]))
    with _IGRAPH_RANDOM:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            membership = graph.community_multilevel(weights=upper.data.astype(float)).membership
        finally:
            igraph.set_random_number_generator(random)  # igraph's default: Python's own generator
    sizes: dict[int, int] = {}
    for c in membership:
        sizes[c] = sizes.get(c, 0) + 1
    order = {c: i for i, c in enumerate(sorted(sizes, key=lambda c: (-sizes[c], c)))}
    return {network.nodes[i]: order[c] for i, c in enumerate(membership)}


def near_duplicates(
    landscape: Landscape, structures: list[Structure], threshold: float = 0.8, min_members: int = 2
) -> list[tuple[Structure, Structure, float]]:
    """Pairs of structures with nearly the same members (Jaccard >= threshold), most similar first.

    Only structures with at least ``min_members`` members count: two one-member structures are trivially equal.
    """
    structures = [s for s in structures if len(s.members) >= min_members]
    _, b = incidence(landscape, structures)
    sizes = np.asarray(b.sum(axis=0)).ravel()
    shared = sparse.triu((b.T @ b).tocsr(), k=1).tocoo()
    union = sizes[shared.row] + sizes[shared.col] - shared.data
    with np.errstate(divide="ignore", invalid="ignore"):
        jaccard = np.where(union > 0, shared.data / union, 0.0)
    keep = np.nonzero(jaccard >= threshold)[0]
    pairs = [
        (structures[shared.row[k]], structures[shared.col[k]], round(float(jaccard[k]), 4))
        for k in keep
        if comparable(structures[shared.row[k]], structures[shared.col[k]])
    ]
    pairs.sort(key=lambda p: (-p[2], p[0].name, p[1].name, p[0].id, p[1].id))
    return pairs


def comparable(a: Structure, b: Structure) -> bool:
    """Could the two be merged? Only bodies of one family (two IGS, two zones), and regions of one layer: a police
    zone and a heritage cell with the same members are not merge candidates."""
    if a.family != b.family:
        return False
    return not (a.family == "regio" and a.layer != b.layer)


def graphml(network: Network, names: dict[str, str], community: dict[str, int]) -> str:
    """The weighted municipality graph as GraphML (for Gephi, Cytoscape, networkx, igraph)."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
        '<key id="name" for="node" attr.name="naam" attr.type="string"/>',
        '<key id="community" for="node" attr.name="gemeenschap" attr.type="int"/>',
        '<key id="weight" for="edge" attr.name="gedeelde_samenwerkingen" attr.type="double"/>',
        '<graph id="samenwerking" edgedefault="undirected">',
    ]
    for node in network.nodes:
        out.append(
            f'<node id={quoteattr(node)}><data key="name">{escape(names.get(node, node))}</data>'
            f'<data key="community">{community.get(node, -1)}</data></node>'
        )
    upper = sparse.triu(network.weights, k=1).tocoo()
    for i, j, w in zip(upper.row.tolist(), upper.col.tolist(), upper.data.tolist(), strict=True):
        out.append(
            f"<edge source={quoteattr(network.nodes[i])} target={quoteattr(network.nodes[j])}>"
            f'<data key="weight">{w:g}</data></edge>'
        )
    out.append("</graph></graphml>")
    return "\n".join(out)
