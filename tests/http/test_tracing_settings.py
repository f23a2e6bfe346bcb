"""The standard OpenTelemetry variables Tasklane honours besides the exporter's:
``OTEL_TRACES_SAMPLER`` with ``OTEL_TRACES_SAMPLER_ARG``, and ``OTEL_SERVICE_NAME``.
"""

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

import httpx
import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.sampling import Decision

from infrastructure.settings import Settings
from interfaces.app import create_app
from interfaces.tracing import configure_tracing
from interfaces.tracing.otel import Tracing, sampler_from_env
from tests.http.support import Api
from tests.support.asgi import asgi_transport, serving
from tests.support.logs import Captured, capture_logs

# A caller's W3C trace context, sampled (flags 01).
CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{CALLER_TRACE}-00f067aa0ba902b7-01"


@asynccontextmanager
async def sampled_app(
    settings: Settings, variables: Mapping[str, str]
) -> AsyncIterator[tuple[Api, InMemorySpanExporter, Captured]]:
    """The app traced into memory, sampled as ``variables`` say, its logs captured."""
    exporter = InMemorySpanExporter()
    tracing = Tracing.with_exporter(exporter, batched=False, sampler=sampler_from_env(variables))
    app = create_app(settings, tracing=tracing)
    captured = Captured()
    capture_logs(captured)
    async with (
        serving(app),
        httpx.AsyncClient(transport=asgi_transport(app), base_url="http://tasklane.test") as client,
    ):
        yield Api(client), exporter, captured


@pytest.mark.asyncio
async def test_always_off_records_no_span_but_logs_keep_their_request_ids(
    sqlite_json: Settings,
) -> None:
    async with sampled_app(sqlite_json, {"OTEL_TRACES_SAMPLER": "always_off"}) as traced:
        api, exporter, captured = traced
        await api.sign_up("unsampled@example.com")
        task = await api.task()
        accepted = await api.post("/tasks/process", json={"task_ids": [task["id"]]})
        assert accepted.status_code == 202, accepted.text
        for _ in range(250):
            if (await api.get(accepted.headers["location"])).json()["status"] == "succeeded":
                break
            await asyncio.sleep(0.02)
        answer = await api.get(f"/tasks/{task['id']}", headers={"X-Request-ID": "unsampled-1"})
        assert answer.status_code == 200

    assert exporter.get_finished_spans() == ()
    [access] = [line for line in captured.lines if line.get("request_id") == "unsampled-1"]
    assert (access["logger"], access["route"]) == ("tasklane.access", "/tasks/{task_id}")
    assert not [line for line in captured.lines if "trace_id" in line]


@pytest.mark.asyncio
async def test_a_parent_based_ratio_follows_the_callers_decision(sqlite_json: Settings) -> None:
    """At ratio 0 no trace of our own is kept, but a caller's sampled trace continues,
    statements included, and the request's lines carry the caller's trace id.
    """
    variables = {"OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0"}
    async with sampled_app(sqlite_json, variables) as traced:
        api, exporter, captured = traced
        await api.sign_up("ratio@example.com")
        task = await api.task()
        assert exporter.get_finished_spans() == ()
        headers = {"traceparent": TRACEPARENT, "X-Request-ID": "continued-1"}
        assert (await api.get(f"/tasks/{task['id']}", headers=headers)).status_code == 200

    spans = exporter.get_finished_spans()
    assert {format(s.context.trace_id, "032x") for s in spans if s.context} == {CALLER_TRACE}
    assert "GET /tasks/{task_id}" in [s.name for s in spans]
    assert any(s.name.startswith("SELECT") for s in spans)
    lines = [line for line in captured.lines if line.get("request_id") == "continued-1"]
    assert lines
    assert {line["trace_id"] for line in lines} == {CALLER_TRACE}


def test_the_sampler_variables_choose_the_sdks_samplers() -> None:
    ratio = sampler_from_env(
        {"OTEL_TRACES_SAMPLER": "ParentBased_TraceIdRatio", "OTEL_TRACES_SAMPLER_ARG": " 0.1 "}
    )
    assert ratio.get_description().startswith("ParentBased{root:TraceIdRatioBased{0.1}")
    # The ratio keeps a trace whose id's low 64 bits fall under 0.1 of their range.
    assert ratio.should_sample(None, 1, "GET /tasks").decision is Decision.RECORD_AND_SAMPLE
    assert ratio.should_sample(None, 2**64 - 1, "GET /tasks").decision is Decision.DROP
    assert sampler_from_env({}).get_description().startswith("ParentBased{root:AlwaysOnSampler")
    assert sampler_from_env({"OTEL_TRACES_SAMPLER": "always_off"}).get_description() == (
        "AlwaysOffSampler"
    )
    unset_ratio = sampler_from_env({"OTEL_TRACES_SAMPLER": "traceidratio"})
    assert unset_ratio.get_description() == "TraceIdRatioBased{1.0}"


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"OTEL_TRACES_SAMPLER": "sometimes"}, "OTEL_TRACES_SAMPLER=sometimes: tasklane knows"),
        (
            {"OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "10%"},
            "OTEL_TRACES_SAMPLER_ARG=10%: a fraction of traces, from 0 to 1",
        ),
        (
            {"OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "1.5"},
            "OTEL_TRACES_SAMPLER_ARG=1.5: a fraction",
        ),
        (
            {"OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "nan"},
            "OTEL_TRACES_SAMPLER_ARG=nan: a fraction",
        ),
    ],
    ids=["unknown", "percent", "above-one", "nan"],
)
def test_a_sampler_mistake_is_refused(variables: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match="^" + message):
        sampler_from_env(variables)


def test_the_app_samples_as_its_environment_says() -> None:
    tracing = configure_tracing(
        {
            "OTEL_TRACES_EXPORTER": "console",
            "OTEL_TRACES_SAMPLER": "traceidratio",
            "OTEL_TRACES_SAMPLER_ARG": "0.25",
        }
    )
    assert tracing is not None
    try:
        description = tracing.provider.sampler.get_description()
        assert description == "NoOrphanStatements{TraceIdRatioBased{0.25}}"
    finally:
        tracing.provider.shutdown()


def test_the_service_is_named_tasklane_unless_the_environment_names_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("OTEL_SERVICE_NAME", raising=False)
    monkeypatch.delenv("OTEL_RESOURCE_ATTRIBUTES", raising=False)
    plain = Tracing.with_exporter(InMemorySpanExporter(), batched=False).provider
    assert plain.resource.attributes["service.name"] == "tasklane"
    monkeypatch.setenv("OTEL_SERVICE_NAME", "tasklane-eu")
    named = Tracing.with_exporter(InMemorySpanExporter(), batched=False).provider
    assert named.resource.attributes["service.name"] == "tasklane-eu"
    monkeypatch.delenv("OTEL_SERVICE_NAME")
    monkeypatch.setenv("OTEL_RESOURCE_ATTRIBUTES", "service.name=tasklane-us,team=ops")
    attributed = Tracing.with_exporter(InMemorySpanExporter(), batched=False).provider
    assert attributed.resource.attributes["service.name"] == "tasklane-us"
