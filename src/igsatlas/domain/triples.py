"""A fact as the Organisatieportaal's stream says it: subject, predicate, object, its datatype and language, with
terms normalised by ingest/changesets.py so that equal facts compare equal."""

from __future__ import annotations

import hashlib
from typing import NamedTuple

IRI = "@id"  # the datatype column of an IRI object


class Triple(NamedTuple):
    subject: str
    predicate: str
    object: str
    datatype: str  # IRI for an IRI object, "" for a plain literal, else the datatype's IRI
    lang: str = ""

    @property
    def key(self) -> str:
        """Equal for equal facts, whatever their language tag (deletes match on the rest)."""
        text = f"{self.subject}\x00{self.predicate}\x00{self.object}\x00{self.datatype}"
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()

    @property
    def ref(self) -> str | None:
        return self.object if self.datatype == IRI else None
