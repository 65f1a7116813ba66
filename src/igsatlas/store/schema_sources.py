"""What outside sources said, kept across imports beside the register: the Organisatieportaal's delta stream
(igs sync) and the KBO's Open Data extracts (igs kbo import)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

from igsatlas.store.metadata import metadata

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
