"""Mail messages in Dutch, as plain text and HTML in the atlas's own look: no remote images, no trackers, and
the headers for one-click unsubscribe (RFC 8058)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from html import escape

STYLE = (
    "font-family:system-ui,-apple-system,'Segoe UI',sans-serif;line-height:1.5;color:#1a1a1a;"
    "max-width:40rem;margin:0 auto;padding:1rem"
)


def new_message_id() -> str:
    return make_msgid(idstring=uuid.uuid4().hex[:12], domain="igs-atlas.invalid")


def build(
    *,
    sender: str,
    recipient: str,
    subject: str,
    text: str,
    html_body: str,
    manage_url: str | None = None,
    unsubscribe_url: str | None = None,
    message_id: str | None = None,
) -> EmailMessage:
    """A multipart/alternative message; ``html_body`` is already escaped HTML for inside the page."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = recipient
    msg["Subject"] = subject
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg["Message-ID"] = message_id or new_message_id()
    msg["Content-Language"] = "nl-BE"
    footer_text = ""
    footer_html = ""
    if manage_url and unsubscribe_url:
        msg["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        footer_text = f"\n\n--\nUw voorkeuren wijzigen: {manage_url}\nUitschrijven: {unsubscribe_url}\n"
        footer_html = (
            f'<p style="font-size:.9rem;color:#4a4a4a;border-top:1px solid #c8c8c8;padding-top:.5rem">'
            f'<a href="{escape(manage_url)}">Uw voorkeuren wijzigen</a> · '
            f'<a href="{escape(unsubscribe_url)}">Uitschrijven</a></p>'
        )
    msg.set_content(text + footer_text)
    msg.add_alternative(
        f'<!doctype html><html lang="nl-BE"><body style="{STYLE}">'
        f'<p style="font-weight:700;font-size:1.2rem;color:#0b4f8a">IGS-atlas</p>{html_body}{footer_html}'
        "</body></html>",
        subtype="html",
    )
    return msg
