"""Tables of the register and of its history. Column names equal the field names of the dataclasses in
domain/model.py. The other subjects' tables share `metadata`: edits and accounts (schema_editing.py), subscriptions
and mail (schema_subscriptions.py), what outside sources said (schema_sources.py)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

# The tables of the other subjects join `metadata` in their own modules; importing them here makes the metadata
# whole for every reader of this module (the migrations, the content digest): take `metadata` from here.
from igsatlas.store import schema_editing, schema_sources, schema_subscriptions  # noqa: F401
from igsatlas.store.metadata import metadata as metadata

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

classification = Table(
    "classification",
    metadata,
    Column("code", String(80), primary_key=True),
    Column("label", Text, nullable=False),
    Column("family", String(32), nullable=False),
    Column("uri", Text),
)

layer = Table(
    "layer",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("description", Text, nullable=False),
    Column("legal_basis", Text),
    Column("n_regions", Integer, nullable=False),
    Column("n_municipalities", Integer, nullable=False),
    Column("n_rows", Integer, nullable=False),
    Column("unresolved_rows", Integer, nullable=False),
    Column("count_scope", Text, nullable=False),
    Column("sources", Text, nullable=False),
    Column("completeness_note", Text, nullable=False),
    Column("complete", Boolean, nullable=False),
    # The same for the public, in Dutch (regions/layers.csv); empty in data releases before they came.
    Column("naam", Text),
    Column("beschrijving", Text),
    Column("rechtsgrond", Text),
    Column("volledigheid", Text),
)

organisation = Table(
    "organisation",
    metadata,
    Column("id", String(80), primary_key=True),
    Column("slug", String(120), nullable=False, unique=True),
    Column("uri", Text, unique=True),
    Column("name", Text, nullable=False),
    Column("legal_name", Text),
    Column("classification", String(80), ForeignKey("classification.code"), nullable=False),
    Column("status", String(16)),
    Column("kbo", String(10)),
    Column("kbo_note", Text),
    Column("ovo", String(16)),
    Column("nis", String(5)),
    Column("street", Text),
    Column("house_number", Text),
    Column("box", Text),
    Column("postcode", String(8)),
    Column("address_municipality", Text),
    Column("address_province", Text),
    Column("country", Text),
    Column("full_address", Text),
    Column("phone", Text),
    Column("email", Text),
    Column("website", Text),
    Column("werkingsgebied", Text),
    Column("werkingsgebied_level", Text),
    Column("valid_from", Date),
    Column("valid_to", Date),
    Column("source", Text, nullable=False),
    Column("source_date", Date),
    Column("founding_date", Date),
    Column("planned_end_date", Date),
    Column("origin", Text, nullable=False, server_default="import"),
)
Index("ix_organisation_classification", organisation.c.classification)
Index("ix_organisation_kbo", organisation.c.kbo)

organisation_name = Table(
    "organisation_name",
    metadata,
    Column("organisation_id", String(80), ForeignKey("organisation.id"), primary_key=True),
    Column("name", Text, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("source", Text, nullable=False),
)

region = Table(
    "region",
    metadata,
    Column("layer_id", String(64), ForeignKey("layer.id"), primary_key=True),
    Column("key", String(80), primary_key=True),
    Column("name", Text, nullable=False),
    Column("organisation_id", String(80), ForeignKey("organisation.id"), nullable=False),
    Column("linked", Boolean, nullable=False),
)
Index("ix_region_organisation", region.c.organisation_id)

municipality = Table(
    "municipality",
    metadata,
    Column("nis", String(5), primary_key=True),
    Column("slug", String(120), nullable=False),
    Column("name", Text, nullable=False),
    Column("province", Text),
    Column("region", String(16), nullable=False),
    Column("valid_from", Date),
    Column("valid_to", Date),
    Column("successor_nis", String(5)),
    Column("organisation_id", String(80), ForeignKey("organisation.id")),
    Column("in_set_2019_2024", Boolean, nullable=False),
    Column("in_set_2025", Boolean, nullable=False),
    Column("name_statbel", Text),
    Column("source", Text, nullable=False),
)
Index("ix_municipality_organisation", municipality.c.organisation_id)
Index("ix_municipality_slug", municipality.c.slug)

membership = Table(
    "membership",
    metadata,
    Column("id", String(160), primary_key=True),
    Column("organisation_id", String(80), ForeignKey("organisation.id"), nullable=False),
    Column("member_id", String(80), ForeignKey("organisation.id"), nullable=False),
    Column("member_nis", String(5), ForeignKey("municipality.nis")),
    Column("role", String(16), nullable=False),
    Column("valid_from", Date),
    Column("valid_to", Date),
    Column("source", Text, nullable=False),
    Column("source_date", Date),
    Column("source_date_text", Text),
    Column("derived_from", String(160)),
    Column("layer_id", String(64), ForeignKey("layer.id")),
    Column("note", Text),
    Column("origin", Text, nullable=False, server_default="import"),
)
Index("ix_membership_organisation", membership.c.organisation_id)
Index("ix_membership_member", membership.c.member_id)

change_event = Table(
    "change_event",
    metadata,
    Column("id", String(80), primary_key=True),
    Column("uri", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("date", Date),
    Column("description", Text),
)

change_event_party = Table(
    "change_event_party",
    metadata,
    Column("event_id", String(80), ForeignKey("change_event.id"), primary_key=True),
    Column("organisation_id", String(80), ForeignKey("organisation.id"), primary_key=True),
    Column("side", String(8), primary_key=True),
    Column("resulting_status", String(16)),
)

boundary = Table(
    "boundary",
    metadata,
    Column("kind", String(16), primary_key=True),
    Column("vintage", String(8), primary_key=True),
    Column("code", String(8), primary_key=True),
    Column("name", Text, nullable=False),
    Column("svg_path", Text, nullable=False),
    Column("geojson", Text, nullable=False),
    Column("min_x", Float, nullable=False),
    Column("min_y", Float, nullable=False),
    Column("max_x", Float, nullable=False),
    Column("max_y", Float, nullable=False),
)

population = Table(
    "population",
    metadata,
    Column("nis", String(5), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("inhabitants", Integer, nullable=False),
    Column("source", Text, nullable=False),
)

locality = Table(
    "locality",
    metadata,
    Column("postcode", String(4), primary_key=True),
    Column("name", String(120), primary_key=True),
    Column("nis_2025", String(5), nullable=False),
    Column("nis_2019", String(5), nullable=False),
    Column("source", Text, nullable=False),
)

theme = Table(
    "theme",
    metadata,
    Column("uri", String(120), primary_key=True),
    Column("label", Text, nullable=False),
)

organisation_theme = Table(
    "organisation_theme",
    metadata,
    Column("organisation_id", String(80), ForeignKey("organisation.id"), primary_key=True),
    Column("theme_uri", String(120), ForeignKey("theme.uri"), primary_key=True),
    Column("evidence_type", String(16), nullable=False),
    Column("evidence", Text),
    Column("source", Text),
    Column("source_date_text", Text),
)

import_issue = Table(
    "import_issue",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("source", Text, nullable=False),
    Column("line", Integer),
    Column("code", String(64), nullable=False),
    Column("message", Text, nullable=False),
)

# The change log of every write, an import's or an accepted edit's: the register's history. An import never
# deletes its rows.
change_log = Table(
    "change_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("batch", String(32), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("entity", String(32), nullable=False),
    Column("entity_key", Text, nullable=False),
    Column("action", String(8), nullable=False),  # insert, update, delete
    Column("field", String(64)),
    Column("old_value", Text),
    Column("new_value", Text),
    Column("source", Text, nullable=False),  # the file or page of an import, or edit:<id>
    Column("record", Text),  # the record in that source (URI, line, membership id)
    Column("organisation_id", String(80)),  # whose history the entry belongs to: the organisation ...
    Column("member_id", String(80)),  # ... and, for a membership, the member
)
Index("ix_change_log_entity", change_log.c.entity, change_log.c.entity_key)
Index("ix_change_log_organisation", change_log.c.organisation_id)
Index("ix_change_log_member", change_log.c.member_id)
Index("ix_change_log_at", change_log.c.at)  # the registration clock rewinds what was logged after a moment

# Every slug an organisation ever had (its current one too), so that an old address answers 301 to the current
# one. Kept across imports (not a content table): an address once published stays an address.
organisation_slug = Table(
    "organisation_slug",
    metadata,
    Column("slug", String(120), primary_key=True),
    Column("organisation_id", String(80), nullable=False),
    Column("recorded_at", DateTime, nullable=False),
)

# Write order (parents before children); deletes run in the reverse order.
CONTENT_TABLES: tuple[Table, ...] = (
    classification,
    layer,
    organisation,
    organisation_name,
    region,
    municipality,
    membership,
    change_event,
    change_event_party,
    boundary,
    population,
    locality,
    theme,
    organisation_theme,
    import_issue,
)
