"""Traces (opt-in): a server span per request named by route template, a child span per
SQL statement, a span per job batch; nothing imported when the variables are unset.
"""

import asyncio
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from infrastructure.settings import Settings
from interfaces.app import create_app
from interfaces.tracing import tracing_requested
from interfaces.tracing.otel import Tracing
from tests.http.backends import settings_for
from tests.http.support import Api
from tests.support.asgi import asgi_transport, serving


@pytest.fixture
def sqlite_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    request.param = "sqlite"
    settings = settings_for(request, tmp_path)
    return replace(settings, jobs=replace(settings.jobs, batch_size=2, poll_interval_s=0.02))


@pytest_asyncio.fixture
async def traced(sqlite_settings: Settings) -> AsyncIterator[tuple[Api, InMemorySpanExporter]]:
    exporter = InMemorySpanExporter()
    app = create_app(sqlite_settings, tracing=Tracing.with_exporter(exporter, batched=False))
    async with (
        serving(app),
        httpx.AsyncClient(transport=asgi_transport(app), base_url="http://tasklane.test") as client,
    ):
        yield Api(client), exporter


def _children(spans: tuple[ReadableSpan, ...], parent: ReadableSpan) -> list[ReadableSpan]:
    assert parent.context is not None
    return [s for s in spans if s.parent is not None and s.parent.span_id == parent.context.span_id]


@pytest.mark.asyncio
async def test_a_request_is_a_span_named_by_route_with_its_sql_statements(
    traced: tuple[Api, InMemorySpanExporter],
) -> None:
    api, exporter = traced
    await api.sign_up("traced@example.com")
    task = await api.task()
    exporter.clear()
    answer = await api.get(f"/tasks/{task['id']}")
    assert answer.status_code == 200, answer.text

    spans = exporter.get_finished_spans()
    servers = [s for s in spans if s.parent is None]
    assert [s.name for s in servers] == ["GET /tasks/{task_id}"]
    server = servers[0]
    assert server.attributes is not None
    assert server.attributes["http.route"] == "/tasks/{task_id}"
    assert server.attributes["tasklane.request_id"] == answer.headers["x-request-id"]
    statements = _children(spans, server)
    assert statements, [s.name for s in spans]
    assert all(s.name.split()[0] in {"SELECT", "BEGIN", "COMMIT", "ROLLBACK"} for s in statements)
    assert any(s.name.startswith("SELECT") for s in statements)
    print("span names:", [s.name for s in spans])


@pytest.mark.asyncio
async def test_a_job_is_traced_batch_by_batch(traced: tuple[Api, InMemorySpanExporter]) -> None:
    api, exporter = traced
    await api.sign_up("traced-jobs@example.com")
    ids = [(await api.task())["id"] for _ in range(3)]
    accepted = await api.post("/tasks/process", json={"task_ids": ids})
    assert accepted.status_code == 202, accepted.text
    for _ in range(250):
        if (await api.get(accepted.headers["location"])).json()["status"] == "succeeded":
            break
        await asyncio.sleep(0.02)

    spans = exporter.get_finished_spans()
    batches = [s for s in spans if s.name == "job batch"]
    sizes = sorted(int(str((s.attributes or {})["tasklane.batch_size"])) for s in batches)
    assert sizes == [1, 2]
    for batch in batches:
        assert any(s.name.startswith("UPDATE") for s in _children(spans, batch))
    print("span names:", sorted({s.name for s in spans}))


def test_the_variables_decide() -> None:
    assert not tracing_requested({})
    assert not tracing_requested({"OTEL_EXPORTER_OTLP_ENDPOINT": ""})
    assert not tracing_requested({"OTEL_TRACES_EXPORTER": "none"})
    assert tracing_requested({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"})
    assert tracing_requested({"OTEL_TRACES_EXPORTER": "console"})


_BLOCK_OPENTELEMETRY = """
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "opentelemetry":
            raise ModuleNotFoundError(name)
        return None
sys.meta_path.insert(0, Block())
"""


@pytest.mark.parametrize("installed", [True, False], ids=["extra-installed", "plain-install"])
def test_without_the_variables_tracing_is_never_loaded(tmp_path: Path, installed: bool) -> None:
    """Without the extra (simulated by refusing every ``opentelemetry`` import) the app
    builds; with it, our tracing module and the SDK's tracer stay unloaded. (Litestar
    itself, and redis, import parts of the OpenTelemetry API whenever it is installed.)
    """
    script = (
        ("" if installed else _BLOCK_OPENTELEMETRY) + "import sys\n"
        "from interfaces.app import create_app\n"
        "create_app()\n"
        "loaded = {'interfaces.tracing.otel', 'opentelemetry.sdk.trace'} & set(sys.modules)\n"
        "assert not loaded, loaded\n"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(Path(__file__).parents[2] / "src"),
        "DATA_DIR": str(tmp_path),
        "PERSISTENCE": "memory",
    }
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.asyncio
async def test_statements_outside_a_request_or_batch_are_not_traced(
    traced: tuple[Api, InMemorySpanExporter],
) -> None:
    """The idle job worker polls the queue: those statements make no root spans."""
    api, exporter = traced
    await api.sign_up("traced-idle@example.com")
    await asyncio.sleep(0.2)  # about ten polls at 0.02 s
    assert not [
        s for s in exporter.get_finished_spans() if s.parent is None and s.kind.name == "CLIENT"
    ]


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"OTEL_TRACES_EXPORTER": "zipkin"}, "OTEL_TRACES_EXPORTER=zipkin: tasklane knows"),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}, "tasklane[otel]"),
        (
            {"OTEL_TRACES_EXPORTER": "console", "OTEL_TRACES_SAMPLER": "sometimes"},
            "OTEL_TRACES_SAMPLER=sometimes: tasklane knows",
        ),
    ],
    ids=["unknown-exporter", "extra-missing", "unknown-sampler"],
)
def test_a_tracing_mistake_is_one_line(
    tmp_path: Path, variables: dict[str, str], message: str
) -> None:
    block = "extra-missing" if "OTEL_EXPORTER_OTLP_ENDPOINT" in variables else ""
    script = (_BLOCK_OPENTELEMETRY if block else "") + (
        "from interfaces.app import create_app\ncreate_app()\n"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(Path(__file__).parents[2] / "src"),
        "DATA_DIR": str(tmp_path),
        "PERSISTENCE": "memory",
        **variables,
    }
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2, done.stderr
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("tasklane cannot start: traces: "), line
    assert message in line, line
