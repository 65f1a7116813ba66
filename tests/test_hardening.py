"""The faults a hostile probe found in the write paths, each reproduced on real servers and databases: dates
no register holds, free-text legal forms, ids too long for the database, a merge out of scope, concurrent
reviewers, double clicks and login floods, spoofed X-Forwarded-For, and a slow login holding up other clients."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import pytest
import requests
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from sqlalchemy import func, select, update
from starlette.testclient import TestClient

from conftest import DATA_DIR, live_server, smtp_server
from igsatlas.config import Settings, parse_networks
from igsatlas.domain import edit_rules
from igsatlas.domain.edits import EditKind
from igsatlas.ingest.publication import republish
from igsatlas.mail import outbox
from igsatlas.store import accounts, schema, schema_editing, schema_subscriptions, subscribers
from igsatlas.store import edits as store_edits
from igsatlas.store.accounts import AccountRole
from igsatlas.store.engine import make_engine
from igsatlas.web.access_log import PersonalParameters
from igsatlas.web.app import create_app
from igsatlas.web.proxies import forwarded_client
from test_follow import Inbox

PASSWORDS = {
    "rita@example.org": "wachtwoord-van-rita",
    "erik@example.org": "wachtwoord-van-erik",
    "bea@example.org": "wachtwoord-van-bea",
}


@pytest.fixture(scope="module")
def url(writable_url: str) -> str:
    engine = make_engine(writable_url)
    with engine.begin() as conn:
        accounts.add(conn, "rita@example.org", "Rita", PASSWORDS["rita@example.org"], AccountRole.EDITOR, ["23104"])
        accounts.add(conn, "erik@example.org", "Erik", PASSWORDS["erik@example.org"], AccountRole.REVIEWER, [])
        accounts.add(conn, "bea@example.org", "Bea", PASSWORDS["bea@example.org"], AccountRole.ADMIN, [])
    engine.dispose()
    return writable_url


@pytest.fixture(scope="module")
def site(url: str) -> Iterator[TestClient]:
    settings = Settings.from_env({"IGSATLAS_DATABASE_URL": url, "IGSATLAS_DATA_DIR": str(DATA_DIR)})
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture(scope="module")
def server(url: str) -> Iterator[str]:
    """A real server behind a 'proxy' on loopback: X-Forwarded-For names the client (each thread its own)."""
    with live_server(url, IGSATLAS_TRUSTED_PROXIES="127.0.0.1") as base:
        yield base


@pytest.fixture(autouse=True)
def _no_throttle(url: str) -> Iterator[None]:
    yield
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(schema_editing.throttle.delete())
    engine.dispose()


class Browser(requests.Session):
    """A client of the live server: its own cookies, and the address a trusted proxy names for it."""

    def __init__(self, base: str, address: str | None = None) -> None:
        super().__init__()
        self.base = base
        if address:
            self.headers["X-Forwarded-For"] = address

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs.setdefault("allow_redirects", kwargs.pop("follow_redirects", False))
        kwargs.setdefault("timeout", 120)
        return super().request(method, self.base + url, *args, **kwargs)


def token(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the form carries no token"
    return found.group(1)


def sign_in(client: TestClient | Browser, email: str) -> None:
    client.cookies.clear()
    page = client.get("/aanmelden")
    answer = client.post(
        "/aanmelden",
        data={"csrf": token(page.text), "email": email, "wachtwoord": PASSWORDS[email]},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text


def at_once(calls: list[Callable[[], requests.Response]]) -> list[requests.Response]:
    """Run the calls in threads released together (a real race on the server)."""
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], requests.Response]) -> requests.Response:
        start.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def submitted(
    url: str, payload: dict[str, object], kind: EditKind = EditKind.CHANGE_FIELD, slug: str = "interleuven"
) -> int:
    """A proposal as it lies in the queue (made before the form checked it, or by hand)."""
    engine = make_engine(url)
    with engine.begin() as conn:
        org = conn.execute(select(schema.organisation.c.id).where(schema.organisation.c.slug == slug)).scalar()
        edit_id = store_edits.submit(
            conn,
            kind=kind,
            target_kind="organisatie",
            target_id=None if kind is EditKind.ADD_ORGANISATION else org,
            payload=payload,
            base={},
            evidence_url="https://example.org/besluit",
        )
    engine.dispose()
    return edit_id


def edit_state(url: str, edit_id: int) -> str:
    engine = make_engine(url)
    with engine.connect() as conn:
        state = conn.execute(select(schema_editing.edit.c.state).where(schema_editing.edit.c.id == edit_id)).scalar()
    engine.dispose()
    return str(state)


# --- 1. dates no register holds ------------------------------------------------------------------


@pytest.mark.parametrize(("name", "value"), [("founding_date", "0001-01-01"), ("planned_end_date", "9999-12-31")])
def test_a_date_outside_1800_2200_is_refused_on_the_form(site: TestClient, name: str, value: str) -> None:
    sign_in(site, "erik@example.org")
    form = site.get("/samenwerkingsverbanden/interleuven/wijzig")
    answer = site.post(
        "/samenwerkingsverbanden/interleuven/wijzig",
        data={"csrf": token(form.text), "actie": "gegevens", name: value, "bewijs_url": "https://example.org/b"},
    )
    assert answer.status_code == 400
    assert f"{value} ligt niet tussen 1800 en 2200" in answer.text


def test_an_accepted_edit_with_an_impossible_date_is_not_applied(url: str, site: TestClient) -> None:
    """Accepted before the check existed: the register composes without it, and the queue shows why."""
    edit_id = submitted(url, {"founding_date": "0001-01-01"})
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(update(schema_editing.edit).where(schema_editing.edit.c.id == edit_id).values(state="aanvaard"))
    report = republish(engine, DATA_DIR, "test")
    with engine.connect() as conn:
        founded = conn.execute(
            select(schema.organisation.c.founding_date).where(schema.organisation.c.slug == "interleuven")
        ).scalar()
        conflict = conn.execute(
            select(schema_editing.edit.c.conflict).where(schema_editing.edit.c.id == edit_id)
        ).scalar()
    engine.dispose()
    assert founded is None or founded.year > 1800
    assert report.conflicts >= 1 and "niet toegepast" in conflict and "0001-01-01" in conflict


def test_a_failed_warm_up_is_reported_and_the_site_keeps_serving(imported_copy_url: str) -> None:
    """A register the warm-up cannot build (a day written into the database by hand): /status.json says so."""
    engine = make_engine(imported_copy_url)
    with engine.begin() as conn:
        first = conn.execute(select(func.min(schema.membership.c.id))).scalar()
        conn.execute(update(schema.membership).where(schema.membership.c.id == first).values(valid_from=date(1, 1, 1)))
    engine.dispose()
    settings = Settings.from_env({"IGSATLAS_DATABASE_URL": imported_copy_url, "IGSATLAS_DATA_DIR": str(DATA_DIR)})
    with TestClient(create_app(settings)) as client:
        deadline = time.monotonic() + 120
        status = client.get("/status.json").json()
        while "opwarmfout" not in status:
            assert time.monotonic() < deadline, f"the failed warm-up was not reported: {status}"
            time.sleep(0.5)
            status = client.get("/status.json").json()
        assert status["opgewarmd"] is False and "Error" in status["opwarmfout"]
        assert client.get("/over").status_code == 200


# --- 4. free text where the register holds a code --------------------------------------------------


def test_a_free_text_legal_form_or_status_is_refused_on_the_form(site: TestClient) -> None:
    sign_in(site, "erik@example.org")
    form = site.get("/samenwerkingsverbanden/interleuven/wijzig")
    answer = site.post(
        "/samenwerkingsverbanden/interleuven/wijzig",
        data={
            "csrf": token(form.text),
            "actie": "gegevens",
            "classification": "bogus",
            "status": "x",
            "bewijs_url": "https://example.org/b",
        },
    )
    assert answer.status_code == 400
    assert "Rechtsvorm: kies een rechtsvorm uit de lijst." in answer.text
    assert "Status: kies actief, niet-actief of in-oprichting." in answer.text


def test_accepting_a_free_text_proposal_says_why_and_leaves_it_pending(url: str, site: TestClient) -> None:
    edit_id = submitted(url, {"classification": "bogus", "status": "x"})
    sign_in(site, "erik@example.org")
    page = site.get(f"/redactie/wijzigingen/{edit_id}")
    answer = site.post(f"/redactie/wijzigingen/{edit_id}", data={"csrf": token(page.text), "actie": "aanvaard"})
    assert answer.status_code == 400
    assert "kan niet aanvaard worden" in answer.text and "Rechtsvorm" in answer.text
    assert edit_state(url, edit_id) == "ingediend"


# --- 9. ids longer than the database's integers -------------------------------------------------------


def test_a_hundred_digit_id_is_not_found(site: TestClient) -> None:
    huge = "9" * 100
    assert site.get(f"/nieuwsbrief/archief/{huge}").status_code == 404
    sign_in(site, "erik@example.org")
    for path in (f"/redactie/wijzigingen/{huge}", f"/redactie/nieuwsbrief/{huge}", "/redactie/wijzigingen/2147483648"):
        assert site.get(path).status_code == 404, path


# --- 11. a merge reaches outside the editor's scope -----------------------------------------------------


def test_an_editor_cannot_merge_with_a_record_outside_their_scope(url: str, site: TestClient) -> None:
    sign_in(site, "rita@example.org")  # scope: Lennik, a member of Sportregio Pajottenland, not of Interleuven
    form = site.get("/samenwerkingsverbanden/ilv-sportregio-pajottenland/wijzig")
    engine = make_engine(url)
    with engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(schema_editing.edit)).scalar()
    answer = site.post(
        "/samenwerkingsverbanden/ilv-sportregio-pajottenland/wijzig",
        data={
            "csrf": token(form.text),
            "actie": "samenvoegen",
            "ander": "/samenwerkingsverbanden/interleuven",
            "bewijs_url": "https://example.org/b",
        },
    )
    with engine.connect() as conn:
        after = conn.execute(select(func.count()).select_from(schema_editing.edit)).scalar()
    engine.dispose()
    assert answer.status_code == 403 and "buiten uw werkveld" in answer.text
    assert after == before


# --- 13. races in the write paths --------------------------------------------------------------------


def _signed_in(base: str, email: str, address: str) -> Browser:
    client = Browser(base, address)
    sign_in(client, email)
    return client


def test_two_reviewers_accepting_at_once_publish_once(url: str, server: str) -> None:
    edit_id = submitted(
        url,
        {
            "name": "ILV Gelijktijdig",
            "classification": "interlokale-vereniging",
            "founding_date": "2022-01-01",
            "members": [{"nis": "23104", "role": "participant"}, {"nis": "23016", "role": "participant"}],
        },
        EditKind.ADD_ORGANISATION,
    )
    reviewers = [_signed_in(server, e, f"192.0.2.{i}") for i, e in enumerate(["erik@example.org", "bea@example.org"])]
    forms = [token(c.get(f"/redactie/wijzigingen/{edit_id}").text) for c in reviewers]
    answers = at_once(
        [
            lambda c=c, f=f: c.post(f"/redactie/wijzigingen/{edit_id}", data={"csrf": f, "actie": "aanvaard"})  # type: ignore[misc]
            for c, f in zip(reviewers, forms, strict=True)
        ]
    )
    assert sorted(a.status_code for a in answers) == [200, 409]
    engine = make_engine(url)
    with engine.connect() as conn:
        o = schema.organisation
        made = conn.execute(select(func.count()).select_from(o).where(o.c.name == "ILV Gelijktijdig")).scalar()
        logged = conn.execute(
            select(func.count())
            .select_from(schema.change_log)
            .where(schema.change_log.c.source == f"edit:{edit_id}", schema.change_log.c.entity == "organisation")
        ).scalar()
    engine.dispose()
    assert made == 1 and logged >= 1
    assert edit_state(url, edit_id) == "aanvaard"


def test_a_double_click_on_verstuur_queues_the_newsletter_once(url: str, server: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        for i in range(3):
            sub, _ = subscribers.sign_up(conn, f"lezer{i}@example.org", True, "direct", [])
            assert sub.nonce is not None
            subscribers.confirm(conn, sub.id, sub.nonce)
    erik = _signed_in(server, "erik@example.org", "192.0.2.10")
    new = erik.get("/redactie/nieuwsbrief")
    made = erik.post("/redactie/nieuwsbrief", data={"csrf": token(new.text), "titel": "Eén keer", "tekst": "Tekst."})
    issue = made.headers["location"]
    form = token(erik.get(issue).text)
    answers = at_once([lambda: erik.post(issue, data={"csrf": form, "actie": "verstuur"}) for _ in range(2)])
    assert sorted(a.status_code for a in answers) == [200, 409]
    with engine.connect() as conn:
        queued = conn.execute(
            select(func.count())
            .select_from(schema_subscriptions.outbox)
            .where(schema_subscriptions.outbox.c.kind == "nieuwsbrief")
        ).scalar()
    engine.dispose()
    assert queued == 3


def test_twelve_wrong_passwords_at_once_get_exactly_five_tries(server: str) -> None:
    clients = [Browser(server, f"198.51.100.{i}") for i in range(12)]
    forms = [token(c.get("/aanmelden").text) for c in clients]
    answers = at_once(
        [
            lambda c=c, f=f: c.post("/aanmelden", data={"csrf": f, "email": "bea@example.org", "wachtwoord": "fout"})  # type: ignore[misc]
            for c, f in zip(clients, forms, strict=True)
        ]
    )
    assert sorted(a.status_code for a in answers) == [400] * 5 + [429] * 7


# --- 7. X-Forwarded-For from anyone ----------------------------------------------------------------


def test_forwarded_for_counts_only_from_a_trusted_proxy(url: str) -> None:
    """Without IGSATLAS_TRUSTED_PROXIES a rotating header does not make new clients: the 11th report is refused."""
    with live_server(url) as base:
        codes = []
        for i in range(12):
            client = Browser(base, f"203.0.113.{i}")
            form = client.get("/meld-een-fout", params={"over": "organisatie:interleuven"})
            codes.append(
                client.post(
                    "/meld-een-fout",
                    params={"over": "organisatie:interleuven"},
                    data={"csrf": token(form.text), "wat": "Een fout in de naam"},
                ).status_code
            )
    assert codes[:10] == [200] * 10 and codes[10:] == [429, 429]


def test_the_client_behind_trusted_proxies_is_the_rightmost_untrusted_address() -> None:
    proxies = parse_networks("127.0.0.1, 10.0.0.0/8")
    assert forwarded_client("127.0.0.1", "6.6.6.6, 203.0.113.7", proxies) == "203.0.113.7"
    assert forwarded_client("127.0.0.1", "203.0.113.7, 10.1.2.3", proxies) == "203.0.113.7"
    assert forwarded_client("192.0.2.1", "203.0.113.7", proxies) == "192.0.2.1"  # not a proxy: its header is ignored
    assert forwarded_client("127.0.0.1", "not-an-address", proxies) == "127.0.0.1"


# --- 14. blocking work on the event loop -----------------------------------------------------------


def test_a_slow_login_does_not_hold_up_another_clients_cached_page(server: str) -> None:
    reader = Browser(server, "192.0.2.50")
    while not reader.get("/status.json").json()["opgewarmd"]:
        time.sleep(0.2)  # the warm-up's own work (first in this module when run alone) is not what is measured
    reader.get("/over")  # now in the page cache
    started = time.perf_counter()
    reader.get("/over")
    cached = time.perf_counter() - started
    login = Browser(server, "192.0.2.51")
    form = token(login.get("/aanmelden").text)
    times: list[float] = []
    done = threading.Event()

    check = time.perf_counter()
    with pytest.raises(VerificationError):
        PasswordHasher().verify(PasswordHasher().hash("x"), "y")  # what one login's check costs on this machine
    check = time.perf_counter() - check

    def logins() -> None:
        for _ in range(3):
            login.post("/aanmelden", data={"csrf": form, "email": "erik@example.org", "wachtwoord": "fout"})
        done.set()

    thread = threading.Thread(target=logins)
    thread.start()
    while not done.is_set():
        started = time.perf_counter()
        assert reader.get("/over").status_code == 200
        times.append(time.perf_counter() - started)
    thread.join()
    print(
        f"argon2 check {check * 1000:.0f} ms; cached page alone {cached * 1000:.1f} ms, during logins worst "
        f"{max(times) * 1000:.1f} ms of {len(times)}"
    )
    assert len(times) >= 3 and max(times) < check / 3


# --- 3, 5, 12: mail, read back from a real SMTP server ---------------------------------------------


class RawInbox(Inbox):
    """The SMTP server's messages, parsed and as the bytes that arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.raw: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.raw.append(envelope.content)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture(scope="module")
