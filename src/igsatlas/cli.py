"""The `igs` command: import, serve, export, analyse, check; stats and show are in register_cli.py, user in
accounts_cli.py, mail in mail_cli.py, kbo in kbo_cli.py."""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import Engine, select

from igsatlas import accounts_cli, kbo_cli, mail_cli, register_cli, sync_cli
from igsatlas.analysis.load import load as load_landscape
from igsatlas.analysis.report import Analysis
from igsatlas.atlas import open_atlas
from igsatlas.config import Settings
from igsatlas.documents import analysis as analysis_docs
from igsatlas.documents.analysis import PARTS
from igsatlas.errors import AtlasError, InvalidArgumentError
from igsatlas.ingest import kbo_load
from igsatlas.ingest.pipeline import run_import
from igsatlas.ingest.report import ImportReport
from igsatlas.ingest.sources import quiet
from igsatlas.legal import compliance
from igsatlas.legal import reference as legal_reference
from igsatlas.legal.rules import RULES_BY_ID
from igsatlas.opendata import package, records
from igsatlas.register_cli import day_argument as _day
from igsatlas.store import queries, schema
from igsatlas.store.engine import make_engine

err = Console(stderr=True)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="igs", description="IGS-atlas: the register of intermunicipal cooperation.")
    sub = p.add_subparsers(dest="command", required=True)

    imp = sub.add_parser("import", help="build or update the database from the data folder")
    imp.add_argument("--skip-invalid", action="store_true", help="import the valid records and list the rejects")
    imp.add_argument(
        "--rebuild",
        action="store_true",
        help="write every imported row afresh in one transaction (edits, accounts and the change log are kept)",
    )
    imp.add_argument("--json", action="store_true", help="print the report as one JSON document")
    imp.add_argument(
        "--allow-shrink",
        action="store_true",
        help="accept that a source removed more than 5%% of the rows it gave last time",
    )

    srv = sub.add_parser("serve", help="serve the website")
    srv.add_argument("--host", help="address to listen on (default IGSATLAS_HOST or 127.0.0.1)")
    srv.add_argument("--port", type=int, help="port (default IGSATLAS_PORT or 8000)")
    srv.add_argument("--workers", type=int, default=1, help="worker processes sharing the port (default 1)")
    srv.add_argument("--send-mail", action="store_true", help="also send alerts and the outbox every 30 seconds")
    srv.add_argument(
        "--sync-every",
        type=float,
        metavar="MINUTES",
        help="also follow the Organisatieportaal's delta stream (igs sync) every MINUTES",
    )

    ana = sub.add_parser("analyse", help="measure the patchwork: fit, layer agreement, gaps, network")
    ana.add_argument(
        "--part", choices=["overzicht", *PARTS], default="overzicht", help="which part (default: an overview)"
    )
    ana.add_argument("--on", type=_day, default=date.today(), help="the day to analyse (YYYY-MM-DD)")
    ana.add_argument("--json", action="store_true", help="print one JSON document")
    ana.add_argument("--graphml", type=Path, help="also write the municipality network as GraphML to this file")

    chk = sub.add_parser(
        "check", help="hold registered cooperations against the rules of their legal form (exit 1 on a serious finding)"
    )
    chk.add_argument("--org", help="one organisation: name, KBO number or id (default: all)")
    chk.add_argument("--rule", action="append", help="only this rule id (repeatable)")
    chk.add_argument("--on", type=_day, default=date.today(), help="the day to check (YYYY-MM-DD)")
    chk.add_argument("--all", action="store_true", help="also list findings that are in order or cannot be checked")
    chk.add_argument("--json", action="store_true", help="print one JSON document")

    register_cli.add_parsers(sub)
    accounts_cli.add_parser(sub)
    mail_cli.add_parser(sub)
    sync_cli.add_parser(sub)
    kbo_cli.add_parser(sub)

    exp = sub.add_parser("export", help="write CSV files of municipalities, organisations and memberships")
    exp.add_argument("--out", type=Path, default=Path("var/export"), help="folder to write to")
    exp.add_argument(
        "--package",
        action="store_true",
        help="write the open-data tables of a day with their datapackage.json (Frictionless) instead",
    )
    exp.add_argument("--on", type=_day, default=date.today(), help="the day of --package (YYYY-MM-DD)")
    return p


