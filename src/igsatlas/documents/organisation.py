"""The samenwerkingsverband page: any organisation, its identifiers, themes, members and their regions."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import Connection

from igsatlas.documents.common import (
    ROLE_LABELS,
    STATUS_LABELS,
    Uris,
    iso,
    membership,
    municipality_brief,
    municipality_url,
    organisation_brief,
    vintage,
)
from igsatlas.documents.history import history
from igsatlas.documents.layer import layer_titles
from igsatlas.domain import classifications as cls
from igsatlas.domain.model import Classification, Family
from igsatlas.domain.relations import Member
from igsatlas.legal.rules import Finding
from igsatlas.opendata import records
from igsatlas.store import edits as store_edits
from igsatlas.store import queries, relations


def _members_once(
    members: list[Member], kinds: dict[str, Classification], titles: dict[str, str], uris: Uris
) -> list[dict[str, Any]]:
    """One row per member (a municipality or an organisation), with every role and layer it has here: a
    municipality that is a member through three layers is one member, not three."""
    rows: dict[str, dict[str, Any]] = {}
    for x in members:
        key = f"gemeente:{x.municipality.nis}" if x.municipality else f"organisatie:{x.organisation.id}"
        ms = x.membership
        row = rows.setdefault(
            key,
            {
                "lid": organisation_brief(x.organisation, kinds.get(x.organisation.classification), uris),
                "gemeente": municipality_brief(x.municipality) if x.municipality else None,
                "rollen": [],
                "lagen": [],
                "starts": [],
                "ends": [],
                "afgeleid": False,
                "opmerkingen": [],
                "bronnen": [],
            },
        )
        role = ROLE_LABELS.get(ms.role.value, ms.role.value)
        if role not in row["rollen"]:
            row["rollen"].append(role)
        if ms.layer_id and titles[ms.layer_id] not in row["lagen"]:
            row["lagen"].append(titles[ms.layer_id])
        row["starts"].append(iso(ms.valid_from))
        row["ends"].append(iso(ms.valid_to))
        row["afgeleid"] = row["afgeleid"] or ms.derived_from is not None
        if ms.note and ms.note not in row["opmerkingen"]:
            row["opmerkingen"].append(ms.note)
        source = records.source(ms).model_dump(mode="json")
        if source not in row["bronnen"]:
            row["bronnen"].append(source)
    for row in rows.values():
        # Member since the earliest start, unless one of its memberships has no known start; until the latest end.
        starts, ends = row.pop("starts"), row.pop("ends")
        row["geldig_van"] = None if None in starts else min(starts)
        row["geldig_tot"] = None if None in ends else max(ends)
    return list(rows.values())


ORIGIN_LABELS = {
    "lblod": "het Organisatieportaal (LBLOD)",
    "regions": "een regiolaag",
    "published": "een publieke webpagina",
    "edit": "de redactie",
    "import": "de bronnen",
}


def _edited_fact(value: date | None, field: str, edits: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Where a fact only an accepted edit can give comes from (LBLOD has no founding dates): that edit."""
    if value is None:
        return None
    for e in edits:
        payload = json.loads(e["payload"])
        if field in payload:
            return {"bron": f"redactie (wijziging {e['id']})", "bewijs": e["evidence_url"]}
    return {"bron": "redactie", "bewijs": None}


def _unknown(org: Any, members: list[Member]) -> list[str]:
    out = []
    if org.founding_date is None:
        out.append("de oprichtingsdatum")
    if org.planned_end_date is None and org.classification in PLANNED_END_FORMS:
        out.append("de einddatum die de statuten vastleggen")
    if not members:
        out.append("de leden")
    elif all(m.membership.valid_from is None for m in members):
        out.append("sinds wanneer de leden lid zijn")
    if org.classification == "rechtsvorm-niet-vermeld":
        out.append("de rechtsvorm (geen bron vermeldt ze)")
    if org.kbo is None and org.classification not in ("regio", "interlokale-vereniging"):
        out.append("het KBO-nummer")
    return out


# Forms whose statutes or agreement set a term (DLB): a planned end date is expected.
PLANNED_END_FORMS = frozenset(
    {"interlokale-vereniging", "projectvereniging", "dienstverlenende-vereniging", "opdrachthoudende-vereniging"}
)


def _last_confirmed(org: Any, edits: list[dict[str, Any]]) -> dict[str, Any]:
    reviewed = [e["reviewed_at"].date() for e in edits if e["reviewed_at"]]
    if reviewed and (org.source_date is None or max(reviewed) >= org.source_date):
        return {"datum": max(reviewed).isoformat(), "door": "de redactie"}
    return {"datum": iso(org.source_date), "door": ORIGIN_LABELS.get(org.origin.split(":")[0], "de bron")}


