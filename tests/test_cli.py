"""The `igs` command on the imported register."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from igsatlas.cli import main


@pytest.fixture
def env(imported_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IGSATLAS_DATABASE_URL", imported_url)


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:  # type: ignore[type-arg]
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_show_gent_names_its_zones_regions_and_cooperations(env: None, capsys: pytest.CaptureFixture[str]) -> None:
    """``igs show municipality --json`` prints the API's shape: /api/v1/gemeenten/{nis} and its lidmaatschappen."""
    doc = run_json(capsys, "show", "municipality", "Gent", "--on", "2025-06-01", "--json")
    assert doc["gemeente"]["nis"] == "44021" and doc["gemeente"]["api"] == "/api/v1/gemeenten/44021"
    bodies = [m["organisatie"] for m in doc["lidmaatschappen"]]
    assert {b["naam"] for b in bodies if b["classificatie"] == "politiezone"} == {"PZ Gent: Gent"}
    assert {b["naam"] for b in bodies if b["classificatie"] == "hulpverleningszone"} == {"HVZ Brandweer Zone Centrum"}
    in_layer = {m["laag"]: m["organisatie"]["naam"] for m in doc["lidmaatschappen"] if m["laag"]}
    assert in_layer["referentieregio"] == "Regio Gent"
    assert in_layer["vervoerregio"] == "Gent (Verv.)"
    assert in_layer["elz"] == "Gent"
    forms = {b["naam"]: b["classificatie_label"] for b in bodies}
    assert forms["Imewo"] == "Opdrachthoudende vereniging"
    assert forms["IVAGO"] == "Opdrachthoudende vereniging met private deelname"
    assert forms["Finiwo"] == "Dienstverlenende vereniging"
    igs = [m for m in doc["lidmaatschappen"] if m["organisatie"]["familie"] == "igs"]
    assert igs and all(m["geldig_van"] is None for m in igs)  # LBLOD has no membership dates


def test_show_municipality_before_and_after_a_merger(env: None, capsys: pytest.CaptureFixture[str]) -> None:
    old = run_json(capsys, "show", "municipality", "Melle", "--on", "2024-06-30", "--json")
    assert old["gemeente"]["nis"] == "44040" and old["lidmaatschappen"]
    gone = run_json(capsys, "show", "municipality", "Melle", "--on", "2025-06-30", "--json")
    new = run_json(capsys, "show", "municipality", "Merelbeke-Melle", "--on", "2025-06-30", "--json")
    assert gone["gemeente"]["geldig_tot"] == "2025-01-01" and gone["lidmaatschappen"] == []
    assert gone["gemeente"]["opvolger_nis"] == new["gemeente"]["nis"]
    assert main(["show", "municipality", "Melle", "--on", "2025-06-30"]) == 0
    text = capsys.readouterr().out
    assert "does not exist on that day; merged into Merelbeke-Melle" in text
    assert main(["show", "municipality", "Merelbeke-Melle", "--on", "2025-06-30"]) == 0
    formed = capsys.readouterr().out.split("formed from: ", 1)[1].splitlines()[0]
    assert set(formed.split(", ")) == {"Melle", "Merelbeke"}


def test_show_org_by_kbo_lists_members(env: None, capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "show", "org", "0205.774.810", "--on", "2025-06-30", "--json")
    assert doc["organisatie"]["naam"] == "Interleuven"
    assert doc["organisatie"]["classificatie_label"] == "Dienstverlenende vereniging"
    assert doc["organisatie"]["aantal_leden"] == 30 and len(doc["leden"]) == 30
    assert "Leuven" in {m["gemeente"]["naam"] for m in doc["leden"] if m["gemeente"]}


def test_show_layer_prints_the_api_shape(env: None, capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "show", "layer", "referentieregio", "--on", "2025-06-30", "--json")
    assert doc["laag"]["titel"] == "Referentieregio's" and doc["laag"]["api"] == "/api/v1/lagen/referentieregio"
    gent = next(r for r in doc["regios"] if r["naam"] == "Regio Gent")
    assert "44021" in gent["gemeenten"] and len(doc["regios"]) == 15


def test_show_unknown_municipality_says_what_to_give(env: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "municipality", "Atlantis"]) == 1
    err = capsys.readouterr().err
    assert "error [municipality-not-found]" in err and "NIS code" in err


