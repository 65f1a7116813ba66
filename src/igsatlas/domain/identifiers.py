"""Identifiers: KBO numbers (with their mod-97 check) and NIS codes."""

from __future__ import annotations

import hashlib
import re

_NON_DIGITS = re.compile(r"\D")


def normalise_kbo(text: str) -> str:
    """Digits only, with a leading 0 added to the old 9-digit form ('0207.524.471' -> '0207524471')."""
    digits = _NON_DIGITS.sub("", text)
    if len(digits) == 9:
        digits = "0" + digits
    return digits


def kbo_is_valid(text: str) -> bool:
    """A KBO (enterprise) number: 10 digits, first 0 or 1, last two = 97 - (first eight mod 97)."""
    digits = normalise_kbo(text)
    if len(digits) != 10 or digits[0] not in "01":
        return False
    return 97 - int(digits[:8]) % 97 == int(digits[8:])


def establishment_number_is_valid(text: str) -> bool:
    """A KBO establishment-unit number (vestigingseenheidsnummer): 10 digits, first 2-8, same mod-97 check."""
    digits = normalise_kbo(text)
    if len(digits) != 10 or digits[0] not in "2345678":
        return False
    return 97 - int(digits[:8]) % 97 == int(digits[8:])


def format_kbo(text: str) -> str:
    """The usual written form: 0207.524.471."""
    d = normalise_kbo(text)
    return f"{d[:4]}.{d[4:7]}.{d[7:]}" if len(d) == 10 else text


_NIS = re.compile(r"^[1-9]\d{4}$")


def nis_is_valid(text: str) -> bool:
    """A municipal NIS (REFNIS) code: five digits, not starting with 0."""
    return bool(_NIS.match(text))


# The longest organisation id the schema holds (store/schema.py: String(80)).
ORGANISATION_ID_LENGTH = 80


def bounded_id(text: str, limit: int = ORGANISATION_ID_LENGTH) -> str:
    """An id made from a name that fits its column: unchanged when short enough, else cut at a word boundary and
    ended with eight hex digits of the whole id's hash, so that two long ids with the same start stay apart and
    the same name always gives the same id."""
    if len(text) <= limit:
        return text
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    head = text[: limit - len(digest) - 1]
    head = head.rsplit("-", 1)[0] if "-" in head[limit // 2 :] else head
    return f"{head.rstrip('-')}-{digest}"
