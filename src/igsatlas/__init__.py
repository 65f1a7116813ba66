"""IGS-atlas: the open register, atlas and guide of intermunicipal cooperation in Flanders.

The small public API::

    from igsatlas import open_atlas
    with open_atlas() as atlas:
        gent = atlas.municipality("Gent")
        for c in atlas.cooperations(gent.nis, on=date(2025, 6, 1)):
            print(c.organisation.name, c.organisation.classification_label, c.role)
"""

from igsatlas.atlas import Atlas, open_atlas

__all__ = ["Atlas", "open_atlas"]
__version__ = "0.1.0"
