"""Write routes for proposing edits and reporting an error, and what every write route shares: rendering
with ``Cache-Control: no-store``, the form token check and who asks (web/auth.py). Review is in
web/reviewing.py, signing in and accounts in web/account_pages.py."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from igsatlas.documents.common import ROLE_LABELS, organisation_url
from igsatlas.domain.edit_rules import LEGAL_FORMS, problems
from igsatlas.domain.edits import EDITABLE_FIELDS, EditKind, EditState, plain
from igsatlas.domain.model import Municipality, Role, Status
from igsatlas.errors import ForbiddenError, NotFoundError, TooManyRequestsError
from igsatlas.store import accounts, queries, relations
from igsatlas.store import edits as store_edits
from igsatlas.web import auth, forms
from igsatlas.web.auth import Visitor
from igsatlas.web.site import Site

FIELD_LABELS = {
    "name": "Naam",
    "website": "Website",
    "classification": "Rechtsvorm",
    "status": "Status",
    "founding_date": "Oprichtingsdatum",
    "planned_end_date": "Geplande einddatum",
}
KIND_LABELS = {
    EditKind.ADD_ORGANISATION.value: "nieuw samenwerkingsverband",
    EditKind.CHANGE_FIELD.value: "gegevens gewijzigd",
    EditKind.ADD_MEMBERSHIP.value: "lid toegevoegd",
    EditKind.END_MEMBERSHIP.value: "lidmaatschap beëindigd",
    EditKind.DISSOLVE.value: "ontbonden",
    EditKind.MERGE.value: "twee records samengevoegd",
    EditKind.SUPPRESS.value: "onjuist feit onderdrukt",
    EditKind.REPORT.value: "melding van een fout",
}
STATE_LABELS = {s.value: s.value for s in EditState}
FORMS = LEGAL_FORMS
MAX_NEW_MEMBERS = 12
LOGIN_LIMIT_ACCOUNT = 5  # attempts per account per quarter of an hour
LOGIN_LIMIT_CLIENT = 20  # attempts per client per quarter of an hour
REPORT_LIMIT_CLIENT = 10  # reports per client per hour


def client_of(request: Request) -> str:
    return request.client.host if request.client else "onbekend"


class Editing:
    def __init__(self, site: Site, engine: Engine, data_dir: Path) -> None:
        self.site = site
        self.engine = engine
        self.data_dir = data_dir

    # --- rendering ---------------------------------------------------------------------------

    def render(self, request: Request, template: str, v: Visitor, *, status: int = 200, **context: Any) -> Response:
        response: Response = HTMLResponse("", status_code=status)
        response, token = auth.with_form_cookie(request, response, v)
        html = self.site.templates.get_template(template).render(
            day="",
            today="",
            link=lambda u: u,
            path=request.url.path,
            query={},
            visitor=v,
            csrf=token,
            role_labels=ROLE_LABELS,
            field_labels=FIELD_LABELS,
            kind_labels=KIND_LABELS,
            form_labels=dict(FORMS),
            **context,
        )
        response.body = html.encode()
        response.headers["content-length"] = str(len(response.body))
        response.headers["cache-control"] = "no-store, private"
        return response

    def done(self, request: Request, v: Visitor, title: str, message: str, back: str | None = None) -> Response:
        return self.render(request, "done.html", v, titel=title, bericht=message, terug=back)

    def form(self, request: Request, v: Visitor) -> FormData:
        form = forms.read(request)
        auth.check_form(v, form)
        return form

    def visitor(self, request: Request) -> Visitor:
        return auth.visitor(request, self.engine)

    # --- proposing -------------------------------------------------------------------------------

    def _org_context(self, conn: Connection, slug: str) -> tuple[Any, list[Any], set[str]]:
        org = queries.organisation_by_slug(conn, slug)
        members = relations.members(conn, org.id, date.today())
        nis = {m.municipality.nis for m in members if m.municipality}
        return org, members, nis

    def organisation_edit(self, request: Request) -> Response:
        v = self.visitor(request)
        session = auth.signed_in(v)
        slug = request.path_params["slug"]
        with self.engine.connect() as conn:
            org, members, nis = self._org_context(conn, slug)
            municipalities = queries.all_municipalities(conn)
        auth.in_scope(session, nis, org.id)
        errors = forms.FormErrors()
        if request.method == "POST":
            form = self.form(request, v)
            created = self._propose_for(form, org, members, municipalities, session, errors)
            if created is not None:
                return self.done(
                    request,
                    v,
                    "Voorstel ingediend",
                    f"Uw voorstel (wijziging {created}) staat in de wachtrij van de eindredactie. "
                    "Het verschijnt op de site zodra een eindredacteur het aanvaardt.",
                    organisation_url(org),
                )
        return self.render(
            request,
            "edit_organisation.html",
            v,
            status=400 if errors else 200,
            org=org,
            leden=members,
            gemeenten=municipalities,
            vormen=FORMS,
            statussen=[s.value for s in Status],
            fouten=errors.messages,
            ingevuld=dict(forms.read(request)) if request.method == "POST" else {},
        )

    def _propose_for(
        self,
        form: FormData,
        org: Any,
        members: list[Any],
        municipalities: list[Any],
        session: accounts.Session,
        errors: forms.FormErrors,
    ) -> int | None:
        action = forms.text(form, "actie", 40)
        proof = forms.evidence(form, errors)
        kind: EditKind
        target_kind, target_id, payload, base = "organisatie", org.id, {}, None
        if action == "gegevens":
            kind = EditKind.CHANGE_FIELD
            base = {}
            for name in EDITABLE_FIELDS:
                if name not in form:
                    continue
                if EDITABLE_FIELDS[name]:
                    value = forms.day(form, name, FIELD_LABELS[name], errors)
                    wanted: Any = value.isoformat() if value else None
                else:
                    wanted = forms.text(form, name) or None
                current = plain(getattr(org, name))
                if wanted != current:
                    payload[name] = wanted
                    base[name] = current
            if not payload and not errors:
                errors.add("actie", "Er is niets gewijzigd.")
        elif action == "lid-toevoegen":
            kind = EditKind.ADD_MEMBERSHIP
            start = forms.day(form, "sinds", "Sinds", errors)
            end = forms.day(form, "tot", "Tot", errors)
            muni = forms.municipality(
                forms.text(form, "gemeente", 100), municipalities, start or date.today(), "Gemeente", errors, "gemeente"
            )
            if muni is None and "gemeente" not in errors.messages:
                errors.add("gemeente", "Gemeente: kies de gemeente die lid wordt.")
            role = forms.text(form, "rol", 20) or Role.PARTICIPANT.value
            if role not in ROLE_LABELS:
                errors.add("rol", "Rol: kies een rol uit de lijst.")
            payload = {
                "nis": muni.nis if muni else None,
                "role": role,
                "valid_from": start.isoformat() if start else None,
                "valid_to": end.isoformat() if end else None,
            }
        elif action in ("lid-beeindigen", "onderdruk-lid"):
            chosen = forms.text(form, "lidmaatschap", 200)
            if chosen not in {m.membership.id for m in members}:
                errors.add("lidmaatschap", "Lidmaatschap: kies een lid uit de lijst.")
            target_kind, target_id = "lidmaatschap", chosen
            if action == "lid-beeindigen":
                kind = EditKind.END_MEMBERSHIP
                end = forms.day(form, "tot", "Einddatum", errors)
                if end is None and "tot" not in errors.messages:
                    errors.add("tot", "Einddatum: geef de dag waarop het lidmaatschap eindigde.")
                payload = {"valid_to": end.isoformat() if end else None}
            else:
                kind = EditKind.SUPPRESS
                payload = {"organisation_id": org.id}
                base = {"membership_id": chosen}
        elif action == "ontbonden":
            kind = EditKind.DISSOLVE
            end = forms.day(form, "tot", "Datum van ontbinding", errors)
            payload = {"valid_to": end.isoformat() if end else None}
            base = {"status": plain(org.status), "valid_to": plain(org.valid_to)}
        elif action == "samenvoegen":
            kind = EditKind.MERGE
            other = forms.text(form, "ander", 200).rstrip("/").rsplit("/", 1)[-1]
            with self.engine.connect() as conn:
                try:
                    merged, _, merged_nis = self._org_context(conn, other)
                except NotFoundError:
                    errors.add("ander", "Zelfde orgaan als: geef het adres of de korte naam van het andere record.")
                else:
                    auth.in_scope(session, merged_nis, merged.id)  # both records must lie in the editor's scope
                    payload = {"other": merged.id}
        else:
            raise ForbiddenError("Onbekende actie in het formulier.", code="unknown-action")
        for name, message in problems(payload).items():
            errors.add(name, message)
        if errors:
            return None
        with self.engine.begin() as conn:
            return store_edits.submit(
                conn,
                kind=kind,
                target_kind=target_kind,
                target_id=target_id,
                payload=payload,
                base=base,
                evidence_url=proof.url,
                evidence_date=proof.day,
                evidence_note=proof.note,
                author_id=session.account.id,
            )

    def organisation_new(self, request: Request) -> Response:
        v = self.visitor(request)
        session = auth.signed_in(v)
        with self.engine.connect() as conn:
            municipalities = queries.all_municipalities(conn)
        errors = forms.FormErrors()
        asked = request.query_params.get("wat", "")[:4000]  # a question written in by the dossier's link
        filled: dict[str, Any] = {"wat": asked} if asked else {}
        if request.method == "POST":
            form = self.form(request, v)
            filled = {k: form.getlist(k) if k == "lid" else form.get(k) for k in form}
            founded = forms.day(form, "founding_date", "Oprichtingsdatum", errors)
            planned = forms.day(form, "planned_end_date", "Geplande einddatum", errors)
            name = forms.text(form, "name", 200)
            if not name:
                errors.add("name", "Naam: geef de naam van het samenwerkingsverband.")
            legal_form = forms.text(form, "classification", 80)
            if legal_form not in dict(FORMS):
                errors.add("classification", "Rechtsvorm: kies een rechtsvorm uit de lijst.")
            chosen: list[Municipality] = []
            for i, value in enumerate(form.getlist("lid")[:MAX_NEW_MEMBERS]):
                muni = forms.municipality(
                    str(value), municipalities, founded or date.today(), f"Lid {i + 1}", errors, f"lid{i}"
                )
                if muni is not None and muni.nis not in {m.nis for m in chosen}:
                    chosen.append(muni)
            if len(chosen) < 2 and not any(k.startswith("lid") for k in errors.messages):
                errors.add("lid0", "Leden: een intergemeentelijk samenwerkingsverband heeft minstens twee gemeenten.")
            auth.in_scope(session, {m.nis for m in chosen})
            proof = forms.evidence(form, errors)
            if not errors:
                payload = {
                    "name": name,
                    "classification": legal_form,
                    "website": forms.text(form, "website", 300) or None,
                    "founding_date": founded.isoformat() if founded else None,
                    "planned_end_date": planned.isoformat() if planned else None,
                    "members": [
                        {
                            "nis": m.nis,
                            "role": Role.PARTICIPANT.value,
                            "valid_from": founded.isoformat() if founded else None,
                        }
                        for m in chosen
                    ],
                }
                for field_name, message in problems(payload).items():
                    errors.add(field_name, message)
            if not errors:
                with self.engine.begin() as conn:
                    created = store_edits.submit(
                        conn,
                        kind=EditKind.ADD_ORGANISATION,
                        target_kind="organisatie",
                        target_id=None,
                        payload=payload,
                        evidence_url=proof.url,
                        evidence_date=proof.day,
                        evidence_note=proof.note,
                        author_id=session.account.id,
                    )
                return self.done(
                    request,
                    v,
                    "Voorstel ingediend",
                    f"Uw voorstel voor {name} (wijziging {created}) staat in de wachtrij van de eindredactie.",
                    "/redactie",
                )
        return self.render(
            request,
            "new_organisation.html",
            v,
            status=400 if errors else 200,
            gemeenten=municipalities,
            vormen=FORMS,
            fouten=errors.messages,
            ingevuld=filled,
            aantal_leden=MAX_NEW_MEMBERS,
        )

    # --- reports by anyone ---------------------------------------------------------------------

    def _subject(self, conn: Connection, about: str) -> tuple[str, str, str, str]:
        """(target kind, id, label, url) of ?over=organisatie:slug, gemeente:slug or laag:id."""
        kind, _, key = about.partition(":")
        if kind == "organisatie":
            org = queries.organisation_by_slug(conn, key)
            return "organisatie", org.id, org.name, organisation_url(org)
        if kind == "gemeente":
            muni = queries.municipality_by_slug(conn, key, date.today())
            return "gemeente", muni.nis, muni.name, f"/gemeenten/{muni.slug}"
        if kind == "laag" and key in {layer.id for layer in queries.layers(conn)}:
            return "laag", key, f"laag {key}", f"/lagen/{key}"
        raise NotFoundError("Waarover wilt u een fout melden?", code="report-subject-not-found")

    def report(self, request: Request) -> Response:
        v = self.visitor(request)
        about = request.query_params.get("over", "")
        with self.engine.connect() as conn:
            target_kind, target_id, label, back = self._subject(conn, about)
        errors = forms.FormErrors()
        asked = request.query_params.get("wat", "")[:4000]  # a question written in by the dossier's link
        filled: dict[str, Any] = {"wat": asked} if asked else {}
        if request.method == "POST":
            form = self.form(request, v)
            filled = dict(form)
            if forms.text(form, "website_naam"):  # the honeypot: people do not see this field
                return self.done(request, v, "Bedankt", "Uw melding is ontvangen.", back)
            with self.engine.begin() as conn:
                if accounts.throttled(conn, f"report:{client_of(request)}", REPORT_LIMIT_CLIENT, timedelta(hours=1)):
                    raise TooManyRequestsError(
                        "U hebt de voorbije uur al veel meldingen verstuurd.",
                        hint="Probeer het over een uur opnieuw, of schrijf ons via de contactpagina.",
                    )
            what = forms.text(form, "wat", 4000)
            if len(what) < 5:
                errors.add("wat", "Wat is er fout: beschrijf kort wat er niet klopt.")
            proof = forms.evidence(form, errors, required=False)
            email = forms.text(form, "email", 200)
            if email and "@" not in email:
                errors.add(
                    "email", "E-mailadres: dit is geen e-mailadres; laat het veld leeg als u geen antwoord wenst."
                )
            if not errors:
                with self.engine.begin() as conn:
                    store_edits.submit(
                        conn,
                        kind=EditKind.REPORT,
                        target_kind=target_kind,
                        target_id=target_id,
                        payload={"wat": what, "pagina": back},
                        evidence_url=proof.url,
                        evidence_date=proof.day,
                        evidence_note=proof.note,
                        author_id=v.session.account.id if v.session else None,
                        reporter_email=email or None,
                    )
                return self.done(
                    request,
                    v,
                    "Bedankt voor uw melding",
                    "De eindredactie bekijkt uw melding. Niets wordt gepubliceerd voordat zij het nagekeken heeft.",
                    back,
                )
        return self.render(
            request,
            "report.html",
            v,
            status=400 if errors else 200,
            over=about,
            onderwerp=label,
            terug=back,
            fouten=errors.messages,
            ingevuld=filled,
        )
