"""The importer: idempotent, reported, and all-or-nothing on bad input."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine

from igsatlas.cli import main
from igsatlas.errors import InputError
from igsatlas.ingest.pipeline import run_import
from igsatlas.ingest.rdf import parse_ntriples
from igsatlas.ingest.worker import in_worker
from igsatlas.store.digest import content_digest
from igsatlas.store.engine import make_engine


def test_second_import_changes_nothing(engine: Engine, data_dir: Path) -> None:
    first = run_import(engine, data_dir)
    assert (
        first.changes["organisation"].inserted == 1427 + 359 + 28
    )  # LBLOD, the layer regions of their own, the published cooperations not in either
    assert first.changes["municipality"].inserted == 312 + 19
    digest = content_digest(engine)
    second = run_import(engine, data_dir)
    assert not second.changed
    assert all(c.inserted == c.updated == c.removed == 0 for c in second.changes.values())
    assert second.changes["membership"].unchanged == first.changes["membership"].inserted
    assert content_digest(engine) == digest


def _copy_data(data_dir: Path, target: Path) -> Path:
    """A private copy of the data folder: links to the read-only originals, to be replaced one by one."""
    for src in data_dir.rglob("*"):
        if src.is_file():
            dst = target / src.relative_to(data_dir)
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.symlink_to(src)
    return target


def _rewrite(path: Path, change: Callable[[bytes], bytes]) -> None:
    raw = path.read_bytes()
    gz = path.suffix == ".gz"
    new = change(gzip.decompress(raw) if gz else raw)
    path.unlink()
    path.write_bytes(gzip.compress(new, compresslevel=1, mtime=0) if gz else new)


def _replace_line(number: int, change: Callable[[bytes], bytes]) -> Callable[[bytes], bytes]:
    def apply(data: bytes) -> bytes:
        lines = data.split(b"\n")
        lines[number - 1] = change(lines[number - 1])
        return b"\n".join(lines)

    return apply


def _line_with(needle: bytes, change: Callable[[bytes], bytes]) -> Callable[[bytes], bytes]:
    def apply(data: bytes) -> bytes:
        lines = data.split(b"\n")
        i = next(i for i, line in enumerate(lines) if needle in line)
        lines[i] = change(lines[i])
        return b"\n".join(lines)

    return apply


def _append_changed(number: int, old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    """Append a copy of line ``number`` with ``old`` replaced by ``new``: a second row with the same key."""

    def apply(data: bytes) -> bytes:
        line = data.split(b"\n")[number - 1]
        assert old in line
        return data.rstrip(b"\n") + b"\n" + line.replace(old, new, 1) + b"\n"

    return apply


INTERLEUVEN_KBO = b'"0205774810"'
FAULTS = {
    # name: (file, change, expected code, expected text naming the place)
    "truncated gzip": (
        "lblod/organisations.nt.gz",
        None,
        "truncated-file",
        "lblod/organisations.nt.gz",
    ),
    "truncated N-Triples line": (
        "lblod/organisations.nt.gz",
        _replace_line(1000, lambda b: b[:60]),
        "invalid-rdf",
        "lblod/organisations.nt.gz line 1000",
    ),
    # Governing bodies (lines 32,748-95,701) are checked, not read: a damaged line there is still found, and the
    # lines after them keep their numbers.
    "damaged line among the governing bodies": (
        "lblod/organisations.nt.gz",
        _replace_line(50000, lambda b: b[:70]),
        "invalid-rdf",
        "lblod/organisations.nt.gz line 50000",
    ),
    "damaged line after the governing bodies": (
        "lblod/organisations.nt.gz",
        _replace_line(140000, lambda b: b[:70]),
        "invalid-rdf",
        "lblod/organisations.nt.gz line 140000",
    ),
    "invalid KBO number": (
        "lblod/organisations.nt.gz",
        _line_with(INTERLEUVEN_KBO, lambda b: b.replace(b"0205774810", b"0205774811")),
        "invalid-kbo-number",
        "lblod/organisations.nt.gz line",
    ),
    "dangling membership": (
        "lblod/organisations.nt.gz",
        _line_with(
            b"/ns/org#member> <http://data.lblod.info/id/bestuurseenheden/",
            lambda b: b.replace(b"/bestuurseenheden/", b"/bestuurseenheden/gone-"),
        ),
        "dangling-reference",
        "lblod/organisations.nt.gz line",
    ),
    "classification missing from concepts": (
        "lblod/concepts.nt.gz",
        lambda d: b"\n".join(
            x
            for x in d.split(b"\n")
            if b"5ab0e9b8a3b2ca7c5e000002> <http://www.w3.org/2004/02/skos/core#prefLabel>" not in x
        ),
        "dangling-reference",
        "lblod/organisations.nt.gz line",
    ),
    "wrong encoding": (
        "regions/memberships.csv",
        _line_with(b"Hooglede", lambda b: b.replace(b"Hooglede", b"Hoogl\xe9de")),
        "wrong-encoding",
        "regions/memberships.csv line 2",
    ),
    "wrong encoding in the register snapshot": (
        "lblod/organisations.nt.gz",
        _line_with(b"8830 Hooglede, Belgi", lambda b: b.replace("België".encode(), b"Belgi\xeb")),
        "wrong-encoding",
        "lblod/organisations.nt.gz line 4787",
    ),
    "unknown layer": (
        "regions/memberships.csv",
        _replace_line(
            214,
            lambda b: (
                b.replace(b"bovenlokale-cultuur", b"erfgoedcell", 1)
                if b.startswith(b"bovenlokale")
                else b"erfgoedcell" + b[b.index(b",") :]
            ),
        ),
        "unknown-layer",
        "regions/memberships.csv line 214",
    ),
    "invalid NIS code in a layer": (
        "regions/memberships.csv",
        _line_with(b"Hooglede,36006", lambda b: b.replace(b"36006", b"3600X")),
        "invalid-nis-code",
        "regions/memberships.csv line 2",
    ),
    "invalid NIS code of a municipality": (
        "regions/municipalities.csv",
        _replace_line(5, lambda b: b"1100" + b[5:]),
        "invalid-nis-code",
        "regions/municipalities.csv line 5",
    ),
    "dangling merger reference": (
        "regions/municipalities.csv",
        _line_with(b"11007,Borsbeek", lambda b: b.replace(b",11002,", b",11999,")),
        "dangling-reference",
        "regions/municipalities.csv line",
    ),
    "a start date no register holds": (
        "regions/municipalities.csv",
        _line_with(b"11007,Borsbeek", lambda b: b.replace(b",1970-01-01,", b",0001-01-01,")),
        "invalid-date",
        "regions/municipalities.csv line",
    ),
    "truncated CSV": (
        "regions/municipalities.csv",
        lambda d: d[: len(d) // 2],
        "truncated-file",
        "regions/municipalities.csv line",
    ),
    "truncated layers file": (
        "regions/layers.csv",
        lambda d: d[: len(d) - 200],
        "truncated-file",
        "regions/layers.csv line",
    ),
    "header and no rows": (
        "regions/memberships.csv",
        lambda d: d.split(b"\n", 1)[0] + b"\n",
        "empty-file",
        "regions/memberships.csv line 2",
    ),
    "a row repeated exactly": (
        "regions/memberships.csv",
        lambda d: d.rstrip(b"\n") + b"\n" + d.split(b"\n")[1] + b"\n",
        "duplicate-row",
        "repeats line 2 exactly",
    ),
    "a second row for a NIS code": (
        "regions/municipalities.csv",
        _append_changed(6, b",Borsbeek,", b",Dubbel,"),
        "duplicate-key",
        "regions/municipalities.csv line 314: nis_code '11007' is the key of line 6 already",
    ),
    "a second row for a layer": (
        "regions/layers.csv",
        _append_changed(2, b"Intermunicipal partnerships", b"Partnerships"),
        "duplicate-key",
        "regions/layers.csv line 21: layer 'bovenlokale-cultuur' is the key of line 2 already",
    ),
    "a second row for a member of a region in one snapshot": (
        "regions/memberships.csv",
        _append_changed(2, b",2020,", b",2021,"),
        "duplicate-key",
        "regions/memberships.csv line 6279: the key bovenlokale-cultuur / bie-midwest / 36006",
    ),
    "a second row for a locality": (
        "places/localities.csv",
        _append_changed(2, b",inside,", b",outside,"),
        "duplicate-key",
        "places/localities.csv line 1180: postcode '1500', locality_nl 'Halle' is the key of line 2",
    ),
    "a second row for a theme": (
        "themes/themes.csv",
        _append_changed(2, b"Afval en/of recyclage", b"Afval"),
        "duplicate-key",
        "themes/themes.csv line 34",
    ),
    "a second row for a theme of a cooperation": (
        "themes/igs-themes.csv",
        _append_changed(8, b"https://www.c-smart.be/cipal/", b"https://www.cipal.be/"),
        "duplicate-key",
        "themes/igs-themes.csv line 213",
    ),
    "a second row for a published member": (
        "published/cooperations.csv",
        _append_changed(2, b",member list,", b",mention,"),
        "duplicate-key",
        "published/cooperations.csv line 281",
    ),
    "a second organisation with one id": (
        "lblod/organisations.nt.gz",
        lambda d: _second_uuid(d),
        "duplicate-key",
        "lblod/organisations.nt.gz line 14737: the organisation id (mu:uuid) '",
    ),
    "a second figure for a municipality and year": (
        "population/population.csv",
        _append_changed(2, b",14890,", b",14891,"),
        "duplicate-key",
        "population/population.csv line 587: nis '11001', year '2024' is the key of line 2 already",
    ),
    "a NUL byte": (
        "regions/memberships.csv",
        _replace_line(3, lambda b: b[:10] + b"\x00" + b[10:]),
        "nul-byte",
        "regions/memberships.csv line 3",
    ),
    "a file cut at a line ending": (
        "regions/memberships.csv",
        lambda d: b"\n".join(d.split(b"\n")[:2001]) + b"\n",
        "import-shrinks",
        "regions/memberships.csv",
    ),
    "an empty concepts file": (
        "lblod/concepts.nt.gz",
        lambda d: b"",
        "empty-file",
        "lblod/concepts.nt.gz: the file holds no triples",
    ),
    "an empty register snapshot": (
        "lblod/organisations.nt.gz",
        lambda d: b"",
        "empty-file",
        "lblod/organisations.nt.gz",
    ),
    "truncated shapefile": (
        "geo/gemeente.shp",
        lambda d: d[: len(d) // 3],
        "truncated-file",
        "geo/gemeente.shp",
    ),
}


def _second_uuid(data: bytes) -> bytes:
    """The second organisation of the register gets the first one's mu:uuid."""
    lines = data.split(b"\n")
    at = [
        i
        for i, line in enumerate(lines)
        if line.startswith(b"<http://data.lblod.info/id/bestuurseenheden/") and b"/core/uuid> " in line
    ][:2]
    first = lines[at[0]].split(b"> ", 2)[2]
    lines[at[1]] = b"> ".join(lines[at[1]].split(b"> ", 2)[:2]) + b"> " + first
    return b"\n".join(lines)


