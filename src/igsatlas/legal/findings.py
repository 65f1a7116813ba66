"""What a compliance rule is, what it looks at (a Subject: one organisation on a day) and what it says of it
(a Finding: the status, what was checked on which data, its articles and how sure it is)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from igsatlas.analysis.fit import Fit
from igsatlas.legal.reference import Reference

SEVERITIES = ("ernstig", "waarschuwing", "info")
OK, DEVIATION, CANNOT = "in-orde", "afwijking", "niet-te-controleren"


@dataclass(frozen=True)
class Subject:
    """One organisation on a day, with what the rules need to know about it."""

    id: str
    name: str
    url: str
    kind: str  # classification code
    form: str | None  # form id of the reference
    active: bool
    day: date
    founded: date | None
    planned_end: date | None = None  # the end the statutes or agreement set (from an accepted edit)
    municipalities: dict[str, str] = field(default_factory=dict)  # NIS -> name of municipal members
    member_kinds: dict[str, str] = field(default_factory=dict)  # member name -> classification
    themes: tuple[str, ...] = ()
    layers: tuple[str, ...] = ()  # layers in which it is a region
    fit: Fit | None = None
    reference_region_km2: float | None = None  # area of the best-matching referentieregio
    reference_region: str | None = None  # its name
    inhabitants: int | None = None
    population_year: int | None = None
    area_km2: float | None = None
    same_members_as_ioed: bool = False
    # A partnership recognised today (the transitional rules are for those); False for a group still to be formed.
    recognised: bool = True


@dataclass(frozen=True)
class Finding:
    rule: str
    title: str
    subject: str  # organisation id
    status: str  # in-orde, afwijking, niet-te-controleren
    severity: str  # ernstig, waarschuwing, info (what a deviation weighs)
    message: str
    checked: str  # what was checked, on which data
    confidence: str  # hoog, middel, laag
    refs: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    severity: str
    applies: Callable[[Subject], bool]
    check: Callable[[Subject, Reference, Rule], Finding]
    fact: tuple[str, str] | None = None  # (form or "*", fact key) in the reference that grounds the rule
    refs: tuple[str, ...] = ()
    confidence: str = "middel"


def _fact_refs(reference: Reference, subject: Subject, rule: Rule) -> tuple[tuple[str, ...], str]:
    if rule.fact is None or subject.form is None:
        return rule.refs, rule.confidence
    form = reference.forms.get(subject.form)
    fact = form.fact(rule.fact[1]) if form else None
    if fact is None:
        return rule.refs, rule.confidence
    labels = tuple(r.label() for r in fact.refs) or ("artikel niet bevestigd",)
    confidence = {"high": "hoog", "medium": "middel", "low": "laag"}[fact.confidence]
    return labels, confidence if fact.confirmed else capped(confidence)


def capped(confidence: str) -> str:
    """A finding whose article is unknown or unconfirmed is never certain: 'hoog' becomes 'middel'."""
    return "middel" if confidence == "hoog" else confidence


def finding(rule: Rule, s: Subject, reference: Reference, status: str, message: str, checked: str) -> Finding:
    refs, confidence = _fact_refs(reference, s, rule)
    if any("niet bevestigd" in r or "niet gekend" in r for r in refs):
        confidence = capped(confidence)
    return Finding(rule.id, rule.title, s.id, status, rule.severity, message, checked, confidence, refs)
