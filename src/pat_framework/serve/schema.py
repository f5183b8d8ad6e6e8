"""The database schema, one for SQLite and PostgreSQL (SQLAlchemy Core).

A collection is opened for one instrument or a workshop's instruments, with fixed lists of
organisations and levels. Each respondent holds a secret token (an invitation link's, or a
room device's cookie) stored only as its SHA-256 hash; a room's access code is kept as a
salted scrypt hash. A collection's `version` grows each time it is opened again, so that
every server process sees new lists without a restart. Every change of an answer or a
comment is appended to `answer_events` and the current value kept in `answers`, both in
the same transaction. `pat_attempts` counts failed code and token attempts for every
worker on the database. Migrations in `migrations/versions` create the same tables; a test
compares the two.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

#: Integer primary keys that grow past 2**31 on PostgreSQL and are SQLite's rowid there.
BIG_ID = BigInteger().with_variant(Integer(), "sqlite")

settings = Table(
    "pat_settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

collections = Table(
    "collections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("title", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("round", Text),
    Column("min_group", Integer, nullable=False),
    Column("opens_at", DateTime(timezone=True)),
    Column("closes_at", DateTime(timezone=True)),
    Column("room_code_hash", String(160)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False, server_default="1"),
    CheckConstraint("min_group >= 3", name="ck_collections_min_group"),
)

collection_instruments = Table(
    "collection_instruments",
    metadata,
    Column(
        "collection_id",
        Integer,
        ForeignKey("collections.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("instrument_id", String(128), primary_key=True),
    Column("position", Integer, nullable=False),
)

collection_choices = Table(
    "collection_choices",
    metadata,
    Column(
        "collection_id",
        Integer,
        ForeignKey("collections.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("attribute", String(32), primary_key=True),
    Column("label", Text, primary_key=True),
    Column("position", Integer, nullable=False),
    CheckConstraint("attribute IN ('organisation', 'level')", name="ck_choices_attribute"),
)

respondents = Table(
    "respondents",
    metadata,
    Column("id", BIG_ID, primary_key=True),
    Column(
        "collection_id",
        Integer,
        ForeignKey("collections.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("code", String(32), nullable=False, unique=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("via", String(16), nullable=False),
    Column("note", Text),
    Column("organisation", Text),
    Column("level", Text),
    Column("language", String(35)),  # the language answered in (a BCP 47 tag), if a choice
    Column("position", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("first_seen_at", DateTime(timezone=True)),
    Column("submitted_at", DateTime(timezone=True)),
    # a room respondent's reference, shown on the done page, as its SHA-256 (migration 0006)
    Column("reference_hash", String(64), unique=True),
    # 'unlinked': made by cutting the link, when how each came in was forgotten (0006)
    CheckConstraint("via IN ('invitation', 'room', 'unlinked')", name="ck_respondents_via"),
)

answers = Table(
    "answers",
    metadata,
    Column(
        "respondent_id",
        BIG_ID,
        ForeignKey("respondents.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("instrument_id", String(128), primary_key=True),
    Column("item_id", String(128), primary_key=True),
    Column("answer", Text),
    Column("comment", Text),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

answer_events = Table(
    "answer_events",
    metadata,
    Column("id", BIG_ID, primary_key=True, autoincrement=True),
    Column(
        "respondent_id",
        BIG_ID,
        ForeignKey("respondents.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("instrument_id", String(128), nullable=False),
    Column("item_id", String(128), nullable=False),
    Column("field", String(16), nullable=False),
    Column("value", Text),
    Column("saved_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("field IN ('answer', 'comment')", name="ck_answer_events_field"),
    Index("ix_answer_events_respondent", "respondent_id", "id"),
)

attempts = Table(
    "pat_attempts",
    metadata,
    Column("id", BIG_ID, primary_key=True, autoincrement=True),
    Column("client", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_pat_attempts_client", "client", "at"),
)

# -- the facilitator's side (migration 0004) --------------------------------------------

partnerships = Table(
    "partnerships",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(128), nullable=False, unique=True),
)

facilitation = Table(
    "collection_facilitation",
    metadata,
    Column(
        "collection_id",
        Integer,
        ForeignKey("collections.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("partnership_id", Integer, ForeignKey("partnerships.id", ondelete="SET NULL")),
    Column("secret_hash", String(64), unique=True),  # the workshop secret's SHA-256
    Column("keep_until", DateTime(timezone=True)),
    Column("privacy_notice", Text),
    Column("link_cut_at", DateTime(timezone=True)),
    # the most respondents whose results the live results or the room have shown (the
    # first to submit): a report then leaves out a remainder of fewer than min_group
    Column("live_shown", Integer),
)

facilitator_accounts = Table(
    "facilitator_accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(128), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),
    Column("all_collections", Integer, nullable=False, server_default="0"),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

facilitator_partnerships = Table(
    "facilitator_partnerships",
    metadata,
    Column(
        "account_id",
        Integer,
        ForeignKey("facilitator_accounts.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "partnership_id",
        Integer,
        ForeignKey("partnerships.id", ondelete="CASCADE"),
        primary_key=True,
    ),
)

facilitator_sessions = Table(
    "facilitator_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("name", String(128), nullable=False),
    Column("account_id", Integer, ForeignKey("facilitator_accounts.id", ondelete="CASCADE")),
    Column("collection_id", Integer, ForeignKey("collections.id", ondelete="CASCADE")),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)

invitations = Table(
    "invitations",
    metadata,
    Column("id", BIG_ID, primary_key=True),
    Column(
        "collection_id",
        Integer,
        ForeignKey("collections.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column(
        "respondent_id",
        BIG_ID,
        ForeignKey("respondents.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    ),
    Column("name", Text),
    Column("email", Text),
    Column("revoked", Integer, nullable=False, server_default="0"),
)

audit_log = Table(
    "facilitator_audit",
    metadata,
    Column("id", BIG_ID, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("facilitator", String(128), nullable=False),
    Column("account_id", Integer),  # kept when the account is removed: the log is history
    Column("collection", String(64)),
    Column("action", Text, nullable=False),
)

#: The room's record of the feedback workshop: the group's agreed view of each section
#: (a score on the section's scale or one of its bands), marked lower than the average
#: when partners disagreed on the section.
room_views = Table(
    "room_views",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "collection_id",
        Integer,
        ForeignKey("collections.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("instrument_id", String(64), nullable=False),
    Column("section_id", String(64), nullable=False),
    Column("score", Float),
    Column("band", String(200)),
    Column("below_average", Integer, nullable=False, server_default="0"),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(128), nullable=False),
    UniqueConstraint("collection_id", "instrument_id", "section_id"),
)

#: The actions agreed in the room for a section: what, who owns it, by when.
room_actions = Table(
    "room_actions",
    metadata,
    Column("id", BIG_ID, primary_key=True),
    Column(
        "collection_id",
        Integer,
        ForeignKey("collections.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("instrument_id", String(64), nullable=False),
    Column("section_id", String(64), nullable=False),
    Column("text", Text, nullable=False),
    Column("owner", String(200), nullable=False),
    Column("due", Date, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(128), nullable=False),
)
