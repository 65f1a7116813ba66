"""The site in a real Chromium (Debian's package) driven by Playwright: the path a person takes, by mouse
and by keyboard, with and without JavaScript, and axe-core's accessibility check. Screenshots are kept in
test-artifacts/ to look at."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import live_server

REPO = Path(__file__).resolve().parents[1]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture(scope="module")
def base_url(imported_url: str) -> Iterator[str]:
    with live_server(imported_url) as url:
        yield url


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-BE")
    p = context.new_page()
    yield p
    context.close()


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def test_search_to_a_cooperation_and_its_members_map(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    page.get_by_label("Zoek een gemeente").fill("sint nik")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name="Sint-Niklaas", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sint-Niklaas")
    shot(page, "gemeente-sint-niklaas")
    first = page.locator("section[aria-labelledby=h-samenwerking] ul.lichamen a").first
    name = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    member = page.locator('svg.kaart a[aria-label="Sint-Niklaas (lid)"]')
    expect(member).to_have_count(1)
    shot(page, "samenwerkingsverband-van-sint-niklaas")


def _tab_to(page: Page, matches: str, limit: int = 400) -> None:
    """Press Tab until the focused element satisfies the JS predicate ``matches`` (given element ``el``)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!({matches}); }})()"):
            return
    raise AssertionError(f"no focusable element matched {matches}")


def test_the_same_path_by_keyboard_only(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    _tab_to(page, "el.id === 'q'")
    page.keyboard.type("sint nik")
    page.keyboard.press("Enter")
    page.wait_for_url("**/zoeken?**")
    _tab_to(page, "el.tagName === 'A' && el.textContent.trim() === 'Sint-Niklaas'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sint-Niklaas")
    _tab_to(
        page,
        "el.tagName === 'A' && el.closest('section[aria-labelledby=\"h-samenwerking\"] ul.lichamen') !== null",
    )
    page.keyboard.press("Enter")
    expect(page.locator('svg.kaart a[aria-label="Sint-Niklaas (lid)"]')).to_have_count(1)
    _tab_to(page, "el.closest('svg.kaart') !== null")  # map areas are reachable by keyboard
    shot(page, "toetsenbord-kaart-focus")


def _tabs_until(page: Page, matches: str, limit: int = 60) -> int:
    for n in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!({matches}); }})()"):
            return n
    raise AssertionError(f"{matches} not reached in {limit} tab stops")


def test_the_partner_list_of_a_gemeente_is_fewer_than_30_keys_away(page: Page, base_url: str) -> None:
    page.goto(base_url + "/gemeenten/gent")
    tabs = _tabs_until(page, "el.getAttribute('href') === '#h-partners'")
    page.keyboard.press("Enter")  # the page's own table of contents
    tabs += _tabs_until(page, "el.closest('#partners') !== null")  # the strongest partners come first
    expect(page.locator("#partners a:focus")).to_have_text("Destelbergen")
    assert tabs < 30, tabs
    shot(page, "toetsenbord-partners")


