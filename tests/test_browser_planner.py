"""The planner in a real Chromium: choose three municipalities on the map with the keyboard, at phone and
desktop width; and the same through the form without JavaScript."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import live_server

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture(scope="module")
def base_url(imported_url: str) -> Iterator[str]:
    with live_server(imported_url) as url:
        yield url


def _tab_to_area(page: Page, name: str, limit: int = 500) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        label = page.evaluate("document.activeElement && document.activeElement.getAttribute('aria-label')")
        if label and label.startswith(f"{name}:"):
            return
    raise AssertionError(f"{name} not reached by keyboard")


@pytest.mark.parametrize("width", [390, 1280])
def test_choose_three_municipalities_on_the_map_with_the_keyboard(browser: Browser, base_url: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="nl-BE")
    page = context.new_page()
    page.goto(base_url + "/samenwerken?op=2025-06-30")
    for name in ("Lennik", "Dilbeek", "Pajottegem"):
        _tab_to_area(page, name)
        with page.expect_navigation():
            page.keyboard.press("Enter")
    expect(page.locator("#h-resultaat")).to_contain_text("3 gemeenten")
    expect(page.locator("#resultaat")).to_contain_text("Halle-Vilvoorde")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"samenwerken-{width}.png"), full_page=False)
    context.close()


def test_the_planner_works_through_the_form_without_javascript(browser: Browser, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 900}, locale="nl-BE", java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "/samenwerken?op=2024-06-30")
    for i, name in enumerate(("Galmaarden", "Gooik", "Herne"), start=1):
        page.get_by_label(f"Gemeente {i}", exact=True).fill(name)
    page.get_by_role("button", name="Toon wat deze groep zou zijn").click()
    expect(page.locator("#h-resultaat")).to_contain_text("3 gemeenten: Galmaarden, Gooik, Herne")
    expect(page.locator("#resultaat")).to_contain_text("25.283 (inwoners op 1 januari 2024, Statbel)")
    expect(page.locator("#resultaat")).to_contain_text("Past in één referentieregio: Halle-Vilvoorde")
    context.close()
