"""The public site over HTTP, on the real data: what a person would check on each page."""

from __future__ import annotations

import gzip
import re
import time
from datetime import date
from html import unescape

import pytest
from sqlalchemy import update
from starlette.testclient import TestClient

from igsatlas.atlas import Atlas
from igsatlas.config import Settings
from igsatlas.ingest.pipeline import bump_content_version
from igsatlas.legal import reference as legal_reference
from igsatlas.store import schema
from igsatlas.store.engine import make_engine
from igsatlas.web.app import create_app
from igsatlas.web.day_pages import DAY_MARK, DayPage
from igsatlas.web.formatting import day as format_day
from igsatlas.web.site import Site
from igsatlas.web.visits import Visitors


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_home_has_search_ways_in_figures_and_a_map(client: TestClient) -> None:
    page = client.get("/", params={"op": "2024-12-31"})
    assert page.status_code == 200
    assert '<html lang="nl-BE">' in page.text
    assert "300 Vlaamse gemeenten op 31 december 2024" in text_of(page.text)
    assert 'role="search"' in page.text
    assert "Projectvereniging" in page.text and "/lagen/erfgoedcel" in page.text
    assert page.text.count("<path ") == 300 + 19  # the 2019-2024 municipalities, and Brussels for orientation
    assert "285 Vlaamse gemeenten" in text_of(client.get("/", params={"op": "2025-01-01"}).text)


def test_gent_page_names_its_zones_and_regions(client: TestClient) -> None:
    page = client.get("/gemeenten/gent", params={"op": "2025-06-01"})
    text = text_of(page.text)
    assert "Politiezone PZ Gent" in text
    assert "Hulpverleningszone HVZ Brandweer Zone Centrum" in text
    assert "Referentieregio's : Regio Gent" in text
    assert "Imewo" in text and "Opdrachthoudende vereniging" in text
    assert "<title>Gent (deze gemeente)</title>" in page.text


def test_gemeente_cooperations_by_theme(client: TestClient) -> None:
    twin = client.get("/gemeenten/gent.json", params={"op": "2025-06-01"}).json()
    themes = {t["thema"]: {c["naam"] for c in t["samenwerkingen"]} for t in twin["per_thema"]}
    assert "Imewo" in themes["Distributie: elektriciteit, gas, stoom en/of gekoelde lucht"]
    assert "IVAGO" in themes["Afval en/of recyclage"]
    page = text_of(client.get("/gemeenten/gent", params={"op": "2025-06-01"}).text)
    assert "Samenwerkingen per thema" in page and "Afval en/of recyclage" in page


def test_gemeente_json_twin_comes_from_the_same_query(client: TestClient) -> None:
    twin = client.get("/gemeenten/gent.json", params={"op": "2025-06-01"}).json()
    assert [z["organisatie"]["naam"] for z in twin["politiezone"]] == ["PZ Gent: Gent"]
    assert twin["lagen"]["referentieregio"][0]["regio"]["naam"] == "Regio Gent"
    page = text_of(client.get("/gemeenten/gent", params={"op": "2025-06-01"}).text)
    closest = twin["partners"][0]
    assert f"{closest['gemeente']['naam']} : {closest['gedeeld']} gedeeld" in page


def test_a_merged_municipality_before_and_after(client: TestClient) -> None:
    before = text_of(client.get("/gemeenten/melle", params={"op": "2024-06-30"}).text)
    assert "Melle bestaat niet" not in before
    assert "Opgegaan in Merelbeke-Melle" in before
    after = text_of(client.get("/gemeenten/melle", params={"op": "2025-06-30"}).text)
    assert "Melle bestaat niet op 30 juni 2025" in after
    successor = client.get("/gemeenten/merelbeke-melle", params={"op": "2025-06-30"})
    assert "Ontstaan op 1 januari 2025 uit de fusie van Melle , Merelbeke" in text_of(successor.text)
    assert "afgeleid" in successor.text


