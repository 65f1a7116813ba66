"""Dutch texts of a layer (regions/layers.csv: naam, beschrijving, rechtsgrond, volledigheid)

Revision ID: 0005_phone
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_phone"
down_revision = "0005_harda"
branch_labels = None
depends_on = None

COLUMNS = ("naam", "beschrijving", "rechtsgrond", "volledigheid")


def upgrade() -> None:
    with op.batch_alter_table("layer") as batch:
        for name in COLUMNS:
            batch.add_column(sa.Column(name, sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("layer") as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)
