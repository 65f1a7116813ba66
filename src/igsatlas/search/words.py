"""The words of search: how text is folded into tokens, and what everyday words mean (kinds of body, themes,
layers). Pure data and functions; the index and the ranking read them."""

from __future__ import annotations

import re
import unicodedata

_ST = re.compile(r"\bst\b\.?\s*")
_NON_WORD = re.compile(r"[^a-z0-9]+")

# Everyday words -> the kinds they mean: a classification code, a family ("igs") or a layer ("laag:elz"). The
# first kind is what the word means above all ("ocmw" is first the OCMW, then the welzijnsverenigingen).
SYNONYMS: dict[str, tuple[str, ...]] = {
    word: kinds
    for words, kinds in (
        (("politie", "politiezone", "politiezones", "pz", "flik"), ("politiezone", "laag:politiezone")),
        (
            ("brandweer", "brandweerzone", "hulpverleningszone", "hulpverleningszones", "hvz", "ambulance"),
            ("hulpverleningszone", "laag:hulpverleningszone"),
        ),
        (("ocmw", "ocmws"), ("ocmw", "welzijnsvereniging")),
        (("sociaal", "welzijn", "zorg", "zorgvereniging"), ("welzijnsvereniging", "ocmw")),
        (
            ("intercommunale", "intercommunales", "intergemeentelijk", "intergemeentelijke", "igs"),
            ("igs",),
        ),
        (("projectvereniging",), ("projectvereniging",)),
        (("dienstverlenende", "dienstverlenend"), ("dienstverlenende-vereniging",)),
        (("opdrachthoudende", "opdrachthoudend"), ("opdrachthoudende-vereniging",)),
        (("interlokale", "ilv"), ("interlokale-vereniging",)),
        (("agb", "gemeentebedrijf"), ("autonoom-gemeentebedrijf",)),
        (("apb", "provinciebedrijf"), ("autonoom-provinciebedrijf",)),
        (("ziekenhuis", "ziekenhuizen", "az"), ("ziekenhuisvereniging", "autonome-verzorgingsinstelling")),
        (("district", "districten"), ("district",)),
        (("provincie",), ("provincie",)),
        (("eerstelijnszone", "eerstelijnszones", "elz", "zorgraad", "eerstelijn"), ("laag:elz",)),
        (("vervoerregio", "vervoerregios", "vervoer", "mobiliteit"), ("laag:vervoerregio",)),
        (("erfgoedcel", "erfgoedcellen"), ("laag:erfgoedcel",)),
        (("ioed", "onroerenderfgoeddienst", "erfgoeddienst"), ("laag:ioed",)),
        (("uitpas",), ("laag:uitpas",)),
        (("referentieregio", "referentieregios", "regiovorming"), ("laag:referentieregio",)),
        (("cultuur", "cultuurregio", "bovenlokale"), ("laag:bovenlokale-cultuur",)),
        (("woonmaatschappij", "woonmaatschappijen"), ("laag:woonmaatschappij",)),
        (("landschap", "regionaal", "landschappen"), ("laag:regionaal-landschap",)),
        (("leader",), ("laag:leader",)),
        (("bibliotheek", "bibliotheeknetwerk", "bibliotheken", "regiobib"), ("laag:bibliotheeknetwerk",)),
        (("sportregio", "sportregios", "burensportdienst"), ("laag:sportregio",)),
        (("streekwerking",), ("laag:streekwerking",)),
        (("gezondheidsmakers", "gezondheidspromotie"), ("laag:gezondheidsmakers",)),
        (("woonbeleid", "woonwinkel"), ("laag:igs-woonbeleid",)),
        (("toeristische", "toerisme"), ("laag:toeristische-regio",)),
    )
    for word in words
}

# Words people type for a theme that the register writes otherwise: the word is searched as these words too.
EXPANSIONS: dict[str, tuple[str, ...]] = {
    "drinkwater": ("water",),
    "waterbedrijf": ("water",),
    "afvalintercommunale": ("afval", "intercommunale"),
    "huisvuil": ("afval",),
    "containerpark": ("afval",),
    "recyclagepark": ("afval",),
    "netbeheerder": ("elektriciteit", "fluvius"),
    "energie": ("elektriciteit",),
    "stroom": ("elektriciteit",),
    "gas": ("gas",),
    "riool": ("riolering",),
    "jeugddienst": ("jeugd", "jeugdregio"),
    "ict": ("informatica",),
    "begraafplaats": ("crematorium",),
    "toerisme": ("toerisme", "toeristische"),
}

# Names of layers beside their titles, as people say them.
LAYER_NAMES: dict[str, tuple[str, ...]] = {
    "ioed": ("onroerend erfgoed", "onroerenderfgoeddiensten"),
    "referentieregio": ("regiovorming",),
    "bovenlokale-cultuur": ("igs cultuur", "cultuurregios"),
    "hulpverleningszone": ("brandweerzones",),
    "leader": ("leader gebieden", "plattelandsontwikkeling"),
    "toeristische-regio": ("toeristische regios",),
    "bibliotheeknetwerk": ("bibliotheeknetwerken",),
    "sportregio": ("sportregios",),
    "woonmaatschappij": ("woonmaatschappijen",),
}

# Words that only say "a region", "a town" or "a cooperation": they count little and never alone.
FILLERS = frozenset(
    {
        "regio",
        "zone",
        "samenwerking",
        "samenwerkingsverband",
        "van",
        "de",
        "het",
        "in",
        "voor",
        "en",
        "stad",
        "gemeente",
    }
)


def normalise(text: str) -> str:
    """'St.-Niklaas' -> 'sint niklaas'; 'Zwijndrecht (Antwerpen)' -> 'zwijndrecht antwerpen'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    ascii_text = _ST.sub("sint ", ascii_text)
    ascii_text = ascii_text.replace("'", "")
    return _NON_WORD.sub(" ", ascii_text).strip()


def kind_words(kinds: frozenset[str]) -> list[str]:
    """The everyday words that name one of ``kinds`` (for the index's kind column)."""
    return [word for word, means in SYNONYMS.items() if kinds.intersection(means)]
