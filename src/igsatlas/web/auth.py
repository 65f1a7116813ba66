"""Who is asking: the session cookie, the CSRF token of every form, and the checks of every write route.

Every write route calls one of ``signed_in``/``reviewer``/``admin`` and ``check_form`` before it writes, so
anonymous users, users outside their scope and forms without their token are refused in one place.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Engine
from starlette.requests import Request
from starlette.responses import Response

from igsatlas.errors import ForbiddenError
from igsatlas.store import accounts
from igsatlas.store.accounts import Session
from igsatlas.web.cache import SESSION_COOKIE as SESSION_COOKIE

FORM_COOKIE = "igs_formulier"  # the anonymous forms' token (double submit)


@dataclass(frozen=True)
class Visitor:
    session: Session | None
    form_token: str  # the token every form of this visitor carries

    @property
    def signed_in(self) -> bool:
        return self.session is not None


def secure(request: Request) -> bool:
    """Cookies are Secure when the site is served over HTTPS (directly, or behind a trusted proxy that says so:
    web/proxies.py sets the scheme from its X-Forwarded-Proto)."""
    return request.url.scheme == "https"


def visitor(request: Request, engine: Engine) -> Visitor:
    token = request.cookies.get(SESSION_COOKIE)
    found = None
    if token:
        with engine.begin() as conn:
            found = accounts.session(conn, token)
    form = found.csrf if found else request.cookies.get(FORM_COOKIE) or ""
    return Visitor(found, form)


def with_form_cookie(request: Request, response: Response, visitor: Visitor) -> tuple[Response, str]:
    """Give an anonymous visitor a form token cookie when it has none; returns the token to put in forms."""
    if visitor.form_token:
        return response, visitor.form_token
    token = secrets.token_urlsafe(24)
    response.set_cookie(FORM_COOKIE, token, httponly=True, samesite="strict", secure=secure(request), path="/")
    return response, token


def check_form(visitor: Visitor, form: Mapping[str, object]) -> None:
    """Refuse a form whose token is missing or not this visitor's."""
    sent = str(form.get("csrf") or "")
    if not visitor.form_token or not hmac.compare_digest(sent, visitor.form_token):
        raise ForbiddenError(
            "Dit formulier is verlopen of niet van deze site.",
            code="csrf-token-invalid",
            hint="Laad de pagina opnieuw en verstuur het formulier nog eens.",
        )


def signed_in(visitor: Visitor) -> Session:
    if visitor.session is None:
        raise ForbiddenError(
            "Hiervoor moet u aangemeld zijn.", code="login-required", hint="Meld u aan met uw redactie-account."
        )
    return visitor.session


def reviewer(visitor: Visitor) -> Session:
    session = signed_in(visitor)
    if not session.account.reviews:
        raise ForbiddenError(
            "Alleen een eindredacteur kan wijzigingen beoordelen.",
            code="reviewer-required",
            hint="Vraag een eindredacteur om de wijziging na te kijken.",
        )
    return session


def admin(visitor: Visitor) -> Session:
    session = signed_in(visitor)
    if not session.account.manages_accounts:
        raise ForbiddenError("Alleen een beheerder kan accounts beheren.", code="admin-required")
    return session


def in_scope(session: Session, nis_codes: set[str], organisation_id: str | None = None) -> None:
    if not session.account.covers(nis_codes, organisation_id):
        raise ForbiddenError(
            "Deze gemeente of dit samenwerkingsverband valt buiten uw werkveld.",
            code="out-of-scope",
            hint="Een redacteur wijzigt alleen de gemeenten en organisaties waarvoor het account is aangemaakt.",
        )
