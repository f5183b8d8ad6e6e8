"""The facilitator's side: partnerships, accounts, sessions, the workshop secret, the
retention date and privacy notice of a collection, invitations, and the audit log.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "partnerships",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(128), nullable=False, unique=True),
    )
    op.create_table(
        "collection_facilitation",
        sa.Column(
            "collection_id",
            sa.Integer,
            sa.ForeignKey("collections.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "partnership_id", sa.Integer, sa.ForeignKey("partnerships.id", ondelete="SET NULL")
        ),
        sa.Column("secret_hash", sa.String(64), unique=True),
        sa.Column("keep_until", WHEN),
        sa.Column("privacy_notice", sa.Text),
        sa.Column("link_cut_at", WHEN),
    )
    op.create_table(
        "facilitator_accounts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(128), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("all_collections", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_at", WHEN, nullable=False),
    )
    op.create_table(
        "facilitator_partnerships",
        sa.Column(
            "account_id",
            sa.Integer,
            sa.ForeignKey("facilitator_accounts.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "partnership_id",
            sa.Integer,
            sa.ForeignKey("partnerships.id", ondelete="CASCADE"),
            primary_key=True,
        ),
    )
    op.create_table(
        "facilitator_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column(
            "account_id",
            sa.Integer,
            sa.ForeignKey("facilitator_accounts.id", ondelete="CASCADE"),
        ),
        sa.Column(
            "collection_id", sa.Integer, sa.ForeignKey("collections.id", ondelete="CASCADE")
        ),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("seen_at", WHEN, nullable=False),
    )
    op.create_table(
        "invitations",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column(
            "collection_id",
            sa.Integer,
            sa.ForeignKey("collections.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column(
            "respondent_id",
            BIG_ID,
            sa.ForeignKey("respondents.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column("name", sa.Text),
        sa.Column("email", sa.Text),
        sa.Column("revoked", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "facilitator_audit",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("facilitator", sa.String(128), nullable=False),
        sa.Column("account_id", sa.Integer),
        sa.Column("collection", sa.String(64)),
        sa.Column("action", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "facilitator_audit",
        "invitations",
        "facilitator_sessions",
        "facilitator_partnerships",
        "facilitator_accounts",
        "collection_facilitation",
        "partnerships",
    ):
        op.drop_table(table)
