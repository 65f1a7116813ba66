"""published/cooperations.csv: cooperations that public web pages name but the register lacks.

A source of its own kind: each row is what one page says (a cooperation, one member, the page and its date).
Name variants of one cooperation are grouped into one organisation with every written form kept as an
alternative name; the legal form is the one a page states ("rechtsvorm niet vermeld" otherwise); members written
under pre-2019 or pre-2025 names are resolved through the municipality lists and the postal localities; a
cooperation that the register or a layer already holds is linked to that record instead of doubled.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from igsatlas.domain import classifications as cls
from igsatlas.domain.model import (
    Classification,
    Family,
    ImportIssue,
    Membership,
    Municipality,
    Organisation,
    OrganisationName,
    Role,
    Status,
)
from igsatlas.domain.periods import plausible
from igsatlas.ingest.files import CsvRow, read_csv
from igsatlas.ingest.names import name_key
from igsatlas.ingest.problems import Problems

FILE = "published/cooperations.csv"
LOCALITIES_FILE = "places/localities.csv"
KEY = ("cooperation_name_as_published", "member_municipality", "source_url")
COLUMNS = (
    "cooperation_name_as_published",
    "legal_form_as_published",
    "member_municipality",
    "theme_if_stated",
    "evidence",
    "source_url",
    "source_date_if_any",
    "note",
)
ILV = Classification(
    code="interlokale-vereniging",
    label="Interlokale vereniging",
    family=Family.IGS,
    uri="http://data.vlaanderen.be/id/concept/BestuurseenheidClassificatieCode/3a2649ef-7345-4d3a-8709-f89fc9b44f58",
)
UNSTATED = Classification(code="rechtsvorm-niet-vermeld", label="Rechtsvorm niet vermeld", family=Family.IGS)
# A stated form -> the register's classification code (checked in this order).
STATED_FORMS = (
    ("interlokale vereniging", ILV.code),
    ("ilv", ILV.code),
    ("opdrachthoudende", "opdrachthoudende-vereniging"),
    ("projectvereniging", "projectvereniging"),
)
# A note that says the cooperation has ended, and the phrases that give the year.
_ENDED = re.compile(r"\b(historic|dissolved|opgeheven|ontbonden)\b", re.I)
_END_YEAR = (
    (re.compile(r"dissolved (?:in )?((?:19|20)\d\d)", re.I), 0),
    (re.compile(r"until ((?:19|20)\d\d)\W+historic", re.I), 1),
    (re.compile(r"before ((?:19|20)\d\d)", re.I), 0),
)
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_FORM_WORDS = re.compile(r"\b(interlokale vereniging|intergemeentelijk samenwerkingsverband|ilv|igs|voor)\b")


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def variant_key(name: str) -> str:
    """One written name without brackets, quotes and words that only state the form."""
    text = re.sub(r"\([^)]*\)", " ", _ascii(name))
    text = _FORM_WORDS.sub(" ", re.sub(r"['\"]", " ", text))
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


@dataclass
class Group:
    """One cooperation as the pages write it."""

    written: list[str] = field(default_factory=list)
    rows: list[CsvRow] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The most written full name, without the short forms after ' / '."""
        counts: dict[str, int] = defaultdict(int)
        for row in self.rows:
            counts[row["cooperation_name_as_published"].split(" / ")[0].strip()] += 1
        return max(sorted(counts), key=lambda n: counts[n])

    def classification(self) -> str:
        forms = " ".join(_ascii(r["legal_form_as_published"]) for r in self.rows)
        names = " ".join(_ascii(w) for w in self.written)
        for word, code in STATED_FORMS:
            if re.search(rf"\b{word}\b", forms) or (code == ILV.code and re.search(rf"\b{word}\b", names)):
                return code
        return UNSTATED.code


def group_rows(rows: list[CsvRow]) -> list[Group]:
    """Rows whose names share a written variant belong to one cooperation."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    for row in rows:
        keys = [variant_key(v) for v in row["cooperation_name_as_published"].split(" / ")]
        for key in keys[1:]:
            parent[find(key)] = find(keys[0])
        find(keys[0])
    groups: dict[str, Group] = defaultdict(Group)
    for row in rows:
        written = [v.strip() for v in row["cooperation_name_as_published"].split(" / ")]
        group = groups[find(variant_key(written[0]))]
        group.rows.append(row)
        group.written.extend(w for w in written if w not in group.written)
    return list(groups.values())


def page_day(text: str) -> date | None:
    """The page's date, or None when it gives none, or none that is a day between 1800 and 2200."""
    found = _DAY.match(text.strip())
    if not found:
        return None
    try:
        day = date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None
    return day if plausible(day) else None


def publisher(url: str) -> str:
    return urlsplit(url).netloc.removeprefix("www.") or url


@dataclass
class Resolver:
    """Municipality names as pages write them -> NIS code, through both sets and the postal localities."""

    by_name_2019: dict[str, str]
    by_name_2025: dict[str, str]
    by_locality: dict[str, str]

    @classmethod
    def build(cls_, municipalities: list[Municipality], localities: list[CsvRow]) -> Resolver:
        old: dict[str, str] = {}
        new: dict[str, str] = {}
        for m in municipalities:
            for name in filter(None, (m.name, m.name_statbel)):
                if m.in_set_2019_2024:
                    old.setdefault(name_key(name), m.nis)
                if m.in_set_2025:
                    new.setdefault(name_key(name), m.nis)
        places: dict[str, str] = {}
        for row in localities:
            places.setdefault(name_key(row["locality_nl"]), row["municipality_nis_2019"])
        return cls_(old, new, places)

    def nis(self, name: str, day: date | None) -> str | None:
        key = name_key(name)
        first, second = (
            (self.by_name_2025, self.by_name_2019)
            if day and day.year >= 2025
            else (
                self.by_name_2019,
                self.by_name_2025,
            )
        )
        return first.get(key) or second.get(key) or self.by_locality.get(key)


