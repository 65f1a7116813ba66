"""The one JSON contract of the open data: typed models, each field described in Dutch and in English.

The API (/api/v1), ``igs show --json``, ``igs check --json`` and the library (``atlas.api``) all return these
models, so they cannot disagree. Keys are Dutch, lower case, with underscores: no apostrophes, one meaning per
key. A day is ISO text (``2025-06-01``); an unknown day is null, never a guess.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


def described(nl: str, en: str, **extra: Any) -> Any:
    """A field with its Dutch and English description, as the OpenAPI document shows it."""
    return Field(description=f"{nl} / {en}", **extra)


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bron(Model):
    """Where a fact comes from: the source's name and the date it gives."""

    bron: str = described("Naam van de bron", "Name of the source")
    datum: str | None = described(
        "Datum zoals de bron ze geeft (JJJJ-MM-DD, JJJJ-MM of 'undated')", "Date as the source gives it"
    )


class Registratie(Model):
    """When the atlas recorded one fact and from which source (registration time): not when the fact held."""

    sinds: str = described(
        "Wanneer de atlas de huidige waarde vastlegde (UTC, ISO 8601)", "When the atlas recorded the current value"
    )
    bron: str = described(
        "Waaruit: een bestand (lblod/organisations.nt.gz, regions/memberships.csv, published/cooperations.csv), "
        "een deltabestand van het Organisatieportaal, of edit:<n> (een aanvaarde wijziging)",
        "File, Organisatieportaal delta file, or accepted edit it came from",
    )


REGISTRATION_NOTE = (
    "Registratietijd, los van de geldigheid (geldig_van/geldig_tot)",
    "Registration time, apart from the valid time",
)


def registered_since() -> Any:
    return described(
        f"{REGISTRATION_NOTE[0]}: sinds wanneer de atlas dit record vermeldt (UTC, ISO 8601)",
        f"{REGISTRATION_NOTE[1]}: since when the atlas records it (UTC)",
        default=None,
    )


def registered_source() -> Any:
    return described(
        "Bestand of wijziging waaruit de atlas het record eerst vastlegde (zie Registratie.bron)",
        "File or edit the atlas first recorded it from",
        default=None,
    )


def registered_until() -> Any:
    return described(
        "Sinds wanneer de atlas het record niet meer vermeldt (UTC); null zolang het in het register staat",
        "Since when the atlas no longer records it; null while it does",
        default=None,
    )


class OrganisatieKort(Model):
    """An organisation in short, as lists and memberships name it."""

    id: str = described("Vaste sleutel; blijft dezelfde over imports heen", "Stable key; survives re-imports")
    naam: str = described("Naam", "Name")
    classificatie: str = described("Code van de soort organisatie (zie /api/v1/classificaties)", "Kind of organisation")
    classificatie_label: str = described("Soort organisatie in woorden", "Kind of organisation, as a label")
    familie: str = described(
        "Groep van soorten: lokaal-bestuur, igs, ocmw-vereniging, zone, regio, verzelfstandigd, overig",
        "Family of kinds",
    )
    status: str | None = described("actief, niet-actief, in-oprichting; null als onbekend", "Status; null if unknown")
    kbo: str | None = described("KBO-ondernemingsnummer (0207.524.471)", "Belgian enterprise number")
    uri: str = described("URI als linked data (LBLOD-URI waar de organisatie uit het register komt)", "Linked-data URI")
    url: str = described("Pagina op de site", "Page on the site")
    api: str = described("Adres in deze API", "Address in this API")


class Adres(Model):
    straat: str | None = described("Straat", "Street")
    huisnummer: str | None = described("Huisnummer", "House number")
    bus: str | None = described("Busnummer", "Box number")
    postcode: str | None = described("Postcode", "Postcode")
    gemeente: str | None = described("Gemeente van het adres", "Municipality of the address")
    provincie: str | None = described("Provincie van het adres", "Province of the address")
    land: str | None = described("Land", "Country")
    volledig: str | None = described("Het adres in één regel", "The address on one line")


class ThemaKort(Model):
    uri: str = described("URI van het beleidsthema (officiële codelijst)", "URI of the policy theme")
    label: str = described("Naam van het thema", "Theme label")
    bewijs: str = described(
        "Hoe we het weten: 'bron' (gelezen in een bron), 'laag' (de regio van een laag), 'soort' (de classificatie) "
        "of 'naam' (afgeleid uit de naam)",
        "Evidence type",
    )
    bron: str | None = described("Bron van het bewijs", "Source of the evidence")


class RegioVan(Model):
    laag: str = described("Laag waarvan de organisatie een regio is", "Layer of which it is a region")
    sleutel: str = described("Sleutel van de regio in de laag", "Key of the region in its layer")
    naam: str = described("Naam van de regio", "Region name")


