"""The history of an organisation or a municipality: what the change log recorded, in Dutch, newest first.

One line per kind of change in one write (an import or a published edit), with its day and source. An edit's
source is shown as "redactie" with its number; who made it is for reviewers only (on the review page).
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import Connection, or_, select

from igsatlas.domain.periods import in_words
from igsatlas.store import schema

FIELD_LABELS = {
    "name": "naam",
    "legal_name": "juridische naam",
    "status": "status",
    "website": "website",
    "founding_date": "oprichtingsdatum",
    "planned_end_date": "geplande einddatum",
    "valid_from": "begindatum",
    "valid_to": "einddatum",
    "classification": "rechtsvorm",
    "kbo": "KBO-nummer",
    "full_address": "adres",
    "phone": "telefoonnummer",
    "email": "e-mailadres",
    "role": "rol",
    "note": "toelichting",
    "source": "bron",
    "source_date": "brondatum",
}
SHOWN_NAMES = 6


def _source(source: str) -> tuple[str, int | None]:
    if source.startswith("edit:"):
        number = int(source.split(":", 1)[1])
        return f"redactie (wijziging {number})", number
    return source, None


def _names(conn: Connection, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    o = schema.organisation
    return {r.id: r.name for r in conn.execute(select(o.c.id, o.c.name).where(o.c.id.in_(sorted(ids))))}


def history(
    conn: Connection, *, organisation_id: str | None = None, member_id: str | None = None, limit: int = 40
) -> list[dict[str, Any]]:
    """The changes to an organisation (its record, names and members) or to a member's memberships."""
    log = schema.change_log
    where = []
    if organisation_id:
        where.append(log.c.organisation_id == organisation_id)
    if member_id:
        where.append(log.c.member_id == member_id)
    if not where:
        return []
    rows = conn.execute(select(log).where(or_(*where)).order_by(log.c.id.desc()).limit(5000)).all()
    names = _names(
        conn, {r.member_id for r in rows if r.member_id} | {r.organisation_id for r in rows if r.organisation_id}
    )
    groups: dict[tuple[str, str, str, str | None, str], list[Any]] = defaultdict(list)
    for r in rows:
        groups[(r.batch, r.entity, r.action, r.field, r.source)].append(r)
    out = []
    for (_, entity, action, field, source), items in groups.items():
        label, edit = _source(source)
        out.append(
            {
                "datum": items[0].at.date().isoformat(),
                "wat": _describe(entity, action, field, items, names, member_id is not None),
                "bron": label,
                "wijziging": edit,
                "_order": items[0].id,
            }
        )
    out.sort(key=lambda e: e["_order"], reverse=True)
    for e in out:
        del e["_order"]
    return out[:limit]


def _describe(
    entity: str, action: str, field: str | None, items: list[Any], names: dict[str, str], for_member: bool
) -> str:
    def who(r: Any) -> str:
        key = r.organisation_id if for_member else r.member_id
        return names.get(key or "", "een lid dat niet meer bestaat")

    listed = sorted({who(r) for r in items})
    more = f" en {len(listed) - SHOWN_NAMES} andere" if len(listed) > SHOWN_NAMES else ""
    some = ", ".join(listed[:SHOWN_NAMES]) + more
    label = FIELD_LABELS.get(field or "", "een ander gegeven")
    if entity == "organisation":
        if action == "insert":
            return "Opgenomen in het register"
        if action == "delete":
            return "Niet meer in de bron"
        old, new = items[0].old_value, items[0].new_value
        return f"{label.capitalize()} gewijzigd" + (f": {_plain(old)} → {_plain(new)}" if field != "slug" else "")
    if entity == "membership":
        # The day of the line is when the register learned it (registration time), never a join or an end:
        # those are the membership's own days (valid time), said only when a source gives them.
        if for_member:
            verb = {"insert": "In het register als lid van", "delete": "Niet meer in het register als lid van"}.get(
                action, f"{label.capitalize()} gewijzigd bij"
            )
        else:
            verb = {"insert": "In het register als lid:", "delete": "Niet meer in het register als lid:"}.get(
                action, f"{label.capitalize()} gewijzigd van het lidmaatschap van"
            )
        return f"{verb} {some}{_valid_days(action, items)}"
    if entity == "organisation_name":
        return "Andere naam toegevoegd" if action == "insert" else "Andere naam gewijzigd"
    if entity == "organisation_theme":
        return "Thema's bijgewerkt"
    return "Gegevens bijgewerkt"


def _valid_days(action: str, items: list[Any]) -> str:
    """What the sources say of when the memberships began or ended: "(lid sinds: niet gekend)" when none does."""
    if action not in ("insert", "delete"):
        return ""
    field, label = ("valid_from", "lid sinds") if action == "insert" else ("valid_to", "lid tot")
    days = set()
    for r in items:
        try:
            row = json.loads((r.new_value if action == "insert" else r.old_value) or "{}")
        except ValueError:
            row = {}
        days.add(row.get(field) if isinstance(row, dict) else None)
    known = sorted(d for d in days if d)
    if not known:
        return f" ({label}: niet gekend)"
    if len(known) == 1 and None not in days:
        return f" ({label} {in_words(date.fromisoformat(known[0]))})"
    return f" ({label}: verschilt per lid)"


def _plain(value: str | None) -> str:
    if value is None:
        return "onbekend"
    return value.strip('"')
