"""The first schema: settings, collections, respondents, answers and their history.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "pat_settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "collections",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("round", sa.Text),
        sa.Column("min_group", sa.Integer, nullable=False),
        sa.Column("opens_at", WHEN),
        sa.Column("closes_at", WHEN),
        sa.Column("room_code", sa.String(32)),
        sa.Column("created_at", WHEN, nullable=False),
        sa.CheckConstraint("min_group >= 1", name="ck_collections_min_group"),
    )
    parent = sa.ForeignKey("collections.id", ondelete="CASCADE")
    op.create_table(
        "collection_instruments",
        sa.Column("collection_id", sa.Integer, parent, primary_key=True),
        sa.Column("instrument_id", sa.String(128), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_table(
        "collection_choices",
        sa.Column(
            "collection_id",
            sa.Integer,
            sa.ForeignKey("collections.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("attribute", sa.String(32), primary_key=True),
        sa.Column("label", sa.Text, primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.CheckConstraint("attribute IN ('organisation', 'level')", name="ck_choices_attribute"),
    )
    op.create_table(
        "respondents",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column(
            "collection_id",
            sa.Integer,
            sa.ForeignKey("collections.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("code", sa.String(32), nullable=False, unique=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("via", sa.String(16), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("organisation", sa.Text),
        sa.Column("level", sa.Text),
        sa.Column("position", sa.Text),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("first_seen_at", WHEN),
        sa.Column("submitted_at", WHEN),
        sa.CheckConstraint("via IN ('invitation', 'room')", name="ck_respondents_via"),
    )
    op.create_index("ix_respondents_collection_id", "respondents", ["collection_id"])
    op.create_table(
        "answers",
        sa.Column(
            "respondent_id",
            BIG_ID,
            sa.ForeignKey("respondents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("instrument_id", sa.String(128), primary_key=True),
        sa.Column("item_id", sa.String(128), primary_key=True),
        sa.Column("answer", sa.Text),
        sa.Column("comment", sa.Text),
        sa.Column("updated_at", WHEN, nullable=False),
    )
    op.create_table(
        "answer_events",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column(
            "respondent_id",
            BIG_ID,
            sa.ForeignKey("respondents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("instrument_id", sa.String(128), nullable=False),
        sa.Column("item_id", sa.String(128), nullable=False),
        sa.Column("field", sa.String(16), nullable=False),
        sa.Column("value", sa.Text),
        sa.Column("saved_at", WHEN, nullable=False),
        sa.CheckConstraint("field IN ('answer', 'comment')", name="ck_answer_events_field"),
    )
    op.create_index("ix_answer_events_respondent", "answer_events", ["respondent_id", "id"])


def downgrade() -> None:
    for table in (
        "answer_events",
        "answers",
        "respondents",
        "collection_choices",
        "collection_instruments",
        "collections",
        "pat_settings",
    ):
        op.drop_table(table)
