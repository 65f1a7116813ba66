"""Postal localities (places/localities.csv): every deelgemeente with its postcode and its municipality on both
maps, so that a search for the village someone lives in finds their municipality."""

from __future__ import annotations

from pathlib import Path

from igsatlas.domain.model import Locality
from igsatlas.errors import Location
from igsatlas.ingest.files import read_csv
from igsatlas.ingest.problems import Problems

FILE = "places/localities.csv"
COLUMNS = ("postcode", "locality_nl", "municipality_nis_2025", "municipality_nis_2019")
SOURCE = "bpost-postcodelijst (via jief/zipcode-belgium, 2017)"


def parse(data_dir: Path, known_nis: set[str], problems: Problems) -> list[Locality]:
    out: dict[tuple[str, str], Locality] = {}
    for row in read_csv(data_dir / FILE, FILE, COLUMNS, key=("postcode", "locality_nl")):
        name, postcode = row["locality_nl"].strip(), row["postcode"].strip()
        nis25, nis19 = row["municipality_nis_2025"].strip(), row["municipality_nis_2019"].strip()
        unknown = next((n for n in (nis25, nis19) if n not in known_nis), None)
        if not name or not postcode.isdigit() or unknown is not None:
            problems.reject(
                "locality",
                "invalid-locality",
                Location(FILE, row.line),
                f"the locality {name!r} ({postcode!r}) "
                + (
                    f"names NIS code {unknown!r}, which is no municipality." if unknown else "lacks a name or postcode."
                ),
                "Use the localities file of the same data release as regions/municipalities.csv.",
            )
            continue
        out[(postcode, name)] = Locality(postcode, name, nis25, nis19, SOURCE)
    return sorted(out.values(), key=lambda x: (x.postcode, x.name))
