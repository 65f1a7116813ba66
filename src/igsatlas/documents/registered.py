"""What the atlas said on a day (registration time), for /wijzigingen and its JSON twin.

The memberships the atlas had recorded at the end of a day for a municipality or an organisation, in force on a
day of the world (by default that same day), and how that differs from what the atlas recorded on another day
(by default today) about the same day of the world. Made from the views of state.registration, the ones the
API's ``geregistreerd_op`` answers with, so the page and the API cannot disagree.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from igsatlas.documents.common import ROLE_LABELS, organisation_url
from igsatlas.domain.model import Membership
from igsatlas.state.view import RegisterView

LISTED = 500  # lines listed per part at most (the counts say how many there are)


def _line(s: RegisterView, ms: Membership) -> dict[str, Any]:
    org = s.organisations[ms.organisation_id]
    nis = s.member_municipality.get(ms.id)
    muni = s.municipalities.get(nis) if nis else None
    return {
        "id": ms.id,
        "organisatie": org.name,
        "url": organisation_url(org),
        "lid": muni.name if muni else s.organisations[ms.member_id].name,
        "rol": ROLE_LABELS.get(ms.role.value, ms.role.value),
        "sinds": ms.valid_from.isoformat() if ms.valid_from else None,
        "tot": ms.valid_to.isoformat() if ms.valid_to else None,
        "bron": ms.source,
    }


def _chosen(s: RegisterView, orgs: set[str] | None, members: set[str] | None) -> dict[str, dict[str, Any]]:
    """Membership id -> its line, for the memberships of the view the filters keep (local governments' own
    bodies left out, as in the comparison of two days)."""
    out = {}
    for ms in s.memberships:
        if orgs is not None and ms.organisation_id not in orgs:
            continue
        if members is not None and ms.member_id not in members and ms.organisation_id not in members:
            continue
        kind = s.classifications.get(s.organisations[ms.organisation_id].classification)
        if kind is not None and kind.family.value == "lokaal-bestuur":
            continue
        out[ms.id] = _line(s, ms)
    return out


def _order(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(lines, key=lambda d: (d["organisatie"], d["lid"], d["id"]))[:LISTED]


def said(
    then: RegisterView,
    later: RegisterView,
    *,
    registered: date,
    compared: date,
    orgs: set[str] | None,
    members: set[str] | None,
    subject: str | None = None,
) -> dict[str, Any]:
    """``then``: the register of one day as recorded at the end of ``registered``; ``later``: the same day as
    recorded at the end of ``compared``. ``orgs``/``members``: what the filters keep (None: not filtered);
    ``subject``: the name of what they keep."""
    before, after = _chosen(then, orgs, members), _chosen(later, orgs, members)
    changed = [
        {"toen": before[k], "nu": after[k]}
        for k in sorted(before.keys() & after.keys())
        if {**before[k], "bron": ""} != {**after[k], "bron": ""}
    ]
    filtered = orgs is not None or members is not None
    return {
        "geregistreerd_op": registered.isoformat(),
        "op": then.day.isoformat() if then.day else None,
        "vergeleken_met": compared.isoformat(),
        "gefilterd": filtered,
        "onderwerp": subject,
        "lidmaatschappen": _order(list(before.values())) if filtered else [],
        "bijgekomen": _order([after[k] for k in after.keys() - before.keys()]),
        "verdwenen": _order([before[k] for k in before.keys() - after.keys()]),
        "gewijzigd": sorted(changed, key=lambda d: (d["toen"]["organisatie"], d["toen"]["lid"]))[:LISTED],
        "aantallen": {
            "lidmaatschappen": len(before),
            "bijgekomen": len(after.keys() - before.keys()),
            "verdwenen": len(before.keys() - after.keys()),
            "gewijzigd": len(changed),
        },
    }
