"""Persistence on SQLAlchemy (async): engine, records, repositories, unit of work, upgrades."""

from infrastructure.persistence.sqlalchemy.categories import SqlAlchemyCategoryRepository
from infrastructure.persistence.sqlalchemy.engine import behind_transaction_pooler, build_engine
from infrastructure.persistence.sqlalchemy.job_counts import job_counts
from infrastructure.persistence.sqlalchemy.jobs import SqlAlchemyJobRepository
from infrastructure.persistence.sqlalchemy.migration_commands import MigrationCommands
from infrastructure.persistence.sqlalchemy.pool import pool_status
from infrastructure.persistence.sqlalchemy.probe import SqlAlchemyDatabaseProbe
from infrastructure.persistence.sqlalchemy.reachability import check_reachable
from infrastructure.persistence.sqlalchemy.reads import build_read_engine
from infrastructure.persistence.sqlalchemy.records import metadata
from infrastructure.persistence.sqlalchemy.session import build_session_factory
from infrastructure.persistence.sqlalchemy.tasks import SqlAlchemyTaskRepository
from infrastructure.persistence.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from infrastructure.persistence.sqlalchemy.users import SqlAlchemyUserRepository

# Not exported here: ``config`` (advanced-alchemy's Litestar extension) and
# ``schema_upgrade`` (Alembic) are about 10 MiB that only migrations need, never a
# serving process; import them from their modules.
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
]
