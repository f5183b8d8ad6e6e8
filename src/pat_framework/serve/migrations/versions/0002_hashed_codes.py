"""Room access codes kept only as hashes, a version per collection, attempts in the database.

Each stored code is replaced by its salted scrypt hash (the code itself keeps working);
`collections.version` lets every server process see a collection opened again; failed
code and token attempts go to `pat_attempts`, so that every worker counts the same.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from pat_framework.serve.keys import room_code_hash

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("collections") as batch:
        batch.add_column(sa.Column("room_code_hash", sa.String(160)))
        batch.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="1"))
    connection = op.get_bind()
    table = sa.table(
        "collections", sa.column("id"), sa.column("room_code"), sa.column("room_code_hash")
    )
    for ident, code in connection.execute(
        sa.select(table.c.id, table.c.room_code).where(table.c.room_code.is_not(None))
    ).all():
        connection.execute(
            table.update().where(table.c.id == ident).values(room_code_hash=room_code_hash(code))
        )
    if connection.dialect.name == "sqlite":
        # The plain codes must not linger in freed pages of the file.
        connection.exec_driver_sql("PRAGMA secure_delete = ON")
    with op.batch_alter_table("collections") as batch:
        batch.drop_column("room_code")
    op.create_table(
        "pat_attempts",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_pat_attempts_client", "pat_attempts", ["client", "at"])


def downgrade() -> None:
    """The plain codes cannot come back: rooms get no code until a new one is made."""
    op.drop_table("pat_attempts")
    with op.batch_alter_table("collections") as batch:
        batch.add_column(sa.Column("room_code", sa.String(32)))
        batch.drop_column("version")
        batch.drop_column("room_code_hash")