def test_maps_show_the_municipalities_of_the_day(client: TestClient) -> None:
    old = client.get("/lagen/referentieregio", params={"op": "2024-06-30"}).text
    new = client.get("/lagen/referentieregio", params={"op": "2025-06-30"}).text
    assert "<title>Melle: " in old and "<title>Merelbeke-Melle: " not in old
    assert "<title>Merelbeke-Melle: " in new and "<title>Melle: " not in new


def test_layer_page_lists_regions_and_uncovered_municipalities(client: TestClient) -> None:
    twin = client.get("/lagen/erfgoedcel.json", params={"op": "2025-06-30"}).json()
    assert len(twin["regios"]) == 23  # layers.csv: 23 erfgoedcellen with members
    assert twin["laag"]["volledig"] is False
    page = client.get("/lagen/erfgoedcel", params={"op": "2025-06-30"}).text
    text = text_of(page)
    assert "Let op: onvolledige laag" in text
    assert "27 teams" in text  # the completeness note from layers.csv
    uncovered = twin["niet_gedekt"]
    assert len(uncovered) == 285 - 140  # layers.csv: 140 of the 285 municipalities of 2025 covered
    assert f"Gemeenten zonder regio in deze laag ({len(uncovered)})" in text
    for region in twin["regios"]:
        assert region["regio"]["naam"] in text


def test_layer_as_geojson(client: TestClient) -> None:
    answer = client.get("/lagen/referentieregio.geojson", params={"op": "2025-06-30"})
    assert answer.headers["content-type"].startswith("application/geo+json")
    doc = answer.json()
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 285
    gent = next(f for f in doc["features"] if f["id"] == "44021")
    assert gent["properties"]["regio_namen"] == ["Regio Gent"]
    assert gent["geometry"]["type"] == "MultiPolygon"
    lon, lat = gent["geometry"]["coordinates"][0][0][0]
    assert 3.5 < lon < 3.9 and 50.9 < lat < 51.2  # Gent, in WGS84
    assert client.get("/lagen/regenboog.geojson").status_code == 404


def test_complete_layer_covers_everything(client: TestClient) -> None:
    twin = client.get("/lagen/referentieregio.json", params={"op": "2025-06-30"}).json()
    assert twin["niet_gedekt"] == []
    assert sum(len(r["regio"]["gemeenten"]) for r in twin["regios"]) == 285
    assert "Volledige laag" in client.get("/lagen/referentieregio").text


def test_cooperation_page_has_members_map_and_regions(client: TestClient) -> None:
    page = client.get("/samenwerkingsverbanden/interleuven", params={"op": "2025-06-30"})
    text = text_of(page.text)
    assert "Dienstverlenende vereniging" in text
    assert "KBO-nummer 0205.774.810" in text
    assert "Leden (30)" in text
    assert "referentieregio Oost-Brabant" in text
    assert "<title>Leuven (lid)</title>" in page.text


def test_gemeente_organisation_redirects_to_the_municipality_page(client: TestClient) -> None:
    twin = client.get("/gemeenten/gent.json").json()
    slug = twin["lblod_organisatie"]["url"]
    answer = client.get(slug, follow_redirects=False)
    assert answer.status_code == 301
    assert answer.headers["location"] == "/gemeenten/gent"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sint nik", "Sint-Niklaas"),
        ("St.-Niklaas", "Sint-Niklaas"),
        ("SINT-NIKLAAS", "Sint-Niklaas"),
        ("sint niklas", "Sint-Niklaas"),  # a typo
        ("Merelbeke Melle", "Merelbeke-Melle"),
        ("0205.774.810", "Interleuven"),
        ("0205774810", "Interleuven"),
        ("44021", "Gent"),
        ("interleuvn", "Interleuven"),
    ],
)
def test_search_is_forgiving(client: TestClient, query: str, expected: str) -> None:
    doc = client.get("/zoeken.json", params={"q": query}).json()
    first = doc["groepen"][0]["resultaten"][0]
    assert first["naam"] == expected


