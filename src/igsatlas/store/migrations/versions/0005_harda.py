"""slug history: every slug an organisation ever had

Revision ID: 0005_harda
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_harda"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organisation_slug",
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("organisation_id", sa.String(length=80), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("slug"),
    )
    # The slugs in use now are the first of the history.
    op.execute(
        "INSERT INTO organisation_slug (slug, organisation_id, recorded_at) "
        "SELECT slug, id, CURRENT_TIMESTAMP FROM organisation"
    )


def downgrade() -> None:
    op.drop_table("organisation_slug")
