"""Fair job queue: when each job was last claimed, and indexes for fairness, cap and purge.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A nullable column without a default: no table rewrite on PostgreSQL, and a plain
    # ALTER TABLE ADD COLUMN on SQLite. Jobs claimed before count as never served.
    op.add_column("jobs", sa.Column("claimed_at", DateTimeUTC(timezone=True), nullable=True))
    op.create_index("ix_jobs_user_id_claimed_at", "jobs", ["user_id", "claimed_at"])
    op.create_index("ix_jobs_user_id_status", "jobs", ["user_id", "status"])
    op.create_index("ix_jobs_finished_at", "jobs", ["finished_at"])


def downgrade() -> None:
    op.drop_index("ix_jobs_finished_at", table_name="jobs")
    op.drop_index("ix_jobs_user_id_status", table_name="jobs")
    op.drop_index("ix_jobs_user_id_claimed_at", table_name="jobs")
    # SQLite 3.35+ drops an unindexed column in place: no table rebuild, no lost CHECK.
    op.drop_column("jobs", "claimed_at")
