"""Cross-cutting rules: problem details, X-Request-ID, body size, 503 and 500 answers."""

import logging
import time
import uuid
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

import jwt
import pytest

from domain.errors import TransientError, UnavailableError
from domain.unit_of_work import UnitOfWork
from tests.http.support import PROBLEM, Api, assert_problem
from tests.support.tokens import TEST_JWT_SECRET

pytestmark = pytest.mark.asyncio

SECRET_SQL = "SELECT password_hash FROM users WHERE secret = 'hunter2'"


class _FailingUnitOfWork:
    """A unit of work whose every opening fails with ``error``."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def reading(self) -> Self:
        return self

    async def __aenter__(self) -> Self:
        raise self.error

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None


def _failing(error: Exception) -> Callable[[], UnitOfWork]:
    return lambda: _FailingUnitOfWork(error)  # type: ignore[return-value]


async def test_request_id_is_echoed(api: Api) -> None:
    for path in ("/health/live", "/tasks", "/no/such/route"):
        response = await api.get(path, headers={"X-Request-ID": "abc-123.XYZ"})
        assert response.headers["x-request-id"] == "abc-123.XYZ", path


async def test_request_id_is_generated_when_absent_or_insane(api: Api) -> None:
    seen = set()
    for headers in (
        {},
        {"X-Request-ID": "x" * 500},
        {"X-Request-ID": "a b<script>"},
        {"X-Request-ID": ""},
    ):
        for path in ("/health/live", "/tasks", "/no/such/route"):
            response = await api.get(path, headers=headers)
            request_id = response.headers["x-request-id"]
            assert len(request_id) == 32, (headers, path)
            seen.add(request_id)
    assert len(seen) == 12


async def test_every_error_is_problem_json(api: Api) -> None:
    unknown = await api.get("/no/such/route")
    body = assert_problem(unknown, 404)
    assert body["type"].startswith("https://")
    method = await api.request("PUT", "/tasks")
    assert_problem(method, 405)
    assert "allow" in method.headers
    assert_problem(await api.get("/tasks"), 401)


async def test_body_over_one_mebibyte_is_413(api: Api) -> None:
    await api.sign_up()
    huge = b'{"title": "' + b"x" * (1024 * 1024) + b'"}'
    response = await api.post("/tasks", content=huge, headers={"Content-Type": "application/json"})
    assert_problem(response, 413)
    assert response.headers["x-request-id"]


async def test_body_just_under_the_limit_is_read(api: Api) -> None:
    await api.sign_up()
    padding = " " * (1024 * 1024 - 100)
    content = ('{"title": "fits"' + padding + "}").encode()
    response = await api.post(
        "/tasks", content=content, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 201


async def test_body_too_large_without_content_length_is_413(api: Api) -> None:
    await api.sign_up()

    async def chunks() -> Any:
        for _ in range(20):
            yield b"x" * 65536

    response = await api.post(
        "/tasks", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert_problem(response, 413)


class TestStoreUnavailable:
    @pytest.fixture
    def unit_of_work_factory(self) -> Callable[[], UnitOfWork]:
        return _failing(UnavailableError("connection refused to db.internal:5432"))

    async def test_any_route_needing_the_store_is_503_with_retry_after(self, api: Api) -> None:
        register = await api.post("/auth/register", json={"email": "a@b.io", "password": "x" * 10})
        assert_problem(register, 503)
        assert int(register.headers["retry-after"]) >= 1
        login = await api.post("/auth/login", json={"email": "a@b.io", "password": "x" * 10})
        assert_problem(login, 503)
        assert "retry-after" in login.headers

    async def test_resource_routes_are_503_too(self, api: Api) -> None:
        now = int(time.time())
        claims = {"sub": str(uuid.uuid4()), "iat": now, "exp": now + 60}
        token = jwt.encode(claims, TEST_JWT_SECRET, algorithm="HS256")
        api.auth = {"Authorization": f"Bearer {token}"}
        for method, path in (("GET", "/tasks"), ("POST", "/tasks"), ("GET", "/categories")):
            response = await api.request(method, path, json={"title": "t"})
            assert_problem(response, 503)
            assert int(response.headers["retry-after"]) >= 1


class TestTransientFailureOutlastingRetries:
    @pytest.fixture
    def unit_of_work_factory(self) -> Callable[[], UnitOfWork]:
        return _failing(TransientError("the database is busy, try again", code="40001"))

    async def test_is_503(self, api: Api) -> None:
        response = await api.post("/auth/register", json={"email": "a@b.io", "password": "x" * 10})
        assert_problem(response, 503)
        assert "retry-after" in response.headers


class TestUnexpectedError:
    @pytest.fixture
    def unit_of_work_factory(self) -> Callable[[], UnitOfWork]:
        return _failing(RuntimeError(SECRET_SQL))

    async def test_is_a_generic_500_logged_with_its_traceback(
        self, api: Api, caplog: pytest.LogCaptureFixture
    ) -> None:
        with caplog.at_level(logging.ERROR, logger="tasklane.http"):
            response = await api.post(
                "/auth/register",
                json={"email": "a@b.io", "password": "x" * 10},
                headers={"X-Request-ID": "trace-me"},
            )
        body = assert_problem(response, 500)
        assert response.headers["content-type"] == PROBLEM
        assert response.headers["x-request-id"] == "trace-me"
        for leak in ("SELECT", "hunter2", "Traceback", "RuntimeError", "password_hash"):
            assert leak not in response.text
        assert set(body) == {"type", "title", "status", "detail"}
        records = [r for r in caplog.records if r.name == "tasklane.http"]
        assert records
        assert records[0].exc_info is not None
        assert "trace-me" in records[0].getMessage()


async def test_error_bodies_carry_no_traceback(api: Api) -> None:
    await api.sign_up()
    responses = [
        await api.post("/tasks", content=b"{oops", headers={"Content-Type": "application/json"}),
        await api.get("/tasks", params={"limit": "x"}),
        await api.get("/tasks/1"),
    ]
    for response in responses:
        assert response.headers["content-type"] == PROBLEM
        assert "Traceback" not in response.text
        assert "File " not in response.text


async def test_openapi_document_is_served(api: Api) -> None:
    response = await api.get("/schema/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert {"/auth/register", "/auth/login", "/auth/me", "/tasks", "/tasks/bulk"} <= set(
        document["paths"]
    )
    create = document["paths"]["/tasks"]["post"]
    body = create["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/TaskCreateRequest"}
    schema = document["components"]["schemas"]["TaskCreateRequest"]
    assert schema["additionalProperties"] is False
    assert "title" in schema["required"]
    assert (await api.get("/schema")).status_code == 200
