"""Read queries. The CLI, the library API and the web all call these, so they cannot disagree."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Date, Row, bindparam, func, or_, select
from sqlalchemy.sql import FromClause

from igsatlas.domain import classifications as cls
from igsatlas.domain.identifiers import normalise_kbo
from igsatlas.domain.model import (
    Classification,
    Family,
    ImportIssue,
    Layer,
    Membership,
    Municipality,
    Organisation,
    OrganisationTheme,
    Region,
    Role,
    Status,
)
from igsatlas.errors import InvalidArgumentError, NotFoundError
from igsatlas.state.rule import valid_on
from igsatlas.store import schema as t

# The day a query looks at, as a bound parameter: statements built with it are built once and reused.
DAY = bindparam("day", type_=Date())


@lru_cache(maxsize=256)
def _keys(table: FromClause, prefix: str) -> tuple[tuple[str, str], ...]:
    return tuple((c.name, f"{prefix}{c.name}") for c in table.columns)


def fields_of(row: Row[Any], table: FromClause, prefix: str = "") -> dict[str, Any]:
    m = row._mapping
    return {name: m[key] for name, key in _keys(table, prefix)}


def labelled(table: FromClause, prefix: str) -> list[Any]:
    return [c.label(f"{prefix}{c.name}") for c in table.columns]


def to_organisation(fields: dict[str, Any]) -> Organisation:
    status = fields["status"]
    return Organisation(**{**fields, "status": Status(status) if status else None})


def to_membership(fields: dict[str, Any]) -> Membership:
    return Membership(**{**fields, "role": Role(fields["role"])})


def to_municipality(fields: dict[str, Any]) -> Municipality:
    return Municipality(**fields)


def to_classification(fields: dict[str, Any]) -> Classification:
    return Classification(**{**fields, "family": Family(fields["family"])})


def fold(text: str) -> str:
    """Case- and accent-insensitive form for name lookups."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold().strip()


# --- municipalities -------------------------------------------------------------------------------


def municipalities_on(conn: Connection, day: date, region: str | None = "Vlaanderen") -> list[Municipality]:
    q = select(t.municipality).where(valid_on(t.municipality, day))
    if region is not None:
        q = q.where(t.municipality.c.region == region)
    return [
        to_municipality(fields_of(r, t.municipality))
        for r in conn.execute(q.order_by(t.municipality.c.name, t.municipality.c.nis))
    ]


def all_municipalities(conn: Connection) -> list[Municipality]:
    """Every municipality of every period, by name."""
    q = select(t.municipality).order_by(t.municipality.c.name, t.municipality.c.nis)
    return [to_municipality(fields_of(r, t.municipality)) for r in conn.execute(q)]


def find_municipality(conn: Connection, text: str, day: date) -> Municipality:
    """By NIS code, or by name (accent- and case-insensitive); a name shared over time resolves by ``day``."""
    rows = [to_municipality(fields_of(r, t.municipality)) for r in conn.execute(select(t.municipality))]
    wanted = fold(text)
    found = [m for m in rows if m.nis == text.strip()] or [
        m for m in rows if wanted in (fold(m.name), fold(m.name_statbel or ""))
    ]
    if not found:
        raise NotFoundError(
            f"no municipality is called or numbered {text!r}.",
            code="municipality-not-found",
            hint="Give a NIS code (e.g. 44021) or a Dutch name (e.g. Gent).",
        )
    on_day = [m for m in found if m.period.contains(day)]
    return (on_day or sorted(found, key=lambda m: m.valid_to or date.max, reverse=True))[0]


