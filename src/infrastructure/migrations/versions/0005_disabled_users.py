"""Disabled users: when an administrator disabled each account (``litestar users disable``).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable and without a default: no table rewrite on PostgreSQL, a plain ALTER TABLE
    # ADD COLUMN on SQLite. Every existing user stays active (NULL).
    op.add_column("users", sa.Column("disabled_at", DateTimeUTC(timezone=True), nullable=True))


def downgrade() -> None:
    # Unindexed, so SQLite 3.35+ drops it in place. Disabled users become active again.
    op.drop_column("users", "disabled_at")
