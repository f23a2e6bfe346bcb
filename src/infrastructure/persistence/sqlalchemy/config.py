"""advanced-alchemy's plugin configuration, wired to our engine, sessions and migrations."""

from pathlib import Path

from advanced_alchemy.extensions.litestar import AlembicAsyncConfig, SQLAlchemyAsyncConfig
from sqlalchemy.ext.asyncio import AsyncEngine

from infrastructure.persistence.sqlalchemy.engine import build_engine
from infrastructure.persistence.sqlalchemy.records import metadata
from infrastructure.persistence.sqlalchemy.session import build_session_factory
from infrastructure.settings import Settings

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"
VERSION_TABLE = "alembic_versions"


def sqlalchemy_config(
    settings: Settings, engine: AsyncEngine | None = None
) -> SQLAlchemyAsyncConfig:
    """The config for ``SQLAlchemyPlugin`` and ``litestar database ...``.

    The schema comes from migrations only (``create_all`` off), and the default
    ``before_send_handler`` only closes sessions: units of work commit themselves.
    """
    if engine is None:
        engine = build_engine(settings.database, production=settings.is_production)
    return SQLAlchemyAsyncConfig(
        engine_instance=engine,
        session_maker=build_session_factory(engine),
        metadata=metadata,
        create_all=False,
        alembic_config=AlembicAsyncConfig(
            script_location=str(MIGRATIONS_DIR),
            version_table_name=VERSION_TABLE,
            render_as_batch=True,
        ),
    )