def test_search_by_postcode_and_grouping(client: TestClient) -> None:
    doc = client.get("/zoeken.json", params={"q": "3000"}).json()
    groups = {g["soort"]: [r["naam"] for r in g["resultaten"]] for g in doc["groepen"]}
    assert "Leuven" in groups["gemeente"]
    assert "Interleuven" in groups["samenwerkingsverband"]
    page = client.get("/zoeken", params={"q": "interleuven"}).text
    assert '<a href="/samenwerkingsverbanden/interleuven">Interleuven</a>' in page


def test_list_filters(client: TestClient) -> None:
    doc = client.get("/samenwerkingsverbanden.json", params={"vorm": "projectvereniging", "status": "actief"}).json()
    assert doc["aantal"] == 70
    assert all(o["organisatie"]["classificatie_label"] == "Projectvereniging" for o in doc["samenwerkingsverbanden"])
    zones = client.get("/samenwerkingsverbanden.json", params={"laag": "hulpverleningszone"}).json()
    assert zones["aantal"] == 20
    gemeenten = client.get("/gemeenten.json", params={"op": "2024-06-30"}).json()
    assert gemeenten["aantal"] == 300


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/gemeenten/atlantis", 404, "municipality-not-found"),
        ("/samenwerkingsverbanden/bestaat-niet", 404, "organisation-not-found"),
        ("/lagen/regenboog", 404, "layer-not-found"),
        ("/gemeenten/gent?op=30-06-2024", 400, "invalid-day"),
        ("/samenwerkingsverbanden?vorm=bvba", 400, "invalid-filter"),
    ],
)
def test_errors_are_dutch_pages_and_coded_json(client: TestClient, url: str, status: int, code: str) -> None:
    page = client.get(url)
    assert page.status_code == status
    assert f"<code>{code}</code>" in page.text
    assert "Niet gevonden" in page.text if status == 404 else "Ongeldige vraag" in page.text
    path, _, params = url.partition("?")
    twin = client.get(f"{path}.json" + (f"?{params}" if params else ""))
    assert twin.status_code == status
    assert twin.json()["error"]["code"] == code


def test_unknown_path_is_a_dutch_404(client: TestClient) -> None:
    page = client.get("/bestaat/niet")
    assert page.status_code == 404
    assert "Deze pagina bestaat niet." in page.text


def test_home_map_downloads_as_svg(client: TestClient) -> None:
    svg = client.get("/kaart/overzicht/vlaanderen.svg", params={"op": "2024-06-30"})
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.count("<path ") == 300 + 19
    assert 'href="/kaart/overzicht/vlaanderen.svg' in client.get("/").text


def test_map_downloads_as_svg(client: TestClient) -> None:
    svg = client.get("/kaart/lagen/erfgoedcel.svg", params={"op": "2025-06-30"})
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert "attachment" in svg.headers["content-disposition"]
    assert svg.text.startswith("<?xml") and "<title>Gent: Erfgoedcel Gent (kunststad)</title>" in svg.text


def test_gemeente_page_is_light_over_the_wire(client: TestClient) -> None:
    page = client.get("/gemeenten/gent", headers={"Accept-Encoding": "gzip"})
    assert page.headers["content-encoding"] == "gzip"
    wire = len(gzip.compress(page.content))  # what the middleware sends, within a few bytes
    assert wire < 150_000, wire


def test_the_browser_is_told_to_load_only_our_own_assets(client: TestClient) -> None:
    headers = client.get("/gemeenten/gent").headers
    policy = headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert headers["x-content-type-options"] == "nosniff"
    assert client.get("/favicon.ico").status_code == 200  # redirected to our own icon


@pytest.mark.parametrize("url", ["/", "/gemeenten/gent", "/samenwerkingsverbanden/interleuven", "/lagen/erfgoedcel"])
def test_pages_load_nothing_from_other_sites(client: TestClient, url: str) -> None:
    html = client.get(url).text
    # nothing is loaded from elsewhere: no script, image, frame, style sheet or icon from another site
    # (links a person follows, such as an organisation's website, are not loads)
    assert not re.search(r'src="(https?:)?//', html)
    assert not re.search(r'<link[^>]+href="(https?:)?//', html)
    assert not re.search(r"url\((https?:)?//", html)
    assert html.count("<h1>") == 1
    assert 'href="#inhoud"' in html


