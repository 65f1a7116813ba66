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
    membership_clocks,
    municipality_brief,
    municipality_url,
    organisation_brief,
    source_word,
    vintage,
)
from igsatlas.documents.history import history
from igsatlas.documents.layer import layer_titles
from igsatlas.domain import classifications as cls
from igsatlas.domain import theme_rules
from igsatlas.domain.kbo import KboEnterprise
from igsatlas.domain.model import Classification, Family
from igsatlas.domain.periods import in_words
from igsatlas.domain.relations import Member
from igsatlas.legal.findings import Finding
from igsatlas.opendata import records
from igsatlas.opendata.views import registration as registration_fields
from igsatlas.store import edits as store_edits
from igsatlas.store import kbo as store_kbo
from igsatlas.store import queries, relations
from igsatlas.store.registration import Registration, iso_moment, registrations


def _members_once(
    members: list[Member],
    kinds: dict[str, Classification],
    titles: dict[str, str],
    uris: Uris,
    registered: dict[str, Registration],
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
                "memberships": [],
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
        row["memberships"].append(ms)
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
        row.update(membership_clocks(row.pop("memberships"), registered))
    return list(rows.values())


def _registration(org: Any, found: Registration | None) -> dict[str, Any]:
    """The organisation's two clocks: since when it exists (valid time) and since when, and from which source,
    the atlas records it (registration time); and when its name and status, as shown, were recorded."""
    start = f"bestaat sinds {in_words(org.valid_from)}" if org.valid_from else "bestaat sinds: niet gekend"
    if found is None:
        return {
            "geregistreerd_sinds": None,
            "geregistreerd_bron": None,
            "geregistreerd_tot": None,
            "in_het_register": None,
            "klokken": start,
        }
    parts = [f"sinds {in_words(found.since.at.date())} ({source_word(found.since.source)})"]
    for column, label in (("name", "naam"), ("status", "status"), ("valid_from", "begindatum")):
        fact = found.of(column)
        if fact.at > found.since.at:
            parts.append(f"{label} sinds {in_words(fact.at.date())} ({source_word(fact.source)})")
    if found.until:
        parts.append(f"tot {in_words(found.until.date())}")
    return {
        "geregistreerd_sinds": found.since.iso(),
        "geregistreerd_bron": found.since.source,
        "geregistreerd_tot": iso_moment(found.until) if found.until else None,
        "in_het_register": " · ".join(parts),
        "klokken": f"{start} · in het register " + " · ".join(parts),
    }


ORIGIN_LABELS = {
    "lblod": "het Organisatieportaal (LBLOD)",
    "regions": "een regiolaag",
    "published": "een publieke webpagina",
    "edit": "de redactie",
    "import": "de bronnen",
}


def _edited_fact(
    value: date | None, field: str, edits: list[dict[str, Any]], kbo: KboEnterprise | None = None
) -> dict[str, Any] | None:
    """Where a fact LBLOD does not give (it has no founding dates) comes from: the accepted edit that set it, or
    the KBO's extract when it is the KBO's start date."""
    if value is None:
        return None
    for e in edits:
        payload = json.loads(e["payload"])
        if field in payload:
            return {"bron": f"redactie (wijziging {e['id']})", "bewijs": e["evidence_url"]}
    if kbo is not None and field == "founding_date" and value == kbo.start_date:
        return {"bron": kbo.source, "bewijs": kbo.url}
    return {"bron": "redactie", "bewijs": None}


def kbo_facts(e: KboEnterprise | None, proposals: list[dict[str, Any]]) -> dict[str, Any] | None:
    """What the KBO says, beside what the register says, with the extract as source."""
    if e is None:
        return None
    return {
        "naam": e.name,
        "rechtsvorm": e.juridical_form_label or e.juridical_form,
        "status": e.status_label or e.status,
        "juridische_situatie": e.juridical_situation_label or e.juridical_situation,
        "begindatum": e.start_date.isoformat(),
        "zetel": e.address,
        "opgenomen": e.listed,
        "beeindigd": e.ended,
        "uitleg": e.ended_reason if e.ended else None,
        "bron": e.source,
        "brondatum": e.snapshot_date.isoformat(),
        "url": e.url,
        "voorstellen": proposals,
    }


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
    kbo = store_kbo.facts(conn, [org.kbo]).get(org.kbo) if org.kbo and org.kbo_note is None else None
    sources = sorted(
        {(m.membership.source, m.membership.source_date_text or iso(m.membership.source_date) or "") for m in members}
    )
    registered = registrations(conn, "membership", [m.membership.id for m in members])
    own = registrations(conn, "organisation", [org.id]).get(org.id)
    names = queries.names_by_kind(conn, org.id)
    record = records.organisation(
        org,
        records.organisation_brief(org, kind, uris),
        names=names.get("alternatief", []),
        themes=themes,
        regions=in_layers,
        members=len({m.membership.member_id for m in members}),
        findings=findings_of(org.id) if findings_of else [],
        bron_datum=iso(org.source_date),
        **registration_fields(own, ("name", "status", "valid_from", "valid_to")),
    )
    clocks = _registration(org, own)
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
            "oprichtingsdatum_bron": _edited_fact(org.founding_date, "founding_date", edits, kbo),
            "geplande_einddatum_bron": _edited_fact(org.planned_end_date, "planned_end_date", edits),
            # the two clocks in words: since when it exists, and since when the atlas records it
            "in_het_register": clocks["in_het_register"],
            "klokken": clocks["klokken"],
        },
        "kbo": kbo_facts(kbo, store_kbo.open_proposals(conn, org.id) if kbo else []),
        "gemeente_url": municipality_url(gemeente) if gemeente else None,
        "thema_bewijzen": {
            t.theme_uri: {
                "toelichting": t.evidence,
                "brondatum": t.source_date_text,
                "zekerheid": theme_rules.STRENGTH.get(t.evidence_type, "zwak"),
                "hoe": theme_rules.HOW.get(t.evidence_type, t.evidence_type),
            }
            for _, t in themes
        },
        "laagtitels": {r.layer_id: titles[r.layer_id] for r in in_layers},
        "leden": [
            membership(x.membership, org, x.organisation, x.municipality, kinds, uris, registered) for x in members
        ],
        "leden_per_lid": _members_once(members, kinds, titles, uris, registered),
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
        + [{"bron": s, "datum": d or None} for s, d in sources if s != org.source]
        + ([{"bron": kbo.source, "datum": iso(kbo.snapshot_date)}] if kbo else []),
    }
