"""The same page in every process: several server processes behind a proxy share ETags made from a page's key, so
a page must not depend on the order in which a process happens to iterate a set (PYTHONHASHSEED), nor on what
other threads do while it is made."""

from __future__ import annotations

import difflib
import json
import os
import random
import subprocess
import sys
import threading
from pathlib import Path

import igraph
import numpy as np
from scipy import sparse

from igsatlas.analysis import network as net
from igsatlas.analysis.fit import fit

SOURCE = Path(__file__).resolve().parents[1] / "src"
# Pages that once differed between processes: ties among regions of equal count (/cultuur, /analyse/passing),
# two structures of one name swapping their links, and the network's communities.
PAGES = (
    "/cultuur",
    "/cultuur.json",
    "/analyse/passing",
    "/analyse/passing.json",
    "/analyse/netwerk.json",
    "/api/v1/analyses/netwerk",
    "/samenwerken.json?gemeente=44021&gemeente=44043&gemeente=44040",
)

RENDER = """
import json, sys
from pathlib import Path
from starlette.testclient import TestClient
from igsatlas.config import Settings
from igsatlas.web.app import create_app

out = Path(sys.argv[1])
pages = json.loads(sys.argv[2])
with TestClient(create_app(Settings.from_env())) as client:
    for i, page in enumerate(pages):
        response = client.get(page)
        assert response.status_code == 200, (page, response.status_code)
        (out / str(i)).write_bytes(response.content)
"""


def _render(database_url: str, data_dir: Path, seed: str, folder: Path) -> subprocess.Popen[bytes]:
    """A process of its own, with its own hash seed, that writes each page of PAGES into ``folder``."""
    folder.mkdir()
    env = {
        **os.environ,
        "PYTHONHASHSEED": seed,
        "IGSATLAS_DATABASE_URL": database_url,
        "IGSATLAS_DATA_DIR": str(data_dir),
        # the code under test, not whichever igsatlas the interpreter would find first
        "PYTHONPATH": os.pathsep.join([str(SOURCE), *filter(None, [os.environ.get("PYTHONPATH")])]),
    }
    command = [sys.executable, "-c", RENDER, str(folder), json.dumps(PAGES)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_two_processes_with_different_hash_seeds_serve_the_same_bytes(
    imported_url: str, data_dir: Path, tmp_path: Path
) -> None:
    seeds = ("1", "2")
    processes = [_render(imported_url, data_dir, seed, tmp_path / seed) for seed in seeds]
    for process in processes:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err.decode(errors="replace")[-2000:]
    differing = []
    for i, page in enumerate(PAGES):
        first, second = ((tmp_path / seed / str(i)).read_bytes() for seed in seeds)
        if first != second:
            diff = difflib.unified_diff(first.decode().splitlines(), second.decode().splitlines(), lineterm="", n=0)
            differing.append(f"{page}:\n" + "\n".join(line[:200] for line in list(diff)[2:12]))
    assert not differing, "\n\n".join(differing)


def test_regions_of_equal_count_are_listed_by_key() -> None:
    partition = {"a": "west", "b": "oost", "c": "oost", "d": "west", "e": "midden"}
    regions = {"west": {"a", "d"}, "oost": {"b", "c"}, "midden": {"e"}}
    found = fit(frozenset({"e", "d", "c", "b", "a"}), partition, regions)
    assert list(found.regions) == ["oost", "west", "midden"]  # two each, then one; ties by key
    assert found.best == "oost" and found.spill == ("a", "d", "e")


def _seed_sensitive_network() -> net.Network:
    """A random graph on which Louvain's answer depends on its random draws (the register's graph mostly does not)."""
    graph = igraph.Graph.Erdos_Renyi(n=300, m=900)
    edges = np.array(graph.get_edgelist())
    upper = sparse.coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(300, 300))
    return net.Network([f"{i:05d}" for i in range(300)], (upper + upper.T).tocsr())


def test_communities_do_not_depend_on_other_threads() -> None:
    igraph.set_random_number_generator(random.Random(7))
    try:
        network = _seed_sensitive_network()
    finally:
        igraph.set_random_number_generator(random)
    first = net.communities(network)
    assert net.communities(network, seed=2) != first  # the seed matters on this graph, so the next check bites
    same: list[bool] = []
    stop = threading.Event()

    def draw() -> None:  # anything else in the process drawing from Python's generator
        while not stop.is_set():
            random.random()

    def louvain() -> None:
        for _ in range(4):
            same.append(net.communities(network) == first)

    workers = [threading.Thread(target=draw), *(threading.Thread(target=louvain) for _ in range(2))]
    for w in workers:
        w.start()
    for w in workers[1:]:
        w.join()
    stop.set()
    workers[0].join()
    assert same == [True] * 8
