"""The editorial newsletter: the public archive, and for reviewers writing an issue, a test mail to
themselves and sending it to the confirmed subscribers (through the outbox)."""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup
from sqlalchemy import Engine, select
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from igsatlas.config import Settings
from igsatlas.errors import ConflictError, NotFoundError
from igsatlas.mail import messages, outbox, tokens
from igsatlas.mail.alerts import links
from igsatlas.store import schema_subscriptions, subscribers
from igsatlas.store.changelog import now
from igsatlas.web import auth, forms
from igsatlas.web.editing import Editing
from igsatlas.web.site import Site

_markdown = MarkdownIt("commonmark", {"html": False})


class Newsletter:
    def __init__(self, site: Site, engine: Engine, settings: Settings, editing: Editing) -> None:
        self.site = site
        self.engine = engine
        self.settings = settings
        self.editing = editing

    def _issue(self, issue_id: int) -> Any:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(schema_subscriptions.newsletter_issue).where(
                    schema_subscriptions.newsletter_issue.c.id == issue_id
                )
            ).first()
        if row is None:
            raise NotFoundError(f"Nieuwsbrief {issue_id} bestaat niet.", code="issue-not-found")
        return row

    def archive(self, request: Request) -> Response:
        t = schema_subscriptions.newsletter_issue
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

    def archived(self, request: Request) -> Response:
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

    def editorial(self, request: Request) -> Response:
        v = self.editing.visitor(request)
        session = auth.reviewer(v)
        errors = forms.FormErrors()
        if request.method == "POST":
            form = self.editing.form(request, v)
            title, body = forms.text(form, "titel", 200), forms.text(form, "tekst", 50_000)
            if not title:
                errors.add("titel", "Titel: geef de nieuwsbrief een titel.")
            if not body:
                errors.add("tekst", "Tekst: schrijf de nieuwsbrief (Markdown).")
            if not errors:
                with self.engine.begin() as conn:
                    made = conn.execute(
                        schema_subscriptions.newsletter_issue.insert().values(
                            title=title, body=body, author_id=session.account.id, created_at=now()
                        )
                    )
                    key = made.inserted_primary_key
                assert key is not None
                return RedirectResponse(f"/redactie/nieuwsbrief/{int(key[0])}", status_code=303)
        t = schema_subscriptions.newsletter_issue
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
            html_body=messages.render("issue.html", titel=row.title, tekst=Markup(_markdown.render(row.body))),
            manage_url=manage or f"{self.settings.base_url}/nieuwsbrief",
            unsubscribe_url=leave or f"{self.settings.base_url}/nieuwsbrief",
        )

    def editorial_issue(self, request: Request) -> Response:
        v = self.editing.visitor(request)
        session = auth.reviewer(v)
        row = self._issue(int(request.path_params["issue_id"]))
        message = None
        if request.method == "POST":
            form = self.editing.form(request, v)
            action = forms.text(form, "actie", 20)
            if action == "test":
                with self.engine.begin() as conn:
                    outbox.enqueue(conn, self._issue_message(row, session.account.email, None, None), "test", None)
                message = "Een testmail is onderweg naar uw eigen adres."
            elif action == "verstuur":
                if row.sent_at is not None:  # a second click that arrives after the first was done
                    raise ConflictError(
                        f"Nieuwsbrief {row.id} werd al verstuurd.",
                        code="issue-already-sent",
                        hint="Open de nieuwsbrief opnieuw om te zien wanneer.",
                    )
                with self.engine.begin() as conn:
                    # Marked sent first, in one conditional statement: of two clicks at once, one queues the mail.
                    claimed = conn.execute(
                        schema_subscriptions.newsletter_issue.update()
                        .where(
                            schema_subscriptions.newsletter_issue.c.id == row.id,
                            schema_subscriptions.newsletter_issue.c.sent_at.is_(None),
                        )
                        .values(sent_at=now())
                    )
                    if claimed.rowcount != 1:
                        raise ConflictError(
                            f"Nieuwsbrief {row.id} werd intussen al verstuurd.",
                            code="issue-already-sent",
                            hint="Open de nieuwsbrief opnieuw om te zien wanneer.",
                        )
                    key = tokens.secret_key(conn, self.settings.secret_key)
                    count = 0
                    for sub in subscribers.confirmed(conn):
                        if sub.newsletter:
                            outbox.enqueue(conn, self._issue_message(row, sub.email, key, sub), "nieuwsbrief", sub.id)
                            count += 1
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
