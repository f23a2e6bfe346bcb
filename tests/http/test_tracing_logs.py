"""With tracing on, every log line of a request (the access line, written once the
request's span has ended, included) carries the request id and the request's trace; a
line outside any request carries neither.
"""

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from typing import Any

import httpx
import pytest
import pytest_asyncio
from litestar import get
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from infrastructure.settings import Settings
from interfaces.app import create_app
from interfaces.tracing.otel import Tracing
from tests.http.support import Api
from tests.support.asgi import asgi_transport, serving
from tests.support.logs import Captured, capture_logs

probe_logger = logging.getLogger("tasklane.probe")


@get("/log-probe", sync_to_thread=False)
def probe() -> str:
    """A handler that logs a line of its own."""
    probe_logger.info("probed", extra={"answer": 42})
    return "ok"


@dataclass
class Traced:
    api: Api
    exporter: InMemorySpanExporter
    captured: Captured

    def server_span(self, request_id: str) -> ReadableSpan:
        [server] = [
            s
            for s in self.exporter.get_finished_spans()
            if s.parent is None and (s.attributes or {}).get("tasklane.request_id") == request_id
        ]
        return server

    def lines_of(self, request_id: str) -> list[dict[str, Any]]:
        return [line for line in self.captured.lines if line.get("request_id") == request_id]


@pytest.fixture
def echoing_sqlite(sqlite_json: Settings) -> Settings:
    """SQL statements logged too (``DATABASE_ECHO``)."""
    return replace(sqlite_json, database=replace(sqlite_json.database, echo=True))


@pytest_asyncio.fixture
async def traced(echoing_sqlite: Settings) -> AsyncIterator[Traced]:
    exporter = InMemorySpanExporter()
    app = create_app(echoing_sqlite, tracing=Tracing.with_exporter(exporter, batched=False))
    app.register(probe)
    captured = Captured()
    capture_logs(captured)
    async with (
        serving(app),
        httpx.AsyncClient(transport=asgi_transport(app), base_url="http://tasklane.test") as client,
    ):
        yield Traced(Api(client), exporter, captured)


def _ids(span: ReadableSpan) -> tuple[str, str]:
    assert span.context is not None
    return format(span.context.trace_id, "032x"), format(span.context.span_id, "016x")


@pytest.mark.asyncio
async def test_every_line_of_a_request_carries_its_trace(traced: Traced) -> None:
    api = traced.api
    await api.sign_up("trace-logs@example.com")
    task = await api.task()
    answer = await api.get(f"/tasks/{task['id']}", headers={"X-Request-ID": "traced-read"})
    assert answer.status_code == 200, answer.text

    trace_id, span_id = _ids(traced.server_span("traced-read"))
    lines = traced.lines_of("traced-read")
    [access] = [line for line in lines if line["logger"] == "tasklane.access"]
    assert (access["trace_id"], access["span_id"]) == (trace_id, span_id)
    statements = [line for line in lines if line["logger"].startswith("sqlalchemy")]
    assert statements, lines
    assert {line["trace_id"] for line in lines} == {trace_id}
    assert all(line["span_id"] for line in lines)
    for line in lines:
        print(line)


@pytest.mark.asyncio
async def test_the_apps_own_lines_and_an_unrouted_requests_carry_it_too(traced: Traced) -> None:
    api = traced.api
    assert (await api.get("/log-probe", headers={"X-Request-ID": "probe-1"})).status_code == 200
    assert (await api.get("/nowhere", headers={"X-Request-ID": "lost-1"})).status_code == 404
    probe_logger.info("outside")

    trace_id, span_id = _ids(traced.server_span("probe-1"))
    probed, access = traced.lines_of("probe-1")
    assert (probed["event"], probed["answer"]) == ("probed", 42)
    assert (probed["trace_id"], probed["span_id"]) == (trace_id, span_id)
    assert (access["logger"], access["trace_id"], access["span_id"]) == (
        "tasklane.access",
        trace_id,
        span_id,
    )

    lost = traced.server_span("lost-1")
    [lost_access] = traced.lines_of("lost-1")
    assert (lost_access["status"], lost_access["trace_id"]) == (404, _ids(lost)[0])

    [outside] = [line for line in traced.captured.lines if line["event"] == "outside"]
    assert not outside.keys() & {"trace_id", "span_id", "request_id"}, outside
