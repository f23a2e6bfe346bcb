"""ORM records: the five tables, their constraints and indexes, with portable types."""

from datetime import datetime
from typing import cast
from uuid import UUID

from advanced_alchemy.base import DefaultBase, IdentityBase, orm_registry
from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    false,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from domain.category import NAME_MAX_LENGTH
from domain.idempotency import KEY_MAX_LENGTH
from domain.task import TITLE_MAX_LENGTH
from domain.user import DISPLAY_NAME_MAX_LENGTH, EMAIL_MAX_LENGTH

metadata: MetaData = orm_registry.metadata

# Names the error translation recognises (see errors.py).
USERS_EMAIL_UNIQUE = "uq_users_email_lower"
CATEGORIES_NAME_UNIQUE = "uq_categories_user_id_name_key"
# The folded name (``domain.category.name_key``) is stored, so every backend compares
# names by the same Unicode-aware rule: SQLite's lower() folds ASCII only.
NAME_KEY_LENGTH = 4 * NAME_MAX_LENGTH
TASKS_CATEGORY_FK = "fk_tasks_category_id_categories"
CATEGORIES_USER_FK = "fk_categories_user_id_users"
TASKS_USER_FK = "fk_tasks_user_id_users"
JOBS_USER_FK = "fk_jobs_user_id_users"
REMEMBERED_USER_FK = "fk_remembered_responses_user_id_users"
# A row whose owner does not exist: the caller's token names no user.
USER_FOREIGN_KEYS = frozenset({CATEGORIES_USER_FK, TASKS_USER_FK, JOBS_USER_FK, REMEMBERED_USER_FK})

# Lists of task ids: JSONB on PostgreSQL (so `||` appends in place), JSON text on SQLite.
ID_LIST = JSON().with_variant(JSONB(), "postgresql")


class UserRecord(DefaultBase):
    """A registered user; the UUID (v7) is made by the repository."""

    __tablename__ = "users"
    # DefaultBase rather than UUIDv7Base: the latter adds an ORM insert-sentinel
    # column we have no use for, since rows are written with Core statements.
    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    email: Mapped[str] = mapped_column(String(EMAIL_MAX_LENGTH))
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str | None] = mapped_column(String(DISPLAY_NAME_MAX_LENGTH))
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC)
    # Set by `litestar users disable`; NULL while the account is active.
    disabled_at: Mapped[datetime | None] = mapped_column(DateTimeUTC)


class CategoryRecord(IdentityBase):
    """A user's category; names are unique per user ignoring case."""

    __tablename__ = "categories"
    __table_args__ = (
        # A user's categories in id order: the list and its cursor pages read a range.
        Index("ix_categories_user_id_id", "user_id", "id"),
        # Ids never come back after a delete, on SQLite too.
        {"sqlite_autoincrement": True},
    )

    user_id: Mapped[UUID] = mapped_column(
        GUID, ForeignKey("users.id", ondelete="CASCADE", name=CATEGORIES_USER_FK)
    )
    name: Mapped[str] = mapped_column(String(NAME_MAX_LENGTH))
    name_key: Mapped[str] = mapped_column(String(NAME_KEY_LENGTH))
    color: Mapped[str | None] = mapped_column(String(7))
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC)
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC)