def municipality_by_slug(conn: Connection, slug: str, day: date) -> Municipality:
    """By URL slug or NIS code; a slug shared over time (Hasselt 71022, 71072) resolves by ``day``."""
    q = select(t.municipality).where(or_(t.municipality.c.slug == slug, t.municipality.c.nis == slug))
    found = [to_municipality(fields_of(r, t.municipality)) for r in conn.execute(q)]
    if not found:
        raise NotFoundError(
            f"Er is geen gemeente '{slug}'.", code="municipality-not-found", hint="Zoek de gemeente via de zoekfunctie."
        )
    on_day = [m for m in found if m.period.contains(day)]
    return (on_day or sorted(found, key=lambda m: m.valid_to or date.max, reverse=True))[0]


def municipality(conn: Connection, nis: str) -> Municipality | None:
    row = conn.execute(select(t.municipality).where(t.municipality.c.nis == nis)).first()
    return to_municipality(fields_of(row, t.municipality)) if row else None


def predecessors(conn: Connection, nis: str) -> list[Municipality]:
    q = (
        select(t.municipality)
        .where(t.municipality.c.successor_nis == nis)
        .order_by(t.municipality.c.name, t.municipality.c.nis)
    )
    return [to_municipality(fields_of(r, t.municipality)) for r in conn.execute(q)]


# --- organisations --------------------------------------------------------------------------------


def organisation(conn: Connection, org_id: str) -> Organisation | None:
    row = conn.execute(select(t.organisation).where(t.organisation.c.id == org_id)).first()
    return to_organisation(fields_of(row, t.organisation)) if row else None


def organisation_by_slug(conn: Connection, slug: str) -> Organisation:
    row = conn.execute(select(t.organisation).where(t.organisation.c.slug == slug)).first()
    if row is None:
        raise NotFoundError(
            f"Er is geen samenwerkingsverband of organisatie '{slug}'.",
            code="organisation-not-found",
            hint="Zoek op naam, KBO-nummer of gemeente via de zoekfunctie.",
        )
    return to_organisation(fields_of(row, t.organisation))


def organisations(conn: Connection) -> list[Organisation]:
    return [to_organisation(fields_of(r, t.organisation)) for r in conn.execute(select(t.organisation))]


def active_names(conn: Connection) -> list[tuple[str, str]]:
    """(id, name) of every organisation not known to be inactive: a name search reads two columns, not whole
    records (a tenth of the time)."""
    o = t.organisation
    query = select(o.c.id, o.c.name).where(or_(o.c.status.is_(None), o.c.status != Status.INACTIVE.value))
    return [(r.id, r.name) for r in conn.execute(query)]


def organisations_by_id(conn: Connection, ids: Iterable[str]) -> dict[str, Organisation]:
    """The organisations of ``ids`` (those that exist), by id: a few rows, not all 1,800."""
    wanted = sorted(set(ids))
    found: dict[str, Organisation] = {}
    for start in range(0, len(wanted), 500):  # well under every database's limit on bound parameters
        rows = conn.execute(select(t.organisation).where(t.organisation.c.id.in_(wanted[start : start + 500])))
        found.update((o.id, o) for o in (to_organisation(fields_of(r, t.organisation)) for r in rows))
    return found


def municipality_of_organisation(conn: Connection, org_id: str, day: date) -> Municipality | None:
    """The municipality an LBLOD gemeente stands for on ``day`` (or its latest one)."""
    q = select(t.municipality).where(t.municipality.c.organisation_id == org_id)
    found = [to_municipality(fields_of(r, t.municipality)) for r in conn.execute(q)]
    on_day = [m for m in found if m.period.contains(day)]
    ranked = on_day or sorted(found, key=lambda m: m.valid_to or date.max, reverse=True)
    return ranked[0] if ranked else None


def alternative_names(conn: Connection, org_id: str) -> list[str]:
    q = select(t.organisation_name.c.name).where(t.organisation_name.c.organisation_id == org_id)
    return sorted(n for (n,) in conn.execute(q))


def names_by_kind(conn: Connection, org_id: str) -> dict[str, list[str]]:
    """An organisation's other names per kind ('alternatief': the register's; 'regionaam': a region source's)."""
    q = select(t.organisation_name.c.kind, t.organisation_name.c.name).where(
        t.organisation_name.c.organisation_id == org_id
    )
    out: dict[str, list[str]] = {}
    for kind, name in conn.execute(q):
        out.setdefault(kind, []).append(name)
    return {k: sorted(v) for k, v in out.items()}


