"""following the Organisatieportaal's delta stream: its triples, the files applied, the resume point

Revision ID: 0005_sync
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_sync"
down_revision = "0005_phone"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "op_triple",
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("predicate", sa.Text(), nullable=False),
        sa.Column("object", sa.Text(), nullable=False),
        sa.Column("datatype", sa.Text(), nullable=False),
        sa.Column("lang", sa.String(length=32), nullable=False),
        sa.Column("ref", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index("ix_op_triple_subject", "op_triple", ["subject"])
    op.create_index("ix_op_triple_ref", "op_triple", ["ref"])
    op.create_table(
        "op_file",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("created", sa.String(length=32), nullable=False),
        sa.Column("applied_at", sa.DateTime(), nullable=False),
        sa.Column("changesets", sa.Integer(), nullable=False),
        sa.Column("triples", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_op_file_created", "op_file", ["created"])
    op.create_table(
        "sync_state",
        sa.Column("stream", sa.String(length=32), nullable=False),
        sa.Column("source_url", sa.Text(), nullable=False),
        sa.Column("dump_name", sa.Text(), nullable=False),
        sa.Column("dump_released", sa.String(length=32), nullable=False),
        sa.Column("resume_from", sa.String(length=32), nullable=False),
        sa.Column("last_file_id", sa.String(length=200), nullable=True),
        sa.Column("last_file_created", sa.String(length=32), nullable=True),
        sa.Column("last_applied_at", sa.DateTime(), nullable=True),
        sa.Column("last_asked_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("stream"),
    )


def downgrade() -> None:
    op.drop_table("sync_state")
    op.drop_index("ix_op_file_created", table_name="op_file")
    op.drop_table("op_file")
    op.drop_index("ix_op_triple_ref", table_name="op_triple")
    op.drop_index("ix_op_triple_subject", table_name="op_triple")
    op.drop_table("op_triple")