def inbox() -> Iterator[tuple[RawInbox, int]]:
    box = RawInbox()
    with smtp_server(box) as port:
        yield box, port


def deliver(url: str, port: int) -> None:
    settings = Settings.from_env(
        {
            "IGSATLAS_DATABASE_URL": url,
            "IGSATLAS_DATA_DIR": str(DATA_DIR),
            "IGSATLAS_SMTP_URL": f"smtp://127.0.0.1:{port}",
            "IGSATLAS_BASE_URL": "http://testserver",
        }
    )
    engine = make_engine(url)
    outbox.send_due(engine, settings)
    engine.dispose()


def test_a_newsletter_title_goes_into_the_mail_as_text(url: str, site: TestClient, inbox: tuple[RawInbox, int]) -> None:
    box, port = inbox
    sign_in(site, "bea@example.org")
    new = site.get("/redactie/nieuwsbrief")
    title = '<img src=x onerror=alert(1)> & "nieuw"\r\nBcc: stiekem@example.org'
    made = site.post("/redactie/nieuwsbrief", data={"csrf": token(new.text), "titel": title, "tekst": "*Tekst*"})
    assert made.status_code == 200
    site.post(str(made.url).removeprefix("http://testserver"), data={"csrf": token(made.text), "actie": "test"})
    deliver(url, port)
    [mail] = [m for m in box.to("bea@example.org") if "nieuwsbrief" in str(m["Subject"])]
    assert mail["Subject"] == 'IGS-atlas nieuwsbrief: <img src=x onerror=alert(1)> & "nieuw" Bcc: stiekem@example.org'
    assert mail["Bcc"] is None
    html = mail.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &#34;nieuw&#34;" in html and "<img" not in html
    assert "<em>Tekst</em>" in html  # the body's Markdown stays markup