def test_show_rejects_a_bad_day(env: None, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["show", "municipality", "Gent", "--on", "30-06-2024"])
    assert exit_info.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_stats_counts_and_unmatched(env: None, capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "stats", "--on", "2025-06-01", "--json")
    assert doc["gemeenten_in_vlaanderen"] == 285
    kinds = {(k["soort"], k["status"]): k["aantal"] for k in doc["organisaties_per_soort"]}
    assert kinds[("Projectvereniging", "actief")] == 70
    assert kinds[("Politiezone", "actief")] == 97
    layers = {x["laag"]: x for x in doc["lagen"]}
    assert layers["referentieregio"]["gemeenten_gedekt"] == 285
    assert layers["referentieregio"]["volledig_volgens_bron"] is True
    assert layers["uitpas"]["volledig_volgens_bron"] is False
    assert layers["uitpas"]["gemeenten_niet_gedekt"] > 200
    assert any(i["code"] == "unlinked-region" and "Ginter" in i["melding"] for i in doc["niet_gekoppeld"])


def test_stats_human_output(env: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--on", "2025-06-01"]) == 0
    out = capsys.readouterr().out
    assert "285 Flemish municipalities" in out
    assert "Lovendegem" in out


def test_export_writes_whole_csv_files(env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--out", str(tmp_path)]) == 0
    with (tmp_path / "organisations.csv").open(encoding="utf-8") as f:
        orgs = list(csv.DictReader(f))
    with (tmp_path / "memberships.csv").open(encoding="utf-8") as f:
        memberships = list(csv.DictReader(f))
    assert (
        len(orgs) == 1427 + 359 + 28
    )  # LBLOD, the layer regions of their own, the published cooperations not in either
    assert any(o["name"] == "Interleuven" and o["kbo"] == "0205774810" for o in orgs)
    assert len(memberships) > 9000
    assert not list(tmp_path.glob("*.tmp"))


def test_export_names_its_files_in_plain_english(env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--out", str(tmp_path)]) == 0
    names = ["municipalities.csv", "organisations.csv", "memberships.csv", "regions.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)
    assert f"wrote 331 rows to {tmp_path / 'municipalities.csv'}" in capsys.readouterr().out


def test_check_of_one_organisation_says_so(env: None, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--org", "Interleuven", "--on", "2025-06-30"])
    last = capsys.readouterr().out.splitlines()[-1]
    assert last.startswith("5 checks on Interleuven: "), last


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["user", "list"], "No accounts yet: a beheerder adds one with `igs user add`."),
        (["mail", "status"], "The outbox is empty: no message waits to be sent."),
    ],
)
def test_an_empty_list_says_so(
    argv: list[str], said: str, database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("IGSATLAS_DATABASE_URL", database_url)  # a new database: no accounts, no mail
    assert main(argv) == 0
    assert capsys.readouterr().out == said + "\n"


def test_export_package_writes_the_open_data_tables(
    env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--package", "--out", str(tmp_path), "--on", "2025-06-30"]) == 0
    doc = json.loads((tmp_path / "datapackage.json").read_text())
    assert [r["name"] for r in doc["resources"]] == [
        "organisaties",
        "gemeenten",
        "lidmaatschappen",
        "lagen",
        "regios",
        "bevindingen",
    ]
    with (tmp_path / "gemeenten.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 304 and {r["naam"] for r in rows} >= {"Pajottegem", "Gent"}


def test_a_reader_that_stops_early_ends_the_command_quietly(imported_url: str) -> None:
    """`igs show municipality Gent | head -1`: no traceback, exit 0, the first line as printed."""
    env = {**os.environ, "IGSATLAS_DATABASE_URL": imported_url}
    command = [sys.executable, "-m", "igsatlas.cli", "show", "municipality", "Gent"]
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.readline()
        proc.stdout.close()  # as head does after its line
        errors = proc.stderr.read()
        assert proc.wait(timeout=60) == 0
    assert first == f"Gent (NIS 44021, Oost-Vlaanderen) on {date.today().isoformat()}\n".encode()
    assert b"Traceback" not in errors and b"BrokenPipe" not in errors
