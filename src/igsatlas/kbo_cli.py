"""`igs kbo import PATH`: founding dates, legal forms, status and juridical situation from the KBO's Open Data."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from igsatlas.config import Settings
from igsatlas.ingest.kbo_load import KboReport, run_kbo_import
from igsatlas.store.engine import make_engine

SHOWN = 20  # numbers the KBO does not list, printed by name (all of them with --json)


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "kbo",
        help="read the KBO's Open Data (founding dates, legal forms, status) for the atlas's KBO numbers",
        description="Read a KBO Open Data extract (https://kbopub.economie.fgov.be/kbo-open-data, free after "
        "registration) and take, for every organisation in the atlas with a KBO number, its start date, legal "
        "form, status and juridical situation. Where the KBO and the register disagree, a proposal goes to the "
        "review queue; nothing the register or an accepted edit says is overwritten.",
    )
    kbo_sub = p.add_subparsers(dest="kbo_command", required=True)
    imp = kbo_sub.add_parser(
        "import",
        help="import a full extract or, after it, the update extracts in order",
        description="PATH is the folder an extract was unpacked into, or the KboOpenData_<nr>_<yyyy>_<mm>_Full.zip "
        "(or _Update.zip) itself. A full extract needs enterprise.csv, denomination.csv and code.csv (meta.csv "
        "and address.csv are read when present); an update extract needs enterprise_delete.csv, "
        "enterprise_insert.csv and code.csv. A second run of the same extract changes nothing.",
    )
    imp.add_argument("path", type=Path, metavar="PATH", help="the extract's folder or zip file")
    imp.add_argument("--json", action="store_true", help="print the report as one JSON document")


def as_json(r: KboReport) -> dict[str, Any]:
    return {
        "kind": r.kind,
        "source": r.source,
        "already_imported": r.already,
        "enterprise_rows": r.rows,
        "atlas_numbers": r.known,
        "found_in_kbo": r.found,
        "not_in_kbo": [{"kbo": n, "organisation": name} for n, name in r.not_in_kbo],
        "enterprises_the_atlas_does_not_know": r.other,
        "facts": r.facts.__dict__,
        "founding_dates_from_kbo": r.founding_dates,
        "proposals_for_review": r.proposals,
        "register": r.register.as_json(),
        "seconds": round(r.seconds, 3),
    }


def cmd_kbo(args: argparse.Namespace, settings: Settings) -> int:
    engine = make_engine(settings.database_url)
    try:
        report = run_kbo_import(engine, settings.require_data_dir(), args.path)
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(as_json(report), ensure_ascii=False, indent=2))
        return 0
    print_report(report)
    if not report.already:
        print("The database was updated." if report.changed else "Nothing changed.")
    return 0


def print_report(report: KboReport) -> None:
    if report.already:
        print(f"{report.source} ({report.kind}) was imported before. Nothing changed.")
        return
    f = report.facts
    print(f"{report.source} ({report.kind} extract, {report.rows:,} enterprise rows, {report.seconds:.1f} s)")
    print(f"  KBO numbers in the atlas: {report.known}; listed by the KBO: {report.found}")
    print(f"  not listed by the KBO (stopped, struck off or unknown): {len(report.not_in_kbo)}")
    for number, name in report.not_in_kbo[:SHOWN]:
        print(f"    {number}  {name}")
    if len(report.not_in_kbo) > SHOWN:
        print(f"    ... and {len(report.not_in_kbo) - SHOWN} more (--json lists them all)")
    print(f"  enterprises in the extract the atlas does not know: {report.other:,}")
    print(f"  KBO facts: {f.inserted} inserted, {f.updated} updated, {f.unchanged} unchanged, {f.removed} removed")
    print(f"  organisations with their founding date from the KBO: {report.founding_dates}")
    if report.proposals:
        print(f"  {report.proposals} disagreement(s) with the register put in the review queue (/redactie).")
    if report.register.conflicts:
        print(f"  {report.register.conflicts} accepted edit(s) now differ from a source: see the review queue.")
