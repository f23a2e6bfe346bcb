"""Initial schema: users, categories, tasks, with their constraints and indexes.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# BIGINT identity on PostgreSQL; INTEGER PRIMARY KEY (the rowid) on SQLite.
_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _id_column() -> sa.Column[int]:
    return sa.Column("id", _ID, sa.Identity(always=False, start=1, increment=1), nullable=False)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
    )
    op.create_index("uq_users_email_lower", "users", [sa.text("lower(email)")], unique=True)

    op.create_table(
        "categories",
        _id_column(),
        sa.Column("user_id", GUID(length=16), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("color", sa.String(length=7), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_categories_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_categories"),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "uq_categories_user_id_name_lower",
        "categories",
        ["user_id", sa.text("lower(name)")],
        unique=True,
    )

    op.create_table(
        "tasks",
        _id_column(),
        sa.Column("user_id", GUID(length=16), nullable=False),
        sa.Column(
            "title",
            sa.String(length=200).with_variant(sa.String(length=200, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("completed", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("priority", sa.String(length=6), nullable=False),
        sa.Column("due_at", DateTimeUTC(timezone=True), nullable=True),
        sa.Column("category_id", _ID, nullable=True),
        sa.Column("processed", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("processed_at", DateTimeUTC(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.CheckConstraint("priority IN ('low', 'medium', 'high')", name=op.f("ck_tasks_priority")),
        sa.CheckConstraint("version >= 1", name=op.f("ck_tasks_version_positive")),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["categories.id"],
            name="fk_tasks_category_id_categories",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_tasks_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_tasks"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_tasks_user_id_created_at_id", "tasks", ["user_id", "created_at", "id"])
    op.create_index("ix_tasks_user_id_due_at_id", "tasks", ["user_id", "due_at", "id"])
    op.create_index("ix_tasks_user_id_title_id", "tasks", ["user_id", "title", "id"])
    op.create_index("ix_tasks_user_id_category_id", "tasks", ["user_id", "category_id"])
    op.create_index("ix_tasks_category_id", "tasks", ["category_id"])


def downgrade() -> None:
    op.drop_table("tasks")
    op.drop_table("categories")
    op.drop_table("users")
