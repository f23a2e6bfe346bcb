"""Durable jobs on PostgreSQL: accepted jobs survive restarts and dead workers, and run once."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from application.jobs.settings import JobSettings
from domain.ids import UserId
from infrastructure.persistence.sqlalchemy import (
    SqlAlchemyUnitOfWork,
    build_engine,
)
from infrastructure.settings import DatabaseSettings, Settings
from interfaces.app import create_app
from tests.http.support import Api
from tests.support.asgi import asgi_transport, serving
from tests.support.tokens import TEST_JWT_SECRET

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio]

FAST_JOBS = JobSettings(
    workers=0,
    poll_interval_s=0.05,
    lease_s=0.5,
    batch_size=2,
    grace_s=1.0,
    # One user queues 20 jobs at once here.
    max_queued_per_user=100,
)


def _settings(url: str, jobs: JobSettings) -> Settings:
    return Settings(
        database=DatabaseSettings(url=url, pool_size=5, max_overflow=5),
        argon2_time_cost=1,
        argon2_memory_kib=8,
        jobs=jobs,
        jwt_secret=TEST_JWT_SECRET,
    )


@asynccontextmanager
async def running_app(url: str, jobs: JobSettings) -> AsyncIterator[Api]:
    """An app instance on the shared database; leaving the block is its shutdown."""
    app = create_app(_settings(url, jobs))
    async with serving(app):
        transport = asgi_transport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://tasklane") as client:
            yield Api(client)


async def _until_finished(api: Api, location: str, timeout_s: float = 10) -> dict[str, Any]:
    async with asyncio.timeout(timeout_s):
        while True:
            job: dict[str, Any] = (await api.get(location)).json()
            if job["status"] in ("succeeded", "failed"):
                return job
            await asyncio.sleep(0.05)


async def _versions(api: Api, ids: list[int]) -> list[int]:
    return [(await api.get(f"/tasks/{i}")).json()["version"] for i in ids]


async def test_a_job_accepted_before_a_restart_completes_after_it(
    migrated_postgres_url: str,
) -> None:
    email = f"{uuid4().hex}@example.com"
    async with running_app(migrated_postgres_url, FAST_JOBS) as api:
        await api.sign_up(email)
        ids = [(await api.task(title=f"t{n}"))["id"] for n in range(5)]
        accepted = await api.post("/tasks/process", json={"task_ids": ids})
        assert accepted.status_code == 202
        location = accepted.headers["Location"]
    # The first instance stopped before any worker ran (it had none).
    async with running_app(migrated_postgres_url, replace(FAST_JOBS, workers=1)) as api:
        await _log_in(api, email)
        job = await _until_finished(api, location)
        assert (job["status"], job["processed"], job["skipped"]) == ("succeeded", 5, [])
        # Each task was processed exactly once: one version step each.
        assert await _versions(api, ids) == [2] * 5


async def test_a_job_whose_worker_died_mid_way_is_resumed_once(
    migrated_postgres_url: str,
) -> None:
    email = f"{uuid4().hex}@example.com"
    async with running_app(migrated_postgres_url, FAST_JOBS) as api:
        await api.sign_up(email)
        me = UserId(UUID((await api.get("/auth/me")).json()["id"]))
        ids = [(await api.task(title=f"t{n}"))["id"] for n in range(5)]
        location = (await api.post("/tasks/process", json={"task_ids": ids})).headers["Location"]
    await _die_after_one_batch(migrated_postgres_url, me)
    # A new instance claims the job once the dead worker's lease has run out.
    async with running_app(migrated_postgres_url, replace(FAST_JOBS, workers=1)) as api:
        await _log_in(api, email)
        job = await _until_finished(api, location)
        assert (job["status"], job["processed"]) == ("succeeded", 5)
        assert await _versions(api, ids) == [2] * 5


async def test_workers_of_two_instances_never_run_the_same_job(
    migrated_postgres_url: str,
) -> None:
    email = f"{uuid4().hex}@example.com"
    async with running_app(migrated_postgres_url, FAST_JOBS) as api:
        await api.sign_up(email)
        ids = [(await api.task(title=f"t{n}"))["id"] for n in range(40)]
        locations = [
            (await api.post("/tasks/process", json={"task_ids": ids[n : n + 2]})).headers[
                "Location"
            ]
            for n in range(0, 40, 2)
        ]
    many = replace(FAST_JOBS, workers=3, lease_s=5.0)
    async with (
        running_app(migrated_postgres_url, many) as first,
        running_app(migrated_postgres_url, many),
    ):
        await _log_in(first, email)
        jobs = [await _until_finished(first, location) for location in locations]
        assert {job["status"] for job in jobs} == {"succeeded"}
        assert await _versions(first, ids) == [2] * 40


async def _log_in(api: Api, email: str) -> None:
    from tests.http.support import PASSWORD

    login = await api.client.post("/auth/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 200, login.text
    api.auth = {"Authorization": f"Bearer {login.json()['access_token']}"}


async def _die_after_one_batch(url: str, owner: UserId) -> None:
    """A worker claims the job, commits one batch of progress and is never heard of again."""
    engine = build_engine(DatabaseSettings(url=url), production=False)
    try:
        uow = SqlAlchemyUnitOfWork(engine)
        async with uow:
            job = await uow.jobs.claim("doomed-worker", FAST_JOBS.lease_s)
            assert job is not None
            assert job.owner_id == owner, (job, owner)
            batch = job.remaining[: FAST_JOBS.batch_size]
            marked = await uow.tasks.mark_processed(owner, batch)
            assert marked == set(batch)
            assert await uow.jobs.advance(
                job.id, "doomed-worker", job.processed, len(batch), (), 0.5
            )
            await uow.commit()
    finally:
        await engine.dispose()