@dataclass
class Published:
    organisations: list[Organisation] = field(default_factory=list)
    names: list[OrganisationName] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    linked: dict[str, str] = field(default_factory=dict)  # group name -> existing organisation id
    rows_linked: int = 0
    rows_new: int = 0


def _ended(group: Group) -> tuple[bool, date | None]:
    """Whether a note says the cooperation has ended, and the end year's first day where it gives one."""
    for row in group.rows:
        note = row["note"]
        if _ENDED.search(note):
            for pattern, after in _END_YEAR:
                found = pattern.search(note)
                if found:
                    return True, date(int(found[1]) + after, 1, 1)
            return True, None
    return False, None


def _organisation(org_id: str, group: Group, classification: str) -> Organisation:
    ended, end = _ended(group)
    first = min(group.rows, key=lambda r: r.line)
    return Organisation.bare(
        org_id,
        group.name,
        classification,
        f"gepubliceerd op de website van {publisher(first['source_url'])}: {first['source_url']}",
        "published",
        status=Status.INACTIVE if ended else None,
        valid_to=end,
        source_date=page_day(first["source_date_if_any"]),
    )


@dataclass(frozen=True)
class Known:
    """A record a published cooperation may be: an organisation of the register or a layer's region."""

    organisation_id: str
    layer: str | None  # the layer of a region; None for an organisation of the register


# A word in a written name -> the layer whose region it names.
LAYER_HINTS = (("erfgoed", "erfgoedcel"), ("uitpas", "uitpas"), ("cultuur", "bovenlokale-cultuur"))


def _link(written: list[str], existing: dict[str, list[Known]]) -> str | None:
    """The one existing record the written names name: a layer hint decides between regions of one name."""
    for name in written:
        found = existing.get(name_key(name), [])
        hinted = [layer for word, layer in LAYER_HINTS if word in _ascii(name)]
        chosen = [k for k in found if k.layer in hinted] if hinted else [k for k in found if k.layer is None]
        if not chosen and not hinted and len({k.organisation_id for k in found}) == 1:
            chosen = found
        if len({k.organisation_id for k in chosen}) == 1:
            return chosen[0].organisation_id
    return None


def parse(
    data_dir: Path,
    municipalities: list[Municipality],
    existing: dict[str, list[Known]],
    municipality_orgs: dict[str, str | None],
    problems: Problems,
) -> Published:
    """``existing``: name key -> the register's and the layers' records of that name, for linking."""
    rows = list(read_csv(data_dir / FILE, FILE, COLUMNS, key=KEY))
    resolver = Resolver.build(
        municipalities,
        list(read_csv(data_dir / LOCALITIES_FILE, LOCALITIES_FILE, ("locality_nl", "municipality_nis_2019"))),
    )
    out = Published()
    for group in group_rows(rows):
        org_id = _link(group.written, existing)
        if org_id is None:
            org_id = f"gepubliceerd-{cls.slugify(group.name)[:60].strip('-')}"
            out.organisations.append(_organisation(org_id, group, group.classification()))
            out.rows_new += len(group.rows)
        else:
            out.linked[group.name] = org_id
            out.rows_linked += len(group.rows)
        for written in group.written:
            out.names.append(OrganisationName(org_id, written, "gepubliceerd", group.rows[0]["source_url"]))
        _members(group, org_id, resolver, municipality_orgs, out)
    return out


def _members(
    group: Group, org_id: str, resolver: Resolver, municipality_orgs: dict[str, str | None], out: Published
) -> None:
    seen: dict[str, Membership] = {}
    for row in group.rows:
        day = page_day(row["source_date_if_any"])
        written = row["member_municipality"].strip()
        nis = resolver.nis(written, day)
        member = municipality_orgs.get(nis or "")
        if nis is None or member is None:
            out.issues.append(
                ImportIssue(
                    f"published:{row.line}",
                    FILE,
                    row.line,
                    "unresolved-municipality",
                    f"{group.name}: {written!r} is not a Flemish municipality, former municipality or locality",
                )
            )
            continue
        host = publisher(row["source_url"])
        when = row["source_date_if_any"].strip() or "ongedateerd"
        proves = (
            "een ongedateerde pagina bewijst deelname ooit, niet vandaag"
            if day is None
            else f"bewijst deelname op {day.isoformat()}, niet dat ze vandaag nog loopt"
        )
        said = f"Gepubliceerd op de website van {host} ({when}); {proves}. Bron: {row['note']}".strip()
        if nis in seen:
            # The same member on a second page: one membership, both pages named.
            first = seen[nis]
            also = f"{first.note}\nOok gepubliceerd op {row['source_url']} ({when})."
            out.memberships[out.memberships.index(first)] = seen[nis] = dataclasses.replace(first, note=also)
            continue
        seen[nis] = Membership(
            id=f"gepubliceerd:{org_id}:{nis}",
            organisation_id=org_id,
            member_id=member,
            member_nis=nis,
            role=Role.PARTICIPANT if row["evidence"] != "mention" else Role.RELATED,
            valid_from=None,
            valid_to=None,
            source=row["source_url"],
            source_date=day,
            source_date_text=when,
            derived_from=None,
            layer_id=None,
            note=said,
            origin="published",
        )
        out.memberships.append(seen[nis])
