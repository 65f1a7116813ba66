"""Signing up in a real Chromium at phone width without JavaScript: follow a municipality from its page,
confirm through the link in the mail (written as .eml, as on a machine without SMTP), change preferences."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from conftest import DATA_DIR, live_server
from igsatlas.config import Settings
from igsatlas.mail import outbox
from igsatlas.store.engine import make_engine

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture(scope="module")
def mail_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mail")


@pytest.fixture(scope="module")
def base_url(writable_url: str, mail_dir: Path) -> Iterator[str]:
    with live_server(writable_url, IGSATLAS_MAIL_DIR=str(mail_dir)) as url:
        yield url


def _send_and_read(writable_url: str, mail_dir: Path, base_url: str) -> str:
    settings = Settings.from_env(
        {
            "IGSATLAS_DATABASE_URL": writable_url,
            "IGSATLAS_MAIL_DIR": str(mail_dir),
            "IGSATLAS_DATA_DIR": str(DATA_DIR),
            "IGSATLAS_BASE_URL": base_url,
        }
    )
    engine = make_engine(writable_url)
    outbox.send_due(engine, settings)
    engine.dispose()
    newest = max(mail_dir.glob("*.eml"), key=lambda p: p.stat().st_mtime)
    msg = message_from_bytes(newest.read_bytes(), policy=policy.default)
    body = msg.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def test_sign_up_confirm_and_change_preferences_without_javascript(
    browser: Browser, base_url: str, writable_url: str, mail_dir: Path
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-BE", java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "/gemeenten/lennik")
    page.get_by_role("link", name="Volg deze gemeente").click()
    expect(page.get_by_label("Volg een gemeente")).to_have_value("Lennik")
    page.get_by_label("Uw e-mailadres").fill("inwoner@example.org")
    page.get_by_label("De nieuwsbrief van de redactie").uncheck()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "nieuwsbrief-390.png"), full_page=True)
    page.get_by_role("button", name="Inschrijven").click()
    expect(page.get_by_role("heading", name="Kijk in uw mailbox")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    text = _send_and_read(writable_url, mail_dir, base_url)
    confirm = re.search(r"(http://\S+/nieuwsbrief/bevestig\?token=\S+)", text)
    assert confirm, text
    # the links carry IGSATLAS_BASE_URL (the default address); the test server listens on another port
    page.goto(base_url + "/nieuwsbrief/" + confirm.group(1).split("/nieuwsbrief/", 1)[1])
    expect(page.get_by_role("heading", name="Inschrijving bevestigd")).to_be_visible()

    manage = re.search(r"(http://\S+/nieuwsbrief/voorkeuren\?token=\S+)", text)
    assert manage
    page.goto(base_url + "/nieuwsbrief/" + manage.group(1).split("/nieuwsbrief/", 1)[1])
    expect(page.get_by_label("gemeente Lennik")).to_be_checked()
    page.get_by_label("Eén overzicht per week").check()
    page.get_by_role("button", name="Bewaren").click()
    expect(page.get_by_text("Uw voorkeuren zijn bewaard.")).to_be_visible()
    expect(page.get_by_label("Eén overzicht per week")).to_be_checked()
    page.screenshot(path=str(ARTIFACTS / "voorkeuren-390.png"), full_page=True)
    context.close()
