"""When something happened (valid time) is not when the atlas learned it (registration time): history never
shows an import as a join, and the comparison of two days lists what changed in the world."""

from __future__ import annotations

from starlette.testclient import TestClient


def test_municipality_history_never_shows_an_import_as_a_join(client: TestClient) -> None:
    doc = client.get("/gemeenten/gooik.json").json()
    lines = [e["wat"] for e in doc["geschiedenis"]]
    assert lines, "Gooik's memberships were registered by the import"
    assert not any(line.startswith("Lid geworden") for line in lines)
    hvz = [line for line in lines if "Vlaams-Brabant West" in line]
    assert hvz and all(line.endswith("(lid sinds: niet gekend)") for line in hvz)
    assert all(line.startswith("In het register als lid van") for line in hvz)


def test_the_comparison_of_two_days_lists_every_merger_of_2025_once(client: TestClient) -> None:
    doc = client.get("/wijzigingen.json", params={"van": "2024-06-30", "tot": "2025-06-30"}).json()["tussen"]
    mergers = {f["gemeente"]: f["uit"] for f in doc["fusies"]}
    assert len(mergers) == 13 and doc["aantallen"]["fusies"] == 13
    assert mergers["Antwerpen"] == ["Antwerpen", "Borsbeek"]  # Antwerpen kept its NIS code
    assert mergers["Pajottegem"] == ["Galmaarden", "Gooik", "Herne"]
    assert mergers["Beveren-Kruibeke-Zwijndrecht"] == ["Beveren", "Kruibeke", "Zwijndrecht"]
    assert all(f["datum"] == "2025-01-01" for f in doc["fusies"])
    for part in ("toegetreden", "uitgetreden", "overgegaan_naar_opvolger"):
        keys = [(d["organisatie"], d["lid"]) for d in doc[part]]
        assert len(keys) == len(set(keys)), part


def test_the_municipality_filter_takes_any_case_and_the_nis_code(client: TestClient) -> None:
    answers = [
        client.get("/wijzigingen.json", params={"van": "2024-06-30", "tot": "2025-06-30", "gemeente": g})
        for g in ("gent", "Gent", "GENT", "44021")
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 200]
    found = [a.json()["tussen"] for a in answers]
    assert all(f == found[0] for f in found) and found[0]["zonder_datum"] > 0
    borsbeek = client.get(
        "/wijzigingen.json", params={"van": "2024-06-30", "tot": "2025-06-30", "gemeente": "Borsbeek"}
    ).json()["tussen"]
    assert [f["gemeente"] for f in borsbeek["fusies"]] == ["Antwerpen"]


def test_the_comparison_asks_the_one_rule_a_merged_gemeente_leaves_its_bodies(client: TestClient) -> None:
    """state.rule decides for the comparison too: a gemeente member that merged away is no longer in force (as on
    its municipality page), so AGB Gooik's member Gooik left with the 2025 merger."""
    doc = client.get(
        "/wijzigingen.json", params={"van": "2024-06-30", "tot": "2025-06-30", "gemeente": "gooik"}
    ).json()["tussen"]
    left = {d["organisatie"] for d in doc["uitgetreden"] if d["lid"] == "Gooik"}
    assert {"AGB Gooik", "HVZ Brandweer Zone Vlaams-Brabant West", "ILV Sportregio Pajottenland"} <= left


def test_the_comparison_counts_the_lines_it_lists(client: TestClient) -> None:
    """The page shows the number of lines it lists; its twin says the same number."""
    doc = client.get("/wijzigingen.json", params={"van": "2024-06-30", "tot": "2025-06-30"}).json()["tussen"]
    counts = doc["aantallen"]
    assert counts["toegetreden"] == len(doc["toegetreden"]) > 0
    assert counts["uitgetreden"] == len(doc["uitgetreden"]) > 0
    assert counts["overgegaan"] == len(doc["overgegaan_naar_opvolger"]) > 0