def test_contact_details_are_links_and_one_result_is_singular(client: TestClient) -> None:
    page = client.get("/samenwerkingsverbanden/interleuven").text
    assert re.search(r'<dt>Website</dt><dd><a href="https?://[^"]*interleuven[^"]*"', page)
    found = client.get("/zoeken", params={"q": "0205.774.810"}).text
    assert "1 resultaat." in found and "1 resultaten" not in found


def test_a_new_day_of_a_known_state_reuses_the_page_built_for_that_state(imported_url: str) -> None:
    """Days between the same two change days see the same register: the gemeente page is built once per state
    and the requested day is written in, and the result is the page a fresh build for that day gives."""
    settings = Settings.from_env({"IGSATLAS_DATABASE_URL": imported_url})
    with TestClient(create_app(settings)) as warm, TestClient(create_app(settings)) as fresh:
        for first, second in (("2023-05-05", "2023-06-07"), ("2025-03-03", "2025-09-09")):
            warm.get("/gemeenten/buggenhout", params={"op": first})
            reused = warm.get("/gemeenten/buggenhout", params={"op": second}).text
            assert reused == fresh.get("/gemeenten/buggenhout", params={"op": second}).text
            assert "9999" not in reused and f'value="{second}"' in reused
    site = Site(Atlas(make_engine(imported_url)))
    built: list[int] = []

    def build() -> str:
        built.append(1)
        return f"<p>{DAY_MARK.isoformat()}: {format_day(DAY_MARK)}</p>"

    starts = [date(2021, 3, 12)]
    same = [("t", site.clock.page_state(d, starts)) for d in (date(2023, 5, 5), date(2023, 6, 7))]
    assert same[0] == same[1]
    assert site.state_pages.keep(same[0], build).show(date(2023, 5, 5)) == b"<p>2023-05-05: 5 mei 2023</p>"
    kept = site.state_pages.kept(same[1])
    assert kept is not None and kept.show(date(2023, 6, 7)) == b"<p>2023-06-07: 7 juni 2023</p>"
    assert site.state_pages.keep(same[1], build) is kept
    assert built == [1]
    assert site.state_pages.kept(("t", site.clock.page_state(date(2025, 5, 5), starts))) is None
    assert site.clock.page_state(date(2024, 12, 31), starts) != site.clock.page_state(
        date(2025, 1, 1), starts
    )  # the mergers
    assert site.clock.page_state(date(2021, 3, 11), starts) != site.clock.page_state(date(2021, 3, 12), starts)
    site.atlas.close()


def test_start_up_builds_every_register_state_so_no_visitor_waits_for_one(imported_url: str) -> None:
    """The register has ten states (nine change days: 1971 ... the 2025 mergers); the warm-up builds the
    landscape and the rules' subjects of each, and the outlines, areas and neighbours of both boundary sets."""
    settings = Settings.from_env({"IGSATLAS_DATABASE_URL": imported_url})
    site = Site(Atlas(make_engine(imported_url)), reference=legal_reference.load(settings.reference_dir))
    assert len(site.templates.cache or {}) == 0
    site.warm_up.run()
    templates = site.templates.list_templates()
    assert len(site.templates.cache or {}) == len(templates) >= 48 and "dossier.html" in templates  # compiled ahead
    assert site.clock.state(date(1970, 6, 1))[0] == 0 and site.clock.state(date(2026, 12, 2))[0] == 9
    built = {key[0] for key in site.states._landscapes}
    assert built == set(range(10)) and {key[0] for key in site.states._subjects} == built
    assert set(site.boundaries._made) == {(w, v) for w in ("outlines", "areas", "borders") for v in ("2019", "2025")}
    before = dict(site.states._landscapes)
    day = date(1999, 9, 9)  # a day nobody asked for: its state is already there
    subjects, _ = site.states.subjects(day)
    one_by_one = {s.id: site.states.findings_of(day, s.id) for s in subjects}  # an organisation page's way
    assert (day, site.clock.version()) not in site.states._checks  # it did not run every organisation's rules
    _, findings, _ = site.states.checked(day)
    assert site.states._landscapes == before
    assert sum(map(len, one_by_one.values())) == len(findings) == 848
    # now that the day's checks are built, they are read: the same findings
    assert all(
        site.states.findings_of(day, s.id) == found for s, found in zip(subjects, one_by_one.values(), strict=True)
    )
    for s in subjects:
        assert one_by_one[s.id] == [f for f in findings if f.subject == s.id]
    site.atlas.close()


