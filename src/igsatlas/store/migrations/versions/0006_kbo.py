"""what the KBO's Open Data extracts say of the enterprises the atlas knows (igs kbo import)

Revision ID: 0006_kbo
Revises: 0005_sync
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_kbo"
down_revision = "0005_sync"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kbo_enterprise",
        sa.Column("number", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=2), nullable=False),
        sa.Column("status_label", sa.Text(), nullable=True),
        sa.Column("juridical_situation", sa.String(length=3), nullable=False),
        sa.Column("juridical_situation_label", sa.Text(), nullable=True),
        sa.Column("type_of_enterprise", sa.String(length=1), nullable=False),
        sa.Column("juridical_form", sa.String(length=3), nullable=True),
        sa.Column("juridical_form_label", sa.Text(), nullable=True),
        sa.Column("juridical_form_cac", sa.String(length=3), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("extract_number", sa.Integer(), nullable=True),
        sa.Column("snapshot_date", sa.Date(), nullable=False),
        sa.Column("listed", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("number"),
    )


def downgrade() -> None:
    op.drop_table("kbo_enterprise")
