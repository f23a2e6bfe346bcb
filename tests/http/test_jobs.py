"""POST /tasks/process and GET /jobs/{id}: durable jobs worked in the background."""

import asyncio
from typing import Any

import pytest

from tests.http.support import Api, assert_problem

pytestmark = pytest.mark.asyncio


async def finished(api: Api, location: str, timeout_s: float = 5.0) -> dict[str, Any]:
    """Poll a job until it ends."""
    async with asyncio.timeout(timeout_s):
        while True:
            response = await api.get(location)
            assert response.status_code == 200, response.text
            job: dict[str, Any] = response.json()
            if job["status"] in ("succeeded", "failed"):
                return job
            await asyncio.sleep(0.02)


async def test_a_job_is_accepted_then_processes_the_callers_tasks(api: Api) -> None:
    await api.sign_up("mallory@example.com")
    theirs = await api.task(title="not yours")
    await api.sign_up("ada@example.com")
    first, second = await api.task(title="one"), await api.task(title="two")
    listed = [first["id"], second["id"], first["id"], theirs["id"], 999_999, -4]

    accepted = await api.post("/tasks/process", json={"task_ids": listed})

    assert accepted.status_code == 202, accepted.text
    job = accepted.json()
    assert accepted.headers["Location"] == f"/jobs/{job['id']}"
    assert set(job) == {
        "id", "status", "total", "processed", "skipped", "error", "created_at", "finished_at",
    }  # fmt: skip
    assert (job["status"], job["total"], job["processed"], job["skipped"]) == ("queued", 5, 0, [])
    done = await finished(api, accepted.headers["Location"])
    assert done["status"] == "succeeded"
    assert done["processed"] == done["total"] == 5
    assert done["skipped"] == [theirs["id"], 999_999, -4]
    assert done["error"] is None
    assert done["finished_at"] is not None
    for task in (first, second):
        now = (await api.get(f"/tasks/{task['id']}")).json()
        assert now["processed"] is True
        assert now["processed_at"] is not None
        assert now["version"] == task["version"] + 1


async def test_another_users_job_is_not_found(api: Api) -> None:
    await api.sign_up("ada@example.com")
    task = await api.task()
    accepted = await api.post("/tasks/process", json={"task_ids": [task["id"]]})
    await api.sign_up("mallory@example.com")
    assert_problem(await api.get(accepted.headers["Location"]), 404)


@pytest.mark.parametrize("job_id", ["0", "-1", "9223372036854775808", "abc", "424242"])
async def test_ids_that_name_no_job_are_not_found(api: Api, job_id: str) -> None:
    await api.sign_up()
    assert_problem(await api.get(f"/jobs/{job_id}"), 404)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"task_ids": []}, "task_ids"),
        ({"task_ids": list(range(1, 1002))}, "task_ids"),
        ({"task_ids": ["1"]}, "task_ids[0]"),
        ({"task_ids": [2**63]}, "task_ids[0]"),
        ({"task_ids": None}, "task_ids"),
        ({"task_ids": [1], "status": "running"}, "status"),
        ({}, "task_ids"),
    ],
)
async def test_bad_requests_are_refused_and_store_no_job(
    api: Api, body: dict[str, Any], field: str
) -> None:
    await api.sign_up()
    assert_problem(await api.post("/tasks/process", json=body), 400, field=field)


async def test_a_thousand_ids_are_accepted(api: Api) -> None:
    await api.sign_up()
    accepted = await api.post("/tasks/process", json={"task_ids": list(range(1, 1001))})
    assert accepted.status_code == 202
    done = await finished(api, accepted.headers["Location"])
    assert (done["processed"], len(done["skipped"])) == (1000, 1000)


async def test_jobs_need_a_token(api: Api) -> None:
    response = await api.client.post("/tasks/process", json={"task_ids": [1]})
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert_problem(await api.client.get("/jobs/1"), 401)
