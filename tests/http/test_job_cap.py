"""POST /tasks/process beyond the per-user cap of unfinished jobs: 429 with Retry-After."""

from dataclasses import replace

import pytest

from infrastructure.settings import Settings
from tests.http.conftest import FAST
from tests.http.support import Api, assert_problem

pytestmark = pytest.mark.asyncio


@pytest.fixture
def settings() -> Settings:
    """No workers, so accepted jobs stay queued; two per user at most."""
    return replace(FAST, jobs=replace(FAST.jobs, workers=0, max_queued_per_user=2))


async def test_a_user_past_the_cap_is_told_when_to_come_back(api: Api) -> None:
    await api.sign_up("busy@example.com")
    for _ in range(2):
        assert (await api.post("/tasks/process", json={"task_ids": [1]})).status_code == 202
    refused = await api.post("/tasks/process", json={"task_ids": [1]})
    body = assert_problem(refused, 429)
    assert int(refused.headers["Retry-After"]) == 5
    assert "at most 2 jobs" in body["detail"]
    # Another user is not held back by the first one's queue.
    await api.sign_up("idle@example.com")
    assert (await api.post("/tasks/process", json={"task_ids": [1]})).status_code == 202
