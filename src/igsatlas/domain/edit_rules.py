"""What an edit may say: the one check of a proposal's values, run when it is proposed, when it is accepted and
when the register is composed (an accepted edit that fails it is not applied, so no edit can break a start).

Every problem is a Dutch message naming the field, for the form or the reviewer's page.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from igsatlas.domain.model import Role, Status
from igsatlas.domain.periods import EARLIEST, LATEST, plausible

# Legal forms an editor can choose for a cooperation (codes of the classification table).
LEGAL_FORMS = (
    ("interlokale-vereniging", "Interlokale vereniging"),
    ("projectvereniging", "Projectvereniging"),
    ("dienstverlenende-vereniging", "Dienstverlenende vereniging"),
    ("opdrachthoudende-vereniging", "Opdrachthoudende vereniging"),
    ("rechtsvorm-niet-vermeld", "Rechtsvorm niet vermeld"),
)
DAY_FIELDS = {
    "founding_date": "Oprichtingsdatum",
    "planned_end_date": "Geplande einddatum",
    "valid_from": "Sinds",
    "valid_to": "Tot",
}


def day_problem(value: date, label: str) -> str | None:
    """The message for a day outside the years the register holds, or None."""
    if plausible(value):
        return None
    return f"{label}: {value.isoformat()} ligt niet tussen {EARLIEST.year} en {LATEST.year}; controleer het jaar."


def _value_problems(values: dict[str, Any], prefix: str = "") -> dict[str, str]:
    found: dict[str, str] = {}
    for name, label in DAY_FIELDS.items():
        value = values.get(name)
        if value in (None, ""):
            continue
        try:
            day = value if isinstance(value, date) else date.fromisoformat(str(value))
        except ValueError:
            found[prefix + name] = f"{label}: '{value}' is geen datum; gebruik JJJJ-MM-DD."
            continue
        problem = day_problem(day, label)
        if problem:
            found[prefix + name] = problem
    if values.get("classification") not in (None, *dict(LEGAL_FORMS)):
        found[prefix + "classification"] = "Rechtsvorm: kies een rechtsvorm uit de lijst."
    if values.get("status") not in (None, "", *(s.value for s in Status)):
        found[prefix + "status"] = "Status: kies actief, niet-actief of in-oprichting."
    if values.get("role") not in (None, "", *(r.value for r in Role)):
        found[prefix + "role"] = "Rol: kies een rol uit de lijst."
    return found


def problems(payload: dict[str, Any]) -> dict[str, str]:
    """Every value of an edit's payload the register cannot hold, by field: {} when the edit is sound."""
    found = _value_problems(payload)
    for i, member in enumerate(payload.get("members") or []):
        found.update(_value_problems(member if isinstance(member, dict) else {}, f"lid{i}."))
    return found


def summary(found: dict[str, str]) -> str:
    """The problems as one sentence list, for a reviewer's page or a conflict."""
    return " ".join(found.values())