def organisation_document(
    conn: Connection,
    org_id_or_slug: str,
    day: date,
    uris: Uris,
    *,
    by_slug: bool = False,
    findings_of: Callable[[str], list[Finding]] | None = None,
) -> dict[str, Any]:
    """``findings_of``: an organisation's compliance findings on ``day`` (none when not given)."""
    org = (
        queries.organisation_by_slug(conn, org_id_or_slug)
        if by_slug
        else queries.find_organisation(conn, org_id_or_slug)
    )
    kinds = queries.classifications(conn)
    kind = kinds[org.classification]
    members = relations.members(conn, org.id, day)
    municipal = [m for m in members if m.municipality is not None]
    reference = relations.layer_assignment(conn, "referentieregio", day)
    region_names = {r.key: r.name for r in queries.regions(conn, "referentieregio")}
    per_region = Counter(key for m in municipal for key in reference.get(m.municipality.nis, []))  # type: ignore[union-attr]
    regions_of = [
        {"sleutel": key, "naam": region_names.get(key, key), "gemeenten": n, "url": "/lagen/referentieregio"}
        for key, n in per_region.most_common()
    ]
    themes = queries.themes_of(conn, org.id)
    gemeente = queries.municipality_of_organisation(conn, org.id, day) if org.classification == cls.GEMEENTE else None
    titles = layer_titles(conn)
    in_layers = queries.regions_of_organisation(conn, org.id)
    edits = [e for e in store_edits.for_target(conn, "organisatie", org.id) if e["state"] == "aanvaard"]
    if org.origin.startswith("edit:"):  # made by an accepted edit: that edit confirmed it
        made = store_edits.one(conn, int(org.origin.split(":", 1)[1]))
        edits += [made] if made else []
    sources = sorted(
        {(m.membership.source, m.membership.source_date_text or iso(m.membership.source_date) or "") for m in members}
    )
    names = queries.names_by_kind(conn, org.id)
    record = records.organisation(
        org,
        records.organisation_brief(org, kind, uris),
        names=names.get("alternatief", []),
        themes=themes,
        regions=in_layers,
        members=len({m.membership.member_id for m in members}),
        findings=findings_of(org.id) if findings_of else [],
    )
    return {
        "op": day.isoformat(),
        "organisatie": record.model_dump(mode="json"),
        "details": {
            "rechtsvorm": kind.label if kind.family == Family.IGS else None,
            "is_igs": kind.family == Family.IGS,
            "status_label": STATUS_LABELS.get(org.status.value) if org.status else None,
            "kbo_opmerking": org.kbo_note,
            # the names the regions' sources use (the register's own are the record's alternatieve_namen)
            "regionamen": [n for kind, found in names.items() if kind != "alternatief" for n in found],
            "nis": org.nis,
            "werkingsgebied_niveau": org.werkingsgebied_level,
            "herkomst_label": ORIGIN_LABELS.get(org.origin.split(":")[0], org.origin),
            "oprichtingsdatum_bron": _edited_fact(org.founding_date, "founding_date", edits),
            "geplande_einddatum_bron": _edited_fact(org.planned_end_date, "planned_end_date", edits),
        },
        "gemeente_url": municipality_url(gemeente) if gemeente else None,
        "thema_bewijzen": {
            t.theme_uri: {"toelichting": t.evidence, "brondatum": t.source_date_text} for _, t in themes
        },
        "laagtitels": {r.layer_id: titles[r.layer_id] for r in in_layers},
        "leden": [membership(x.membership, org, x.organisation, x.municipality, kinds, uris) for x in members],
        "leden_per_lid": _members_once(members, kinds, titles, uris),
        "aantal_gemeenten": len({m.municipality.nis for m in municipal}),  # type: ignore[union-attr]
        "referentieregios_van_leden": regions_of,
        "kaart": {
            "set": vintage(day),
            "leden": sorted({m.municipality.nis for m in municipal}),  # type: ignore[union-attr]
        },
        "onbekend": _unknown(org, members),
        "laatst_bevestigd": _last_confirmed(org, edits),
        "geschiedenis": history(conn, organisation_id=org.id),
        "bronnen": [{"bron": org.source, "datum": iso(org.source_date)}]
        + [{"bron": s, "datum": d or None} for s, d in sources if s != org.source],
    }
