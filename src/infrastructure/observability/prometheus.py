"""Prometheus metrics: the ``Telemetry`` port's counters, and the scrape, which adds the
figures read at scrape time (pool, job queue, database up) to the registered series.

The counters are process-wide (prometheus-client's default registry, where the request
series of ``interfaces/http/request_metrics.py`` register too), created once however
many apps a process builds. With ``PROMETHEUS_MULTIPROC_DIR`` set, every process
writes its counters to files in that directory and a scrape merges them
(``MultiProcessCollector``); the figures read at scrape time are the scraping process's
own.
"""

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

from application.ports import PoolStatus

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# Set by the process that cleaned the directory; its children (workers) inherit it and
# leave the directory alone.
_CLEANED_ENV = "TASKLANE_METRICS_DIR_CLEANED_BY"

_RETRIES = Counter(
    "tasklane_database_retries",
    "Units of work tried again after a transient database failure, by SQLSTATE or driver error",
    ["sqlstate"],
)
_GAVE_UP = Counter(
    "tasklane_database_retries_exhausted",
    "Units of work given up after transient failures (the request answered 503), by the"
    " last SQLSTATE or driver error",
    ["sqlstate"],
)
_JOB_DURATION = Histogram(
    "tasklane_job_duration_seconds",
    "Time from a job's creation to its end, by final status",
    ["status"],
    buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600),
)
_UNAVAILABLE = Counter(
    "tasklane_unavailable_responses",
    "Requests answered 503, by cause",
    ["cause"],
)


class PrometheusTelemetry:
    """``Telemetry`` as prometheus-client counters."""

    def retried(self, code: str) -> None:
        _RETRIES.labels(code).inc()

    def gave_up(self, code: str) -> None:
        _GAVE_UP.labels(code).inc()

    def job_finished(self, status: str, seconds: float) -> None:
        _JOB_DURATION.labels(status).observe(seconds)

    def batch(self, job_id: int, size: int) -> AbstractContextManager[None]:
        """No metric per batch: job durations are enough."""
        return nullcontext()

    def unavailable(self, cause: str) -> None:
        _UNAVAILABLE.labels(cause).inc()


@dataclass(frozen=True, slots=True)
class Readings:
    """What a scrape could read now; ``None`` for what it could not (or does not apply)."""

    database_up: bool
    pool: PoolStatus | None = None
    jobs_by_status: Mapping[str, int] | None = field(default=None)


_JOB_STATUSES = ("queued", "running", "succeeded", "failed")


def _families(readings: Readings) -> Iterator[Metric]:
    up = GaugeMetricFamily(
        "tasklane_database_up", "1 when the store answered the scrape's query, else 0"
    )
    up.add_metric([], 1 if readings.database_up else 0)
    yield up
    if readings.pool is not None:
        for name, value, text in (
            ("size", readings.pool.size, "Connections the pool keeps"),
            ("checked_out", readings.pool.checked_out, "Connections in use"),
            ("overflow", readings.pool.overflow, "Connections open beyond the pool size"),
            ("invalid", readings.pool.invalid, "Connections invalidated, not yet replaced"),
        ):
            gauge = GaugeMetricFamily(f"tasklane_database_pool_{name}", text)
            gauge.add_metric([], value)
            yield gauge
    if readings.jobs_by_status is not None:
        jobs = GaugeMetricFamily("tasklane_jobs", "Jobs stored, by status", labels=["status"])
        for status in _JOB_STATUSES:
            jobs.add_metric([status], readings.jobs_by_status.get(status, 0))
        yield jobs


class _Exposition:
    """What one scrape exposes: the registered series, then the readings."""

    def __init__(self, registered: Iterable[Metric], readings: Readings) -> None:
        self._registered = registered
        self._readings = readings

    def collect(self) -> Iterator[Metric]:
        yield from self._registered
        yield from _families(self._readings)


def scrape(readings: Readings) -> bytes:
    """The text exposition of every series, for ``GET /metrics``."""
    if os.environ.get(MULTIPROC_ENV):
        merged = CollectorRegistry()
        MultiProcessCollector(merged)  # type: ignore[no-untyped-call]
        registered: Iterable[Metric] = merged.collect()
    else:
        registered = REGISTRY.collect()
    return generate_latest(_Exposition(registered, readings))


def prepare_multiprocess_directory() -> None:
    """With ``PROMETHEUS_MULTIPROC_DIR`` set, empty it (creating it if needed) once per
    process tree: in the first process that builds the app, never in the workers it
    starts, which inherit the marker. Files of a previous run would otherwise be summed
    into this run's counters.
    """
    directory = os.environ.get(MULTIPROC_ENV)
    if not directory or os.environ.get(_CLEANED_ENV):
        return
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink(missing_ok=True)
    os.environ[_CLEANED_ENV] = str(os.getpid())


@contextmanager
def shared_by_workers() -> Iterator[None]:
    """Web workers started inside this block share their metrics: without
    ``PROMETHEUS_MULTIPROC_DIR``, a fresh directory is theirs (already empty, so marked
    as cleaned: no worker empties it under another), removed once they have stopped.
    A directory the operator set is left alone (``prepare_multiprocess_directory``
    cleaned it when this process built the app).
    """
    if os.environ.get(MULTIPROC_ENV):
        yield
        return
    directory = tempfile.mkdtemp(prefix="tasklane-metrics-")
    os.environ[MULTIPROC_ENV] = directory
    os.environ[_CLEANED_ENV] = str(os.getpid())
    try:
        yield
    finally:
        del os.environ[MULTIPROC_ENV], os.environ[_CLEANED_ENV]
        shutil.rmtree(directory, ignore_errors=True)
