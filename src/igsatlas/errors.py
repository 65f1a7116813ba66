"""One error hierarchy. Every error has a stable code and an HTTP status.

The CLI prints ``error [code] location: message`` followed by what to do next; the JSON API returns
``{"error": {"code": ..., "message": ..., "hint": ...}}``; pages show a Dutch error page.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where in an input something went wrong: a file, and a line or record within it."""

    file: str
    line: int | None = None
    record: str | None = None

    def __str__(self) -> str:
        text = self.file
        if self.line is not None:
            text += f" line {self.line}"
        if self.record:
            text += f" ({self.record})"
        return text


class AtlasError(Exception):
    """Base of every error IGS-atlas raises on purpose."""

    code = "atlas-error"
    http_status = 500

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        hint: str | None = None,
        location: Location | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.hint = hint
        self.location = location

    def __reduce__(self) -> tuple[object, ...]:
        """Keep code, hint and location when an error crosses a process boundary."""
        return (_rebuild, (type(self), self.message, self.code, self.hint, self.location))

    def render(self) -> str:
        where = f" {self.location}:" if self.location else ""
        text = f"error [{self.code}]{where} {self.message}"
        if self.hint:
            text += f"\n{self.hint}"
        return text

    def as_json(self) -> dict[str, object]:
        body: dict[str, object] = {"code": self.code, "message": self.message, "status": self.http_status}
        if self.hint:
            body["hint"] = self.hint
        if self.location:
            body["location"] = str(self.location)
        return {"error": body}


def _rebuild(cls: type[AtlasError], message: str, code: str, hint: str | None, location: Location | None) -> AtlasError:
    return cls(message, code=code, hint=hint, location=location)


class ConfigError(AtlasError):
    code = "invalid-setting"
    http_status = 500


class InputError(AtlasError):
    """An input file the importer cannot understand. Raised before anything is written."""

    code = "invalid-input"
    http_status = 422


class NotFoundError(AtlasError):
    code = "not-found"
    http_status = 404


class InvalidArgumentError(AtlasError):
    code = "invalid-argument"
    http_status = 400


def invalid_day(name: str, text: str) -> InvalidArgumentError:
    """The one answer of pages and API to a day parameter that is not YYYY-MM-DD."""
    return InvalidArgumentError(
        f"?{name}={text} is geen geldige dag.", code="invalid-day", hint="Gebruik de vorm JJJJ-MM-DD, bv. 2024-06-30."
    )


class DatabaseError(AtlasError):
    code = "database-error"
    http_status = 503


class ForbiddenError(AtlasError):
    """The request is not allowed for this visitor (not signed in, out of scope, missing form token)."""

    code = "forbidden"
    http_status = 403


class TooManyRequestsError(AtlasError):
    code = "too-many-requests"
    http_status = 429


class ConflictError(AtlasError):
    """A write that lost a race: someone else changed the thing first (nothing was written)."""

    code = "conflict"
    http_status = 409


class UriTooLongError(AtlasError):
    code = "uri-too-long"
    http_status = 414


class MethodNotAllowedError(AtlasError):
    code = "method-not-allowed"
    http_status = 405


class SourceError(AtlasError):
    """A remote source (the Organisatieportaal's delta stream) answered wrongly or not at all."""

    code = "source-unavailable"
    http_status = 502
