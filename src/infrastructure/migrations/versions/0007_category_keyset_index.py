"""Categories by owner in id order: the index cursor pages (and offset pages) read.

Without it, a page after a cursor scanned the primary key from the cursor's id on,
skipping every other user's categories (EXPLAIN: "Rows Removed by Filter").

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 15:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_categories_user_id_id", "categories", ["user_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_categories_user_id_id", table_name="categories")
