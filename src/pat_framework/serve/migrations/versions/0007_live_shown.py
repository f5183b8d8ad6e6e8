"""How many respondents' results the live results or the room have shown, so that a
report from the collection leaves out a remainder of fewer than min_group beside them.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("collection_facilitation") as batch:
        batch.add_column(sa.Column("live_shown", sa.Integer))


def downgrade() -> None:
    with op.batch_alter_table("collection_facilitation") as batch:
        batch.drop_column("live_shown")
