"""Collecting record-level problems: stop on the first, or (with --skip-invalid) reject and go on."""

from __future__ import annotations

from dataclasses import dataclass, field

from igsatlas.errors import InputError, Location


@dataclass(frozen=True)
class Reject:
    kind: str  # the kind of record: "organisation", "membership", ...
    code: str
    location: Location
    message: str

    def render(self) -> str:
        return f"[{self.code}] {self.location}: {self.message}"


@dataclass
class Problems:
    skip_invalid: bool = False
    rejects: list[Reject] = field(default_factory=list)

    def reject(self, kind: str, code: str, location: Location, message: str, hint: str) -> None:
        """Record a record that cannot be imported. Without --skip-invalid this stops the import."""
        if not self.skip_invalid:
            raise InputError(
                message,
                code=code,
                location=location,
                hint=f"{hint}\nNothing was imported. Fix the file, or pass --skip-invalid to import the rest "
                "and list the rejected records.",
            )
        self.rejects.append(Reject(kind, code, location, message))

    def count(self, kind: str) -> int:
        return sum(1 for r in self.rejects if r.kind == kind)
