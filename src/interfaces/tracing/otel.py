"""OpenTelemetry traces (the ``tasklane[otel]`` extra), imported only when tracing is on.

- A server span per request (Litestar's ``OpenTelemetryPlugin``, which wraps the app
  before routing); it starts named by the bare method and is renamed after routing to
  the route template (``GET /tasks/{task_id}``), never to the raw path.
- A child span per SQL statement (the SQLAlchemy instrumentation, on our engine only).
- A span per job batch, through the application's ``Telemetry.batch``.
- Sampling by the standard ``OTEL_TRACES_SAMPLER`` and ``OTEL_TRACES_SAMPLER_ARG``.
- Log records written under a sampled span carry its ``trace_id`` and ``span_id``; the
  request's access line, written once its server span has ended, carries that span's.

The tracer provider is this app's own (not OpenTelemetry's global one), so several apps
in one process (tests) never share spans.
"""

import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any, cast

from litestar.config.app import AppConfig
from litestar.middleware import ASGIMiddleware
from litestar.plugins import InitPlugin, PluginProtocol
from litestar.plugins.opentelemetry import OpenTelemetryConfig, OpenTelemetryPlugin
from litestar.types import ASGIApp, Receive, Scope, Send
from opentelemetry import trace
from opentelemetry.sdk.resources import SERVICE_NAME as SERVICE_NAME_KEY
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
    SpanExporter,
)
from opentelemetry.sdk.trace.sampling import (
    ALWAYS_OFF,
    ALWAYS_ON,
    DEFAULT_OFF,
    DEFAULT_ON,
    Decision,
    ParentBasedTraceIdRatio,
    Sampler,
    SamplingResult,
    TraceIdRatioBased,
)

from application.ports import Telemetry
from interfaces.http.access_log import request_scope
from interfaces.http.request_id import request_id_of

SERVICE_NAME = "tasklane"
SAMPLER = "OTEL_TRACES_SAMPLER"
SAMPLER_ARG = "OTEL_TRACES_SAMPLER_ARG"
_FIXED_SAMPLERS: dict[str, Sampler] = {
    "always_on": ALWAYS_ON,
    "always_off": ALWAYS_OFF,
    "parentbased_always_on": DEFAULT_ON,
    "parentbased_always_off": DEFAULT_OFF,
}
_RATIO_SAMPLERS: dict[str, Callable[[float], Sampler]] = {
    "traceidratio": TraceIdRatioBased,
    "parentbased_traceidratio": ParentBasedTraceIdRatio,
}
# Where a request's server span is noted in its scope's state, for the access line.
_SERVER_SPAN = "tasklane_server_span"


def exporter_from_env(environ: Mapping[str, str]) -> SpanExporter:
    """``OTEL_TRACES_EXPORTER`` (``otlp`` by default, or ``console``); the OTLP exporter
    reads its own ``OTEL_EXPORTER_OTLP_*`` variables (endpoint, headers, timeout).
    """
    name = environ.get("OTEL_TRACES_EXPORTER", "").strip().lower() or "otlp"
    if name == "console":
        return ConsoleSpanExporter()
    if name != "otlp":
        raise ValueError(f"OTEL_TRACES_EXPORTER={name}: tasklane knows otlp, console and none")
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return OTLPSpanExporter()


def sampler_from_env(environ: Mapping[str, str]) -> Sampler:
    """The sampler ``OTEL_TRACES_SAMPLER`` names (the specification's names; by default
    ``parentbased_always_on``), with ``OTEL_TRACES_SAMPLER_ARG`` the fraction of traces
    the ratio samplers keep (from 0 to 1; 1 when unset).

    The SDK reads the same variables, but it falls back to keeping everything, with a
    warning, on a name or a fraction it cannot read: here a mistake stops start-up.
    """
    name = environ.get(SAMPLER, "").strip().lower() or "parentbased_always_on"
    if name in _FIXED_SAMPLERS:
        return _FIXED_SAMPLERS[name]
    if name not in _RATIO_SAMPLERS:
        known = ", ".join([*_FIXED_SAMPLERS, *_RATIO_SAMPLERS])
        raise ValueError(f"{SAMPLER}={name}: tasklane knows {known}")
    text = environ.get(SAMPLER_ARG, "").strip()
    try:
        ratio = float(text) if text else 1.0
    except ValueError:
        ratio = -1.0
    if not 0.0 <= ratio <= 1.0:  # NaN included
        raise ValueError(f"{SAMPLER_ARG}={text}: a fraction of traces, from 0 to 1")
    return _RATIO_SAMPLERS[name](ratio)


def _resource() -> Resource:
    """The SDK's resource (``OTEL_SERVICE_NAME``, ``OTEL_RESOURCE_ATTRIBUTES``), named
    ``tasklane`` unless those name the service.
    """
    detected = Resource.create()
    if str(detected.attributes.get(SERVICE_NAME_KEY, "")).startswith("unknown_service"):
        return detected.merge(Resource({SERVICE_NAME_KEY: SERVICE_NAME}))
    return detected


