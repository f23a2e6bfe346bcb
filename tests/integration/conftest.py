"""The whole app on the per-run PostgreSQL database, driven over ASGI in one event loop."""

from collections.abc import AsyncIterator, Awaitable, Callable
from uuid import uuid4

import httpx
import pytest
import pytest_asyncio

from infrastructure.settings import DatabaseSettings, Settings
from interfaces.app import create_app
from tests.support.asgi import asgi_transport, serving
from tests.support.tokens import TEST_JWT_SECRET

pytestmark = pytest.mark.postgres

Client = httpx.AsyncClient


@pytest.fixture(params=["direct", "pgbouncer"])
def pg_database(request: pytest.FixtureRequest, migrated_postgres_url: str) -> DatabaseSettings:
    """The migrated per-run database, reached directly or through PgBouncer in transaction
    mode, with a pool wide enough for the concurrency tests. Sync: PgBouncer starts here.
    """
    url, pgbouncer = migrated_postgres_url, False
    if request.param == "pgbouncer":
        url, pgbouncer = request.getfixturevalue("pgbouncer_url"), True
    return DatabaseSettings(url=url, pool_size=20, max_overflow=20, pgbouncer=pgbouncer)


@pytest_asyncio.fixture
async def pg_client(pg_database: DatabaseSettings) -> AsyncIterator[Client]:
    """A client of an app on PostgreSQL (directly, then through PgBouncer)."""
    settings = Settings(
        database=pg_database,
        argon2_time_cost=1,
        argon2_memory_kib=8,
        jwt_secret=TEST_JWT_SECRET,
    )
    app = create_app(settings)
    async with serving(app):
        transport = asgi_transport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://tasklane") as client:
            yield client


@pytest.fixture
def sign_up(pg_client: Client) -> Callable[[], Awaitable[dict[str, str]]]:
    """Registers a fresh user and returns the headers that authenticate as them."""

    async def register_and_log_in() -> dict[str, str]:
        credentials = {"email": f"{uuid4().hex}@example.com", "password": "long enough"}
        created = await pg_client.post("/auth/register", json=credentials)
        assert created.status_code == 201, created.text
        login = await pg_client.post("/auth/login", json=credentials)
        assert login.status_code == 200, login.text
        return {"Authorization": f"Bearer {login.json()['access_token']}"}

    return register_and_log_in