def test_status_says_the_database_answers_and_when_every_state_is_built(imported_url: str) -> None:
    settings = Settings.from_env({"IGSATLAS_DATABASE_URL": imported_url})
    with TestClient(create_app(settings)) as c:
        deadline = time.monotonic() + 60
        while not (answer := c.get("/status.json")).json()["opgewarmd"]:
            assert time.monotonic() < deadline, "the warm-up did not end"
            time.sleep(0.1)
        assert answer.headers["cache-control"] == "no-store"
        body = answer.json()
        assert body["status"] == "ok" and len(body["inhoudsversie"]) == 32 and body["toestanden_klaar"] == 10


def test_the_warm_up_waits_while_a_visitor_is_being_answered(imported_url: str) -> None:
    """After a write every state is built again in the background; a visitor's page comes first."""
    settings = Settings.from_env({"IGSATLAS_DATABASE_URL": imported_url})
    reference = legal_reference.load(settings.reference_dir)
    site = Site(Atlas(make_engine(imported_url)), reference=reference, visitors=Visitors(give_way_seconds=60))
    with site.visitors.visit():
        site.warm_up.start()
        time.sleep(1.0)
        assert site.states.states_built() == 0 and not site.warm_up.warmed.is_set()
        assert site.clock.state(date(2026, 12, 2))[0] == 9  # the visitor's own work goes on meanwhile
    assert site.warm_up.warmed.wait(60), "the warm-up did not go on once the visitor was answered"
    assert site.states.states_built() == 10
    site.warm_up.stop()
    site.atlas.close()


def test_after_a_write_every_state_is_built_again_in_the_background(imported_copy_url: str) -> None:
    settings = Settings.from_env({"IGSATLAS_DATABASE_URL": imported_copy_url})
    engine = make_engine(imported_copy_url)
    with TestClient(create_app(settings)) as c:
        deadline = time.monotonic() + 60
        while not (first := c.get("/status.json").json())["opgewarmd"]:
            assert time.monotonic() < deadline, "the warm-up did not end"
            time.sleep(0.1)
        with engine.begin() as conn:
            bump_content_version(conn)  # what every write does last
        deadline = time.monotonic() + 60
        while True:
            now = c.get("/status.json").json()
            if now["inhoudsversie"] != first["inhoudsversie"] and now["opgewarmd"] and now["toestanden_klaar"] == 10:
                break
            assert time.monotonic() < deadline, f"the new version's states were not built: {now}"
            time.sleep(0.2)
    engine.dispose()


