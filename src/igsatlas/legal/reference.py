"""The legal-form reference (reference/legal-forms.json): every fact with its articles, sources and confidence.

A fact whose articles are all unconfirmed is shown as 'artikel niet bevestigd', never as certain law.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from igsatlas.errors import InputError, Location

FILE = "legal-forms.json"
CONFIDENCES = ("high", "medium", "low")
CONFIDENCE_NL = {"high": "hoog", "medium": "middel", "low": "laag"}

# Classification of the register -> form of the reference.
FORM_OF_CLASSIFICATION = {
    "interlokale-vereniging": "interlokale_vereniging",
    "projectvereniging": "projectvereniging",
    "dienstverlenende-vereniging": "dienstverlenende_vereniging",
    "opdrachthoudende-vereniging": "opdrachthoudende_vereniging",
    "opdrachthoudende-vereniging-met-private-deelname": "ov_private_deelname",
    "welzijnsvereniging": "welzijnsvereniging",
    "autonome-verzorgingsinstelling": "autonome_verzorgingsinstelling",
    "vereniging-of-vennootschap-voor-sociale-dienstverlening": "private_ocmw_associations",
    "woonzorgvereniging-of-woonzorgvennootschap": "private_ocmw_associations",
    "ziekenhuisvereniging": "private_ocmw_associations",
    "vereniging-algemeen": "private_ocmw_associations",
    "autonoom-gemeentebedrijf": "agb",
}


@dataclass(frozen=True)
class Ref:
    article: str
    law: str
    confirmed: bool

    @property
    def known(self) -> bool:
        """Does the reference name an article ("n.c.": the sources name the law only)?"""
        return self.article != "n.c."

    def label(self, *, flag: bool = True) -> str:
        """The reference in words; ``flag``: say "(artikel niet bevestigd)" of an unconfirmed article (a page that
        shows that once per fact passes False). An unknown article is never also called unconfirmed."""
        text = f"art. {self.article} {self.law}" if self.known else f"{self.law}, artikel niet gekend"
        if self.law == "DIS":
            text += " (opgeheven decreet van 2001, ter vergelijking)"
        return text if self.confirmed or not self.known or not flag else f"{text} (artikel niet bevestigd)"


@dataclass(frozen=True)
class Fact:
    value: Any
    refs: tuple[Ref, ...]
    sources: tuple[str, ...]
    confidence: str
    note: str | None

    @property
    def confirmed(self) -> bool:
        """True when an article of current law (not the repealed DIS) is confirmed for this fact."""
        return any(r.confirmed and r.law != "DIS" for r in self.refs)


@dataclass(frozen=True)
class Form:
    id: str
    name: str
    category: str
    facts: dict[str, Fact]

    def fact(self, key: str) -> Fact | None:
        return self.facts.get(key)


@dataclass(frozen=True)
class Reference:
    forms: dict[str, Form]
    sources: dict[str, tuple[str, ...]]
    regiodecreet: dict[str, Any]
    sector: dict[str, Any]
    status: str


def _fail(path: Path, field: str, problem: str) -> InputError:
    return InputError(
        f"{field}: {problem}",
        code="invalid-reference",
        location=Location(str(path)),
        hint="Use the legal-forms.json of the shared reference folder (IGSATLAS_REFERENCE_DIR).",
    )


def _fact(path: Path, where: str, raw: Any) -> Fact:
    if not isinstance(raw, dict) or "value" not in raw:
        raise _fail(path, where, "a fact needs a value")
    refs = []
    for i, r in enumerate(raw.get("refs") or []):
        try:
            refs.append(Ref(str(r["article"]), str(r["law"]), bool(r["article_confirmed"])))
        except (KeyError, TypeError):
            raise _fail(path, f"{where}.refs[{i}]", "needs article, law and article_confirmed") from None
    confidence = raw.get("confidence", "low")
    if confidence not in CONFIDENCES:
        raise _fail(path, f"{where}.confidence", f"{confidence!r} is not one of {', '.join(CONFIDENCES)}")
    return Fact(raw["value"], tuple(refs), tuple(raw.get("sources") or ()), confidence, raw.get("note"))


def parse(path: Path) -> Reference:
    try:
        doc = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise InputError(
            "the legal reference is missing.",
            code="missing-file",
            location=Location(str(path)),
            hint="Set IGSATLAS_REFERENCE_DIR to the folder with legal-forms.json (default ../shared/reference).",
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _fail(path, "file", f"not valid UTF-8 JSON ({exc})") from exc
    forms = {}
    for i, raw in enumerate(doc.get("forms") or []):
        if "id" not in raw or "name_nl" not in raw:
            raise _fail(path, f"forms[{i}]", "needs id and name_nl")
        facts = {
            key: _fact(path, f"forms[{raw['id']}].{key}", value)
            for key, value in raw.items()
            if isinstance(value, dict) and "value" in value
        }
        forms[raw["id"]] = Form(raw["id"], raw["name_nl"], raw.get("category", ""), facts)
    if not forms:
        raise _fail(path, "forms", "no legal forms found")
    sources = {k: tuple(v) if isinstance(v, list) else (str(v),) for k, v in (doc.get("sources") or {}).items()}
    return Reference(
        forms, sources, doc.get("regiodecreet") or {}, doc.get("sector_decrees") or {}, doc.get("status", "")
    )


@lru_cache(maxsize=4)
def load(reference_dir: Path) -> Reference:
    return parse(reference_dir / FILE)
