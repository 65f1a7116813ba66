"""Edits in the database: proposals, reports and their review. An import reads them; it never deletes one."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from igsatlas.domain.edits import Conflict, Edit, EditKind, EditState
from igsatlas.errors import ConflictError, NotFoundError
from igsatlas.store import schema_editing
from igsatlas.store.changelog import now

t = schema_editing.edit


def _edit(row: Any) -> Edit:
    return Edit(
        id=row.id,
        kind=EditKind(row.kind),
        target_kind=row.target_kind,
        target_id=row.target_id,
        payload=json.loads(row.payload),
        base=json.loads(row.base) if row.base else None,
        evidence_url=row.evidence_url,
        evidence_date=row.evidence_date,
        evidence_note=row.evidence_note,
    )


def load(conn: Connection, edit_id: int) -> Edit:
    row = conn.execute(select(t).where(t.c.id == edit_id)).first()
    if row is None:
        raise NotFoundError(f"Wijziging {edit_id} bestaat niet.", code="edit-not-found")
    return _edit(row)


def state(conn: Connection, edit_id: int) -> EditState:
    found = conn.execute(select(t.c.state).where(t.c.id == edit_id)).scalar()
    if found is None:
        raise NotFoundError(f"Wijziging {edit_id} bestaat niet.", code="edit-not-found")
    return EditState(found)


def accepted(conn: Connection) -> list[Edit]:
    rows = conn.execute(select(t).where(t.c.state == EditState.ACCEPTED.value).order_by(t.c.id))
    return [_edit(r) for r in rows]


def submit(
    conn: Connection,
    *,
    kind: EditKind,
    target_kind: str,
    target_id: str | None,
    payload: dict[str, Any],
    base: dict[str, Any] | None = None,
    evidence_url: str | None = None,
    evidence_date: date | None = None,
    evidence_note: str | None = None,
    author_id: int | None = None,
    reporter_email: str | None = None,
) -> int:
    """Store a proposal (state ingediend) and return its id."""
    result = conn.execute(
        t.insert().values(
            kind=kind.value,
            target_kind=target_kind,
            target_id=target_id,
            payload=json.dumps(payload, ensure_ascii=False),
            base=json.dumps(base, ensure_ascii=False) if base is not None else None,
            evidence_url=evidence_url or None,
            evidence_date=evidence_date,
            evidence_note=evidence_note or None,
            author_id=author_id,
            reporter_email=reporter_email or None,
            state=EditState.SUBMITTED.value,
            created_at=now(),
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def review(
    conn: Connection,
    edit_id: int,
    state: EditState,
    reviewer_id: int | None,
    reason: str | None,
    *,
    expected: EditState | None = EditState.SUBMITTED,
) -> None:
    """Decide on an edit in one conditional statement: only while it is still in state ``expected`` (any state
    with None). Two reviewers deciding at once: the second finds it decided and gets a ConflictError, so an
    edit is never accepted (or published) twice."""
    statement = t.update().where(t.c.id == edit_id)
    if expected is not None:
        statement = statement.where(t.c.state == expected.value)
    done = conn.execute(
        statement.values(state=state.value, reviewer_id=reviewer_id, review_reason=reason or None, reviewed_at=now())
    )
    if done.rowcount != 1:
        raise ConflictError(
            f"Wijziging {edit_id} werd intussen al beoordeeld.",
            code="edit-already-decided",
            hint="Open de wachtrij opnieuw om de beslissing te zien.",
        )


def record_conflicts(conn: Connection, conflicts: Sequence[Conflict]) -> int:
    """Mark accepted edits whose imported value changed under them; returns how many changed their mark."""
    by_edit: dict[int, list[dict[str, Any]]] = {}
    for c in conflicts:
        by_edit.setdefault(c.edit_id, []).append(
            {"veld": c.field, "bronwaarde": c.source_value, "redactiewaarde": c.edit_value, "uitleg": c.message}
        )
    changed = 0
    current = {r.id: r.conflict for r in conn.execute(select(t.c.id, t.c.conflict).where(t.c.state == "aanvaard"))}
    for edit_id, old in current.items():
        new = json.dumps(by_edit[edit_id], ensure_ascii=False) if edit_id in by_edit else None
        if new != old:
            conn.execute(t.update().where(t.c.id == edit_id).values(conflict=new))
            changed += 1
    return changed


def one(conn: Connection, edit_id: int) -> dict[str, Any] | None:
    row = conn.execute(select(t).where(t.c.id == edit_id)).first()
    return dict(row._mapping) if row else None


def queue(conn: Connection) -> list[dict[str, Any]]:
    """What awaits a reviewer: submitted edits and reports, and accepted edits with a conflict."""
    rows = conn.execute(
        select(t).where((t.c.state == EditState.SUBMITTED.value) | (t.c.conflict.is_not(None))).order_by(t.c.id)
    )
    return [dict(r._mapping) for r in rows]


def for_target(conn: Connection, target_kind: str, target_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(t).where(t.c.target_kind == target_kind, t.c.target_id == target_id).order_by(t.c.id.desc())
    )
    return [dict(r._mapping) for r in rows]


def by_author(conn: Connection, account_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(select(t).where(t.c.author_id == account_id).order_by(t.c.id.desc()).limit(100))
    return [dict(r._mapping) for r in rows]


def keep_over_source(conn: Connection, edit_id: int) -> None:
    """A reviewer keeps an accepted edit over a changed source: its base becomes the source's new value."""
    row = conn.execute(select(t.c.base, t.c.conflict).where(t.c.id == edit_id)).first()
    if row is None or not row.conflict:
        return
    base = json.loads(row.base) if row.base else {}
    for c in json.loads(row.conflict):
        base[c["veld"]] = c["bronwaarde"]
    conn.execute(t.update().where(t.c.id == edit_id).values(base=json.dumps(base, ensure_ascii=False), conflict=None))
