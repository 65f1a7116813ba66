"""Following the register: /wijzigingen (with JSON, CSV and Atom), feeds per page, the newsletter signup with
double opt-in, preferences and one-click unsubscribe, the privacy statement, and the editorial newsletter.

The answer to a signup is the same for a known and an unknown address; the owner of the address gets a mail,
the visitor learns nothing. Addresses appear on no page but the owner's own preferences page.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

from markdown_it import MarkdownIt
from sqlalchemy import Engine, select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from igsatlas.config import Settings
from igsatlas.documents import changes as change_docs
from igsatlas.documents.changes import Filters
from igsatlas.documents.feeds import atom
from igsatlas.documents.layer import layer_title
from igsatlas.errors import InvalidArgumentError, NotFoundError, TooManyRequestsError
from igsatlas.mail import messages, outbox, tokens
from igsatlas.mail.alerts import links
from igsatlas.store import accounts, queries, schema, subscribers
from igsatlas.store.changelog import now
from igsatlas.web import auth, forms
from igsatlas.web.editing import Editing
from igsatlas.web.site import Site, day_parameter

SIGNUP_LIMIT_CLIENT = 30  # signups per client per minute
SIGNUP_LIMIT_ADDRESS = 3  # mails to one address per hour
_markdown = MarkdownIt("commonmark", {"html": False})


class Follow:
    def __init__(self, site: Site, engine: Engine, settings: Settings, editing: Editing) -> None:
        self.site = site
        self.engine = engine
        self.settings = settings
        self.editing = editing

    # --- what changed ------------------------------------------------------------------------

    def _filters(self, request: Request) -> Filters:
        p = request.query_params
        soort = p.get("soort") or None
        if soort and soort not in change_docs.KIND_LABELS:
            raise InvalidArgumentError(f"Onbekende soort wijziging '{soort}'.", code="invalid-argument")
        return Filters(
            gemeente=p.get("gemeente") or None,
            organisatie=p.get("organisatie") or None,
            laag=p.get("laag") or None,
            thema=p.get("thema") or None,
            soort=soort,
        )

    def _changes(self, request: Request, f: Filters) -> dict[str, Any]:
        van, tot = day_parameter(request, "van"), day_parameter(request, "tot")
        if (van is None) != (tot is None) or (van and tot and tot < van):
            raise InvalidArgumentError(
                "Geef een begin- en een einddag, de einddag niet vóór de begindag.",
                code="invalid-period",
                hint="Bijvoorbeeld ?van=2024-06-30&tot=2025-06-30.",
            )
        with self.engine.connect() as conn:
            doc: dict[str, Any] = {
                "filters": f.as_dict(),
                "soorten": [{"code": k, "label": v} for k, v in change_docs.KIND_LABELS.items()],
                "lagen": [layer.id for layer in queries.layers(conn)],
                "eerste_import": change_docs.first_import_summary(conn),
                "wijzigingen": change_docs.log_entries(conn, f),
                "tussen": change_docs.between(conn, f, van, tot) if van and tot else None,
            }
        return doc

    async def changes(self, request: Request) -> Response:
        f = self._filters(request)
        doc = await run_in_threadpool(self._changes, request, f)
        path = request.url.path
        if path.endswith(".csv"):
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(["id", "datum", "soort", "wat", "organisatie", "bron"])
            for e in doc["wijzigingen"]:
                writer.writerow([e["id"], e["datum"], e["soort"], e["wat"], e["organisatie"], e["bron"]])
            return Response(out.getvalue(), media_type="text/csv; charset=utf-8")
        if path.endswith(".atom"):
            return self._feed("Wijzigingen in de IGS-atlas", "/wijzigingen", "alles", doc["wijzigingen"], request)
        return self.site.page(request, "changes.html", doc, feed=f"/wijzigingen.atom?{request.url.query}")

    def _feed(self, title: str, page: str, key: str, entries: list[dict[str, Any]], request: Request) -> Response:
        body = atom(
            title,
            self.settings.base_url,
            request.url.path + (f"?{request.url.query}" if request.url.query else ""),
            page,
            key,
            entries,
        )
        return Response(body, media_type="application/atom+xml; charset=utf-8")

    async def feed_of(self, request: Request) -> Response:
        """/gemeenten/{slug}.atom, /samenwerkingsverbanden/{slug}.atom (and /organisaties/), /lagen/{layer}.atom,
        /themas/{thema}.atom."""
        kind = request.url.path.split("/")[1]
        key = request.path_params["key"]
        with self.engine.connect() as conn:
            if kind == "gemeenten":
                muni = queries.municipality_by_slug(conn, key, date.today())
                f, title = Filters(gemeente=muni.nis), f"Wijzigingen voor {muni.name}"
            elif kind in ("samenwerkingsverbanden", "organisaties"):
                org = queries.organisation_by_slug(conn, key)
                f, title = Filters(organisatie=org.slug), f"Wijzigingen van {org.name}"
            elif kind == "lagen":
                queries.layer(conn, key)
                f, title = Filters(laag=key), f"Wijzigingen in de laag {layer_title(key)}"
            else:
                f, title = Filters(thema=key), f"Wijzigingen in het thema {key}"
            entries = change_docs.log_entries(conn, f)
        return self._feed(title, f"/{kind}/{key}", f"{kind}:{key}", entries, request)

    # --- newsletter and alerts -----------------------------------------------------------------

    def _choices(self) -> dict[str, Any]:
        with self.engine.connect() as conn:
            themes = conn.execute(select(schema.theme.c.uri, schema.theme.c.label).order_by(schema.theme.c.label)).all()
            return {
                "gemeenten": queries.municipalities_on(conn, date.today()),
                "lagen": [layer.id for layer in queries.layers(conn)],
                "themas": [(t.uri, t.label) for t in themes],
            }

    def _follows(self, form: Any, errors: forms.FormErrors) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        with self.engine.connect() as conn:
            munis = queries.municipalities_on(conn, date.today())
            for i, value in enumerate(form.getlist("gemeente")):
                m = forms.municipality(str(value), munis, date.today(), "Gemeente", errors, f"gemeente{i}")
                if m is not None:
                    out.append(("gemeente", m.nis))
            for value in form.getlist("organisatie"):
                text = str(value).strip().rstrip("/").rsplit("/", 1)[-1]
                if not text:
                    continue
                try:
                    out.append(("organisatie", queries.organisation_by_slug(conn, text).id))
                except NotFoundError:
                    try:
                        out.append(("organisatie", queries.find_organisation(conn, text).id))
                    except NotFoundError:
                        errors.add(
                            "organisatie", f"Samenwerkingsverband: '{text}' vinden we niet; geef de naam of het adres."
                        )
                    except InvalidArgumentError:  # several bodies have that name
                        errors.add(
                            "organisatie",
                            f"Samenwerkingsverband: '{text}' is de naam van meer dan één organisatie; "
                            "geef het adres van de pagina of het KBO-nummer.",
                        )
        out += [("laag", str(v)) for v in form.getlist("laag") if v]
        out += [("thema", str(v)) for v in form.getlist("thema") if v]
        return out

    async def signup(self, request: Request) -> Response:
        v = self.editing.visitor(request)
        choices = self._choices()
        if request.method == "GET":
            follow = request.query_params.get("volg", "")
            return self.editing.render(
                request,
                "newsletter.html",
                v,
                fouten={},
                ingevuld={"email": request.query_params.get("email", "")},
                volg=follow,
                **choices,
            )
        form = await self.editing.form(request, v)
        errors = forms.FormErrors()
        email = forms.text(form, "email", 200).lower()
        if "@" not in email or "." not in email.split("@")[-1] or len(email) < 6:
            errors.add("email", "E-mailadres: geef een geldig e-mailadres.")
        newsletter = form.get("nieuwsbrief") == "ja"
        frequency = forms.text(form, "frequentie", 16) or "direct"
        if frequency not in subscribers.FREQUENCIES:
            frequency = "direct"
        follows = self._follows(form, errors)
        if not newsletter and not follows and not errors:
            errors.add("nieuwsbrief", "Kies de nieuwsbrief of iets om te volgen.")
        if errors:
            return self.editing.render(
                request,
                "newsletter.html",
                v,
                status=400,
                fouten=errors.messages,
                ingevuld=dict(form),
                volg="",
                **choices,
            )
        with self.engine.begin() as conn:
            if accounts.throttled(
                conn,
                f"signup:client:{request.client.host if request.client else ''}",
                SIGNUP_LIMIT_CLIENT,
                timedelta(minutes=1),
            ):
                raise TooManyRequestsError(
                    "Te veel inschrijvingen vanaf uw verbinding in korte tijd.",
                    hint="Probeer het over een minuut opnieuw.",
                )
            quiet = accounts.throttled(conn, f"signup:address:{email}", SIGNUP_LIMIT_ADDRESS, timedelta(hours=1))
            sub, _ = subscribers.sign_up(conn, email, newsletter, frequency, follows)
            if not quiet:
                key = tokens.secret_key(conn, self.settings.secret_key)
                outbox.enqueue(conn, self._welcome(key, sub), "bevestiging", sub.id)
        # The same answer for every address: nothing tells a visitor whether it was known.
        return self.editing.done(
            request,
            v,
            "Kijk in uw mailbox",
            "Als dit adres bij ons kan ingeschreven worden, krijgt u een mail. Klik op de link erin om uw inschrijving "
            f"te bevestigen; de link blijft {tokens.CONFIRM_DAYS} dagen geldig. Zonder bevestiging sturen we niets.",
            "/",
        )

    def _welcome(self, key: bytes, sub: subscribers.Subscriber) -> Any:
        manage, leave = links(self.settings, key, sub)
        if sub.confirmed:
            text = (
                "Iemand (misschien uzelf) wilde dit adres inschrijven bij de IGS-atlas. U bent al ingeschreven.\n"
                f"Uw voorkeuren: {manage}\n"
            )
            html = (
                "<p>Iemand (misschien uzelf) wilde dit adres inschrijven. U bent al ingeschreven.</p>"
                f'<p><a href="{manage}">Uw voorkeuren</a></p>'
            )
            subject = "IGS-atlas: u bent al ingeschreven"
        else:
            assert sub.nonce is not None
            signed = tokens.sign(key, "bevestig", sub.id, sub.nonce, tokens.CONFIRM_DAYS)
            confirm = f"{self.settings.base_url}/nieuwsbrief/bevestig?token={signed}"
            text = (
                "Bevestig uw inschrijving bij de IGS-atlas met deze link (7 dagen geldig):\n"
                f"{confirm}\n\nHebt u zich niet ingeschreven? Dan hoeft u niets te doen: "
                "zonder bevestiging sturen we niets.\n"
            )
            html = (
                "<p>Bevestig uw inschrijving bij de IGS-atlas:</p>"
                f'<p><a href="{confirm}">Inschrijving bevestigen</a></p>'
                "<p>De link blijft 7 dagen geldig. Hebt u zich niet ingeschreven? Dan hoeft u niets te doen.</p>"
            )
            subject = "IGS-atlas: bevestig uw inschrijving"
        return messages.build(
            sender=self.settings.mail_from,
            recipient=sub.email,
            subject=subject,
            text=text,
            html_body=html,
            manage_url=manage,
            unsubscribe_url=leave,
        )

    def _key(self) -> bytes:
        with self.engine.begin() as conn:
            return tokens.secret_key(conn, self.settings.secret_key)

    async def confirm(self, request: Request) -> Response:
        v = self.editing.visitor(request)
        token = tokens.verify(self._key(), request.query_params.get("token", ""), "bevestig")
        with self.engine.begin() as conn:
            done = subscribers.confirm(conn, token.subscriber_id, token.part)
        if not done:
            raise InvalidArgumentError(
                "Deze bevestigingslink werd al gebruikt of is vervangen door een nieuwere.",
                code="used-token",
                hint="Uw inschrijving is mogelijk al bevestigd; anders schrijft u zich opnieuw in via /nieuwsbrief.",
            )
        return self.editing.done(request, v, "Inschrijving bevestigd", "Bedankt. U krijgt voortaan wat u koos.", "/")

    def _manage_token(self, request: Request, form: Any = None) -> tuple[tokens.Token, subscribers.Subscriber]:
        text = request.query_params.get("token") or (str(form.get("token")) if form is not None else "")
        token = tokens.verify(self._key(), text, "beheer")
        with self.engine.connect() as conn:
            sub = subscribers.by_id(conn, token.subscriber_id)
        if sub is None or sub.secret != token.part:
            raise InvalidArgumentError(
                "Deze link hoort bij geen inschrijving meer.",
                code="invalid-token",
                hint="Schrijf u opnieuw in via /nieuwsbrief.",
            )
        return token, sub

    async def preferences(self, request: Request) -> Response:
        v = self.editing.visitor(request)
        form = await request.form() if request.method == "POST" else None
        _, sub = self._manage_token(request, form)
        choices = self._choices()
        errors = forms.FormErrors()
        saved = False
        if form is not None:
            follows = self._follows(form, errors)
            if not errors:
                frequency = forms.text(form, "frequentie", 16)
                with self.engine.begin() as conn:
                    subscribers.update(
                        conn,
                        sub.id,
                        form.get("nieuwsbrief") == "ja",
                        frequency if frequency in subscribers.FREQUENCIES else "direct",
                        follows,
                    )
                    refreshed = subscribers.by_id(conn, sub.id)
                assert refreshed is not None
                sub, saved = refreshed, True
        with self.engine.connect() as conn:
            names = self._follow_names(conn, sub.follows)
        return self.editing.render(
            request,
            "newsletter_manage.html",
            v,
            status=400 if errors else 200,
            abonnee=sub,
            volgt=names,
            token=request.query_params.get("token") or (form.get("token") if form is not None else ""),
            fouten=errors.messages,
            bewaard=saved,
            **choices,
        )

    def _follow_names(self, conn: Any, follows: tuple[tuple[str, str], ...]) -> list[tuple[str, str, str]]:
        out = []
        for kind, key in follows:
            label = key
            if kind == "gemeente":
                m = queries.municipality(conn, key)
                label = m.name if m else key
            elif kind == "organisatie":
                o = queries.organisation(conn, key)
                label = o.name if o else key
            out.append((kind, key, label))
        return out

    async def unsubscribe(self, request: Request) -> Response:
        """GET shows a button; POST (the button, or a mail client's one-click POST, RFC 8058) removes the address."""
        v = self.editing.visitor(request)
        form = await request.form() if request.method == "POST" else None
        try:
            _, sub = self._manage_token(request, form)
        except InvalidArgumentError:
            if request.method == "POST":  # already gone: one-click clients expect success
                return self.editing.done(
                    request, v, "Uitgeschreven", "Dit adres staat niet (meer) bij ons ingeschreven.", "/"
                )
            raise
        if form is None:
            return self.editing.render(request, "newsletter_leave.html", v, token=request.query_params.get("token", ""))
        with self.engine.begin() as conn:
            subscribers.remove(conn, sub.id)
        return self.editing.done(
            request, v, "Uitgeschreven", "Uw adres en uw voorkeuren zijn gewist. We sturen u niets meer.", "/"
        )

    async def privacy(self, request: Request) -> Response:
        return self.site.page(request, "privacy.html", {"titel": "Privacyverklaring"})

    # --- the editorial newsletter ----------------------------------------------------------------

    def _issue(self, issue_id: int) -> Any:
        with self.engine.connect() as conn:
            row = conn.execute(select(schema.newsletter_issue).where(schema.newsletter_issue.c.id == issue_id)).first()
        if row is None:
            raise NotFoundError(f"Nieuwsbrief {issue_id} bestaat niet.", code="issue-not-found")
        return row

    async def archive(self, request: Request) -> Response:
        t = schema.newsletter_issue
        with self.engine.connect() as conn:
            issues = conn.execute(
                select(t.c.id, t.c.title, t.c.sent_at).where(t.c.sent_at.is_not(None)).order_by(t.c.sent_at.desc())
            ).all()
        doc = {
            "nummers": [
                {
                    "id": i.id,
                    "titel": i.title,
                    "verzonden": i.sent_at.date().isoformat(),
                    "url": f"/nieuwsbrief/archief/{i.id}",
                }
                for i in issues
            ]
        }
        return self.site.page(request, "newsletter_archive.html", doc)

    async def archived(self, request: Request) -> Response:
        row = self._issue(int(request.path_params["issue_id"]))
        if row.sent_at is None:
            raise NotFoundError("Deze nieuwsbrief is nog niet verschenen.", code="issue-not-found")
        doc = {
            "id": row.id,
            "titel": row.title,
            "verzonden": row.sent_at.date().isoformat(),
            "html": _markdown.render(row.body),
        }
        return self.site.page(request, "newsletter_issue.html", doc)

    async def editorial(self, request: Request) -> Response:
        v = self.editing.visitor(request)
        session = auth.reviewer(v)
        errors = forms.FormErrors()
        if request.method == "POST":
            form = await self.editing.form(request, v)
            title, body = forms.text(form, "titel", 200), forms.text(form, "tekst", 50_000)
            if not title:
                errors.add("titel", "Titel: geef de nieuwsbrief een titel.")
            if not body:
                errors.add("tekst", "Tekst: schrijf de nieuwsbrief (Markdown).")
            if not errors:
                with self.engine.begin() as conn:
                    made = conn.execute(
                        schema.newsletter_issue.insert().values(
                            title=title, body=body, author_id=session.account.id, created_at=now()
                        )
                    )
                    key = made.inserted_primary_key
                assert key is not None
                return RedirectResponse(f"/redactie/nieuwsbrief/{int(key[0])}", status_code=303)
        t = schema.newsletter_issue
        with self.engine.connect() as conn:
            issues = conn.execute(select(t).order_by(t.c.id.desc())).all()
        return self.editing.render(
            request, "editorial.html", v, status=400 if errors else 200, nummers=issues, fouten=errors.messages
        )

    def _issue_message(self, row: Any, to: str, key: bytes | None, sub: subscribers.Subscriber | None) -> Any:
        manage = leave = None
        if key is not None and sub is not None:
            manage, leave = links(self.settings, key, sub)
        return messages.build(
            sender=self.settings.mail_from,
            recipient=to,
            subject=f"IGS-atlas nieuwsbrief: {row.title}",
            text=row.body,
            html_body=f'<h1 style="font-size:1.3rem">{row.title}</h1>{_markdown.render(row.body)}',
            manage_url=manage or f"{self.settings.base_url}/nieuwsbrief",
            unsubscribe_url=leave or f"{self.settings.base_url}/nieuwsbrief",
        )

    async def editorial_issue(self, request: Request) -> Response:
        v = self.editing.visitor(request)
        session = auth.reviewer(v)
        row = self._issue(int(request.path_params["issue_id"]))
        message = None
        if request.method == "POST":
            form = await self.editing.form(request, v)
            action = forms.text(form, "actie", 20)
            if action == "test":
                with self.engine.begin() as conn:
                    outbox.enqueue(conn, self._issue_message(row, session.account.email, None, None), "test", None)
                message = "Een testmail is onderweg naar uw eigen adres."
            elif action == "verstuur" and row.sent_at is None:
                with self.engine.begin() as conn:
                    key = tokens.secret_key(conn, self.settings.secret_key)
                    count = 0
                    for sub in subscribers.confirmed(conn):
                        if sub.newsletter:
                            outbox.enqueue(conn, self._issue_message(row, sub.email, key, sub), "nieuwsbrief", sub.id)
                            count += 1
                    conn.execute(
                        schema.newsletter_issue.update()
                        .where(schema.newsletter_issue.c.id == row.id)
                        .values(sent_at=now())
                    )
                message = f"De nieuwsbrief staat klaar voor {count} bevestigde abonnees."
                row = self._issue(row.id)
        mail = self._issue_message(row, session.account.email, None, None)
        html_part = mail.get_body(preferencelist=("html",))
        text_part = mail.get_body(preferencelist=("plain",))
        return self.editing.render(
            request,
            "editorial_issue.html",
            v,
            nummer=row,
            pagina=_markdown.render(row.body),
            als_mail_tekst=text_part.get_content() if text_part else "",
            als_mail_html=html_part.get_content() if html_part else "",
            bericht=message,
        )
