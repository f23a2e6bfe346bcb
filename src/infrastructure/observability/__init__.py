"""Operations: Prometheus metrics."""

from infrastructure.observability.prometheus import (
    PrometheusTelemetry,
    Readings,
    prepare_multiprocess_directory,
    scrape,
    shared_by_workers,
)

__all__ = [
    "PrometheusTelemetry",
    "Readings",
    "prepare_multiprocess_directory",
    "scrape",
    "shared_by_workers",
]
