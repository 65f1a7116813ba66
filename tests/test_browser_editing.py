"""Editing in a real Chromium: a redacteur proposes an interlokale vereniging, an eindredacteur accepts it, and
it is on the municipality pages and in search, with JavaScript and without it, at desktop and phone width.
And anyone can report an error from a cooperation page; the report reaches the review queue."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import live_server
from igsatlas.store import accounts
from igsatlas.store.accounts import AccountRole
from igsatlas.store.engine import make_engine

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
PASSWORDS = {"rita@example.org": "wachtwoord-van-rita", "erik@example.org": "wachtwoord-van-erik"}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def base_url(writable_url: str) -> Iterator[str]:
    engine = make_engine(writable_url)
    with engine.begin() as conn:
        accounts.add(
            conn, "rita@example.org", "Rita Redacteur", PASSWORDS["rita@example.org"], AccountRole.EDITOR, ["23104"]
        )
        accounts.add(
            conn, "erik@example.org", "Erik Eindredacteur", PASSWORDS["erik@example.org"], AccountRole.REVIEWER, []
        )
    engine.dispose()
    with live_server(writable_url) as url:
        yield url


def _page(browser: Browser, viewport: dict[str, int], javascript: bool) -> Page:
    context = browser.new_context(viewport=viewport, locale="nl-BE", java_script_enabled=javascript)  # type: ignore[arg-type]
    return context.new_page()


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


OFFENDERS = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter(e => !e.closest('svg, .tabel-scroll'))
  .slice(0, 5).map(e => e.tagName + ' ' + (e.textContent || '').trim().slice(0, 60))"""


def fits(page: Page, width: int) -> None:
    """Nothing on the page is wider than the screen (so nothing scrolls sideways)."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.evaluate(OFFENDERS)


def _sign_in(page: Page, base_url: str, email: str) -> None:
    page.goto(base_url + "/aanmelden")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORDS[email])
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("heading", name="Redactie", exact=True)).to_be_visible()


@pytest.mark.parametrize(
    ("javascript", "viewport", "name"),
    [(True, DESKTOP, "ILV Jeugdwerk Pajottenland"), (False, PHONE, "ILV Sportkampen Zennevallei")],
    ids=["met-javascript-1280", "zonder-javascript-390"],
)
def test_a_proposed_ilv_is_accepted_and_shown(
    browser: Browser, base_url: str, javascript: bool, viewport: dict[str, int], name: str
) -> None:
    tag = "js" if javascript else "nojs"
    editor = _page(browser, viewport, javascript)
    _sign_in(editor, base_url, "rita@example.org")
    editor.get_by_role("link", name="Nieuw samenwerkingsverband").click()
    editor.get_by_label("Naam").fill(name)
    editor.get_by_label("Rechtsvorm").select_option("interlokale-vereniging")
    for i, municipality in enumerate(("Lennik", "Gooik", "Dilbeek"), start=1):
        editor.get_by_label(f"Gemeente {i}", exact=True).fill(municipality)
    editor.get_by_label("Adres van het bewijs").fill("https://www.lennik.be/besluiten/gemeenteraad-2023-05-22")
    editor.get_by_label("Datum van het bewijs").fill("2023-05-22")
    shot(editor, f"redactie-nieuw-{tag}-{viewport['width']}")
    editor.get_by_role("button", name="Voorstel indienen").click()
    expect(editor.get_by_role("heading", name="Voorstel ingediend")).to_be_visible()
    fits(editor, viewport["width"])
    editor.context.close()

    reviewer = _page(browser, viewport, javascript)
    _sign_in(reviewer, base_url, "erik@example.org")
    reviewer.get_by_role("row", name="nieuw samenwerkingsverband").last.get_by_role("link").click()
    expect(reviewer.get_by_text(name)).to_be_visible()
    shot(reviewer, f"redactie-beoordelen-{tag}-{viewport['width']}")
    reviewer.get_by_role("button", name="Aanvaarden en publiceren").click()
    expect(reviewer.get_by_role("heading", name="Aanvaard en gepubliceerd")).to_be_visible()
    reviewer.context.close()

    visitor = _page(browser, viewport, javascript)
    visitor.wait_for_timeout(1100)  # the page cache looks at the register's version once a second
    for slug in ("lennik", "gooik", "dilbeek"):
        visitor.goto(f"{base_url}/gemeenten/{slug}?op=2024-06-30")
        expect(visitor.get_by_role("link", name=name).first).to_be_visible()
    shot(visitor, f"gemeente-met-ilv-{tag}-{viewport['width']}")
    visitor.goto(base_url + "/")
    visitor.get_by_label("Zoek een gemeente").fill(name.removeprefix("ILV "))
    visitor.get_by_role("button", name="Zoeken").click()
    visitor.get_by_role("link", name=name).first.click()
    expect(visitor.get_by_role("heading", name=name, level=1)).to_be_visible()
    expect(visitor.get_by_text("Opgenomen in het register")).to_be_visible()
    shot(visitor, f"ilv-pagina-{tag}-{viewport['width']}")
    fits(visitor, viewport["width"])
    visitor.context.close()


def test_anyone_reports_an_error_that_reaches_the_queue(browser: Browser, base_url: str) -> None:
    visitor = _page(browser, PHONE, False)
    visitor.goto(base_url + "/samenwerkingsverbanden/interleuven")
    visitor.get_by_role("link", name="Meld een fout").first.click()
    visitor.get_by_label("Wat is er fout?").fill("Interleuven heeft sinds 2025 een nieuw adres.")
    visitor.get_by_label("Uw e-mailadres, als u een antwoord wilt").fill("burger@example.org")
    shot(visitor, "meld-een-fout-390")
    visitor.get_by_role("button", name="Melding versturen").click()
    expect(visitor.get_by_role("heading", name="Bedankt voor uw melding")).to_be_visible()
    visitor.context.close()

    reviewer = _page(browser, DESKTOP, True)
    _sign_in(reviewer, base_url, "erik@example.org")
    row = reviewer.get_by_role("row", name="melding van een fout").last
    expect(row.get_by_role("link", name="Interleuven")).to_be_visible()  # what it is about, by name, not by id
    row.get_by_role("link").first.click()
    expect(reviewer.get_by_text("Interleuven heeft sinds 2025 een nieuw adres.")).to_be_visible()
    expect(reviewer.get_by_text("burger@example.org")).to_be_visible()
    shot(reviewer, "melding-in-wachtrij-1280")
    reviewer.context.close()
