"""Persistence on SQLAlchemy (async): engine, records, repositories, unit of work, upgrades."""

import importlib
from typing import TYPE_CHECKING

from infrastructure.persistence.sqlalchemy.categories import SqlAlchemyCategoryRepository
from infrastructure.persistence.sqlalchemy.engine import behind_transaction_pooler, build_engine
from infrastructure.persistence.sqlalchemy.job_counts import job_counts
from infrastructure.persistence.sqlalchemy.jobs import SqlAlchemyJobRepository
from infrastructure.persistence.sqlalchemy.migration_commands import MigrationCommands
from infrastructure.persistence.sqlalchemy.pool import pool_status
from infrastructure.persistence.sqlalchemy.probe import SqlAlchemyDatabaseProbe
from infrastructure.persistence.sqlalchemy.reachability import check_reachable
from infrastructure.persistence.sqlalchemy.records import metadata
from infrastructure.persistence.sqlalchemy.session import (
    build_read_engine,
    build_session_factory,
)
from infrastructure.persistence.sqlalchemy.tasks import SqlAlchemyTaskRepository
from infrastructure.persistence.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from infrastructure.persistence.sqlalchemy.users import SqlAlchemyUserRepository

if TYPE_CHECKING:
    from infrastructure.persistence.sqlalchemy.config import sqlalchemy_config
    from infrastructure.persistence.sqlalchemy.schema_upgrade import upgrade_schema

# Loaded on first use, not with the package: the config imports advanced-alchemy's
# Litestar extension, the upgrade Alembic (about 10 MiB together), and only migrations
# need them, never a serving process.
_MIGRATIONS = {
    "sqlalchemy_config": "infrastructure.persistence.sqlalchemy.config",
    "upgrade_schema": "infrastructure.persistence.sqlalchemy.schema_upgrade",
}


def __getattr__(name: str) -> object:
    if name in _MIGRATIONS:
        return getattr(importlib.import_module(_MIGRATIONS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "MigrationCommands",
    "SqlAlchemyCategoryRepository",
    "SqlAlchemyDatabaseProbe",
    "SqlAlchemyJobRepository",
    "SqlAlchemyTaskRepository",
    "SqlAlchemyUnitOfWork",
    "SqlAlchemyUserRepository",
    "behind_transaction_pooler",
    "build_engine",
    "build_read_engine",
    "build_session_factory",
    "check_reachable",
    "job_counts",
    "metadata",
    "pool_status",
    "sqlalchemy_config",
    "upgrade_schema",
]
