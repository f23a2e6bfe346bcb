"""Category names compared by a stored Unicode-aware key; task versions as 64-bit integers.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 11:00:00
"""

import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations

from domain.category import NAME_MAX_LENGTH, name_key

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NAME_KEY_LENGTH = 4 * NAME_MAX_LENGTH
_BATCH = 500


def _backfill_name_keys() -> None:
    # In Python, through the domain's rule: neither database folds exactly like it.
    connection = op.get_bind()
    categories = sa.table(
        "categories", sa.column("id", sa.BigInteger), sa.column("name"), sa.column("name_key")
    )
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(categories.c.id, categories.c.name)
            .where(categories.c.id > last_id)
            .order_by(categories.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            return
        for row_id, name in rows:
            connection.execute(
                categories.update().where(categories.c.id == row_id).values(name_key=name_key(name))
            )
        last_id = rows[-1][0]


@contextmanager
def _batch(table: str) -> Iterator[BatchOperations]:
    # SQLite rebuilds the table from its reflection, which cannot read expression
    # indexes (users' lower(email)); it warns and leaves them be, as we want.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection")
        with op.batch_alter_table(table) as batch:
            yield batch


def _is_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    with _batch("categories") as batch:
        batch.add_column(sa.Column("name_key", sa.String(length=_NAME_KEY_LENGTH), nullable=True))
    _backfill_name_keys()
    # Two names that fold alike under the new rule but not the old one would break the
    # new unique index; the migration then fails and says which, rather than guess.
    op.drop_index("uq_categories_user_id_name_lower", table_name="categories")
    with _batch("categories") as batch:
        batch.alter_column(
            "name_key", existing_type=sa.String(length=_NAME_KEY_LENGTH), nullable=False
        )
    op.create_index(
        "uq_categories_user_id_name_key", "categories", ["user_id", "name_key"], unique=True
    )
    if _is_postgresql():
        # SQLite's INTEGER is 64-bit already; rebuilding its table would change nothing.
        op.alter_column("tasks", "version", existing_type=sa.Integer(), type_=sa.BigInteger())


def downgrade() -> None:
    if _is_postgresql():
        op.alter_column("tasks", "version", existing_type=sa.BigInteger(), type_=sa.Integer())
    op.drop_index("uq_categories_user_id_name_key", table_name="categories")
    op.create_index(
        "uq_categories_user_id_name_lower",
        "categories",
        ["user_id", sa.text("lower(name)")],
        unique=True,
    )
    with _batch("categories") as batch:
        batch.drop_column("name_key")
