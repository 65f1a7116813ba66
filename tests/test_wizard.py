"""The decision wizard: every path through it, and the paths a municipality is likely to take."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from starlette.testclient import TestClient

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


# -- no reason contradicts an answer (issue: "Nee, de partners zetten hun eigen mensen en middelen in" gave
# "Een afgebakend project met eigen middelen")

# An answer -> what the recommended form's own reasons may then not say.
CONTRADICTS = {
    ("middelen", "nee"): ("met eigen middelen",),
    ("middelen", "ja"): ("Zonder eigen personeel",),
    ("overdracht", "nee"): ("De gemeenten dragen de taak over",),
    ("privaat", "nee"): ("Private partners kunnen",),
    ("duur", "lang"): ("hoogstens zes jaar",),
}
# An answer -> a question neither choice may ask again.
ASKED = {("doel", "project"): ("Is het eerder een afgebakend project",)}


def _every_answer() -> list[dict[str, str]]:
    import itertools

    from igsatlas.legal.wizard import QUESTIONS

    ids = [q.id for q in QUESTIONS]
    return [
        dict(zip(ids, combo, strict=True))
        for combo in itertools.product(*[[v for v, _ in q.options] for q in QUESTIONS])
    ]


def test_no_reason_on_any_path_contradicts_an_answer() -> None:
    from igsatlas.legal.wizard import recommend

    paths = _every_answer()
    assert len(paths) == 4 * 2 * 2 * 2 * 2 * 3 * 4
    bad = []
    for a in paths:
        r = recommend(a)
        own, both = " ".join(r.best.reasons), " ".join(r.best.reasons + r.runner_up.reasons)
        bad += [(q, v, a) for (q, v), phrases in CONTRADICTS.items() if a[q] == v and any(p in own for p in phrases)]
        bad += [(q, v, a) for (q, v), phrases in ASKED.items() if a[q] == v and any(p in both for p in phrases)]
        assert r.best.reasons, a  # every outcome says why
    assert bad == []


def test_a_long_project_is_still_a_project_and_the_runner_up_does_not_ask_it_again() -> None:
    from igsatlas.legal.wizard import recommend

    a = {"doel": "project", "middelen": "ja", "overdracht": "nee", "privaat": "nee", "duur": "lang"}
    r = recommend({**a, "partners": "gemeenten", "erkenning": "geen"})
    assert r.best.form == "projectvereniging" and r.runner_up.form == "dienstverlenende_vereniging"
    assert any("verlengd" in x for x in r.best.reasons)


def test_contradictory_answers_are_named_and_the_user_chooses(client: TestClient) -> None:
    from igsatlas.legal.wizard import conflicts

    assert conflicts({"doel": "taak", "overdracht": "nee"})
    assert not conflicts({"doel": "taak", "overdracht": "ja", "middelen": "ja"})
    q = "doel=taak&middelen=ja&overdracht=nee&privaat=nee&duur=lang&partners=gemeenten&erkenning=geen"
    doc = client.get(f"/rechtsvormen/keuzehulp.json?{q}").json()
    [conflict] = doc["tegenstrijdig"]
    assert {k["tekst"] for k in conflict["keuzes"]} == {
        "De gemeenten dragen de taak over",
        "Het gaat om een gemeenschappelijke dienst",
    }
    assert "overdracht=ja" in conflict["keuzes"][0]["url"]
    page = client.get(f"/rechtsvormen/keuzehulp?{q}").text
    assert "Deze antwoorden spreken elkaar tegen." in page


def test_confidence_is_high_only_where_a_current_article_is_confirmed(client: TestClient) -> None:
    import re

    page = client.get("/rechtsvormen").text.split('<table class="vergelijking">', 1)[1]  # the table, not the cards
    cells = re.findall(r'<span class="artikels">(.*?)</span>(.*?)</td>', page, re.S)
    assert len(cells) > 50
    assert not [c for c in cells if "zekerheid: hoog" in c[1] and ("geen artikel" in c[0] or "niet bevestigd" in c[1])]
    assert any("zekerheid: hoog" in c[1] for c in cells)
    q = "doel=project&middelen=nee&overdracht=nee&privaat=nee&duur=kort&partners=gemeenten&erkenning=erfgoedcel"
    advice = client.get(f"/rechtsvormen/keuzehulp.json?{q}").json()["advies"]["aanbevolen"]
    levels = {g["zekerheid"] for g in advice["gevolgen"]}
    assert advice["zekerheid"] == min(levels, key=("laag", "middel", "hoog").index)
    assert all(b["adres"].startswith("http") for g in advice["gevolgen"] for b in g["bronnen"])
    wizard = client.get(f"/rechtsvormen/keuzehulp?{q}").text
    assert 'class="bronnen">bron: <a href="https://' in wizard
