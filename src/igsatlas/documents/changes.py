"""What changed: the change log in Dutch (newest first, filterable), and the register compared between two days.

Shared by /wijzigingen, its JSON twin and CSV, the Atom feeds and the alert mails, so they cannot disagree.
The first import is summed up in one line rather than listed fact by fact: it records what the register held,
not a change.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select

from igsatlas.documents.common import organisation_url
from igsatlas.documents.history import FIELD_LABELS
from igsatlas.domain.classifications import organisation_path, slugify
from igsatlas.domain.model import Membership, Municipality
from igsatlas.domain.periods import Period
from igsatlas.state.rule import membership_in_force
from igsatlas.store import queries, schema

KIND_LABELS = {
    "toegetreden": "toegetreden",
    "uitgetreden": "uitgetreden",
    "nieuw": "nieuwe organisatie",
    "beeindigd": "beëindigd",
    "hernoemd": "hernoemd",
    "samengevoegd": "samengevoegd",
    "gecorrigeerd": "gegeven gecorrigeerd",
}
PUBLIC_ENTITIES = ("organisation", "membership", "organisation_name", "municipality", "region", "layer")


@dataclass(frozen=True)
class Filters:
    gemeente: str | None = None  # slug or NIS code
    organisatie: str | None = None  # slug
    laag: str | None = None
    thema: str | None = None  # theme label or URI
    soort: str | None = None  # a key of KIND_LABELS

    def as_dict(self) -> dict[str, str | None]:
        return {
            "gemeente": self.gemeente,
            "organisatie": self.organisatie,
            "laag": self.laag,
            "thema": self.thema,
            "soort": self.soort,
        }


def kind_of(entity: str, action: str, field: str | None, new: str | None) -> str:
    if entity == "membership":
        if action == "insert":
            return "toegetreden"
        if action == "delete" or (field == "valid_to" and new not in (None, "null")):
            return "uitgetreden"
        return "gecorrigeerd"
    if entity == "organisation":
        if action == "insert":
            return "nieuw"
        if action == "delete" or field == "valid_to" or (field == "status" and new == '"niet-actief"'):
            return "beeindigd"
        if field == "name":
            return "hernoemd"
    return "gecorrigeerd"


def first_batch(conn: Connection) -> str | None:
    log = schema.change_log
    return conn.execute(select(log.c.batch).order_by(log.c.id).limit(1)).scalar()


def municipality_of(conn: Connection, text: str) -> Municipality:
    """The municipality a filter names: a name in any case ("Gent", "sint-niklaas"), a slug or a NIS code."""
    key = text.strip()
    return queries.municipality_by_slug(conn, key if key.isdigit() else slugify(key), date.today())


def subject_name(conn: Connection, f: Filters) -> str | None:
    """The name of what the filters choose (a municipality, else a cooperation), for a page's sentences."""
    if f.gemeente:
        return municipality_of(conn, f.gemeente).name
    return queries.organisation_by_slug(conn, f.organisatie).name if f.organisatie else None


def subjects(conn: Connection, f: Filters) -> tuple[set[str] | None, set[str] | None]:
    """(organisation ids, member ids) the filters keep; None where a side is not filtered."""
    orgs: set[str] | None = None
    members: set[str] | None = None
    if f.organisatie:
        orgs = {queries.organisation_by_slug(conn, f.organisatie).id}
    if f.laag:
        layer = {r.organisation_id for r in queries.regions(conn, f.laag)}
        orgs = layer if orgs is None else orgs & layer
    if f.thema:
        t = schema.organisation_theme
        themed = {
            r.organisation_id
            for r in conn.execute(
                select(t.c.organisation_id)
                .join(schema.theme, schema.theme.c.uri == t.c.theme_uri)
                .where((schema.theme.c.uri == f.thema) | (func.lower(schema.theme.c.label) == f.thema.lower()))
            )
        }
        orgs = themed if orgs is None else orgs & themed
    if f.gemeente:
        muni = municipality_of(conn, f.gemeente)
        family = [muni, *queries.predecessors(conn, muni.nis)]
        members = {m.organisation_id for m in family if m.organisation_id}
    return orgs, members


