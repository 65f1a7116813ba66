"""The Dutch names of the register's codes: one map for the pages, the forms, the API and linked data."""

from __future__ import annotations

from igsatlas.domain.model import Layer, Role

# A membership's role in words.
ROLE_LABELS = {
    Role.PARTICIPANT.value: "deelnemer",
    Role.FOUNDER.value: "stichtend lid",
    Role.MEMBER.value: "lid",
    Role.RELATED.value: "gerelateerd",
}

# The name shown for an organisation the register gives no name (linked data publishes none rather than this).
UNNAMED = "(naam ontbreekt in het register)"

LAYER_TITLES = {
    "bovenlokale-cultuur": "Bovenlokale cultuurwerking",
    "erfgoedcel": "Erfgoedcellen",
    "uitpas": "UiTPAS-regio's",
    "elz": "Eerstelijnszones",
    "vervoerregio": "Vervoerregio's",
    "referentieregio": "Referentieregio's",
    "igs-woonbeleid": "Intergemeentelijke samenwerking woonbeleid",
    "woonmaatschappij": "Werkingsgebieden van woonmaatschappijen",
    "politiezone": "Politiezones",
    "gezondheidsmakers": "Gezondheidsmakers (regionale gezondheidspromotie)",
    "streekwerking": "Provinciale streekwerking",
    "ioed": "Intergemeentelijke onroerenderfgoeddiensten (IOED)",
    "regionaal-landschap": "Regionale landschappen",
    "publiq-regio": "Regio's van publiq (UiTdatabank)",
    "hulpverleningszone": "Hulpverleningszones",
}


LAYER_DESCRIPTIONS = {
    "bovenlokale-cultuur": "Intergemeentelijke samenwerkingen voor bovenlokale cultuurwerking met een werkingssubsidie van de Vlaamse overheid.",
    "erfgoedcel": "Erfgoedcellen die met een cultureel-erfgoedconvenant werken voor een stad of een intergemeentelijke samenwerking.",
    "uitpas": "UiTPAS-regio's: gemeenten die samen één vrijetijdspas en kortingsregeling met publiq aanbieden.",
    "elz": "Eerstelijnszones: de regio's van de eerstelijnszorg.",
    "vervoerregio": "Vervoerregio's: de regio's voor de planning van basisbereikbaarheid.",
    "referentieregio": "De referentieregio's van de Vlaamse Regering, waarin intergemeentelijke samenwerking moet passen (Regiodecreet).",
    "igs-woonbeleid": "Intergemeentelijke samenwerkingen voor lokaal woonbeleid (interlokale verenigingen, woonwinkels).",
    "woonmaatschappij": "De werkingsgebieden van de woonmaatschappijen (sociale huisvesting).",
    "politiezone": "Politiezones: de lokale politie is per zone georganiseerd.",
    "gezondheidsmakers": "Regio's voor regionale gezondheidspromotie (gezondheidsmakers).",
    "streekwerking": "De werkingsgebieden van de provinciale streekwerking.",
    "ioed": "Intergemeentelijke onroerenderfgoeddiensten, erkend door het agentschap Onroerend Erfgoed.",
    "regionaal-landschap": "Regionale landschappen: samenwerkingen van gemeenten, provincie en middenveld voor landschap en natuur.",
    "publiq-regio": "Regio's die publiq gebruikt om evenementen in de UiTdatabank te zoeken; geen bestuurlijke indeling.",
    "hulpverleningszone": "Hulpverleningszones: de brandweer (en het meeste ambulancevervoer) is per zone georganiseerd.",
}


def layer_title(layer_id: str) -> str:
    """A layer's title where no database is at hand: the code's own list, else the id."""
    return LAYER_TITLES.get(layer_id, layer_id)


def title_of(layer: Layer) -> str:
    """A layer's Dutch title: ``naam`` of regions/layers.csv, else the code's own title, else its id."""
    return layer.naam or layer_title(layer.id)


def description_of(layer: Layer) -> str:
    """A layer's Dutch description: ``beschrijving`` of regions/layers.csv, else the code's own, else the source's."""
    return layer.beschrijving or LAYER_DESCRIPTIONS.get(layer.id, layer.description)
