"""`igs sync`: follow the Organisatieportaal's public delta stream (one run; `igs serve --sync-every` repeats it)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import threading
from typing import Any

from igsatlas.config import Settings
from igsatlas.errors import AtlasError
from igsatlas.ingest import opsync
from igsatlas.ingest.opstream import Stream
from igsatlas.store.engine import make_engine

log = logging.getLogger("igsatlas.sync")


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "sync",
        help="follow the Organisatieportaal's public delta stream: the newest dump first, then every delta file",
    )
    p.add_argument("--source", help="the Organisatieportaal's address (default IGSATLAS_OP_URL)")
    p.add_argument("--rebootstrap", action="store_true", help="start again from the newest dump")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for each answer (default 60)")
    p.add_argument("--json", action="store_true", help="print the report as one JSON document")


def run_once(settings: Settings, source: str | None = None, *, rebootstrap: bool = False, **stream: Any) -> Any:
    engine = make_engine(settings.database_url)
    try:
        return opsync.run_sync(
            engine,
            settings.require_data_dir(),
            Stream(source or settings.op_url, **stream),
            rebootstrap=rebootstrap,
            say=lambda text: print(text, file=sys.stderr),
        )
    finally:
        engine.dispose()


def cmd_sync(args: argparse.Namespace, settings: Settings) -> int:
    report = run_once(settings, args.source, rebootstrap=args.rebootstrap, timeout=args.timeout)
    state = report.state
    if args.json:
        print(
            json.dumps(
                {
                    "bootstrapped": report.bootstrapped,
                    "files": [f.__dict__ for f in report.files],
                    "rejects": report.rejects,
                    "last_file": state.last_file_id if state else None,
                    "last_file_created": state.last_file_created if state else None,
                    "resume_from": state.resume_from if state else None,
                    "seconds": round(report.seconds, 3),
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    if report.bootstrapped:
        print(f"Bootstrapped from {report.bootstrapped} ({report.bootstrap_triples:,} triples).")
    for reject in report.rejects:
        print(f"rejected {reject}")
    print(
        f"{len(report.files)} delta file(s) applied"
        + (f"; the last created {state.last_file_created}" if state and state.last_file_created else "")
        + f"; resume from {state.resume_from if state else '-'} ({report.seconds:.1f} s)."
    )
    return 0


def start_loop(settings: Settings, every_minutes: float) -> threading.Event:
    """The follower `igs serve --sync-every MINUTES` runs in a thread; a failed run is logged and tried again."""
    stop = threading.Event()

    def loop() -> None:
        while True:
            try:
                run_once(settings)
            except AtlasError as exc:
                log.warning("igs sync: %s", exc.render())
            except Exception:  # keep following; the next run resumes at the last file applied
                log.exception("igs sync failed")
            if stop.wait(every_minutes * 60):
                return

    threading.Thread(target=loop, name="igs-sync", daemon=True).start()
    return stop
