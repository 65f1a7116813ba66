"""The outbox: every message is stored before it is sent, and sent by ``send_due``.

A message is claimed (state ``bezig``) in its own transaction, sent, and marked ``verzonden`` at once, so a crash
or a kill never loses a message (it stays in the outbox) and a message marked sent is never sent again. A
temporary failure is retried with backoff (1, 5, 30 minutes, 2 hours, 12 hours); a permanent rejection (5xx)
stops all mail to that address and shows it to the beheerder. Without SMTP settings each message is written
as an .eml file under the mail folder. Once a message is sent, the outbox keeps neither its recipient nor its text
(which names the address and holds the subscriber's own links): only its id, kind, state and times.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path

from sqlalchemy import Connection, Engine, select

from igsatlas.config import Settings, SmtpSettings
from igsatlas.mail import messages
from igsatlas.store import schema_subscriptions
from igsatlas.store.changelog import now

log = logging.getLogger("igsatlas.mail")
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=12))
STALE_CLAIM = timedelta(minutes=10)  # a claim this old belongs to a sender that died before it could send
t = schema_subscriptions.outbox
# Set after a message that should not wait for the next round (a signup's confirmation) is committed: the
# sender thread of `igs serve --send-mail` wakes on it and sends at once instead of within 30 seconds.
WAKE = threading.Event()


def wake_sender() -> None:
    WAKE.set()


def enqueue(conn: Connection, msg: EmailMessage, kind: str, subscriber_id: int | None) -> None:
    conn.execute(
        t.insert().values(
            message_id=str(msg["Message-ID"]),
            subscriber_id=subscriber_id,
            recipient=str(msg["To"]),
            kind=kind,
            message=msg.as_string(policy=messages.POLICY),
            state="wachtend",
            attempts=0,
            next_attempt_at=now(),
            created_at=now(),
        )
    )


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    refused: int = 0


class Transport:
    """One SMTP connection for a run (or the .eml folder)."""

    def __init__(self, smtp: SmtpSettings | None, mail_dir: Path) -> None:
        self.smtp = smtp
        self.mail_dir = mail_dir
        self.client: smtplib.SMTP | None = None

    def send(self, message_id: str, raw: str, sender: str, recipient: str | None) -> None:
        if self.smtp is None:
            self.mail_dir.mkdir(parents=True, exist_ok=True)
            name = message_id.strip("<>").replace("@", "_at_").replace("/", "_")
            path = self.mail_dir / f"{name}.eml"
            path.write_text(raw, "utf-8")
            log.info("mail written to %s", path)
            return
        if self.client is None:
            self.client = self._connect(self.smtp)
        if recipient is None:  # the address was wiped (an unsubscribe) after the message was claimed
            return
        # The stored message is sent as it is: no parsing again, the envelope from the sender and the row.
        self.client.sendmail(parseaddr(sender)[1], [parseaddr(recipient)[1]], raw.encode("utf-8"))

    @staticmethod
    def _connect(s: SmtpSettings) -> smtplib.SMTP:
        if s.security == "tls":
            client: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, context=ssl.create_default_context(), timeout=30)
        else:
            client = smtplib.SMTP(s.host, s.port, timeout=30)
            if s.security == "starttls":
                client.starttls(context=ssl.create_default_context())
        if s.user:
            client.login(s.user, s.password or "")
        return client

    def close(self) -> None:
        if self.client is not None:
            with contextlib.suppress(smtplib.SMTPException):
                self.client.quit()
            self.client = None


def _claim(engine: Engine) -> tuple[int, str, str, int | None, int, str | None] | None:
    """Take the next due message: wachtend and due, or bezig for longer than a sender lives."""
    with engine.begin() as conn:
        at = now()
        row = conn.execute(
            select(t.c.id, t.c.message_id, t.c.message, t.c.subscriber_id, t.c.attempts, t.c.recipient)
            .where(
                ((t.c.state == "wachtend") & (t.c.next_attempt_at <= at))
                | ((t.c.state == "bezig") & (t.c.next_attempt_at <= at - STALE_CLAIM))
            )
            .order_by(t.c.id)
            .limit(1)
        ).first()
        if row is None:
            return None
        claimed = conn.execute(
            t.update()
            .where(t.c.id == row.id, t.c.state.in_(("wachtend", "bezig")))
            .values(state="bezig", next_attempt_at=at)
        )
        if claimed.rowcount != 1:
            return None
        return row.id, row.message_id, row.message, row.subscriber_id, row.attempts, row.recipient


def send_due(
    engine: Engine, settings: Settings, *, limit: int = 100_000, after_send: Callable[[], None] | None = None
) -> SendReport:
    """Send what is due, one message at a time."""
    report = SendReport()
    transport = Transport(settings.smtp, settings.mail_dir)
    try:
        for _ in range(limit):
            claimed = _claim(engine)
            if claimed is None:
                break
            outbox_id, message_id, raw, subscriber_id, attempts, recipient = claimed
            try:
                transport.send(message_id, raw, settings.mail_from, recipient)
            except smtplib.SMTPRecipientsRefused as exc:
                codes = [code for code, _ in exc.recipients.values()]
                _failed(
                    engine, outbox_id, subscriber_id, attempts, permanent=all(c >= 500 for c in codes), error=str(codes)
                )
                report.refused += 1
                continue
            except smtplib.SMTPResponseException as exc:
                _failed(
                    engine, outbox_id, subscriber_id, attempts, permanent=exc.smtp_code >= 500, error=str(exc.smtp_code)
                )
                transport.close()
                report.retried += 1
                continue
            except (OSError, smtplib.SMTPException) as exc:
                _failed(engine, outbox_id, subscriber_id, attempts, permanent=False, error=type(exc).__name__)
                transport.close()
                report.retried += 1
                continue
            with engine.begin() as conn:
                conn.execute(
                    t.update()
                    .where(t.c.id == outbox_id)
                    .values(state="verzonden", sent_at=now(), recipient=None, message="", attempts=attempts + 1)
                )
            report.sent += 1
            if after_send is not None:
                after_send()
    finally:
        transport.close()
    return report


def _failed(
    engine: Engine, outbox_id: int, subscriber_id: int | None, attempts: int, *, permanent: bool, error: str
) -> None:
    with engine.begin() as conn:
        if permanent or attempts + 1 > len(BACKOFF):
            conn.execute(
                t.update()
                .where(t.c.id == outbox_id)
                .values(state="geweigerd" if permanent else "mislukt", last_error=error, attempts=attempts + 1)
            )
            if permanent and subscriber_id is not None:
                conn.execute(
                    schema_subscriptions.subscriber.update()
                    .where(schema_subscriptions.subscriber.c.id == subscriber_id)
                    .values(refused=f"geweigerd door de ontvangende server ({error}) op {now():%Y-%m-%d}")
                )
            return
        conn.execute(
            t.update()
            .where(t.c.id == outbox_id)
            .values(
                state="wachtend", attempts=attempts + 1, last_error=error, next_attempt_at=now() + BACKOFF[attempts]
            )
        )


def pending(conn: Connection) -> dict[str, int]:
    rows = conn.execute(select(t.c.state).select_from(t)).all()
    out: dict[str, int] = {}
    for (state,) in rows:
        out[state] = out.get(state, 0) + 1
    return out


def due_at(conn: Connection) -> datetime | None:
    return conn.execute(
        select(t.c.next_attempt_at).where(t.c.state == "wachtend").order_by(t.c.next_attempt_at).limit(1)
    ).scalar()
