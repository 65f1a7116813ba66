"""The open register: finds the records of a day, which views.py shapes as the typed models of models.py.

One object serves the API, the library (``atlas.api``), ``igs show --json`` and the bulk downloads. It keeps the
snapshot of each register state (days between the same two change days see the same register), so a new day in
a known state costs a lookup, and every write (a new content version) starts afresh.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Engine, func, select

from igsatlas.analysis.load import load as load_landscape
from igsatlas.analysis.report import Analysis
from igsatlas.domain.model import Membership, Municipality, Organisation
from igsatlas.errors import NotFoundError
from igsatlas.legal import compliance
from igsatlas.legal.findings import Finding
from igsatlas.legal.reference import Reference
from igsatlas.opendata import models as m
from igsatlas.opendata import records, views
from igsatlas.opendata.records import Uris
from igsatlas.state import days as states
from igsatlas.state import registration
from igsatlas.state.view import RegisterView
from igsatlas.store import schema as t
from igsatlas.store.engine import content_version


@dataclass(frozen=True)
class Filters:
    """Filters of the organisation list; None means 'any'."""

    classificatie: str | None = None
    familie: str | None = None
    status: str | None = None
    provincie: str | None = None
    laag: str | None = None
    thema: str | None = None
    gemeente: str | None = None  # NIS code: organisations the municipality takes part in


class OpenRegister:
    def __init__(
        self,
        engine: Engine,
        *,
        base_uri: str,
        reference: Reference | None = None,
        analysis: Callable[[date], Analysis] | None = None,
        findings: Callable[[date], list[Finding]] | None = None,
        version: Callable[[], str] | None = None,
        whole: Callable[[], RegisterView] | None = None,
    ) -> None:
        self.engine = engine
        self.uris = Uris(base_uri)
        self.reference = reference
        self._analysis = analysis
        self._findings = findings
        self._version = version
        self._whole = whole  # the whole register as another part of the process keeps it (the site's)
        self._seen: tuple[str, float] = ("", 0.0)
        self._modified: tuple[str, datetime | None] = ("-", None)
        self._snapshots: OrderedDict[tuple[object, ...], RegisterView] = OrderedDict()
        self._days: tuple[str, list[date]] = ("", [])
        self._everything: tuple[str, RegisterView] | None = None
        self._recorded: OrderedDict[tuple[str, int], RegisterView] = OrderedDict()
        self._briefs: OrderedDict[int, tuple[RegisterView, dict[str, m.OrganisatieKort]]] = OrderedDict()
        self._lock = threading.RLock()

    # -- state and snapshots

    def version(self) -> str:
        """The register's content version (read at most once a second): a write makes every snapshot stale."""
        if self._version is not None:
            return self._version()
        now = time.monotonic()
        if now - self._seen[1] > 1.0:
            self._seen = (content_version(self.engine), now)
        return self._seen[0]

    def state(self, day: date | None) -> tuple[object, ...]:
        version = self.version()
        if day is None:
            return ("all", version)
        with self._lock:
            if self._days[0] != version:
                with self.engine.connect() as conn:
                    self._days = (version, states.change_days(conn))
            return (states.state_of(self._days[1], day), version)

    def everything(self) -> RegisterView:
        """The whole register, every period, read once per content version."""
        if self._whole is not None:
            return self._whole()
        version = self.version()
        with self._lock:
            if self._everything is None or self._everything[0] != version:
                with self.engine.connect() as conn:
                    self._everything = (version, RegisterView.read(conn))
            return self._everything[1]

    def snapshot(self, day: date | None) -> RegisterView:
        """The register of ``day`` (None: everything), made once per register state."""
        key = self.state(day)
        with self._lock:
            found = self._snapshots.get(key)
            if found is not None:
                self._snapshots.move_to_end(key)
                return found
        whole = self.everything()
        found = whole if day is None else whole.on(day)
        with self._lock:
            self._snapshots[key] = found
            while len(self._snapshots) > 8:
                self._snapshots.popitem(last=False)
        return found

    def recorded(self, registered: date) -> RegisterView:
        """The register (every period) as the atlas had recorded it at the end of ``registered`` (UTC), kept per
        registration state (days with no change logged between them share one); NotFoundError
        (not-yet-registered) before the first import."""
        with self.engine.connect() as conn:
            registration.check_recorded(conn, registered)
            state = registration.registration_state(conn, registered)
        whole = self.everything()
        if state is None:
            return whole  # nothing logged since: the register as it is, with its views of days
        key = (self.version(), state)
        with self._lock:
            found = self._recorded.get(key)
            if found is not None:
                self._recorded.move_to_end(key)
                return found
        with self.engine.connect() as conn:
            found = registration.recorded(conn, registered, whole)
        with self._lock:
            self._recorded[key] = found
            while len(self._recorded) > 8:
                self._recorded.popitem(last=False)
        return found

    def view(self, day: date | None, registered: date | None = None) -> RegisterView:
        """The register of ``day`` (valid time; None: every period), as the atlas has it now or, with
        ``registered``, as it had recorded it at the end of that day (registration time)."""
        if registered is None:
            return self.snapshot(day)
        whole = self.recorded(registered)
        return whole if day is None else whole.on(day)

    def analysis(self, day: date) -> Analysis:
        if self._analysis is not None:
            return self._analysis(day)
        with self.engine.connect() as conn:
            return Analysis(load_landscape(conn, day))

    def findings(self, day: date) -> list[Finding]:
        if self._findings is not None:
            return self._findings(day)
        if self.reference is None:
            return []
        with self.engine.connect() as conn:
            return compliance.check(conn, self.analysis(day), self.reference, day)[1]

    # -- the models of views.py, for the API and the library (``atlas.api``)

    def briefs(self, s: RegisterView) -> Callable[[Organisation], m.OrganisatieKort]:
        """The short form of an organisation in the view ``s``, each made once per view (a list, a page of members
        and every membership name organisations in short form, and a view is one register state)."""
        made = self._briefs_of(s)

        def brief(o: Organisation) -> m.OrganisatieKort:
            found = made.get(o.id)
            if found is None:
                found = made[o.id] = views.brief(s, o, self.uris)
            return found

        return brief

    def _briefs_of(self, s: RegisterView) -> dict[str, m.OrganisatieKort]:
        with self._lock:
            kept = self._briefs.get(id(s))
            if kept is not None and kept[0] is s:
                self._briefs.move_to_end(id(s))
                return kept[1]
            briefs: dict[str, m.OrganisatieKort] = {}
            self._briefs[id(s)] = (s, briefs)  # the view is held, so its id cannot be another's meanwhile
            while len(self._briefs) > 16:
                self._briefs.popitem(last=False)
            return briefs

    def municipality_model(self, x: Municipality) -> m.Gemeente:
        return records.municipality(x, self.uris)

    def membership_model(self, s: RegisterView, ms: Membership) -> m.Lidmaatschap:
        return views.membership(s, ms, self.uris)

    finding_model = staticmethod(records.finding)

    def layer_models(self) -> list[m.Laag]:
        return views.layers(self.snapshot(None))

    def theme_models(self) -> list[m.Thema]:
        return views.themes(self.snapshot(None))

    def classification_models(self) -> list[m.Classificatie]:
        return views.classifications(self.snapshot(None))

    def legal_form_models(self) -> list[m.Rechtsvorm]:
        return views.legal_forms(self.reference) if self.reference is not None else []

    def fit_models(self, day: date) -> list[m.Passing]:
        return views.fits(self.analysis(day))

    def agreement_models(self, day: date) -> list[m.LaagOvereenkomst]:
        return views.agreements(self.analysis(day))

    def network_model(self, day: date) -> m.Netwerk:
        return views.network(self.analysis(day))

    # -- organisations

    def organisation_records(self, day: date | None, f: Filters = Filters()) -> tuple[RegisterView, list[Organisation]]:
        s = self.snapshot(day)
        found = list(s.organisations.values())
        if f.classificatie:
            found = [o for o in found if o.classification == f.classificatie]
        if f.familie:
            fam = {c.code for c in s.classifications.values() if c.family.value == f.familie}
            found = [o for o in found if o.classification in fam]
        if f.status:
            found = [o for o in found if o.status is not None and o.status.value == f.status]
        if f.provincie:
            wanted = f.provincie.casefold()
            found = [o for o in found if (o.address_province or "").casefold() == wanted]
        if f.laag:
            in_layer = {r.organisation_id for r in s.regions if r.layer_id == f.laag}
            found = [o for o in found if o.id in in_layer]
        if f.thema:
            found = [
                o
                for o in found
                if any(self._theme_matches(s, x.theme_uri, f.thema) for x in s.organisation_themes.get(o.id, []))
            ]
        if f.gemeente:
            mine = {ms.organisation_id for ms in s.memberships if s.member_municipality.get(ms.id) == f.gemeente}
            found = [o for o in found if o.id in mine]
        return s, sorted(found, key=lambda o: o.id)

    @staticmethod
    def _theme_matches(s: RegisterView, uri: str, wanted: str) -> bool:
        theme = s.themes.get(uri)
        return uri == wanted or (theme is not None and theme.label.casefold() == wanted.casefold())

    def organisation(self, key: str, day: date | None, registered: date | None = None) -> m.Organisatie:
        """One organisation of ``day``; with ``registered``, as the atlas had it recorded then (without the
        findings, which are those of the register as it is now)."""
        s = self.view(day, registered)
        o = s.organisations.get(key)
        if o is None:
            o = next((x for x in s.organisations.values() if x.slug == key or x.uri == key), None)
        if o is None:
            with self.engine.connect() as conn:
                exists = conn.execute(select(t.organisation.c.id).where(t.organisation.c.id == key)).first()
            if registered is not None:
                raise NotFoundError(
                    f"Er is geen organisatie '{key}' op deze dag zoals de atlas ze op {registered} had geregistreerd.",
                    code="organisation-not-found",
                    hint="Kies een andere dag (?op=) of een latere registratiedag (?geregistreerd_op=).",
                )
            raise NotFoundError(
                f"Er is geen organisatie '{key}'" + (" op deze dag." if exists else "."),
                code="organisation-not-found",
                hint="Gebruik de id uit /api/v1/organisaties" + (" of een andere dag (?op=)." if exists else "."),
            )
        found = [x for x in self.findings(day) if x.subject == o.id] if day is not None and not registered else []
        return views.organisation(s, o, self.uris, found)

    # -- memberships

    def membership_records(
        self,
        day: date | None,
        *,
        organisatie: str | None = None,
        lid: str | None = None,
        gemeente: str | None = None,
        laag: str | None = None,
        rol: str | None = None,
        registered: date | None = None,
    ) -> tuple[RegisterView, list[Membership]]:
        s = self.view(day, registered)
        found = s.members_of.get(organisatie, []) if organisatie else s.memberships
        if lid:
            found = [x for x in found if x.member_id == lid]
        if gemeente:
            found = [x for x in found if s.member_municipality.get(x.id) == gemeente]
        if laag:
            found = [x for x in found if x.layer_id == laag]
        if rol:
            found = [x for x in found if x.role.value == rol]
        return s, sorted(found, key=lambda x: x.id)

    # -- municipalities

    def municipality_records(
        self, day: date | None, provincie: str | None = None, gewest: str | None = None
    ) -> list[Municipality]:
        s = self.snapshot(day)
        found = list(s.municipalities.values())
        if provincie:
            found = [x for x in found if (x.province or "").casefold() == provincie.casefold()]
        if gewest:
            found = [x for x in found if x.region.casefold() == gewest.casefold()]
        return sorted(found, key=lambda x: x.nis)

    def municipality(self, key: str, day: date | None) -> m.Gemeente:
        s = self.snapshot(day)
        found = s.municipalities.get(key) or next((x for x in s.municipalities.values() if x.slug == key), None)
        if found is None:
            raise NotFoundError(
                f"Er is geen gemeente '{key}' op deze dag.",
                code="municipality-not-found",
                hint="Gebruik een NIS-code uit /api/v1/gemeenten, of een andere dag (?op=).",
            )
        return self.municipality_model(found)

    # -- layers and their regions

    def layer_model(self, layer_id: str) -> m.Laag:
        for x in self.layer_models():
            if x.id == layer_id:
                return x
        raise NotFoundError(
            f"Er is geen laag '{layer_id}'.", code="layer-not-found", hint="Kies een laag uit /api/v1/lagen."
        )

    def region_models(self, layer_id: str, day: date | None) -> list[m.Regio]:
        self.layer_model(layer_id)
        return views.regions(self.snapshot(day), layer_id, self.uris)

    # -- the change log

    def change_models(self, after: int, limit: int) -> list[m.Wijziging]:
        c = t.change_log
        q = select(c).where(c.c.id > after).order_by(c.c.id).limit(limit)
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
        action = {"insert": "toegevoegd", "delete": "verwijderd", "update": "gewijzigd"}
        return [
            m.Wijziging(
                id=r.id,
                tijdstip=r.at.isoformat(),
                soort=action.get(r.action, r.action),
                tabel=r.entity,
                record=r.entity_key,
                veld=r.field,
                oud=r.old_value,
                nieuw=r.new_value,
                bron=r.source,
            )
            for r in rows
        ]

    def change_count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(t.change_log)).scalar() or 0)

    def last_modified(self) -> datetime | None:
        """When the register last changed (the newest change-log entry), per content version."""
        version = self.version()
        if self._modified[0] != version:
            with self.engine.connect() as conn:
                found = conn.execute(select(func.max(t.change_log.c.at))).scalar()
            self._modified = (version, found.replace(tzinfo=UTC) if found else None)
        return self._modified[1]
