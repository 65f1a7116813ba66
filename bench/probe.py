"""A short hostile probe of the site on loopback (bounded: about 400 requests), printing what got through.

1. hostile requests (odd ids, days, paths, methods, payloads): how many answered 5xx;
2. floods rotating X-Forwarded-For (reports, signups): how many were accepted, without and with a trusted proxy;
3. races: reviewers accepting one proposal at once, a double click on "verstuur", wrong passwords at once.

It writes accounts, proposals and subscribers, so it runs on a copy: an SQLite file is copied to a temporary
folder; for PostgreSQL give a scratch database with --scratch (imported, and that you may throw away).
Usage: python bench/probe.py [--scratch postgresql://postgres@127.0.0.1:5432/probe]   (SQLite: make import first)
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import requests
import uvicorn
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from igsatlas.config import Settings
from igsatlas.domain.edits import EditKind
from igsatlas.store import accounts, schema, schema_editing, schema_subscriptions, subscribers
from igsatlas.store import edits as store_edits
from igsatlas.store.engine import make_engine
from igsatlas.web.app import create_app
from igsatlas.web.failures import MAX_REQUEST_HEAD

PASSWORD = "wachtwoord-van-de-probe"
HOSTILE = [
    "/nieuwsbrief/archief/" + "9" * 100,
    "/redactie/wijzigingen/" + "9" * 30,
    "/nieuwsbrief/archief/-1",
    "/gemeenten/gent?op=0001-01-01",
    "/gemeenten/gent?op=9999-12-31",
    "/gemeenten/gent?op=0",
    "/api/v1/organisaties?op=0",
    "/api/v1/organisaties?limit=99999999999999999999",
    "/samenwerkingsverbanden/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "/samenwerkingsverbanden/interleuven.ttl?op=0001-01-01",
    "/zoeken?q=%27%20OR%201%3D1--",
    "/zoeken?q=" + "%F0%9F%92%A9" * 200,
    "/zoeken?q=%00",
    "/gemeenten/%ff%fe",
    "/static/../../etc/passwd",
    "/kaart/gemeenten/" + "a" * 3000 + ".svg",
    "/samenwerken?" + "&".join(f"gemeente={i}" for i in range(400)),
    "/wijzigingen?van=2025-01-01&tot=1900-01-01",
    "/wijzigingen.csv?van=0001-01-01",
    "/regios/elz/%2e%2e",
    "/id/organisatie/" + "x" * 500,
    "/nieuwsbrief?email=probe%40example.org",
    "/meld-een-fout?over=organisatie:" + "x" * 300,
    "/aandachtspunten?regel=%3Cb%3E",
]


@contextmanager
def server(url: str, data_dir: Path, **env: str) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = Settings.from_env({"IGSATLAS_DATABASE_URL": url, "IGSATLAS_DATA_DIR": str(data_dir), **env})
    config = uvicorn.Config(
        create_app(settings),
        host="127.0.0.1",
        port=port,
        log_level="critical",
        access_log=False,
        h11_max_incomplete_event_size=MAX_REQUEST_HEAD,
        proxy_headers=False,  # as `igs serve` runs it
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    while not srv.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


class Browser(requests.Session):
    def __init__(self, base: str, address: str | None = None) -> None:
        super().__init__()
        self.base = base
        if address:
            self.headers["X-Forwarded-For"] = address

    def request(self, method: str, url: str, *args: object, **kwargs: object) -> requests.Response:  # type: ignore[override]
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 120)
        return super().request(method, self.base + url, *args, **kwargs)  # type: ignore[arg-type]


def token(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    return found.group(1) if found else ""


def at_once(calls: list[Callable[[], requests.Response]]) -> list[int]:
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], requests.Response]) -> int:
        start.wait()
        return call().status_code

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def signed_in(base: str, email: str, address: str) -> Browser:
    b = Browser(base, address)
    page = b.get("/aanmelden")
    b.post("/aanmelden", data={"csrf": token(page.text), "email": email, "wachtwoord": PASSWORD})
    return b


def hostile(base: str) -> None:
    codes: Counter[int] = Counter()
    b = Browser(base)
    for path in HOSTILE:
        for method in ("GET", "HEAD", "POST", "PUT", "OPTIONS"):
            codes[b.request(method, path, data={"csrf": "x", "email": "<script>"}).status_code] += 1
    long = b.get("/zoeken?q=" + "a" * 20_000).status_code
    codes[long] += 1
    total = sum(codes.values())
    errors = sum(n for c, n in codes.items() if c >= 500)
    print(f"hostile requests: {total}, 5xx: {errors}; codes {dict(sorted(codes.items()))}")


def floods(url: str, data_dir: Path) -> None:
    for label, env in (("no proxy", {}), ("proxy 127.0.0.1", {"IGSATLAS_TRUSTED_PROXIES": "127.0.0.1"})):
        with server(url, data_dir, **env) as base:
            accepted = 0
            for i in range(40):
                b = Browser(base, f"203.0.113.{i}")
                form = b.get("/meld-een-fout?over=organisatie:interleuven")
                answer = b.post(
                    "/meld-een-fout?over=organisatie:interleuven",
                    data={"csrf": token(form.text), "wat": f"probe melding {i}"},
                )
                accepted += answer.status_code == 200
            signups = 0
            for i in range(40):
                b = Browser(base, f"198.51.100.{i}")
                form = b.get("/nieuwsbrief")
                answer = b.post(
                    "/nieuwsbrief", data={"csrf": token(form.text), "email": f"p{i}@example.org", "nieuwsbrief": "ja"}
                )
                signups += answer.status_code == 200
        print(f"floods rotating X-Forwarded-For, {label}: reports {accepted}/40 accepted, signups {signups}/40")
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(schema_editing.throttle.delete())
        engine.dispose()


def races(url: str, data_dir: Path) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        org = conn.execute(select(schema.organisation.c.id).where(schema.organisation.c.slug == "interleuven")).scalar()
        edit_id = store_edits.submit(
            conn,
            kind=EditKind.CHANGE_FIELD,
            target_kind="organisatie",
            target_id=org,
            payload={"website": "https://probe.example.org"},
            base={},
            evidence_url="https://example.org/besluit",
        )
        for i in range(3):
            sub, _ = subscribers.sign_up(conn, f"lezer{i}@example.org", True, "direct", [])
            assert sub.nonce is not None
            subscribers.confirm(conn, sub.id, sub.nonce)
    with server(url, data_dir, IGSATLAS_TRUSTED_PROXIES="127.0.0.1") as base:
        reviewers = [signed_in(base, f"probe{i}@example.org", f"192.0.2.{i}") for i in range(4)]
        forms = [token(r.get(f"/redactie/wijzigingen/{edit_id}").text) for r in reviewers]
        codes = at_once(
            [
                lambda r=r, f=f: r.post(f"/redactie/wijzigingen/{edit_id}", data={"csrf": f, "actie": "aanvaard"})  # type: ignore[misc]
                for r, f in zip(reviewers, forms, strict=True)
            ]
        )
        with engine.connect() as conn:
            logged = conn.execute(
                select(func.count())
                .select_from(schema.change_log)
                .where(schema.change_log.c.source == f"edit:{edit_id}")
            ).scalar()
        print(f"4 reviewers accept one proposal at once: answers {sorted(codes)}, change-log entries {logged}")
        editor = reviewers[0]
        new = editor.get("/redactie/nieuwsbrief")
        made = editor.post("/redactie/nieuwsbrief", data={"csrf": token(new.text), "titel": "Probe", "tekst": "x"})
        issue = made.headers["location"]
        form = token(editor.get(issue).text)
        codes = at_once([lambda: editor.post(issue, data={"csrf": form, "actie": "verstuur"}) for _ in range(3)])
        with engine.connect() as conn:
            queued = conn.execute(
                select(func.count())
                .select_from(schema_subscriptions.outbox)
                .where(schema_subscriptions.outbox.c.kind == "nieuwsbrief")
            ).scalar()
        print(f"3 clicks on verstuur at once: answers {sorted(codes)}, newsletters queued {queued} (3 subscribers)")
        clients = [Browser(base, f"198.51.100.{100 + i}") for i in range(12)]
        forms = [token(c.get("/aanmelden").text) for c in clients]
        codes = at_once(
            [
                lambda c=c, f=f: c.post(  # type: ignore[misc]
                    "/aanmelden", data={"csrf": f, "email": "probe0@example.org", "wachtwoord": "fout"}
                )
                for c, f in zip(clients, forms, strict=True)
            ]
        )
        print(f"12 wrong passwords for one account at once: {Counter(codes)} (the limit is 5 tries)")
    engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scratch", help="a PostgreSQL database (imported) the probe may write into")
    args = parser.parse_args()
    settings = Settings.from_env()
    data_dir = settings.require_data_dir()
    folder = tempfile.mkdtemp(prefix="igs-probe-")
    try:
        if args.scratch:
            url = args.scratch
        else:
            source = make_url(settings.database_url).database
            if not source or not os.path.exists(source):
                print("no imported SQLite database: run `make import`, or pass --scratch", file=sys.stderr)
                return 2
            shutil.copy(source, Path(folder) / "probe.sqlite3")
            url = f"sqlite:///{folder}/probe.sqlite3"
        engine = make_engine(url)
        with engine.begin() as conn:
            for i in range(4):
                accounts.add(conn, f"probe{i}@example.org", f"Probe {i}", PASSWORD, accounts.AccountRole.REVIEWER, [])
        engine.dispose()
        print(f"database: {make_url(url).get_backend_name()}")
        with server(url, data_dir) as base:
            hostile(base)
        floods(url, data_dir)
        races(url, data_dir)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