@contextmanager
def _progress() -> Iterator[Any]:
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    ) as progress:

        @contextmanager
        def step(label: str) -> Iterator[None]:
            task = progress.add_task(label, total=1)
            yield
            progress.update(task, completed=1)

        yield step


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    data_dir = settings.require_data_dir()
    engine = make_engine(settings.database_url)
    try:
        return _import(args, engine, data_dir)
    finally:
        engine.dispose()


def _import(args: argparse.Namespace, engine: Engine, data_dir: Path) -> int:
    options = {"skip_invalid": args.skip_invalid, "rebuild": args.rebuild, "allow_shrink": args.allow_shrink}
    extract = kbo_load.extract_in(data_dir)  # the data folder's KBO extract is imported in the same transaction

    def run(step: Any) -> tuple[ImportReport, kbo_load.KboReport | None]:
        if extract is None:
            return run_import(engine, data_dir, step=step, **options), None
        found = kbo_load.run_kbo_import(engine, data_dir, extract, step=step, with_register=True, **options)
        return found.register, found

    if args.json:
        report, kbo = run(quiet)
        print(
            json.dumps(
                {**report.as_json(), **({"kbo": kbo_cli.as_json(kbo)} if kbo else {})}, ensure_ascii=False, indent=2
            )
        )
        return 0
    with _progress() as step:
        report, kbo = run(step)
    table = Table(title=f"Import from {data_dir} ({report.seconds:.1f} s)")
    for column in ("kind", "inserted", "updated", "unchanged", "removed", "rejected"):
        table.add_column(column, justify="left" if column == "kind" else "right")
    for kind, *numbers in report.rows():
        table.add_row(kind, *(str(n) for n in numbers))
    Console().print(table)
    for reject in report.rejects:
        print(f"rejected {reject.render()}")
    if kbo is not None:
        kbo_cli.print_report(kbo)
    if report.conflicts:
        print(f"{report.conflicts} accepted edit(s) now differ from their source: see the review queue.")
    changed = report.changed or (kbo is not None and kbo.changed)
    print("Nothing changed." if not changed else "The database was updated.")
    return 0


def _write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Write to a temporary file beside ``path`` and rename it: the file is whole or not there."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(header)
            writer.writerows(["" if v is None else v for v in row] for row in rows)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


EXPORT_FILES = {
    "municipality": "municipalities.csv",
    "organisation": "organisations.csv",
    "membership": "memberships.csv",
    "region": "regions.csv",
}


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    args.out.mkdir(parents=True, exist_ok=True)
    if args.package:
        reference = legal_reference.load(settings.reference_dir)
        with open_atlas(settings.database_url) as atlas:
            register = atlas.open_register(base_uri=settings.base_uri, reference=reference)
            for path in package.write_package(register, args.out, args.on):
                print(f"wrote {path}")
        return 0
    with open_atlas(settings.database_url) as atlas, atlas.connect() as conn:
        for table, order in (
            (schema.municipality, schema.municipality.c.nis),
            (schema.organisation, schema.organisation.c.id),
            (schema.membership, schema.membership.c.id),
            (schema.region, schema.region.c.layer_id),
        ):
            rows = conn.execute(select(table).order_by(order, *table.primary_key.columns)).all()
            path = args.out / EXPORT_FILES[table.name]
            _write_csv(path, [c.name for c in table.columns], rows)
            print(f"wrote {len(rows)} rows to {path}")
    return 0