class Bevinding(Model):
    """A compliance finding: one rule checked for one organisation on a day."""

    regel: str = described("Code van de regel", "Rule code")
    titel: str = described("Wat de regel nagaat", "What the rule checks")
    organisatie_id: str = described("De organisatie", "The organisation")
    oordeel: str = described("in-orde, afwijking of niet-te-controleren", "Outcome")
    ernst: str = described("ernstig, waarschuwing of info", "Weight of a deviation")
    boodschap: str = described("Uitleg", "Explanation")
    gecontroleerd: str = described("Wat gecontroleerd is, op welke gegevens", "What was checked, on which data")
    zekerheid: str = described("hoog, middel of laag", "Confidence")
    artikels: list[str] = described("Wetsartikels waarop de regel steunt", "Articles the rule rests on")


class Organisatie(OrganisatieKort):
    """Every fact the register holds about one organisation."""

    juridische_naam: str | None = described("Juridische naam", "Legal name")
    alternatieve_namen: list[str] = described("Andere namen en afkortingen", "Other names and abbreviations")
    ovo: str | None = described("OVO-nummer (Wegwijs)", "OVO number (Flemish organisation register)")
    adres: Adres = described("Adres van de hoofdvestiging", "Address of the main site")
    telefoon: str | None = described("Telefoonnummer van de organisatie", "Phone number of the organisation")
    email: str | None = described("Algemeen e-mailadres van de organisatie", "General e-mail of the organisation")
    website: str | None = described("Website", "Website")
    werkingsgebied: str | None = described("Werkingsgebied volgens het register", "Operating area per the register")
    geldig_van: str | None = described("Eerste dag van bestaan; null als onbekend", "First day; null if unknown")
    geldig_tot: str | None = described("Eerste dag niet meer; null als open of onbekend", "First day no longer")
    oprichtingsdatum: str | None = described("Oprichtingsdatum (alleen uit aanvaarde wijzigingen)", "Founding date")
    geplande_einddatum: str | None = described("Einddatum die de statuten vastleggen", "End date set by the statutes")
    herkomst: str = described("lblod, regions, published, edit:<n> of derived", "Origin of the record")
    bron: Bron = described("Bron van het record", "Source of the record")
    themas: list[ThemaKort] = described("Beleidsthema's", "Policy themes")
    regio_van: list[RegioVan] = described("Lagen waarvan de organisatie een regio is", "Layers it is a region of")
    aantal_leden: int = described("Aantal leden op de dag", "Number of members on the day")
    bevindingen: list[Bevinding] = described("Bevindingen van de nalevingscontrole op de dag", "Compliance findings")
    bron_datum: str | None = described(
        "De dag waarop de bron het record bevestigt (geen begindatum, geen registratiedatum)",
        "The day the source attests the record (neither its start nor its registration)",
        default=None,
    )
    geregistreerd_sinds: str | None = registered_since()
    geregistreerd_bron: str | None = registered_source()
    geregistreerd_tot: str | None = registered_until()
    geregistreerd_per_feit: dict[str, Registratie] | None = described(
        "Per feit (naam, status, geldig_van, geldig_tot): wanneer en waaruit de atlas de huidige waarde vastlegde",
        "Per fact: when and from where the atlas recorded its current value",
        default=None,
    )


class GemeenteKort(Model):
    nis: str = described("NIS-code", "NIS code")
    naam: str = described("Naam", "Name")
    url: str = described("Pagina op de site", "Page on the site")


class Gemeente(GemeenteKort):
    provincie: str | None = described("Provincie", "Province")
    gewest: str = described("Vlaanderen of Brussel", "Region")
    geldig_van: str | None = described("Eerste dag van bestaan", "First day")
    geldig_tot: str | None = described("Eerste dag niet meer (fusie)", "First day no longer (merger)")
    opvolger_nis: str | None = described("NIS-code van de fusiegemeente", "NIS code of the merged municipality")
    organisatie_id: str | None = described("De gemeente als organisatie in het register", "Its register organisation")
    in_set_2019_2024: bool = described("Een van de 300 gemeenten van 2019-2024", "One of the 300 of 2019-2024")
    in_set_2025: bool = described("Een van de 285 gemeenten sinds 2025", "One of the 285 since 2025")
    uri: str = described("URI als linked data", "Linked-data URI")
    api: str = described("Adres in deze API", "Address in this API")


