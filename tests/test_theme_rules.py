"""Themes the atlas derives for cooperations that themes/igs-themes.csv gives none (issue 25): by the layer whose
region a cooperation is, by its classification, or by a word in its name, each saying how it was found and how sure
it is; a theme the data file gives is never replaced."""

from __future__ import annotations

import csv
import re
from html import unescape
from pathlib import Path

from sqlalchemy import text
from starlette.testclient import TestClient

from igsatlas.domain import theme_rules
from igsatlas.domain.theme_rules import Cooperation, derive
from igsatlas.store.engine import make_engine

ACTIVE_COOPERATIONS = """
SELECT count(*) AS alle,
       sum(CASE WHEN EXISTS (SELECT 1 FROM organisation_theme t WHERE t.organisation_id = o.id
                             AND t.evidence_type IN ({kinds})) THEN 0 ELSE 1 END) AS zonder
FROM organisation o JOIN classification c ON c.code = o.classification
WHERE c.family IN ('igs', 'ocmw-vereniging') AND o.status = 'actief'
"""


def _without_theme(url: str, kinds: tuple[str, ...]) -> tuple[int, int]:
    engine = make_engine(url)
    with engine.connect() as conn:
        row = conn.execute(text(ACTIVE_COOPERATIONS.format(kinds=", ".join(f"'{k}'" for k in kinds)))).one()
    engine.dispose()
    return int(row.alle), int(row.zonder)


def test_the_share_of_active_cooperations_without_a_theme_goes_down(imported_url: str) -> None:
    """247 active IGS and OCMW associations: the data file's themes leave 138 without one (56%); with the
    derived themes 32 are left (13%), the projectverenigingen with names that say nothing and a few others."""
    assert _without_theme(imported_url, ("source", "name")) == (247, 138)
    everything = ("source", "name", "layer", "classification", "name-rule")
    assert _without_theme(imported_url, everything) == (247, 32)


def test_every_theme_a_rule_gives_is_in_the_code_list(data_dir: Path) -> None:
    with (data_dir / "themes" / "themes.csv").open(encoding="utf-8", newline="") as f:
        labels = {r["theme_label"] for r in csv.DictReader(f)}
    assert theme_rules.labels_used() <= labels


def test_the_strongest_rule_speaks_for_a_theme_two_rules_find() -> None:
    uris = {label: f"urn:{i}" for i, label in enumerate(sorted(theme_rules.labels_used()))}
    hospital = Cooperation(
        "zna", "Het Ziekenhuisnetwerk Antwerpen (ZNA) vzw", "ziekenhuisvereniging", "Ziekenhuisvereniging"
    )
    [found] = derive([hospital], uris)
    assert (found.evidence_type, found.evidence) == (
        "classification",
        "Afgeleid uit de soort in het Organisatieportaal: ziekenhuisvereniging",
    )
    # capitals only: gas in a name is not the GAS of administrative fines, nor "az" a hospital
    plain = Cooperation("x", "Distributie gas en aardgas", "projectvereniging", "Projectvereniging")
    assert derive([plain], uris) == []
    fines = Cooperation("y", "GAS-dienst", "interlokale-vereniging", "Interlokale vereniging")
    assert [t.theme_uri for t in derive([fines], uris)] == [uris["Veiligheid"]]


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_a_derived_theme_says_how_it_was_found_and_how_sure_it_is(client: TestClient) -> None:
    bie = text_of(client.get("/samenwerkingsverbanden/projectvereniging-bie").text)
    assert (
        "Vrijetijdsbeleid: cultuur middel bewijs: afgeleid uit een laag : Afgeleid: dit is "
        "de regio BIE (BIE Midwest) van de laag Bovenlokale cultuurwerking"
    ) in bie
    hospital = text_of(client.get("/samenwerkingsverbanden/az-delta").text)
    assert "middel bewijs: afgeleid uit de soort : Afgeleid uit de soort in het Organisatieportaal" in hospital
    haviland = text_of(client.get("/samenwerkingsverbanden/haviland").text)
    assert "Streekontwikkeling sterk bewijs: uit een gelezen bron" in haviland and "Afgeleid" not in haviland
    found = client.get("/api/v1/organisaties", params={"classificatie": "ziekenhuisvereniging"}).json()
    delta = next(o for o in found["resultaten"] if o["naam"] == "AZ Delta")
    assert [t["bewijs"] for t in client.get(delta["api"]).json()["themas"]] == ["soort"]


def test_gooik_knows_the_theme_of_its_sport_region(client: TestClient) -> None:
    """Of Gooik's cooperations on 30 June 2024, five had no theme; the sport region has one now (weak: from its
    name) and the Fluvius companies theirs; the prevention service for health is still without."""
    twin = client.get("/gemeenten/gooik.json", params={"op": "2024-06-30"}).json()
    sport = next(t for t in twin["per_thema"] if t["thema"] == "Vrijetijdsbeleid: sport")
    assert [(c["naam"], c["zekerheid"]) for c in sport["samenwerkingen"]] == [("ILV Sportregio Pajottenland", "zwak")]
    assert [c["naam"] for c in twin["zonder_thema"]] == ["Intergemeentelijke preventiedienst gezondheid Pajottenland"]
    page = text_of(client.get("/gemeenten/gooik", params={"op": "2024-06-30"}).text)
    assert "ILV Sportregio Pajottenland (zwak bewijs: alleen uit de naam)" in page
