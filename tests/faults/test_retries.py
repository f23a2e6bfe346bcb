"""Transient failures are retried on a fresh connection; permanent ones never are."""

import asyncio

import pytest

from application.retry import RetryPolicy
from tests.faults.conftest import (
    Cluster,
    RowLock,
    assert_unavailable,
    fault_settings,
    retry_records,
    running_app,
    timed,
    wait_for_lock_waiters,
    wait_until_pool_idle,
)
from tests.http.support import assert_problem

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio]

PATIENT = RetryPolicy(attempts=15, base_delay_s=0.01, max_delay_s=0.2, budget_s=10.0)
# The server says 57P01 as it terminates the backend; asyncpg, reading a closed socket,
# may say 08003 (ConnectionDoesNotExistError) first.
LOST_CONNECTION = ("57P01", "08003", "AdminShutdownError", "ConnectionDoesNotExistError")


async def test_serialization_failures_are_retried_until_every_write_lands(
    cluster: Cluster, retry_log: pytest.LogCaptureFixture
) -> None:
    settings = fault_settings(
        cluster.url,
        retry=PATIENT,
        isolation_level="SERIALIZABLE",
        pool_size=8,
        pool_timeout=5.0,
    )
    async with running_app(settings) as api:
        await api.sign_up("serializable@example.com")
        task = await api.task(title="hot row")

        async with asyncio.timeout(20):
            responses = await asyncio.gather(
                *(
                    api.patch(f"/tasks/{task['id']}", json={"title": f"writer {n}"})
                    for n in range(8)
                )
            )

        assert [r.status_code for r in responses] == [200] * 8, [r.text for r in responses]
        assert sorted(r.json()["version"] for r in responses) == list(range(2, 10))
        final = await api.get(f"/tasks/{task['id']}")
        assert final.json()["version"] == 9
    assert any("40001" in message for message in retry_records(retry_log))


async def test_a_connection_killed_mid_statement_is_retried_on_a_fresh_one(
    cluster: Cluster, retry_log: pytest.LogCaptureFixture
) -> None:
    async with running_app(fault_settings(cluster.url, retry=PATIENT)) as api:
        await api.sign_up("terminated@example.com")
        task = await api.task(title="victim")
        async with RowLock(cluster, task["id"]) as lock:
            assert lock.admin is not None
            patch = asyncio.create_task(api.patch(f"/tasks/{task['id']}", json={"title": "done"}))
            [pid] = await wait_for_lock_waiters(lock.admin, 1)
            assert await lock.admin.fetchval("SELECT pg_terminate_backend($1)", pid)
            # The retry waits on the same lock, on another backend.
            await wait_for_lock_waiters(lock.admin, 1, besides=frozenset({pid}))
            await lock.release()
            async with asyncio.timeout(5):
                response = await patch

        assert response.status_code == 200, response.text
        assert response.json()["version"] == 2
        assert response.json()["title"] == "done"
        pool = await wait_until_pool_idle(api)
        assert pool["checked_out"] == 0
    retries = [m for m in retry_records(retry_log) if m.startswith("retrying")]
    assert len(retries) == 1, retries
    assert any(code in retries[0] for code in LOST_CONNECTION), retries


async def test_a_cancelled_statement_is_retried_not_a_500(
    cluster: Cluster, retry_log: pytest.LogCaptureFixture
) -> None:
    """57014 (pg_cancel_backend, a statement_timeout) aborts only that statement."""
    async with running_app(fault_settings(cluster.url, retry=PATIENT)) as api:
        await api.sign_up("cancelled@example.com")
        task = await api.task(title="slow")
        async with RowLock(cluster, task["id"]) as lock:
            assert lock.admin is not None
            patch = asyncio.create_task(api.patch(f"/tasks/{task['id']}", json={"title": "x"}))
            [pid] = await wait_for_lock_waiters(lock.admin, 1)
            assert await lock.admin.fetchval("SELECT pg_cancel_backend($1)", pid)
            await wait_for_lock_waiters(lock.admin, 1)  # the retry waits on the lock again
            await lock.release()
            async with asyncio.timeout(5):
                response = await patch

        assert response.status_code == 200, response.text
        assert response.json()["version"] == 2
    retries = [m for m in retry_records(retry_log) if m.startswith("retrying")]
    assert len(retries) == 1, retries
    assert "57014" in retries[0]


