"""Accounts, review and reports on the site: every write route refuses anonymous users, users outside their
scope and forms without their token; login is throttled; an accepted edit is on the pages at once; a report
reaches the review queue and its address is shown to reviewers only."""

from __future__ import annotations

import inspect
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from conftest import DATA_DIR
from igsatlas.config import Settings
from igsatlas.store import accounts, schema, schema_editing
from igsatlas.store.accounts import AccountRole
from igsatlas.store.engine import make_engine
from igsatlas.web.app import create_app

PASSWORDS = {
    "rita@example.org": "wachtwoord-van-rita",
    "erik@example.org": "wachtwoord-van-erik",
    "bea@example.org": "wachtwoord-van-bea",
}


@pytest.fixture(scope="module")
def site(writable_url: str) -> Iterator[TestClient]:
    engine = make_engine(writable_url)
    with engine.begin() as conn:
        accounts.add(
            conn, "rita@example.org", "Rita Redacteur", PASSWORDS["rita@example.org"], AccountRole.EDITOR, ["23104"]
        )
        accounts.add(
            conn, "erik@example.org", "Erik Eindredacteur", PASSWORDS["erik@example.org"], AccountRole.REVIEWER, []
        )
        accounts.add(conn, "bea@example.org", "Bea Beheerder", PASSWORDS["bea@example.org"], AccountRole.ADMIN, [])
    engine.dispose()
    settings = Settings.from_env({"IGSATLAS_DATABASE_URL": writable_url, "IGSATLAS_DATA_DIR": str(DATA_DIR)})
    with TestClient(create_app(settings)) as client:
        yield client


