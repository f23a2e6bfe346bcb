"""``GET /metrics`` after real traffic: request series by route template (never per
id), scrape-time gauges (jobs, pool, database up), job durations, retries by SQLSTATE
and 503s by cause.
"""

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import Self

import httpx
import pytest
import pytest_asyncio
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from application.jobs.settings import JobSettings
from domain.errors import TransientError, UnavailableCause, UnavailableError
from domain.unit_of_work import UnitOfWork
from infrastructure.settings import DatabaseSettings, Settings
from interfaces.app import create_app
from tests.http.backends import settings_for
from tests.http.conftest import FAST
from tests.http.support import Api, assert_problem
from tests.support.asgi import asgi_transport, serving

pytestmark = pytest.mark.asyncio

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def parse(text: str) -> Samples:
    """Every sample of an exposition, keyed by name and labels."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    """One sample's value; 0 when the series does not exist (yet)."""
    return samples.get((name, frozenset(labels.items())), 0.0)


async def scrape(api: Api) -> Samples:
    response = await api.client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return parse(response.text)


def _request_labels(path: str, status: str, method: str = "GET") -> dict[str, str]:
    return {"method": method, "path": path, "status_code": status, "app_name": "tasklane"}


async def test_requests_are_counted_by_route_template_never_by_id(api: Api) -> None:
    await api.sign_up("metrics-ids@example.com")
    before = await scrape(api)
    tasks = [await api.task(title=f"t{n}") for n in range(3)]
    for task in tasks:
        assert (await api.get(f"/tasks/{task['id']}")).status_code == 200
    assert (await api.get("/tasks/987654321")).status_code == 404
    after = await scrape(api)

    template = "/tasks/{task_id}"
    counted = "tasklane_requests_total"
    ok, missing = _request_labels(template, "200"), _request_labels(template, "404")
    assert value(after, counted, **ok) - value(before, counted, **ok) == 3
    assert value(after, counted, **missing) - value(before, counted, **missing) == 1
    created = _request_labels("/tasks", "201", "POST")
    assert value(after, counted, **created) - value(before, counted, **created) == 3
    timed = "tasklane_request_duration_seconds_count"
    assert value(after, timed, **ok) - value(before, timed, **ok) == 3
    assert value(after, "tasklane_request_duration_seconds_bucket", **ok, le="+Inf") >= 3

    paths = {dict(labels).get("path") for _, labels in after}
    ids = {str(task["id"]) for task in tasks} | {"987654321"}
    segments = {segment for p in paths if p for segment in p.split("/")}
    assert not segments & ids, paths
    assert not [p for p in paths if p and re.search(r"/tasks/\d", p)], paths
    # The scrape does not measure itself.
    assert "/metrics" not in paths


def _request_series(samples: Samples) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {key: v for key, v in samples.items() if key[0].startswith("tasklane_request")}


def _changed(before: Samples, after: Samples) -> set[tuple[str, frozenset[tuple[str, str]]]]:
    return {key for key, v in _request_series(after).items() if before.get(key) != v}


async def test_a_routed_request_is_counted_once_and_unrouted_ones_and_scrapes_never(
    api: Api,
) -> None:
    await api.client.get("/health/live")  # its series exist before the count starts
    before = await scrape(api)
    assert (await api.client.get("/health/live")).status_code == 200
    assert (await api.client.get("/no/such/route")).status_code == 404
    assert (await api.client.delete("/health/live")).status_code == 405
    after = await scrape(api)

    live = _request_labels("/health/live", "200")
    for name in ("tasklane_requests_total", "tasklane_request_duration_seconds_count"):
        assert value(after, name, **live) - value(before, name, **live) == 1, name
    assert value(after, "tasklane_request_duration_seconds_sum", **live) > value(
        before, "tasklane_request_duration_seconds_sum", **live
    )
    # Nothing else moved: not the unrouted 404 nor the 405, not the scrapes, no error.
    changed = {(name, dict(labels).get("path")) for name, labels in _changed(before, after)}
    assert changed == {
        ("tasklane_requests_total", "/health/live"),
        ("tasklane_request_duration_seconds_count", "/health/live"),
        ("tasklane_request_duration_seconds_sum", "/health/live"),
        ("tasklane_request_duration_seconds_bucket", "/health/live"),
    }, changed
    paths = {dict(labels).get("path") for _, labels in _request_series(after)}
    assert not paths & {"/no/such/route", "/metrics", None}, paths
    # Done: none in progress (Litestar's labels, status_code always 200).
    assert ("tasklane_requests_in_progress", frozenset(live.items())) in after
    assert value(after, "tasklane_requests_in_progress", **live) == 0


