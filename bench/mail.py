"""Build and send alerts for 10,000 subscribers to a local SMTP server (aiosmtpd on loopback), next to a bare
smtplib loop sending as many messages to the same server in the same run (the reference).

Prints messages per second of each, the ratio, and the process's peak memory.
Usage: python bench/mail.py [--subscribers N]
"""

from __future__ import annotations

import argparse
import resource
import smtplib
import socket
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import select

from igsatlas.config import Settings
from igsatlas.domain.edits import EditKind
from igsatlas.ingest.pipeline import Review, run_import
from igsatlas.ingest.publication import publish
from igsatlas.mail import alerts, outbox
from igsatlas.store import edits as store_edits
from igsatlas.store import schema, schema_subscriptions
from igsatlas.store.changelog import now
from igsatlas.store.engine import make_engine


class Counter:
    def __init__(self) -> None:
        self.n = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.n += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bare_loop(port: int, count: int) -> float:
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as client:
        for n in range(count):
            msg = EmailMessage()
            msg["From"], msg["To"], msg["Subject"] = "bench@example.org", f"s{n}@example.org", "bench"
            msg.set_content("Lennik is lid van Interleuven (bron: redactie)")
            client.send_message(msg)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    args = parser.parse_args()
    data_dir = Settings.from_env().require_data_dir()
    counter = Counter()
    port = free_port()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        settings = Settings.from_env(
            {
                "IGSATLAS_DATABASE_URL": url,
                "IGSATLAS_DATA_DIR": str(data_dir),
                "IGSATLAS_SMTP_URL": f"smtp://127.0.0.1:{port}",
            }
        )
        engine = make_engine(url)
        run_import(engine, data_dir)
        with engine.begin() as conn:
            last = int(
                conn.execute(
                    select(schema.change_log.c.id).order_by(schema.change_log.c.id.desc()).limit(1)
                ).scalar_one()
            )
            rows = [
                {
                    "email": f"s{n}@example.org",
                    "newsletter": False,
                    "frequency": "direct",
                    "confirmed_at": now(),
                    "secret": f"{n:016x}",
                    "last_log_id": last,
                    "created_at": now(),
                }
                for n in range(args.subscribers)
            ]
            conn.execute(schema_subscriptions.subscriber.insert(), rows)
            ids = [r.id for r in conn.execute(select(schema_subscriptions.subscriber.c.id))]
            conn.execute(
                schema_subscriptions.subscription.insert(),
                [{"subscriber_id": i, "kind": "gemeente", "key": "23104"} for i in ids],
            )
            org = conn.execute(
                select(schema.organisation.c.id).where(schema.organisation.c.slug == "interleuven")
            ).scalar_one()
            edit_id = store_edits.submit(
                conn,
                kind=EditKind.ADD_MEMBERSHIP,
                target_kind="organisatie",
                target_id=org,
                payload={"nis": "23104"},
                evidence_url="https://www.lennik.be/besluit",
            )
        publish(engine, data_dir, Review(edit_id, None))
        started = time.perf_counter()
        queued = alerts.queue_alerts(engine, settings)
        built = time.perf_counter() - started
        sent = outbox.send_due(engine, settings)
        total = time.perf_counter() - started
        engine.dispose()
    reference = bare_loop(port, args.subscribers)
    time.sleep(0.5)
    controller.stop()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"alerts for {args.subscribers:,} subscribers: {queued.queued:,} queued in {built:.2f} s, "
        f"{sent.sent:,} sent; {total:.2f} s in all: {sent.sent / total:,.0f} messages/s"
    )
    print(
        f"bare smtplib loop, {args.subscribers:,} messages to the same server: {reference:.2f} s: "
        f"{args.subscribers / reference:,.0f} messages/s"
    )
    print(f"ratio alerts / bare loop (time): {total / reference:.1f}x; server received {counter.n:,} messages")
    print(f"peak RSS of the process: {peak:,.0f} MB")


if __name__ == "__main__":
    main()
