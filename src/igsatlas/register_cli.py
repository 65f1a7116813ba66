"""`igs stats` and `igs show`: the register read from the terminal, as tables or as the pages' JSON."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from rich.console import Console
from rich.table import Table

from igsatlas.atlas import open_atlas
from igsatlas.config import Settings
from igsatlas.documents.layer import layer_document
from igsatlas.documents.municipality import municipality_document
from igsatlas.documents.organisation import organisation_document
from igsatlas.documents.stats import stats_document
from igsatlas.domain.periods import parse_day
from igsatlas.legal import reference as legal_reference
from igsatlas.opendata.records import Uris
from igsatlas.store import queries


def day_argument(text: str) -> date:
    try:
        return parse_day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_parsers(sub: Any) -> None:
    st = sub.add_parser("stats", help="counts per kind, layer and status, and what could not be matched")
    st.add_argument("--on", type=day_argument, default=date.today(), help="day to count layers on (YYYY-MM-DD)")
    st.add_argument("--json", action="store_true", help="print one JSON document")

    show = sub.add_parser("show", help="show a municipality, an organisation or a layer")
    show.add_argument("what", choices=["municipality", "org", "layer"], help="what to show")
    show.add_argument("name", help="municipality: name or NIS code; org: name, KBO number or id; layer: its code")
    show.add_argument("--on", type=day_argument, default=date.today(), help="the day to look at (YYYY-MM-DD)")
    show.add_argument("--json", action="store_true", help="print one JSON document in the API's shape (/api/v1)")


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    with open_atlas(settings.database_url) as atlas, atlas.connect() as conn:
        doc = stats_document(conn, args.on)
    if args.json:
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return 0
    out = Console()
    out.print(f"Register on {doc['op']}: {doc['gemeenten_in_vlaanderen']} Flemish municipalities")
    kinds = Table(title="Organisations per classification and status")
    for column in ("classification", "status", "count"):
        kinds.add_column(column)
    for row in doc["organisaties_per_soort"]:
        kinds.add_row(row["soort"], row["status"] or "(none)", str(row["aantal"]))
    out.print(kinds)
    layers = Table(title=f"Layers on {doc['op']}")
    for column in ("layer", "regions", "covered", "not covered", "in 2+ regions", "complete per source"):
        layers.add_column(column)
    for row in doc["lagen"]:
        layers.add_row(
            row["laag"],
            str(row["aantal_regios"]),
            str(row["gemeenten_gedekt"]),
            str(row["gemeenten_niet_gedekt"]),
            str(row["gemeenten_in_meer_dan_een_regio"]),
            "yes" if row["volledig_volgens_bron"] else "no",
        )
    out.print(layers)
    out.print(f"Not matched or not resolved ({len(doc['niet_gekoppeld'])}):")
    for issue in doc["niet_gekoppeld"]:
        where = f"{issue['bron']}" + (f" line {issue['regel']}" if issue["regel"] else "")
        out.print(f"  [{issue['code']}] {where}: {issue['melding']}", markup=False)
    return 0


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    if args.json:
        print(json.dumps(_api_document(args, settings), ensure_ascii=False, indent=2))
        return 0
    uris = Uris(settings.base_uri)
    with open_atlas(settings.database_url) as atlas, atlas.connect() as conn:
        if args.what == "municipality":
            _print_municipality(municipality_document(conn, args.name, args.on, uris))
        elif args.what == "org":
            _print_organisation(organisation_document(conn, args.name, args.on, uris))
        else:
            _print_layer(layer_document(conn, args.name, args.on, uris))
    return 0


def _api_document(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    """What ``igs show --json`` prints: the API's models (/api/v1), for every kind.

    org: /organisaties/{id} and its /leden; municipality: /gemeenten/{nis} and its /lidmaatschappen;
    layer: /lagen/{laag} and its /regios, all on the day."""
    reference = legal_reference.load(settings.reference_dir)
    with open_atlas(settings.database_url) as atlas:
        api = atlas.open_register(base_uri=settings.base_uri, reference=reference)
        doc: dict[str, Any] = {"op": args.on.isoformat()}
        if args.what == "org":
            with atlas.connect() as conn:
                org = queries.find_organisation(conn, args.name)
            s, rows = api.membership_records(args.on, organisatie=org.id)
            doc["organisatie"] = api.organisation(org.id, args.on).model_dump(mode="json")
            doc["leden"] = [api.membership_model(s, x).model_dump(mode="json") for x in rows]
        elif args.what == "municipality":
            with atlas.connect() as conn:
                muni = queries.find_municipality(conn, args.name, args.on)
            s, rows = api.membership_records(args.on, gemeente=muni.nis)
            doc["gemeente"] = api.municipality_model(muni).model_dump(mode="json")
            doc["lidmaatschappen"] = [api.membership_model(s, x).model_dump(mode="json") for x in rows]
        else:
            doc["laag"] = api.layer_model(args.name).model_dump(mode="json")
            doc["regios"] = [x.model_dump(mode="json") for x in api.region_models(args.name, args.on)]
    return doc


def _print_layer(doc: dict[str, Any]) -> None:
    layer = doc["laag"]
    print(f"{layer['titel']} ({layer['id']}) on {doc['op']}: {len(doc['regios'])} regions")
    for row in doc["regios"]:
        print(f"  {row['regio']['naam']}: {', '.join(g['naam'] for g in row['gemeentelijst'])}")
    print(f"  not covered ({len(doc['niet_gedekt'])}): {', '.join(g['naam'] for g in doc['niet_gedekt'])}")


def _print_municipality(doc: dict[str, Any]) -> None:
    g = doc["gemeente"]
    print(f"{g['naam']} (NIS {g['nis']}, {g['provincie'] or g['gewest']}) on {doc['op']}")
    if not doc["bestaat_op_deze_dag"]:
        print("  does not exist on that day", end="")
        print(f"; merged into {doc['opvolger']['naam']}" if doc["opvolger"] else "")
    if doc["voorgangers"]:
        print("  formed from: " + ", ".join(p["naam"] for p in doc["voorgangers"]))
    for zone in ("politiezone", "hulpverleningszone"):
        names = sorted({z["organisatie"]["naam"] for z in doc[zone]})
        print(f"  {zone}: {', '.join(names) or 'unknown'}")
    for layer, items in doc["lagen"].items():
        print(f"  {layer}: {', '.join(sorted({i['lidmaatschap']['organisatie']['naam'] for i in items}))}")
    print(f"  cooperations ({len(doc['samenwerkingsverbanden'])}):")
    for c in doc["samenwerkingsverbanden"]:
        ms = c["lidmaatschap"]
        derived = " (derived from a predecessor)" if ms["afgeleid"] else ""
        print(f"    {ms['organisatie']['naam']} [{ms['organisatie']['classificatie_label']}] as {ms['rol']}{derived}")


def _print_organisation(doc: dict[str, Any]) -> None:
    o = doc["organisatie"]
    print(f"{o['naam']} [{o['classificatie_label']}] status {o['status'] or 'unknown'}, KBO {o['kbo'] or '-'}")
    if o["adres"]["volledig"]:
        print(f"  {o['adres']['volledig']}")
    print(f"  members on {doc['op']} ({len(doc['leden'])}):")
    for m in doc["leden"]:
        name = m["gemeente"]["naam"] if m["gemeente"] else m["lid"]["naam"]
        print(f"    {name} ({m['lid']['classificatie']}) as {m['rol']}{' (derived)' if m['afgeleid'] else ''}")
