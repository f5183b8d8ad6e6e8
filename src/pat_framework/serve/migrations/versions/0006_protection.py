"""Data protection: a collection's min_group is at least 3 in the database too (the command
line already refused less); a room respondent's reference, kept only as its SHA-256, by
which they can ask to be erased; and respondents "unlinked", as cutting the link leaves
them, with no record of whether they came by invitation or by the room.

A collection stored with a smaller min_group is raised to 3: every output then shows
less, never more.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    collections = sa.table("collections", sa.column("min_group", sa.Integer))
    op.execute(collections.update().where(collections.c.min_group < 3).values(min_group=3))
    with op.batch_alter_table("collections") as batch:
        batch.drop_constraint("ck_collections_min_group", type_="check")
        batch.create_check_constraint("ck_collections_min_group", "min_group >= 3")
    with op.batch_alter_table("respondents") as batch:
        batch.add_column(sa.Column("reference_hash", sa.String(64)))
        batch.create_unique_constraint("uq_respondents_reference_hash", ["reference_hash"])
        batch.drop_constraint("ck_respondents_via", type_="check")
        batch.create_check_constraint(
            "ck_respondents_via", "via IN ('invitation', 'room', 'unlinked')"
        )


def downgrade() -> None:
    respondents = sa.table("respondents", sa.column("via", sa.String))
    op.execute(respondents.update().where(respondents.c.via == "unlinked").values(via="room"))
    with op.batch_alter_table("respondents") as batch:
        batch.drop_constraint("ck_respondents_via", type_="check")
        batch.create_check_constraint("ck_respondents_via", "via IN ('invitation', 'room')")
        batch.drop_constraint("uq_respondents_reference_hash", type_="unique")
        batch.drop_column("reference_hash")
    with op.batch_alter_table("collections") as batch:
        batch.drop_constraint("ck_collections_min_group", type_="check")
        batch.create_check_constraint("ck_collections_min_group", "min_group >= 1")