async def test_disabled_metrics_record_nothing() -> None:
    app = create_app(replace(FAST, metrics_enabled=False))
    live = _request_labels("/health/live", "200")
    before = REGISTRY.get_sample_value("tasklane_requests_total", live) or 0.0
    async with (
        serving(app),
        httpx.AsyncClient(transport=asgi_transport(app), base_url="http://tasklane.test") as client,
    ):
        assert (await client.get("/health/live")).status_code == 200
    assert (REGISTRY.get_sample_value("tasklane_requests_total", live) or 0.0) == before


async def test_needs_no_token_and_stays_out_of_the_api_document(api: Api) -> None:
    response = await api.client.get("/metrics")
    assert response.status_code == 200
    document = (await api.client.get("/schema/openapi.json")).json()
    assert "/metrics" not in document["paths"]


async def test_jobs_by_status_and_job_durations(api: Api) -> None:
    await api.sign_up("metrics-jobs@example.com")
    before = await scrape(api)
    task = await api.task()
    accepted = await api.post("/tasks/process", json={"task_ids": [task["id"]]})
    assert accepted.status_code == 202, accepted.text
    location = accepted.headers["location"]
    for _ in range(250):
        if (await api.get(location)).json()["status"] == "succeeded":
            break
        await asyncio.sleep(0.02)
    after = await scrape(api)

    assert value(after, "tasklane_jobs", status="succeeded") >= 1
    assert ("tasklane_jobs", frozenset({("status", "queued")})) in after
    durations = "tasklane_job_duration_seconds_count"
    assert (
        value(after, durations, status="succeeded") - value(before, durations, status="succeeded")
        == 1
    )
    # Memory persistence: no pool, and the store always answers.
    assert value(after, "tasklane_database_up") == 1
    assert not [name for name, _ in after if name.startswith("tasklane_database_pool_")]


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


@pytest_asyncio.fixture
async def failing_api(request: pytest.FixtureRequest) -> AsyncIterator[Api]:
    """An app on memory persistence whose units of work all fail with ``request.param``."""
    error: Exception = request.param
    factory: Callable[[], UnitOfWork] = lambda: _FailingUnitOfWork(error)  # type: ignore[assignment,return-value]  # noqa: E731
    settings = replace(FAST, jobs=JobSettings(workers=0))
    app = create_app(settings, unit_of_work_factory=factory)
    async with (
        serving(app),
        httpx.AsyncClient(transport=asgi_transport(app), base_url="http://tasklane.test") as client,
    ):
        yield Api(client)


_UNAVAILABLE = "tasklane_unavailable_responses_total"


@pytest.mark.parametrize(
    ("failing_api", "cause"),
    [
        (UnavailableError("pool", UnavailableCause.POOL_EXHAUSTED), "pool_exhausted"),
        (
            UnavailableError("lost", UnavailableCause.COMMIT_OUTCOME_UNKNOWN),
            "commit_outcome_unknown",
        ),
        (UnavailableError("down"), "database_down"),
        (
            TransientError("refused", "ConnectionRefusedError", UnavailableCause.DATABASE_DOWN),
            "database_down",
        ),
        (TransientError("busy", "40001"), "retries_exhausted"),
    ],
    indirect=["failing_api"],
    ids=["pool", "commit", "down", "down-after-retries", "retries"],
)
async def test_503s_are_counted_by_cause(failing_api: Api, cause: str) -> None:
    before = await scrape(failing_api)
    response = await failing_api.post(
        "/auth/register", json={"email": "a@b.io", "password": "x" * 10}
    )
    assert_problem(response, 503)
    after = await scrape(failing_api)
    assert value(after, _UNAVAILABLE, cause=cause) - value(before, _UNAVAILABLE, cause=cause) == 1
    others = {dict(labels)["cause"] for name, labels in after if name == _UNAVAILABLE}
    for other in others - {cause}:
        assert value(after, _UNAVAILABLE, cause=other) == value(before, _UNAVAILABLE, cause=other)