def test_a_second_row_for_a_nis_code_names_both_rows_and_renames_nothing(
    bad_data: Path, imported_copy_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("IGSATLAS_DATABASE_URL", imported_copy_url)
    _corrupt(bad_data, "a second row for a NIS code")
    assert main(["import"]) == 1
    err = capsys.readouterr().err
    assert "error [duplicate-key] regions/municipalities.csv line 314: nis_code '11007'" in err
    assert "  line 6: 11007,Borsbeek,Antwerpen,1970-01-01,2024-12-31,11002,yes,no," in err
    assert "  line 314: 11007,Dubbel,Antwerpen,1970-01-01,2024-12-31,11002,yes,no," in err
    assert "Keep one of the two (delete or correct line 314 or line 6)" in err
    engine = make_engine(imported_copy_url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT name, slug FROM municipality WHERE nis = '11007'").one() == (
            "Borsbeek",
            "borsbeek",
        )
    engine.dispose()


def test_a_second_boundary_for_a_nis_code_is_named_by_record(
    bad_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shapefile

    stem = bad_data / "geo" / "gemeente"
    with shapefile.Reader(str(stem)) as reader:
        fields, records = reader.fields[1:], list(reader.iterShapeRecords())
    for suffix in (".shp", ".shx", ".dbf"):
        stem.with_suffix(suffix).unlink()
    with (
        open(stem.with_suffix(".shp"), "w+b") as shp,
        open(stem.with_suffix(".shx"), "w+b") as shx,
        open(stem.with_suffix(".dbf"), "w+b") as dbf,
        shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=records[0].shape.shapeType) as writer,
    ):
        writer.fields = fields
        for sr in [*records, records[0]]:  # the first municipality twice
            writer.shape(sr.shape)
            writer.record(*sr.record)
    assert main(["import"]) == 1
    err = capsys.readouterr().err
    assert "error [duplicate-key] geo/gemeente.dbf (record 305): geoitem " in err
    assert "is the key of record 1 already" in err


def test_a_folder_or_a_link_loop_in_place_of_a_file_is_named(
    bad_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = bad_data / "regions" / "layers.csv"
    target.unlink()
    target.mkdir()
    assert main(["import"]) == 1
    assert "error [not-a-file] regions/layers.csv: this is a folder, not a file" in capsys.readouterr().err
    target.rmdir()
    target.symlink_to(target)  # a link to itself
    assert main(["import"]) == 1
    assert "error [broken-link] regions/layers.csv: the file is a link that leads nowhere or to itself" in (
        capsys.readouterr().err
    )


def test_a_shrunk_file_is_imported_when_allowed(
    bad_data: Path, imported_copy_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("IGSATLAS_DATABASE_URL", imported_copy_url)  # the register as a full import left it
    _corrupt(bad_data, "a file cut at a line ending")
    assert main(["import", "--allow-shrink", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["kinds"]["membership"]["removed"] > 3000


def _corrupt(data: Path, fault: str) -> None:
    name, change, *_ = FAULTS[fault]
    path = data / name
    if change is None:  # cut a gzip file short
        raw = path.read_bytes()
        path.unlink()
        path.write_bytes(raw[: len(raw) // 2])
    else:
        _rewrite(path, change)


@pytest.fixture
def bad_data(data_dir: Path, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder of our own to corrupt, set as IGSATLAS_DATA_DIR along with the test's database."""
    bad = _copy_data(data_dir, tmp_path / "data")
    monkeypatch.setenv("IGSATLAS_DATA_DIR", str(bad))
    monkeypatch.setenv("IGSATLAS_DATABASE_URL", database_url)
    return bad


@pytest.fixture(scope="module")
def imported_digest(writable_url: str) -> str:
    """The register imported once for all the bad-file cases: each must leave it exactly as it was."""
    engine = make_engine(writable_url)
    digest = content_digest(engine)
    engine.dispose()
    return digest


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_bad_input_stops_and_leaves_the_database_as_it_was(
    fault: str,
    data_dir: Path,
    writable_url: str,
    imported_digest: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = _copy_data(data_dir, tmp_path / "data")
    monkeypatch.setenv("IGSATLAS_DATA_DIR", str(bad))
    monkeypatch.setenv("IGSATLAS_DATABASE_URL", writable_url)
    _corrupt(bad, fault)

    assert main(["import"]) == 1

    _, _, code, place = FAULTS[fault]
    message = capsys.readouterr().err
    assert f"error [{code}]" in message
    assert place in message
    assert "Nothing was imported" in message
    engine = make_engine(writable_url)
    assert content_digest(engine) == imported_digest
    engine.dispose()


def test_bad_input_on_an_empty_database_writes_nothing(bad_data: Path, engine: Engine) -> None:
    _corrupt(bad_data, "unknown layer")
    before = content_digest(engine)
    assert main(["import"]) == 1
    assert content_digest(engine) == before


def test_skip_invalid_imports_the_rest_and_lists_the_rejects(
    bad_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _corrupt(bad_data, "unknown layer")
    _corrupt(bad_data, "invalid KBO number")

    assert main(["import", "--skip-invalid", "--json"]) == 0

    report = json.loads(capsys.readouterr().out)
    assert report["kinds"]["layer membership"]["rejected"] == 1
    assert report["kinds"]["organisation"]["rejected"] == 1
    assert any("erfgoedcell" in r and "line 214" in r for r in report["rejects"])
    assert any("invalid-kbo-number" in r for r in report["rejects"])
    # Interleuven was rejected, so its 30 memberships could not be linked and are rejected too
    assert report["kinds"]["membership"]["rejected"] == 30
    assert report["kinds"]["organisation"]["inserted"] == 1427 + 359 + 28 - 1


def test_missing_data_folder_names_the_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    monkeypatch.setenv("IGSATLAS_DATA_DIR", str(tmp_path / "nowhere"))
    monkeypatch.setenv("IGSATLAS_DATABASE_URL", database_url)
    assert main(["import"]) == 1
    assert "IGSATLAS_DATA_DIR" in capsys.readouterr().err


def test_copy_helper_does_not_touch_the_originals(data_dir: Path, tmp_path: Path) -> None:
    bad = _copy_data(data_dir, tmp_path / "data")
    _corrupt(bad, "truncated CSV")
    assert (data_dir / "regions" / "municipalities.csv").stat().st_size > (
        bad / "regions" / "municipalities.csv"
    ).stat().st_size
    assert shutil.disk_usage(tmp_path).free > 0


@pytest.mark.parametrize("skip", [(), ("http://example.org/skipped/",)])
def test_a_bad_n_triples_line_is_named_by_one_line_number(skip: tuple[str, ...]) -> None:
    """The file is parsed in runs (skipped subjects are only checked); the parser's own line numbers count from
    the start of a run, so they must not reach the message."""
    lines = [f'<http://example.org/a/{i}> <http://example.org/p> "{i}" .' for i in range(1, 4)]
    lines += [f'<http://example.org/skipped/{i}> <http://example.org/p> "{i}" .' for i in range(4, 8)]
    lines += [f'<http://example.org/b/{i}> <http://example.org/p> "{i}" .' for i in range(8, 12)]
    lines[9] = lines[9][:30]  # line 10: an IRI cut short
    with pytest.raises(InputError) as caught:
        parse_ntriples("\n".join(lines).encode(), "x.nt", skip_subjects=skip)
    text = caught.value.render()
    assert text.startswith("error [invalid-rdf] x.nt line 10: not valid N-Triples")
    assert re.findall(r"line (\d+)", text) == ["10"] * len(re.findall(r"line (\d+)", text))
    assert "\n" not in text.split("\n")[0][len("error") :] and "column" in text


def test_a_file_without_triples_is_empty() -> None:
    with pytest.raises(InputError, match="the file holds no triples") as caught:
        parse_ntriples(b"# only a comment\n\n", "lblod/concepts.nt.gz")
    assert caught.value.code == "empty-file"


def test_a_failing_import_kills_its_worker_instead_of_waiting_for_it() -> None:
    started = time.monotonic()
    with pytest.raises(ValueError, match="a bad CSV file"), in_worker(time.sleep, 60):
        raise ValueError("a bad CSV file")
    assert time.monotonic() - started < 10


def test_the_worker_s_answer_and_its_error_reach_the_import() -> None:
    with in_worker(sorted, [3, 1, 2]) as answer:
        assert answer() == [1, 2, 3]
    with in_worker(int, "x") as answer, pytest.raises(ValueError, match="invalid literal"):
        answer()
