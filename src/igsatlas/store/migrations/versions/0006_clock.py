"""the registration clock: the change log read from a moment on (what the atlas recorded after a day)

Revision ID: 0006_clock
Revises: 0006_kbo
"""

from __future__ import annotations

from alembic import op

revision = "0006_clock"
down_revision = "0006_kbo"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_change_log_at", "change_log", ["at"])


def downgrade() -> None:
    op.drop_index("ix_change_log_at", table_name="change_log")
