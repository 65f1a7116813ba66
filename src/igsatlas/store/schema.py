"""Tables of the register. Column names equal the field names of the dataclasses in domain/model.py."""

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
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

metadata = MetaData()

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

# What people add: edits (proposals and reports), the accounts that make and review them, their sessions,
# and the change log of every write. An import never deletes a row of these tables.

edit = Table(
    "edit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("target_kind", String(16), nullable=False),  # organisatie, lidmaatschap, gemeente, laag
    Column("target_id", String(160)),
    Column("payload", Text, nullable=False),  # JSON: the proposed facts
    Column("base", Text),  # JSON: the imported values the proposal was made against
    Column("evidence_url", Text),
    Column("evidence_date", Date),
    Column("evidence_note", Text),
    Column("author_id", Integer, ForeignKey("account.id")),
    Column("reporter_email", Text),  # a report's optional address: shown to reviewers only
    Column("state", String(16), nullable=False),  # ingediend, aanvaard, afgewezen, ingetrokken
    Column("reviewer_id", Integer, ForeignKey("account.id")),
    Column("review_reason", Text),
    Column("conflict", Text),  # JSON: a later import changed a fact this accepted edit also changed
    Column("created_at", DateTime, nullable=False),
    Column("reviewed_at", DateTime),
)
Index("ix_edit_state", edit.c.state)
Index("ix_edit_target", edit.c.target_kind, edit.c.target_id)

account = Table(
    "account",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", Text, nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("role", String(16), nullable=False),  # redacteur, eindredacteur, beheerder
    Column("scope", Text, nullable=False),  # JSON list of NIS codes and organisation ids; ["*"] for all
    Column("active", Boolean, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

session = Table(
    "session",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("account_id", Integer, ForeignKey("account.id"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("last_seen", DateTime, nullable=False),
)

throttle = Table(
    "throttle",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("window_start", DateTime, nullable=False),
    Column("count", Integer, nullable=False),
)

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

# Following the register: subscribers (double opt-in), what they follow, the outbox of mail, and the editorial
# newsletter's issues. An unsubscribe deletes the subscriber, its subscriptions and the addresses in its mail.

subscriber = Table(
    "subscriber",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", Text, nullable=False, unique=True),
    Column("newsletter", Boolean, nullable=False),  # the editorial newsletter
    Column("frequency", String(16), nullable=False),  # direct, wekelijks
    Column("confirmed_at", DateTime),
    Column("nonce", String(32)),  # the pending confirmation's single-use part
    Column("secret", String(32), nullable=False),  # part of every manage and unsubscribe link
    Column("refused", Text),  # a permanent rejection by the receiving server: no more mail
    Column("last_log_id", Integer, nullable=False),  # alerts were sent up to this change-log entry
    Column("last_alert_at", DateTime),
    Column("created_at", DateTime, nullable=False),
)

subscription = Table(
    "subscription",
    metadata,
    Column("subscriber_id", Integer, ForeignKey("subscriber.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(16), primary_key=True),  # gemeente, organisatie, laag, thema
    Column("key", String(160), primary_key=True),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("message_id", String(200), nullable=False, unique=True),
    Column("subscriber_id", Integer, ForeignKey("subscriber.id", ondelete="SET NULL")),
    Column("recipient", Text),  # emptied once sent or when the subscriber leaves
    Column("kind", String(16), nullable=False),  # bevestiging, melding, nieuwsbrief, test
    Column("message", Text, nullable=False),  # the whole RFC 5322 message
    Column("state", String(16), nullable=False),  # wachtend, bezig, verzonden, mislukt, geweigerd
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", DateTime, nullable=False),
    Column("last_error", Text),
    Column("created_at", DateTime, nullable=False),
    Column("sent_at", DateTime),
)
Index("ix_outbox_due", outbox.c.state, outbox.c.next_attempt_at)

newsletter_issue = Table(
    "newsletter_issue",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),  # Markdown
    Column("author_id", Integer, ForeignKey("account.id")),
    Column("created_at", DateTime, nullable=False),
    Column("sent_at", DateTime),
)

# Following the Organisatieportaal's delta stream (igs sync): the source's triples as the stream last said them,
# the delta files applied, and where to resume. Written in the transaction of each file, with the register.

op_triple = Table(
    "op_triple",
    metadata,
    Column("key", String(32), nullable=False),  # digest of subject, predicate, object, datatype (no language)
    Column("subject", Text, nullable=False),
    Column("predicate", Text, nullable=False),
    Column("object", Text, nullable=False),
    Column("datatype", Text, nullable=False),  # "@id" for an IRI, "" for a plain (or xsd:string) literal
    Column("lang", String(32), nullable=False),
    Column("ref", Text),  # the object when it is an IRI: to walk from a resource to what points at it
    # Stored by subject (SQLite: the table itself in that order): a resource's triples are read and changed
    # together, on one page, and no index of random digests is written.
    PrimaryKeyConstraint("subject", "key"),
    sqlite_with_rowid=False,
)
Index(
    "ix_op_triple_ref",
    op_triple.c.ref,
    sqlite_where=op_triple.c.ref.is_not(None),
    postgresql_where=op_triple.c.ref.is_not(None),
)

op_file = Table(
    "op_file",
    metadata,
    Column("id", String(200), primary_key=True),  # the file's id in the stream (or "dump:<name>" for the dump)
    Column("name", Text, nullable=False),
    Column("created", String(32), nullable=False),  # as the server wrote it (UTC, milliseconds)
    Column("applied_at", DateTime, nullable=False),
    Column("changesets", Integer, nullable=False),
    Column("triples", Integer, nullable=False),
)
Index("ix_op_file_created", op_file.c.created)

sync_state = Table(
    "sync_state",
    metadata,
    Column("stream", String(32), primary_key=True),  # "public"
    Column("source_url", Text, nullable=False),
    Column("dump_name", Text, nullable=False),
    Column("dump_released", String(32), nullable=False),
    Column("resume_from", String(32), nullable=False),  # ask for files created after this (UTC, ms, Z)
    Column("last_file_id", String(200)),
    Column("last_file_created", String(32)),
    Column("last_applied_at", DateTime),
    Column("last_asked_at", DateTime),
)

# What the KBO's Open Data extracts say of the enterprises the atlas knows by KBO-nummer (igs kbo import). Kept
# across imports, like the edits: every import composes the register with it (domain/kbo.py).
kbo_enterprise = Table(
    "kbo_enterprise",
    metadata,
    Column("number", String(10), primary_key=True),  # ten digits, as organisation.kbo
    Column("status", String(2), nullable=False),
    Column("status_label", Text),
    Column("juridical_situation", String(3), nullable=False),
    Column("juridical_situation_label", Text),
    Column("type_of_enterprise", String(1), nullable=False),
    Column("juridical_form", String(3)),
    Column("juridical_form_label", Text),  # Dutch, from the extract's code.csv
    Column("juridical_form_cac", String(3)),
    Column("start_date", Date, nullable=False),
    Column("name", Text),
    Column("address", Text),
    Column("extract_number", Integer),
    Column("snapshot_date", Date, nullable=False),
    Column("listed", Boolean, nullable=False),  # False: a later extract no longer holds it
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