class Lidmaatschap(Model):
    id: str = described("Vaste sleutel", "Stable key")
    uri: str = described("URI (LBLOD-URI waar het uit het register komt)", "Linked-data URI")
    organisatie: OrganisatieKort = described("De organisatie of regio", "The organisation or region")
    lid: OrganisatieKort = described("Het lid", "The member")
    gemeente: GemeenteKort | None = described("De gemeente die lid is, zoals ze die dag was", "Municipal member")
    rol: str = described("participant, stichtend-lid, gerelateerd of lid", "Role")
    rol_label: str = described("Rol in woorden", "Role, as a label")
    geldig_van: str | None = described("Lid sinds; null als onbekend", "Member since; null if unknown")
    geldig_tot: str | None = described("Lid tot (eerste dag niet meer)", "Member until (first day no longer)")
    laag: str | None = described("De laag waaruit het lidmaatschap komt", "Layer the membership comes from")
    afgeleid: bool = described(
        "Afgeleid (rechtsopvolging bij fusie of door de samensteller van de data)", "Derived (merger succession)"
    )
    afgeleid_van: str | None = described("Waarvan afgeleid", "Derived from")
    herkomst: str = described("lblod, regions, published, edit:<n> of derived", "Origin")
    bron: Bron = described("Bron en datum", "Source and date")
    opmerking: str | None = described("Opmerking van de bron", "Note of the source")
    bron_datum: str | None = described(
        "De dag waarop de bron het lidmaatschap bevestigt ('lid volgens een bron van ...'): geen begindatum",
        "The day a source attests the membership: not its start",
        default=None,
    )
    geregistreerd_sinds: str | None = registered_since()
    geregistreerd_bron: str | None = registered_source()
    geregistreerd_tot: str | None = registered_until()
    geregistreerd_per_feit: dict[str, Registratie] | None = described(
        "Per feit (rol, geldig_van, geldig_tot): wanneer en waaruit de atlas de huidige waarde vastlegde",
        "Per fact: when and from where the atlas recorded its current value",
        default=None,
    )


class Laag(Model):
    id: str = described("Code van de laag", "Layer code")
    titel: str = described("Naam van de laag", "Layer title")
    beschrijving: str = described("Beschrijving", "Description")
    rechtsgrond: str | None = described("Rechtsgrond", "Legal basis")
    aantal_regios: int = described("Aantal regio's", "Number of regions")
    aantal_gemeenten: int = described("Aantal gemeenten in de laag", "Municipalities the layer covers")
    volledig: bool = described("De laag dekt elke gemeente", "The layer covers every municipality")
    volledigheid: str = described("Hoe volledig de laag is (zoals de bron het zegt)", "Completeness note")
    bronnen: str = described("Bronnen van de laag", "Sources of the layer")
    url: str = described("Pagina op de site", "Page on the site")
    api: str = described("Adres in deze API", "Address in this API")


class Regio(Model):
    laag: str = described("Code van de laag", "Layer code")
    sleutel: str = described("Sleutel van de regio", "Region key")
    naam: str = described("Naam", "Name")
    organisatie_id: str = described("De organisatie achter de regio", "The organisation behind the region")
    gekoppeld: bool = described(
        "Waar: de regio is een organisatie uit het register; onwaar: een record van de atlas", "Linked to the register"
    )
    gemeenten: list[str] = described("NIS-codes van de gemeenten op de dag", "NIS codes of its municipalities")
    uri: str = described("URI als linked data", "Linked-data URI")


class Thema(Model):
    uri: str = described("URI in de officiële codelijst", "URI in the official code list")
    label: str = described("Naam", "Label")
    aantal_organisaties: int = described("Aantal organisaties met dit thema", "Organisations with this theme")


class Classificatie(Model):
    code: str = described("Code", "Code")
    label: str = described("Naam zoals de bron ze schrijft", "Label as the source writes it")
    familie: str = described("Groep van soorten", "Family")
    uri: str | None = described("URI in de codelijst van het register", "URI in the register's code list")
    aantal: int = described("Aantal organisaties van deze soort", "Organisations of this kind")


class Artikel(Model):
    artikel: str = described("Artikelnummer ('n.c.' als niet gekend)", "Article number")
    wet: str = described("Wet of decreet (DLB, Regiodecreet, ...)", "Law")
    bevestigd: bool = described("Het artikel is bevestigd in de bron", "The article is confirmed")
    label: str = described("Het artikel zoals de site het toont", "Article as shown")


class Feit(Model):
    sleutel: str = described("Welk feit", "Which fact")
    waarde: object = described("De waarde", "The value")
    artikels: list[Artikel] = described("Artikels", "Articles")
    bronnen: list[str] = described("Bronnen", "Sources")
    zekerheid: str = described("hoog, middel of laag, volgens de referentie", "Confidence per the reference")
    bevestigd: bool = described(
        "Een artikel van het huidige recht is bevestigd; anders toont de site 'niet bevestigd'",
        "A current article is confirmed",
    )
    opmerking: str | None = described("Opmerking", "Note")