def token(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the form carries no token"
    return found.group(1)


def sign_in(client: TestClient, email: str) -> None:
    client.cookies.clear()
    page = client.get("/aanmelden")
    answer = client.post(
        "/aanmelden",
        data={"csrf": token(page.text), "email": email, "wachtwoord": PASSWORDS[email]},
        follow_redirects=False,
    )
    assert answer.status_code == 303


WRITE_ROUTES = [
    ("GET", "/samenwerkingsverbanden/nieuw"),
    ("POST", "/samenwerkingsverbanden/nieuw"),
    ("GET", "/samenwerkingsverbanden/interleuven/wijzig"),
    ("POST", "/samenwerkingsverbanden/interleuven/wijzig"),
    ("GET", "/redactie"),
    ("GET", "/redactie/wijzigingen/1"),
    ("POST", "/redactie/wijzigingen/1"),
    ("GET", "/beheer/accounts"),
    ("POST", "/beheer/accounts"),
    ("POST", "/afmelden"),
]


@pytest.mark.parametrize(("method", "path"), WRITE_ROUTES)
def test_anonymous_visitors_are_refused_on_every_write_route(site: TestClient, method: str, path: str) -> None:
    site.cookies.clear()
    answer = site.request(method, path, data={"csrf": "x"})
    assert answer.status_code == 403
    assert "Er ging iets mis" not in answer.text
    assert answer.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize(
    ("method", "path"),
    [r for r in WRITE_ROUTES if r[0] == "POST"]
    + [("POST", "/aanmelden"), ("POST", "/meld-een-fout?over=organisatie:interleuven")],
)
def test_forms_without_their_token_are_refused(site: TestClient, method: str, path: str) -> None:
    sign_in(site, "bea@example.org")
    answer = site.request(method, path, data={"csrf": "not-the-token", "wat": "iets"})
    assert answer.status_code == 403
    assert "formulier is verlopen" in answer.text or "niet" in answer.text


def test_an_editor_outside_their_scope_is_refused(site: TestClient) -> None:
    sign_in(site, "rita@example.org")  # scope: Lennik only
    assert site.get("/samenwerkingsverbanden/interleuven/wijzig").status_code == 403
    assert site.get("/beheer/accounts").status_code == 403
    assert site.get("/redactie").status_code == 200
    # Lennik is in Sportregio Pajottenland, so Rita may propose there
    assert site.get("/samenwerkingsverbanden/ilv-sportregio-pajottenland/wijzig").status_code == 200


def test_login_is_throttled_per_account(site: TestClient) -> None:
    site.cookies.clear()
    page = site.get("/aanmelden")
    codes = [
        site.post(
            "/aanmelden", data={"csrf": token(page.text), "email": "erik@example.org", "wachtwoord": "fout"}
        ).status_code
        for _ in range(6)
    ]
    assert codes[:5] == [400] * 5 and codes[5] == 429
    # even the right password is refused while throttled
    right = site.post(
        "/aanmelden",
        data={"csrf": token(page.text), "email": "erik@example.org", "wachtwoord": PASSWORDS["erik@example.org"]},
    )
    assert right.status_code == 429 and "Te veel mislukte pogingen" in right.text
    _reset_throttle(site)


def _reset_throttle(site: TestClient) -> None:
    login = next(r for r in site.app.routes if getattr(r, "path", "") == "/aanmelden").endpoint
    editing = inspect.unwrap(login).__self__  # type: ignore[attr-defined]
    with editing.engine.begin() as conn:
        conn.execute(schema_editing.throttle.delete())


def test_proposal_accepted_is_on_the_pages_and_in_search(site: TestClient) -> None:
    sign_in(site, "rita@example.org")
    form = site.get("/samenwerkingsverbanden/nieuw")
    answer = site.post(
        "/samenwerkingsverbanden/nieuw",
        data={
            "csrf": token(form.text),
            "name": "ILV Sportregio Testland",
            "classification": "interlokale-vereniging",
            "founding_date": "2022-01-01",
            "lid": ["Lennik", "Gooik", "Dilbeek"],
            "bewijs_url": "https://www.lennik.be/gemeenteraad/2021-12-20",
        },
    )
    assert answer.status_code == 200 and "staat in de wachtrij" in answer.text
    edit_id = int(re.search(r"wijziging (\d+)", answer.text).group(1))  # type: ignore[union-attr]
    site.cookies.clear()
    assert "ILV Sportregio Testland" not in site.get("/gemeenten/lennik").text  # nothing is published before review
    sign_in(site, "erik@example.org")
    review = site.get(f"/redactie/wijzigingen/{edit_id}")
    assert "Lennik" in review.text and "Rita Redacteur" in review.text
    done = site.post(f"/redactie/wijzigingen/{edit_id}", data={"csrf": token(review.text), "actie": "aanvaard"})
    assert done.status_code == 200 and "gepubliceerd" in done.text
    site.cookies.clear()
    # the page cache looks at the register version once a second: ask again until it has (at most 15 s)
    deadline = time.monotonic() + 15
    while "ILV Sportregio Testland" not in site.get("/gemeenten/lennik", params={"op": "2024-06-30"}).text:
        assert time.monotonic() < deadline, "the accepted edit did not reach the page"
        time.sleep(0.25)
    for slug in ("lennik", "dilbeek"):
        assert "ILV Sportregio Testland" in site.get(f"/gemeenten/{slug}", params={"op": "2024-06-30"}).text
    assert "ILV Sportregio Testland" in site.get("/gemeenten/pajottegem", params={"op": "2025-06-30"}).text
    found = site.get("/zoeken.json", params={"q": "Sportregio Testland"}).json()
    assert found["groepen"][0]["resultaten"][0]["naam"] == "ILV Sportregio Testland"
    page = site.get("/samenwerkingsverbanden/ilv-sportregio-testland").text
    assert "Opgenomen in het register" in page and "redactie (wijziging" in page
    assert "Rita" not in page  # the public sees "redactie", not the account


def test_a_report_reaches_the_queue_and_its_address_stays_with_the_reviewers(site: TestClient) -> None:
    site.cookies.clear()
    page = site.get("/samenwerkingsverbanden/interleuven")
    assert "/meld-een-fout?over=organisatie:interleuven" in page.text
    form = site.get("/meld-een-fout", params={"over": "organisatie:interleuven"})
    answer = site.post(
        "/meld-een-fout?over=organisatie:interleuven",
        data={"csrf": token(form.text), "wat": "De website is verhuisd.", "email": "melder@example.org"},
    )
    assert answer.status_code == 200 and "Bedankt" in answer.text
    time.sleep(1.1)
    assert "melder@example.org" not in site.get("/samenwerkingsverbanden/interleuven").text
    sign_in(site, "erik@example.org")
    queue = site.get("/redactie").text
    report_id = max(int(n) for n in re.findall(r"/redactie/wijzigingen/(\d+)", queue))
    item = site.get(f"/redactie/wijzigingen/{report_id}").text
    assert "De website is verhuisd." in item and "melder@example.org" in item


def test_the_honeypot_stores_nothing(site: TestClient) -> None:
    site.cookies.clear()
    login = next(r for r in site.app.routes if getattr(r, "path", "") == "/aanmelden").endpoint
    editing = inspect.unwrap(login).__self__  # type: ignore[attr-defined]
    with editing.engine.connect() as conn:
        before = len(conn.execute(select(schema_editing.edit.c.id)).all())
    form = site.get("/meld-een-fout", params={"over": "gemeente:lennik"})
    site.post(
        "/meld-een-fout?over=gemeente:lennik",
        data={"csrf": token(form.text), "wat": "spam spam spam", "website_naam": "http://spam.example"},
    )
    with editing.engine.connect() as conn:
        assert len(conn.execute(select(schema_editing.edit.c.id)).all()) == before


def test_a_beheerder_creates_an_account_on_the_page(site: TestClient) -> None:
    sign_in(site, "bea@example.org")
    page = site.get("/beheer/accounts")
    answer = site.post(
        "/beheer/accounts",
        data={
            "csrf": token(page.text),
            "naam": "Nina Nieuw",
            "email": "nina@example.org",
            "wachtwoord": "een-lang-wachtwoord",
            "rol": "redacteur",
            "werkveld": "44021",
        },
    )
    assert answer.status_code == 200 and "Account voor Nina Nieuw aangemaakt" in answer.text
    assert "nina@example.org" not in answer.text  # addresses are not listed


def test_the_warm_up_parses_the_data_folder_before_the_first_acceptance(writable_url: str) -> None:
    """The first acceptance of a process composes the register from the parsed data folder: the site's warm-up
    parses it, so no reviewer waits for the parse (several seconds) on their first 'aanvaard'."""
    from igsatlas.ingest import publication

    engine = make_engine(writable_url)
    key = (DATA_DIR.resolve(), str(engine.url))
    engine.dispose()
    publication._parsed.pop(key, None)  # as in a process that has not accepted anything yet
    settings = Settings.from_env({"IGSATLAS_DATABASE_URL": writable_url, "IGSATLAS_DATA_DIR": str(DATA_DIR)})
    with TestClient(create_app(settings)) as client:
        deadline = time.monotonic() + 300
        while not client.get("/status.json").json()["opgewarmd"]:
            assert time.monotonic() < deadline, "the warm-up did not end"
            time.sleep(0.5)
    assert key in publication._parsed
    parsed = publication._parsed[key][1]
    assert len(parsed.municipalities) == 331  # the real data folder, parsed whole: 300 today, 31 merged away


def test_the_change_log_credits_every_field_an_accepted_edit_changes_to_the_edit(site: TestClient) -> None:
    """A founding date (and the start date it brings), a dissolution (status, end date and the slugs it moves) and
    the end of a membership, each accepted on the review page: every field it changed is "edit:N" in the change
    log, none the LBLOD snapshot its row came from."""
    from datetime import date

    from igsatlas.domain.edits import EditKind
    from igsatlas.store import edits as store_edits

    login = next(r for r in site.app.routes if getattr(r, "path", "") == "/aanmelden").endpoint
    engine = inspect.unwrap(login).__self__.engine  # type: ignore[attr-defined]
    o, m, log = schema.organisation, schema.membership, schema.change_log
    evidence: dict[str, Any] = {
        "evidence_url": "https://www.ejustice.just.fgov.be/tsv/example",
        "evidence_date": date(2024, 3, 1),
    }
    with engine.begin() as conn:
        undated = (
            conn.execute(select(o.c.id).where(o.c.valid_from.is_(None), o.c.founding_date.is_(None)).order_by(o.c.id))
            .scalars()
            .first()
        )
        association = (
            conn.execute(
                select(o.c.id)
                .where(o.c.classification == "projectvereniging", o.c.status == "actief", o.c.id != undated)
                .order_by(o.c.id)
            )
            .scalars()
            .first()
        )
        membership = (
            conn.execute(
                select(m.c.id)
                .where(m.c.valid_to.is_(None), m.c.organisation_id.not_in([undated, association]))
                .order_by(m.c.id)
            )
            .scalars()
            .first()
        )
        assert undated and association and membership
        proposals = [
            (EditKind.CHANGE_FIELD, "organisatie", undated, {"founding_date": "1990-01-01"}, {"founding_date": None}),
            (EditKind.DISSOLVE, "organisatie", association, {"valid_to": "2024-01-01"}, None),
            (EditKind.END_MEMBERSHIP, "lidmaatschap", membership, {"valid_to": "2024-01-01"}, None),
        ]
        ids = [
            store_edits.submit(
                conn, kind=kind, target_kind=what, target_id=target, payload=payload, base=base, **evidence
            )
            for kind, what, target, payload, base in proposals
        ]
    _reset_throttle(site)
    sign_in(site, "erik@example.org")
    expected = {
        ids[0]: {"founding_date", "valid_from"},
        ids[1]: {"status", "valid_to"},
        ids[2]: {"valid_to", "note"},
    }
    for edit_id, fields in expected.items():
        review = site.get(f"/redactie/wijzigingen/{edit_id}")
        done = site.post(f"/redactie/wijzigingen/{edit_id}", data={"csrf": token(review.text), "actie": "aanvaard"})
        assert done.status_code == 200 and "gepubliceerd" in done.text
        with engine.connect() as conn:
            batch = conn.execute(select(log.c.batch).order_by(log.c.id.desc()).limit(1)).scalar_one()
            entries = conn.execute(select(log.c.field, log.c.source).where(log.c.batch == batch)).all()
        assert fields <= {f for f, _ in entries}, entries
        assert {s for _, s in entries} == {f"edit:{edit_id}"}, entries
    site.cookies.clear()
