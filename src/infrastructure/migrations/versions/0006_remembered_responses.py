"""Remembered responses: what a keyed write answered, for safe client retries.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "remembered_responses",
        sa.Column("user_id", GUID(length=16), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name="fk_remembered_responses_user_id_users",
            ondelete="CASCADE",
        ),
        # Unique per user; the user comes first, so it also backs the cascade.
        sa.PrimaryKeyConstraint("user_id", "key", name="pk_remembered_responses"),
    )
    op.create_index("ix_remembered_responses_created_at", "remembered_responses", ["created_at"])


def downgrade() -> None:
    op.drop_table("remembered_responses")