def test_another_day_of_a_known_state_is_compressed_for_a_browser(client: TestClient) -> None:
    """The state's page with the day written in, compressed per request at the fast level (what browsers ask)."""
    plain = client.get("/gemeenten/gent?op=2023-03-10", headers={"Accept-Encoding": "identity"})
    packed = client.get("/gemeenten/gent?op=2023-03-11", headers={"Accept-Encoding": "gzip"})
    assert plain.status_code == packed.status_code == 200
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip" and "Accept-Encoding" in packed.headers["vary"]
    assert int(packed.headers["content-length"]) < len(plain.content) // 2
    expected = plain.text.replace("2023-03-10", "2023-03-11").replace("10 maart 2023", "11 maart 2023")
    assert packed.text == expected and "11 maart 2023" in packed.text
    bodies = []
    for day in ("2023-03-12", "2023-12-25"):
        with client.stream("GET", f"/gemeenten/gent?op={day}", headers={"Accept-Encoding": "gzip"}) as raw:
            bodies.append(b"".join(raw.iter_raw()))
    assert gzip.decompress(bodies[1]).decode() == expected.replace("2023-03-11", "2023-12-25").replace(
        "11 maart 2023", "25 december 2023"
    )
    # Compressed when the state's page was kept: long runs of the same bytes in the answers of both days, and
    # about as small as the whole page compressed at once (1.19 times for Gent).
    middle = len(bodies[0]) // 2
    assert bodies[0][middle : middle + 10_000] in bodies[1]
    assert len(bodies[1]) < 1.25 * len(gzip.compress(gzip.decompress(bodies[1]), 6))


def test_a_browser_that_refuses_gzip_gets_the_page_as_it_is(client: TestClient) -> None:
    """Accept-Encoding with weights (RFC 9110 12.5.3): gzip;q=0 refuses gzip, for a cached page, another day
    of a known state and an API answer alike."""
    for url in ("/gemeenten/gent", "/gemeenten/gent?op=2023-03-14", "/api/v1/organisaties?limiet=50"):
        refused = client.get(url, headers={"Accept-Encoding": "gzip;q=0, identity"})
        wanted = client.get(url, headers={"Accept-Encoding": "br;q=1.0, gzip;q=0.5"})
        assert refused.status_code == wanted.status_code == 200, url
        assert "content-encoding" not in refused.headers, url
        assert wanted.headers["content-encoding"] == "gzip", url
        assert refused.content == wanted.content, url  # the client decodes the gzipped one


def test_a_page_kept_per_state_is_compressed_once_and_shown_compressed_for_any_day() -> None:
    """The pieces between the days are compressed when the page is kept, with the text before them as
    dictionary; per request they are joined around the day into one valid gzip member, whatever length the day
    has in words, and right even where the page holds a NUL (then without dictionaries)."""
    rows = "".join(
        f'<tr><td><a href="/gemeenten/{n}?op={DAY_MARK}">Gemeente {n}</a></td><td>{n % 7}</td></tr>' for n in range(400)
    )
    html = f"<h1>Op {format_day(DAY_MARK)}</h1><form><input value='{DAY_MARK}'></form><table>{rows}</table>"
    for page in (html, html.replace("Gemeente 7<", "Gemeente\x007<")):
        kept = DayPage.of(page)
        for day in (date(2024, 5, 1), date(2024, 12, 25), date(999, 1, 1)):
            packed = kept.show_gzip(day)
            expected = page.replace(DAY_MARK.isoformat(), day.isoformat()).replace(
                format_day(DAY_MARK), format_day(day)
            )
            assert gzip.decompress(packed) == kept.show(day) == expected.encode()
            assert all(piece in packed for piece in kept.deflated)  # nothing compressed for this request


def test_the_culture_page_draws_the_outlines_once_for_its_five_maps(client: TestClient) -> None:
    """Five maps of the same 285 (+ 19 Brussels) outlines: the first holds them, the others use them, each map
    with an id of its own (one id twice on a page breaks its links and its accessibility)."""
    page = client.get("/cultuur", params={"op": "2025-06-01"}).text
    assert page.count("<svg ") == 5 and page.count("<path ") == 285 + 19
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids)) and "kaart-erfgoedcel" in ids and "kaart-samen" in ids
    used = set(re.findall(r'<use href="#([^"]+)"', page))
    assert used <= set(ids) and len(used) == 285 + 19


