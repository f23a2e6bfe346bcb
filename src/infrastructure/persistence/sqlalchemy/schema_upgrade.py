"""Upgrading the schema with the revisions in ``infrastructure/migrations/``, from
synchronous code (a CLI, a test fixture); ``litestar database upgrade`` does the same.
"""

import asyncio

from advanced_alchemy.alembic.commands import AlembicCommandConfig
from alembic import command
from sqlalchemy.ext.asyncio import AsyncEngine

from infrastructure.persistence.sqlalchemy.config import MIGRATIONS_DIR, VERSION_TABLE
from infrastructure.persistence.sqlalchemy.engine import build_engine
from infrastructure.settings import DatabaseSettings


def alembic_config(engine: AsyncEngine) -> AlembicCommandConfig:
    """An Alembic config migrating through ``engine``.

    Built without ``SQLAlchemyAsyncConfig``: every instance of that renames the app
    state keys of the next one in the same process.
    """
    config = AlembicCommandConfig(
        engine=engine, version_table_name=VERSION_TABLE, render_as_batch=True
    )
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade_schema(database: DatabaseSettings) -> None:
    """Upgrade the schema to head. Runs its own event loop: call it outside one."""
    engine = build_engine(database, production=False)
    try:
        command.upgrade(alembic_config(engine), "head")
    finally:
        # env.py disposes on success; this covers a failure half-way.
        asyncio.run(engine.dispose())
