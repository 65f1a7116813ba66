"""All compliance findings for a day: the rules run on every subject of the register."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection

from igsatlas.analysis.report import Analysis
from igsatlas.legal import rules, subjects
from igsatlas.legal.reference import Reference
from igsatlas.store import queries


def check(
    conn: Connection, analysis: Analysis, reference: Reference, day: date, only: set[str] | None = None
) -> tuple[list[rules.Subject], list[rules.Finding], dict[str, str | None]]:
    """(subjects, findings, province of each subject's address)."""
    found_subjects = subjects.build(conn, analysis, day)
    findings = rules.run(found_subjects, reference, only)
    orgs = {o.id: o for o in queries.organisations(conn)}
    province = {s.id: orgs[s.id].address_province for s in found_subjects}
    return found_subjects, findings, province


def serious(findings: list[rules.Finding]) -> list[rules.Finding]:
    return [f for f in findings if f.status == rules.DEVIATION and f.severity == "ernstig"]