def log_entries(conn: Connection, f: Filters, *, after_id: int = 0, limit: int = 200) -> list[dict[str, Any]]:
    """Change-log entries (newest first), each with its day, kind, what changed, source and page."""
    log = schema.change_log
    first = first_batch(conn)
    q = select(log).where(log.c.entity.in_(PUBLIC_ENTITIES), log.c.id > after_id)
    if first is not None:
        q = q.where(log.c.batch != first)
    orgs, members = subjects(conn, f)
    if orgs is not None:
        q = q.where(log.c.organisation_id.in_(sorted(orgs)))
    if members is not None:
        q = q.where(log.c.member_id.in_(sorted(members)) | log.c.organisation_id.in_(sorted(members)))
    rows = conn.execute(q.order_by(log.c.id.desc()).limit(limit * 3)).all()
    ids = {r.organisation_id for r in rows if r.organisation_id} | {r.member_id for r in rows if r.member_id}
    o = schema.organisation
    known = {
        r.id: (r.name, organisation_path(r.classification, r.slug))
        for r in conn.execute(select(o.c.id, o.c.name, o.c.slug, o.c.classification).where(o.c.id.in_(sorted(ids))))
    }
    out = []
    for r in rows:
        kind = kind_of(r.entity, r.action, r.field, r.new_value)
        if f.soort and kind != f.soort:
            continue
        org_name, path = known.get(r.organisation_id or "", (_gone_name(r), None))
        member_name = known.get(r.member_id or "", (None, None))[0]
        out.append(
            {
                "id": r.id,
                "datum": r.at.date().isoformat(),
                "tijd": r.at.isoformat(timespec="seconds"),
                "soort": kind,
                "soort_label": KIND_LABELS[kind],
                "wat": _what(r, kind, org_name, member_name),
                "organisatie": org_name,
                "url": path,
                "bron": f"redactie (wijziging {r.source.split(':', 1)[1]})"
                if r.source.startswith("edit:")
                else r.source,
            }
        )
        if len(out) >= limit:
            break
    return out


def _gone_name(r: Any) -> str:
    for value in (r.old_value, r.new_value):
        try:
            found = json.loads(value) if value else None
        except ValueError:
            found = None
        if isinstance(found, dict) and found.get("name"):
            return str(found["name"])
    return "een organisatie die niet meer in het register staat"


def _what(r: Any, kind: str, org: str, member: str | None) -> str:
    if r.entity == "membership":
        who = member or "een lid"
        if kind == "toegetreden":
            return f"{who} is lid van {org}"
        if kind == "uitgetreden":
            return f"{who} is geen lid meer van {org}"
        return f"Lidmaatschap van {who} bij {org}: {FIELD_LABELS.get(r.field or '', 'gegeven')} gewijzigd"
    if r.entity == "organisation":
        if kind == "nieuw":
            return f"{org} opgenomen in het register"
        if kind == "beeindigd":
            return f"{org} beëindigd"
        label = FIELD_LABELS.get(r.field or "", "een gegeven")
        return f"{org}: {label} gewijzigd van {_plain(r.old_value)} naar {_plain(r.new_value)}"
    return f"{org}: gegevens bijgewerkt"


def _plain(value: str | None) -> str:
    return "onbekend" if value in (None, "null") else value.strip('"')


def first_import_summary(conn: Connection) -> dict[str, Any] | None:
    log = schema.change_log
    first = first_batch(conn)
    if first is None:
        return None
    rows = conn.execute(
        select(log.c.entity, func.count(), func.min(log.c.at)).where(log.c.batch == first).group_by(log.c.entity)
    ).all()
    counts = {entity: n for entity, n, _ in rows}
    return {
        "datum": min(at for _, _, at in rows).date().isoformat(),
        "organisaties": counts.get("organisation", 0),
        "lidmaatschappen": counts.get("membership", 0),
    }


