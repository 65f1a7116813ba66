"""Following the register with a real SMTP server on loopback (aiosmtpd): double opt-in, alerts from the
change log, one-click unsubscribe, tokens, throttling, no address enumeration, and what changed between days."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import feedparser
import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from conftest import DATA_DIR, smtp_server
from igsatlas.config import Settings
from igsatlas.domain.edits import EditKind
from igsatlas.ingest.pipeline import Review
from igsatlas.ingest.publication import publish
from igsatlas.mail import alerts, messages, outbox, tokens
from igsatlas.store import accounts, schema, schema_subscriptions, subscribers
from igsatlas.store import edits as store_edits
from igsatlas.store.accounts import AccountRole
from igsatlas.store.engine import make_engine
from igsatlas.web.app import create_app


class Inbox:
    """What the SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if m["To"] == address]


@pytest.fixture(scope="module")
def inbox() -> Iterator[tuple[Inbox, int]]:
    box = Inbox()
    with smtp_server(box) as port:
        yield box, port


@pytest.fixture(scope="module")
def settings(writable_url: str, inbox: tuple[Inbox, int]) -> Settings:
    return Settings.from_env(
        {
            "IGSATLAS_DATABASE_URL": writable_url,
            "IGSATLAS_DATA_DIR": str(DATA_DIR),
            "IGSATLAS_SMTP_URL": f"smtp://127.0.0.1:{inbox[1]}",
            "IGSATLAS_BASE_URL": "http://testserver",
        }
    )


