"""themes/: the register's 32 policy themes, and the themes of the active IGS with their evidence."""

from __future__ import annotations

from pathlib import Path

from igsatlas.domain import theme_rules
from igsatlas.domain.model import Classification, Family, Layer, Organisation, OrganisationTheme, Region, Theme
from igsatlas.errors import Location
from igsatlas.ingest.files import read_csv
from igsatlas.ingest.problems import Problems

THEMES_FILE = "themes/themes.csv"
IGS_THEMES_FILE = "themes/igs-themes.csv"
IGS_COLUMNS = ("igs_uri", "igs_label", "theme_uri", "theme_label", "evidence_type", "evidence", "source", "as_of")


def parse(
    data_dir: Path, org_by_uri: dict[str, str], problems: Problems
) -> tuple[list[Theme], list[OrganisationTheme]]:
    themes = [
        Theme(r["theme_uri"].strip(), r["theme_label"].strip())
        for r in read_csv(data_dir / THEMES_FILE, THEMES_FILE, ("theme_uri", "theme_label"), key=("theme_uri",))
    ]
    known = {t.uri for t in themes}
    out: dict[tuple[str, str], OrganisationTheme] = {}
    for row in read_csv(data_dir / IGS_THEMES_FILE, IGS_THEMES_FILE, IGS_COLUMNS, key=("igs_uri", "theme_uri")):
        kind, theme_uri = row["evidence_type"].strip(), row["theme_uri"].strip()
        where = Location(IGS_THEMES_FILE, row.line, row["igs_label"])
        if kind == "none" and not theme_uri:
            continue
        org = org_by_uri.get(row["igs_uri"].strip())
        if org is None:
            problems.reject(
                "theme",
                "dangling-reference",
                where,
                f"igs_uri <{row['igs_uri']}> is not an organisation in LBLOD.",
                "Use the URI of the organisation as lblod/organisations.nt.gz writes it.",
            )
            continue
        if theme_uri not in known or kind not in ("source", "name"):
            problems.reject(
                "theme",
                "unknown-theme",
                where,
                f"theme {theme_uri!r} (evidence {kind!r}) is not in {THEMES_FILE}, or the evidence is unknown.",
                f"Use a theme_uri from {THEMES_FILE} and evidence_type source, name or none.",
            )
            continue
        out[(org, theme_uri)] = OrganisationTheme(
            organisation_id=org,
            theme_uri=theme_uri,
            evidence_type=kind,
            evidence=row["evidence"].strip() or None,
            source=row["source"].strip() or None,
            source_date_text=row["as_of"].strip() or None,
        )
    return themes, list(out.values())


def derived(
    themes: list[Theme],
    given: list[OrganisationTheme],
    organisations: list[Organisation],
    classifications: list[Classification],
    regions: list[Region],
    layers: list[Layer],
) -> list[OrganisationTheme]:
    """The themes the atlas's rules derive (domain/theme_rules.py) for the IGS and OCMW associations that
    igs-themes.csv gives none."""
    kinds = {c.code: c for c in classifications}
    titles = {x.id: x.naam or x.id for x in layers}
    themed = {t.organisation_id for t in given}
    regions_of: dict[str, list[tuple[str, str, str]]] = {}
    for r in regions:
        if r.linked:
            regions_of.setdefault(r.organisation_id, []).append(
                (r.layer_id, titles.get(r.layer_id, r.layer_id), r.name)
            )
    cooperations = [
        theme_rules.Cooperation(
            o.id,
            o.name,
            o.classification,
            kinds[o.classification].label,
            tuple(sorted(regions_of.get(o.id, []))),
        )
        for o in organisations
        if o.id not in themed
        and o.classification in kinds
        and kinds[o.classification].family in (Family.IGS, Family.OCMW_ASSOCIATION)
    ]
    return theme_rules.derive(cooperations, {t.label: t.uri for t in themes})