def test_areas_and_borders_follow_a_changed_boundary_without_a_restart(imported_copy_url: str) -> None:
    """The culture page's areas and neighbours come from the boundaries as the database holds them: a write
    that changes a boundary is seen within a second (they are made again for every content version)."""
    engine = make_engine(imported_copy_url)
    site = Site(Atlas(engine))
    areas, borders = site.boundaries.areas("2025"), site.boundaries.borders("2025")
    assert round(areas["44021"]) == 158 and "44085" in borders["44021"]  # Gent borders Lochristi
    b = schema.boundary
    with engine.begin() as conn:
        conn.execute(
            update(b)
            .where(b.c.kind == "gemeente", b.c.vintage == "2025", b.c.code == "44021")
            .values(svg_path="M0 0 10 0 10 10 0 10Z")  # a square of 10 by 10 decametres, far from everyone
        )
        bump_content_version(conn)
    time.sleep(1.1)
    assert site.boundaries.areas("2025")["44021"] == 0.01 and not site.boundaries.borders("2025")["44021"]
    assert "44021" not in site.boundaries.borders("2025")["44085"]
    site.atlas.close()


def test_a_long_region_table_is_folded_and_the_partner_map_points_up_to_its_list(client: TestClient) -> None:
    """At 390 px the 23 erfgoedcellen with their municipalities made /lagen/erfgoedcel some 9,900 px tall: the table
    is folded in <details> (open without JavaScript), and so is the list of the 145 municipalities without one.
    On a municipality page the partner list stands above the map, and the map's caption says so."""
    page = client.get("/lagen/erfgoedcel", params={"op": "2025-06-30"}).text
    folded = page.split("<details><summary>De 23 regio's en hun gemeenten (tabel)</summary>", 1)
    assert len(folded) == 2 and '<table id="regios">' in folded[1].split("</details>", 1)[0]
    assert "<details><summary>De 145 gemeenten</summary>" in page  # without a region: 285 - 140
    short = client.get("/lagen/bibliotheeknetwerk", params={"op": "2025-06-30"}).text  # 6 regions: not folded
    assert '<table id="regios">' in short and "(tabel)</summary>" not in short
    gent = client.get("/gemeenten/gent").text
    assert gent.index('id="partners"') < gent.index("de lijst hierboven")
    assert "de lijst hieronder" not in gent


def test_a_request_that_accepts_gzip_in_other_words_gets_it_and_leaves_it_for_the_next(client: TestClient) -> None:
    """``*`` and ``GZIP`` accept gzip, as ``gzip`` does: the page is compressed for them and kept so, not kept
    uncompressed under the gzip key for every browser after them; a header sent twice is read as one list."""
    for url in ("/rechtsvormen", "/rechtsvormen?op=2023-03-14"):
        plain = client.get(url, headers={"Accept-Encoding": "identity"})
        for asked in ("*", "GZIP", "gzip"):
            answer = client.get(url, headers={"Accept-Encoding": asked})
            assert answer.headers.get("content-encoding") == "gzip", (url, asked)
            assert answer.content == plain.content, (url, asked)
        twice = client.get(url, headers=[("Accept-Encoding", "br"), ("Accept-Encoding", "gzip")])
        assert twice.headers.get("content-encoding") == "gzip" and twice.headers["etag"] == answer.headers["etag"]
        refused = client.get(url, headers={"Accept-Encoding": "Gzip;Q=0"})
        assert "content-encoding" not in refused.headers and refused.headers["etag"] == plain.headers["etag"]
        assert [x.strip().lower() for x in refused.headers["vary"].split(",")].count("accept-encoding") == 1, url


def test_a_municipality_without_sources_on_a_day_says_so_instead_of_an_empty_list(client: TestClient) -> None:
    """Gooik, merged into Pajottegem on 1 January 2025, has no cooperation and so no source after it: the page
    says so, not an expandable '0 bronnen' that opens on nothing."""
    page = client.get("/gemeenten/gooik", params={"op": "2025-06-30"})
    assert client.get("/gemeenten/gooik.json", params={"op": "2025-06-30"}).json()["bronnen"] == []
    assert "0 bronnen" not in page.text
    assert "Geen bronnen: de atlas kent op 30 juni 2025 geen samenwerking van Gooik." in page.text
    assert re.search(r"<summary>\d+ bronnen</summary>", client.get("/gemeenten/gent").text)
