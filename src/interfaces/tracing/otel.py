"""OpenTelemetry traces (the ``tasklane[otel]`` extra), imported only when tracing is on.

- A server span per request (Litestar's ``OpenTelemetryPlugin``, which wraps the app
  before routing); it starts named by the bare method and is renamed after routing to
  the route template (``GET /tasks/{task_id}``), never to the raw path.
- A child span per SQL statement (the SQLAlchemy instrumentation, on our engine only).
- A span per job batch, through the application's ``Telemetry.batch``.
- Log records carry ``trace_id``, ``span_id`` and ``request_id`` (``-`` outside a
  request), and the standard log format prints them.

The tracer provider is this app's own (not OpenTelemetry's global one), so several apps
in one process (tests) never share spans.
"""

import contextvars
import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any

from litestar.config.app import AppConfig
from litestar.logging import LoggingConfig
from litestar.middleware import ASGIMiddleware
from litestar.plugins import InitPlugin, PluginProtocol
from litestar.plugins.opentelemetry import OpenTelemetryConfig, OpenTelemetryPlugin
from litestar.types import ASGIApp, Receive, Scope, Send
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
    SpanExporter,
)
from opentelemetry.sdk.trace.sampling import (
    ALWAYS_ON,
    Decision,
    ParentBased,
    Sampler,
    SamplingResult,
)

from application.ports import Telemetry
from interfaces.http.request_id import request_id_of

SERVICE_NAME = "tasklane"
LOG_FIELDS = " [trace_id=%(trace_id)s span_id=%(span_id)s request_id=%(request_id)s]"
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("tasklane_request_id")


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


@dataclass(slots=True)
class Tracing:
    """What tracing brings to one app: its plugins, its telemetry, its engine hook."""

    provider: TracerProvider

    @classmethod
    def with_exporter(cls, exporter: SpanExporter, *, batched: bool = True) -> "Tracing":
        """Spans exported by ``exporter``: in batches, off the request path, or one by
        one as they end (``batched=False``; tests, with the SDK's in-memory exporter).
        """
        processor: SpanProcessor = (
            BatchSpanProcessor(exporter) if batched else SimpleSpanProcessor(exporter)
        )
        provider = TracerProvider(
            resource=Resource.create({"service.name": SERVICE_NAME}),
            sampler=ParentBased(root=_NoOrphanStatements()),
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
    polling the queue twice a second, the metrics scrape's query) is not traced.
    """

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
            return SamplingResult(Decision.DROP)
        return ALWAYS_ON.should_sample(
            parent_context, trace_id, name, kind, attributes, links, trace_state
        )

    def get_description(self) -> str:
        return "NoOrphanStatements"


def _method_only(scope: Scope) -> tuple[str, dict[str, Any]]:
    return str(scope.get("method", "")).strip() or "websocket", {}


class _RouteNamingPlugin(InitPlugin):
    """Renames each request's server span after routing, puts the request id in the
    span and the log records, prints the trace fields in the standard log format, and
    flushes the spans at shutdown.
    """

    def __init__(self, provider: TracerProvider) -> None:
        self.provider = provider

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        app_config.middleware.append(_NameSpanByRoute())
        app_config.on_shutdown.append(self._shutdown)
        _install_log_record_fields()
        logging_config = app_config.logging_config
        if isinstance(logging_config, LoggingConfig):
            for name, formatter in list(logging_config.formatters.items()):
                fmt = formatter.get("format")
                if isinstance(fmt, str) and "%(trace_id)s" not in fmt:
                    logging_config.formatters[name] = {**formatter, "format": fmt + LOG_FIELDS}
        return app_config

    async def _shutdown(self) -> None:
        self.provider.shutdown()


class _NameSpanByRoute(ASGIMiddleware):
    """Runs after routing (Litestar runs user middleware per route)."""

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        span = trace.get_current_span()
        request_id = request_id_of(scope)
        if span.is_recording():
            template = scope.get("path_template") or scope.get("path", "")
            span.update_name(f"{scope.get('method', 'websocket')} {template}".lstrip())
            span.set_attribute("http.route", template)
            span.set_attribute("tasklane.request_id", request_id)
        token = _request_id.set(request_id)
        try:
            await next_app(scope, receive, send)
        finally:
            _request_id.reset(token)


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
    """Every log record gets ``trace_id``, ``span_id`` and ``request_id`` (once per
    process, whatever the number of apps).
    """
    global _installed
    if _installed:
        return
    _installed = True
    previous: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        context = trace.get_current_span().get_span_context()
        if context.is_valid:
            record.trace_id = format(context.trace_id, "032x")
            record.span_id = format(context.span_id, "016x")
        else:
            record.trace_id = record.span_id = "-"
        record.request_id = _request_id.get("-")
        return record

    logging.setLogRecordFactory(factory)