class TaskRecord(IdentityBase):
    """A user's task; ``version`` grows by one with every write."""

    __tablename__ = "tasks"
    __table_args__ = (
        CheckConstraint("priority IN ('low', 'medium', 'high')", name="priority"),
        CheckConstraint("version >= 1", name="version_positive"),
        Index("ix_tasks_user_id_created_at_id", "user_id", "created_at", "id"),
        Index("ix_tasks_user_id_due_at_id", "user_id", "due_at", "id"),
        Index("ix_tasks_user_id_title_id", "user_id", "title", "id"),
        Index("ix_tasks_user_id_category_id", "user_id", "category_id"),
        # Backs ON DELETE SET NULL and the detach on category deletion.
        Index("ix_tasks_category_id", "category_id"),
        {"sqlite_autoincrement": True},
    )

    user_id: Mapped[UUID] = mapped_column(
        GUID, ForeignKey("users.id", ondelete="CASCADE", name=TASKS_USER_FK)
    )
    # Byte-order collation on PostgreSQL sorts titles as SQLite and Python do.
    title: Mapped[str] = mapped_column(
        String(TITLE_MAX_LENGTH).with_variant(String(TITLE_MAX_LENGTH, collation="C"), "postgresql")
    )
    description: Mapped[str | None] = mapped_column(Text)
    completed: Mapped[bool] = mapped_column(
        Boolean(create_constraint=False), server_default=false()
    )
    priority: Mapped[str] = mapped_column(String(6))
    due_at: Mapped[datetime | None] = mapped_column(DateTimeUTC)
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="SET NULL", name=TASKS_CATEGORY_FK)
    )
    processed: Mapped[bool] = mapped_column(
        Boolean(create_constraint=False), server_default=false()
    )
    processed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC)
    # 64-bit: a task edited a billion times must not overflow, and any If-Match the
    # contract accepts (up to 2**63 - 1) compares without a range error.
    version: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC)
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC)


class JobRecord(IdentityBase):
    """A durable job; ``worker`` and ``lease_expires_at`` say who holds it until when."""

    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'succeeded', 'failed')", name="status"),
        # The queue: claims look for the lowest id among queued and running jobs only.
        Index("ix_jobs_status_id", "status", "id"),
        # Backs ON DELETE CASCADE from users, and a user's job list.
        Index("ix_jobs_user_id_id", "user_id", "id"),
        # Fair claims: an owner's latest claim, one index probe per candidate owner.
        Index("ix_jobs_user_id_claimed_at", "user_id", "claimed_at"),
        # The per-user cap counts an owner's queued and running jobs.
        Index("ix_jobs_user_id_status", "user_id", "status"),
        # The purge finds the jobs that finished longest ago.
        Index("ix_jobs_finished_at", "finished_at"),
        {"sqlite_autoincrement": True},
    )

    user_id: Mapped[UUID] = mapped_column(
        GUID, ForeignKey("users.id", ondelete="CASCADE", name=JOBS_USER_FK)
    )
    status: Mapped[str] = mapped_column(String(9))
    task_ids: Mapped[list[int]] = mapped_column(ID_LIST)
    processed: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    skipped: Mapped[list[int]] = mapped_column(ID_LIST)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    worker: Mapped[str | None] = mapped_column(Text)
    lease_expires_at: Mapped[datetime | None] = mapped_column(DateTimeUTC)
    # When a worker last claimed it: claims serve the least recently served owner first.
    claimed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC)
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC)
    finished_at: Mapped[datetime | None] = mapped_column(DateTimeUTC)


class RememberedResponseRecord(DefaultBase):
    """What the first successful request under a user's idempotency key answered."""

    __tablename__ = "remembered_responses"
    __table_args__ = (
        # The purge deletes the oldest first.
        Index("ix_remembered_responses_created_at", "created_at"),
    )

    # The key is unique per user: the primary key says so, and serves every lookup.
    user_id: Mapped[UUID] = mapped_column(
        GUID,
        ForeignKey("users.id", ondelete="CASCADE", name=REMEMBERED_USER_FK),
        primary_key=True,
    )
    key: Mapped[str] = mapped_column(String(KEY_MAX_LENGTH), primary_key=True)
    # sha256 of the request, hex.
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    location: Mapped[str | None] = mapped_column(Text)
    etag: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC)


# Expression indexes need the columns, so they come after the classes.
Index(USERS_EMAIL_UNIQUE, func.lower(UserRecord.email), unique=True)
Index(CATEGORIES_NAME_UNIQUE, CategoryRecord.user_id, CategoryRecord.name_key, unique=True)

# The tables themselves, for the repositories' Core statements.
users = cast(Table, UserRecord.__table__)
categories = cast(Table, CategoryRecord.__table__)
tasks = cast(Table, TaskRecord.__table__)
jobs = cast(Table, JobRecord.__table__)
remembered_responses = cast(Table, RememberedResponseRecord.__table__)
