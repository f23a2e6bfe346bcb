"""Request headers are bounded in total: past the bound, 431 on every route."""

import pytest

from interfaces.http.header_limit import MAX_HEADER_BYTES
from tests.http.support import Api, assert_problem

pytestmark = pytest.mark.asyncio

MIB = 1024 * 1024


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/tasks"),
        ("POST", "/tasks"),
        ("GET", "/health/live"),
        ("GET", "/no/such/route"),
        ("PUT", "/tasks/bulk"),
    ],
)
async def test_a_one_mebibyte_header_is_431_on_any_route(api: Api, method: str, path: str) -> None:
    await api.sign_up()
    response = await api.request(
        method, path, json={"title": "t"}, headers={"X-Big": "a" * MIB, "X-Request-ID": "big-1"}
    )
    body = assert_problem(response, 431)
    assert body["type"].endswith("/headers-too-large")
    assert str(MAX_HEADER_BYTES) in body["detail"]
    assert response.headers["x-request-id"] == "big-1"
    assert (await api.get("/tasks")).json()["total"] == 0


async def test_many_small_headers_count_together(api: Api) -> None:
    headers = {f"X-Part-{n}": "a" * 1000 for n in range(MAX_HEADER_BYTES // 1000 + 1)}
    assert_problem(await api.get("/health/live", headers=headers), 431)


async def test_headers_just_under_the_bound_are_served(api: Api) -> None:
    await api.sign_up()
    # Everything else httpx and the test send stays well under 1 KiB.
    response = await api.get("/tasks", headers={"X-Big": "a" * (MAX_HEADER_BYTES - 1024)})
    assert response.status_code == 200, response.text
