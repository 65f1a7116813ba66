"""the Organisatieportaal's triples stored by subject: keyed by (subject, key), the table in that order on SQLite,
the index of IRI objects only over IRI objects

A delta file changes a few triples of many resources; with the table in subject order, a resource's triples are
read and changed on one page, and no index of random digests is written for each changed triple.

Revision ID: 0006_speed
Revises: 0006_clock
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_speed"
down_revision = "0006_clock"
branch_labels = None
depends_on = None

COLUMNS = "key, subject, predicate, object, datatype, lang, ref"


def _columns() -> list[sa.Column[object]]:
    return [
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("predicate", sa.Text(), nullable=False),
        sa.Column("object", sa.Text(), nullable=False),
        sa.Column("datatype", sa.Text(), nullable=False),
        sa.Column("lang", sa.String(length=32), nullable=False),
        sa.Column("ref", sa.Text(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table("op_triple_new", *_columns(), sa.PrimaryKeyConstraint("subject", "key"), sqlite_with_rowid=False)
    op.execute(f"INSERT INTO op_triple_new ({COLUMNS}) SELECT {COLUMNS} FROM op_triple ORDER BY subject, key")
    op.drop_index("ix_op_triple_ref", table_name="op_triple")
    op.drop_index("ix_op_triple_subject", table_name="op_triple")
    op.drop_table("op_triple")
    op.rename_table("op_triple_new", "op_triple")
    where = sa.text("ref IS NOT NULL")
    op.create_index("ix_op_triple_ref", "op_triple", ["ref"], sqlite_where=where, postgresql_where=where)


def downgrade() -> None:
    op.create_table("op_triple_old", *_columns(), sa.PrimaryKeyConstraint("key"))
    op.execute(f"INSERT INTO op_triple_old ({COLUMNS}) SELECT {COLUMNS} FROM op_triple")
    op.drop_index("ix_op_triple_ref", table_name="op_triple")
    op.drop_table("op_triple")
    op.rename_table("op_triple_old", "op_triple")
    op.create_index("ix_op_triple_subject", "op_triple", ["subject"])
    op.create_index("ix_op_triple_ref", "op_triple", ["ref"])
