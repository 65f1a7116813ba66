"""The council's dossier (/gemeenten/{slug}/dossier): every cooperation a municipality takes part in on a day,
with its legal form, role, dates, the term its form sets, the Regiodecreet, findings, themes, partners and
sources; then what the council must decide in the next twelve months, what the atlas does not know (each a
question the municipality can answer), and what the municipalities it was formed from brought in.

The same document makes the page, its PDF, its CSV and its JSON; it is built from the gemeente page's own
document, so the two cannot disagree."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Connection

from igsatlas.analysis.fit import DEADLINE, WASTE_DEADLINE, WASTE_THEME
from igsatlas.documents.common import Uris, finding, organisation_url
from igsatlas.documents.layer import layer_titles, not_yet
from igsatlas.documents.municipality import SECTIONS, body, municipality_document
from igsatlas.documents.region import region_url
from igsatlas.domain.kbo import NORMAL_SITUATION, KboEnterprise
from igsatlas.domain.model import Family
from igsatlas.domain.periods import in_words
from igsatlas.legal import terms
from igsatlas.legal.findings import Finding, Subject
from igsatlas.legal.reference import FORM_OF_CLASSIFICATION, Reference
from igsatlas.legal.rules import IGS_FORMS
from igsatlas.state.view import RegisterView
from igsatlas.store import kbo as store_kbo
from igsatlas.store import queries, relations

HORIZON = 365  # days: "the next twelve months"
LAYER_SECTION = "Regio's van thematische lagen"
SECTIONS_IGS = dict(SECTIONS)[Family.IGS]


def _report(about: str, question: str) -> str:
    """A 'Meld een fout' link with the question written in."""
    return "/meld-een-fout?" + urlencode({"over": about, "wat": question})


def _regiodecreet(s: Subject | None) -> dict[str, Any] | None:
    if s is None or s.form not in IGS_FORMS:
        return None
    deadline = WASTE_DEADLINE if WASTE_THEME in s.themes else DEADLINE
    fit = s.fit if s.fit is not None and s.fit.verdict != "onbekend" else None
    return {
        "uiterste_datum": deadline.isoformat(),
        "afval": deadline == WASTE_DEADLINE,
        "past": fit.verdict in ("gelijk", "binnen") if fit else None,
        "referentieregio": (s.reference_region or fit.best) if fit else None,
        "aandeel_procent": round(fit.share * 100, 1) if fit else None,
        "buiten": len(fit.spill) if fit else None,
    }


def _kbo_note(e: KboEnterprise | None) -> dict[str, Any] | None:
    """What the KBO says beyond the ordinary (a renewal, a dissolution, no longer listed), for the council."""
    if e is None or (e.juridical_situation == NORMAL_SITUATION and not e.ended):
        return None
    text = e.ended_reason if e.ended else f"juridische situatie {e.juridical_situation_label or e.juridical_situation}"
    return {"tekst": text, "beeindigd": e.ended, "bron": e.source}


class Builder:
    """What the dossier needs of the register on one day, gathered once."""

    def __init__(
        self,
        conn: Connection,
        day: date,
        reference: Reference,
        register: RegisterView,
        subjects: list[Subject],
        findings: list[Finding],
    ) -> None:
        self.conn, self.day, self.reference, self.register = conn, day, reference, register
        self.kbo: dict[str, KboEnterprise] = {}  # KBO number -> what the KBO says (kbo_of)
        self.subjects = {s.id: s for s in subjects}
        self.findings: dict[str, list[Finding]] = {}
        for f in findings:
            self.findings.setdefault(f.subject, []).append(f)

    def entry(self, section: str, item: dict[str, Any], muni_nis: str, partners: dict[str, set[str]]) -> dict[str, Any]:
        """One cooperation: the gemeente page's membership (the API's Lidmaatschap) with what the dossier adds."""
        ms, brief = item["lidmaatschap"], body(item)
        org = self.register.organisations.get(brief["id"])
        form_id = FORM_OF_CLASSIFICATION.get(brief["classificatie"])
        form = self.reference.forms.get(form_id) if form_id else None
        founded = (org.founding_date or org.valid_from) if org else None
        term = terms.term_of(self.reference, form_id, founded, org.planned_end_date if org else None, self.day)
        sources = [ms["bron"]]
        if org is not None and org.source != ms["bron"]["bron"]:
            sources.append({"bron": org.source, "datum": org.source_date.isoformat() if org.source_date else None})
        kbo = self.kbo.get(org.kbo) if org is not None and org.kbo else None
        if kbo is not None:
            sources.append({"bron": kbo.source, "datum": kbo.snapshot_date.isoformat()})
        return {
            "lidmaatschap": ms,
            "naam": item["regio"]["naam"] if item["regio"] and ms["laag"] else brief["naam"],
            "link": item["link"],
            "slug": org.slug if org else None,
            "rubriek": section,
            "soort": item.get("soort") or brief["classificatie_label"],
            "rechtsvorm": form.name if form else item["rechtsvorm"],
            "rechtsvorm_id": form_id,
            "rol_tekst": item.get("rol_tekst") or ms["rol"],
            "opgericht": founded.isoformat() if founded else None,
            "opgericht_bron": kbo.source if kbo is not None and founded == kbo.start_date else None,
            "kbo_toestand": _kbo_note(kbo),
            "termijn": term.facts() if form else None,
            "regiodecreet": _regiodecreet(self.subjects.get(brief["id"])),
            "bevindingen": [finding(f) for f in self.findings.get(brief["id"], [])],
            "themas": item.get("themas", []),
            "partners": len(partners.get(brief["id"], set()) - {muni_nis}),
            "bronnen": sources,
        }


def _sections(doc: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """(title, items) of what the municipality takes part in: the page's sections, then the layer regions."""
    skipped = (Family.REGION.value, Family.LOCAL_GOVERNMENT.value)  # regions below; its province is no cooperation
    out = [(s["titel"], s["leden"]) for s in doc["rubrieken"] if s["familie"] not in skipped]
    regions = [
        {**r, "rol_tekst": None, "soort": doc["laagtitels"][layer]} for layer, rs in doc["lagen"].items() for r in rs
    ]
    if regions:
        out.append((LAYER_SECTION, regions))
    return out