def between(conn: Connection, f: Filters, van: date, tot: date) -> dict[str, Any]:
    """The register on ``van`` against the register on ``tot``: joins, exits, memberships that passed to a
    successor, new and ended organisations, mergers; and how many memberships have no dates at all."""
    orgs, members = subjects(conn, f)
    everything = {o.id: o for o in queries.organisations(conn)}
    munis = {m.nis: m for m in queries.all_municipalities(conn)}
    m_t = schema.membership
    rows = [queries.to_membership(queries.fields_of(r, m_t)) for r in conn.execute(select(m_t))]
    families = {c.code: c.family.value for c in queries.classifications(conn).values()}

    def keep(m: Any) -> bool:
        if orgs is not None and m.organisation_id not in orgs:
            return False
        return members is None or m.member_id in members or m.organisation_id in members

    def in_force(day: date) -> Callable[[Membership], bool]:
        """The one rule (state.rule) on ``day``."""
        of_day = [x for x in munis.values() if x.period.contains(day)]
        named, municipal = {x.nis for x in of_day}, {x.organisation_id for x in of_day if x.organisation_id}
        return lambda m: membership_in_force(
            m, everything.get(m.organisation_id), everything.get(m.member_id), named, municipal, day
        )

    def who(m: Any) -> str:
        if m.member_nis and m.member_nis in munis:
            return munis[m.member_nis].name
        return everything[m.member_id].name if m.member_id in everything else m.member_id

    chosen = [
        m for m in rows if keep(m) and families.get(everything[m.organisation_id].classification) != "lokaal-bestuur"
    ]
    on_van, on_tot = in_force(van), in_force(tot)
    before = {(m.organisation_id, m.member_nis or m.member_id): m for m in chosen if on_van(m)}
    after = {(m.organisation_id, m.member_nis or m.member_id): m for m in chosen if on_tot(m)}

    def item(m: Any) -> dict[str, Any]:
        org = everything[m.organisation_id]
        return {
            "organisatie": org.name,
            "url": organisation_url(org),
            "lid": who(m),
            "opmerking": m.note,
        }

    joined = [after[k] for k in sorted(after.keys() - before.keys())]  # sorted: one order in every process
    passed = [m for m in joined if m.derived_from and not m.derived_from.startswith("bron:")]
    compiled = [m for m in joined if m.derived_from and m.derived_from.startswith("bron:")]
    plain_joins = [m for m in joined if not m.derived_from]
    left = [before[k] for k in sorted(before.keys() - after.keys())]

    def started(p: Period) -> bool:
        return p.start is not None and van < p.start <= tot

    def ended(p: Period) -> bool:
        return p.end is not None and van < p.end <= tot

    scope_orgs = orgs if orgs is not None else ({m.organisation_id for m in chosen} if members is not None else None)
    new_orgs = [o for o in everything.values() if started(o.period) and (scope_orgs is None or o.id in scope_orgs)]
    ended_orgs = [o for o in everything.values() if ended(o.period) and (scope_orgs is None or o.id in scope_orgs)]
    mergers = _mergers(munis, van, tot, members)
    undated = sum(1 for k, m in before.items() if k in after and m.valid_from is None and m.valid_to is None)

    def key(d: dict[str, Any]) -> tuple[str, str]:
        return (d["organisatie"], d["lid"])

    def lines(found: list[Any]) -> list[dict[str, Any]]:
        """One line per organisation and member name (a member named by its 2019 and its 2025 code is one)."""
        return sorted({key(d): d for d in map(item, found)}.values(), key=key)

    shown = {
        "toegetreden": lines(plain_joins),
        "overgegaan_naar_opvolger": lines(passed),
        "uitgetreden": lines(left),
    }
    return {
        "van": van.isoformat(),
        "tot": tot.isoformat(),
        "fusies": sorted(mergers, key=lambda d: d["gemeente"]),
        **shown,
        "afgeleid_door_de_bron": len(compiled),
        "nieuwe_organisaties": sorted(o.name for o in new_orgs),
        "beeindigde_organisaties": sorted(o.name for o in ended_orgs),
        "zonder_datum": undated,
        # The counts are those of the lines listed (a member named by two codes is one line), so the page and
        # its twin say the same number.
        "aantallen": dict(
            Counter(
                {
                    "toegetreden": len(shown["toegetreden"]),
                    "overgegaan": len(shown["overgegaan_naar_opvolger"]),
                    "uitgetreden": len(shown["uitgetreden"]),
                    "fusies": len(mergers),
                    "nieuw": len(new_orgs),
                    "beeindigd": len(ended_orgs),
                }
            )
        ),
    }


