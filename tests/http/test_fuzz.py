"""Schemathesis over the app's own OpenAPI document: no generated request answers 5xx.

Every operation, positive and negative data, a fixed seed and a bounded budget, on a
migrated SQLite file (the in-memory store gets every check: test_fuzz_all_checks.py).
Schemathesis only generates the cases; they are sent through ``httpx.ASGITransport`` in
one event loop that also runs the app's lifespan (schemathesis's own ASGI client runs
the app in a thread of its own and keeps its lifespan until the process exits).
"""

import asyncio
import os
from collections import Counter
from collections.abc import Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.result import Ok

from infrastructure.settings import DatabaseSettings
from interfaces.app import create_app
from tests.http.conftest import FAST
from tests.http.support import PASSWORD, PROBLEM
from tests.support.asgi import asgi_transport, serving

SEED = 20261130
# Per operation and generation mode; raise it for a deeper run (FUZZ_EXAMPLES=300).
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
BASE_URL = "http://tasklane.test"
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


@dataclass
class Served:
    """The app under test, reachable from synchronous code through its own loop."""

    runner: asyncio.Runner
    client: httpx.AsyncClient
    auth: dict[str, str] = field(default_factory=dict)

    def send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self.runner.run(self.client.request(method, url, **kwargs))


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """The app, migrated and started, with a signed-in user owning a few tasks."""
    from infrastructure.persistence.sqlalchemy.schema_upgrade import upgrade_schema

    database = DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp_path}/fuzz.db")
    upgrade_schema(database)
    app = create_app(replace(FAST, persistence="sql", database=database))
    with asyncio.Runner() as runner:
        stack = AsyncExitStack()
        runner.run(stack.enter_async_context(serving(app)))
        transport = asgi_transport(app)
        client = runner.run(
            stack.enter_async_context(httpx.AsyncClient(transport=transport, base_url=BASE_URL))
        )
        try:
            yield _signed_in(Served(runner, client))
        finally:
            runner.run(stack.aclose())


def _signed_in(served: Served) -> Served:
    account = {"email": "fuzz@example.com", "password": PASSWORD}
    assert served.send("POST", "/auth/register", json=account).status_code == 201
    token = served.send("POST", "/auth/login", json=account).json()["access_token"]
    served.auth = {"Authorization": f"Bearer {token}"}
    # Small ids then name stored resources, so generated paths reach more than 404.
    for title in ("one", "two", "three"):
        served.send("POST", "/tasks", json={"title": title}, headers=served.auth)
    served.send("POST", "/categories", json={"name": "fuzz"}, headers=served.auth)
    return served


@dataclass
class Tally:
    cases: int = 0
    server_errors: list[str] = field(default_factory=list)
    broken_conventions: list[str] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)


def test_no_operation_answers_5xx(served: Served) -> None:
    document = served.send("GET", "/schema/openapi.json").json()
    schema = schemathesis.openapi.from_dict(document)
    results = list(schema.get_all_operations())
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    assert len(operations) == len(results), "the schema holds operations it cannot read"
    tally = Tally()
    for operation in operations:
        for mode in MODES:
            _fuzz(served, operation, mode, tally)
    print(f"\nfuzz: {len(operations)} operations, {tally.cases} cases, {dict(tally.statuses)}")
    assert len(operations) >= 15
    assert not tally.server_errors, "\n".join(sorted(set(tally.server_errors)))
    assert not tally.broken_conventions, "\n".join(sorted(set(tally.broken_conventions)))


def _fuzz(served: Served, operation: Any, mode: GenerationMode, tally: Tally) -> None:
    @seed(SEED)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode, headers=served.auth))
    def run(case: Any) -> None:
        request = _httpx_request(case.as_transport_kwargs(base_url=BASE_URL))
        response = served.send(**request)
        tally.cases += 1
        tally.statuses[response.status_code] += 1
        label = f"{response.status_code} {case.method} {case.formatted_path} ({mode.value})"
        if response.status_code >= 500:
            tally.server_errors.append(f"{label}: {request}")
        # Two conventions every answer keeps, checked while we are at it.
        if "x-request-id" not in response.headers:
            tally.broken_conventions.append(f"{label}: no X-Request-ID")
        media_type = response.headers.get("content-type", "")
        if response.status_code >= 400 and media_type != PROBLEM:
            tally.broken_conventions.append(f"{label}: error as {media_type!r}")

    try:
        run()
    except Unsatisfiable:
        # An operation without parameters or body has nothing to make invalid.
        if mode is not GenerationMode.NEGATIVE:
            raise


def _httpx_request(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Schemathesis prepares ``requests`` keyword arguments; httpx spells two differently."""
    request: dict[str, Any] = {
        key: kwargs[key] for key in ("method", "url", "headers", "params") if key in kwargs
    }
    if "json" in kwargs:
        request["json"] = kwargs["json"]
    if "data" in kwargs:
        request["content"] = kwargs["data"]
    if kwargs.get("cookies"):
        request["cookies"] = kwargs["cookies"]
    return request
