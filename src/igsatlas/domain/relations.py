"""Answers about relations on a given day: what a municipality takes part in, who is a member of what."""

from __future__ import annotations

from dataclasses import dataclass

from igsatlas.domain.model import Classification, Membership, Municipality, Organisation, Region


@dataclass(frozen=True)
class Involvement:
    """One membership of a municipality (or its LBLOD gemeente) in an organisation or layer region."""

    organisation: Organisation
    classification: Classification
    membership: Membership
    region: Region | None  # set when the organisation is a region of the membership's layer

    @property
    def derived(self) -> bool:
        return self.membership.derived_from is not None


@dataclass(frozen=True)
class Member:
    """A member of an organisation on a day; ``municipality`` is set for a gemeente (as it was that day)."""

    organisation: Organisation
    municipality: Municipality | None
    membership: Membership