def _mergers(munis: dict[str, Any], van: date, tot: date, members: set[str] | None) -> list[dict[str, Any]]:
    """The mergers that took effect after ``van`` up to ``tot``: every municipality that ended into another,
    grouped by what it became and when, also when the result kept a code of its own (Antwerpen absorbing
    Borsbeek on 1 January 2025 is a merger though Antwerpen's NIS code stays)."""
    ended: dict[tuple[str, date], list[Any]] = defaultdict(list)
    for p in munis.values():
        if p.successor_nis and p.successor_nis != p.nis and p.valid_to is not None and van < p.valid_to <= tot:
            ended[(p.successor_nis, p.valid_to)].append(p)
    out = []
    for (nis, day), parts in ended.items():
        m = munis.get(nis)
        if m is None or (members is not None and not members & {x.organisation_id for x in [m, *parts]}):
            continue
        continuing = m.valid_from is None or m.valid_from < day  # the result existed before: it took part
        names = sorted({*(x.name for x in parts), *([m.name] if continuing else [])})
        out.append({"gemeente": m.name, "datum": day.isoformat(), "uit": names, "url": f"/gemeenten/{m.slug}"})
    return out


def grouped(entries: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Entries per organisation, for alert mails."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in entries:
        out[e["organisatie"]].append(e)
    return dict(sorted(out.items()))


def subjects_of(conn: Connection, entries: list[dict[str, Any]]) -> dict[int, set[str]]:
    """For alerts: log entry id -> what it concerns, as subscription keys ("organisatie:<id>", "gemeente:<nis>",
    "laag:<layer>", "thema:<uri>")."""
    log = schema.change_log
    ids = [e["id"] for e in entries]
    if not ids:
        return {}
    rows = conn.execute(select(log.c.id, log.c.organisation_id, log.c.member_id).where(log.c.id.in_(ids))).all()
    nis_of: dict[str, set[str]] = defaultdict(set)
    for m in queries.all_municipalities(conn):
        if m.organisation_id:
            nis_of[m.organisation_id].add(m.nis)
    layers: dict[str, set[str]] = defaultdict(set)
    for org_id, layer_id in conn.execute(select(schema.region.c.organisation_id, schema.region.c.layer_id)):
        layers[org_id].add(layer_id)
    themes: dict[str, set[str]] = defaultdict(set)
    for org_id, uri in conn.execute(
        select(schema.organisation_theme.c.organisation_id, schema.organisation_theme.c.theme_uri)
    ):
        themes[org_id].add(uri)
    out: dict[int, set[str]] = {}
    for r in rows:
        keys = set()
        for who in filter(None, (r.organisation_id, r.member_id)):
            keys.add(f"organisatie:{who}")
            keys |= {f"gemeente:{n}" for n in nis_of.get(who, ())}
            keys |= {f"laag:{layer}" for layer in layers.get(who, ())}
            keys |= {f"thema:{uri}" for uri in themes.get(who, ())}
        out[r.id] = keys
    return out
