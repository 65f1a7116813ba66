"""The decision wizard: every path through it, and the paths a municipality is likely to take."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from igsatlas.documents.legal import consequences
from igsatlas.errors import InvalidArgumentError
from igsatlas.legal.reference import load
from igsatlas.legal.texts import COMPARED_FORMS
from igsatlas.legal.wizard import QUESTIONS, recommend

ALL_PATHS = [
    dict(zip((q.id for q in QUESTIONS), values, strict=True))
    for values in itertools.product(*([v for v, _ in q.options] for q in QUESTIONS))
]


def test_there_are_768_paths() -> None:
    assert len(ALL_PATHS) == 4 * 2 * 2 * 2 * 2 * 3 * 4


@pytest.mark.parametrize("answers", ALL_PATHS, ids=lambda a: "-".join(a.values()))
def test_every_path_gives_two_different_forms_with_reasons(answers: dict[str, str]) -> None:
    r = recommend(answers)
    assert r.best.form != r.runner_up.form
    assert r.best.form in COMPARED_FORMS and r.runner_up.form in COMPARED_FORMS
    assert r.best.reasons and r.runner_up.reasons
    if answers["privaat"] == "ja":
        assert r.best.form == "ov_private_deelname"
    elif answers["partners"] == "ocmw":
        assert r.best.form == "welzijnsvereniging"
    elif answers["overdracht"] == "ja" or answers["doel"] == "taak":
        assert r.best.form == "opdrachthoudende_vereniging"
    if answers["erkenning"] != "geen":
        assert r.best.form not in ("overleg", "interlokale_vereniging")  # recognition needs legal personality
        assert any("85.000" in n for n in r.notes)
    if answers["middelen"] == "ja":
        assert r.best.form != "overleg"


@pytest.mark.parametrize(
    ("answers", "best", "runner_up"),
    [
        (
            {
                "doel": "project",
                "middelen": "ja",
                "overdracht": "nee",
                "privaat": "nee",
                "duur": "kort",
                "partners": "gemeenten",
                "erkenning": "erfgoedcel",
            },
            "projectvereniging",
            "dienstverlenende_vereniging",
        ),
        (
            {
                "doel": "taak",
                "middelen": "ja",
                "overdracht": "ja",
                "privaat": "nee",
                "duur": "lang",
                "partners": "gemeenten",
                "erkenning": "geen",
            },
            "opdrachthoudende_vereniging",
            "dienstverlenende_vereniging",
        ),
        (
            {
                "doel": "dienst",
                "middelen": "ja",
                "overdracht": "nee",
                "privaat": "nee",
                "duur": "lang",
                "partners": "breed",
                "erkenning": "geen",
            },
            "dienstverlenende_vereniging",
            "projectvereniging",
        ),
        (
            {
                "doel": "overleg",
                "middelen": "nee",
                "overdracht": "nee",
                "privaat": "nee",
                "duur": "kort",
                "partners": "gemeenten",
                "erkenning": "geen",
            },
            "overleg",
            "interlokale_vereniging",
        ),
        (
            {
                "doel": "dienst",
                "middelen": "nee",
                "overdracht": "nee",
                "privaat": "nee",
                "duur": "kort",
                "partners": "gemeenten",
                "erkenning": "geen",
            },
            "interlokale_vereniging",
            "projectvereniging",
        ),
        (
            {
                "doel": "taak",
                "middelen": "ja",
                "overdracht": "ja",
                "privaat": "ja",
                "duur": "lang",
                "partners": "breed",
                "erkenning": "geen",
            },
            "ov_private_deelname",
            "opdrachthoudende_vereniging",
        ),
        (
            {
                "doel": "dienst",
                "middelen": "ja",
                "overdracht": "nee",
                "privaat": "nee",
                "duur": "lang",
                "partners": "ocmw",
                "erkenning": "geen",
            },
            "welzijnsvereniging",
            "dienstverlenende_vereniging",
        ),
    ],
)
def test_typical_paths(answers: dict[str, str], best: str, runner_up: str) -> None:
    r = recommend(answers)
    assert (r.best.form, r.runner_up.form) == (best, runner_up)


def test_missing_or_wrong_answers_are_named() -> None:
    with pytest.raises(InvalidArgumentError) as info:
        recommend({"doel": "project"})
    assert info.value.code == "invalid-answer"
    assert "Hebben jullie eigen personeel" in info.value.message


def test_consequences_carry_articles_and_confidence(data_dir: Path) -> None:
    reference = load(data_dir.parent / "reference")
    facts = {c["criterium"]: c for c in consequences(reference, "projectvereniging")}
    assert facts["Duur en verlenging"]["tekst"].startswith("Zes jaar")
    assert any("art. 13 DIS" in a for a in facts["Duur en verlenging"]["artikels"])
    assert facts["Duur en verlenging"]["bevestigd"] is False  # only the repealed DIS article is confirmed
    assert facts["Rechtspersoonlijkheid"]["bevestigd"] is True  # art. 398 §2 1° DLB
    assert facts["Rechtspersoonlijkheid"]["zekerheid"] == "hoog"
    assert "2031" in facts["Regiodecreet"]["tekst"]
    assert "Regiodecreet" not in {c["criterium"] for c in consequences(reference, "welzijnsvereniging")} or (
        "niet" in {c["criterium"]: c for c in consequences(reference, "welzijnsvereniging")}["Regiodecreet"]["tekst"]
    )
