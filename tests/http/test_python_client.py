"""The typed Python client in ``clients/python``: generated from the current OpenAPI
document (a stale client fails here: run ``make client``), and it drives the service.
"""

import asyncio
from collections.abc import AsyncIterator
from http import HTTPStatus
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import pytest_asyncio
from tasklane_client import AuthenticatedClient, Client
from tasklane_client.api.auth import log_in, register
from tasklane_client.api.categories import get_category
from tasklane_client.api.jobs import get_job, process_tasks
from tasklane_client.api.tasks import bulk_create_tasks, create_task, get_task, update_task
from tasklane_client.models import (
    BulkCreateRequest,
    BulkCreateResponse,
    CategoryCreateRequest,
    CategoryResponse,
    JobResponse,
    LoginRequest,
    Problem,
    ProcessRequest,
    RegisterRequest,
    TaskCreateRequest,
    TaskResponse,
    TaskUpdateRequest,
    TokenResponse,
    UserResponse,
)
from tasklane_client.types import Response

from clients.generate import PYTHON_CLIENT, generate
from infrastructure.settings import Settings
from interfaces.app import create_app
from tests.support.asgi import asgi_transport, serving

BASE_URL = "http://tasklane.test"
PRECONDITION_FAILED = "precondition-failed"
# Task ids are never this large in a fresh store: a listed id that names no task.
MISSING_TASK = 10**9

Parsed = TypeVar("Parsed")


# What Python and the linters leave beside the code, never the generator's (and kept out of
# the repository by the caches' own or the client's .gitignore).
CACHES = frozenset({"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"})


def _files(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by its relative path, caches left out."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and CACHES.isdisjoint(path.relative_to(root).parts)
    }


def test_the_committed_client_is_what_the_current_document_generates(tmp_path: Path) -> None:
    fresh = tmp_path / "python"
    generate(fresh)
    committed, generated = _files(PYTHON_CLIENT), _files(fresh)
    stale = sorted(
        name
        for name in committed.keys() | generated.keys()
        if committed.get(name) != generated.get(name)
    )
    assert not stale, f"clients/python is stale, run `make client`; differing files: {stale}"


def _parsed(response: Response[Any], status: HTTPStatus, kind: type[Parsed]) -> Parsed:
    """The typed body of an answer expected to be ``status``."""
    assert response.status_code == status, response.content
    assert isinstance(response.parsed, kind), response.parsed
    return response.parsed


@pytest_asyncio.fixture
async def transport(settings: Settings) -> AsyncIterator[httpx.ASGITransport]:
    """Requests to a fresh app, served in this test's event loop."""
    app = create_app(settings)
    async with serving(app):
        yield asgi_transport(app)


async def _sign_up_and_log_in(transport: httpx.ASGITransport) -> str:
    """A new user's access token, through the unauthenticated client."""
    email, password = "ada@example.com", "correct horse battery"
    async with Client(
        base_url=BASE_URL, raise_on_unexpected_status=True, httpx_args={"transport": transport}
    ) as public:
        user = _parsed(
            await register.asyncio_detailed(
                client=public,
                body=RegisterRequest(email=email, password=password, display_name="Ada"),
            ),
            HTTPStatus.CREATED,
            UserResponse,
        )
        assert (user.email, user.display_name) == (email, "Ada")
        token = _parsed(
            await log_in.asyncio_detailed(
                client=public, body=LoginRequest(email=email, password=password)
            ),
            HTTPStatus.OK,
            TokenResponse,
        )
    return token.access_token


@pytest.mark.asyncio
async def test_the_client_drives_the_service_from_sign_up_to_a_finished_job(
    transport: httpx.ASGITransport,
) -> None:
    # Undocumented statuses raise; documented ones, errors included, come back typed.
    async with AuthenticatedClient(
        base_url=BASE_URL,
        token=await _sign_up_and_log_in(transport),
        raise_on_unexpected_status=True,
        httpx_args={"transport": transport},
    ) as client:
        # A task with a category of its own, created in the same request.
        created = await create_task.asyncio_detailed(
            client=client,
            body=TaskCreateRequest(
                title="Write the client",
                priority="high",
                category=CategoryCreateRequest(name="Work", color="#A0B1C2"),
            ),
        )
        task = _parsed(created, HTTPStatus.CREATED, TaskResponse)
        assert created.headers["Location"] == f"/tasks/{task.id}"
        assert created.headers["ETag"] == '"1"'
        assert task.priority == "high"
        assert isinstance(task.category_id, int)
        category = _parsed(
            await get_category.asyncio_detailed(task.category_id, client=client),
            HTTPStatus.OK,
            CategoryResponse,
        )
        assert (category.name, category.color) == ("Work", "#a0b1c2")

        read = await get_task.asyncio_detailed(task.id, client=client)
        assert _parsed(read, HTTPStatus.OK, TaskResponse).version == 1
        etag = read.headers["ETag"]

        changed = await update_task.asyncio_detailed(
            task.id, client=client, body=TaskUpdateRequest(completed=True), if_match=etag
        )
        assert _parsed(changed, HTTPStatus.OK, TaskResponse).version == 2
        assert changed.headers["ETag"] == '"2"'

        # The ETag read before that change is stale now: 412, as the typed Problem.
        refused = await update_task.asyncio_detailed(
            task.id, client=client, body=TaskUpdateRequest(title="Lost update"), if_match=etag
        )
        problem = _parsed(refused, HTTPStatus.PRECONDITION_FAILED, Problem)
        assert problem.status == HTTPStatus.PRECONDITION_FAILED
        assert problem.type_.endswith(PRECONDITION_FAILED)
        unchanged = await get_task.asyncio_detailed(task.id, client=client)
        assert _parsed(unchanged, HTTPStatus.OK, TaskResponse).title == "Write the client"

        # Bulk: the valid items are created, the invalid one reported by its index.
        bulk = _parsed(
            await bulk_create_tasks.asyncio_detailed(
                client=client,
                body=BulkCreateRequest(
                    items=[
                        TaskCreateRequest(title="First of many"),
                        TaskCreateRequest(title="Not mine", category_id=MISSING_TASK),
                        TaskCreateRequest(title="Last of many", priority="low"),
                    ]
                ),
            ),
            HTTPStatus.OK,
            BulkCreateResponse,
        )
        assert [created.title for created in bulk.created] == ["First of many", "Last of many"]
        assert [(error.index, error.status) for error in bulk.errors] == [(1, 400)]

        ids = [task.id, *(created.id for created in bulk.created)]
        accepted = await process_tasks.asyncio_detailed(
            client=client, body=ProcessRequest(task_ids=[*ids, MISSING_TASK])
        )
        job = _parsed(accepted, HTTPStatus.ACCEPTED, JobResponse)
        assert accepted.headers["Location"] == f"/jobs/{job.id}"
        async with asyncio.timeout(10):
            while job.status in ("queued", "running"):
                await asyncio.sleep(0.02)
                job = _parsed(
                    await get_job.asyncio_detailed(job.id, client=client),
                    HTTPStatus.OK,
                    JobResponse,
                )
        assert job.status == "succeeded", job.error
        assert (job.total, job.processed, job.skipped) == (4, 4, [MISSING_TASK])
        processed = await get_task.asyncio_detailed(task.id, client=client)
        assert _parsed(processed, HTTPStatus.OK, TaskResponse).processed is True
