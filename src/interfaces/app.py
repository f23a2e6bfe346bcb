"""The composition root: the one place that chooses implementations and wires the app."""

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from litestar import Litestar
from litestar.plugins import PluginProtocol
from litestar.types import BeforeRequestHookHandler, ControllerRouterHandler

from application.ports import NO_TELEMETRY, DatabaseProbe, Telemetry
from application.runner import UseCaseRunner
from domain.unit_of_work import UnitOfWork
from infrastructure.observability import (
    PrometheusTelemetry,
    Readings,
    prepare_multiprocess_directory,
    scrape,
    shared_by_workers,
)
from infrastructure.security import (
    Argon2PasswordHasher,
    JwtTokenService,
    LimitsAttemptLimiter,
    derived_key,
    resolve_signing_secret,
)
from infrastructure.settings import Settings, SettingsError
from interfaces.admin_plugin import AdminCommandsPlugin
from interfaces.cli import SETTINGS_ERROR_STATUS, StartUpReport, exit_with
from interfaces.gc_tuning import tune_garbage_collector
from interfaces.graceful_http import GracefulHttp
from interfaces.http.access_log import RequestRecorder
from interfaces.http.allow import correct_allow
from interfaces.http.controllers import CONTROLLERS
from interfaces.http.cors import cors_config
from interfaces.http.cursors import CursorCodec
from interfaces.http.dependencies import Services, dependencies
from interfaces.http.errors import exception_handlers
from interfaces.http.header_limit import HeaderLimitedLitestar
from interfaces.http.metrics import metrics_route
from interfaces.http.openapi import complete_document, openapi_config
from interfaces.http.request_id import add_request_id
from interfaces.http.request_metrics import count_in_progress, record_request
from interfaces.job_workers_plugin import JobWorkersPlugin
from interfaces.logs import logging_config
from interfaces.tracing import configure_tracing
from interfaces.worker_metrics import MetricsAcrossWorkers

if TYPE_CHECKING:
    from interfaces.tracing.otel import Tracing

MAX_BODY_BYTES = 1024 * 1024
# How long a scrape waits for the database's job counts before reporting it down.
METRICS_QUERY_TIMEOUT_S = 1.0

logger = logging.getLogger("tasklane.security")


@dataclass(frozen=True, slots=True)
class Persistence:
    """What one persistence choice brings to the app."""

    unit_of_work_factory: Callable[[], UnitOfWork]
    probe: DatabaseProbe
    close: Callable[[], Awaitable[None]]
    plugins: list[PluginProtocol] = field(default_factory=list)
    # Raises, with a one-line message, when the store cannot be reached at all.
    check_reachable: Callable[[], Awaitable[None]] | None = None
    # The figures a metrics scrape reads now (never raises).
    read_metrics: Callable[[], Awaitable[Readings]] | None = None


def create_app(
    settings: Settings | None = None,
    *,
    unit_of_work_factory: Callable[[], UnitOfWork] | None = None,
    tracing: "Tracing | None" = None,
) -> Litestar:
    """Build the app for ``settings`` (read from the environment when not given).

    ``unit_of_work_factory`` replaces the persistence's own units of work (tests use it
    to inject failures); the probe and the engine's lifecycle stay the settings' own.
    ``tracing`` replaces the one the environment asks for (tests: an in-memory exporter).
    Read from the environment (a server, the CLI), unusable settings end the process
    with one line on stderr and status 2; given settings raise ``SettingsError``.
    """
    if settings is not None:
        return _create_app(settings, unit_of_work_factory, tracing)
    try:
        return _create_app(Settings.from_env(), unit_of_work_factory, tracing)
    except SettingsError as error:
        exit_with(f"tasklane cannot start: {error}", SETTINGS_ERROR_STATUS)


