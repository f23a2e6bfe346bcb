"""Idempotency-Key on the four creating POSTs (in memory; PostgreSQL in integration/)."""

from typing import Any

import httpx
import pytest

from tests.http.support import Api, assert_problem
from tests.http.test_jobs import finished

pytestmark = pytest.mark.asyncio

KEY = "3f1c9a7e-order-42"


def keyed(key: str = KEY) -> dict[str, str]:
    return {"Idempotency-Key": key}


async def count(api: Api, path: str) -> int:
    listing = await api.get(path, params={"limit": 100})
    assert listing.status_code == 200, listing.text
    total: int = listing.json()["total"]
    return total


def assert_replay_of(first: httpx.Response, again: httpx.Response) -> None:
    assert again.status_code == first.status_code
    assert again.content == first.content
    for header in ("Location", "ETag", "content-type"):
        assert again.headers.get(header) == first.headers.get(header), header
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers


async def test_a_replayed_create_answers_identically_and_creates_nothing(api: Api) -> None:
    await api.sign_up()
    body = {"title": "pay rent", "priority": "high", "category": {"name": "Home"}}
    first = await api.post("/tasks", json=body, headers=keyed())
    assert first.status_code == 201, first.text
    assert first.headers["Location"] == f"/tasks/{first.json()['id']}"
    assert first.headers["ETag"] == '"1"'
    # The same body written differently (key order, spacing) is the same request.
    respelled = b'{ "category": {"name": "Home"}, "priority": "high",  "title": "pay rent" }'
    again = await api.post(
        "/tasks",
        content=respelled,
        headers={**keyed(), "content-type": "application/json"},
    )
    assert_replay_of(first, again)
    assert await count(api, "/tasks") == 1
    assert await count(api, "/categories") == 1


async def test_a_replay_returns_the_stored_answer_even_after_the_task_changed(api: Api) -> None:
    await api.sign_up()
    first = await api.post("/tasks", json={"title": "draft"}, headers=keyed())
    task_id = first.json()["id"]
    assert (await api.patch(f"/tasks/{task_id}", json={"title": "final"})).status_code == 200
    again = await api.post("/tasks", json={"title": "draft"}, headers=keyed())
    assert_replay_of(first, again)
    assert again.json()["title"] == "draft"
    assert (await api.get(f"/tasks/{task_id}")).json()["title"] == "final"


async def test_without_a_key_every_request_creates(api: Api) -> None:
    await api.sign_up()
    for _ in range(2):
        response = await api.post("/tasks", json={"title": "same"})
        assert response.status_code == 201
        assert "Idempotent-Replayed" not in response.headers
    assert await count(api, "/tasks") == 2


@pytest.mark.parametrize(
    ("path", "other_path", "body", "other_body"),
    [
        ("/tasks", "/tasks", {"title": "a"}, {"title": "b"}),
        ("/tasks", "/categories", {"title": "a"}, {"name": "a"}),
        ("/tasks/bulk", "/tasks/bulk?atomic=true", {"items": [{"title": "a"}]}, None),
    ],
    ids=["other-body", "other-path", "other-query"],
)
async def test_the_same_key_with_another_request_is_422(
    api: Api, path: str, other_path: str, body: dict[str, Any], other_body: dict[str, Any] | None
) -> None:
    await api.sign_up()
    assert (await api.post(path, json=body, headers=keyed())).status_code in (200, 201)
    reused = await api.post(other_path, json=other_body or body, headers=keyed())
    problem = assert_problem(reused, 422)
    assert problem["type"] == "https://tasklane.dev/problems/idempotency-key-reused"
    assert "Idempotent-Replayed" not in reused.headers
    # Nothing of the second request happened.
    assert await count(api, "/tasks") == 1
    assert await count(api, "/categories") == 0


async def test_keys_belong_to_their_user(api: Api) -> None:
    alice = await api.sign_up("alice@example.com")
    bob = await api.sign_up("bob@example.com")
    for_alice = await api.post("/tasks", json={"title": "a"}, headers={**alice, **keyed()})
    # Bob's first use of the same key runs, even with another body.
    for_bob = await api.post("/tasks", json={"title": "b"}, headers={**bob, **keyed()})
    assert for_alice.status_code == for_bob.status_code == 201
    assert "Idempotent-Replayed" not in for_bob.headers
    assert for_alice.json()["id"] != for_bob.json()["id"]
    again = await api.post("/tasks", json={"title": "a"}, headers={**alice, **keyed()})
    assert_replay_of(for_alice, again)