class Rechtsvorm(Model):
    id: str = described("Code", "Code")
    naam: str = described("Naam", "Name")
    categorie: str = described("Categorie", "Category")
    feiten: list[Feit] = described("De feiten met hun artikels en zekerheid", "Facts with articles and confidence")
    url: str = described("Pagina op de site", "Page on the site")


class Passing(Model):
    """How one structure fits the reference regions (analyse/passing)."""

    id: str = described("De structuur (organisatie of regio)", "The structure")
    naam: str = described("Naam", "Name")
    soort: str = described("Soort", "Kind")
    laag: str | None = described("Laag, voor een regio", "Layer, for a region")
    leden: int = described("Aantal gemeentelijke leden", "Municipal members")
    beste_regio: str | None = described("Referentieregio met de meeste leden", "Best-fitting reference region")
    aandeel_in_beste_regio: float = described("Aandeel leden in die regio (0-1)", "Share of members in it")
    oordeel: str = described("gelijk, binnen, over-grenzen of onbekend", "Verdict")
    oordeel_label: str = described("Het oordeel in woorden", "Verdict as a label")


class LaagOvereenkomst(Model):
    """How well two layers agree (analyse/lagen): adjusted Rand index and normalised variation of information."""

    laag_a: str = described("Eerste laag", "First layer")
    laag_b: str = described("Tweede laag", "Second layer")
    gedeelde_gemeenten: int = described("Gemeenten in beide lagen", "Municipalities in both")
    ari: float | None = described("Aangepaste Rand-index (1 = gelijk)", "Adjusted Rand index")
    nvi: float | None = described("Genormaliseerde variatie van informatie (0 = gelijk)", "Normalised VI")


class BijnaDezelfde(Model):
    a: str = described("Eerste samenwerking", "First cooperation")
    b: str = described("Tweede samenwerking", "Second cooperation")
    jaccard: float = described("Gedeelde leden / alle leden (0-1)", "Jaccard index of the members")


class Netwerk(Model):
    """The network of municipalities linked by shared cooperations, and its communities (analyse/netwerk)."""

    gemeenten: int = described("Gemeenten in het netwerk", "Municipalities in the network")
    verbindingen: int = described("Paren gemeenten die minstens één samenwerking delen", "Linked pairs")
    gemeenschappen: int = described("Aantal gemeenschappen (Leiden-algoritme)", "Number of communities")
    gemeenschap_per_gemeente: dict[str, int] = described(
        "NIS-code -> nummer van de gemeenschap", "NIS code -> community number"
    )
    ari_met_referentieregio: float | None = described(
        "Overeenkomst van de gemeenschappen met de referentieregio's (ARI)", "Agreement with the reference regions"
    )
    bijna_dezelfde_leden: list[BijnaDezelfde] = described(
        "Samenwerkingen met (bijna) dezelfde leden", "Cooperations with (nearly) the same members"
    )


class Wijziging(Model):
    id: int = described("Volgnummer in het wijzigingslogboek", "Sequence number in the change log")
    tijdstip: str = described("Wanneer (UTC, ISO 8601)", "When (UTC)")
    soort: str = described("toegevoegd, verwijderd of gewijzigd", "inserted, deleted or changed")
    tabel: str = described("Soort record", "Kind of record")
    record: str = described("Sleutel van het record", "Record key")
    veld: str | None = described("Gewijzigd veld", "Changed field")
    oud: str | None = described("Oude waarde", "Old value")
    nieuw: str | None = described("Nieuwe waarde", "New value")
    bron: str = described("Bron van de wijziging (import of redactie)", "Source of the change")


class Pagina(Model, Generic[T]):
    """One page of a list, with the link to the next one (cursor paging, stable order)."""

    op: str | None = described("De dag waarop de lijst slaat; null = alle periodes", "Day the list is about")
    geregistreerd_op: str | None = described(
        "Registratiedag: de lijst zoals de atlas ze aan het einde van die dag (UTC) had; null = zoals nu",
        "Registration day: the list as the atlas had recorded it at the end of that day; null = as now",
        default=None,
    )
    totaal: int = described("Aantal resultaten over alle pagina's", "Results over all pages")
    resultaten: list[T] = described("De resultaten van deze pagina", "Results of this page")
    volgende: str | None = described("Adres van de volgende pagina; null op de laatste", "Next page; null at the end")


class FoutDetail(Model):
    code: str = described("Vaste foutcode (bv. organisation-not-found, invalid-day)", "Stable error code")
    message: str = described("Wat er mis is, in het Nederlands", "What is wrong, in Dutch")
    status: int = described("HTTP-status", "HTTP status")
    hint: str | None = described("Wat te doen", "What to do", default=None)
    location: str | None = described("Waar (bestand of veld)", "Where (file or field)", default=None)


class Fout(Model):
    """The one error shape of the API."""

    error: FoutDetail = described("De fout", "The error")
