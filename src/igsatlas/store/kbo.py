"""The KBO's facts in the database (kbo_enterprise), the extract last read (meta ``kbo_extract``), and the
proposals a disagreement puts in the review queue. Written in the transaction of the import that read them."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, select

from igsatlas.domain.edits import EditKind, EditState
from igsatlas.domain.kbo import SOURCE, ExtractId, KboEnterprise, Proposal
from igsatlas.store import schema, schema_editing, schema_sources
from igsatlas.store.changelog import ChangeLog
from igsatlas.store.edits import submit
from igsatlas.store.sync import TableChange, apply_deletes, apply_writes, plan, rows_of

t = schema_sources.kbo_enterprise
EXTRACT_KEY = "kbo_extract"
COLUMNS = [f.name for f in dataclasses.fields(KboEnterprise)]


def _enterprise(row: Any) -> KboEnterprise:
    return KboEnterprise(**{name: getattr(row, name) for name in COLUMNS})


def facts(conn: Connection, numbers: Iterable[str] | None = None) -> dict[str, KboEnterprise]:
    """Number -> what the KBO says of it (all numbers, or those given)."""
    query = select(t)
    if numbers is not None:
        query = query.where(t.c.number.in_(sorted(set(numbers))))
    return {r.number: _enterprise(r) for r in conn.execute(query)}


def last_extract(conn: Connection) -> dict[str, Any] | None:
    """The extract last imported: {"soort", "nummer", "datum", "bron"}; None before any."""
    value = conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == EXTRACT_KEY)).scalar()
    return json.loads(value) if value else None


def write(conn: Connection, wanted: Mapping[str, KboEnterprise], kind: str, snapshot: ExtractId) -> TableChange:
    """Make the table hold ``wanted``, each change logged with the extract as source; record the extract."""
    log = ChangeLog.start(snapshot.source)
    p = plan(conn, t, rows_of(sorted(wanted.values(), key=lambda e: e.number)))
    apply_deletes(conn, p, log)
    apply_writes(conn, p, log)
    log.write(conn)
    record = {"soort": kind, "nummer": snapshot.number, "datum": snapshot.day.isoformat(), "bron": snapshot.source}
    conn.execute(schema.meta.delete().where(schema.meta.c.key == EXTRACT_KEY))
    conn.execute(schema.meta.insert().values(key=EXTRACT_KEY, value=json.dumps(record, ensure_ascii=False)))
    return p.change


def _known(conn: Connection) -> set[tuple[str, str, str]]:
    """(organisation, field, proposed value) of every proposal the KBO import made before, in any state: one
    disagreement is put to the reviewers once, and a rejected one is not asked again."""
    e = schema_editing.edit
    rows = conn.execute(
        select(e.c.target_id, e.c.payload).where(
            e.c.kind == EditKind.CHANGE_FIELD.value, e.c.evidence_note.like(f"{SOURCE}%")
        )
    )
    out = set()
    for target, payload in rows:
        for name, value in json.loads(payload).items():
            out.add((target, name, json.dumps(value)))
    return out


def submit_proposals(conn: Connection, found: Iterable[Proposal]) -> int:
    """Put each new disagreement in the review queue as a proposal with the KBO as its evidence; returns how many."""
    known = _known(conn)
    n = 0
    for p in found:
        key = (p.organisation_id, p.field, json.dumps(p.value))
        if key in known:
            continue
        known.add(key)
        submit(
            conn,
            kind=EditKind.CHANGE_FIELD,
            target_kind="organisatie",
            target_id=p.organisation_id,
            payload={p.field: p.value},
            base={p.field: p.base},
            evidence_url=p.enterprise.url,
            evidence_date=p.enterprise.snapshot_date,
            evidence_note=p.note,
        )
        n += 1
    return n


def open_proposals(conn: Connection, organisation_id: str) -> list[dict[str, Any]]:
    """The KBO's proposals about one organisation that still await a reviewer."""
    e = schema_editing.edit
    rows = conn.execute(
        select(e.c.id, e.c.payload, e.c.evidence_note)
        .where(
            e.c.target_kind == "organisatie",
            e.c.target_id == organisation_id,
            e.c.state == EditState.SUBMITTED.value,
            e.c.evidence_note.like(f"{SOURCE}%"),
        )
        .order_by(e.c.id)
    )
    return [{"id": r.id, "voorstel": json.loads(r.payload), "toelichting": r.evidence_note} for r in rows]