async def test_a_failed_request_stores_nothing_so_a_corrected_retry_runs(api: Api) -> None:
    await api.sign_up()
    await api.category("Work")
    invalid = await api.post("/tasks", json={"title": ""}, headers=keyed())
    assert_problem(invalid, 400, field="title")
    # 409: the inline category's name is taken; nothing is stored, not even the task.
    taken = {"title": "x", "category": {"name": "work"}}
    conflict = await api.post("/tasks", json=taken, headers=keyed())
    assert_problem(conflict, 409)
    assert "Retry-After" not in conflict.headers
    assert await count(api, "/tasks") == 0
    corrected = await api.post("/tasks", json={"title": "x"}, headers=keyed())
    assert corrected.status_code == 201, corrected.text
    assert "Idempotent-Replayed" not in corrected.headers
    assert await count(api, "/tasks") == 1


@pytest.mark.parametrize(
    "key",
    ["", " ", "has space", "x" * 256, "caf\u00e9", "tab\tkey"],
    ids=["empty", "space", "inner-space", "too-long", "non-ascii", "control"],
)
async def test_a_key_must_be_1_to_255_visible_ascii_characters(api: Api, key: str) -> None:
    await api.sign_up()
    # As bytes: httpx would refuse to send some of these as text.
    headers = [(name.encode(), value.encode()) for name, value in api.auth.items()]
    headers.append((b"Idempotency-Key", key.encode("utf-8")))
    response = await api.client.post("/tasks", json={"title": "a"}, headers=headers)
    assert_problem(response, 400, field="Idempotency-Key")
    assert await count(api, "/tasks") == 0


@pytest.mark.parametrize("key", ["a", "~" * 255, "!#$%&'*+-.^_`|~:/?@[]{}\"<>=,;\\()"])
async def test_every_visible_ascii_key_up_to_255_is_accepted(api: Api, key: str) -> None:
    await api.sign_up()
    first = await api.post("/tasks", json={"title": "a"}, headers=keyed(key))
    assert first.status_code == 201, first.text
    assert_replay_of(first, await api.post("/tasks", json={"title": "a"}, headers=keyed(key)))


async def test_a_category_create_is_replayed(api: Api) -> None:
    await api.sign_up()
    first = await api.post("/categories", json={"name": "Work"}, headers=keyed())
    assert first.status_code == 201, first.text
    again = await api.post("/categories", json={"name": "Work"}, headers=keyed())
    assert_replay_of(first, again)
    assert await count(api, "/categories") == 1


@pytest.mark.parametrize("atomic", ["false", "true"])
async def test_a_bulk_create_is_replayed(api: Api, atomic: str) -> None:
    await api.sign_up()
    items = {"items": [{"title": "a"}, {"title": ""}]} if atomic == "false" else None
    body = items or {"items": [{"title": "a"}, {"title": "b"}]}
    path = f"/tasks/bulk?atomic={atomic}"
    first = await api.post(path, json=body, headers=keyed())
    assert first.status_code == 200, first.text
    again = await api.post(path, json=body, headers=keyed())
    assert_replay_of(first, again)
    assert await count(api, "/tasks") == len(first.json()["created"])


async def test_a_process_request_replays_its_202_as_accepted(api: Api) -> None:
    await api.sign_up()
    task = await api.task()
    body = {"task_ids": [task["id"]]}
    first = await api.post("/tasks/process", json=body, headers=keyed())
    assert first.status_code == 202, first.text
    assert first.json()["status"] == "queued"
    job_path = first.headers["Location"]
    assert (await finished(api, job_path))["status"] == "succeeded"
    again = await api.post("/tasks/process", json=body, headers=keyed())
    # The answer as it was given: the job as accepted; its state now is at Location.
    assert_replay_of(first, again)
    assert again.json()["status"] == "queued"
    assert (await api.get(job_path)).json()["status"] == "succeeded"
