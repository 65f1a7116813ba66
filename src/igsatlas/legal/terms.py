"""The term a legal form sets: how long a cooperation may run, until when, and what the councils must decide.

A projectvereniging runs at most 6 years, a dienstverlenende or opdrachthoudende vereniging at most 18, from the
founding date, renewable by decisions of the participants before the term ends; an interlokale vereniging runs
as its agreement regulates, and the councils evaluate it each year. The maximum and its articles come from the
legal reference with their confidence; an end the register knows (from the statutes, an accepted edit) wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from igsatlas.domain.periods import in_words
from igsatlas.legal.findings import capped
from igsatlas.legal.reference import CONFIDENCE_NL, Reference
from igsatlas.legal.rules import _add_years as add_years

# State of a term on a day.
RUNNING, ENDING, EXPIRED, UNKNOWN, BY_AGREEMENT, NONE = (
    "loopt",
    "eindigt-binnen-12-maanden",
    "verstreken",
    "niet-gekend",
    "volgens-overeenkomst",
    "geen-wettelijke-termijn",
)


@dataclass(frozen=True)
class Term:
    state: str
    years: int | None  # the legal maximum
    founded: date | None
    end: date | None
    text: str  # one Dutch sentence
    renewal: str | None  # what the reference says about renewal
    refs: tuple[str, ...]
    confidence: str  # hoog, middel, laag

    def facts(self) -> dict[str, object]:
        return {
            "toestand": self.state,
            "maximum_jaren": self.years,
            "opgericht": self.founded.isoformat() if self.founded else None,
            "loopt_tot": self.end.isoformat() if self.end else None,
            "tekst": self.text,
            "verlenging": self.renewal,
            "artikels": list(self.refs),
            "zekerheid": self.confidence,
        }


def _renewal_nl(form_id: str | None, years: object) -> str:
    """What the reference says about renewal, in Dutch (the reference itself is written in English)."""
    if form_id == "projectvereniging":
        return "telkens voor ten hoogste 6 jaar, bij beslissing van alle deelnemende gemeenten vóór het einde"
    if isinstance(years, int):
        return f"voor opeenvolgende periodes van ten hoogste {years} jaar"
    return "zoals de overeenkomst of de statuten bepalen"


def term_of(
    reference: Reference, form_id: str | None, founded: date | None, planned_end: date | None, day: date
) -> Term:
    """The term of a cooperation of form ``form_id`` on ``day``."""
    form = reference.forms.get(form_id) if form_id else None
    fact = form.fact("max_duration_years") if form else None
    renewable = form.fact("renewable") if form else None
    renewal = _renewal_nl(form_id, fact.value if fact else None) if renewable is not None and renewable.value else None
    if fact is None:
        return Term(
            NONE, None, founded, planned_end, "Geen wettelijke termijn gekend voor deze vorm.", None, (), "laag"
        )
    refs = tuple(r.label() for r in fact.refs) or ("artikel niet bevestigd",)
    confidence = CONFIDENCE_NL[fact.confidence] if fact.confirmed else capped(CONFIDENCE_NL[fact.confidence])
    years = fact.value if isinstance(fact.value, int) else None
    if years is None:
        if form_id == "interlokale_vereniging":
            text = (
                "Geen wettelijke maximumduur: de overeenkomst regelt de duur, de verlenging en de opzegging; "
                "de gemeenteraden evalueren de samenwerking jaarlijks."
            )
            return Term(BY_AGREEMENT, None, founded, planned_end, text, renewal, refs, confidence)
        return Term(NONE, None, founded, planned_end, "Geen wettelijke maximumduur gekend.", renewal, refs, confidence)
    if planned_end is not None:
        end, basis = planned_end, f"geplande einddatum {in_words(planned_end)} (statuten of aanvaarde wijziging)"
    elif founded is not None:
        end, basis = add_years(founded, years), f"opgericht {in_words(founded)}, plus {years} jaar"
    else:
        text = f"Maximaal {years} jaar vanaf de oprichting; de oprichtingsdatum is niet gekend."
        return Term(UNKNOWN, years, None, None, text, renewal, refs, confidence)
    if day >= end:
        state, text = EXPIRED, f"De termijn van {years} jaar is op {in_words(end)} verstreken, tenzij hij werd verlengd"
    elif end <= add_years(day, 1):
        state, text = (
            ENDING,
            f"De termijn van {years} jaar eindigt op {in_words(end)}: beslis vóór die dag over verlenging",
        )
    else:
        state, text = RUNNING, f"De termijn van {years} jaar loopt tot {in_words(end)}"
    return Term(state, years, founded, end, f"{text} ({basis}).", renewal, refs, confidence)
