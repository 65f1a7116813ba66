"""Compliance rules: small named units, each with an id, a Dutch title, its articles, confidence and severity.

A rule looks at one Subject (an organisation on a day) and returns a Finding that says what was checked, on
which data, and how sure it is (both in legal/findings.py). Where the register lacks the data (no founding
dates), the finding says it cannot check instead of guessing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from igsatlas.analysis.fit import DEADLINE, WASTE_DEADLINE, WASTE_THEME
from igsatlas.domain.periods import in_words
from igsatlas.legal.findings import CANNOT, DEVIATION, OK, Finding, Rule, Subject, finding
from igsatlas.legal.reference import Reference

IGS_FORMS = ("projectvereniging", "dienstverlenende_vereniging", "opdrachthoudende_vereniging", "ov_private_deelname")
PRIVATE_LAW_KINDS = frozenset(
    {
        "vereniging-of-vennootschap-voor-sociale-dienstverlening",
        "woonzorgvereniging-of-woonzorgvennootschap",
        "ziekenhuisvereniging",
        "vereniging-algemeen",
    }
)
CULTURE_THRESHOLD, CULTURE_FROM, CULTURE_TRANSITION_END = 85_000, date(2027, 1, 1), date(2032, 1, 1)
IOED_INHABITANTS, IOED_AREA_KM2, IOED_MIN_MUNICIPALITIES = 100_000, 250.0, 3


def _max_years(reference: Reference, s: Subject) -> int | None:
    fact = reference.forms[s.form].fact("max_duration_years") if s.form in reference.forms else None
    return fact.value if fact is not None and isinstance(fact.value, int) else None


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _term_end(s: Subject, reference: Reference, rule: Rule) -> tuple[date, int] | Finding:
    """(end of the term, its length in years), or the finding that it cannot be checked."""
    years = _max_years(reference, s)
    if s.planned_end is not None and years is not None:
        # The latest sourced or accepted end wins: an end beyond founding + maximum means the term was renewed
        # (each renewal for at most the maximum again), not that the statutes outlast the law.
        return s.planned_end, years
    if s.founded is None or years is None:
        return finding(
            rule,
            s,
            reference,
            CANNOT,
            "Kan niet controleren: het register kent geen oprichtingsdatum of geplande einddatum.",
            "Oprichtingsdatum in het register (LBLOD heeft er geen; de redactie kan ze met bewijs toevoegen).",
        )
    return _add_years(s.founded, years), years


def check_term(s: Subject, reference: Reference, rule: Rule) -> Finding:
    term = _term_end(s, reference, rule)
    if isinstance(term, Finding):
        return term
    end, years = term
    start = (
        f"Opgericht {in_words(s.founded)}"
        if s.founded
        else f"Geplande einddatum {in_words(s.planned_end) if s.planned_end else 'onbekend'}"
    )
    checked = f"{start}, maximale looptijd {years} jaar: termijn loopt tot {in_words(end)}."
    if s.day >= end:
        return finding(
            rule,
            s,
            reference,
            DEVIATION,
            f"De termijn van {years} jaar is op {in_words(end)} verstreken, tenzij hij werd verlengd.",
            checked,
        )
    return finding(rule, s, reference, OK, f"Binnen de termijn van {years} jaar.", checked)


def check_term_ending(s: Subject, reference: Reference, rule: Rule) -> Finding:
    term = _term_end(s, reference, rule)
    if isinstance(term, Finding):
        return term
    end, _ = term
    checked = f"Termijn loopt tot {in_words(end)}; gekeken op {in_words(s.day)}."
    if s.day >= end:  # never "in orde" of a term the other rule calls expired
        return finding(
            rule,
            s,
            reference,
            DEVIATION,
            f"De termijn is op {in_words(end)} verstreken, tenzij hij werd verlengd: beslis over verlenging "
            "of ontbinding, of voeg het besluit tot verlenging toe.",
            checked,
        )
    if end <= _add_years(s.day, 1):
        return finding(
            rule,
            s,
            reference,
            DEVIATION,
            f"De termijn eindigt op {in_words(end)}, binnen twaalf maanden: beslis tijdig over verlenging.",
            checked,
        )
    return finding(rule, s, reference, OK, "De termijn eindigt niet binnen twaalf maanden.", checked)


def check_min_municipalities(s: Subject, reference: Reference, rule: Rule) -> Finding:
    n = len(s.municipalities)
    checked = f"{n} gemeente(n) als lid op {in_words(s.day)} volgens het register."
    if n < 2:
        return finding(rule, s, reference, DEVIATION, f"Minder dan twee gemeenten onder de deelnemers ({n}).", checked)
    return finding(rule, s, reference, OK, f"{n} gemeenten nemen deel.", checked)


def check_participants(s: Subject, reference: Reference, rule: Rule) -> Finding:
    private = sorted(name for name, kind in s.member_kinds.items() if kind in PRIVATE_LAW_KINDS)
    checked = f"Soort van de {len(s.member_kinds)} leden op {in_words(s.day)}."
    if s.form in ("dienstverlenende_vereniging", "opdrachthoudende_vereniging") and private:
        return finding(
            rule,
            s,
            reference,
            DEVIATION,
            "Privaatrechtelijke deelnemers horen bij een opdrachthoudende vereniging met private deelname: "
            + ", ".join(private)
            + ".",
            checked,
        )
    return finding(rule, s, reference, OK, "Geen deelnemers die deze rechtsvorm uitsluit.", checked)


def check_regiodecreet(s: Subject, reference: Reference, rule: Rule) -> Finding:
    deadline = WASTE_DEADLINE if WASTE_THEME in s.themes else DEADLINE
    if s.fit is None or s.fit.verdict == "onbekend":
        return finding(
            rule,
            s,
            reference,
            CANNOT,
            "Kan niet controleren: geen gemeenten als lid bekend.",
            "Leden in het register en de referentieregio's (Provincies in Cijfers).",
        )
    share = round(s.fit.share * 100)
    checked = (
        f"{s.fit.members} gemeenten; {share}% in referentieregio {s.reference_region or s.fit.best}; "
        f"uiterste datum {in_words(deadline)}{' (afval)' if deadline == WASTE_DEADLINE else ''}."
    )
    if s.fit.verdict in ("gelijk", "binnen"):
        return finding(rule, s, reference, OK, "Alle gemeentelijke deelnemers liggen in één referentieregio.", checked)
    severity_note = "De termijn is verstreken." if s.day >= deadline else f"Moet passen uiterlijk {in_words(deadline)}."
    message = (
        f"De deelnemers liggen in meer dan één referentieregio ({len(s.fit.spill)} buiten "
        f"{s.reference_region or s.fit.best}). "
        f"{severity_note} Uitzonderingen (o.a. grensoverschrijdend, afwijking 'pas toe of leg uit') "
        "kent het register niet."
    )
    return finding(rule, s, reference, DEVIATION, message, checked)


def _population_text(s: Subject) -> str:
    if s.inhabitants is None:
        return "geen bevolkingscijfers"
    return f"{s.inhabitants:,} inwoners op 1 januari {s.population_year}".replace(",", ".")


def _no_population(s: Subject, reference: Reference, rule: Rule) -> Finding:
    return finding(
        rule,
        s,
        reference,
        CANNOT,
        "Kan niet controleren: geen bevolkingscijfers voor de leden.",
        "Bevolking per gemeente op 1 januari (Statbel, population/population.csv).",
    )


def check_culture(s: Subject, reference: Reference, rule: Rule) -> Finding:
    if s.inhabitants is None:
        return _no_population(s, reference, rule)
    checked = (
        f"{len(s.municipalities)} gemeenten, samen {_population_text(s)}; drempel 85.000 vanaf {CULTURE_FROM.year}."
    )
    if s.inhabitants >= CULTURE_THRESHOLD:
        return finding(rule, s, reference, OK, "Boven de drempel van 85.000 inwoners.", checked)
    if len(s.municipalities) >= 4 and s.day < CULTURE_TRANSITION_END and s.recognised:
        return finding(
            rule,
            s,
            reference,
            OK,
            "Onder 85.000 inwoners, maar met minstens vier gemeenten: overgangsregeling tot 2032.",
            checked,
        )
    below = "Onder de drempel van 85.000 inwoners die vanaf 2027 geldt."
    if not s.recognised and len(s.municipalities) >= 4:
        below += " De overgangsregeling (minstens vier gemeenten, tot 2032) geldt alleen voor erkende samenwerkingen."
    return finding(rule, s, reference, DEVIATION, below, checked)


def check_heritage(s: Subject, reference: Reference, rule: Rule) -> Finding:
    if s.inhabitants is None:
        return _no_population(s, reference, rule)
    checked = f"{len(s.municipalities)} gemeenten, samen {_population_text(s)}; drempel 85.000."
    if s.inhabitants >= CULTURE_THRESHOLD:
        return finding(rule, s, reference, OK, "Boven de drempel van 85.000 inwoners.", checked)
    if s.same_members_as_ioed:
        return finding(
            rule,
            s,
            reference,
            OK,
            "Onder 85.000 inwoners, maar het gebied valt samen met een erkende IOED (uitzondering).",
            checked,
        )
    return finding(rule, s, reference, DEVIATION, "Onder de drempel van 85.000 inwoners.", checked)


def check_ioed(s: Subject, reference: Reference, rule: Rule) -> Finding:
    n = len(s.municipalities)
    area = f"{s.area_km2:.0f} km²" if s.area_km2 is not None else "oppervlakte onbekend"
    checked = f"{n} gemeenten, {_population_text(s)}, {area}."
    if n < IOED_MIN_MUNICIPALITIES:
        return finding(rule, s, reference, DEVIATION, f"Minder dan drie Vlaamse gemeenten ({n}).", checked)
    big = (s.inhabitants or 0) >= IOED_INHABITANTS or (s.area_km2 or 0) >= IOED_AREA_KM2
    half_region = (
        s.reference_region_km2 is not None
        and s.reference_region_km2 < 500
        and s.area_km2 is not None
        and s.area_km2 >= s.reference_region_km2 / 2
    )
    if big or half_region:
        return finding(
            rule, s, reference, OK, "Voldoet aan de nieuwe drempel (inwoners, oppervlakte of regio).", checked
        )
    return finding(
        rule,
        s,
        reference,
        DEVIATION,
        "Onder de nieuwe drempel: 100.000 inwoners of 250 km² (of de helft van een kleine referentieregio). "
        "De bronnen verschillen over de startdatum (2026 of 2027).",
        checked,
    )


def _is(*forms: str) -> Callable[[Subject], bool]:
    return lambda s: s.active and s.form in forms


def _region_of(layer: str) -> Callable[[Subject], bool]:
    return lambda s: layer in s.layers


RULES: tuple[Rule, ...] = (
    Rule(
        "looptijd-maximum",
        "Looptijd binnen het wettelijke maximum",
        "ernstig",
        _is(*IGS_FORMS),
        check_term,
        ("*", "max_duration_years"),
    ),
    Rule(
        "looptijd-einde",
        "Termijn eindigt binnen twaalf maanden",
        "waarschuwing",
        _is(*IGS_FORMS),
        check_term_ending,
        ("*", "renewable"),
    ),
    Rule(
        "minimum-gemeenten",
        "Minstens twee gemeenten onder de deelnemers",
        "ernstig",
        _is(*IGS_FORMS, "interlokale_vereniging"),
        check_min_municipalities,
        ("*", "min_participants"),
    ),
    Rule(
        "toegelaten-deelnemers",
        "Alleen deelnemers die de rechtsvorm toelaat",
        "waarschuwing",
        _is(*IGS_FORMS),
        check_participants,
        ("*", "allowed_participants"),
    ),
    Rule(
        "regiodecreet-referentieregio",
        "Past in één referentieregio (Regiodecreet)",
        "waarschuwing",
        _is(*IGS_FORMS),
        check_regiodecreet,
        None,
        ("art. 3 Regiodecreet (art. 398 §2 1°-4° DLB)", "art. 4 Regiodecreet (uitzonderingen)"),
        "hoog",
    ),
    Rule(
        "bovenlokale-cultuur-drempel",
        "IGS bovenlokale cultuur: 85.000 inwoners vanaf 2027",
        "waarschuwing",
        _region_of("bovenlokale-cultuur"),
        check_culture,
        None,
        ("decreet bovenlokale cultuurwerking 2024, artikel niet bevestigd",),
        "middel",
    ),
    Rule(
        "erfgoedcel-drempel",
        "Erfgoedcel: 85.000 inwoners",
        "waarschuwing",
        _region_of("erfgoedcel"),
        check_heritage,
        None,
        ("Cultureelerfgoeddecreet, artikel niet bevestigd",),
        "middel",
    ),
    Rule(
        "ioed-drempel",
        "IOED: minstens drie gemeenten en de bevolkings- of oppervlaktedrempel",
        "waarschuwing",
        _region_of("ioed"),
        check_ioed,
        None,
        ("Onroerenderfgoeddecreet en -besluit, artikel niet bevestigd",),
        "laag",
    ),
)
RULES_BY_ID = {r.id: r for r in RULES}


def run(subjects: list[Subject], reference: Reference, only: set[str] | None = None) -> list[Finding]:
    out = []
    for s in subjects:
        for rule in RULES:
            if (only is None or rule.id in only) and rule.applies(s):
                out.append(rule.check(s, reference, rule))
    return out
