"""Path ids: only plain ASCII decimal digits name a resource; static routes still win."""

import pytest
import pytest_asyncio

from tests.http.support import Api, assert_problem

pytestmark = pytest.mark.asyncio

# Each of these is read as 4 by int(); none is "4" written plainly.
NOT_PLAIN = ["+4", "04", "004", "%204", "4%20", "4%0A", "%094", "\uff14", "\u0664", "4_0"]


@pytest_asyncio.fixture
async def four(api: Api) -> Api:
    """A user owning task 4, category 4 and job 4."""
    await api.sign_up()
    for n in range(4):
        await api.task()
        await api.category(f"c{n}")
        assert (await api.post("/tasks/process", json={"task_ids": [1]})).status_code == 202
    return api


@pytest.mark.parametrize("prefix", ["/tasks", "/categories", "/jobs"])
async def test_plain_digits_name_the_resource(four: Api, prefix: str) -> None:
    response = await four.get(f"{prefix}/4")
    assert response.status_code == 200, response.text
    assert response.json()["id"] == 4


@pytest.mark.parametrize("spelling", NOT_PLAIN)
@pytest.mark.parametrize("prefix", ["/tasks", "/categories", "/jobs"])
async def test_other_spellings_name_nothing(four: Api, prefix: str, spelling: str) -> None:
    assert_problem(await four.get(f"{prefix}/{spelling}"), 404)


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
@pytest.mark.parametrize("prefix", ["/tasks", "/categories"])
async def test_writes_through_other_spellings_change_nothing(
    four: Api, prefix: str, method: str
) -> None:
    for spelling in NOT_PLAIN:
        assert_problem(await four.request(method, f"{prefix}/{spelling}", json={}), 404)
    after = (await four.get(f"{prefix}/4")).json()
    assert after["created_at"] == after["updated_at"]


@pytest.mark.parametrize("value", ["0", "9223372036854775808", "1" * 40, "-1"])
async def test_ids_outside_the_storable_range_are_404(four: Api, value: str) -> None:
    assert_problem(await four.get(f"/tasks/{value}"), 404)


async def test_static_routes_still_win(four: Api) -> None:
    bulk = await four.post("/tasks/bulk", json={"items": [{"title": "b"}]})
    assert bulk.status_code == 200, bulk.text
    process = await four.post("/tasks/process", json={"task_ids": [4]})
    assert process.status_code == 202, process.text


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("GET", "/tasks/bulk", {"POST", "OPTIONS"}),
        ("DELETE", "/tasks/process", {"POST", "OPTIONS"}),
        ("PUT", "/tasks/4", {"GET", "PATCH", "DELETE", "OPTIONS"}),
        ("POST", "/categories/4", {"GET", "PATCH", "DELETE", "OPTIONS"}),
        ("DELETE", "/jobs/4", {"GET", "OPTIONS"}),
    ],
)
async def test_unknown_methods_are_405_with_allow(
    four: Api, method: str, path: str, allowed: set[str]
) -> None:
    response = await four.request(method, path)
    assert_problem(response, 405)
    assert {m.strip() for m in response.headers["allow"].split(",")} == allowed
