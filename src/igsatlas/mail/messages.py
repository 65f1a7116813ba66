"""Mail messages in Dutch, as plain text and HTML in the atlas's own look: no remote images, no trackers, and
the headers for one-click unsubscribe (RFC 8058).

The HTML is made from the templates in mail/templates/ with autoescaping, so a title or a name goes into a mail as
text, never as markup. Headers follow ``POLICY``: lines up to RFC 5322's 998 characters, so that a header that must
stay ASCII (``List-Unsubscribe``, RFC 2369: a URL in angle brackets) is never folded into RFC 2047 encoded words;
a Subject with other characters is still encoded as RFC 2047 allows for it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

STYLE = (
    "font-family:system-ui,-apple-system,'Segoe UI',sans-serif;line-height:1.5;color:#1a1a1a;"
    "max-width:40rem;margin:0 auto;padding:1rem"
)
POLICY = policy.SMTP.clone(max_line_length=998)
_templates = Environment(loader=PackageLoader("igsatlas.mail"), autoescape=True)


def render(template: str, **context: Any) -> Markup:
    """A piece of a mail's HTML from its template; every value in ``context`` is escaped unless it is Markup."""
    return Markup(_templates.get_template(template).render(**context))


def new_message_id() -> str:
    return make_msgid(idstring=uuid.uuid4().hex[:12], domain="igs-atlas.invalid")


def one_line(text: str) -> str:
    """A header value on one line: a line break in a title must not start a header of its own."""
    return " ".join(text.split())


def build(
    *,
    sender: str,
    recipient: str,
    subject: str,
    text: str,
    html_body: Markup,
    manage_url: str | None = None,
    unsubscribe_url: str | None = None,
    message_id: str | None = None,
) -> EmailMessage:
    """A multipart/alternative message; ``html_body`` comes from ``render``."""
    msg = EmailMessage(policy=POLICY)
    msg["From"] = sender
    msg["To"] = recipient
    msg["Subject"] = one_line(subject)
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg["Message-ID"] = message_id or new_message_id()
    msg["Content-Language"] = "nl-BE"
    footer_text = ""
    if manage_url and unsubscribe_url:
        msg["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        footer_text = f"\n\n--\nUw voorkeuren wijzigen: {manage_url}\nUitschrijven: {unsubscribe_url}\n"
    msg.set_content(text + footer_text)
    msg.add_alternative(
        render("layout.html", style=STYLE, inhoud=html_body, beheer=manage_url, afmelden=unsubscribe_url),
        subtype="html",
    )
    return msg
