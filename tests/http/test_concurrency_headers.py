"""Optimistic concurrency over HTTP: ``ETag`` is the version, ``If-Match`` guards writes."""

import pytest

from tests.http.support import Api, assert_problem

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize("if_match", ['"1"', 'W/"1"', "1", "*", ' "1" '])
async def test_a_matching_if_match_applies(api: Api, if_match: str) -> None:
    await api.sign_up()
    task = await api.task()
    response = await api.patch(
        f"/tasks/{task['id']}", json={"title": "new"}, headers={"If-Match": if_match}
    )
    assert response.status_code == 200
    assert response.headers["etag"] == '"2"'


@pytest.mark.parametrize(
    "if_match", ['"2"', '"0"', '"-1"', '"abc"', '"99999999999999999999"', '"1", "2"', ""]
)
async def test_a_stale_or_impossible_if_match_is_412_and_changes_nothing(
    api: Api, if_match: str
) -> None:
    await api.sign_up()
    task = await api.task()
    path = f"/tasks/{task['id']}"
    assert_problem(
        await api.patch(path, json={"title": "new"}, headers={"If-Match": if_match}), 412
    )
    assert_problem(await api.delete(path, headers={"If-Match": if_match}), 412)
    assert (await api.get(path)).json() == task


async def test_the_second_of_two_writes_with_the_same_etag_fails(api: Api) -> None:
    await api.sign_up()
    task = await api.task()
    path = f"/tasks/{task['id']}"
    first = await api.patch(path, json={"title": "first"}, headers={"If-Match": '"1"'})
    assert first.status_code == 200
    second = await api.patch(path, json={"title": "second"}, headers={"If-Match": '"1"'})
    assert_problem(second, 412)
    current = (await api.get(path)).json()
    assert current["title"] == "first"
    assert current["version"] == 2


async def test_empty_patch_with_stale_if_match_is_412(api: Api) -> None:
    await api.sign_up()
    task = await api.task()
    await api.patch(f"/tasks/{task['id']}", json={"title": "x"})
    response = await api.patch(f"/tasks/{task['id']}", json={}, headers={"If-Match": '"1"'})
    assert_problem(response, 412)


async def test_delete_with_current_if_match_applies(api: Api) -> None:
    await api.sign_up()
    task = await api.task()
    await api.patch(f"/tasks/{task['id']}", json={"completed": True})
    response = await api.delete(f"/tasks/{task['id']}", headers={"If-Match": '"2"'})
    assert response.status_code == 204


async def test_writes_without_if_match_grow_the_version_by_one_each(api: Api) -> None:
    await api.sign_up()
    task = await api.task()
    for expected in range(2, 7):
        response = await api.patch(f"/tasks/{task['id']}", json={"title": f"v{expected}"})
        assert response.json()["version"] == expected
        assert response.headers["etag"] == f'"{expected}"'


async def test_if_match_on_a_missing_task_is_404(api: Api) -> None:
    await api.sign_up()
    response = await api.patch("/tasks/4242", json={"title": "x"}, headers={"If-Match": '"1"'})
    assert_problem(response, 404)