@dataclass(slots=True)
class Tracing:
    """What tracing brings to one app: its plugins, its telemetry, its engine hook."""

    provider: TracerProvider

    @classmethod
    def with_exporter(
        cls, exporter: SpanExporter, *, batched: bool = True, sampler: Sampler = DEFAULT_ON
    ) -> "Tracing":
        """Spans exported by ``exporter``: in batches, off the request path, or one by
        one as they end (``batched=False``; tests, with the SDK's in-memory exporter).
        ``sampler`` decides which traces are kept (see ``sampler_from_env``).
        """
        processor: SpanProcessor = (
            BatchSpanProcessor(exporter) if batched else SimpleSpanProcessor(exporter)
        )
        provider = TracerProvider(
            resource=_resource(),
            sampler=_NoOrphanStatements(sampler),
        )
        provider.add_span_processor(processor)
        return cls(provider)

    @property
    def plugins(self) -> list[PluginProtocol]:
        config = OpenTelemetryConfig(
            tracer_provider=self.provider,
            # Named by the method until routing knows the template (no raw paths).
            scope_span_details_extractor=_method_only,
            # No span per ASGI message: they would double the spans of each request.
            exclude_spans=["receive", "send"],
            server_request_hook_handler=_note_server_span,
        )
        return [OpenTelemetryPlugin(config), _RouteNamingPlugin(self.provider)]

    def telemetry(self, inner: Telemetry) -> Telemetry:
        """``inner``, plus a span per job batch."""
        return _TracingTelemetry(inner, self.provider.get_tracer("tasklane.jobs"))

    def instrument_engine(self, engine: Any) -> None:
        """A child span per SQL statement run on ``engine`` (an ``AsyncEngine``)."""
        from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
        from opentelemetry.metrics import NoOpMeterProvider

        tracer = self.provider.get_tracer("opentelemetry.instrumentation.sqlalchemy")
        usage = NoOpMeterProvider().get_meter("tasklane").create_up_down_counter("unused")
        # The engine's own listeners, not SQLAlchemyInstrumentor (a process-wide
        # singleton that would instrument only the first app's engine).
        EngineTracer(tracer, engine.sync_engine, usage)  # type: ignore[no-untyped-call]


class _NoOrphanStatements(Sampler):
    """Root spans are requests and job batches; a SQL statement outside them (a worker
    polling the queue twice a second, the metrics scrape's query) is not traced, nor one
    whose request or batch was not sampled. Every other span is ``sampler``'s to decide.
    """

    def __init__(self, sampler: Sampler) -> None:
        self.sampler = sampler

    def should_sample(
        self,
        parent_context: Any,
        trace_id: int,
        name: str,
        kind: trace.SpanKind | None = None,
        attributes: Any = None,
        links: Any = None,
        trace_state: Any = None,
    ) -> SamplingResult:
        if kind is trace.SpanKind.CLIENT:
            parent = trace.get_current_span(parent_context).get_span_context()
            if not parent.trace_flags.sampled:
                return SamplingResult(Decision.DROP)
        return self.sampler.should_sample(
            parent_context, trace_id, name, kind, attributes, links, trace_state
        )

    def get_description(self) -> str:
        return f"NoOrphanStatements{{{self.sampler.get_description()}}}"


def _method_only(scope: Scope) -> tuple[str, dict[str, Any]]:
    return str(scope.get("method", "")).strip() or "websocket", {}


def _note_server_span(span: trace.Span, scope: dict[str, Any]) -> None:
    """At the start of each request's server span (routed or not): the request id on the
    span, and the span noted in the scope, where the access line finds it.
    """
    context = span.get_span_context()
    if context.trace_flags.sampled:
        # Litestar types the hook's scope as a plain dict; it is the request's scope.
        span.set_attribute("tasklane.request_id", request_id_of(cast("Scope", scope)))
        scope.setdefault("state", {})[_SERVER_SPAN] = context


class _RouteNamingPlugin(InitPlugin):
    """Renames each request's server span after routing, adds the trace fields to log
    records, and flushes the spans at shutdown.
    """

    def __init__(self, provider: TracerProvider) -> None:
        self.provider = provider

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        app_config.middleware.append(_NameSpanByRoute())
        app_config.on_shutdown.append(self._shutdown)
        _install_log_record_fields()
        return app_config

    async def _shutdown(self) -> None:
        self.provider.shutdown()


class _NameSpanByRoute(ASGIMiddleware):
    """Runs after routing (Litestar runs user middleware per route)."""

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        span = trace.get_current_span()
        if span.is_recording():
            template = scope.get("path_template") or scope.get("path", "")
            span.update_name(f"{scope.get('method', 'websocket')} {template}".lstrip())
            span.set_attribute("http.route", template)
        await next_app(scope, receive, send)


@dataclass(slots=True)
class _TracingTelemetry:
    inner: Telemetry
    tracer: trace.Tracer

    def retried(self, code: str) -> None:
        self.inner.retried(code)

    def gave_up(self, code: str) -> None:
        self.inner.gave_up(code)

    def job_finished(self, status: str, seconds: float) -> None:
        self.inner.job_finished(status, seconds)

    def unavailable(self, cause: str) -> None:
        self.inner.unavailable(cause)

    def batch(self, job_id: int, size: int) -> AbstractContextManager[None]:
        return self._batch(job_id, size)

    @contextmanager
    def _batch(self, job_id: int, size: int) -> Iterator[None]:
        attributes = {"tasklane.job_id": job_id, "tasklane.batch_size": size}
        with (
            self.tracer.start_as_current_span("job batch", attributes=attributes),
            self.inner.batch(job_id, size),
        ):
            yield


_installed = False


def _install_log_record_fields() -> None:
    """Every log record written under a sampled span gets ``trace_id`` and ``span_id``
    (the request's own fields, its id among them, come from the log pipeline); once per
    process, whatever the number of apps.
    """
    global _installed
    if _installed:
        return
    _installed = True
    previous: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        context: trace.SpanContext | None = trace.get_current_span().get_span_context()
        if context is None or not context.trace_flags.sampled:
            # Outside any span: the access line, after its request's span ended.
            scope = request_scope()
            context = scope.get("state", {}).get(_SERVER_SPAN) if scope is not None else None
        if context is not None:
            record.trace_id = format(context.trace_id, "032x")
            record.span_id = format(context.span_id, "016x")
        return record

    logging.setLogRecordFactory(factory)