@pytest.fixture(scope="module")
def site(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client


def token(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found
    return found.group(1)


def send(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    alerts.queue_alerts(engine, settings)
    outbox.send_due(engine, settings)
    engine.dispose()


def sign_up(site: TestClient, email: str, **choices: str) -> str:
    site.cookies.clear()
    form = site.get("/nieuwsbrief")
    answer = site.post("/nieuwsbrief", data={"csrf": token(form.text), "email": email, **choices})
    assert answer.status_code == 200, answer.text
    return answer.text


def link(message: EmailMessage, path: str) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    found = re.search(rf"http://testserver({re.escape(path)}\?token=[\w.\-]+)", body.get_content())
    assert found, body.get_content()
    return found.group(1)


def test_signup_confirm_follow_alert_and_one_click_unsubscribe(
    site: TestClient, settings: Settings, inbox: tuple[Inbox, int]
) -> None:
    box, _ = inbox
    sign_up(site, "volger@example.org", gemeente="Lennik", frequentie="direct")
    send(settings)
    [confirmation] = box.to("volger@example.org")
    assert confirmation["Subject"] == "IGS-atlas: bevestig uw inschrijving"
    assert confirmation["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert confirmation.get_body(preferencelist=("html",)) is not None  # multipart: text and HTML
    assert "<img" not in confirmation.as_string()
    confirmed = site.get(link(confirmation, "/nieuwsbrief/bevestig"))
    assert confirmed.status_code == 200 and "Inschrijving bevestigd" in confirmed.text
    again = site.get(link(confirmation, "/nieuwsbrief/bevestig"))
    assert again.status_code == 400  # single use

    # An accepted edit to the followed municipality produces an alert with that change and its source.
    engine = make_engine(settings.database_url)
    with engine.begin() as conn:
        org = conn.execute(
            select(schema.organisation.c.id).where(schema.organisation.c.slug == "interleuven")
        ).scalar_one()
        edit_id = store_edits.submit(
            conn,
            kind=EditKind.ADD_MEMBERSHIP,
            target_kind="organisatie",
            target_id=org,
            payload={"nis": "23104", "role": "participant", "valid_from": "2026-01-01"},
            evidence_url="https://www.lennik.be/besluit/toetreding-interleuven",
        )
    publish(engine, DATA_DIR, Review(edit_id, None))
    send(settings)
    alerts_received = [m for m in box.to("volger@example.org") if "wijziging" in m["Subject"]]
    assert len(alerts_received) == 1
    text = alerts_received[0].get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "Lennik is lid van Interleuven" in text
    assert f"redactie (wijziging {edit_id})" in text
    assert "http://testserver/samenwerkingsverbanden/interleuven" in text

    # One-click unsubscribe (RFC 8058) removes the address; no later mail is sent.
    unsubscribe = alerts_received[0]["List-Unsubscribe"].strip("<>").removeprefix("http://testserver")
    answer = site.post(unsubscribe, data={"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200 and "Uitgeschreven" in answer.text
    with engine.connect() as conn:
        assert (
            conn.execute(
                select(func.count())
                .select_from(schema_subscriptions.subscriber)
                .where(schema_subscriptions.subscriber.c.email == "volger@example.org")
            ).scalar_one()
            == 0
        )
    before = len(box.to("volger@example.org"))
    with engine.begin() as conn:
        second = store_edits.submit(
            conn,
            kind=EditKind.ADD_MEMBERSHIP,
            target_kind="organisatie",
            target_id=org,
            payload={"nis": "23105", "role": "participant"},
            evidence_url="https://example.org/b",
        )
    publish(engine, DATA_DIR, Review(second, None))
    send(settings)
    assert len(box.to("volger@example.org")) == before
    engine.dispose()


def test_tampered_and_expired_links_are_refused(site: TestClient, settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    with engine.begin() as conn:
        key = tokens.secret_key(conn, settings.secret_key)
    engine.dispose()
    good = tokens.sign(key, "bevestig", 1, "abc", 7)
    tampered = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")
    answer = site.get(f"/nieuwsbrief/bevestig?token={tampered}")
    assert answer.status_code == 400 and "ongeldig" in answer.text
    expired = tokens.sign(key, "bevestig", 1, "abc", -1)
    answer = site.get(f"/nieuwsbrief/bevestig?token={expired}")
    assert answer.status_code == 400 and "verlopen" in answer.text
    wrong_purpose = tokens.sign(key, "beheer", 1, "abc", 7)
    assert site.get(f"/nieuwsbrief/bevestig?token={wrong_purpose}").status_code == 400


def test_a_known_and_an_unknown_address_get_the_same_answer(
    site: TestClient, settings: Settings, inbox: tuple[Inbox, int]
) -> None:
    first = sign_up(site, "bekend@example.org", nieuwsbrief="ja")
    known = sign_up(site, "bekend@example.org", nieuwsbrief="ja")
    unknown = sign_up(site, "onbekend@example.org", nieuwsbrief="ja")

    def main_of(html: str) -> str:
        return re.sub(r'name="csrf" value="[^"]+"', "", html.split("<main", 1)[1].split("</main>", 1)[0])

    assert main_of(first) == main_of(known) == main_of(unknown)
    assert "bekend@example.org" not in known


def test_the_signups_of_one_client_are_throttled(site: TestClient) -> None:
    site.cookies.clear()
    form = site.get("/nieuwsbrief")
    codes = [
        site.post(
            "/nieuwsbrief", data={"csrf": token(form.text), "email": f"massa{n}@example.org", "nieuwsbrief": "ja"}
        ).status_code
        for n in range(100)
    ]
    assert codes[0] == 200 and codes[-1] == 429
    assert codes.index(429) <= 31


def test_a_killed_sender_loses_nothing_and_sends_nothing_twice(settings: Settings, inbox: tuple[Inbox, int]) -> None:
    box, port = inbox
    send(settings)  # what earlier tests left in the outbox
    engine = make_engine(settings.database_url)
    with engine.begin() as conn:
        for n in range(30):
            outbox.enqueue(
                conn,
                messages.build(
                    sender=settings.mail_from,
                    recipient=f"kill{n}@example.org",
                    subject=f"bericht {n}",
                    text="x",
                    html_body="<p>x</p>",
                ),
                "test",
                None,
            )
    engine.dispose()
    # A sender that is killed (SIGKILL) right after its tenth message.
    script = (
        "import os, signal\n"
        "from igsatlas.config import Settings\n"
        "from igsatlas.mail import outbox\n"
        "from igsatlas.store.engine import make_engine\n"
        "s = Settings.from_env()\n"
        "count = [0]\n"
        "def hook():\n"
        "    count[0] += 1\n"
        "    if count[0] == 10:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "outbox.send_due(make_engine(s.database_url), s, after_send=hook)\n"
    )
    env = {
        **os.environ,
        "IGSATLAS_DATABASE_URL": settings.database_url,
        "IGSATLAS_SMTP_URL": f"smtp://127.0.0.1:{port}",
    }
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, timeout=60)
    assert done.returncode == -9
    received = [m for m in box.messages if str(m["To"]).startswith("kill")]
    assert len(received) == 10
    send(settings)
    received = [str(m["To"]) for m in box.messages if str(m["To"]).startswith("kill")]
    assert sorted(received) == sorted(f"kill{n}@example.org" for n in range(30))  # each exactly once


def test_what_changed_between_two_days_names_the_mergers(site: TestClient) -> None:
    doc = site.get("/wijzigingen.json", params={"van": "2024-06-30", "tot": "2025-06-30"}).json()["tussen"]
    pajottegem = next(f for f in doc["fusies"] if f["gemeente"] == "Pajottegem")
    assert pajottegem["uit"] == ["Galmaarden", "Gooik", "Herne"] and pajottegem["datum"] == "2025-01-01"
    passed = {m["organisatie"] for m in doc["overgegaan_naar_opvolger"] if m["lid"] == "Pajottegem"}
    assert {"Haviland", "Cipal"} <= passed
    assert doc["zonder_datum"] > 1000
    page = site.get("/wijzigingen", params={"gemeente": "pajottegem", "van": "2024-06-30", "tot": "2025-06-30"}).text
    assert "Pajottegem" in page and "geen gekende wijziging" in page


def test_feeds_parse_and_keep_their_entry_ids(site: TestClient) -> None:
    whole = feedparser.parse(site.get("/wijzigingen.atom").content)
    assert not whole.bozo and whole.feed.title == "Wijzigingen in de IGS-atlas"
    assert whole.entries and all(e.id.startswith("tag:igs-atlas.be,2026:wijziging:") for e in whole.entries)
    again = feedparser.parse(site.get("/wijzigingen.atom").content)
    assert [e.id for e in again.entries] == [e.id for e in whole.entries]
    interleuven = feedparser.parse(site.get("/samenwerkingsverbanden/interleuven.atom").content)
    assert not interleuven.bozo and interleuven.entries
    assert all("Interleuven" in e.title for e in interleuven.entries)
    lennik = feedparser.parse(site.get("/gemeenten/lennik.atom").content)
    assert not lennik.bozo
    page = site.get("/samenwerkingsverbanden/interleuven").text
    assert 'type="application/atom+xml"' in page and "interleuven.atom" in page


def test_the_privacy_page_and_the_footer_form(site: TestClient) -> None:
    site.cookies.clear()
    page = site.get("/gemeenten/gent").text
    assert 'action="/nieuwsbrief"' in page and 'href="/privacy"' in page
    privacy = site.get("/privacy").text
    assert "Hoe lang" in privacy and "wist uw adres" in privacy


def test_no_address_appears_in_pages_feeds_or_exports(site: TestClient) -> None:
    for path in ("/wijzigingen", "/wijzigingen.atom", "/wijzigingen.csv", "/wijzigingen.json", "/gemeenten/lennik"):
        body = site.get(path).text
        assert "@example.org" not in body, path


def test_without_smtp_mail_is_written_as_eml_files(tmp_path: Path, settings: Settings) -> None:
    local = Settings.from_env(
        {
            "IGSATLAS_DATABASE_URL": settings.database_url,
            "IGSATLAS_MAIL_DIR": str(tmp_path),
            "IGSATLAS_DATA_DIR": str(DATA_DIR),
        }
    )
    engine = make_engine(local.database_url)
    with engine.begin() as conn:
        outbox.enqueue(
            conn,
            messages.build(
                sender=local.mail_from, recipient="lokaal@example.org", subject="lokaal", text="x", html_body="<p>x</p>"
            ),
            "test",
            None,
        )
    outbox.send_due(engine, local)
    engine.dispose()
    files = list(tmp_path.glob("*.eml"))
    assert len(files) == 1 and "Subject: lokaal" in files[0].read_text()
    assert "lokaal@example.org" not in files[0].name


def test_a_refused_address_gets_no_more_mail_and_the_beheerder_sees_it(settings: Settings) -> None:
    class Refusing:
        async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
            return "550 5.1.1 no such mailbox"

    with smtp_server(Refusing()) as port:
        refusing = Settings.from_env(
            {"IGSATLAS_DATABASE_URL": settings.database_url, "IGSATLAS_SMTP_URL": f"smtp://127.0.0.1:{port}"}
        )
        engine = make_engine(settings.database_url)
        outbox.send_due(engine, settings)  # what earlier tests left
        with engine.begin() as conn:
            sub, _ = subscribers.sign_up(conn, "weg@example.org", True, "direct", [])
            outbox.enqueue(
                conn,
                messages.build(
                    sender=refusing.mail_from, recipient="weg@example.org", subject="x", text="x", html_body="x"
                ),
                "test",
                sub.id,
            )
        report = outbox.send_due(engine, refusing)
        assert report.refused == 1
        with engine.connect() as conn:
            assert any("weg@example.org" in text and "550" in text for _, text in subscribers.refused(conn))
            state = conn.execute(
                select(schema_subscriptions.outbox.c.state).order_by(schema_subscriptions.outbox.c.id.desc()).limit(1)
            ).scalar()
        assert state == "geweigerd"
        engine.dispose()


def test_an_editorial_issue_is_previewed_tested_sent_and_archived(
    site: TestClient, settings: Settings, inbox: tuple[Inbox, int]
) -> None:
    box, _ = inbox
    engine = make_engine(settings.database_url)
    with engine.begin() as conn:
        accounts.add(conn, "eva@example.org", "Eva Eindredacteur", "wachtwoord-van-eva", AccountRole.REVIEWER, [])
        reader, _ = subscribers.sign_up(conn, "lezer@example.org", True, "direct", [])
        assert reader.nonce is not None
        subscribers.confirm(conn, reader.id, reader.nonce)
    outbox.send_due(engine, settings)
    site.cookies.clear()
    login = site.get("/aanmelden")
    site.post(
        "/aanmelden", data={"csrf": token(login.text), "email": "eva@example.org", "wachtwoord": "wachtwoord-van-eva"}
    )
    new = site.get("/redactie/nieuwsbrief")
    made = site.post(
        "/redactie/nieuwsbrief",
        data={
            "csrf": token(new.text),
            "titel": "Nieuw: de interlokale verenigingen",
            "tekst": "Het register toont nu **15** ILV's.",
        },
    )
    assert made.status_code == 200 and "<strong>15</strong>" in made.text  # the preview as a page
    issue_url = str(made.url).removeprefix("http://testserver")
    site.post(issue_url, data={"csrf": token(made.text), "actie": "test"})
    outbox.send_due(engine, settings)
    assert [m["Subject"] for m in box.to("eva@example.org")] == [
        "IGS-atlas nieuwsbrief: Nieuw: de interlokale verenigingen"
    ]
    assert not any(
        "interlokale" in str(m["Subject"]) for m in box.to("lezer@example.org")
    )  # a test goes to the author only
    sent = site.post(issue_url, data={"csrf": token(made.text), "actie": "verstuur"})
    assert "klaar voor" in sent.text
    outbox.send_due(engine, settings)
    [issue] = [m for m in box.to("lezer@example.org") if "interlokale" in str(m["Subject"])]
    assert issue["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    site.cookies.clear()
    archive = site.get("/nieuwsbrief/archief").text
    assert "Nieuw: de interlokale verenigingen" in archive
    engine.dispose()


def test_a_signup_on_make_run_s_server_writes_its_confirmation_at_once(imported_copy_url: str, tmp_path: Path) -> None:
    """A newcomer runs `make run`, signs up, and finds the confirmation as an .eml file within seconds (no SMTP
    settings): the server is started with the arguments of the Makefile's own run target."""
    import requests

    from conftest import igs_serve

    makefile = (Path(__file__).parents[1] / "Makefile").read_text()
    recipe = makefile.split("\nrun:", 1)[1].split("\n", 2)[1]
    args = recipe.split("igs serve", 1)[1].split()
    env = {"IGSATLAS_MAIL_DIR": str(tmp_path / "mail"), "IGSATLAS_SMTP_URL": ""}
    with igs_serve(imported_copy_url, args=args, env=env) as port, requests.Session() as web:
        form = web.get(f"http://127.0.0.1:{port}/nieuwsbrief", timeout=30)
        answer = web.post(
            f"http://127.0.0.1:{port}/nieuwsbrief",
            data={"csrf": token(form.text), "email": "nieuwkomer@example.org", "nieuwsbrief": "ja"},
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        deadline = time.monotonic() + 10
        while not list((tmp_path / "mail").glob("*.eml")) and time.monotonic() < deadline:
            time.sleep(0.2)
    files = list((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 1, f"no confirmation within 10 s of the signup (server args {args})"
    mail = message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert mail["To"] == "nieuwkomer@example.org"
    assert "bevestig" in str(mail["Subject"]).lower()
