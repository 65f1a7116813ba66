"""Alerts from the change log: for each confirmed subscriber, the changes that match what they follow since
their last mail, in one mail grouped per organisation, each change with its source and a link to its page.
The mail is queued and the subscriber's mark moved on in one transaction, so a crash neither loses nor
doubles an alert."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

from sqlalchemy import Engine

from igsatlas.config import Settings
from igsatlas.documents.changes import Filters, grouped, log_entries, subjects_of
from igsatlas.mail import messages, outbox, tokens
from igsatlas.store import schema_subscriptions, subscribers
from igsatlas.store.changelog import now

WEEK = timedelta(days=7)


@dataclass
class AlertReport:
    subscribers: int = 0
    queued: int = 0
    changes: int = 0


def links(settings: Settings, key: bytes, sub: subscribers.Subscriber) -> tuple[str, str]:
    token = tokens.sign(key, "beheer", sub.id, sub.secret, 3650)
    return (
        f"{settings.base_url}/nieuwsbrief/voorkeuren?token={token}",
        f"{settings.base_url}/nieuwsbrief/afmelden?token={token}",
    )


def queue_alerts(engine: Engine, settings: Settings, *, weekly: bool = False) -> AlertReport:
    report = AlertReport()
    with engine.connect() as conn:
        people = [s for s in subscribers.confirmed(conn) if s.follows]
        if not people:
            return report
        last_ids = {
            r.id: (r.last_log_id, r.last_alert_at) for r in conn.execute(schema_subscriptions.subscriber.select())
        }
        since = min(last_ids[p.id][0] for p in people)
        entries = log_entries(conn, Filters(), after_id=since, limit=100_000)
        concerns = subjects_of(conn, entries)
    if not entries:
        return report
    newest = max(e["id"] for e in entries)
    with engine.begin() as conn:
        key = tokens.secret_key(conn, settings.secret_key)
    batch: list[tuple[EmailMessage, int]] = []

    def flush() -> None:
        # The mails and the subscribers' marks move together: a crash loses or doubles no alert.
        with engine.begin() as conn:
            for msg, subscriber_id in batch:
                outbox.enqueue(conn, msg, "melding", subscriber_id)
            conn.execute(
                schema_subscriptions.subscriber.update()
                .where(schema_subscriptions.subscriber.c.id.in_([i for _, i in batch]))
                .values(last_log_id=newest, last_alert_at=now())
            )
        batch.clear()

    for sub in people:
        report.subscribers += 1
        last_id, last_at = last_ids[sub.id]
        if sub.frequency == "wekelijks" and (not weekly and last_at is not None and now() - last_at < WEEK):
            continue
        wanted = {f"{kind}:{value}" for kind, value in sub.follows}
        mine = [e for e in entries if e["id"] > last_id and concerns.get(e["id"], set()) & wanted]
        if not mine:
            continue
        manage, leave = links(settings, key, sub)
        batch.append((alert_message(settings, sub.email, mine, manage, leave), sub.id))
        report.queued += 1
        report.changes += len(mine)
        if len(batch) >= 500:
            flush()
    if batch:
        flush()
    return report


def alert_message(settings: Settings, to: str, entries: list[dict[str, Any]], manage: str, leave: str) -> EmailMessage:
    groups = []
    lines = ["Dit veranderde in de IGS-atlas voor wat u volgt:", ""]
    for org, items in grouped(entries).items():
        url = f"{settings.base_url}{items[0]['url']}" if items[0]["url"] else settings.base_url
        groups.append({"naam": org, "url": url, "wijzigingen": items})
        lines.append(f"{org} ({url})")
        lines.extend(f"- {e['datum']}: {e['wat']} (bron: {e['bron']})" for e in items)
        lines.append("")
    count = len(entries)
    return messages.build(
        sender=settings.mail_from,
        recipient=to,
        subject=f"IGS-atlas: {count} wijziging{'en' if count != 1 else ''} in wat u volgt",
        text="\n".join(lines),
        html_body=messages.render("alert.html", groepen=groups),
        manage_url=manage,
        unsubscribe_url=leave,
    )
