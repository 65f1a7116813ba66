"""Following the register: subscribers (double opt-in), what they follow, the outbox of mail, and the editorial
newsletter's issues. An unsubscribe deletes the subscriber, its subscriptions and the addresses in its mail."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Index, Integer, String, Table, Text

from igsatlas.store.metadata import metadata

subscriber = Table(
    "subscriber",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", Text, nullable=False, unique=True),
    Column("newsletter", Boolean, nullable=False),  # the editorial newsletter
    Column("frequency", String(16), nullable=False),  # direct, wekelijks
    Column("confirmed_at", DateTime),
    Column("nonce", String(32)),  # the pending confirmation's single-use part
    Column("secret", String(32), nullable=False),  # part of every manage and unsubscribe link
    Column("refused", Text),  # a permanent rejection by the receiving server: no more mail
    Column("last_log_id", Integer, nullable=False),  # alerts were sent up to this change-log entry
    Column("last_alert_at", DateTime),
    Column("created_at", DateTime, nullable=False),
)

subscription = Table(
    "subscription",
    metadata,
    Column("subscriber_id", Integer, ForeignKey("subscriber.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(16), primary_key=True),  # gemeente, organisatie, laag, thema
    Column("key", String(160), primary_key=True),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("message_id", String(200), nullable=False, unique=True),
    Column("subscriber_id", Integer, ForeignKey("subscriber.id", ondelete="SET NULL")),
    Column("recipient", Text),  # emptied once sent or when the subscriber leaves
    Column("kind", String(16), nullable=False),  # bevestiging, melding, nieuwsbrief, test
    Column("message", Text, nullable=False),  # the whole RFC 5322 message
    Column("state", String(16), nullable=False),  # wachtend, bezig, verzonden, mislukt, geweigerd
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", DateTime, nullable=False),
    Column("last_error", Text),
    Column("created_at", DateTime, nullable=False),
    Column("sent_at", DateTime),
)
Index("ix_outbox_due", outbox.c.state, outbox.c.next_attempt_at)

newsletter_issue = Table(
    "newsletter_issue",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),  # Markdown
    Column("author_id", Integer, ForeignKey("account.id")),
    Column("created_at", DateTime, nullable=False),
    Column("sent_at", DateTime),
)
