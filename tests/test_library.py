"""The small library API: open an atlas, ask it questions, get typed objects back."""

from __future__ import annotations

from datetime import date

import pytest

from igsatlas import open_atlas
from igsatlas.domain.model import Municipality, Organisation
from igsatlas.domain.relations import Involvement
from igsatlas.errors import DatabaseError, NotFoundError


def test_open_and_ask(imported_url: str) -> None:
    with open_atlas(imported_url) as atlas:
        gent = atlas.municipality("Gent", on=date(2025, 6, 1))
        assert isinstance(gent, Municipality) and gent.nis == "44021"
        cooperations = atlas.cooperations("44021", on=date(2025, 6, 1))
        assert all(isinstance(c, Involvement) for c in cooperations)
        assert "Imewo" in {c.organisation.name for c in cooperations}
        interleuven = atlas.organisation("Interleuven")
        assert isinstance(interleuven, Organisation) and interleuven.kbo == "0205774810"
        assert {r.key for r in atlas.regions("referentieregio")} >= {"regio-gent", "limburg"}
        with pytest.raises(NotFoundError) as info:
            atlas.regions("regenboog")
        assert info.value.code == "layer-not-found"


def test_an_empty_database_says_to_import(database_url: str) -> None:
    with pytest.raises(DatabaseError) as info:
        open_atlas(database_url)
    assert info.value.code == "database-empty"
    assert "igs import" in (info.value.hint or "")
