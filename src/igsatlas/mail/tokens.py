"""Signed, expiring links for mail (confirm, manage, unsubscribe): HMAC-SHA256 over purpose, subscriber and
expiry. The key is IGSATLAS_SECRET_KEY, or one made once and kept in the database so every process shares it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from sqlalchemy import Connection, select

from igsatlas.errors import InvalidArgumentError
from igsatlas.store import schema

CONFIRM_DAYS = 7


def secret_key(conn: Connection, configured: str | None) -> bytes:
    if configured:
        return configured.encode()
    meta = schema.meta
    found = conn.execute(select(meta.c.value).where(meta.c.key == "secret_key")).scalar()
    if found is None:
        found = secrets.token_urlsafe(32)
        conn.execute(meta.insert().values(key="secret_key", value=found))
    return str(found).encode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Token:
    purpose: str  # bevestig, beheer
    subscriber_id: int
    part: str  # the subscriber's nonce (confirm) or secret (manage): a used or reset token stops working
    expires: int  # Unix time


def sign(key: bytes, purpose: str, subscriber_id: int, part: str, days: int) -> str:
    body = f"{purpose}.{subscriber_id}.{part}.{int(time.time()) + days * 86400}".encode()
    mac = hmac.new(key, body, hashlib.sha256).digest()[:18]
    return f"{_b64(body)}.{_b64(mac)}"


def verify(key: bytes, token: str, purpose: str) -> Token:
    """The token's content, or an error that says the link is invalid or expired (in Dutch, for the page)."""
    invalid = InvalidArgumentError(
        "Deze link is ongeldig: hij is onvolledig of gewijzigd.",
        code="invalid-token",
        hint="Gebruik de link uit de laatste mail, of schrijf u opnieuw in via /nieuwsbrief.",
    )
    try:
        body_text, mac_text = token.split(".", 1)
        body = _unb64(body_text)
        mac = _unb64(mac_text)
    except (ValueError, TypeError):
        raise invalid from None
    if not hmac.compare_digest(mac, hmac.new(key, body, hashlib.sha256).digest()[:18]):
        raise invalid
    try:
        found_purpose, sub, part, expires = body.decode().split(".")
        parsed = Token(found_purpose, int(sub), part, int(expires))
    except ValueError:
        raise invalid from None
    if parsed.purpose != purpose:
        raise invalid
    if parsed.expires < time.time():
        raise InvalidArgumentError(
            "Deze link is verlopen.",
            code="expired-token",
            hint="Schrijf u opnieuw in via /nieuwsbrief; u krijgt dan een nieuwe link.",
        )
    return parsed