@pytest.mark.parametrize(
    "failing_api", [TransientError("busy", "40001")], indirect=True, ids=["40001"]
)
async def test_retries_are_counted_by_sqlstate(failing_api: Api) -> None:
    before = await scrape(failing_api)
    response = await failing_api.post(
        "/auth/register", json={"email": "a@b.io", "password": "x" * 10}
    )
    assert_problem(response, 503)
    after = await scrape(failing_api)

    def delta(name: str) -> float:
        return value(after, name, sqlstate="40001") - value(before, name, sqlstate="40001")

    attempts = FAST.retry.attempts
    # Every try but the last is retried, unless the time budget ran out first.
    assert 1 <= delta("tasklane_database_retries_total") <= attempts - 1
    assert delta("tasklane_database_retries_exhausted_total") == 1


@pytest.mark.parametrize("failing_api", [RuntimeError("boom")], indirect=True, ids=["bug"])
async def test_a_500_is_counted_as_an_error(failing_api: Api) -> None:
    before = await scrape(failing_api)
    response = await failing_api.post(
        "/auth/register", json={"email": "a@b.io", "password": "x" * 10}
    )
    assert_problem(response, 500)
    after = await scrape(failing_api)
    failed = _request_labels("/auth/register", "500", "POST")
    for name in ("tasklane_requests_total", "tasklane_requests_error_total"):
        assert value(after, name, **failed) - value(before, name, **failed) == 1, name


@pytest.fixture
def sqlite_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    request.param = "sqlite"
    return settings_for(request, tmp_path)


async def test_sqlite_exposes_pool_gauges_and_job_counts(
    sqlite_settings: Settings,
) -> None:
    app = create_app(sqlite_settings)
    async with (
        serving(app),
        httpx.AsyncClient(transport=asgi_transport(app), base_url="http://tasklane.test") as client,
    ):
        api = Api(client)
        await api.sign_up("metrics-sqlite@example.com")
        await api.task()
        samples = await scrape(api)
    assert value(samples, "tasklane_database_up") == 1
    assert value(samples, "tasklane_database_pool_size") >= 1
    for name in ("checked_out", "overflow", "invalid"):
        assert ("tasklane_database_pool_" + name, frozenset()) in samples
    for status in ("queued", "running", "succeeded", "failed"):
        assert ("tasklane_jobs", frozenset({("status", status)})) in samples


async def test_a_scrape_with_the_database_down_still_answers() -> None:
    # Nothing listens on port 1: every connection is refused at once.
    database = DatabaseSettings(url="postgresql+asyncpg://nobody@127.0.0.1:1/none")
    settings = replace(FAST, persistence="sql", database=database, jobs=JobSettings(workers=0))
    app = create_app(settings)
    async with (
        serving(app),
        httpx.AsyncClient(transport=asgi_transport(app), base_url="http://tasklane.test") as client,
    ):
        samples = await scrape(Api(client))
    assert value(samples, "tasklane_database_up") == 0
    assert ("tasklane_database_pool_size", frozenset()) in samples
    assert not [name for name, _ in samples if name == "tasklane_jobs"]


async def test_disabled_metrics_are_not_found() -> None:
    app = create_app(replace(FAST, metrics_enabled=False))
    async with (
        serving(app),
        httpx.AsyncClient(transport=asgi_transport(app), base_url="http://tasklane.test") as client,
    ):
        response = await client.get("/metrics")
    assert_problem(response, 404)
