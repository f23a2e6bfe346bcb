"""Job workers as part of a process: inside the web app, or alone (``litestar jobs worker``)."""

import asyncio
import logging
import os
import signal
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import click
from litestar import Litestar
from litestar.config.app import AppConfig
from litestar.plugins import CLIPluginProtocol, InitPluginProtocol

from application.jobs.processing import JobProcessor
from application.jobs.settings import JobSettings
from application.jobs.worker import JobWorker
from application.ports import NO_TELEMETRY, Telemetry
from application.retry import RetryPolicy
from application.runner import UseCaseRunner
from domain.unit_of_work import UnitOfWork

logger = logging.getLogger("tasklane.jobs")


class JobWorkersPlugin(InitPluginProtocol, CLIPluginProtocol):
    """Starts ``settings.workers`` workers with the app and stops them gracefully before the
    database goes; adds ``litestar jobs worker`` to run workers without the web app.
    """

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        settings: JobSettings,
        retry: RetryPolicy,
        close: Callable[[], Awaitable[None]] | None = None,
        check_reachable: Callable[[], Awaitable[None]] | None = None,
        telemetry: Telemetry = NO_TELEMETRY,
    ) -> None:
        self._run = UseCaseRunner(uow_factory, retry, telemetry)
        self._settings = settings
        self._close = close
        self._check_reachable = check_reachable

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        # Registered by a plugin listed after the database plugin, this lifespan is
        # entered after the engine's and left before it: workers stop while it is up.
        if self._settings.workers > 0:
            app_config.lifespan.append(self._lifespan)
        return app_config

    def on_cli_init(self, cli: click.Group) -> None:
        @click.group(name="jobs")
        def jobs() -> None:
            """Background jobs."""

        @jobs.command(name="worker")
        @click.option("--count", type=int, default=1, show_default=True, help="Workers to run.")
        def worker(count: int) -> None:
            """Work the job queue until SIGINT or SIGTERM, then stop gracefully."""
            asyncio.run(self.serve(count))

        cli.add_command(jobs)

    def _lifespan(self, _app: Litestar) -> AbstractAsyncContextManager[None]:
        return self.running(self._settings.workers)

    @asynccontextmanager
    async def running(self, count: int) -> AsyncIterator[None]:
        """``count`` workers for the duration of the block; on exit each finishes its job
        within the grace period or hands it back to the queue.
        """
        stop = asyncio.Event()
        tasks = [asyncio.create_task(self._worker().run(stop)) for _ in range(count)]
        try:
            yield
        finally:
            stop.set()
            # Beyond the grace period a worker is stuck in the database: cancelling rolls
            # its batch back, and its lease lets another worker resume the job.
            _done, pending = await asyncio.wait(tasks, timeout=self._settings.grace_s + 5)
            for task in pending:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def serve(self, count: int) -> None:
        """Run ``count`` workers until the process is told to stop.

        A database that cannot be reached at start-up ends the command (its error says
        why in one line); one lost later is waited out, as the web app does.
        """
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        try:
            if self._check_reachable is not None:
                await self._check_reachable()
            logger.info("%d job worker(s) started", count)
            async with self.running(count):
                await stop.wait()
        finally:
            if self._close is not None:
                await self._close()
        logger.info("job workers stopped")

    def _worker(self) -> JobWorker:
        name = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        processor = JobProcessor(self._run, name, self._settings)
        return JobWorker(processor)
