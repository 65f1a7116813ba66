"""`igs mail send | status`: queue the alerts that are due and send the outbox (one run)."""

from __future__ import annotations

import argparse
import threading
from typing import Any

from igsatlas.config import Settings
from igsatlas.mail import alerts, outbox
from igsatlas.store.engine import create_schema, make_engine


def add_parser(sub: Any) -> None:
    mail = sub.add_parser("mail", help="send alerts and the outbox (SMTP from IGSATLAS_SMTP_URL, else .eml files)")
    actions = mail.add_subparsers(dest="action", required=True)
    send = actions.add_parser("send", help="queue due alerts, then send every due message once")
    send.add_argument("--weekly", action="store_true", help="also send the weekly digests now")
    actions.add_parser("status", help="messages in the outbox per state")


def run_once(settings: Settings, *, weekly: bool = False) -> tuple[alerts.AlertReport, outbox.SendReport]:
    engine = make_engine(settings.database_url)
    try:
        create_schema(engine)
        queued = alerts.queue_alerts(engine, settings, weekly=weekly)
        sent = outbox.send_due(engine, settings)
        return queued, sent
    finally:
        engine.dispose()


def cmd_mail(args: argparse.Namespace, settings: Settings) -> int:
    if args.action == "status":
        engine = make_engine(settings.database_url)
        create_schema(engine)
        with engine.connect() as conn:
            waiting = sorted(outbox.pending(conn).items())
        engine.dispose()
        for state, n in waiting:
            print(f"{state}\t{n}")
        if not waiting:
            print("The outbox is empty: no message waits to be sent.")
        return 0
    queued, sent = run_once(settings, weekly=args.weekly)
    where = f"SMTP {settings.smtp.host}:{settings.smtp.port}" if settings.smtp else f"files in {settings.mail_dir}"
    print(
        f"alerts queued: {queued.queued} ({queued.changes} changes); sent: {sent.sent} via {where}; "
        f"to retry: {sent.retried}; refused: {sent.refused}"
    )
    return 0


def start_loop(settings: Settings, every_seconds: float = 30.0) -> threading.Event:
    """The sender that `igs serve --send-mail` runs in a thread: alerts and the outbox every half minute, and at
    once when a request wakes it (``outbox.wake_sender``, after a signup queued its confirmation)."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            outbox.WAKE.wait(every_seconds)
            outbox.WAKE.clear()
            if stop.is_set():
                break
            try:
                run_once(settings)
            except Exception:  # keep the loop alive; the outbox keeps every message for the next run
                import logging

                logging.getLogger("igsatlas.mail").exception("mail run failed")

    threading.Thread(target=loop, name="igs-mail", daemon=True).start()
    return stop
