"""The per-user cap holds under concurrent submissions at every isolation level."""

import asyncio
from collections import Counter
from uuid import uuid4

import httpx
import pytest

from application.jobs.settings import JobSettings
from application.retry import RetryPolicy
from infrastructure.settings import ISOLATION_LEVELS, DatabaseSettings, Settings
from interfaces.app import create_app
from tests.support.asgi import asgi_transport, serving
from tests.support.tokens import TEST_JWT_SECRET

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio]

PATIENT = RetryPolicy(attempts=20, base_delay_s=0.01, max_delay_s=0.1, budget_s=10.0)


@pytest.mark.parametrize("isolation_level", ISOLATION_LEVELS)
async def test_twelve_simultaneous_submissions_queue_exactly_the_cap(
    migrated_postgres_url: str, isolation_level: str
) -> None:
    database = DatabaseSettings(
        url=migrated_postgres_url, pool_size=12, max_overflow=0, isolation_level=isolation_level
    )
    settings = Settings(
        database=database,
        jwt_secret=TEST_JWT_SECRET,
        retry=PATIENT,
        argon2_time_cost=1,
        argon2_memory_kib=8,
        jobs=JobSettings(workers=0, max_queued_per_user=3),
    )
    app = create_app(settings)
    async with serving(app):
        transport = asgi_transport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://tasklane") as client:
            credentials = {"email": f"{uuid4().hex}@example.com", "password": "long enough"}
            assert (await client.post("/auth/register", json=credentials)).status_code == 201
            token = (await client.post("/auth/login", json=credentials)).json()["access_token"]
            auth = {"Authorization": f"Bearer {token}"}
            async with asyncio.timeout(20):
                responses = await asyncio.gather(
                    *(
                        client.post("/tasks/process", json={"task_ids": [1]}, headers=auth)
                        for _ in range(12)
                    )
                )
    assert Counter(r.status_code for r in responses) == {202: 3, 429: 9}, [
        r.text for r in responses if r.status_code not in (202, 429)
    ]