def test_list_unsubscribe_is_sent_as_ascii_and_a_sent_message_keeps_no_address(
    url: str, site: TestClient, inbox: tuple[RawInbox, int]
) -> None:
    box, port = inbox
    site.cookies.clear()
    form = site.get("/nieuwsbrief")
    answer = site.post(
        "/nieuwsbrief", data={"csrf": token(form.text), "email": "ascii@example.org", "nieuwsbrief": "ja"}
    )
    assert answer.status_code == 200
    deliver(url, port)
    [raw] = [r for r in box.raw if b"To: ascii@example.org" in r]
    header = re.search(rb"^List-Unsubscribe: (.*(?:\r?\n[ \t].*)*)", raw, re.MULTILINE)
    assert header is not None
    value = header.group(1).decode("ascii").strip()
    found = re.fullmatch(r"<http://[\w.:]+(/nieuwsbrief/afmelden\?token=[\w.\-]+)>", value)
    assert "=?" not in value and found, value
    leave = found.group(1)
    assert site.post(leave).status_code == 200  # one-click unsubscribe (RFC 8058)
    engine = make_engine(url)
    with engine.connect() as conn:
        kept = conn.execute(
            select(schema_subscriptions.outbox.c.recipient, schema_subscriptions.outbox.c.message)
        ).all()
    engine.dispose()
    assert kept and not [r for r in kept if "ascii@example.org" in f"{r.recipient} {r.message}"]


