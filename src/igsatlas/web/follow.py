"""Following the register by mail: the newsletter and alert signup with double opt-in, preferences and
one-click unsubscribe, and the privacy statement. What changed is shown by web/changes_pages.py; the
editorial newsletter is web/newsletter_pages.py.

The answer to a signup is the same for a known and an unknown address; the owner of the address gets a mail,
the visitor learns nothing. Addresses appear on no page but the owner's own preferences page.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, select
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from igsatlas.config import Settings
from igsatlas.documents.layer import layer_titles
from igsatlas.errors import InvalidArgumentError, NotFoundError, TooManyRequestsError
from igsatlas.mail import messages, outbox, tokens
from igsatlas.mail.alerts import links
from igsatlas.store import accounts, queries, schema, subscribers
from igsatlas.web import forms
from igsatlas.web.editing import Editing, client_of
from igsatlas.web.site import Site

SIGNUP_LIMIT_CLIENT = 30  # signups per client per minute
SIGNUP_LIMIT_ADDRESS = 3  # mails to one address per hour


class Follow:
    def __init__(self, site: Site, engine: Engine, settings: Settings, editing: Editing) -> None:
        self.site = site
        self.engine = engine
        self.settings = settings
        self.editing = editing

    def _choices(self) -> dict[str, Any]:
        with self.engine.connect() as conn:
            themes = conn.execute(select(schema.theme.c.uri, schema.theme.c.label).order_by(schema.theme.c.label)).all()
            return {
                "gemeenten": queries.municipalities_on(conn, date.today()),
                "lagen": [layer.id for layer in queries.layers(conn)],
                "laagtitels": layer_titles(conn),
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

    def signup(self, request: Request) -> Response:
        v = self.editing.visitor(request)
        choices = self._choices()
        if request.method == "GET":
            follow = request.query_params.get("volg", "")
            if "email" in request.query_params:  # an address belongs in no URL (nor in a log or a history)
                return RedirectResponse("/nieuwsbrief" + (f"?volg={quote(follow)}" if follow else ""), 303)
            return self.editing.render(request, "newsletter.html", v, fouten={}, ingevuld={}, volg=follow, **choices)
        sent = forms.read(request)
        if sent.get("stap") == "adres" and "csrf" not in sent:
            # The footer's form (on cached pages, so without a token) only carries the address to this form,
            # which has its token; nothing is written until that form comes back.
            return self.editing.render(
                request,
                "newsletter.html",
                v,
                fouten={},
                ingevuld={"email": forms.text(sent, "email", 200)},
                volg="",
                **choices,
            )
        form = self.editing.form(request, v)
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
                f"signup:client:{client_of(request)}",
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
        if not quiet:
            outbox.wake_sender()  # committed: a running sender (`igs serve --send-mail`) sends it now
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
        confirm = None
        if sub.confirmed:
            text = (
                "Iemand (misschien uzelf) wilde dit adres inschrijven bij de IGS-atlas. U bent al ingeschreven.\n"
                f"Uw voorkeuren: {manage}\n"
            )
            subject = "IGS-atlas: u bent al ingeschreven"
        else:
            assert sub.nonce is not None
            signed = tokens.sign(key, "bevestig", sub.id, sub.nonce, tokens.CONFIRM_DAYS)
            confirm = f"{self.settings.base_url}/nieuwsbrief/bevestig?token={signed}"
            text = (
                f"Bevestig uw inschrijving bij de IGS-atlas met deze link ({tokens.CONFIRM_DAYS} dagen geldig):\n"
                f"{confirm}\n\nHebt u zich niet ingeschreven? Dan hoeft u niets te doen: "
                "zonder bevestiging sturen we niets.\n"
            )
            subject = "IGS-atlas: bevestig uw inschrijving"
        html = messages.render("welcome.html", bevestig=confirm, beheer=manage, dagen=tokens.CONFIRM_DAYS)
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

    def confirm(self, request: Request) -> Response:
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

    def preferences(self, request: Request) -> Response:
        v = self.editing.visitor(request)
        form = forms.read(request) if request.method == "POST" else None
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

    def unsubscribe(self, request: Request) -> Response:
        """GET shows a button; POST (the button, or a mail client's one-click POST, RFC 8058) removes the address."""
        v = self.editing.visitor(request)
        form = forms.read(request) if request.method == "POST" else None
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

    def privacy(self, request: Request) -> Response:
        return self.site.page(request, "privacy.html", {"titel": "Privacyverklaring"})
