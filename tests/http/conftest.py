"""HTTP tests: the app from ``create_app`` on in-memory persistence, in the test's loop."""

from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from application.jobs.settings import JobSettings
from domain.unit_of_work import UnitOfWork
from infrastructure.settings import RateLimitSettings, Settings
from interfaces.app import create_app
from tests.http.support import Api
from tests.support.asgi import asgi_transport, serving
from tests.support.tokens import TEST_JWT_SECRET

# Every test signs its users up from one address: the default sign-up limits would
# refuse the later ones. tests/http/test_rate_limits.py keeps the defaults.
GENEROUS = RateLimitSettings(
    login_per_account="1000/minute",
    login_per_address="1000/minute",
    register_per_account="1000/minute",
    register_per_address="1000/minute",
)
FAST = Settings(
    persistence="memory",
    jwt_secret=TEST_JWT_SECRET,
    argon2_time_cost=1,
    argon2_memory_kib=8,
    rate_limits=GENEROUS,
    log_level="WARNING",
    jobs=JobSettings(poll_interval_s=0.02, grace_s=1.0),
)


@pytest.fixture
def settings() -> Settings:
    """Memory persistence and cheap hashing."""
    return replace(FAST)


@pytest.fixture
def sqlite_json(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """SQLite (migrated), logs as JSON at INFO."""
    from tests.http.backends import settings_for  # which imports FAST from here

    request.param = "sqlite"
    return replace(settings_for(request, tmp_path), log_level="INFO", log_format="json")


@pytest.fixture
def unit_of_work_factory() -> Callable[[], UnitOfWork] | None:
    """Override to inject a failing unit of work."""
    return None


@pytest_asyncio.fixture
async def api(
    settings: Settings, unit_of_work_factory: Callable[[], UnitOfWork] | None
) -> AsyncIterator[Api]:
    """A client for a fresh app, served in this test's event loop."""
    app = create_app(settings, unit_of_work_factory=unit_of_work_factory)
    async with serving(app):
        transport = asgi_transport(app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://tasklane.test"
        ) as client:
            yield Api(client)
