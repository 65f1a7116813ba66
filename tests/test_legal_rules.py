"""Compliance rules: constructed cases on both sides of each boundary, and the real register."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from igsatlas.analysis.fit import fit, region_members
from igsatlas.errors import InputError
from igsatlas.legal.findings import Finding, Subject
from igsatlas.legal.reference import Reference, load, parse
from igsatlas.legal.rules import RULES_BY_ID

DAY = date(2025, 6, 1)
PARTITION = {"1": "A", "2": "A", "3": "A", "4": "B", "5": "B"}


@pytest.fixture(scope="module")
def reference(data_dir: Path) -> Reference:
    return load(data_dir.parent / "reference")


def subject(**changes: object) -> Subject:
    base = Subject(
        id="x",
        name="Proef",
        url="/x",
        kind="projectvereniging",
        form="projectvereniging",
        active=True,
        day=DAY,
        founded=None,
        municipalities={"1": "Een", "2": "Twee"},
    )
    return Subject(**{**base.__dict__, **changes})  # type: ignore[arg-type]


def check(rule_id: str, s: Subject, reference: Reference) -> Finding:
    rule = RULES_BY_ID[rule_id]
    assert rule.applies(s)
    return rule.check(s, reference, rule)


@pytest.mark.parametrize(
    ("form", "founded", "status"),
    [
        ("projectvereniging", date(2019, 6, 2), "in-orde"),  # six years end on 2025-06-02
        ("projectvereniging", date(2019, 6, 1), "afwijking"),  # six years ended on 2025-06-01
        ("dienstverlenende_vereniging", date(2007, 6, 2), "in-orde"),  # 18 years
        ("dienstverlenende_vereniging", date(2007, 6, 1), "afwijking"),
        ("opdrachthoudende_vereniging", date(2007, 6, 1), "afwijking"),
        ("projectvereniging", None, "niet-te-controleren"),
    ],
)
def test_term_maximum(form: str, founded: date | None, status: str, reference: Reference) -> None:
    f = check("looptijd-maximum", subject(form=form, founded=founded), reference)
    assert f.status == status
    if status == "niet-te-controleren":
        assert "geen oprichtingsdatum" in f.message


@pytest.mark.parametrize(
    ("founded", "status"),
    [
        (date(2019, 6, 1), "afwijking"),  # ended today: expired, never "in orde"
        (date(2019, 6, 2), "afwijking"),
        (date(2020, 6, 1), "afwijking"),
        (date(2020, 6, 2), "in-orde"),
    ],
)
def test_term_ending_within_twelve_months(founded: date, status: str, reference: Reference) -> None:
    # ends 2025-06-02 (tomorrow) .. 2026-06-01 (in exactly twelve months): warn; ended already: expired; later: fine
    assert check("looptijd-einde", subject(founded=founded), reference).status == status


@pytest.mark.parametrize(
    ("founded", "planned_end"),
    [(date(1964, 1, 1), None), (date(1964, 1, 1), date(2037, 1, 1)), (date(2019, 6, 1), None), (None, None)],
)
def test_the_two_term_rules_never_contradict(
    founded: date | None, planned_end: date | None, reference: Reference
) -> None:
    s = subject(form="dienstverlenende_vereniging", kind="dienstverlenende-vereniging", founded=founded)
    s = subject(**{**s.__dict__, "planned_end": planned_end})
    maximum, ending = check("looptijd-maximum", s, reference), check("looptijd-einde", s, reference)
    assert not (maximum.status == "afwijking" and ending.status == "in-orde")
    assert ("verstreken" in maximum.message) == ("verstreken" in ending.message)


def test_an_accepted_planned_end_is_the_term_s_end(reference: Reference) -> None:
    """Interleuven: founded long ago, a planned end in 2037 accepted from its statutes: renewed, not expired."""
    s = subject(form="dienstverlenende_vereniging", founded=date(1964, 12, 14), planned_end=date(2037, 6, 30))
    f = check("looptijd-maximum", s, reference)
    assert f.status == "in-orde" and "30 juni 2037" in f.checked
    assert check("looptijd-einde", s, reference).status == "in-orde"


def test_certainty_is_never_high_without_a_confirmed_article(reference: Reference) -> None:
    # the reference rates the 18 years 'high' but confirms only the repealed DIS article, not the DLB one
    f = check("looptijd-maximum", subject(form="dienstverlenende_vereniging", founded=date(2007, 6, 1)), reference)
    assert any("niet" in r for r in f.refs) and f.confidence == "middel"
    for form in ("projectvereniging", "dienstverlenende_vereniging", "opdrachthoudende_vereniging"):
        for rule in ("looptijd-maximum", "looptijd-einde", "minimum-gemeenten", "toegelaten-deelnemers"):
            f = check(rule, subject(form=form, founded=date(2010, 1, 1)), reference)
            confirmed = all("niet bevestigd" not in r and "niet gekend" not in r for r in f.refs)
            assert f.confidence != "hoog" or confirmed, (form, rule, f.refs)


@pytest.mark.parametrize(
    ("members", "status"), [({}, "afwijking"), ({"1": "Een"}, "afwijking"), ({"1": "Een", "2": "Twee"}, "in-orde")]
)
def test_minimum_two_municipalities(members: dict[str, str], status: str, reference: Reference) -> None:
    f = check("minimum-gemeenten", subject(municipalities=members), reference)
    assert f.status == status
    assert f.severity == "ernstig"


def test_inactive_organisations_are_not_checked() -> None:
    assert not RULES_BY_ID["minimum-gemeenten"].applies(subject(active=False))


@pytest.mark.parametrize(
    ("form", "kinds", "status"),
    [
        (
            "dienstverlenende_vereniging",
            {"Zorg vzw": "vereniging-of-vennootschap-voor-sociale-dienstverlening"},
            "afwijking",
        ),
        ("dienstverlenende_vereniging", {"Gent": "gemeente", "OCMW Gent": "ocmw"}, "in-orde"),
        ("ov_private_deelname", {"Zorg vzw": "vereniging-algemeen"}, "in-orde"),
    ],
)
def test_participant_kinds(form: str, kinds: dict[str, str], status: str, reference: Reference) -> None:
    f = check("toegelaten-deelnemers", subject(form=form, member_kinds=kinds), reference)
    assert f.status == status
    assert f.confidence == "laag"  # the reference is unsure which participants the DLB allows


@pytest.mark.parametrize(
    ("members", "themes", "status", "deadline"),
    [
        ({"1", "2", "3"}, (), "in-orde", "1 januari 2031"),
        ({"1", "2"}, (), "in-orde", "1 januari 2031"),
        ({"1", "2", "4"}, (), "afwijking", "1 januari 2031"),
        ({"1", "2", "4"}, ("Afval en/of recyclage",), "afwijking", "1 januari 2037"),
    ],
)
def test_regiodecreet_fit(
    members: set[str], themes: tuple[str, ...], status: str, deadline: str, reference: Reference
) -> None:
    found = fit(frozenset(members), PARTITION, region_members(PARTITION))
    f = check("regiodecreet-referentieregio", subject(fit=found, themes=themes, reference_region="Regio A"), reference)
    assert f.status == status
    assert deadline in f.checked


@pytest.mark.parametrize(
    ("inhabitants", "count", "day", "status"),
    [
        (85_000, 2, DAY, "in-orde"),
        (84_999, 3, DAY, "afwijking"),
        (84_999, 4, DAY, "in-orde"),  # transition rule: four municipalities until 2032
        (84_999, 4, date(2032, 1, 1), "afwijking"),
    ],
)
def test_culture_threshold(inhabitants: int, count: int, day: date, status: str, reference: Reference) -> None:
    members = {str(i): f"G{i}" for i in range(count)}
    s = subject(
        layers=("bovenlokale-cultuur",), inhabitants=inhabitants, population_year=2020, municipalities=members, day=day
    )
    f = check("bovenlokale-cultuur-drempel", s, reference)
    assert f.status == status
    assert "1 januari 2020" in f.checked  # the year of the population figures is shown


@pytest.mark.parametrize(
    ("inhabitants", "ioed", "status"),
    [(85_000, False, "in-orde"), (60_000, False, "afwijking"), (60_000, True, "in-orde")],
)
def test_heritage_threshold(inhabitants: int, ioed: bool, status: str, reference: Reference) -> None:
    s = subject(layers=("erfgoedcel",), inhabitants=inhabitants, population_year=2020, same_members_as_ioed=ioed)
    assert check("erfgoedcel-drempel", s, reference).status == status


@pytest.mark.parametrize(
    ("count", "inhabitants", "area", "region_km2", "status"),
    [
        (2, 200_000, 400.0, None, "afwijking"),  # fewer than three municipalities
        (3, 100_000, 100.0, None, "in-orde"),
        (3, 99_999, 250.0, None, "in-orde"),
        (3, 99_999, 249.0, None, "afwijking"),
        (3, 99_999, 200.0, 400.0, "in-orde"),  # half of a small reference region
        (3, 99_999, 199.0, 400.0, "afwijking"),
    ],
)
def test_ioed_threshold(
    count: int, inhabitants: int, area: float, region_km2: float | None, status: str, reference: Reference
) -> None:
    members = {str(i): f"G{i}" for i in range(count)}
    s = subject(
        layers=("ioed",),
        municipalities=members,
        inhabitants=inhabitants,
        population_year=2020,
        area_km2=area,
        reference_region_km2=region_km2,
    )
    assert check("ioed-drempel", s, reference).status == status


def test_unconfirmed_articles_are_marked(reference: Reference) -> None:
    f = check("minimum-gemeenten", subject(), reference)
    # an article the sources do not name is "niet gekend", said once; a named one not checked is "niet bevestigd"
    assert all("niet bevestigd" in r or r.endswith("artikel niet gekend") for r in f.refs)
    assert not [r for r in f.refs if "niet gekend" in r and "niet bevestigd" in r]
    term = check("looptijd-maximum", subject(founded=date(2020, 1, 1)), reference)
    assert any("DIS" in r and "opgeheven" in r for r in term.refs)


def test_a_broken_reference_names_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "legal-forms.json"
    bad.write_text('{"forms": [{"id": "pv", "name_nl": "PV", "max": {"value": 6, "confidence": "zeker"}}]}', "utf-8")
    with pytest.raises(InputError) as info:
        parse(bad)
    assert "forms[pv].max.confidence" in info.value.message
    assert info.value.code == "invalid-reference"


@pytest.mark.parametrize(
    ("rule", "layer"), [("bovenlokale-cultuur-drempel", "bovenlokale-cultuur"), ("erfgoedcel-drempel", "erfgoedcel")]
)
def test_thresholds_without_population_cannot_be_checked(rule: str, layer: str, reference: Reference) -> None:
    f = check(rule, subject(layers=(layer,), inhabitants=None), reference)
    assert f.status == "niet-te-controleren"
    assert "geen bevolkingscijfers" in f.message
