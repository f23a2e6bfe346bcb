"""Alembic environment, after advanced-alchemy's asyncio template, on our records' metadata."""

import asyncio
from typing import TYPE_CHECKING, Any, cast

from advanced_alchemy.types import GUID
from alembic import context
from alembic.autogenerate import rewriter
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, async_engine_from_config
from sqlalchemy.types import TypeEngine

from infrastructure.persistence.sqlalchemy.reachability import check_reachable
from infrastructure.persistence.sqlalchemy.records import metadata

if TYPE_CHECKING:
    from advanced_alchemy.alembic.commands import AlembicCommandConfig

config = cast("AlembicCommandConfig", context.config)
writer = rewriter.Rewriter()


def _compare_type(
    context: MigrationContext,
    inspected_column: Column[Any],
    metadata_column: Column[Any],
    inspected_type: TypeEngine[Any],
    metadata_type: TypeEngine[Any],
) -> bool | None:
    """Compare column types, except GUID on SQLite: its BINARY(16) reflects as NUMERIC."""
    if context.dialect.name == "sqlite" and isinstance(metadata_type, GUID):
        return False
    return None


def _options() -> dict[str, Any]:
    return {
        "target_metadata": metadata,
        # Types too: a changed length or collation is a schema change worth a revision.
        "compare_type": _compare_type,
        "version_table": config.version_table_name,
        "version_table_schema": config.version_table_schema,
        "version_table_pk": config.version_table_pk,
        "user_module_prefix": config.user_module_prefix,
        # SQLite alters tables by copying them; batch mode does that for us.
        "render_as_batch": config.render_as_batch,
        "process_revision_directives": writer,
    }


def run_migrations_offline() -> None:
    """Emit the SQL instead of running it (``--sql``)."""
    context.configure(
        url=config.db_url, literal_binds=True, dialect_opts={"paramstyle": "named"}, **_options()
    )
    with context.begin_transaction():
        context.run_migrations()


def _sqlite_foreign_keys(connection: Connection, *, enabled: bool) -> None:
    # A PRAGMA outside any transaction: inside one SQLite ignores it.
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(f"PRAGMA foreign_keys={'ON' if enabled else 'OFF'}")
    finally:
        cursor.close()


def do_run_migrations(connection: Connection) -> None:
    """Run every pending migration in one transaction (DDL is transactional on both).

    On SQLite, batch mode rebuilds a table by copying it and dropping the original;
    with foreign keys enforced that DROP would fire ON DELETE CASCADE / SET NULL on
    the rows pointing at it. So keys are off while migrating and checked at the end.
    """
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        _sqlite_foreign_keys(connection, enabled=False)
    try:
        context.configure(connection=connection, transactional_ddl=True, **_options())
        with context.begin_transaction():
            context.run_migrations()
            if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                raise RuntimeError("migration left rows violating foreign keys")
    finally:
        if sqlite:
            _sqlite_foreign_keys(connection, enabled=True)


async def run_migrations_online() -> None:
    """Migrate through the configured engine, or one built from the ini section."""
    engine = getattr(config, "engine", None)
    if engine is None:
        section = config.get_section(config.config_ini_section) or {}
        section["sqlalchemy.url"] = config.db_url
        engine = async_engine_from_config(section, prefix="sqlalchemy.", poolclass=pool.NullPool)
    connectable = cast(AsyncEngine, engine)
    try:
        # A database that cannot be reached is one line naming it, not a traceback.
        await check_reachable(connectable)
        async with connectable.connect() as connection:
            await connection.run_sync(do_run_migrations)
    finally:
        # This loop ends here; pooled connections must not outlive it.
        await connectable.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_migrations_online())