def test_search_works_without_javascript(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "/")
    page.get_by_label("Zoek een gemeente").fill("St.-Niklaas")
    page.get_by_label("Zoek een gemeente").press("Enter")
    expect(page.get_by_role("link", name="Sint-Niklaas", exact=True).first).to_be_visible()
    page.goto(base_url + "/gemeenten/melle?op=2024-06-30")
    page.get_by_label("Toestand op").fill("2025-06-30")
    page.get_by_role("button", name="Toon").click()
    expect(page.locator(".melding")).to_contain_text("Merelbeke-Melle")
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["met-javascript", "zonder-javascript"])
def test_wizard_by_form_submits(browser: Browser, base_url: str, javascript: bool) -> None:
    context = browser.new_context(java_script_enabled=javascript, locale="nl-BE")
    page = context.new_page()
    page.goto(base_url + "/rechtsvormen/keuzehulp")
    for label in (
        "Een afgebakend project",
        "Ja",
        "Nee, de gemeenten blijven zelf bevoegd",
        "Nee, alleen publieke",
        "Hoogstens zes jaar",
        "Alleen gemeenten",
        "Erfgoedcel",
    ):
        page.get_by_label(label, exact=False).first.check()
    page.get_by_role("button", name="Toon advies").click()
    expect(page.locator("#h-advies")).to_be_visible()
    expect(page.get_by_role("heading", name="Aanbevolen: Projectvereniging")).to_be_visible()
    assert "doel=project" in page.url and "erkenning=erfgoedcel" in page.url  # a shareable URL
    shot(page, f"keuzehulp-{'js' if javascript else 'zonder-js'}")
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_suggestions_while_typing_by_keyboard_with_axe(browser: Browser, base_url: str, width: int) -> None:
    """The search box is an ARIA combobox: typing lists suggestions, arrow keys choose, Enter opens the one
    chosen; axe-core finds no serious violation with the list open."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="nl-BE", bypass_csp=True)
    page = context.new_page()
    page.goto(base_url + "/")
    box = page.get_by_role("combobox", name="Zoek een gemeente")
    box.press_sequentially("politie gent", delay=30)
    options = page.get_by_role("option")
    expect(options.first).to_contain_text("PZ Gent")
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.locator(".zoek-status")).to_contain_text("suggesties")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "suggestie-0")
    expect(options.first).to_have_attribute("aria-selected", "true")
    shot(page, f"suggesties-{width}")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"], len(v["nodes"])) for v in serious]
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width
    box.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("PZ Gent")
    page.goto(base_url + "/")
    box.press_sequentially("interleuvn", delay=30)
    expect(options.first).to_contain_text("Interleuven")
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press("Enter")  # with no suggestion chosen, Enter searches what was typed
    page.wait_for_url("**/zoeken?q=interleuvn**")
    expect(page.get_by_text("Bedoelde u")).to_be_visible()
    context.close()


PAGES = [
    ("home", "/"),
    ("gemeente", "/gemeenten/gent"),
    ("samenwerkingsverband", "/samenwerkingsverbanden/interleuven"),
    ("organisatie", "/organisaties/brugge"),
    ("regio", "/regios/elz/amalo"),
    ("laag", "/lagen/erfgoedcel"),
    ("analyse", "/analyse"),
    ("analyse-passing", "/analyse/passing"),
    ("analyse-lagen", "/analyse/lagen"),
    ("analyse-gemeenten", "/analyse/gemeenten"),
    ("analyse-hiaten", "/analyse/hiaten"),
    ("analyse-netwerk", "/analyse/netwerk"),
    ("lijst", "/samenwerkingsverbanden"),
    ("organisaties", "/organisaties"),
    ("rechtsvormen", "/rechtsvormen"),
    (
        "keuzehulp",
        "/rechtsvormen/keuzehulp?doel=project&middelen=ja&overdracht=nee&privaat=nee&duur=kort"
        "&partners=gemeenten&erkenning=erfgoedcel",
    ),
    ("aandachtspunten", "/aandachtspunten"),
    ("zoeken", "/zoeken?q=politie+gent"),
    ("zoeken-niets", "/zoeken?q=xqzwv+brandweer"),
    ("wijzigingen", "/wijzigingen?van=2024-06-30&tot=2025-06-30&gemeente=pajottegem"),
    ("wijzigingen-geregistreerd", f"/wijzigingen?geregistreerd_op={date.today()}&gemeente=gent&op=2024-06-30"),
    ("nieuwsbrief", "/nieuwsbrief?volg=gemeente:Gent"),
    ("meld-een-fout", "/meld-een-fout?over=organisatie:interleuven"),
    ("privacy", "/privacy"),
    ("catalogus", "/catalogus"),
    ("over", "/over"),
    ("api", "/api"),
    ("aanmelden", "/aanmelden"),
    ("cultuur", "/cultuur?op=2025-06-01"),
    ("samenwerken", "/samenwerken?gemeente=Lennik&gemeente=Aalst&gemeente=Gent"),
]


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_every_page_fits_the_screen_and_axe_finds_no_serious_violations(
    browser: Browser, base_url: str, name: str, path: str, width: int
) -> None:
    """At phone and desktop width: nothing scrolls sideways (a table or a map scrolls in its own box), and
    axe-core finds no serious or critical violation. The screenshots are kept in test-artifacts/."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make test does)", pytrace=False)
    # our Content-Security-Policy forbids injected scripts; the test tool is let through for this check only
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="nl-BE", bypass_csp=True)
    page = context.new_page()
    page.goto(base_url + path)
    shot(page, f"{name}-{width}")
    wide = page.evaluate("document.documentElement.scrollWidth")
    offenders = page.evaluate(OFFENDERS)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"axe-{name}-{width}.json").write_text(json.dumps(result["violations"], indent=2), "utf-8")
    context.close()
    assert serious == [], [(v["id"], v["help"], len(v["nodes"])) for v in serious]
    assert wide <= width, offenders


