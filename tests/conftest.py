"""Fixtures: the real data folder, and real databases (SQLite by default, PostgreSQL when
IGSATLAS_TEST_DATABASE_URL is set). Each test that writes gets a database of its own."""

from __future__ import annotations

import csv
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, sync_playwright
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

from igsatlas.atlas import Atlas
from igsatlas.config import Settings
from igsatlas.ingest.pipeline import run_import
from igsatlas.store.engine import make_engine
from igsatlas.web.app import create_app
from igsatlas.web.failures import MAX_REQUEST_HEAD

REPO = Path(__file__).resolve().parents[1]
DATA_DIR = Path(os.environ.get("IGSATLAS_DATA_DIR") or REPO.parent / "shared" / "data").resolve()
PG_URL = os.environ.get("IGSATLAS_TEST_DATABASE_URL")


@contextmanager
def smtp_server(handler: object) -> Iterator[int]:
    """A real SMTP server (aiosmtpd) on a free loopback port with ``handler``; yields the port."""
    from aiosmtpd.controller import Controller

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


def layer_rows() -> list[dict[str, str]]:
    """regions/layers.csv as the data release writes it: tests count layers and regions from it, not from memory."""
    with (DATA_DIR / "regions" / "layers.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def pytest_report_header() -> str:
    return f"igsatlas database: {'PostgreSQL ' + PG_URL if PG_URL else 'SQLite'}; data: {DATA_DIR}"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    if not (DATA_DIR / "lblod" / "organisations.nt.gz").is_file():
        pytest.fail(f"the data folder {DATA_DIR} is missing; set IGSATLAS_DATA_DIR", pytrace=False)
    return DATA_DIR


@pytest.fixture(scope="session")
def statbel(data_dir: Path) -> dict[tuple[str, int], int]:
    """(municipality name, year) -> inhabitants on 1 January, read straight from population/population.csv."""
    import csv

    with (data_dir / "population" / "population.csv").open(encoding="utf-8", newline="") as f:
        return {(r["name"], int(r["year"])): int(r["population"]) for r in csv.DictReader(f)}


def _pg_schema_url(base: str, schema: str) -> str:
    url = make_url(base).set(drivername="postgresql+psycopg")
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A new, empty database: an SQLite file, or a PostgreSQL schema of its own."""
    if PG_URL is None:
        yield f"sqlite:///{tmp_path / 'atlas.sqlite3'}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(make_url(PG_URL).set(drivername="postgresql+psycopg"))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield _pg_schema_url(PG_URL, schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    e = make_engine(database_url)
    yield e
    e.dispose()


def _pg_database_url(name: str) -> str:
    assert PG_URL is not None
    return make_url(PG_URL).set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)


def _pg_admin(statement: str) -> None:
    """CREATE or DROP DATABASE, which run outside a transaction."""
    admin = create_engine(make_url(PG_URL).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(statement))
    admin.dispose()


@pytest.fixture(scope="session")
def template_database(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real data imported once per session (an SQLite file or a PostgreSQL database); every test database
    that needs the imported register is a copy of it, which takes a fraction of a second instead of an import."""
    if PG_URL is None:
        path = tmp_path_factory.mktemp("template") / "atlas.sqlite3"
        e = make_engine(f"sqlite:///{path}")
        run_import(e, data_dir)
        e.dispose()
        yield str(path)
        return
    name = f"igs_template_{uuid.uuid4().hex[:10]}"
    _pg_admin(f"CREATE DATABASE {name}")
    e = make_engine(_pg_database_url(name))
    run_import(e, data_dir)
    e.dispose()
    yield name
    _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextmanager
def _imported_database(template: str, folder: Path) -> Iterator[str]:
    """A new database with the real data imported: a copy of the session's template (SQLite's backup API, or a
    PostgreSQL database made from the template)."""
    if PG_URL is None:
        target = folder / "atlas.sqlite3"
        with sqlite3.connect(template) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        source.close()
        copy.close()
        yield f"sqlite:///{target}"
        return
    name = f"igs_copy_{uuid.uuid4().hex[:12]}"
    _pg_admin(f"CREATE DATABASE {name} TEMPLATE {template}")
    try:
        yield _pg_database_url(name)
    finally:
        _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def imported_url(template_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One database with the real data imported, shared by the read-only tests of the session."""
    with _imported_database(template_database, tmp_path_factory.mktemp("imported")) as url:
        yield url


@pytest.fixture(scope="module")
def writable_url(template_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database with the real data imported for the tests of one module that write (edits, accounts)."""
    with _imported_database(template_database, tmp_path_factory.mktemp("writable")) as url:
        yield url


@pytest.fixture
def imported_copy_url(template_database: str, tmp_path: Path) -> Iterator[str]:
    """A database with the real data imported for one test of its own."""
    with _imported_database(template_database, tmp_path) as url:
        yield url


@pytest.fixture(scope="session")
def atlas(imported_url: str) -> Iterator[Atlas]:
    a = Atlas(make_engine(imported_url))
    yield a
    a.close()


@pytest.fixture(scope="module")
def client(imported_url: str) -> Iterator[TestClient]:
    """The site over the shared imported database."""
    settings = Settings.from_env({"IGSATLAS_DATABASE_URL": imported_url})
    with TestClient(create_app(settings)) as c:
        yield c


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def live_server(database_url: str, **env: str) -> Iterator[str]:
    """A real server on a free loopback port, in a thread of the test process; ``env``: more IGSATLAS_ settings."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = Settings.from_env({"IGSATLAS_DATABASE_URL": database_url, "IGSATLAS_DATA_DIR": str(DATA_DIR), **env})
    config = uvicorn.Config(
        create_app(settings),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        h11_max_incomplete_event_size=MAX_REQUEST_HEAD,  # as `igs serve` runs it
        proxy_headers=False,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the test server did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@contextmanager
def igs_serve(
    database_url: str, data_dir: Path = DATA_DIR, args: Sequence[str] = (), env: Mapping[str, str] | None = None
) -> Iterator[int]:
    """`igs serve` (with `args`, and `env` over this process's environment) as a process of its own on a free
    loopback port; yields the port once it accepts connections, and stops the process after."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, **(env or {}), "IGSATLAS_DATABASE_URL": database_url, "IGSATLAS_DATA_DIR": str(data_dir)}
    server = subprocess.Popen(
        [sys.executable, "-m", "igsatlas.cli", "serve", *args, "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "igs serve did not start"
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: install Debian's package (apt-get install chromium)", pytrace=False)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()
