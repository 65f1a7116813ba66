"""What people add: edits (proposals and reports), the accounts that make and review them, their sessions and the
throttle of their attempts. An import never deletes a row of these tables; every write is in the change log
(store/schema.py)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, DateTime, ForeignKey, Index, Integer, String, Table, Text

from igsatlas.store.metadata import metadata

edit = Table(
    "edit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("target_kind", String(16), nullable=False),  # organisatie, lidmaatschap, gemeente, laag
    Column("target_id", String(160)),
    Column("payload", Text, nullable=False),  # JSON: the proposed facts
    Column("base", Text),  # JSON: the imported values the proposal was made against
    Column("evidence_url", Text),
    Column("evidence_date", Date),
    Column("evidence_note", Text),
    Column("author_id", Integer, ForeignKey("account.id")),
    Column("reporter_email", Text),  # a report's optional address: shown to reviewers only
    Column("state", String(16), nullable=False),  # ingediend, aanvaard, afgewezen, ingetrokken
    Column("reviewer_id", Integer, ForeignKey("account.id")),
    Column("review_reason", Text),
    Column("conflict", Text),  # JSON: a later import changed a fact this accepted edit also changed
    Column("created_at", DateTime, nullable=False),
    Column("reviewed_at", DateTime),
)
Index("ix_edit_state", edit.c.state)
Index("ix_edit_target", edit.c.target_kind, edit.c.target_id)

account = Table(
    "account",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", Text, nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("role", String(16), nullable=False),  # redacteur, eindredacteur, beheerder
    Column("scope", Text, nullable=False),  # JSON list of NIS codes and organisation ids; ["*"] for all
    Column("active", Boolean, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

session = Table(
    "session",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("account_id", Integer, ForeignKey("account.id"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("last_seen", DateTime, nullable=False),
)

throttle = Table(
    "throttle",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("window_start", DateTime, nullable=False),
    Column("count", Integer, nullable=False),
)