def all_names(conn: Connection) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for oid, name in conn.execute(select(t.organisation_name.c.organisation_id, t.organisation_name.c.name)):
        out.setdefault(oid, []).append(name)
    return out


def themes_of(conn: Connection, org_id: str) -> list[tuple[str, OrganisationTheme]]:
    """(theme label, evidence) of an organisation."""
    q = (
        select(t.theme.c.label, *t.organisation_theme.columns)
        .select_from(t.organisation_theme.join(t.theme, t.theme.c.uri == t.organisation_theme.c.theme_uri))
        .where(t.organisation_theme.c.organisation_id == org_id)
        .order_by(t.theme.c.label, t.theme.c.uri)
    )
    return [(r.label, OrganisationTheme(**fields_of(r, t.organisation_theme))) for r in conn.execute(q)]


def theme_labels(conn: Connection) -> dict[str, list[str]]:
    """organisation id -> theme labels, for lists."""
    q = select(t.organisation_theme.c.organisation_id, t.theme.c.label).select_from(
        t.organisation_theme.join(t.theme, t.theme.c.uri == t.organisation_theme.c.theme_uri)
    )
    out: dict[str, list[str]] = {}
    for oid, label in conn.execute(q):
        out.setdefault(oid, []).append(label)
    return out


def theme_evidence(conn: Connection) -> dict[str, list[tuple[str, str]]]:
    """organisation id -> (theme label, evidence type: 'source' or 'name')."""
    q = select(
        t.organisation_theme.c.organisation_id, t.theme.c.label, t.organisation_theme.c.evidence_type
    ).select_from(t.organisation_theme.join(t.theme, t.theme.c.uri == t.organisation_theme.c.theme_uri))
    out: dict[str, list[tuple[str, str]]] = {}
    for oid, label, evidence in conn.execute(q):
        out.setdefault(oid, []).append((label, evidence))
    return out


def boundaries(conn: Connection, kind: str, vintage: str) -> dict[str, tuple[str, str]]:
    """code -> (name, stored SVG path) of one boundary set."""
    b = t.boundary
    q = select(b.c.code, b.c.name, b.c.svg_path).where(b.c.kind == kind, b.c.vintage == vintage)
    return {code: (name, path) for code, name, path in conn.execute(q)}


def boundary_geojson(conn: Connection, kind: str, vintage: str, codes: Sequence[str]) -> dict[str, tuple[str, str]]:
    b = t.boundary
    q = select(b.c.code, b.c.name, b.c.geojson).where(b.c.kind == kind, b.c.vintage == vintage, b.c.code.in_(codes))
    return {code: (name, gj) for code, name, gj in conn.execute(q)}


def find_organisation(conn: Connection, text: str) -> Organisation:
    """By id, KBO number (with or without dots), exact name or alternative name (case-insensitive)."""
    text = text.strip()
    org = organisation(conn, text)
    if org is not None:
        return org
    kbo = normalise_kbo(text)
    if len(kbo) == 10 and kbo.isdigit():
        row = conn.execute(select(t.organisation).where(t.organisation.c.kbo == kbo)).first()
        if row:
            return to_organisation(fields_of(row, t.organisation))
    wanted = fold(text)
    rows = conn.execute(select(t.organisation)).all()
    names = conn.execute(select(t.organisation_name.c.organisation_id, t.organisation_name.c.name)).all()
    by_alt = {oid for oid, name in names if fold(name) == wanted}
    hits = [to_organisation(fields_of(r, t.organisation)) for r in rows if fold(r.name) == wanted or r.id in by_alt]
    if not hits:
        raise NotFoundError(
            f"no organisation has the id, KBO number or name {text!r}.",
            code="organisation-not-found",
            hint="Give the exact name (e.g. Interleuven), a KBO number (e.g. 0205.774.810) or an id.",
        )
    hits.sort(key=lambda o: (o.status != Status.ACTIVE, o.classification == cls.REGION.code, o.name))
    if len(hits) > 1 and hits[0].status == hits[1].status and hits[0].name == hits[1].name:
        options = "; ".join(f"{o.id} ({o.classification})" for o in hits[:6])
        raise InvalidArgumentError(
            f"{text!r} names {len(hits)} organisations: {options}.",
            code="ambiguous-organisation",
            hint="Give the KBO number or id instead.",
        )
    return hits[0]