# --- 6. the footer's signup ----------------------------------------------------------------------------


def test_the_footer_posts_the_address_and_a_get_with_one_is_turned_away(url: str, site: TestClient) -> None:
    site.cookies.clear()
    page = site.get("/over").text
    assert re.search(r'<form class="inschrijven" method="post" action="/nieuwsbrief">', page)
    engine = make_engine(url)
    with engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(schema_subscriptions.subscriber)).scalar()
    step = site.post("/nieuwsbrief", data={"stap": "adres", "email": "voet@example.org"})
    assert step.status_code == 200 and 'value="voet@example.org"' in step.text and 'name="csrf"' in step.text
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema_subscriptions.subscriber)).scalar() == before
    engine.dispose()
    away = site.get("/nieuwsbrief", params={"email": "voet@example.org"}, follow_redirects=False)
    assert away.status_code == 303 and away.headers["location"] == "/nieuwsbrief"
    assert site.post("/nieuwsbrief", data={"email": "voet@example.org"}).status_code == 403  # no token, no step


def test_the_access_log_keeps_no_address_or_token() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        "",
        0,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/nieuwsbrief?volg=x&email=a%40b.be&token=abc.def", "1.1", 303),
        None,
    )
    PersonalParameters().filter(record)
    assert record.getMessage() == '- - "GET /nieuwsbrief?volg=x&email=…&token=… HTTP/1.1" 303'  # no IP address