OFFENDERS = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter(e => !e.closest('svg, .tabel-scroll, .kaart-vak'))
  .slice(0, 5).map(e => e.tagName + ' ' + (e.textContent || '').trim().slice(0, 60))"""


def test_a_map_of_all_flanders_fits_a_phone_with_the_list_beside_it(browser: Browser, base_url: str) -> None:
    """On a phone a map fits the width, no sideways scrolling; its names, too small to read there, give way to the
    list of regions the map points to (on a wide screen they are drawn)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-BE")
    page = context.new_page()
    page.goto(base_url + "/lagen/elz")
    box = page.locator("svg.kaart").bounding_box()
    assert box is not None and box["width"] <= 390 and box["height"] > 120
    assert page.evaluate(
        "document.querySelector('.kaart-vak').scrollWidth <= document.querySelector('.kaart-vak').clientWidth"
    )
    expect(page.locator("svg.kaart g.namen")).to_be_hidden()
    expect(page.locator("#regios")).to_contain_text("Pajottenland")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
    wide = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-BE").new_page()
    wide.goto(base_url + "/lagen/elz")
    expect(wide.locator("svg.kaart g.namen")).to_be_visible()
    wide.context.close()


@pytest.mark.parametrize(
    ("path", "width"),
    [
        ("/gemeenten/gent", 680),
        ("/samenwerkingsverbanden/interleuven", 680),
        ("/lagen/elz", 680),
        ("/rechtsvormen", 1009),  # printed across: A4 landscape
        ("/analyse/passing", 1009),
    ],
)
def test_a_printed_page_fits_an_a4_sheet(browser: Browser, base_url: str, path: str, width: int) -> None:
    """In print media at the width of A4 less 15 mm margins (at 96 dpi: 680 px upright, 1009 px across), nothing
    runs off the sheet, no table is cut off, and the menu and search are left out; then Chromium prints it as
    an A4 PDF."""
    context = browser.new_context(viewport={"width": width, "height": 1000}, locale="nl-BE")
    page = context.new_page()
    page.goto(base_url + path)
    page.emulate_media(media="print")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.evaluate(OFFENDERS)
    # a table that scrolls on screen wraps on paper: no box hides part of its table
    cut = page.evaluate(
        "[...document.querySelectorAll('.tabel-scroll')].filter(b => b.scrollWidth > b.clientWidth + 1).length"
    )
    assert cut == 0
    assert not page.locator("nav[aria-label='Hoofdmenu']").is_visible()
    assert not page.locator("form.zoek").is_visible()
    pdf = page.pdf(format="A4", margin={"top": "15mm", "bottom": "15mm", "left": "15mm", "right": "15mm"})
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"print-{path.strip('/').replace('/', '-')}.pdf").write_bytes(pdf)
    context.close()


def test_the_main_pages_fit_the_narrowest_phone(browser: Browser, base_url: str) -> None:
    """320 px, the narrowest screen in common use: nothing scrolls sideways (tables and maps scroll in their box)."""
    context = browser.new_context(viewport={"width": 320, "height": 700}, locale="nl-BE")
    page = context.new_page()
    for name, path in PAGES:
        page.goto(base_url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, (name, page.evaluate(OFFENDERS))
    shot(page, "smalste-scherm-320")
    context.close()
