"""Old addresses of renamed organisations: any address under /samenwerkingsverbanden/ or /organisaties/ whose
slug the organisation once had answers 301 to the same address (suffix, sub-page and query kept) under its
current slug, for every page, twin and feed at once (store/slugs.py keeps the history)."""

from __future__ import annotations

import re

from sqlalchemy import Engine

from igsatlas.documents.common import organisation_url
from igsatlas.store import slugs

ADDRESS = re.compile(r"^/(?:samenwerkingsverbanden|organisaties)/(?P<slug>[^/.]+)(?P<rest>(?:\.[a-z]+|/wijzig)?)$")


def current_address(engine: Engine, path: str, query: str) -> str | None:
    """Where an organisation's old address now lives, or None."""
    found = ADDRESS.match(path)
    if found is None:
        return None
    with engine.connect() as conn:
        org = slugs.moved(conn, found["slug"])
    if org is None:
        return None
    return organisation_url(org) + found["rest"] + (f"?{query}" if query else "")
