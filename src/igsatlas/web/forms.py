"""Reading the editing forms: dates, municipalities by name or NIS code, and the evidence every edit carries.
Every problem becomes a Dutch message naming the field, shown above the form with what was typed kept."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from anyio import from_thread
from starlette.datastructures import FormData
from starlette.requests import Request

from igsatlas.domain.edit_rules import day_problem
from igsatlas.domain.model import Municipality
from igsatlas.store.queries import fold


@dataclass
class FormErrors:
    messages: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.messages.setdefault(name, message)

    def __bool__(self) -> bool:
        return bool(self.messages)


async def _form(request: Request) -> FormData:
    return await request.form()


def read(request: Request) -> FormData:
    """The request's form, read from a handler in the thread pool (the body is read on the event loop)."""
    return from_thread.run(_form, request)


def text(form: Mapping[str, object], name: str, limit: int = 500) -> str:
    return str(form.get(name) or "").strip()[:limit]


def day(form: Mapping[str, object], name: str, label: str, errors: FormErrors) -> date | None:
    value = text(form, name, 20)
    if not value:
        return None
    try:
        found = date.fromisoformat(value)
    except ValueError:
        errors.add(name, f"{label}: '{value}' is geen datum; gebruik JJJJ-MM-DD.")
        return None
    problem = day_problem(found, label)
    if problem:
        errors.add(name, problem)
        return None
    return found


def url(form: Mapping[str, object], name: str, label: str, errors: FormErrors) -> str | None:
    value = text(form, name, 1000)
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        errors.add(name, f"{label}: geef een volledig webadres dat begint met https://.")
        return None
    return value


@dataclass(frozen=True)
class Evidence:
    url: str | None
    day: date | None
    note: str | None


def evidence(form: Mapping[str, object], errors: FormErrors, *, required: bool = True) -> Evidence:
    found = Evidence(
        url(form, "bewijs_url", "Bewijs", errors),
        day(form, "bewijs_datum", "Datum van het bewijs", errors),
        text(form, "bewijs_toelichting", 2000) or None,
    )
    if required and not found.url and "bewijs_url" not in errors.messages:
        errors.add(
            "bewijs_url",
            "Bewijs: geef het adres van het gemeenteraadsbesluit, de publicatie in het Belgisch Staatsblad "
            "of de statuten.",
        )
    return found


def municipality(
    value: str, municipalities: list[Municipality], on: date, label: str, errors: FormErrors, name: str
) -> Municipality | None:
    """A municipality by NIS code or name; a name shared over time resolves to the one of ``on``."""
    value = value.strip()
    if not value:
        return None
    wanted = fold(value.split(" (")[0])
    found = [m for m in municipalities if m.nis == value] or [
        m for m in municipalities if fold(m.name) == wanted or fold(m.name_statbel or "") == wanted
    ]
    if not found:
        errors.add(name, f"{label}: '{value}' is geen gemeente; kies een naam uit de lijst of geef een NIS-code.")
        return None
    on_day = [m for m in found if m.period.contains(on)]
    return (on_day or found)[0]