# --- 8. a renamed organisation's old addresses ---------------------------------------------------------


def test_every_address_of_a_renamed_organisation_answers_301_to_its_new_one(url: str, site: TestClient) -> None:
    site.cookies.clear()
    assert site.get("/samenwerkingsverbanden/digipolis").status_code == 200
    edit_id = submitted(url, {"name": "Digipolis Antwerpen"}, slug="digipolis")
    sign_in(site, "erik@example.org")
    page = site.get(f"/redactie/wijzigingen/{edit_id}")
    assert (
        site.post(f"/redactie/wijzigingen/{edit_id}", data={"csrf": token(page.text), "actie": "aanvaard"}).status_code
        == 200
    )
    site.cookies.clear()
    deadline = time.monotonic() + 15  # the page cache looks at the register's version once a second
    while site.get("/samenwerkingsverbanden/digipolis", follow_redirects=False).status_code != 301:
        assert time.monotonic() < deadline, "the old address still answers"
        time.sleep(0.25)
    for rest in ("", ".json", ".atom", ".ttl", ".jsonld", ".nt", ".geojson", "?op=2024-06-30"):
        answer = site.get(f"/samenwerkingsverbanden/digipolis{rest}", follow_redirects=False)
        assert answer.status_code == 301, rest
        assert answer.headers["location"] == f"/samenwerkingsverbanden/digipolis-antwerpen{rest}"
        assert site.get(answer.headers["location"]).status_code == 200, rest
    assert site.get("/samenwerkingsverbanden/nooit-bestaan", follow_redirects=False).status_code == 404


def test_the_edit_check_on_constructed_payloads() -> None:
    assert edit_rules.problems({"name": "ILV X", "classification": "projectvereniging", "status": "actief"}) == {}
    found = edit_rules.problems(
        {
            "founding_date": "1799-12-31",
            "planned_end_date": "2201-01-01",
            "classification": "bogus",
            "status": "x",
            "members": [{"nis": "23104", "role": "baas", "valid_from": "31-12-2020"}],
        }
    )
    assert sorted(found) == [
        "classification",
        "founding_date",
        "lid0.role",
        "lid0.valid_from",
        "planned_end_date",
        "status",
    ]
    assert found["founding_date"] == (
        "Oprichtingsdatum: 1799-12-31 ligt niet tussen 1800 en 2200; controleer het jaar."
    )
    assert edit_rules.problems({"founding_date": "1800-01-01", "planned_end_date": "2200-12-31"}) == {}