def classifications(conn: Connection) -> dict[str, Classification]:
    return {r.code: to_classification(fields_of(r, t.classification)) for r in conn.execute(select(t.classification))}


# --- layers ---------------------------------------------------------------------------------------


def layers(conn: Connection) -> list[Layer]:
    return [Layer(**fields_of(r, t.layer)) for r in conn.execute(select(t.layer).order_by(t.layer.c.id))]


def layer(conn: Connection, layer_id: str) -> Layer:
    row = conn.execute(select(t.layer).where(t.layer.c.id == layer_id)).first()
    if row is None:
        raise NotFoundError(
            f"Er is geen laag '{layer_id}'.", code="layer-not-found", hint="Kies een laag uit de lijst op /lagen."
        )
    return Layer(**fields_of(row, t.layer))


def regions_of_organisation(conn: Connection, org_id: str) -> list[Region]:
    """The layer regions an organisation is (a zone, an IGS that is also a cultural region, ...)."""
    q = select(t.region).where(t.region.c.organisation_id == org_id).order_by(t.region.c.layer_id)
    return [Region(**fields_of(r, t.region)) for r in conn.execute(q)]


def regions(conn: Connection, layer_id: str) -> list[Region]:
    q = select(t.region).where(t.region.c.layer_id == layer_id).order_by(t.region.c.name, t.region.c.key)
    return [Region(**fields_of(r, t.region)) for r in conn.execute(q)]


# --- statistics -----------------------------------------------------------------------------------


def counts_by_classification(conn: Connection, origin: str | None = None) -> list[tuple[str, str, str | None, int]]:
    """(classification code, label, status, count) for every organisation kind and status; ``origin`` keeps
    only the organisations of one source (lblod, regions, published, ...)."""
    o, c = t.organisation, t.classification
    q = (
        select(c.c.code, c.c.label, o.c.status, func.count())
        .select_from(o.join(c, c.c.code == o.c.classification))
        .group_by(c.c.code, c.c.label, o.c.status)
        .order_by(c.c.label, o.c.status)
    )
    if origin is not None:
        q = q.where(o.c.origin == origin)
    return [(code, label, status, n) for code, label, status, n in conn.execute(q)]


def table_counts(conn: Connection, tables: Sequence[Any] = t.CONTENT_TABLES) -> dict[str, int]:
    return {table.name: conn.execute(select(func.count()).select_from(table)).scalar_one() for table in tables}


def import_issues(conn: Connection) -> list[ImportIssue]:
    q = select(t.import_issue).order_by(t.import_issue.c.code, t.import_issue.c.id)
    return [ImportIssue(**fields_of(r, t.import_issue)) for r in conn.execute(q)]


def membership_names(conn: Connection, membership_id: str) -> tuple[str, str] | None:
    """(member's name, organisation's name) of a membership, or None where it is gone."""
    member, body = t.organisation.alias("member"), t.organisation.alias("body")
    row = conn.execute(
        select(member.c.name, body.c.name)
        .select_from(t.membership)
        .join(member, member.c.id == t.membership.c.member_id)
        .join(body, body.c.id == t.membership.c.organisation_id)
        .where(t.membership.c.id == membership_id)
    ).first()
    return (row[0], row[1]) if row else None
