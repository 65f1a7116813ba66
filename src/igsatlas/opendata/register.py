"""The open register: the records of a day as the typed models of models.py.

One object serves the API, the library (``atlas.api``), ``igs show --json`` and the bulk downloads. It keeps the
snapshot of each register state (days between the same two change days see the same register), so a new day in
a known state costs a lookup, and every write (a new content version) starts afresh.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, func, select

from igsatlas.analysis.fit import VERDICT_LABELS
from igsatlas.analysis.load import load as load_landscape
from igsatlas.analysis.report import Analysis
from igsatlas.documents.common import ROLE_LABELS
from igsatlas.documents.layer import LAYER_DESCRIPTIONS, layer_title
from igsatlas.domain.classifications import organisation_path
from igsatlas.domain.identifiers import format_kbo
from igsatlas.domain.model import Membership, Municipality, Organisation
from igsatlas.errors import NotFoundError
from igsatlas.legal import compliance
from igsatlas.legal.reference import Reference
from igsatlas.legal.rules import Finding
from igsatlas.opendata import models as m
from igsatlas.opendata.snapshot import Snapshot
from igsatlas.opendata.snapshot import load as load_snapshot
from igsatlas.store import schema as t
from igsatlas.store import states
from igsatlas.store.engine import content_version

LBLOD_MEMBERSHIP = "http://data.lblod.info/id/lidmaatschap/"
API = "/api/v1"


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


class Uris:
    """Linked-data URIs: the register's own where a record came from it, ours under the base URI otherwise."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")

    def organisation(self, o: Organisation) -> str:
        return o.uri or f"{self.base}/id/organisatie/{quote(o.id, safe='')}"

    def membership(self, ms: Membership) -> str:
        if ms.origin == "lblod":
            return LBLOD_MEMBERSHIP + ms.id
        return f"{self.base}/id/lidmaatschap/{quote(ms.id, safe='')}"

    def municipality(self, nis: str) -> str:
        return f"{self.base}/id/gemeente/{nis}"

    def layer(self, layer_id: str) -> str:
        return f"{self.base}/id/laag/{layer_id}"

    def region(self, layer_id: str, key: str) -> str:
        return f"{self.base}/id/regio/{layer_id}/{quote(key, safe='')}"

    def theme(self, uri: str) -> str:
        return uri

    def atlas(self) -> str:
        return f"{self.base}/id/atlas"


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


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
    ) -> None:
        self.engine = engine
        self.uris = Uris(base_uri)
        self.reference = reference
        self._analysis = analysis
        self._findings = findings
        self._version = version
        self._seen: tuple[str, float] = ("", 0.0)
        self._modified: tuple[str, datetime | None] = ("-", None)
        self._snapshots: OrderedDict[tuple[object, ...], Snapshot] = OrderedDict()
        self._days: tuple[str, list[date]] = ("", [])
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

    def snapshot(self, day: date | None) -> Snapshot:
        """The register of ``day`` (None: everything), built once per register state."""
        key = self.state(day)
        with self._lock:
            found = self._snapshots.get(key)
            if found is None:
                with self.engine.connect() as conn:
                    found = load_snapshot(conn, day)
                self._snapshots[key] = found
                while len(self._snapshots) > 8:
                    self._snapshots.popitem(last=False)
            else:
                self._snapshots.move_to_end(key)
            return found

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

    # -- short forms

    def brief(self, s: Snapshot, o: Organisation) -> m.OrganisatieKort:
        kind = s.classifications.get(o.classification)
        # Built from the register's own typed records: no validation needed (the tests check the schema).
        return m.OrganisatieKort.model_construct(
            id=o.id,
            naam=o.name,
            classificatie=o.classification,
            classificatie_label=kind.label if kind else o.classification,
            familie=kind.family.value if kind else "overig",
            status=o.status.value if o.status else None,
            kbo=format_kbo(o.kbo) if o.kbo else None,
            uri=self.uris.organisation(o),
            url=organisation_path(o.classification, o.slug),
            api=f"{API}/organisaties/{quote(o.id, safe='')}",
        )

    def municipality_brief(self, x: Municipality) -> m.GemeenteKort:
        return m.GemeenteKort.model_construct(nis=x.nis, naam=x.name, url=f"/gemeenten/{x.slug}")

    def municipality_model(self, x: Municipality) -> m.Gemeente:
        return m.Gemeente.model_construct(
            nis=x.nis,
            naam=x.name,
            url=f"/gemeenten/{x.slug}",
            provincie=x.province,
            gewest=x.region,
            geldig_van=_iso(x.valid_from),
            geldig_tot=_iso(x.valid_to),
            opvolger_nis=x.successor_nis,
            organisatie_id=x.organisation_id,
            in_set_2019_2024=x.in_set_2019_2024,
            in_set_2025=x.in_set_2025,
            uri=self.uris.municipality(x.nis),
            api=f"{API}/gemeenten/{x.nis}",
        )

    def membership_model(self, s: Snapshot, ms: Membership) -> m.Lidmaatschap:
        nis = s.member_municipality.get(ms.id)
        muni = s.municipalities.get(nis) if nis else None
        return m.Lidmaatschap.model_construct(
            id=ms.id,
            uri=self.uris.membership(ms),
            organisatie=self.brief(s, s.organisations[ms.organisation_id]),
            lid=self.brief(s, s.organisations[ms.member_id]),
            gemeente=self.municipality_brief(muni) if muni else None,
            rol=ms.role.value,
            rol_label=ROLE_LABELS.get(ms.role.value, ms.role.value),
            geldig_van=_iso(ms.valid_from),
            geldig_tot=_iso(ms.valid_to),
            laag=ms.layer_id,
            afgeleid=ms.derived_from is not None,
            afgeleid_van=ms.derived_from,
            herkomst=ms.origin,
            bron=m.Bron.model_construct(bron=ms.source, datum=ms.source_date_text or _iso(ms.source_date)),
            opmerking=ms.note,
        )

    # -- organisations

    def organisation_records(self, day: date | None, f: Filters = Filters()) -> tuple[Snapshot, list[Organisation]]:
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
    def _theme_matches(s: Snapshot, uri: str, wanted: str) -> bool:
        theme = s.themes.get(uri)
        return uri == wanted or (theme is not None and theme.label.casefold() == wanted.casefold())

    def organisation(self, key: str, day: date | None) -> m.Organisatie:
        s = self.snapshot(day)
        o = s.organisations.get(key)
        if o is None:
            o = next((x for x in s.organisations.values() if x.slug == key or x.uri == key), None)
        if o is None:
            with self.engine.connect() as conn:
                exists = conn.execute(select(t.organisation.c.id).where(t.organisation.c.id == key)).first()
            raise NotFoundError(
                f"Er is geen organisatie '{key}'" + (" op deze dag." if exists else "."),
                code="organisation-not-found",
                hint="Gebruik de id uit /api/v1/organisaties" + (" of een andere dag (?op=)." if exists else "."),
            )
        brief = self.brief(s, o)
        members = s.members_of.get(o.id, [])
        found = [x for x in self.findings(day) if x.subject == o.id] if day is not None else []
        return m.Organisatie(
            **brief.model_dump(),
            juridische_naam=o.legal_name,
            alternatieve_namen=s.names.get(o.id, []),
            ovo=o.ovo,
            adres=m.Adres(
                straat=o.street,
                huisnummer=o.house_number,
                bus=o.box,
                postcode=o.postcode,
                gemeente=o.address_municipality,
                provincie=o.address_province,
                land=o.country,
                volledig=o.full_address,
            ),
            telefoon=o.phone,
            email=o.email,
            website=o.website,
            werkingsgebied=o.werkingsgebied,
            geldig_van=_iso(o.valid_from),
            geldig_tot=_iso(o.valid_to),
            oprichtingsdatum=_iso(o.founding_date),
            geplande_einddatum=_iso(o.planned_end_date),
            herkomst=o.origin,
            bron=m.Bron(bron=o.source, datum=_iso(o.source_date)),
            themas=[
                m.ThemaKort(
                    uri=x.theme_uri,
                    label=s.themes[x.theme_uri].label if x.theme_uri in s.themes else x.theme_uri,
                    bewijs="bron" if x.evidence_type == "source" else "naam",
                    bron=x.source,
                )
                for x in sorted(s.organisation_themes.get(o.id, []), key=lambda x: x.theme_uri)
            ],
            regio_van=[m.RegioVan(laag=r.layer_id, sleutel=r.key, naam=r.name) for r in s.regions_of.get(o.id, [])],
            aantal_leden=len({x.member_id for x in members}),
            bevindingen=[self.finding_model(x) for x in found],
        )

    @staticmethod
    def finding_model(x: Finding) -> m.Bevinding:
        return m.Bevinding(
            regel=x.rule,
            titel=x.title,
            organisatie_id=x.subject,
            oordeel=x.status,
            ernst=x.severity,
            boodschap=x.message,
            gecontroleerd=x.checked,
            zekerheid=x.confidence,
            artikels=list(x.refs),
        )

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
    ) -> tuple[Snapshot, list[Membership]]:
        s = self.snapshot(day)
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

    # -- layers, regions, themes, classifications

    def layer_models(self) -> list[m.Laag]:
        s = self.snapshot(None)
        return [
            m.Laag(
                id=x.id,
                titel=layer_title(x.id),
                beschrijving=LAYER_DESCRIPTIONS.get(x.id, x.description),
                rechtsgrond=x.legal_basis,
                aantal_regios=x.n_regions,
                aantal_gemeenten=x.n_municipalities,
                volledig=x.complete,
                volledigheid=x.completeness_note,
                bronnen=x.sources,
                url=f"/lagen/{x.id}",
                api=f"{API}/lagen/{x.id}",
            )
            for x in sorted(s.layers.values(), key=lambda x: x.id)
        ]

    def layer_model(self, layer_id: str) -> m.Laag:
        for x in self.layer_models():
            if x.id == layer_id:
                return x
        raise NotFoundError(
            f"Er is geen laag '{layer_id}'.", code="layer-not-found", hint="Kies een laag uit /api/v1/lagen."
        )

    def region_models(self, layer_id: str, day: date | None) -> list[m.Regio]:
        self.layer_model(layer_id)
        s = self.snapshot(day)
        members: dict[str, set[str]] = {}
        for ms in s.memberships:
            nis = s.member_municipality.get(ms.id)
            if ms.layer_id == layer_id and nis:
                members.setdefault(ms.organisation_id, set()).add(nis)
        return [
            m.Regio(
                laag=r.layer_id,
                sleutel=r.key,
                naam=r.name,
                organisatie_id=r.organisation_id,
                gekoppeld=r.linked,
                gemeenten=sorted(members.get(r.organisation_id, set())),
                uri=self.uris.region(r.layer_id, r.key),
            )
            for r in s.regions
            if r.layer_id == layer_id
        ]

    def theme_models(self) -> list[m.Thema]:
        s = self.snapshot(None)
        counts = Counter(x.theme_uri for found in s.organisation_themes.values() for x in found)
        return [
            m.Thema(uri=x.uri, label=x.label, aantal_organisaties=counts.get(x.uri, 0))
            for x in sorted(s.themes.values(), key=lambda x: x.label)
        ]

    def classification_models(self) -> list[m.Classificatie]:
        s = self.snapshot(None)
        counts = Counter(o.classification for o in s.organisations.values())
        return [
            m.Classificatie(code=c.code, label=c.label, familie=c.family.value, uri=c.uri, aantal=counts.get(c.code, 0))
            for c in sorted(s.classifications.values(), key=lambda c: c.code)
        ]

    # -- the legal guide

    def legal_form_models(self) -> list[m.Rechtsvorm]:
        if self.reference is None:
            return []
        out = []
        for form in self.reference.forms.values():
            facts = [
                m.Feit(
                    sleutel=key,
                    waarde=fact.value,
                    artikels=[
                        m.Artikel(artikel=r.article, wet=r.law, bevestigd=r.confirmed, label=r.label())
                        for r in fact.refs
                    ],
                    bronnen=list(fact.sources),
                    zekerheid=fact.confidence,
                    bevestigd=fact.confirmed,
                    opmerking=fact.note,
                )
                for key, fact in form.facts.items()
            ]
            out.append(
                m.Rechtsvorm(
                    id=form.id,
                    naam=form.name,
                    categorie=form.category,
                    feiten=facts,
                    url=f"/rechtsvormen/{form.id.replace('_', '-')}",
                )
            )
        return sorted(out, key=lambda x: x.id)

    # -- analyses

    def fit_models(self, day: date) -> list[m.Passing]:
        a = self.analysis(day)
        return [
            m.Passing(
                id=f["id"],
                naam=f["naam"],
                soort=f["soort"],
                laag=f["laag"],
                leden=f["leden"],
                beste_regio=f["beste_regio"],
                aandeel_in_beste_regio=f["aandeel_in_beste_regio"],
                oordeel=f["oordeel"],
                oordeel_label=VERDICT_LABELS[f["oordeel"]],
            )
            for f in sorted(a.fits(), key=lambda f: f["id"])
        ]

    def agreement_models(self, day: date) -> list[m.LaagOvereenkomst]:
        cells = self.analysis(day).layer_matrix()["cellen"]
        return [
            m.LaagOvereenkomst(
                laag_a=c["a"],
                laag_b=c["b"],
                gedeelde_gemeenten=c["gedeeld"],
                ari=_number(c["ari"]),
                nvi=_number(c["nvi"]),
            )
            for c in cells
        ]

    def network_model(self, day: date) -> m.Netwerk:
        doc = self.analysis(day).network()
        return m.Netwerk(
            gemeenten=doc["gemeenten"],
            verbindingen=int(doc["verbindingen"]),
            gemeenschappen=doc["gemeenschappen"],
            gemeenschap_per_gemeente={k: int(v) for k, v in doc["gemeenschap_per_gemeente"].items()},
            ari_met_referentieregio=_number(doc["vergelijking_met_referentieregio"]["ari"]),
            bijna_dezelfde_leden=[
                m.BijnaDezelfde(a=x["a"], b=x["b"], jaccard=float(x["jaccard"])) for x in doc["bijna_dezelfde_leden"]
            ],
        )

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


def _number(value: Any) -> float | None:
    try:
        found = float(value)
    except (TypeError, ValueError):
        return None
    return found if found == found else None  # NaN is not JSON
