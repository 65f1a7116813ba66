"""The library API: open an atlas and ask it questions. Every answer is a typed object."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from functools import cached_property
from types import TracebackType

from sqlalchemy import Connection, Engine

from igsatlas.config import Settings
from igsatlas.domain.model import Classification, Layer, Municipality, Organisation, Region
from igsatlas.domain.relations import Involvement, Member
from igsatlas.legal import reference as legal_reference
from igsatlas.legal.reference import Reference
from igsatlas.opendata.register import OpenRegister
from igsatlas.store import queries, relations
from igsatlas.store.engine import make_engine, require_schema


class Atlas:
    """A read view of the register. ``on`` defaults to today everywhere."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def municipalities(self, on: date | None = None, region: str | None = "Vlaanderen") -> list[Municipality]:
        with self.connect() as conn:
            return queries.municipalities_on(conn, on or date.today(), region)

    def municipality(self, name_or_nis: str, on: date | None = None) -> Municipality:
        with self.connect() as conn:
            return queries.find_municipality(conn, name_or_nis, on or date.today())

    def cooperations(self, name_or_nis: str, on: date | None = None) -> list[Involvement]:
        """Everything the municipality takes part in on the day: IGS, zones, layer regions."""
        day = on or date.today()
        with self.connect() as conn:
            muni = queries.find_municipality(conn, name_or_nis, day)
            return relations.involvements(conn, muni, day)

    def organisation(self, name_kbo_or_id: str) -> Organisation:
        with self.connect() as conn:
            return queries.find_organisation(conn, name_kbo_or_id)

    def members(self, name_kbo_or_id: str, on: date | None = None) -> list[Member]:
        with self.connect() as conn:
            org = queries.find_organisation(conn, name_kbo_or_id)
            return relations.members(conn, org.id, on or date.today())

    def classifications(self) -> dict[str, Classification]:
        with self.connect() as conn:
            return queries.classifications(conn)

    def layers(self) -> list[Layer]:
        with self.connect() as conn:
            return queries.layers(conn)

    def regions(self, layer_id: str) -> list[Region]:
        with self.connect() as conn:
            queries.layer(conn, layer_id)
            return queries.regions(conn, layer_id)

    def layer_assignment(self, layer_id: str, on: date | None = None) -> dict[str, list[str]]:
        """NIS code -> the region keys of the layer each Flemish municipality lies in on the day."""
        with self.connect() as conn:
            queries.layer(conn, layer_id)
            return relations.layer_assignment(conn, layer_id, on or date.today())

    def open_register(self, *, base_uri: str | None = None, reference: Reference | None = None) -> OpenRegister:
        """The open-data view of this register: the same typed models as the API (/api/v1)."""
        if base_uri is None or reference is None:
            settings = Settings.from_env()
            base_uri = base_uri or settings.base_uri
            if reference is None and (settings.reference_dir / "legal-forms.json").is_file():
                reference = legal_reference.load(settings.reference_dir)
        return OpenRegister(self.engine, base_uri=base_uri, reference=reference)

    @cached_property
    def api(self) -> OpenRegister:
        """The open-data view with the default settings: ``atlas.api.organisation("Interleuven", day)``."""
        return self.open_register()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Atlas:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def open_atlas(database_url: str | None = None) -> Atlas:
    """Open the register at ``database_url`` (default: IGSATLAS_DATABASE_URL, else the embedded SQLite)."""
    url = database_url or Settings.from_env().database_url
    engine = make_engine(url)
    try:
        require_schema(engine)
    except BaseException:
        engine.dispose()
        raise
    return Atlas(engine)
