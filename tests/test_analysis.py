"""The patchwork measured: constructed landscapes worked out by hand, and the real data."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from igsatlas.analysis import network
from igsatlas.analysis.fit import fit, regiodecreet, region_members
from igsatlas.analysis.landscape import Landscape, Structure
from igsatlas.analysis.load import load
from igsatlas.analysis.partition import agreement
from igsatlas.analysis.report import Analysis
from igsatlas.atlas import Atlas

TWO_BY_TWO = {"1": "x", "2": "x", "3": "y", "4": "y"}


def test_identical_partitions_agree_fully() -> None:
    a = agreement(TWO_BY_TWO, dict(TWO_BY_TWO))
    assert (a.shared, a.ari, a.vi, a.nvi) == (4, 1.0, 0.0, 0.0)


def test_relabelled_partition_is_still_identical() -> None:
    a = agreement(TWO_BY_TWO, {"1": "p", "2": "p", "3": "q", "4": "q"})
    assert (a.ari, a.vi) == (1.0, 0.0)


def test_one_municipality_moved() -> None:
    # {12}{34} against {123}{4}: pairs together 1 vs expected 1, so ARI 0; VI = H(a)+H(b)-2I = 1.1887 bits
    a = agreement(TWO_BY_TWO, {"1": "x", "2": "x", "3": "x", "4": "y"})
    assert a.ari == 0.0
    assert a.vi == pytest.approx(1.1887, abs=1e-4)


def test_crossing_partitions_score_below_chance() -> None:
    # {12}{34} against {13}{24}: no pair agrees; ARI (0 - 2/3) / (2 - 2/3) = -0.5; VI 2 bits
    a = agreement(TWO_BY_TWO, {"1": "p", "2": "q", "3": "p", "4": "q"})
    assert (a.ari, a.vi, a.nvi) == (-0.5, 2.0, 1.0)


def test_only_shared_municipalities_are_compared() -> None:
    a = agreement(TWO_BY_TWO, {"1": "p", "2": "p", "9": "q"})
    assert a.shared == 2
    assert agreement({"1": "x"}, {"1": "y"}).ari is None


PARTITION = {"1": "A", "2": "A", "3": "A", "4": "B", "5": "B"}
REGIONS = region_members(PARTITION)


@pytest.mark.parametrize(
    ("members", "verdict", "best", "share", "spill", "missing"),
    [
        ({"1", "2", "3"}, "gelijk", "A", 1.0, (), ()),
        ({"1", "2"}, "binnen", "A", 1.0, (), ("3",)),
        ({"1", "2", "4"}, "over-grenzen", "A", 0.6667, ("4",), ("3",)),
        ({"4", "1"}, "over-grenzen", "B", 0.5, ("1",), ("5",)),  # tie: the region missing fewest wins
        ({"9"}, "onbekend", None, 0.0, (), ()),
    ],
)
def test_fit_of_a_member_set(
    members: set[str], verdict: str, best: str | None, share: float, spill: tuple[str, ...], missing: tuple[str, ...]
) -> None:
    f = fit(frozenset(members), PARTITION, REGIONS)
    assert (f.verdict, f.best, f.share, f.spill, f.missing) == (verdict, best, share, spill, missing)


def test_regiodecreet_deadlines() -> None:
    assert regiodecreet("projectvereniging", (), "over-grenzen") == {
        "status": "moet-passen",
        "uiterlijk": "2031-01-01",
        "afval": "false",
    }
    assert (
        regiodecreet("opdrachthoudende-vereniging", ("Afval en/of recyclage",), "over-grenzen")["uiterlijk"]
        == "2037-01-01"
    )  # type: ignore[index]
    assert regiodecreet("dienstverlenende-vereniging", (), "binnen")["status"] == "past"  # type: ignore[index]
    assert regiodecreet("welzijnsvereniging", (), "over-grenzen") is None


def _two_cliques() -> Landscape:
    names = {str(i): f"G{i}" for i in range(1, 9)}
    west = [
        Structure(f"w{k}", f"West {k}", "projectvereniging", "igs", frozenset({"1", "2", "3", "4"})) for k in range(3)
    ]
    east = [
        Structure(f"e{k}", f"Oost {k}", "projectvereniging", "igs", frozenset({"5", "6", "7", "8"})) for k in range(3)
    ]
    bridge = [Structure("b", "Brug", "projectvereniging", "igs", frozenset({"4", "5"}))]
    near = [Structure("n", "Bijna west", "dienstverlenende-vereniging", "igs", frozenset({"1", "2", "3", "4", "5"}))]
    partition = {str(i): ("W",) if i <= 4 else ("O",) for i in range(1, 9)}
    return Landscape(
        None, names, {"referentieregio": partition}, west + east + bridge + near, frozenset({"referentieregio"})
    )


def test_network_weights_and_communities() -> None:
    landscape = _two_cliques()
    graph = network.build(landscape, landscape.structures)
    i, j = graph.nodes.index("1"), graph.nodes.index("2")
    assert graph.weights[i, j] == 4  # three West structures and "Bijna west"
    community = network.communities(graph)
    west, east = {community[m] for m in "1234"}, {community[m] for m in "678"}
    assert len(west) == 1 and len(east) == 1 and west != east
    analysis = Analysis(landscape)
    assert analysis.network()["vergelijking_met_referentieregio"]["gedeeld"] == 8


def test_near_duplicates_by_jaccard() -> None:
    landscape = _two_cliques()
    pairs = network.near_duplicates(landscape, landscape.structures, threshold=0.8)
    found = {(a.id, b.id): j for a, b, j in pairs}
    assert found[("w0", "w1")] == 1.0
    assert found.get(("w0", "n"), found.get(("n", "w0"))) == 0.8  # 4 shared of 5
    assert all(j >= 0.8 for j in found.values())
    assert not any("b" in key for key in found)  # the bridge shares 1 of 5 with West


def test_graphml_is_valid_and_complete() -> None:
    landscape = _two_cliques()
    doc = ET.fromstring(Analysis(landscape).graphml())
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(doc.findall(".//g:node", ns)) == 8
    # two K4 (6 + 6), the bridge 4-5, and "Bijna west" joins 5 to 1, 2 and 3 (4-5 exists already)
    assert len(doc.findall(".//g:edge", ns)) == 6 + 6 + 1 + 3


# --- the real data --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(atlas: Atlas) -> Analysis:
    with atlas.connect() as conn:
        return Analysis(load(conn, date(2025, 6, 1)))


def test_reference_regions_against_themselves_score_one(real: Analysis) -> None:
    cells = {(c["a"], c["b"]): c for c in real.layer_matrix()["cellen"]}
    assert cells[("referentieregio", "referentieregio")]["ari"] == 1.0
    assert cells[("referentieregio", "referentieregio")]["gedeeld"] == 285
    assert 0.9 < cells[("referentieregio", "vervoerregio")]["ari"] < 1.0
    assert cells[("referentieregio", "elz")]["ari"] < 0.5


def test_every_complete_layer_covers_all_285(real: Analysis) -> None:
    gaps = {g["laag"]: g for g in real.gaps()}
    complete = [layer for layer, g in gaps.items() if g["volledig_volgens_bron"]]
    assert {"referentieregio", "vervoerregio", "elz", "politiezone"} <= set(complete)
    for layer in complete:
        assert gaps[layer]["niet_gedekt"] == [], layer
    assert len(gaps["uitpas"]["niet_gedekt"]) > 200  # a partial layer, and it says so


def test_merger_shows_as_a_double_in_a_stale_layer(real: Analysis) -> None:
    # publiq's regions predate 2025: Hasselt inherits Kortessem's region next to its own.
    doubles = {
        d["gemeente"]: d["regio_namen"]
        for d in {g["laag"]: g for g in real.gaps()}["publiq-regio"]["in_twee_of_meer_regios"]
    }
    assert sorted(doubles["Hasselt"]) == ["Regio Haspengouw", "Regio Hasselt"]


def test_fit_on_the_real_register(real: Analysis) -> None:
    fits = {f["naam"]: f for f in real.fits()}
    assert fits["Interleuven"]["beste_regio"] == "Oost-Brabant"
    assert fits["Interleuven"]["regiodecreet"]["status"] in ("past", "moet-passen")
    police = fits["PZ Gent: Gent"]
    assert (police["oordeel"], police["leden"]) == ("binnen", 1)
    statuses = [f["regiodecreet"]["status"] for f in fits.values() if f["regiodecreet"]]
    assert statuses.count("moet-passen") > 50 and statuses.count("past") > 50


def test_municipality_profiles(real: Analysis) -> None:
    rows = {r["naam"]: r for r in real.municipalities()}
    assert len(rows) == 285
    gent = rows["Gent"]
    assert gent["referentieregio"] == "Regio Gent"
    assert gent["samenwerkingen"] >= gent["verschillende_partnergroepen"] > 5
    assert 0 < gent["binnen_eigen_referentieregio"] <= gent["samenwerkingen"]


def test_network_on_the_real_register(real: Analysis) -> None:
    doc = real.network()
    assert doc["gemeenten"] == 285
    assert doc["verbindingen"] > 5000
    assert 2 <= doc["gemeenschappen"] <= 30
    assert -1 <= doc["vergelijking_met_referentieregio"]["ari"] <= 1
    assert all(p["jaccard"] >= 0.8 and min(p["leden_a"], p["leden_b"]) >= 2 for p in doc["bijna_dezelfde_leden"])
