"""HTTP tests once per backend: in memory, on a migrated SQLite file, and on the run's
PostgreSQL database (skipped when none answers, failed under REQUIRE_POSTGRES=1)."""

from dataclasses import replace
from pathlib import Path

import pytest

from infrastructure.settings import DatabaseSettings, Settings
from tests.http.conftest import FAST

BACKENDS = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def settings_for(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """``FAST`` settings on the backend ``request.param`` names, its schema migrated.
    Sync on purpose: migrations run their own event loop.
    """
    if request.param == "memory":
        return FAST
    from infrastructure.persistence.sqlalchemy.schema_upgrade import upgrade_schema

    if request.param == "postgres":
        # Shared with other suites: tests must use users unique per run.
        database = DatabaseSettings(url=request.getfixturevalue("postgres_url"))
    else:
        database = DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp_path}/t.db")
    upgrade_schema(database)
    return replace(FAST, persistence="sql", database=database)