async def test_permanent_errors_are_never_retried(
    cluster: Cluster, retry_log: pytest.LogCaptureFixture
) -> None:
    async with running_app(fault_settings(cluster.url, retry=PATIENT)) as api:
        others = await api.sign_up("owner@example.com")
        foreign = await api.category("Theirs")
        await api.sign_up("permanent@example.com")
        task = await api.task(title="mine")
        retry_log.clear()

        taken = await api.client.post(
            "/auth/register", json={"email": "OWNER@example.com", "password": "long enough"}
        )
        assert_problem(taken, 409)
        foreign_category = await api.patch(
            f"/tasks/{task['id']}", json={"category_id": foreign["id"]}
        )
        assert_problem(foreign_category, 400, field="category_id")
        duplicate = await api.post("/tasks", json={"title": "x", "category": {"name": "Mine"}})
        assert duplicate.status_code == 201
        inline_taken = await api.post("/tasks", json={"title": "y", "category": {"name": "mine"}})
        assert_problem(inline_taken, 409)
        assert others  # the first user's token stays unused here

    assert retry_records(retry_log) == []


async def test_retries_that_run_out_answer_503(
    cluster: Cluster, retry_log: pytest.LogCaptureFixture
) -> None:
    short = RetryPolicy(attempts=2, base_delay_s=0.01, max_delay_s=0.05, budget_s=1.0)
    async with running_app(fault_settings(cluster.url, retry=short)) as api:
        await api.sign_up("spent@example.com")
        task = await api.task(title="unreachable")
        await cluster.stop()
        retry_log.clear()

        response, elapsed = await timed(api.get(f"/tasks/{task['id']}"), 3)

        assert_unavailable(response)
        assert elapsed < 3
        messages = retry_records(retry_log)
        assert sum(m.startswith("retrying") for m in messages) == 1, messages
        assert any(m.startswith("giving up after attempt 2") for m in messages), messages
        await cluster.start()


BLOCKER_TITLE = "hold my commit"
BLOCKER_LOCK = 4242
_BLOCK_COMMIT = f"""
CREATE FUNCTION faults_block_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.title = '{BLOCKER_TITLE}' THEN
        PERFORM pg_advisory_xact_lock({BLOCKER_LOCK});
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER faults_block_commit AFTER INSERT ON tasks
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION faults_block_commit();
"""
_UNBLOCK_COMMIT = """
DROP TRIGGER IF EXISTS faults_block_commit ON tasks;
DROP FUNCTION IF EXISTS faults_block_commit();
"""


async def test_a_connection_lost_during_commit_is_not_replayed(
    cluster: Cluster, retry_log: pytest.LogCaptureFixture
) -> None:
    """A deferred trigger makes COMMIT wait on an advisory lock; the backend is killed
    there, so the outcome is unknown to the app: 503, and no second try.
    """
    async with cluster.admin() as admin:
        await admin.execute(_BLOCK_COMMIT)
        try:
            async with running_app(fault_settings(cluster.url, retry=PATIENT)) as api:
                await api.sign_up("commit@example.com")
                await admin.execute("SELECT pg_advisory_lock($1)", BLOCKER_LOCK)
                create = asyncio.create_task(api.post("/tasks", json={"title": BLOCKER_TITLE}))
                [pid] = await wait_for_lock_waiters(admin, 1)
                query = await admin.fetchval(
                    "SELECT query FROM pg_stat_activity WHERE pid = $1", pid
                )
                assert query.rstrip(";").upper() == "COMMIT"
                retry_log.clear()
                assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
                async with asyncio.timeout(5):
                    response = await create
                await admin.execute("SELECT pg_advisory_unlock($1)", BLOCKER_LOCK)

                body = assert_unavailable(response)
                assert "may not be stored" in body["detail"]
                listing = await api.get("/tasks")
                assert listing.json()["total"] == 0  # this time the server rolled it back
                await wait_until_pool_idle(api)
        finally:
            await admin.execute(_UNBLOCK_COMMIT)
    assert not [m for m in retry_records(retry_log) if m.startswith("retrying")]
