"""Population with its year: Statbel's figures of 2024 and 2025, and Statbel's own TF_SOC_POP_STRUCT file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from igsatlas.atlas import Atlas
from igsatlas.errors import InputError
from igsatlas.ingest import population
from igsatlas.ingest.pipeline import run_import
from igsatlas.ingest.problems import Problems
from igsatlas.store.population import population_year_for, populations_on

HEADER = (
    "CD_REFNIS|TX_DESCR_NL|TX_DESCR_FR|CD_DSTR_REFNIS|TX_ADM_DSTR_DESCR_NL|TX_ADM_DSTR_DESCR_FR|CD_PROV_REFNIS|"
    "TX_PROV_DESCR_NL|TX_PROV_DESCR_FR|CD_RGN_REFNIS|TX_RGN_DESCR_NL|TX_RGN_DESCR_FR|CD_SEX|CD_NATLTY|TX_NATLTY_NL|"
    "TX_NATLTY_FR|CD_CIV_STS|TX_CIV_STS_NL|TX_CIV_STS_FR|CD_AGE|MS_POPULATION"
)


def statbel_row(nis: str, name: str, sex: str, age: int, count: int) -> str:
    return (
        f"{nis}|{name}|{name}|11000|Arrondissement Antwerpen|Arrondissement d'Anvers|10000|Provincie Antwerpen|"
        f"Province d'Anvers|2000|Vlaams Gewest|Région flamande|{sex}|BEL|Belgen|Belges|1|Ongehuwd|Célibataire|"
        f"{age}|{count}"
    )


def statbel_file(folder: Path, rows: list[str], year: int = 2025, encoding: str = "utf-8") -> Path:
    (folder / "population").mkdir(parents=True, exist_ok=True)
    path = folder / "population" / f"TF_SOC_POP_STRUCT_{year}.txt"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding=encoding)
    return path


SMALL = [
    statbel_row("11002", "Antwerpen", "M", 30, 280_000),
    statbel_row("11002", "Antwerpen", "F", 30, 282_010),
    statbel_row("44021", "Gent", "F", 41, 270_000),
    statbel_row("21004", "Brussel", "F", 41, 190_000),  # Brussels: kept when the atlas knows the code
    statbel_row("62063", "Liège", "M", 20, 195_000),  # Wallonia: skipped
]


def test_statbel_file_is_summed_per_municipality_and_takes_its_year(tmp_path: Path) -> None:
    statbel_file(tmp_path, SMALL)
    figures = population.parse(tmp_path, {"11002", "44021"}, Problems())
    assert [(p.nis, p.year, p.inhabitants) for p in figures] == [("11002", 2025, 562_010), ("44021", 2025, 270_000)]
    assert "TF_SOC_POP_STRUCT_2025.txt" in figures[0].source and "1 januari 2025" in figures[0].source


@pytest.mark.parametrize(
    ("rows", "encoding", "code", "line"),
    [
        ([*SMALL[:2], "11002|Antwerpen|Anvers|11000"], "utf-8", "truncated-file", 4),  # cut off mid-row
        (SMALL, "latin-1", "wrong-encoding", 2),  # Région in Latin-1 on the first row
        ([*SMALL, statbel_row("11999", "Nergens", "M", 1, 5)], "utf-8", "invalid-nis-code", 7),  # Flemish, unknown
        ([statbel_row("11002", "Antwerpen", "M", 1, -5)], "utf-8", "invalid-value", 2),
    ],
)
def test_bad_statbel_files_stop_with_file_and_line(
    tmp_path: Path, rows: list[str], encoding: str, code: str, line: int
) -> None:
    statbel_file(tmp_path, rows, encoding=encoding)
    with pytest.raises(InputError) as caught:
        population.parse(tmp_path, {"11002", "44021"}, Problems())
    assert caught.value.code == code
    assert caught.value.location is not None
    assert caught.value.location.file == "population/TF_SOC_POP_STRUCT_2025.txt"
    assert caught.value.location.line == line


def test_an_unknown_code_in_population_csv_names_its_line(tmp_path: Path) -> None:
    (tmp_path / "population").mkdir()
    (tmp_path / "population" / "population.csv").write_text(
        "nis,name,year,population,as_of,source\n11002,Antwerpen,2025,562002,2025-01-01,x\n99999,Nergens,2025,1,2025-01-01,x\n"
    )
    with pytest.raises(InputError) as caught:
        population.parse(tmp_path, {"11002"}, Problems())
    assert (caught.value.code, str(caught.value.location)) == (
        "invalid-nis-code",
        "population/population.csv line 3 (nis='99999')",
    )


def test_the_newest_count_on_or_before_the_day() -> None:
    years = (2024, 2025)
    assert population_year_for(years, date(2025, 6, 30)) == 2025
    assert population_year_for(years, date(2024, 12, 31)) == 2024
    assert population_year_for(years, date(2020, 1, 1)) == 2024  # nothing older: the oldest there is
    assert population_year_for((), date(2025, 1, 1)) is None


def test_each_day_uses_its_year(atlas: Atlas, statbel: dict[tuple[str, int], int]) -> None:
    """Real data: 2025 counts on the 285 municipalities of 2025, 2024 counts on the 300 before."""
    with atlas.connect() as conn:
        after, before = populations_on(conn, date(2025, 6, 30)), populations_on(conn, date(2024, 6, 30))
    assert after["11002"] == (statbel[("Antwerpen", 2025)], 2025) == (562_002, 2025)
    assert after["23106"] == (25_287, 2025)  # Pajottegem, its own 2025 figure
    assert before["11002"] == (544_759, 2024)
    assert (len(after), sum(n for n, _ in after.values())) == (285, 6_864_766)  # the README's totals
    assert (len(before), sum(n for n, _ in before.values())) == (300, 6_821_770)


def test_statbel_file_replaces_its_year_in_a_full_import(
    engine: Engine, data_dir: Path, tmp_path: Path, statbel: dict[tuple[str, int], int]
) -> None:
    """The real data folder, with Statbel's own 2025 file beside population.csv."""
    folder = tmp_path / "data"
    folder.mkdir()
    for child in data_dir.iterdir():
        if child.name != "population":
            (folder / child.name).symlink_to(child)
    statbel_file(folder, SMALL)
    (folder / "population" / "population.csv").symlink_to(data_dir / "population" / "population.csv")
    run_import(engine, folder)
    with engine.connect() as conn:
        after = populations_on(conn, date(2025, 6, 30))
        before = populations_on(conn, date(2024, 6, 30))
    # the 2025 of Statbel's own file, Brussels included (population.csv has only Flanders)
    assert after == {"11002": (562_010, 2025), "44021": (270_000, 2025), "21004": (190_000, 2025)}
    assert before["44021"] == (statbel[("Gent", 2024)], 2024)  # 2024 still from population.csv


def test_the_figures_carry_their_year_on_the_pages(client: TestClient) -> None:
    page = client.get("/gemeenten/antwerpen", params={"op": "2025-06-30"}).text
    assert "562.002 inwoners op 1 januari 2025" in page
    twin = client.get("/gemeenten/antwerpen.json", params={"op": "2024-06-30"}).json()
    assert twin["inwoners"] == {"aantal": 544_759, "op": "2024-01-01"}
    planner = client.get("/samenwerken", params=[("gemeente", "Lennik"), ("gemeente", "Gooik")]).text
    assert "inwoners op 1 januari 2025" in planner
    culture = client.get("/cultuur", params={"op": "2025-06-30"}).text
    assert "(op 1 januari 2025)" in culture
