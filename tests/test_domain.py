"""Pure domain rules: KBO and NIS validation, periods."""

from __future__ import annotations

from datetime import date

import pytest

from igsatlas.domain.identifiers import (
    ORGANISATION_ID_LENGTH,
    bounded_id,
    establishment_number_is_valid,
    format_kbo,
    kbo_is_valid,
    nis_is_valid,
    normalise_kbo,
)
from igsatlas.domain.periods import Period, parse_day, partial_day


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("0207524471", True),  # a Flemish municipality's KBO number in the snapshot
        ("0207.524.471", True),
        ("207524471", True),  # old 9-digit form
        ("0207524472", False),  # check digits off by one
        ("0680397589", False),  # the one defect of the LBLOD snapshot
        ("2165162239", False),  # an establishment-unit number, not an enterprise number
        ("02075244", False),
    ],
)
def test_kbo_check_digits(text: str, valid: bool) -> None:
    assert kbo_is_valid(text) is valid


def test_establishment_number_uses_same_check() -> None:
    assert establishment_number_is_valid("2165162239")
    assert not establishment_number_is_valid("2165162238")
    assert not establishment_number_is_valid("0207524471")


def test_kbo_formatting() -> None:
    assert normalise_kbo("BE 0207.524.471") == "0207524471"
    assert format_kbo("0207524471") == "0207.524.471"


@pytest.mark.parametrize(("code", "valid"), [("44021", True), ("04021", False), ("4402", False), ("4402a", False)])
def test_nis_codes(code: str, valid: bool) -> None:
    assert nis_is_valid(code) is valid


def test_period_is_half_open() -> None:
    p = Period(date(2019, 1, 1), date(2025, 1, 1))
    assert p.contains(date(2019, 1, 1))
    assert p.contains(date(2024, 12, 31))
    assert not p.contains(date(2025, 1, 1))
    assert not p.contains(date(2018, 12, 31))
    assert p.last_day == date(2024, 12, 31)


def test_unknown_ends_are_open() -> None:
    assert Period(None, None).contains(date(1830, 10, 4))
    assert Period(None, date(2025, 1, 1)).contains(date(1900, 1, 1))
    assert not Period(date(2025, 1, 1), None).contains(date(2024, 12, 31))


def test_period_refuses_end_before_start() -> None:
    with pytest.raises(ValueError, match="ends"):
        Period(date(2025, 1, 1), date(2024, 1, 1))


def test_partial_source_dates() -> None:
    assert partial_day("2024-02-08") == date(2024, 2, 8)
    assert partial_day("2024-02") == date(2024, 2, 1)
    assert partial_day("2019") == date(2019, 1, 1)
    assert partial_day("undated") is None
    assert partial_day("undated (after 2021)") is None


@pytest.mark.parametrize("text", ["0", "20240630", "2024-W26-1", "2024-6-30", "2024-06-30T00:00", "2024-13-01", ""])
def test_a_day_is_strictly_yyyy_mm_dd(text: str) -> None:
    with pytest.raises(ValueError, match="is not a day in the form YYYY-MM-DD"):
        parse_day(text)


def test_a_day_in_the_form_yyyy_mm_dd_is_read() -> None:
    assert parse_day(" 2024-06-30 ") == date(2024, 6, 30)


def test_an_id_made_from_a_long_name_fits_its_column_and_stays_apart() -> None:
    long = "regio-bibliotheeknetwerk-regiobib-bonheiden-duffel-lier-putte-sint-katelijne-waver"  # 82 characters
    made = bounded_id(long)
    assert len(made) <= ORGANISATION_ID_LENGTH and made.startswith("regio-bibliotheeknetwerk-regiobib-bonheiden")
    assert made == bounded_id(long) and made != bounded_id(long + "-x")
    assert bounded_id("regio-elz-amalo") == "regio-elz-amalo"
