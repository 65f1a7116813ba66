"""Themes the atlas derives for a cooperation that themes/igs-themes.csv gives none, each by a rule that says how it
was found and how sure it is.

Three rules, strongest first:
- layer: the cooperation is the body behind a region of a thematic layer (an erfgoedcel, an IGS cultuur, a
  regionaal landschap ...); the layer's own source says what the region does. Medium evidence: the link between
  region and body is made by name.
- classification: the Organisatieportaal classifies it as a kind whose task the law fixes (a ziekenhuisvereniging
  runs a hospital, a woonzorgvereniging residential care, a welzijnsvereniging welfare tasks). Medium evidence: the
  kind names the task, not what the body does today.
- name: a word in its name names the task ("Sportregio ...", "Woonwinkel ...", "AZ ..."). Weak evidence.
A theme read in a source (or given by the data's author from the name) is never replaced: these rules only fill in
cooperations that have none."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from igsatlas.domain.model import OrganisationTheme

# evidence_type of a derived theme; "source" and "name" are the data file's own.
LAYER, CLASSIFICATION, NAME_RULE = "layer", "classification", "name-rule"
STRENGTH = {"source": "sterk", LAYER: "middel", CLASSIFICATION: "middel", "name": "zwak", NAME_RULE: "zwak"}
HOW = {
    "source": "uit een gelezen bron",
    "name": "afgeleid uit de naam",
    LAYER: "afgeleid uit een laag",
    CLASSIFICATION: "afgeleid uit de soort",
    NAME_RULE: "afgeleid uit de naam",
}

CULTURE = "Vrijetijdsbeleid: cultuur"
LAYER_THEMES = {
    "bovenlokale-cultuur": CULTURE,
    "bibliotheeknetwerk": CULTURE,
    "erfgoedcel": "Erfgoed: cultureel",
    "ioed": "Erfgoed: onroerend",
    "sportregio": "Vrijetijdsbeleid: sport",
    "toeristische-regio": "Vrijetijdsbeleid: toerisme",
    "regionaal-landschap": "Natuur, milieu, klimaat, landschap en/of duurzaamheid",
    "streekwerking": "Streekontwikkeling",
    "leader": "Streekontwikkeling",
    "igs-woonbeleid": "Wonen: algemeen wonen",
    "woonmaatschappij": "Wonen: sociaal wonen",
    "elz": "Zorg: eerstelijnszorg",
    "vervoerregio": "Mobiliteit",
}
HOSPITALS = "Zorg: ziekenhuizen (inclusief psychiatrische ziekenhuizen en revalidatieziekenhuizen)"
CLASSIFICATION_THEMES = {
    "ziekenhuisvereniging": HOSPITALS,
    "woonzorgvereniging-of-woonzorgvennootschap": "Zorg: woonzorg",
    "welzijnsvereniging": "Welzijn",
}


@dataclass(frozen=True)
class NameRule:
    pattern: re.Pattern[str]
    theme: str
    words: str  # what the rule looks for, in Dutch, for the page


def _rule(pattern: str, theme: str, words: str) -> NameRule:
    return NameRule(re.compile(pattern, re.IGNORECASE), theme, words)


# Abbreviations (AZ, RVT, SVK, GAS) match in capitals only: "gas" in a name is not the GAS of administrative fines.
NAME_RULES = (
    _rule(r"ziekenhui|(?-i:(?<![\w-])A\.?Z\.?(?![\w-]))", HOSPITALS, "ziekenhuis of AZ"),
    _rule(
        r"woonzorg|woon- en zorg|rusthuis|(?-i:(?<![\w-])RVT(?![\w-]))|zorgcentrum|ouderenzorg",
        "Zorg: woonzorg",
        "woonzorg, rusthuis, woon- en zorgcentrum of ouderenzorg",
    ),
    _rule(r"beschut wonen", "Zorg: geestelijke gezondheidszorg", "beschut wonen"),
    _rule(r"sportregio|burensportdienst|voetbal", "Vrijetijdsbeleid: sport", "sportregio, burensportdienst of voetbal"),
    _rule(r"bibliothe", CULTURE, "bibliotheek"),
    _rule(
        r"woonwinkel|woondienst|woonpunt|wooncentrum|beter wonen|^wonen ",
        "Wonen: algemeen wonen",
        "woonwinkel, woondienst, woonpunt, wooncentrum of wonen",
    ),
    _rule(
        r"sociaal verhuur|verhuurkantoor|(?-i:(?<![\w-])SVK(?![\w-]))",
        "Wonen: sociaal wonen",
        "sociaal verhuurkantoor (SVK)",
    ),
    _rule(
        r"kringwinkel|dienstencheque|buurtbedrijf|dienstenbedrijf|sociaal economisch",
        "Economie, sociale economie en/of werk",
        "kringwinkel, dienstencheque, buurt- of dienstenbedrijf of sociaal economisch",
    ),
    _rule(
        r"(?-i:Fluvius|INTERGAS)",
        "Distributie: elektriciteit, gas, stoom en/of gekoelde lucht",
        "Fluvius (de netbeheerder, zoals Fluvius Antwerpen en Fluvius West met bron) of Intergas",
    ),
    _rule(r"schuldbemiddeling", "Welzijn", "schuldbemiddeling"),
    _rule(r"(?-i:(?<![\w-])GAS(?!\w))", "Veiligheid", "GAS (gemeentelijke administratieve sancties)"),
)


@dataclass(frozen=True)
class Cooperation:
    """What the rules look at: an IGS or an OCMW association without a theme of its own."""

    id: str
    name: str
    classification: str  # the classification's code
    classification_label: str
    layers: tuple[tuple[str, str, str], ...] = ()  # (layer id, layer title, region name) of the regions it is


def _found(c: Cooperation) -> list[tuple[str, str, str]]:
    """(theme label, evidence type, why) for one cooperation, strongest rule first."""
    out = [
        (LAYER_THEMES[layer], LAYER, f"Afgeleid: dit is de regio {region} van de laag {title}")
        for layer, title, region in c.layers
        if layer in LAYER_THEMES
    ]
    if c.classification in CLASSIFICATION_THEMES:
        why = f"Afgeleid uit de soort in het Organisatieportaal: {c.classification_label.lower()}"
        out.append((CLASSIFICATION_THEMES[c.classification], CLASSIFICATION, why))
    out += [
        (r.theme, NAME_RULE, f"Afgeleid uit de naam: die vermeldt {r.words}")
        for r in NAME_RULES
        if r.pattern.search(c.name)
    ]
    return out


def derive(cooperations: Iterable[Cooperation], theme_uris: Mapping[str, str]) -> list[OrganisationTheme]:
    """The derived themes of ``cooperations``; ``theme_uris``: theme label -> URI of the code list. A theme two
    rules find keeps the strongest rule's evidence."""
    out: list[OrganisationTheme] = []
    for c in cooperations:
        found: dict[str, OrganisationTheme] = {}
        for label, kind, why in _found(c):
            uri = theme_uris[label]
            found.setdefault(uri, OrganisationTheme(c.id, uri, kind, why, None, None))
        out.extend(found.values())
    return out


def labels_used() -> set[str]:
    """Every theme label the rules give (each must be in the code list, themes/themes.csv)."""
    return {*LAYER_THEMES.values(), *CLASSIFICATION_THEMES.values(), *(r.theme for r in NAME_RULES)}