def _decisions(entries: list[dict[str, Any]], day: date) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(what the council must decide or review in the next twelve months, what falls due later)."""
    soon: list[dict[str, Any]] = []
    later: list[dict[str, Any]] = []
    horizon = day + timedelta(days=HORIZON)
    for e in entries:
        term, rd, who = e["termijn"] or {}, e["regiodecreet"], {"samenwerking": e["naam"], "url": e["link"]}
        if term.get("toestand") == terms.ENDING:
            soon.append({**who, "datum": term["loopt_tot"], "wat": "Beslissen over de verlenging vóór het einde."})
        elif term.get("toestand") == terms.EXPIRED:
            soon.append(
                {**who, "datum": term["loopt_tot"], "wat": "Termijn verstreken: verlenging of ontbinding nagaan."}
            )
        elif term.get("toestand") == terms.BY_AGREEMENT:
            soon.append({**who, "datum": None, "wat": "Jaarlijkse evaluatie door de gemeenteraad."})
        if rd and rd["past"] is False:
            due = date.fromisoformat(rd["uiterste_datum"])
            item = {
                **who,
                "datum": rd["uiterste_datum"],
                "wat": f"Afstemmen op de referentieregio {rd['referentieregio']} (Regiodecreet), "
                f"uiterlijk {in_words(due)}.",
            }
            (soon if due <= horizon else later).append(item)
    key = lambda x: (x["datum"] or "9999", x["samenwerking"])  # noqa: E731
    return sorted(soon, key=key), sorted(later, key=key)


def _unknowns(entries: list[dict[str, Any]], gemeente: str) -> list[dict[str, Any]]:
    out = []
    for e in entries:
        layer = e["lidmaatschap"]["laag"]
        about = f"laag:{layer}" if layer else f"organisatie:{e['slug']}"
        questions = []
        if e["lidmaatschap"]["geldig_van"] is None:
            questions.append(f"Sinds wanneer neemt {gemeente} deel aan {e['naam']}?")
        if e["termijn"] and e["termijn"]["toestand"] == terms.UNKNOWN:
            questions.append(f"Wanneer werd {e['naam']} opgericht (statuten, Belgisch Staatsblad)?")
        if e["rubriek"] == SECTIONS_IGS and e["rechtsvorm_id"] is None:
            questions.append(f"Welke rechtsvorm heeft {e['naam']}?")
        for q in questions:
            proposal = f"{e['link']}/wijzig" if layer is None and e["slug"] else None
            out.append({"vraag": q, "samenwerking": e["naam"], "melden": _report(about, q), "voorstel": proposal})
    return out


def _brought(conn: Connection, nis: str, last: date, current: set[str]) -> list[dict[str, Any]]:
    """What a municipality took part in on its last day (as the dossier's sections count it)."""
    muni = queries.municipality(conn, nis)
    titles = layer_titles(conn)
    out: dict[str, dict[str, Any]] = {}
    for i in relations.involvements(conn, muni, last) if muni else []:
        layer, org = i.membership.layer_id, i.organisation
        if i.classification.family == Family.LOCAL_GOVERNMENT or not_yet(layer, last) or org.id in out:
            continue
        region = i.region if layer and i.region else None
        out[org.id] = {
            "naam": region.name if region else org.name,
            "url": region_url(region.layer_id, region.key) if region else organisation_url(org),
            "soort": titles.get(layer, layer) if layer else i.classification.label,
            "loopt_door": org.id in current,
        }
    return sorted(out.values(), key=lambda x: (x["soort"], x["naam"].casefold()))


def _merger(conn: Connection, doc: dict[str, Any], current: set[str]) -> list[dict[str, Any]]:
    """What each municipality the dossier's municipality was formed from took part in on its last day."""
    out = []
    for p in doc["voorgangers"]:
        last = date.fromisoformat(p["geldig_tot"]) - timedelta(days=1)
        out.append(
            {
                "naam": p["naam"],
                "nis": p["nis"],
                "laatste_dag": last.isoformat(),
                "fusiedag": p["geldig_tot"],
                "bracht_mee": _brought(conn, p["nis"], last, current),
            }
        )
    return out


def dossier_document(
    conn: Connection,
    slug: str,
    day: date,
    reference: Reference,
    register: RegisterView,
    checked_of: Callable[[set[str]], tuple[list[Subject], list[Finding]]],
    uris: Uris,
) -> dict[str, Any]:
    """``checked_of``: the compliance subjects and findings of the given organisations on ``day``."""
    doc = municipality_document(conn, slug, day, uris, by_slug=True)
    muni = doc["gemeente"]
    sections = _sections(doc)
    ids = {body(item)["id"] for _, items in sections for item in items}
    builder = Builder(conn, day, reference, register, *checked_of(ids))
    builder.kbo = store_kbo.facts(conn, [o.kbo for i in ids if (o := register.organisations.get(i)) and o.kbo])
    partners = relations.municipal_members(conn, ids, day, register.municipalities_on(day, region=None))
    groups = [(title, [builder.entry(title, i, muni["nis"], partners) for i in items]) for title, items in sections]
    entries = [e for _, es in groups for e in es]
    soon, later = _decisions(entries, day)
    return {
        "op": doc["op"],
        "gemeente": muni,
        "bestaat_op_deze_dag": doc["bestaat_op_deze_dag"],
        "inwoners": doc["inwoners"],
        "aantal": len(entries),
        "rubrieken": [{"titel": title, "lagen": title == LAYER_SECTION, "samenwerkingen": es} for title, es in groups],
        "tot": (day + timedelta(days=HORIZON)).isoformat(),
        "te_beslissen": soon,
        "later": later,
        "onbekend": _unknowns(entries, muni["naam"]),
        "fusie": _merger(conn, doc, ids),
        "opvolger": doc["opvolger"],
        "bronnen": doc["bronnen"],
        "referentie": reference.status,
        "kbo_extract": store_kbo.last_extract(conn),
    }
