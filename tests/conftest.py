"""Fixtures every test layer shares: a PostgreSQL database of this run's own."""

import asyncio
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

DEFAULT_TEST_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/test"


def _server_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL") or DEFAULT_TEST_DATABASE_URL
    # asyncpg speaks only the plain scheme.
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


async def _admin(url: str, sql: str) -> None:
    connection = await asyncpg.connect(url, timeout=5)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh, empty database for this test run (``postgresql://`` URL), dropped at the end.

    Skips when no server answers, unless ``REQUIRE_POSTGRES=1`` (CI), where that fails.
    """
    server = _server_url()
    name = f"tasklane_test_{os.getpid()}_{secrets.token_hex(4)}"
    try:
        asyncio.run(_admin(server, f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        reason = f"PostgreSQL not reachable at {server}: {error}"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(reason)
    try:
        yield _with_database(server, name)
    finally:
        asyncio.run(_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def migrated_postgres_url(postgres_url: str) -> str:
    """The per-run database with the schema migrated to head."""
    from infrastructure.persistence.sqlalchemy.schema_upgrade import upgrade_schema
    from infrastructure.settings import DatabaseSettings

    upgrade_schema(DatabaseSettings(url=postgres_url))
    return postgres_url


@pytest.fixture(scope="session")
def pgbouncer_url(postgres_url: str) -> Iterator[str]:
    """The per-run database (``postgresql://`` URL) through a real PgBouncer in
    transaction-pooling mode, started once per run.

    Connect with ``DatabaseSettings(url=..., pgbouncer=True)``; migrate through
    ``migrated_postgres_url`` (a direct connection). PgBouncer depends on
    ``postgres_url``, so it stops (releasing its server connections) before the database
    is dropped. Skips when PgBouncer is not installed, unless ``REQUIRE_POSTGRES=1`` (CI),
    where that fails.
    """
    from tests.support.pgbouncer import PgBouncer, find_pgbouncer

    if find_pgbouncer() is None:
        reason = "pgbouncer is not installed (apt-get install pgbouncer)"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(reason)
    bouncer = PgBouncer(postgres_url)
    try:
        yield bouncer.url_for(postgres_url)
    finally:
        bouncer.stop()


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The Redis server to count rate limits in; skips (fails in CI) when none answers."""
    from tests.support.redis_server import redis_url_or_skip

    return redis_url_or_skip()


@pytest.fixture
def redis_prefix(redis_url: str) -> Iterator[str]:
    """A rate-limit key prefix of this test's own, its keys deleted afterwards."""
    from tests.support.redis_server import delete_prefix, unique_prefix

    prefix = unique_prefix()
    yield prefix
    delete_prefix(redis_url, prefix)


@pytest.fixture(scope="session", autouse=True)
def _no_state_written_into_the_checkout() -> Iterator[None]:
    """Tests keep their state in temporary directories: a test that builds an app without
    a JWT secret or a database URL would write ``./data`` of the checkout instead.
    """
    data = Path(__file__).resolve().parent.parent / "data"
    existed = data.exists()
    yield
    if not existed and data.exists():
        pytest.fail(f"a test wrote {data}: give its settings a jwt_secret and a tmp database")