def cmd_analyse(args: argparse.Namespace, settings: Settings) -> int:
    with open_atlas(settings.database_url) as atlas, atlas.connect() as conn:
        analysis = Analysis(load_landscape(conn, args.on))
    builders = {
        "overzicht": analysis_docs.overview,
        "passing": lambda a: analysis_docs.fits_document(a, None, None),
        "lagen": analysis_docs.layers_document,
        "gemeenten": analysis_docs.municipalities_document,
        "hiaten": analysis_docs.gaps_document,
        "netwerk": analysis_docs.network_document,
    }
    doc = builders[args.part](analysis)
    if args.graphml:
        args.graphml.write_text(analysis.graphml(), encoding="utf-8")
    if args.json:
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return 0
    if args.part == "overzicht":
        print(f"Patchwork on {doc['op']}: {doc['structuren']} organisations and regions with municipal members")
        for label, n in doc["oordelen"].items():
            print(f"  {n:4d}  {label}")
        rd = doc["regiodecreet"]
        print(f"Regiodecreet (PV/DV/OV): {rd['past']} fit one referentieregio, {rd['moet_passen']} must still fit")
        print(f"Layers with gaps or doubles: {doc['lagen_met_hiaten']}")
    else:
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    return 0


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    reference = legal_reference.load(settings.reference_dir)
    only = set(args.rule) if args.rule else None
    if only and not only <= set(RULES_BY_ID):
        raise InvalidArgumentError(
            f"unknown rule(s): {', '.join(sorted(only - set(RULES_BY_ID)))}.",
            code="unknown-rule",
            hint=f"Known rules: {', '.join(RULES_BY_ID)}.",
        )
    with open_atlas(settings.database_url) as atlas, atlas.connect() as conn:
        analysis = Analysis(load_landscape(conn, args.on))
        subjects, findings, _ = compliance.check(conn, analysis, reference, args.on, only)
        if args.org:
            org = queries.find_organisation(conn, args.org)
            findings = [f for f in findings if f.subject == org.id]
            if not any(s.id == org.id for s in subjects):
                raise InvalidArgumentError(
                    f"{org.name} is not an organisation the rules apply to ({org.classification}).",
                    code="not-checked",
                    hint="The rules concern IGS, OCMW associations and cultural, heritage and IOED regions.",
                )
    names = {s.id: s.name for s in subjects}
    checked = names[org.id] if args.org else f"{len(subjects)} organisations"
    shown = findings if args.all else [f for f in findings if f.status == "afwijking"]
    serious = compliance.serious(findings)
    if args.json:
        print(
            json.dumps(
                {
                    "op": args.on.isoformat(),
                    "ernstig": len(serious),
                    "bevindingen": [records.finding(f).model_dump(mode="json") for f in shown],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for f in shown:
            print(f"[{f.status}/{f.severity}] {f.rule} {names[f.subject]}: {f.message} ({f.checked}; {f.confidence})")
        print(
            f"{len(findings)} checks on {checked}: "
            f"{sum(f.status == 'afwijking' for f in findings)} deviations, {len(serious)} serious, "
            f"{sum(f.status == 'niet-te-controleren' for f in findings)} could not be checked."
        )
    return 1 if serious else 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from igsatlas.web.app import create_app
    from igsatlas.web.failures import MAX_REQUEST_HEAD

    host, port = args.host or settings.host, args.port or settings.port
    if args.send_mail:
        mail_cli.start_loop(settings)
    if args.sync_every:
        sync_cli.start_loop(settings, args.sync_every)
    if args.workers > 1:
        # Each worker builds the app from the same settings (IGSATLAS_* variables); they share the database,
        # and every write's content version reaches all of them within a second.
        create_app(settings)  # fail here, once, on a bad setting or an empty database
        uvicorn.run(
            "igsatlas.web.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=args.workers,
            h11_max_incomplete_event_size=MAX_REQUEST_HEAD,
            proxy_headers=False,  # the app reads forwarding headers, from IGSATLAS_TRUSTED_PROXIES only
        )
        return 0
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_level="info",
        h11_max_incomplete_event_size=MAX_REQUEST_HEAD,
        proxy_headers=False,  # the app reads forwarding headers, from IGSATLAS_TRUSTED_PROXIES only
    )
    return 0


COMMANDS = {
    "import": cmd_import,
    "serve": cmd_serve,
    "stats": register_cli.cmd_stats,
    "show": register_cli.cmd_show,
    "export": cmd_export,
    "analyse": cmd_analyse,
    "check": cmd_check,
    "user": accounts_cli.cmd_user,
    "mail": mail_cli.cmd_mail,
    "sync": sync_cli.cmd_sync,
    "kbo": kbo_cli.cmd_kbo,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        return COMMANDS[args.command](args, settings)
    except AtlasError as exc:
        print(exc.render(), file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader went away (`igs show ... | head`): stop quietly, as other tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
