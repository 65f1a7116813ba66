"""Subscribers and what they follow. An address is stored only with the subscriber; unsubscribing deletes the
subscriber, its subscriptions, every message not yet sent, and the address and text of every other one."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from igsatlas.store import schema, schema_subscriptions
from igsatlas.store.changelog import now

s, sub, outbox = schema_subscriptions.subscriber, schema_subscriptions.subscription, schema_subscriptions.outbox
KINDS = ("gemeente", "organisatie", "laag", "thema")
FREQUENCIES = ("direct", "wekelijks")


@dataclass(frozen=True)
class Subscriber:
    id: int
    email: str
    newsletter: bool
    frequency: str
    confirmed: bool
    nonce: str | None
    secret: str
    refused: str | None
    follows: tuple[tuple[str, str], ...]


def _follows(conn: Connection, subscriber_id: int) -> tuple[tuple[str, str], ...]:
    rows = conn.execute(
        select(sub.c.kind, sub.c.key).where(sub.c.subscriber_id == subscriber_id).order_by(sub.c.kind, sub.c.key)
    )
    return tuple((r.kind, r.key) for r in rows)


def _load(conn: Connection, row: object) -> Subscriber:
    r = row  # a Row of the subscriber table
    return Subscriber(
        id=r.id,  # type: ignore[attr-defined]
        email=r.email,  # type: ignore[attr-defined]
        newsletter=r.newsletter,  # type: ignore[attr-defined]
        frequency=r.frequency,  # type: ignore[attr-defined]
        confirmed=r.confirmed_at is not None,  # type: ignore[attr-defined]
        nonce=r.nonce,  # type: ignore[attr-defined]
        secret=r.secret,  # type: ignore[attr-defined]
        refused=r.refused,  # type: ignore[attr-defined]
        follows=_follows(conn, r.id),  # type: ignore[attr-defined]
    )


def by_email(conn: Connection, email: str) -> Subscriber | None:
    row = conn.execute(select(s).where(s.c.email == email.strip().lower())).first()
    return _load(conn, row) if row else None


def by_id(conn: Connection, subscriber_id: int) -> Subscriber | None:
    row = conn.execute(select(s).where(s.c.id == subscriber_id)).first()
    return _load(conn, row) if row else None


def confirmed(conn: Connection) -> list[Subscriber]:
    """Every confirmed subscriber whose address is not refused, with what it follows (two queries)."""
    follows: dict[int, list[tuple[str, str]]] = {}
    for r in conn.execute(select(sub.c.subscriber_id, sub.c.kind, sub.c.key).order_by(sub.c.kind, sub.c.key)):
        follows.setdefault(r.subscriber_id, []).append((r.kind, r.key))
    rows = conn.execute(select(s).where(s.c.confirmed_at.is_not(None), s.c.refused.is_(None)).order_by(s.c.id))
    return [
        Subscriber(
            id=r.id,
            email=r.email,
            newsletter=r.newsletter,
            frequency=r.frequency,
            confirmed=True,
            nonce=r.nonce,
            secret=r.secret,
            refused=r.refused,
            follows=tuple(follows.get(r.id, ())),
        )
        for r in rows
    ]


def last_log_id(conn: Connection) -> int:
    return int(conn.execute(select(func.max(schema.change_log.c.id))).scalar() or 0)


def sign_up(
    conn: Connection, email: str, newsletter: bool, frequency: str, follows: list[tuple[str, str]]
) -> tuple[Subscriber, bool]:
    """(the subscriber, whether it was new). A known address keeps its preferences until it confirms new ones
    through its own links; a pending one gets a fresh confirmation nonce."""
    found = by_email(conn, email)
    if found is not None:
        if not found.confirmed:
            conn.execute(s.update().where(s.c.id == found.id).values(nonce=secrets.token_hex(8)))
            _set_follows(conn, found.id, follows)
            conn.execute(s.update().where(s.c.id == found.id).values(newsletter=newsletter, frequency=frequency))
        refreshed = by_id(conn, found.id)
        assert refreshed is not None
        return refreshed, False
    result = conn.execute(
        s.insert().values(
            email=email.strip().lower(),
            newsletter=newsletter,
            frequency=frequency,
            nonce=secrets.token_hex(8),
            secret=secrets.token_hex(8),
            last_log_id=last_log_id(conn),
            created_at=now(),
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    _set_follows(conn, int(key[0]), follows)
    made = by_id(conn, int(key[0]))
    assert made is not None
    return made, True


def _set_follows(conn: Connection, subscriber_id: int, follows: list[tuple[str, str]]) -> None:
    conn.execute(sub.delete().where(sub.c.subscriber_id == subscriber_id))
    unique = sorted({(k, v) for k, v in follows if k in KINDS and v})
    if unique:
        conn.execute(sub.insert(), [{"subscriber_id": subscriber_id, "kind": k, "key": v} for k, v in unique])


def confirm(conn: Connection, subscriber_id: int, nonce: str) -> bool:
    """Confirm with the single-use nonce of the link; False when the link was used or replaced."""
    done = conn.execute(
        s.update()
        .where(s.c.id == subscriber_id, s.c.nonce == nonce)
        .values(confirmed_at=now(), nonce=None, last_log_id=last_log_id(conn))
    )
    return bool(done.rowcount == 1)


def update(
    conn: Connection, subscriber_id: int, newsletter: bool, frequency: str, follows: list[tuple[str, str]]
) -> None:
    conn.execute(s.update().where(s.c.id == subscriber_id).values(newsletter=newsletter, frequency=frequency))
    _set_follows(conn, subscriber_id, follows)


def remove(conn: Connection, subscriber_id: int) -> None:
    """Forget the subscriber: its subscriptions, its address, and every message to it not yet sent."""
    conn.execute(
        outbox.delete().where(outbox.c.subscriber_id == subscriber_id, outbox.c.state.in_(("wachtend", "bezig")))
    )
    conn.execute(  # a message kept after a failure names the address in its text too
        outbox.update()
        .where(outbox.c.subscriber_id == subscriber_id)
        .values(recipient=None, message="", subscriber_id=None)
    )
    conn.execute(sub.delete().where(sub.c.subscriber_id == subscriber_id))
    conn.execute(s.delete().where(s.c.id == subscriber_id))


def refused(conn: Connection) -> list[tuple[int, str]]:
    """Subscribers whose address a receiving server refused (for the beheerder; the address is shown there)."""
    rows = conn.execute(select(s.c.id, s.c.email, s.c.refused).where(s.c.refused.is_not(None)))
    return [(r.id, f"{r.email}: {r.refused}") for r in rows]
