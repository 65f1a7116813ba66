"""Pages a person reads on a phone (issue 25), in a real Chromium at 390 px: the answer first, long lists folded
and still all there, the header folded with the search kept, one card per legal form, and every page's ids unique
(signed out and signed in, which axe does not check across forms)."""

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
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "wachtwoord-van-erik"


@pytest.fixture(scope="module")
def base_url(writable_url: str) -> Iterator[str]:
    engine = make_engine(writable_url)
    with engine.begin() as conn:
        accounts.add(conn, "erik@example.org", "Erik Eindredacteur", PASSWORD, AccountRole.REVIEWER, [])
    engine.dispose()
    with live_server(writable_url) as url:
        yield url


def _page(browser: Browser, viewport: dict[str, int], javascript: bool = True) -> Page:
    context = browser.new_context(viewport=viewport, locale="nl-BE", java_script_enabled=javascript)  # type: ignore[arg-type]
    return context.new_page()


def _height(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollHeight"))


@pytest.mark.parametrize(
    ("path", "most"),
    [
        # the tallest municipality pages at 390 px (all 285 of today and 300 of 2024 measured: Antwerpen 5,211 px,
        # then Herentals 4,813, Lokeren, Scherpenheuvel-Zichem, Beveren-Kruibeke-Zwijndrecht at about 4,740 px)
        ("/gemeenten/antwerpen", 6_000),
        ("/gemeenten/antwerpen?op=2024-06-30", 6_000),
        ("/gemeenten/herentals", 6_000),
        ("/gemeenten/lokeren", 6_000),
        ("/gemeenten/beveren-kruibeke-zwijndrecht", 6_000),
        ("/gemeenten/pajottegem", 6_000),
        ("/gemeenten/gent", 6_000),
        ("/gemeenten/brugge", 6_000),
        ("/gemeenten/gooik?op=2024-06-30", 6_000),
        ("/cultuur", 9_000),
        ("/analyse/passing", 9_000),
        ("/aandachtspunten", 9_000),
        ("/api", 6_000),  # 30,200 px before its addresses and models were folded
        ("/wijzigingen?van=2024-06-30&tot=2025-06-30", 6_000),  # 25,600 px before its long lists were folded
    ],
)
def test_a_page_on_a_phone_is_short_and_keeps_everything(browser: Browser, base_url: str, path: str, most: int) -> None:
    page = _page(browser, PHONE)
    page.goto(base_url + path)
    height = _height(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"telefoon-{path.strip('/').replace('/', '-').replace('?', '-')}.png"))
    links = page.locator("main a").count()
    page.evaluate("document.querySelectorAll('main details').forEach(d => d.open = true)")
    unfolded = _height(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.context.close()
    assert height <= most, (path, height)
    assert unfolded > height  # there was something folded, and unfolding it shows it on the page
    assert links > 20


def test_the_municipality_page_puts_zones_then_cooperations_and_folds_partners(browser: Browser, base_url: str) -> None:
    page = _page(browser, PHONE, javascript=False)
    page.goto(base_url + "/gemeenten/gent")
    tops = [page.locator(f"#{h}").bounding_box()["y"] for h in ("h-zones", "h-samenwerking", "h-lagen", "h-partners")]  # type: ignore[index]
    assert tops == sorted(tops)
    assert tops[0] < 1_000  # the zones are on the first screens, under a folded header
    ended = page.locator("details.gestopt").first
    expect(ended.locator("ul")).to_be_hidden()
    ended.locator("summary").click()  # <details> opens without JavaScript
    expect(ended.get_by_role("link", name="Finiwo")).to_be_visible()
    expect(page.locator("ol#partners > li")).to_have_count(10)
    page.context.close()


def test_what_a_municipality_page_does_not_know_is_folded_below_its_regions(browser: Browser, base_url: str) -> None:
    """The layers that do not know Antwerpen and the kinds the atlas does not hold yet are one fold under the
    regions it knows, grouped by domain, and open without JavaScript."""
    page = _page(browser, PHONE, javascript=False)
    page.goto(base_url + "/gemeenten/antwerpen")
    known = page.locator("#h-lagen ~ ul.lagen").first
    expect(known.get_by_role("link", name="Erfgoedcel Antwerpen (kunststad)")).to_be_visible()
    fold = page.locator("details.niet-gekend")
    summary = "Niet gekend voor Antwerpen: 8 lagen; nog niet in de atlas: 12 soorten"
    expect(fold.locator("summary")).to_have_text(summary)
    expect(fold.locator("dl")).to_be_hidden()
    fold.locator("summary").click()
    sport = fold.locator("dt", has_text="Sport").locator("xpath=following-sibling::dd[1]")
    expect(sport).to_contain_text("Sportregio's en burensportdiensten: niet gekend (de laag dekt 26 van 285 gemeenten)")
    expect(sport).to_contain_text("Nog niet in de atlas: burensportdiensten buiten de vier gekende sportregio's.")
    page.context.close()


def test_the_culture_page_is_a_full_table_on_a_wide_screen_and_cards_on_a_phone(
    browser: Browser, base_url: str
) -> None:
    wide = _page(browser, DESKTOP)
    wide.goto(base_url + "/cultuur")
    table = wide.get_by_role("region", name="Samenwerkingen van Bovenlokale cultuurwerking").locator("table")
    expect(table.locator("tbody tr")).to_have_count(19)  # every partnership, none folded
    columns = ["Samenwerking", "Gemeenten", "Inwoners", "km²", "Referentie\xadregio('s)", "Valt (bijna) samen met"]
    expect(table.locator("thead th")).to_have_text([*columns, "Rechtsvorm", "Erkenningsregels"])
    expect(table.locator("tbody tr", has_text="Cultuur Noordrand")).to_contain_text("304.720")
    box = wide.locator(".cultuurtabel").first
    assert box.evaluate("b => b.scrollWidth <= b.clientWidth")  # the table fits 1280 px, no column cut off
    expect(wide.locator(".cultuurkaarten").first).to_be_hidden()
    wide.context.close()
    phone = _page(browser, PHONE)
    phone.goto(base_url + "/cultuur")
    expect(phone.locator(".cultuurtabel").first).to_be_hidden()
    first = phone.locator(".cultuurkaarten details.samenwerking").first
    expect(first.locator("summary")).to_contain_text("BIE (BIE Midwest): 7 gemeenten")
    phone.context.close()


def test_the_api_reference_is_a_list_of_one_line_summaries_that_open(browser: Browser, base_url: str) -> None:
    """Each address says what it gives in its summary; its parameters and the fields of its answer open in place,
    and the link to a model opens that model (a fragment inside a closed <details> opens it, without JavaScript)."""
    page = _page(browser, PHONE, javascript=False)
    page.goto(base_url + "/api")
    addresses = page.locator("details.api-pad")
    expect(addresses).to_have_count(20)
    members = addresses.filter(has_text="GET /api/v1/organisaties/{id}/leden")
    expect(members.locator("summary")).to_have_text(
        "GET /api/v1/organisaties/{id}/leden: De leden van een organisatie op de dag"
    )
    expect(members.get_by_role("table")).to_be_hidden()
    members.locator("summary").click()
    expect(members.get_by_role("table").locator("tbody tr").first).to_contain_text("id")
    members.get_by_role("link", name="Pagina_Lidmaatschap_").click()
    expect(page.get_by_role("table", name="Velden van Pagina_Lidmaatschap_")).to_be_visible()
    page.context.close()


def test_the_comparison_of_two_days_counts_first_and_lists_on_request(browser: Browser, base_url: str) -> None:
    """The counts come first and lead to their lists; a count is the number of lines its list shows; long lists
    open on request, short ones (the 13 mergers) are open."""
    page = _page(browser, PHONE, javascript=False)
    page.goto(base_url + "/wijzigingen?van=2024-06-30&tot=2025-06-30")
    expect(page.locator("details.filterkeuze > summary")).to_contain_text("Selectie: van 30 juni 2024 tot 30 juni 2025")
    expect(page.get_by_label("Vergelijk de toestand op")).to_be_hidden()
    expect(page.locator("#w-fusies + ul > li")).to_have_count(13)
    expect(page.locator("#w-fusies + ul")).to_contain_text("Pajottegem op 1 januari 2025, uit Galmaarden, Gooik, Herne")
    count = page.locator(".kerncijfers a", has_text="uittredingen")
    exits = int(count.inner_text().split()[0])
    count.click()
    fold = page.locator("#w-uitgetreden + details")
    expect(fold.locator("summary")).to_have_text(f"Toon de {exits} uittredingen")
    fold.locator("summary").click()
    expect(fold.locator("li")).to_have_count(exits)
    page.context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["met-javascript", "zonder-javascript"])
