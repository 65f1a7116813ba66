"""Bulk downloads: the register of a day as CSV tables, each with its columns' types and descriptions, keys
and foreign keys (the Frictionless Data Package that describes them is in package.py).

Every table comes in two dialects: the standard one (comma, UTF-8) and one a Belgian Excel opens right
(semicolon, UTF-8 with a byte-order mark, so "één" stays "één" and every field has its own column).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from igsatlas.domain.labels import title_of
from igsatlas.errors import NotFoundError
from igsatlas.opendata import filters
from igsatlas.opendata.register import OpenRegister
from igsatlas.state.view import RegisterView
from igsatlas.store.registration import Registration, iso_moment

Row = list[Any]


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema type: string, integer, boolean, date
    description: str
    required: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...]  # (field, table, field)
    rows: Callable[[OpenRegister, RegisterView, date | None], Iterator[Row]]


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _registered(found: Registration | None) -> Row:
    """The registration columns of a record: since, source, until; and when and whence its valid days came."""
    if found is None:
        return [None] * 5
    valid = max((found.of("valid_from"), found.of("valid_to")), key=lambda r: r.at)
    return [
        found.since.iso(),
        found.since.source,
        iso_moment(found.until) if found.until else None,
        valid.iso(),
        valid.source,
    ]


def _organisations(reg: OpenRegister, s: RegisterView, _day: date | None) -> Iterator[Row]:
    for o in sorted(s.organisations.values(), key=lambda o: o.id):
        kind = s.classifications.get(o.classification)
        yield [
            o.id,
            o.name,
            o.classification,
            kind.label if kind else o.classification,
            kind.family.value if kind else "overig",
            o.status.value if o.status else None,
            o.kbo,
            o.legal_name,
            o.postcode,
            o.address_municipality,
            o.address_province,
            o.website,
            _iso(o.valid_from),
            _iso(o.valid_to),
            o.origin,
            o.source,
            _iso(o.source_date),
            reg.uris.organisation(o),
            *_registered(s.registered.organisations.get(o.id)),
        ]


def _municipalities(reg: OpenRegister, s: RegisterView, _day: date | None) -> Iterator[Row]:
    for x in sorted(s.municipalities.values(), key=lambda x: x.nis):
        yield [
            x.nis,
            x.name,
            x.province,
            x.region,
            _iso(x.valid_from),
            _iso(x.valid_to),
            x.successor_nis,
            x.organisation_id if x.organisation_id in s.organisations else None,
            x.in_set_2019_2024,
            x.in_set_2025,
            reg.uris.municipality(x.nis),
        ]


def _memberships(reg: OpenRegister, s: RegisterView, _day: date | None) -> Iterator[Row]:
    for ms in s.memberships:
        derived = ms.derived_from if ms.derived_from in s.membership_by_id else None
        yield [
            ms.id,
            ms.organisation_id,
            ms.member_id,
            s.member_municipality.get(ms.id),
            ms.role.value,
            _iso(ms.valid_from),
            _iso(ms.valid_to),
            ms.layer_id,
            derived,
            ms.derived_from is not None,
            ms.origin,
            ms.source,
            ms.source_date_text or _iso(ms.source_date),
            reg.uris.membership(ms),
            *_registered(s.registered.memberships.get(ms.id)),
        ]


def _layers(_reg: OpenRegister, s: RegisterView, _day: date | None) -> Iterator[Row]:
    for x in sorted(s.layers.values(), key=lambda x: x.id):
        yield [
            x.id,
            title_of(x),
            x.description,
            x.legal_basis,
            x.n_regions,
            x.n_municipalities,
            x.complete,
            x.completeness_note,
            x.sources,
        ]


def _regions(reg: OpenRegister, s: RegisterView, _day: date | None) -> Iterator[Row]:
    for r in s.regions:
        yield [r.layer_id, r.key, r.name, r.organisation_id, r.linked, reg.uris.region(r.layer_id, r.key)]


def _findings(reg: OpenRegister, s: RegisterView, day: date | None) -> Iterator[Row]:
    found = reg.findings(day or date.today())
    for f in sorted(found, key=lambda f: (f.subject, f.rule)):
        if f.subject in s.organisations:
            yield [
                f.subject,
                f.rule,
                f.title,
                f.status,
                f.severity,
                f.message,
                f.checked,
                f.confidence,
                "; ".join(f.refs),
            ]


def _c(name: str, type_: str, nl: str, en: str, required: bool = False) -> Column:
    return Column(name, type_, f"{nl} / {en}", required)


# Registration time, apart from the valid time (geldig_van, geldig_tot) and the day a source attests (brondatum).
REGISTRATION_COLUMNS = (
    _c(
        "geregistreerd_sinds",
        "datetime",
        "Registratietijd: sinds wanneer de atlas dit record vermeldt (UTC); geen begindatum",
        "Registration time: since when the atlas records it (UTC); not a start date",
    ),
    _c(
        "geregistreerd_bron",
        "string",
        "Bestand of wijziging waaruit de atlas het vastlegde: lblod/organisations.nt.gz, regions/memberships.csv, "
        "published/cooperations.csv, een deltabestand van het Organisatieportaal of edit:<n>",
        "File or accepted edit the atlas recorded it from",
    ),
    _c(
        "geregistreerd_tot",
        "datetime",
        "Sinds wanneer de atlas het niet meer vermeldt (UTC); leeg zolang het in het register staat",
        "Since when the atlas no longer records it (UTC); empty while it does",
    ),
    _c(
        "geldigheid_geregistreerd_sinds",
        "datetime",
        "Wanneer de atlas geldig_van en geldig_tot vastlegde zoals ze nu zijn (UTC)",
        "When the atlas recorded the current valid days (UTC)",
    ),
    _c(
        "geldigheid_geregistreerd_bron",
        "string",
        "Waaruit die geldigheid komt (bv. edit:<n> als een aanvaarde wijziging de begindatum gaf)",
        "Where the current valid days came from (edit:<n> for an accepted edit)",
    ),
)


TABLES = (
    Table(
        "organisaties",
        "Organisaties",
        "Elke organisatie van de dag: IGS, zones, lokale besturen, regio's van lagen / every organisation of the day",
        (
            _c("id", "string", "Vaste sleutel", "Stable key", True),
            _c("naam", "string", "Naam", "Name", True),
            _c("classificatie", "string", "Soort (code)", "Kind (code)", True),
            _c("classificatie_label", "string", "Soort in woorden", "Kind, as a label", True),
            _c("familie", "string", "Groep van soorten", "Family of kinds", True),
            _c("status", "string", "actief, niet-actief, in-oprichting (leeg: onbekend)", "Status"),
            _c("kbo", "string", "KBO-ondernemingsnummer (10 cijfers)", "Enterprise number"),
            _c("juridische_naam", "string", "Juridische naam", "Legal name"),
            _c("postcode", "string", "Postcode van het adres", "Postcode"),
            _c("adres_gemeente", "string", "Gemeente van het adres", "Municipality of the address"),
            _c("adres_provincie", "string", "Provincie van het adres", "Province of the address"),
            _c("website", "string", "Website", "Website"),
            _c("geldig_van", "date", "Eerste dag", "First day"),
            _c("geldig_tot", "date", "Eerste dag niet meer", "First day no longer"),
            _c("herkomst", "string", "lblod, regions, published, edit:<n>", "Origin", True),
            _c("bron", "string", "Bron", "Source", True),
            _c("brondatum", "date", "Datum van de bron", "Date of the source"),
            _c("uri", "string", "URI als linked data", "Linked-data URI", True),
            *REGISTRATION_COLUMNS,
        ),
        ("id",),
        (),
        _organisations,
    ),
    Table(
        "gemeenten",
        "Gemeenten",
        "De gemeenten van de dag (of alle, met hun periode) / the municipalities",
        (
            _c("nis", "string", "NIS-code", "NIS code", True),
            _c("naam", "string", "Naam", "Name", True),
            _c("provincie", "string", "Provincie", "Province"),
            _c("gewest", "string", "Vlaanderen of Brussel", "Region", True),
            _c("geldig_van", "date", "Eerste dag", "First day"),
            _c("geldig_tot", "date", "Eerste dag niet meer (fusie)", "First day no longer"),
            _c("opvolger_nis", "string", "NIS-code van de fusiegemeente", "NIS code of the successor"),
            _c("organisatie_id", "string", "De gemeente als organisatie", "Its register organisation"),
            _c("in_set_2019_2024", "boolean", "Een van de 300 van 2019-2024", "One of the 300", True),
            _c("in_set_2025", "boolean", "Een van de 285 sinds 2025", "One of the 285", True),
            _c("uri", "string", "URI als linked data", "Linked-data URI", True),
        ),
        ("nis",),
        (("organisatie_id", "organisaties", "id"),),
        _municipalities,
    ),
    Table(
        "lidmaatschappen",
        "Lidmaatschappen",
        "Wie is lid van wat op de dag, met bron en datum / who is a member of what, with source and date",
        (
            _c("id", "string", "Vaste sleutel", "Stable key", True),
            _c("organisatie_id", "string", "De organisatie of regio", "The organisation or region", True),
            _c("lid_id", "string", "Het lid", "The member", True),
            _c("gemeente_nis", "string", "NIS-code van de gemeente die lid is", "NIS code of the municipal member"),
            _c("rol", "string", "participant, stichtend-lid, gerelateerd, lid", "Role", True),
            _c("geldig_van", "date", "Lid sinds (leeg: onbekend)", "Member since"),
            _c("geldig_tot", "date", "Lid tot", "Member until"),
            _c("laag", "string", "Laag waaruit het lidmaatschap komt", "Layer"),
            _c("afgeleid_van", "string", "Lidmaatschap waarvan dit afgeleid is", "Derived from"),
            _c("afgeleid", "boolean", "Afgeleid (fusie)", "Derived (merger)", True),
            _c("herkomst", "string", "lblod, regions, published, edit:<n>, derived", "Origin", True),
            _c("bron", "string", "Bron", "Source", True),
            _c(
                "brondatum",
                "string",
                "De dag waarop de bron het lidmaatschap bevestigt, zoals ze hem geeft (lid volgens een bron van die "
                "dag): geen begindatum",
                "The day the source attests the membership, as it gives it: not a start date",
            ),
            _c("uri", "string", "URI als linked data", "Linked-data URI", True),
            *REGISTRATION_COLUMNS,
        ),
        ("id",),
        (
            ("organisatie_id", "organisaties", "id"),
            ("lid_id", "organisaties", "id"),
            ("gemeente_nis", "gemeenten", "nis"),
            ("afgeleid_van", "lidmaatschappen", "id"),
        ),
        _memberships,
    ),
    Table(
        "lagen",
        "Lagen",
        "De thematische lagen en hoe volledig elk is / the thematic layers and their completeness",
        (
            _c("id", "string", "Code", "Code", True),
            _c("titel", "string", "Naam", "Title", True),
            _c("beschrijving", "string", "Beschrijving", "Description", True),
            _c("rechtsgrond", "string", "Rechtsgrond", "Legal basis"),
            _c("aantal_regios", "integer", "Aantal regio's", "Regions", True),
            _c("aantal_gemeenten", "integer", "Gemeenten die de laag dekt", "Municipalities covered", True),
            _c("volledig", "boolean", "Dekt elke gemeente", "Covers every municipality", True),
            _c("volledigheid", "string", "Hoe volledig, volgens de bron", "Completeness note", True),
            _c("bronnen", "string", "Bronnen", "Sources", True),
        ),
        ("id",),
        (),
        _layers,
    ),
    Table(
        "regios",
        "Regio's",
        "De regio's van elke laag / the regions of each layer",
        (
            _c("laag", "string", "Code van de laag", "Layer", True),
            _c("sleutel", "string", "Sleutel van de regio", "Region key", True),
            _c("naam", "string", "Naam", "Name", True),
            _c("organisatie_id", "string", "De organisatie achter de regio", "Its organisation", True),
            _c("gekoppeld", "boolean", "Een organisatie uit het register", "Linked to the register", True),
            _c("uri", "string", "URI als linked data", "Linked-data URI", True),
        ),
        ("laag", "sleutel"),
        (("laag", "lagen", "id"), ("organisatie_id", "organisaties", "id")),
        _regions,
    ),
    Table(
        "bevindingen",
        "Bevindingen",
        "De nalevingscontrole van de dag / the compliance findings of the day",
        (
            _c("organisatie_id", "string", "De organisatie", "The organisation", True),
            _c("regel", "string", "Code van de regel", "Rule", True),
            _c("titel", "string", "Wat de regel nagaat", "What it checks", True),
            _c("oordeel", "string", "in-orde, afwijking, niet-te-controleren", "Outcome", True),
            _c("ernst", "string", "ernstig, waarschuwing, info", "Weight", True),
            _c("boodschap", "string", "Uitleg", "Explanation", True),
            _c("gecontroleerd", "string", "Wat gecontroleerd is", "What was checked", True),
            _c("zekerheid", "string", "hoog, middel, laag", "Confidence", True),
            _c("artikels", "string", "Artikels, gescheiden door ;", "Articles, separated by ;"),
        ),
        ("organisatie_id", "regel"),
        (("organisatie_id", "organisaties", "id"),),
        _findings,
    ),
)
BY_NAME = {t.name: t for t in TABLES}


def table(name: str) -> Table:
    found = BY_NAME.get(name)
    if found is None:
        raise NotFoundError(
            f"Er is geen tabel '{name}'.",
            code="download-not-found",
            hint=f"Kies een van: {', '.join(BY_NAME)} (zie /data/datapackage.json).",
        )
    return found


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_csv(header: list[str], rows: Iterable[Iterable[Any]], *, excel: bool = False) -> bytes:
    """The CSV dialect of every download: comma and UTF-8, or (excel) semicolon and UTF-8 with a byte-order mark."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    text = out.getvalue()
    return ("\ufeff" + text).encode("utf-8") if excel else text.encode("utf-8")


def csv_bytes(
    reg: OpenRegister, t: Table, day: date | None, *, excel: bool = False, asked: Mapping[str, str] | None = None
) -> bytes:
    """One table as CSV (see ``write_csv``), with only the rows the filters ``asked`` allow (see filters.py)."""
    s = reg.snapshot(day)
    names = [c.name for c in t.columns]
    keep = filters.keeper(t.name, names, s, asked or {})
    rows = ([_cell(v) for v in row] for row in t.rows(reg, s, day) if keep is None or keep(row))
    return write_csv(names, rows, excel=excel)