def _create_app(
    settings: Settings,
    unit_of_work_factory: Callable[[], UnitOfWork] | None,
    tracing: "Tracing | None" = None,
) -> Litestar:
    secret = resolve_signing_secret(settings)
    tracing = tracing or configure_tracing()
    persistence = (
        memory_persistence()
        if settings.persistence == "memory"
        else sql_persistence(settings, tracing)
    )
    uow_factory = unit_of_work_factory or persistence.unit_of_work_factory
    telemetry: Telemetry = NO_TELEMETRY
    route_handlers: list[ControllerRouterHandler] = list(CONTROLLERS)
    cli_plugins: list[PluginProtocol] = []
    record: RequestRecorder | None = None
    before_request: BeforeRequestHookHandler | None = None
    if settings.metrics_enabled:
        prepare_multiprocess_directory()
        telemetry = PrometheusTelemetry()
        route_handlers.append(metrics_route(_renderer(persistence)))
        before_request = count_in_progress
        record = record_request
        cli_plugins.append(MetricsAcrossWorkers(shared_by_workers))
    if tracing is not None:
        telemetry = tracing.telemetry(telemetry)
    workers = JobWorkersPlugin(
        uow_factory,
        settings.jobs,
        settings.retry,
        close=persistence.close,
        check_reachable=persistence.check_reachable,
        telemetry=telemetry,
    )
    limiter = LimitsAttemptLimiter(settings.rate_limits)
    services = Services(
        run=UseCaseRunner(uow_factory, settings.retry, telemetry),
        hasher=Argon2PasswordHasher(
            settings.argon2_time_cost,
            settings.argon2_memory_kib,
            concurrency=settings.password_hash_concurrency,
            queue=settings.password_hash_queue,
        ),
        tokens=JwtTokenService(secret.value, settings.jwt_algorithm, settings.jwt_ttl_seconds),
        probe=persistence.probe,
        limiter=limiter,
        cursors=CursorCodec(derived_key(secret, "cursor")),
        jobs=settings.jobs,
        known_user_ttl_s=settings.known_user_ttl_seconds,
    )
    admin = AdminCommandsPlugin(
        uow_factory,
        settings.retry,
        services.hasher,
        settings.known_user_ttl_seconds,
        close=persistence.close,
        check_reachable=persistence.check_reachable,
    )
    app = HeaderLimitedLitestar(
        record_request=record,
        route_handlers=route_handlers,
        dependencies=dependencies(services),
        exception_handlers=exception_handlers(telemetry),
        before_send=[add_request_id, correct_allow],
        before_request=before_request,
        # Admin commands after the workers (they extend the `jobs` group). The CLI's
        # start-up report last: it wraps the commands the others added. The engine
        # outlives the workers: it is disposed on shutdown, after every lifespan ended.
        # Tracing first: its server span wraps everything else.
        plugins=[
            *(tracing.plugins if tracing else []),
            *persistence.plugins,
            workers,
            admin,
            GracefulHttp(),
            *cli_plugins,
            StartUpReport(),
        ],
        on_startup=[tune_garbage_collector],
        on_shutdown=[persistence.close, limiter.close],
        request_max_body_size=MAX_BODY_BYTES,
        cors_config=cors_config(settings.cors_allow_origins),
        openapi_config=openapi_config(_version()),
        logging_config=logging_config(
            settings.log_level, settings.log_format, sql_echo=settings.database.echo
        ),
    )
    complete_document(app)
    # After Litestar configured logging, so that the line is not lost.
    logger.info("JWT signing secret: %s", secret.source)
    return app


def _renderer(persistence: Persistence) -> Callable[[], Awaitable[bytes]]:
    async def render() -> bytes:
        readings = (
            await persistence.read_metrics()
            if persistence.read_metrics is not None
            else Readings(database_up=True)
        )
        return scrape(readings)

    return render


def memory_persistence() -> Persistence:
    """One in-memory store for the life of the app."""
    from infrastructure.persistence.memory import (
        InMemoryDatabaseProbe,
        InMemoryStore,
        InMemoryUnitOfWork,
        job_counts,
    )

    store = InMemoryStore()

    async def close() -> None:
        """Nothing to release: the store lives and dies with the process."""

    async def read_metrics() -> Readings:
        return Readings(database_up=True, jobs_by_status=job_counts(store))

    return Persistence(
        lambda: InMemoryUnitOfWork(store),
        InMemoryDatabaseProbe(),
        close,
        read_metrics=read_metrics,
    )


def sql_persistence(settings: Settings, tracing: "Tracing | None" = None) -> Persistence:
    """One engine for the life of the app; nothing connects before the first request."""
    # Imported here so that memory-only runs never load the SQL stack.
    from infrastructure.persistence.sqlalchemy import (
        MigrationCommands,
        SqlAlchemyDatabaseProbe,
        SqlAlchemyUnitOfWork,
        behind_transaction_pooler,
        build_engine,
        build_read_engine,
        check_reachable,
        job_counts,
        pool_status,
    )

    engine = build_engine(settings.database, production=settings.is_production)
    if tracing is not None:
        tracing.instrument_engine(engine)
    read_engine = build_read_engine(engine, pooled=behind_transaction_pooler(settings.database))

    async def dispose_engine() -> None:
        await engine.dispose()

    async def read_metrics() -> Readings:
        counts = await job_counts(engine, METRICS_QUERY_TIMEOUT_S)
        return Readings(counts is not None, pool_status(engine), counts)

    return Persistence(
        lambda: SqlAlchemyUnitOfWork(engine, read_engine),
        SqlAlchemyDatabaseProbe(engine),
        dispose_engine,
        # `litestar database upgrade` and the other migration commands, without
        # advanced-alchemy's init plugin and what it imports (see MigrationCommands).
        plugins=[MigrationCommands(settings, engine)],
        check_reachable=lambda: check_reachable(engine),
        read_metrics=read_metrics,
    )


def _version() -> str:
    try:
        return version("tasklane")
    except PackageNotFoundError:
        return "0.0.0"
