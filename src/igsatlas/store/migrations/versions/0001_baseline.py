"""the register as of schema version 3

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "boundary",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("vintage", sa.String(length=8), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("svg_path", sa.Text(), nullable=False),
        sa.Column("geojson", sa.Text(), nullable=False),
        sa.Column("min_x", sa.Float(), nullable=False),
        sa.Column("min_y", sa.Float(), nullable=False),
        sa.Column("max_x", sa.Float(), nullable=False),
        sa.Column("max_y", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "vintage", "code"),
    )
    op.create_table(
        "change_event",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("uri", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "classification",
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("family", sa.String(length=32), nullable=False),
        sa.Column("uri", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "import_issue",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "layer",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=True),
        sa.Column("n_regions", sa.Integer(), nullable=False),
        sa.Column("n_municipalities", sa.Integer(), nullable=False),
        sa.Column("n_rows", sa.Integer(), nullable=False),
        sa.Column("unresolved_rows", sa.Integer(), nullable=False),
        sa.Column("count_scope", sa.Text(), nullable=False),
        sa.Column("sources", sa.Text(), nullable=False),
        sa.Column("completeness_note", sa.Text(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "population",
        sa.Column("nis", sa.String(length=5), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("inhabitants", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("nis", "year"),
    )
    op.create_table(
        "theme",
        sa.Column("uri", sa.String(length=120), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("uri"),
    )
    op.create_table(
        "organisation",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("uri", sa.Text(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("legal_name", sa.Text(), nullable=True),
        sa.Column("classification", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=True),
        sa.Column("kbo", sa.String(length=10), nullable=True),
        sa.Column("kbo_note", sa.Text(), nullable=True),
        sa.Column("ovo", sa.String(length=16), nullable=True),
        sa.Column("nis", sa.String(length=5), nullable=True),
        sa.Column("street", sa.Text(), nullable=True),
        sa.Column("house_number", sa.Text(), nullable=True),
        sa.Column("box", sa.Text(), nullable=True),
        sa.Column("postcode", sa.String(length=8), nullable=True),
        sa.Column("address_municipality", sa.Text(), nullable=True),
        sa.Column("address_province", sa.Text(), nullable=True),
        sa.Column("country", sa.Text(), nullable=True),
        sa.Column("full_address", sa.Text(), nullable=True),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("website", sa.Text(), nullable=True),
        sa.Column("werkingsgebied", sa.Text(), nullable=True),
        sa.Column("werkingsgebied_level", sa.Text(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("source_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["classification"],
            ["classification.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("slug"),
        sa.UniqueConstraint("uri"),
    )
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.create_index("ix_organisation_classification", ["classification"], unique=False)
        batch_op.create_index("ix_organisation_kbo", ["kbo"], unique=False)

    op.create_table(
        "change_event_party",
        sa.Column("event_id", sa.String(length=80), nullable=False),
        sa.Column("organisation_id", sa.String(length=80), nullable=False),
        sa.Column("side", sa.String(length=8), nullable=False),
        sa.Column("resulting_status", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["change_event.id"],
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
        ),
        sa.PrimaryKeyConstraint("event_id", "organisation_id", "side"),
    )
    op.create_table(
        "municipality",
        sa.Column("nis", sa.String(length=5), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("province", sa.Text(), nullable=True),
        sa.Column("region", sa.String(length=16), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("successor_nis", sa.String(length=5), nullable=True),
        sa.Column("organisation_id", sa.String(length=80), nullable=True),
        sa.Column("in_set_2019_2024", sa.Boolean(), nullable=False),
        sa.Column("in_set_2025", sa.Boolean(), nullable=False),
        sa.Column("name_statbel", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
        ),
        sa.PrimaryKeyConstraint("nis"),
    )
    with op.batch_alter_table("municipality", schema=None) as batch_op:
        batch_op.create_index("ix_municipality_organisation", ["organisation_id"], unique=False)
        batch_op.create_index("ix_municipality_slug", ["slug"], unique=False)

    op.create_table(
        "organisation_name",
        sa.Column("organisation_id", sa.String(length=80), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
        ),
        sa.PrimaryKeyConstraint("organisation_id", "name"),
    )
    op.create_table(
        "organisation_theme",
        sa.Column("organisation_id", sa.String(length=80), nullable=False),
        sa.Column("theme_uri", sa.String(length=120), nullable=False),
        sa.Column("evidence_type", sa.String(length=16), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("source_date_text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
        ),
        sa.ForeignKeyConstraint(
            ["theme_uri"],
            ["theme.uri"],
        ),
        sa.PrimaryKeyConstraint("organisation_id", "theme_uri"),
    )
    op.create_table(
        "region",
        sa.Column("layer_id", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("organisation_id", sa.String(length=80), nullable=False),
        sa.Column("linked", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["layer_id"],
            ["layer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
        ),
        sa.PrimaryKeyConstraint("layer_id", "key"),
    )
    with op.batch_alter_table("region", schema=None) as batch_op:
        batch_op.create_index("ix_region_organisation", ["organisation_id"], unique=False)

    op.create_table(
        "membership",
        sa.Column("id", sa.String(length=160), nullable=False),
        sa.Column("organisation_id", sa.String(length=80), nullable=False),
        sa.Column("member_id", sa.String(length=80), nullable=False),
        sa.Column("member_nis", sa.String(length=5), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("source_date", sa.Date(), nullable=True),
        sa.Column("source_date_text", sa.Text(), nullable=True),
        sa.Column("derived_from", sa.String(length=160), nullable=True),
        sa.Column("layer_id", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["layer_id"],
            ["layer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["organisation.id"],
        ),
        sa.ForeignKeyConstraint(
            ["member_nis"],
            ["municipality.nis"],
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.create_index("ix_membership_member", ["member_id"], unique=False)
        batch_op.create_index("ix_membership_organisation", ["organisation_id"], unique=False)
