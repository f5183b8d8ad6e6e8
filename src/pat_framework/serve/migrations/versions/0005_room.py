"""The room's record of the feedback workshop: each section's agreed view and the actions
agreed, scoped to the collection (and so to its partnership).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)


def _collection() -> sa.Column[int]:
    return sa.Column(
        "collection_id",
        sa.Integer,
        sa.ForeignKey("collections.id", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "room_views",
        sa.Column("id", sa.Integer, primary_key=True),
        _collection(),
        sa.Column("instrument_id", sa.String(64), nullable=False),
        sa.Column("section_id", sa.String(64), nullable=False),
        sa.Column("score", sa.Float),
        sa.Column("band", sa.String(200)),
        sa.Column("below_average", sa.Integer, nullable=False, server_default="0"),
        sa.Column("recorded_at", WHEN, nullable=False),
        sa.Column("recorded_by", sa.String(128), nullable=False),
        sa.UniqueConstraint("collection_id", "instrument_id", "section_id"),
    )
    op.create_table(
        "room_actions",
        sa.Column("id", BIG_ID, primary_key=True),
        _collection(),
        sa.Column("instrument_id", sa.String(64), nullable=False),
        sa.Column("section_id", sa.String(64), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("recorded_at", WHEN, nullable=False),
        sa.Column("recorded_by", sa.String(128), nullable=False),
    )
    op.create_index("ix_room_actions_collection_id", "room_actions", ["collection_id"])


def downgrade() -> None:
    op.drop_index("ix_room_actions_collection_id", "room_actions")
    for table in ("room_actions", "room_views"):
        op.drop_table(table)
