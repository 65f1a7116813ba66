"""The legal-form guide: comparison, one page per form, the wizard, and the compliance findings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import urlencode, urlparse

from sqlalchemy import Connection

from igsatlas.documents.common import finding, kind_label, organisation_url
from igsatlas.legal import texts
from igsatlas.legal.findings import Finding, Subject
from igsatlas.legal.reference import CONFIDENCE_NL, FORM_OF_CLASSIFICATION, Fact, Reference
from igsatlas.legal.rules import RULES
from igsatlas.legal.wizard import CONSEQUENCES, QUESTIONS, conflicts, recommend
from igsatlas.opendata import records
from igsatlas.store import queries


def legal_form(reference: Reference, form_id: str) -> dict[str, Any]:
    """A form as the API's Rechtsvorm (its id, the reference's name, its facts, its page); the page's own name for
    it stands beside it as ``titel``."""
    return records.legal_form(reference.forms[form_id]).model_dump(mode="json")


def _cell(fact: Fact | None, text: str | None, reference: Reference) -> dict[str, Any]:
    if fact is None:
        return {
            "tekst": text or texts.NOT_ESTABLISHED,
            "artikels": [],
            "bevestigd": False,
            "zekerheid": None,
            "bronnen": [],
        }
    return {
        "tekst": text or texts.NOT_ESTABLISHED,
        "artikels": [r.label(flag=False) for r in fact.refs] or ["geen artikel in de bronnen"],
        "bevestigd": fact.confirmed,
        # the sources name no article of current law: said once ("artikel niet gekend"), not also "niet bevestigd"
        "artikel_niet_gekend": bool(fact.refs) and not any(r.known and r.law != "DIS" for r in fact.refs),
        "zekerheid": CONFIDENCE_NL[capped(fact)],
        "bronnen": [_source(s, reference) for s in fact.sources],
    }


def _source(key: str, reference: Reference) -> dict[str, str]:
    """A source as a readable link: the site it is on (the reference gives no publisher name)."""
    address = (reference.sources.get(key) or ("",))[0]
    host = urlparse(address).netloc.removeprefix("www.") if address.startswith("http") else ""
    return {"id": key, "adres": address, "naam": host or key}


LEVELS = ("low", "medium", "high")


def capped(fact: Fact) -> str:
    """The confidence we show: 'hoog' only where an article of current law is confirmed; without any article at
    most 'laag', with unconfirmed articles at most 'middel'."""
    ceiling = "high" if fact.confirmed else ("medium" if fact.refs else "low")
    return min(fact.confidence, ceiling, key=LEVELS.index)


def overall(cells: list[dict[str, Any]]) -> str:
    """An outcome is as sure as the least sure fact it rests on (an unestablished fact counts as 'laag')."""
    found = [c["zekerheid"] or "laag" for c in cells]
    order = ("laag", "middel", "hoog")
    return min(found, key=order.index) if found else "laag"


REGIODECREET_TEXT = {
    True: "Valt onder het Regiodecreet: de gemeentelijke deelnemers moeten uiterlijk in 2031 (afval: 2037) "
    "in één referentieregio liggen.",
    False: "Valt niet onder de regel van één referentieregio van het Regiodecreet.",
}


def consequences(reference: Reference, form_id: str) -> list[dict[str, Any]]:
    """What choosing a form brings, in our Dutch words, each with its articles and how sure they are."""
    form = reference.forms[form_id]
    own = texts.FORM_TEXTS[form_id]
    keys = {cid: (label, key) for cid, label, key in texts.CRITERIA}
    out = [
        {"criterium": keys[cid][0], **_cell(form.fact(keys[cid][1]), own.get(cid), reference)} for cid in CONSEQUENCES
    ]
    scope = form.fact("regiodecreet_scope")
    if scope is not None:
        in_scope = form_id in (
            "projectvereniging",
            "dienstverlenende_vereniging",
            "opdrachthoudende_vereniging",
            "ov_private_deelname",
        )
        out.append({"criterium": "Regiodecreet", **_cell(scope, REGIODECREET_TEXT[in_scope], reference)})
    return out


def _usage(conn: Connection) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for o in sorted(queries.organisations(conn), key=lambda o: (o.status != "actief", o.name.casefold())):
        form = FORM_OF_CLASSIFICATION.get(o.classification)
        if form:
            out.setdefault(form, []).append(
                {
                    "naam": o.name,
                    "status": o.status.value if o.status else None,
                    "url": organisation_url(o),
                }
            )
    return out


def comparison_document(conn: Connection, reference: Reference) -> dict[str, Any]:
    usage = _usage(conn)
    forms = []
    for form_id in texts.COMPARED_FORMS:
        form = reference.forms[form_id]
        own = texts.FORM_TEXTS[form_id]
        forms.append(
            {
                "rechtsvorm": legal_form(reference, form_id),
                "titel": own["naam"],
                "in_register_actief": sum(1 for x in usage.get(form_id, []) if x["status"] == "actief"),
                "in_register": form_id not in ("overleg", "interlokale_vereniging"),
                "criteria": {cid: _cell(form.fact(key), own.get(cid), reference) for cid, _, key in texts.CRITERIA},
            }
        )
    return {
        "status": "Samenvatting van de regels, geen juridisch advies.",
        "criteria": [{"id": cid, "label": label} for cid, label, _ in texts.CRITERIA],
        "vormen": forms,
    }


def form_document(conn: Connection, reference: Reference, slug: str) -> dict[str, Any]:
    from igsatlas.errors import NotFoundError

    form_id = slug.replace("-", "_")
    if form_id not in texts.COMPARED_FORMS:
        raise NotFoundError(
            f"Er is geen rechtsvorm '{slug}'.",
            code="legal-form-not-found",
            hint="Kies een rechtsvorm in de vergelijking op /rechtsvormen.",
        )
    form = reference.forms[form_id]
    own = texts.FORM_TEXTS[form_id]
    used = _usage(conn).get(form_id, [])
    return {
        "rechtsvorm": legal_form(reference, form_id),
        "titel": own["naam"],
        "doel": own.get("doel"),
        "voorbeelden": own.get("voorbeelden"),
        "criteria": [
            {"id": cid, "label": label, **_cell(form.fact(key), own.get(cid), reference)}
            for cid, label, key in texts.CRITERIA
        ],
        "in_register": {"actief": sum(1 for x in used if x["status"] == "actief"), "totaal": len(used), "lijst": used},
        "regels": [{"id": r.id, "titel": r.title} for r in RULES],
    }


def wizard_document(reference: Reference, answers: Mapping[str, str]) -> dict[str, Any]:
    given = {q.id: answers.get(q.id) for q in QUESTIONS}
    doc: dict[str, Any] = {
        "vragen": [
            {
                "id": q.id,
                "tekst": q.text,
                "uitleg": q.help,
                "opties": [{"waarde": v, "label": lab} for v, lab in q.options],
                "antwoord": given[q.id],
            }
            for q in QUESTIONS
        ],
        "advies": None,
        "tegenstrijdig": [],
    }
    if all(given.values()):
        rec = recommend(answers)

        def choice(form_id: str, reasons: tuple[str, ...]) -> dict[str, Any]:
            found = consequences(reference, form_id)
            return {
                "rechtsvorm": legal_form(reference, form_id),
                "titel": texts.FORM_TEXTS[form_id]["naam"],
                "redenen": list(reasons),
                "gevolgen": found,
                "zekerheid": overall(found),
            }

        doc["tegenstrijdig"] = [
            {
                "melding": c.message,
                "keuzes": [
                    {"tekst": label, "url": "/rechtsvormen/keuzehulp?" + urlencode({**given, q: v}) + "#advies"}
                    for q, v, label in c.choices
                ],
            }
            for c in conflicts(given)  # type: ignore[arg-type]
        ]
        doc["advies"] = {
            "aanbevolen": choice(rec.best.form, rec.best.reasons),
            "alternatief": choice(rec.runner_up.form, rec.runner_up.reasons),
            "opmerkingen": list(rec.notes),
        }
    return doc


def findings_document(
    findings: list[Finding],
    subjects: list[Subject],
    day: date,
    rule: str | None,
    province: dict[str, str | None],
    provincie: str | None,
    vorm: str | None,
    gemeente: str | None = None,
) -> dict[str, Any]:
    """``gemeente``: a NIS code or name; only the findings about cooperations it takes part in on ``day``. Each row
    is the API's Bevinding with the organisation's name, page, kind and province beside it."""
    by_id = {s.id: s for s in subjects}
    wanted = (gemeente or "").strip().casefold()
    rows: list[dict[str, Any]] = []
    for f in findings:
        s = by_id[f.subject]
        if (rule and f.rule != rule) or (vorm and s.kind != vorm) or (provincie and province.get(s.id) != provincie):
            continue
        if wanted and not any(wanted in (nis, name.casefold()) for nis, name in s.municipalities.items()):
            continue
        rows.append(
            {
                "bevinding": finding(f),
                "organisatie_naam": s.name,
                "url": s.url,
                "soort": s.kind,
                "provincie": province.get(s.id),
            }
        )
    counts = Counter((r["bevinding"]["regel"], r["bevinding"]["oordeel"]) for r in rows)
    return {
        "op": day.isoformat(),
        "filters": {"regel": rule, "provincie": provincie, "vorm": vorm, "gemeente": gemeente},
        "regels": [
            {
                "id": r.id,
                "titel": r.title,
                "ernst": r.severity,
                "afwijkingen": counts.get((r.id, "afwijking"), 0),
                "in_orde": counts.get((r.id, "in-orde"), 0),
                "niet_te_controleren": counts.get((r.id, "niet-te-controleren"), 0),
            }
            for r in RULES
        ],
        "keuzes": {
            "provincie": sorted({p for p in province.values() if p}),
            "vorm": [{"code": k, "label": kind_label(k)} for k in sorted({s.kind for s in subjects})],
        },
        "afwijkingen": [r for r in rows if r["bevinding"]["oordeel"] == "afwijking"],
        "niet_te_controleren": sum(1 for r in rows if r["bevinding"]["oordeel"] == "niet-te-controleren"),
        "bevindingen": rows,
    }
