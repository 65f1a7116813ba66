"""The server's access log keeps no personal data: not the visitor's IP address and port (written as ``-``), and
not the values of query parameters that carry a mail address or a mail link's token (``email``, ``token``, written
as ``…``; an old link or a hand-typed URL may still carry one, even though no form of the site sends them by
GET). What stays is what an operator needs: method, path, protocol and status."""

from __future__ import annotations

import logging
import re

PERSONAL = re.compile(r"([?&](?:email|token)=)[^&\s]*", re.IGNORECASE)


def scrub(path: str) -> str:
    return PERSONAL.sub(r"\1…", path)


class PersonalParameters(logging.Filter):
    """For uvicorn's access logger, whose arguments are (client, method, path with query, version, status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = ("-", args[1], scrub(args[2]), *args[3:])
        return True


def install() -> None:
    """Scrub uvicorn's access log of this process (once)."""
    logger = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, PersonalParameters) for f in logger.filters):
        logger.addFilter(PersonalParameters())
