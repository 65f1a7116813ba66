"""All compliance findings for a day: the rules run on every subject of the register."""

from __future__ import annotations

import dataclasses
from datetime import date

from sqlalchemy import Connection

from igsatlas.analysis.report import Analysis
from igsatlas.legal import rules, subjects
from igsatlas.legal.findings import DEVIATION, Finding, Subject
from igsatlas.legal.reference import Reference
from igsatlas.state.view import RegisterView

Checked = tuple[list[Subject], list[Finding], dict[str, str | None]]


def subjects_of(
    conn: Connection, analysis: Analysis, day: date, register: RegisterView | None = None
) -> tuple[list[Subject], dict[str, str | None]]:
    """What the rules look at on a day (the same for every day of one register state), and each subject's
    province. ``register``: the whole register read once (read from ``conn`` if not given)."""
    if register is None:
        register = RegisterView.read(conn)
    found_subjects = subjects.build(conn, analysis, day, register)
    orgs = register.organisations
    return found_subjects, {s.id: orgs[s.id].address_province for s in found_subjects}


def check_subjects(
    found: tuple[list[Subject], dict[str, str | None]],
    reference: Reference,
    day: date,
    only: set[str] | None = None,
) -> Checked:
    """The rules on subjects built for another day of the same state: only the day differs."""
    on_day = [s if s.day == day else dataclasses.replace(s, day=day) for s in found[0]]
    return on_day, rules.run(on_day, reference, only), found[1]


def check(
    conn: Connection, analysis: Analysis, reference: Reference, day: date, only: set[str] | None = None
) -> Checked:
    """(subjects, findings, province of each subject's address)."""
    return check_subjects(subjects_of(conn, analysis, day), reference, day, only)


def serious(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.status == DEVIATION and f.severity == "ernstig"]