def test_the_header_folds_on_a_phone_and_keeps_the_search(browser: Browser, base_url: str, javascript: bool) -> None:
    phone = _page(browser, PHONE, javascript)
    phone.goto(base_url + "/gemeenten/pajottegem")
    menu = phone.get_by_role("navigation", name="Hoofdmenu")
    expect(menu).to_be_hidden()
    expect(phone.locator("input#q")).to_be_visible()
    assert phone.locator("h1").bounding_box()["y"] < 250  # type: ignore[index]
    phone.locator("details.menu summary").click()
    expect(menu.get_by_role("link", name="Cultuur")).to_be_visible()
    phone.locator("details.dagkeuze summary").click()
    expect(phone.get_by_label("Toestand op")).to_be_visible()
    phone.context.close()
    wide = _page(browser, DESKTOP, javascript)
    wide.goto(base_url + "/gemeenten/pajottegem")
    expect(wide.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Cultuur")).to_be_visible()
    expect(wide.locator("details.menu summary")).to_be_hidden()
    expect(wide.get_by_label("Toestand op")).to_be_visible()
    wide.context.close()


def test_the_legal_forms_are_one_card_each_on_a_phone(browser: Browser, base_url: str) -> None:
    page = _page(browser, PHONE)
    page.goto(base_url + "/rechtsvormen")
    expect(page.locator("table.vergelijking")).to_be_hidden()
    cards = page.locator("details.vormkaart")
    assert cards.count() >= 5
    cards.first.locator("summary").click()
    expect(cards.first.locator("dt").first).to_be_visible()
    wider = page.evaluate(
        "[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > 391).length"
    )
    assert wider == 0
    page.context.close()


ID_PAGES = [
    "/",
    "/gemeenten/gent",
    "/gemeenten/pajottegem",
    "/samenwerkingsverbanden/interleuven",
    "/lagen",
    "/lagen/erfgoedcel",
    "/cultuur",
    "/rechtsvormen",
    "/analyse/passing",
    "/aandachtspunten",
    "/samenwerken?gemeente=Lennik&gemeente=Gooik",
    "/nieuwsbrief",
    "/meld-een-fout?over=organisatie:interleuven",
    "/wijzigingen",
]
SIGNED_IN_PAGES = ["/redactie", "/samenwerkingsverbanden/interleuven/wijzig", "/samenwerkingsverbanden/nieuw"]
DUPLICATES = """[...document.querySelectorAll('[id]')].map(e => e.id)
  .filter((id, i, all) => all.indexOf(id) !== i)"""


def test_every_page_has_unique_ids_signed_out_and_signed_in(browser: Browser, base_url: str) -> None:
    """A label points at its field by id: where two forms repeat a field's id (bewijs_url, tot), the lower form's
    labels point at the first form's fields."""
    page = _page(browser, DESKTOP)
    found = {}
    for path in ID_PAGES:
        page.goto(base_url + path)
        found[path] = page.evaluate(DUPLICATES)
    page.goto(base_url + "/aanmelden")
    page.get_by_label("E-mailadres").fill("erik@example.org")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("heading", name="Redactie", exact=True)).to_be_visible()
    for path in [*SIGNED_IN_PAGES, *ID_PAGES]:
        page.goto(base_url + path)
        found["aangemeld " + path] = page.evaluate(DUPLICATES)
    page.goto(base_url + "/samenwerkingsverbanden/interleuven/wijzig")
    label_targets = page.evaluate(
        "[...document.querySelectorAll('label[for]')].map(l => [l.htmlFor, !!document.getElementById(l.htmlFor)])"
    )
    page.context.close()
    assert {path: ids for path, ids in found.items() if ids} == {}
    assert label_targets and all(ok for _, ok in label_targets)
    assert sum(1 for target, _ in label_targets if target.endswith("bewijs_url")) == 4  # one per form
